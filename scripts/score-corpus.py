#!/usr/bin/env python3
"""Score phiscan against the ground truth written by gen_corpus.py: recall per planted type.

Usage:
    python3 scripts/score-corpus.py CORPUS TRUTH [--bin PATH] [-j N] [--findings FILE]
                                    [--min-recall R] [--examples K]

Runs `phiscan scan --format json -j N .` inside CORPUS (so finding paths are relative to it),
or reads an existing report with --findings FILE (JSON or JSONL; "-" for stdin). The binary is
--bin, else $PHISCAN_BIN, else target/release/phiscan next to this script's repo.

A planted item counts as found when some finding on the same path overlaps its byte range
[start, end) ("any"), and as typed when such a finding also has a matching category ("typed";
card may be reported as account/other-id, npi as license/other-id, phone as fax, zip or
address as location). Findings that overlap no planted item are listed per category as
"unplanted": the generator's filler holds no PHI, only decoys (ages under 90, room numbers,
times, amounts, ICD codes, visit ids), so they are likely false positives, with a few examples.

Exit status: 0, or 1 when --min-recall is given and the overall "any" recall is below it,
2 on errors. Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
from collections import defaultdict

ACCEPT = {  # truth type -> phiscan categories that count as a typed match
    "phone": {"phone", "fax"},
    "card": {"card", "account", "other-id"},
    "npi": {"npi", "license", "other-id", "account"},
    "zip": {"zip", "location", "address"},
    "address": {"address", "location"},
    "mrn": {"mrn", "other-id"},
}


def load_findings(text: str) -> list[dict]:
    """Findings from a JSON report (list, or object holding a list) or JSON Lines."""
    def from_obj(o):
        if isinstance(o, list):
            return [x for x in o if isinstance(x, dict)]
        if isinstance(o, dict):
            if "start" in o and "end" in o:
                return [o]
            for key in ("findings", "results", "matches"):
                if isinstance(o.get(key), list):
                    return from_obj(o[key])
            for v in o.values():  # e.g. {"files": [{"path":..., "findings": [...]}]}
                if isinstance(v, list) and v and isinstance(v[0], dict):
                    out = []
                    for x in v:
                        if "start" in x:
                            out.append(x)
                        else:
                            for f in from_obj(x):
                                f.setdefault("path", x.get("path"))
                                out.append(f)
                    return out
        return []

    text = text.strip()
    if not text:
        return []
    try:
        return from_obj(json.loads(text))
    except json.JSONDecodeError:
        out = []
        for line in text.splitlines():
            line = line.strip()
            if line:
                out.extend(from_obj(json.loads(line)))
        return out


def norm_path(p: str, corpus: str) -> str:
    p = p.replace("\\", "/")
    if os.path.isabs(p):
        p = os.path.relpath(p, corpus).replace(os.sep, "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("truth")
    ap.add_argument("--bin", help="phiscan binary (default: $PHISCAN_BIN or target/release/phiscan)")
    ap.add_argument("-j", "--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--findings", help="score this report instead of running phiscan ('-' = stdin)")
    ap.add_argument("--min-recall", type=float, help="exit 1 if overall recall (any) is below this")
    ap.add_argument("--examples", type=int, default=3, help="examples per category of unplanted findings")
    a = ap.parse_args(argv)

    corpus = os.path.abspath(a.corpus)
    if a.findings:
        text = sys.stdin.read() if a.findings == "-" else open(a.findings, encoding="utf-8").read()
    else:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        binary = a.bin or os.environ.get("PHISCAN_BIN") or os.path.join(
            os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "phiscan")
        binary = os.path.abspath(binary) if os.sep in binary else binary
        cmd = [binary, "scan", "--format", "json", "-j", str(a.threads), "."]
        p = subprocess.run(cmd, cwd=corpus, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode not in (0, 1):
            sys.stderr.write(p.stderr.decode("utf-8", "replace")[-2000:])
            print(f"score-corpus: {' '.join(cmd)} exited {p.returncode}", file=sys.stderr)
            return 2
        text = p.stdout.decode("utf-8")

    findings = load_findings(text)
    by_path: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for f in findings:
        try:
            path = norm_path(str(f["path"]), corpus)
            by_path[path].append((int(f["start"]), int(f["end"]), str(f.get("category", f.get("type", "?")))))
        except (KeyError, TypeError, ValueError):
            continue
    index = {}
    for path, fs in by_path.items():
        fs.sort()
        index[path] = ([s for s, _, _ in fs], max(e - s for s, e, _ in fs), fs)

    total = defaultdict(int)
    hit_any = defaultdict(int)
    hit_typed = defaultdict(int)
    used: dict[str, set[int]] = defaultdict(set)
    missed: dict[str, list[str]] = defaultdict(list)
    with open(a.truth, encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            typ, path, s, e = t["type"], t["path"], t["start"], t["end"]
            total[typ] += 1
            ok_any = ok_typed = False
            if path in index:
                starts, maxlen, fs = index[path]
                i = bisect.bisect_left(starts, e) - 1
                while i >= 0 and starts[i] >= s - maxlen:
                    fs_, fe, cat = fs[i]
                    if fe > s:
                        ok_any = True
                        used[path].add(i)
                        if cat == typ or cat in ACCEPT.get(typ, ()):
                            ok_typed = True
                    i -= 1
            hit_any[typ] += ok_any
            hit_typed[typ] += ok_typed
            if not ok_any and len(missed[typ]) < a.examples:
                missed[typ].append(f"{path}@{s}: {t.get('value', '')!r}")

    n_truth = sum(total.values())
    if not n_truth:
        print("score-corpus: the truth file is empty", file=sys.stderr)
        return 2
    print(f"findings {len(findings)} in {len(by_path)} files; planted items {n_truth}\n")
    print(f"{'type':<12} {'planted':>8} {'found':>8} {'recall':>8} {'typed':>8}")
    for typ in sorted(total, key=lambda k: -total[k]):
        n = total[typ]
        print(f"{typ:<12} {n:>8} {hit_any[typ]:>8} {hit_any[typ] / n:>8.1%} {hit_typed[typ] / n:>8.1%}")
    all_any, all_typed = sum(hit_any.values()), sum(hit_typed.values())
    print(f"{'all':<12} {n_truth:>8} {all_any:>8} {all_any / n_truth:>8.1%} {all_typed / n_truth:>8.1%}")

    if any(missed.values()):
        print("\nmissed (examples):")
        for typ in sorted(missed):
            for m in missed[typ]:
                print(f"  {typ:<11} {m}")

    extra = defaultdict(list)
    for path, (_, _, fs) in index.items():
        u = used.get(path, set())
        for i, (s, e, cat) in enumerate(fs):
            if i not in u:
                extra[cat].append((path, s, e))
    if extra:
        print("\nunplanted findings (likely false positives):")
        for cat in sorted(extra, key=lambda c: -len(extra[c])):
            ex = []
            for path, s, e in extra[cat][: a.examples]:
                try:
                    with open(os.path.join(corpus, path), "rb") as fh:
                        fh.seek(s)
                        ex.append(fh.read(min(e - s, 60)).decode("utf-8", "replace"))
                except OSError:
                    pass
            print(f"  {cat:<12} {len(extra[cat]):>7}   e.g. " + " | ".join(repr(x) for x in ex))

    if a.min_recall is not None and all_any / n_truth < a.min_recall:
        print(f"\nrecall {all_any / n_truth:.3f} is below --min-recall {a.min_recall}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
