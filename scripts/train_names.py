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
4. Reports, per corpus, precision and recall of candidates and recall of gold name spans on the
   held-back part at the detector's reporting threshold (0.5), and writes the model trained on
   the training part.

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


def candidates(records):
    """Runs the feature exporter over every record; returns {key: [candidate]}."""
    feed = "".join(json.dumps({"id": r["key"], "text": r["text"]}) + "\n" for r in records)
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "name-features"]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.path.join(ROOT, "..", "shared", "eval", "dev"))
    ap.add_argument("--out", default=os.path.join(ROOT, "rules", "models", "person-name.toml"))
    a = ap.parse_args()

    records = load(a.eval_dir)
    found = candidates(records)
    rows = []  # (record, candidate char span, features, label)
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

    # Each corpus's training candidates share its part of the total weight.
    total = train.sum()
    shares = sum(v[1] for v in CORPORA.values())
    w = np.zeros(len(rows))
    for corpus, (_, share, _) in CORPORA.items():
        mask = train & np.array([r["corpus"] == corpus for r, _, _, _ in rows])
        if mask.sum():
            w[mask] = share / shares * total / mask.sum()
    beta = fit(X[train], y[train], w[train], reg)

    p = 1.0 / (1.0 + np.exp(-(X @ beta)))
    print("held-back records (1 in 5), candidates at p >= %.2f:" % THRESHOLD)
    print("%-28s %-6s %9s %9s %9s %9s %9s" % ("corpus", "case", "cand P", "cand R", "gold R", "covered", "n gold"))
    for corpus in CORPORA:
        for case in CASINGS:
            sel = [k for k, (r, _, _, _) in enumerate(rows) if r["held"] and r["corpus"] == corpus and r["case"] == case]
            recs = [r for r in records if r["held"] and r["corpus"] == corpus and r["case"] == case]
            if not recs:
                continue
            kept = [k for k in sel if p[k] >= THRESHOLD]
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
            print("%-28s %-6s %9.3f %9.3f %9.3f %9.3f %9d" % (
                corpus, case, tp / len(kept) if kept else 0.0, tp / pos if pos else 0.0,
                hit / n_gold if n_gold else 0.0, cover / n_gold if n_gold else 0.0, n_gold))

    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# The person-name model: weights of the name detector's features (src/engine/names.rs).\n")
        f.write("# Generated by scripts/train_names.py from the labelled corpora it names; do not edit.\n")
        f.write("# A feature `x@upper` / `x@lower` adds to `x` in blocks written in capitals / lower case;\n")
        f.write("# `x&y` is the weight of two features together.\n")
        f.write("bias = %.4f\n\n[weights]\n" % beta[0])
        for n in names:
            v = beta[index[n]]
            if abs(v) >= 5e-3:
                f.write('"%s" = %.4f\n' % (n, v))
    print("wrote", os.path.relpath(a.out, ROOT), "(%d weights, %d training candidates)" % (len(names), int(train.sum())))


if __name__ == "__main__":
    main()
