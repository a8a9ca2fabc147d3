// phiscan serve: the paste-and-check page.
//
// The draft is sent to this same server (POST /api/check) a moment after typing stops; the
// answer is the scan report, the text it points into, UTF-16 spans of each finding and breach
// sentence, and a safe version. Nothing is stored: not in the browser (no storage, no cookies),
// not on the server. User text only ever reaches the page through textContent and form values,
// never as HTML.
"use strict";
/** Whether a finding is a staff member's name (the report marks it `"role": "staff"`). */
function isStaff(f) { return f.role === "staff"; }


(function () {
  const DEBOUNCE_MS = 350;
  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const verdictBox = $("verdict");
  const verdictTitle = $("verdict-title");
  const verdictDetail = $("verdict-detail");
  const verdictQuote = $("verdict-quote");
  const checked = $("checked");
  const count = $("count");
  const copyButton = $("copy-safe");
  const fineButton = $("fine");
  const actionStatus = $("action-status");
  const safeBox = $("safe-box");
  const safeOutput = $("safe-output");
  const detail = $("detail");
  const source = $("source");

  // What a category is, in words a reader uses.
  const LABELS = {
    name: "a name", mrn: "a medical record number", ssn: "a Social Security number", date: "a date",
    age: "an age", phone: "a phone number", fax: "a fax number", email: "an e-mail address",
    address: "a street address", zip: "a ZIP code", location: "a place name", facility: "a facility name",
    url: "a web address", ip: "an IP address", account: "an account number",
    "health-plan": "a health plan number", license: "a licence or certificate number",
    vehicle: "a vehicle identifier", device: "a device identifier", "other-id": "an identifying number",
    diagnosis: "a diagnosis", medication: "a medication", procedure: "a procedure",
  };
  // Why each is flagged when it stands alone.
  const ALONE = {
    name: "check that this person agreed to be named",
    mrn: "a record number identifies a patient by itself",
    ssn: "identifies a person by itself",
    date: "a date tied to a person (birth, admission, visit) helps identify them",
    age: "with other details an age can single a person out",
    phone: "identifies a person unless it is the organisation's own number",
    fax: "identifies a person unless it is the organisation's own number",
    email: "identifies a person unless it is the organisation's own address",
    address: "identifies where a person lives",
    zip: "with other details a ZIP code can single a person out",
    location: "with other details a town can single a person out",
    facility: "fine on its own; it identifies a place, not a person",
    url: "a web address can lead to a person",
    ip: "can identify a person's device",
    account: "identifies a person by itself",
    "health-plan": "identifies a person by itself",
    license: "identifies a person by itself",
    vehicle: "identifies a person's vehicle",
    device: "identifies a patient's device",
    "other-id": "an identifying number",
    diagnosis: "fine on its own, but not next to someone who can be identified",
    medication: "fine on its own, but not next to someone who can be identified",
    procedure: "fine on its own, but not next to someone who can be identified",
  };
  const HEALTH = new Set(["diagnosis", "medication", "procedure"]);
  const NOT_IDENTIFYING = new Set(["diagnosis", "medication", "procedure", "facility"]);
  const RANK = { low: 0, medium: 1, high: 2 };

  let timer = null;
  let inflight = null; // AbortController of the running request
  let seq = 0; // the newest request's number; older answers are dropped
  let result = null; // { text, report, parts, findings: [...] } of the last answer
  let resultFor = null; // the draft text that result describes
  let fromFile = null; // the dropped file's name while the box holds its unedited text
  let retryTimer = null;

  function label(f, text) {
    if (f.category === "name" && text && /\s/.test(text.trim())) return "a full name";
    return LABELS[f.category] || f.category;
  }

  function setVerdict(kind, title, detailText, quote) {
    verdictBox.className = "verdict verdict-" + kind;
    verdictTitle.textContent = title;
    verdictDetail.textContent = detailText || "";
    verdictQuote.replaceChildren();
    if (quote) {
      verdictQuote.append(...quote);
      verdictQuote.hidden = false;
    } else {
      verdictQuote.hidden = true;
    }
  }

  // Marks the verdict as out of date until the next answer, and checks once typing pauses.
  function schedule() {
    clearTimeout(timer);
    pending(true);
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  function pending(on) {
    if (on) {
      verdictBox.setAttribute("aria-busy", "true");
      verdictBox.classList.add("checking");
      checked.classList.add("stale");
    } else {
      verdictBox.removeAttribute("aria-busy");
      verdictBox.classList.remove("checking");
      checked.classList.remove("stale");
    }
  }

  // Checks the draft now; resolves when the answer is shown (or superseded).
  async function check() {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    const text = draft.value;
    if (text.trim() === "") {
      showEmpty();
      return;
    }
    if (result && resultFor === text) {
      pending(false);
      return;
    }
    const body = JSON.stringify({ name: "draft.txt", text });
    await send(body, "application/json", text);
  }

  async function send(body, contentType, text) {
    if (inflight) inflight.abort();
    const controller = new AbortController();
    inflight = controller;
    const mine = ++seq;
    pending(true);
    try {
      const headers = contentType ? { "Content-Type": contentType } : {};
      const response = await fetch("/api/check", { method: "POST", body, headers, signal: controller.signal, cache: "no-store" });
      const answer = await response.json().catch(() => ({ error: "the server's answer could not be read" }));
      if (mine !== seq) return;
      if (!response.ok) {
        if (response.status === 503 && response.headers.get("Retry-After")) {
          const wait = Math.min(10, Number(response.headers.get("Retry-After")) || 2);
          retryTimer = setTimeout(check, wait * 1000);
        }
        showError(answer.error || "the check failed (" + response.status + ")");
        return;
      }
      show(answer, text);
    } catch (e) {
      if (e.name === "AbortError" || mine !== seq) return;
      showError("the checker could not be reached (is phiscan serve still running?)");
    } finally {
      if (mine === seq) {
        pending(false);
        inflight = null;
      }
    }
  }

  function showEmpty() {
    if (inflight) inflight.abort();
    seq++;
    pending(false);
    result = null;
    resultFor = null;
    setVerdict("empty", "Paste a draft to check it", "The verdict appears here, in plain words, as you type.");
    checked.replaceChildren();
    count.textContent = "";
    copyButton.disabled = true;
    fineButton.disabled = true;
    closeDetail();
  }

  function showError(message) {
    result = null;
    resultFor = null;
    setVerdict("error", "Could not check this draft", message.charAt(0).toUpperCase() + message.slice(1) + ".");
    copyButton.disabled = true;
    fineButton.disabled = true;
  }

  // Flattens the answer into one list of findings, each with its part, UTF-16 span and breach.
  function flatten(answer) {
    const report = answer.report;
    const findings = [];
    answer.parts.forEach((part, p) => {
      const file = report.files[p];
      (file ? file.findings : []).forEach((gi, k) => {
        const f = Object.assign({}, report.findings[gi]);
        f.index = gi;
        f.part = p;
        f.span = part.spans[k];
        f.text = part.text.slice(f.span[0], f.span[1]);
        f.breaches = [];
        findings[gi] = f;
      });
    });
    report.breaches.forEach((b, bi) => {
      b.findings.forEach((gi) => findings[gi] && findings[gi].breaches.push(bi));
    });
    return findings.filter(Boolean);
  }

  function reasonOf(f, byIndex, report) {
    if (isStaff(f)) return "a staff member's name: treated as staff, not as a patient";
    // The report marks the name model's doubtful ones `"possible": true` (always low).
    if (f.possible) return "possibly a name: phiscan is unsure, so check it";
    if (f.breaches.length) {
      const b = report.breaches[f.breaches[0]];
      const others = b.findings
        .filter((gi) => gi !== f.index && byIndex[gi])
        .map((gi) => byIndex[gi])
        .filter((o) => HEALTH.has(o.category) !== HEALTH.has(f.category))
        .map((o) => label(o, o.text));
      const unique = [...new Set(others)];
      const unit = b.unit || "sentence";
      return label(f, f.text) + " next to " + (unique.join(" and ") || "a health detail") + " in the same " + unit;
    }
    return label(f, f.text) + ": " + (ALONE[f.category] || "flagged by rule " + f.rule);
  }

  function severityClass(f) {
    return isStaff(f) ? "staff" : "sev-" + f.severity;
  }

  function show(answer, text) {
    const report = answer.report;
    const findings = flatten(answer);
    const byIndex = {};
    findings.forEach((f) => (byIndex[f.index] = f));
    findings.forEach((f) => (f.reason = reasonOf(f, byIndex, report)));
    result = { answer, report, findings, byIndex };
    resultFor = text;
    closeDetail();

    // The verdict, in plain words.
    const patientIds = findings.filter((f) => !NOT_IDENTIFYING.has(f.category) && !isStaff(f) && RANK[f.severity] >= 1);
    const problems = (report.summary.errors || []).map((e) => e.message).concat((report.summary.skipped || []).map((s) => s.path + ": skipped, " + s.reason));
    const note = problems.length ? " Not everything could be read: " + problems.join("; ") + "." : "";
    if (report.breaches.length) {
      const b = report.breaches[0];
      const part = answer.parts[findings.find((f) => f.index === b.findings[0]).part];
      const span = part.breach_spans[part_breach_index(answer, report, 0)];
      const more = report.breaches.length > 1 ? " (and " + (report.breaches.length - 1) + " more place" + (report.breaches.length > 2 ? "s" : "") + " below)" : "";
      setVerdict(
        "breach",
        "Do not post: identifies a patient with a health detail",
        "This sentence ties a person to a health detail" + more + ". Remove or change the highlighted words, or use the safe version." + note,
        quoteNodes(part.text, span, findings.filter((f) => b.findings.includes(f.index)))
      );
    } else if (patientIds.length) {
      const kinds = [...new Set(patientIds.map((f) => label(f, f.text)))];
      setVerdict(
        "risky",
        "Contains identifiers (no health details)",
        "It names or identifies someone (" + kinds.join(", ") + "), with no health detail about them. Post it only if they agreed to be identified." + note
      );
    } else {
      const n = findings.length;
      const why = n
        ? "No patient can be identified from this draft. The " + (n > 1 ? n + " highlights" : "highlight") +
          " below " + (n > 1 ? "are" : "is") + " fine on " + (n > 1 ? "their" : "its") + " own (staff names, health topics, places, possible names to check)."
        : "Nothing in it identifies a patient.";
      setVerdict("safe", "Safe to post", why + note);
    }
    renderChecked(answer, findings);
    const n = findings.length;
    count.textContent = n ? "(" + n + ")" : "(nothing)";
    copyButton.disabled = false;
    fineButton.disabled = findings.filter((f) => !isStaff(f)).length === 0;
  }

  // The index, within its part, of the report's breach bi.
  function part_breach_index(answer, report, bi) {
    const first = report.breaches[bi].findings[0];
    let p = 0;
    let base = 0;
    for (; p < report.files.length; p++) {
      if (report.files[p].findings.includes(first)) break;
    }
    for (let i = 0; i < bi; i++) {
      const other = report.breaches[i].findings[0];
      if (report.files[p] && report.files[p].findings.includes(other)) base++;
    }
    return base;
  }

  // The breach sentence, with the linked findings marked.
  function quoteNodes(text, span, linked) {
    const [s, e] = span;
    const nodes = [];
    let at = s;
    const marks = linked.filter((f) => f.span[0] >= s && f.span[1] <= e).sort((a, b) => a.span[0] - b.span[0]);
    for (const f of marks) {
      if (f.span[0] < at) continue;
      nodes.push(document.createTextNode(text.slice(at, f.span[0])));
      const m = document.createElement("mark");
      m.className = "mark " + severityClass(f);
      m.textContent = text.slice(f.span[0], f.span[1]);
      nodes.push(m);
      at = f.span[1];
    }
    nodes.push(document.createTextNode(text.slice(at, e)));
    return nodes;
  }

  // The checked text with each finding highlighted in place.
  function renderChecked(answer, findings) {
    const out = [];
    answer.parts.forEach((part, p) => {
      const wrap = document.createElement("div");
      wrap.className = "part";
      if (answer.parts.length > 1 || fromFile) {
        const h = document.createElement("h3");
        h.className = "part-title";
        h.textContent = part.path;
        wrap.append(h);
      }
      const body = document.createElement("div");
      body.className = "part-text";
      const mine = findings.filter((f) => f.part === p).sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
      let at = 0;
      for (const f of mine) {
        if (f.span[0] < at) continue; // an overlap: the longer one is already shown
        body.append(document.createTextNode(part.text.slice(at, f.span[0])));
        const m = document.createElement("button");
        m.type = "button";
        m.className = "mark " + severityClass(f);
        m.dataset.index = String(f.index);
        m.dataset.category = f.category;
        m.dataset.severity = f.severity;
        const shown = part.text.slice(f.span[0], f.span[1]);
        m.textContent = shown;
        if (isStaff(f)) {
          const tag = document.createElement("span");
          tag.className = "tag";
          tag.textContent = "staff";
          tag.setAttribute("aria-hidden", "true");
          m.append(tag);
        }
        m.title = f.reason;
        const who = isStaff(f) ? "staff name" : LABELS[f.category] ? LABELS[f.category].replace(/^an? /, "") : f.category;
        m.setAttribute("aria-label", shown + ": " + who + ", " + (isStaff(f) ? "fine" : f.severity) + ". " + f.reason);
        m.addEventListener("click", () => openDetail(f, m));
        body.append(m);
        at = f.span[1];
      }
      body.append(document.createTextNode(part.text.slice(at)));
      wrap.append(body);
      out.push(wrap);
    });
    checked.replaceChildren(...out);
  }

  let detailFor = null;
  let detailReturn = null;

  function openDetail(f, button) {
    detailFor = f;
    detailReturn = button;
    $("detail-title").textContent = (isStaff(f) ? "Staff name" : capital(label(f, f.text))) + (f.breaches.length ? " (part of the breach)" : "");
    $("detail-reason").textContent = capital(f.reason) + ".";
    $("detail-meta").textContent = "Severity " + f.severity + " · " + (f.location ? f.location : "line " + f.line) + " · rule " + f.rule;
    $("detail-fine").hidden = !!isStaff(f);
    detail.hidden = false;
    $("detail-title").focus();
  }

  function closeDetail() {
    detail.hidden = true;
    detailFor = null;
    if (detailReturn && document.body.contains(detailReturn)) detailReturn.focus();
    detailReturn = null;
  }

  function capital(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // Adds inline allow notes (`<!-- phiscan:allow RULE -->`) at the end of the lines of
  // `findings` in the draft, the same note the publishing check honours, and re-checks.
  function allow(findings) {
    // Line numbers are those of the text last checked: never edit a draft that has changed since.
    if (!findings.length || resultFor !== draft.value) return;
    const lines = draft.value.split("\n");
    const byLine = new Map();
    for (const f of findings) {
      if (!byLine.has(f.line)) byLine.set(f.line, new Set());
      byLine.get(f.line).add(f.rule);
    }
    for (const [line, rules] of byLine) {
      const i = line - 1;
      if (i < 0 || i >= lines.length) continue;
      const cr = lines[i].endsWith("\r");
      const base = cr ? lines[i].slice(0, -1) : lines[i];
      lines[i] = base + " <!-- phiscan:allow " + [...rules].sort().join(",") + " -->" + (cr ? "\r" : "");
    }
    draft.value = lines.join("\n");
    fromFile = null;
    source.textContent = "";
    const terms = [...new Set(findings.map((f) => f.text))];
    actionStatus.textContent =
      "Marked as fine with a note at the end of " + (byLine.size === 1 ? "line " + [...byLine.keys()][0] : byLine.size + " lines") +
      " (<!-- phiscan:allow … -->): phiscan and the publishing check will not flag it there again. Keep the note where the text is checked again; " +
      "delete it before posting where comments would show. If it is never a problem (a clinician's name, the hospital's own number), " +
      "ask whoever runs phiscan to add it to the organisation's allow-list: allow = [" + terms.map((t) => JSON.stringify(t)).join(", ") + "] in " +
      (configName || ".phiscan.toml") + ". Only mark a patient's details as fine with their written consent.";
    check();
  }

  let configName = null;

  async function copySafe() {
    await check();
    if (!result) return;
    const safe = result.answer.parts.map((p) => p.safe).join("\n\n");
    safeOutput.value = safe;
    safeBox.hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(safe);
      copied = true;
    } catch (e) {
      safeOutput.focus();
      safeOutput.select();
      try {
        copied = document.execCommand("copy");
      } catch (e2) {
        copied = false;
      }
    }
    const masked = result.findings.filter((f) => !NOT_IDENTIFYING.has(f.category) && !isStaff(f)).length;
    actionStatus.textContent = (copied ? "Copied the safe version. " : "Select the safe version below and copy it (Ctrl+C or ⌘C). ") +
      (masked ? masked + " identifier" + (masked > 1 ? "s are" : " is") + " masked (J*** S****); health details and staff names are kept." : "Nothing needed masking.");
  }

  async function openFile(file) {
    if (!file) return;
    closeDetail();
    const form = new FormData();
    form.append("file", file, file.name);
    fromFile = { name: file.name };
    source.textContent = "Checking " + file.name + "…";
    draft.value = "";
    const mine = seq + 1;
    await send(form, null, null);
    if (mine !== seq || !result) {
      source.textContent = "";
      return;
    }
    const text = result.answer.parts.map((p) => p.text).join("\n\n");
    draft.value = text;
    resultFor = text;
    source.textContent = "Checked " + file.name + " as a file. Editing the text re-checks it as plain text.";
  }

  draft.addEventListener("input", () => {
    if (fromFile) {
      fromFile = null;
      source.textContent = "Editing the text from the file: checked as plain text.";
    }
    actionStatus.textContent = "";
    safeBox.hidden = true;
    schedule();
  });
  $("clear").addEventListener("click", () => {
    draft.value = "";
    fromFile = null;
    source.textContent = "";
    actionStatus.textContent = "";
    safeBox.hidden = true;
    showEmpty();
    draft.focus();
  });
  $("open-file").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", (e) => {
    openFile(e.target.files[0]);
    e.target.value = "";
  });
  const zone = $("dropzone");
  zone.addEventListener("dragover", (e) => {
    if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) {
      e.preventDefault();
      zone.classList.add("dragging");
    }
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (e) => {
    zone.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      e.preventDefault();
      openFile(e.dataTransfer.files[0]);
    }
  });
  copyButton.addEventListener("click", copySafe);
  fineButton.addEventListener("click", () => {
    if (!result) return;
    if (result.report.breaches.length &&
        !window.confirm("This draft identifies a patient with a health detail. Mark it all as fine only if the patient gave written consent to this post. Mark it as fine?")) {
      return;
    }
    allow(result.findings.filter((f) => !isStaff(f)));
  });
  $("detail-fine").addEventListener("click", () => {
    if (detailFor) {
      const f = detailFor;
      detailReturn = null;
      closeDetail();
      allow([f]);
      draft.focus();
    }
  });
  $("detail-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !detail.hidden) closeDetail();
  });

  fetch("/healthz", { cache: "no-store" })
    .then((r) => r.json())
    .then((h) => {
      configName = h.config;
      $("about").textContent = "phiscan " + h.version + " · " + h.rules + " rules" + (h.config ? " · config " + h.config : "");
    })
    .catch(() => {});

  if (draft.value.trim()) schedule();
})();
