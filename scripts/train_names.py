#!/usr/bin/env python3
"""Fit the person-name model (rules/models/person-name.toml) on labelled corpora.

    python3 scripts/train_names.py [--eval-dir ../shared/eval/dev] [--out rules/models/person-name.toml]

Needs numpy and scipy (tested with 2.1.3 and 1.14.1) and a Rust toolchain. Deterministic: the same corpora and the
same code give the same weights (no random numbers; Newton's method from zero weights).

What it does
------------
1. Runs `cargo run --release --example name-features`, which prints every name candidate the
   detector proposes (src/engine/names.rs) with its binary features, for each labelled text:
   the comms posts, clinical notes, synthetic PII sentences and two tweet corpora of
   ../shared/eval/dev and our own template sentences (scripts/gen_name_examples.py), plus copies of the mixed-case corpora rewritten in capitals and in lower
   case (so the casing-specific weights see ALL-CAPS exports and lower-case typing).
2. Labels a candidate 1 when it overlaps a gold person span (`name`, `person`, `PERSON`; an
   @username span is a handle, not a name, and is left out), else 0.
3. Holds back one record in five (by a hash of corpus and id) and fits an L2-regularised
   logistic regression on the rest, over the features, their casing-specific copies and the
   pairs of features seen together at least MIN_PAIR times (a linear model cannot otherwise
   learn that two weak signals together are strong). Each corpus gets a share of the total
   weight, so 13,000 tweets do not drown 300 comms posts and clinical notes.
4. Fits in ROUNDS rounds. Some features depend on the model itself (a run the model is sure of
   makes its words known names for the rest of the text), so the first export weighs with a
   model that is sure of nothing, and each later export with the previous round's fit. The
   result depends only on the code and the corpora, never on the model file already in the tree.
5. Chooses the `possible` floor: the threshold from POSSIBLE_GRID with the best F2 (candidate
   precision against gold-name recall, recall weighted twice: see BETA) on the held-back part,
   averaged over corpora and casings with the corpus shares. Candidates from that floor up to
   the scan's min_confidence are reported as possible names (severity low, never part of a
   breach).
6. Reports, per corpus, precision and recall of candidates and recall of gold name spans on the
   held-back part at the reporting threshold (0.5) and at the possible floor, and writes the
   model trained on the training part.

Why logistic regression: the detector already decides the span (the candidate run); what is
left is weighing a few dozen kinds of evidence for and against, which a linear model does
transparently (every weight can be read in the model file) and which costs one dot product per
candidate at scan time. A CRF would also learn span boundaries, but needs a sequence decoder
over every token of every text, not only over candidate windows.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SYNTHETIC = "synthetic-names.jsonl"

# corpus file -> (gold types that are names, share of the total training weight, recase copies)
CORPORA = {
    "posts-dev.jsonl": ({"name"}, 1.0, True),
    "posts-dev2.jsonl": ({"name"}, 1.5, True),
    "notes-dev.jsonl": ({"name"}, 1.5, False),
    "presidio-generated.jsonl": ({"PERSON"}, 1.0, True),
    "wnut17-traindev.jsonl": ({"person"}, 0.7, False),
    "btc-tweets.jsonl": ({"person"}, 0.7, False),
    # Our own templates (scripts/gen_name_examples.py): shapes the corpora hold few of.
    SYNTHETIC: ({"name"}, 0.8, True),
}
THRESHOLD = 0.5
ROUNDS = 3
POSSIBLE_GRID = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50)
# De-identification is judged recall-first: a missed name can be a disclosure, a doubtful one
# shown as `low` costs a reader a glance. The floor maximises F2 (recall weighted twice).
BETA = 2.0
# Round 0's model: sure of nothing, so no feature reads a model's decisions.
NULL_MODEL = "bias = -20.0\n\n[weights]\n"
L2 = 1.0  # on single features
L2_PAIR = 3.0  # on pairs: many, each seen less often
MIN_PAIR = 25
CASINGS = ("mixed", "upper", "lower")


def held_back(corpus, rid):
    h = hashlib.sha1(("%s/%s" % (corpus, rid)).encode()).digest()
    return h[0] % 5 == 0


def recase(text, case):
    conv = str.upper if case == "upper" else str.lower
    return "".join(c2 if len(c2) == 1 else c for c, c2 in ((c, conv(c)) for c in text))


def byte_to_char(text):
    table = []
    for i, ch in enumerate(text):
        table.extend([i] * len(ch.encode("utf-8")))
    table.append(len(text))
    return lambda b: table[min(max(b, 0), len(table) - 1)]


def load(eval_dir):
    """Returns records {key, corpus, id, text, gold[(s, e)], held} for every corpus and casing."""
    out = []
    synthetic = os.path.join(ROOT, "target", SYNTHETIC)
    os.makedirs(os.path.dirname(synthetic), exist_ok=True)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_name_examples.py"), "--out", synthetic], check=True)
    for corpus, (types, _, recased) in CORPORA.items():
        path = synthetic if corpus == SYNTHETIC else os.path.join(eval_dir, corpus)
        with open(path, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        for r in records:
            gold = [(s["start"], s["end"]) for s in r["spans"]
                    if s["type"] in types and not r["text"][s["start"]:s["end"]].startswith("@")]
            for case in (("mixed", "upper", "lower") if recased else ("mixed",)):
                text = r["text"] if case == "mixed" else recase(r["text"], case)
                out.append({"key": "%s|%s|%s" % (corpus, case, r["id"]), "corpus": corpus, "case": case,
                            "id": r["id"], "text": text, "gold": gold, "held": held_back(corpus, r["id"])})
    return out


def candidates(records, model_path):
    """Runs the feature exporter over every record, weighing with the model file at
    `model_path`; returns {key: [candidate]}."""
    feed = "".join(json.dumps({"id": r["key"], "text": r["text"]}) + "\n" for r in records)
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "name-features", "--", "--model", model_path]
    proc = subprocess.run(cmd, input=feed, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        sys.exit("name-features failed")
    out = {}
    for line in proc.stdout.splitlines():
        c = json.loads(line)
        out.setdefault(c["id"], []).append(c)
    return out


def fit(X, y, w, reg):
    """Weighted L2 logistic regression by L-BFGS; column 0 of X is the (unregularised) bias."""
    def loss(beta):
        z = X @ beta
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        ll = -np.sum(w * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
        grad = X.T @ (w * (p - y)) + reg * beta
        return ll + 0.5 * np.sum(reg * beta * beta), grad
    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B",
                   options={"maxiter": 2000, "gtol": 1e-6})
    return res.x


def pairs_of(feats):
    base = sorted(f for f in feats if "@" not in f)
    return ["%s&%s" % (a, b) for i, a in enumerate(base) for b in base[i + 1:]]


def design(records, found):
    """Labels every candidate and builds the design matrix; returns (rows, X, y, train, names,
    index, reg) where rows are (record, candidate char span, features, label)."""
    rows = []
    names = set()
    for r in records:
        to_char = byte_to_char(r["text"])
        for c in found.get(r["key"], []):
            s, e = to_char(c["start"]), to_char(c["end"])
            label = any(s < ge and gs < e for gs, ge in r["gold"])
            rows.append((r, (s, e), c["features"], label))
            names.update(c["features"])
    train = np.array([not r["held"] for r, _, _, _ in rows])
    counts = {}
    for (r, _, feats, _), t in zip(rows, train):
        if t:
            for pr in pairs_of(feats):
                counts[pr] = counts.get(pr, 0) + 1
    names = sorted(names) + sorted(pr for pr, n in counts.items() if n >= MIN_PAIR)
    index = {n: i + 1 for i, n in enumerate(names)}
    data, cols, ptr = [], [], [0]
    y = np.zeros(len(rows))
    for k, (_, _, feats, label) in enumerate(rows):
        active = [0] + sorted({index[f] for f in feats + pairs_of(feats) if f in index})
        cols.extend(active)
        data.extend([1.0] * len(active))
        ptr.append(len(cols))
        y[k] = label
    X = sparse.csr_matrix((data, cols, ptr), shape=(len(rows), len(names) + 1))
    reg = np.array([0.0] + [L2_PAIR if "&" in n else L2 for n in names])
    return rows, X, y, train, names, index, reg


def fit_weighted(rows, X, y, train, reg):
    """Fits on the training rows, each corpus's candidates sharing its part of the weight."""
    total = train.sum()
    shares = sum(v[1] for v in CORPORA.values())
    w = np.zeros(len(rows))
    for corpus, (_, share, _) in CORPORA.items():
        mask = train & np.array([r["corpus"] == corpus for r, _, _, _ in rows])
        if mask.sum():
            w[mask] = share / shares * total / mask.sum()
    return fit(X[train], y[train], w[train], reg)


def write_model(path, beta, names, index, possible):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# The person-name model: weights of the name detector's features (src/engine/names.rs).\n")
        f.write("# Generated by scripts/train_names.py from the labelled corpora it names; do not edit.\n")
        f.write("# A feature `x@upper` / `x@lower` adds to `x` in blocks written in capitals / lower case;\n")
        f.write("# `x&y` is the weight of two features together. `possible`: candidates from this probability\n")
        f.write("# up to the scan's min_confidence are reported as possible names (held-back F2 best).\n")
        f.write("bias = %.4f\n" % beta[0])
        if possible is not None:
            f.write("possible = %.2f\n" % possible)
        f.write("\n[weights]\n")
        for n in names:
            v = beta[index[n]]
            if abs(v) >= 5e-3:
                f.write('"%s" = %.4f\n' % (n, v))


def groups(records):
    """The held-back (corpus, casing) groups, in a fixed order."""
    for corpus in CORPORA:
        for case in CASINGS:
            if any(r["held"] and r["corpus"] == corpus and r["case"] == case for r in records):
                yield corpus, case


def held_scores(rows, records, p, y, corpus, case, threshold):
    """Held-back candidate precision and recall, gold-name recall and coverage, gold count."""
    sel = [k for k, (r, _, _, _) in enumerate(rows) if r["held"] and r["corpus"] == corpus and r["case"] == case]
    recs = [r for r in records if r["held"] and r["corpus"] == corpus and r["case"] == case]
    kept = [k for k in sel if p[k] >= threshold]
    tp = sum(1 for k in kept if y[k])
    pos = sum(1 for k in sel if y[k])
    n_gold = hit = cover = 0
    by_key, all_key = {}, {}
    for k in kept:
        by_key.setdefault(rows[k][0]["key"], []).append(rows[k][1])
    for k in sel:
        all_key.setdefault(rows[k][0]["key"], []).append(rows[k][1])
    for r in recs:
        spans = by_key.get(r["key"], [])
        for gs, ge in r["gold"]:
            n_gold += 1
            hit += any(s < ge and gs < e for s, e in spans)
            cover += any(s < ge and gs < e for s, e in all_key.get(r["key"], []))
    ratio = lambda a, b: a / b if b else 0.0
    return ratio(tp, len(kept)), ratio(tp, pos), ratio(hit, n_gold), ratio(cover, n_gold), n_gold


def choose_possible(rows, records, p, y):
    """The grid threshold with the best share-weighted mean held-back F-beta (BETA; ties: the
    higher threshold). F1 is printed beside it for comparison."""
    best = None
    held = list(groups(records))
    print("possible floor: held-back F%g and F1 (candidate precision, gold-name recall), share-weighted mean" % BETA)
    for t in POSSIBLE_GRID:
        total = {BETA: 0.0, 1: 0.0}
        weight = 0.0
        for corpus, case in held:
            cases = sum(1 for c, _ in held if c == corpus)
            prec, _, rec, _, _ = held_scores(rows, records, p, y, corpus, case, t)
            for b in total:
                f = (1 + b * b) * prec * rec / (b * b * prec + rec) if prec + rec else 0.0
                total[b] += CORPORA[corpus][1] / cases * f
            weight += CORPORA[corpus][1] / cases
        score = total[BETA] / weight
        print("  %.2f  F%g %.4f  F1 %.4f" % (t, BETA, score, total[1] / weight))
        if best is None or score > best[1] + 1e-9:
            best = (t, score)
    return best[0]


def report(rows, records, p, y, threshold):
    print("held-back records (1 in 5), candidates at p >= %.2f:" % threshold)
    print("%-28s %-6s %9s %9s %9s %9s %9s" % ("corpus", "case", "cand P", "cand R", "gold R", "covered", "n gold"))
    for corpus, case in groups(records):
        print("%-28s %-6s %9.3f %9.3f %9.3f %9.3f %9d" % (
            (corpus, case) + held_scores(rows, records, p, y, corpus, case, threshold)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.path.join(ROOT, "..", "shared", "eval", "dev"))
    ap.add_argument("--out", default=os.path.join(ROOT, "rules", "models", "person-name.toml"))
    a = ap.parse_args()

    records = load(a.eval_dir)
    model_path = os.path.join(ROOT, "target", "person-name-round.toml")
    with open(model_path, "w", encoding="utf-8") as f:
        f.write(NULL_MODEL)
    for round_no in range(ROUNDS + 1):
        rows, X, y, train, names, index, reg = design(records, candidates(records, model_path))
        beta = fit_weighted(rows, X, y, train, reg)
        p = 1.0 / (1.0 + np.exp(-(X @ beta)))
        print("round %d: %d weights, %d training candidates" % (round_no, len(names), int(train.sum())))
        write_model(model_path, beta, names, index, None)

    possible = choose_possible(rows, records, p, y)
    report(rows, records, p, y, THRESHOLD)
    if possible < THRESHOLD:
        report(rows, records, p, y, possible)
    write_model(a.out, beta, names, index, possible)
    print("wrote", os.path.relpath(a.out, ROOT), "(%d weights, %d training candidates, possible from %.2f)"
          % (len(names), int(train.sum()), possible))


if __name__ == "__main__":
    main()
