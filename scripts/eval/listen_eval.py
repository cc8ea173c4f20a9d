#!/usr/bin/env python3
"""Measures `vouch classify` on the listen evaluation sets in ../shared/data/listen (read in place; the only
copies are transient files in a temporary directory, because `vouch classify` reads JSON Lines).

  scripts/eval/listen_eval.py [--vouch build/release/vouch] [--data ../shared/data/listen] [--folds 5] [--skip-cv]

(a) wom_acts_dev.jsonl, zero-shot: act macro-F1 and sentiment accuracy (rows with a sentiment label).
(b) airline_tweets.csv, zero-shot: three-class sentiment accuracy and macro-F1; then k-fold cross-validated
    accuracy of `vouch listen train` models (sentiment labels of the training folds only).
Baselines printed beside each figure: always-majority for each task.
"""
import argparse
import collections
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def macro_f1(gold, pred, labels):
    f1s = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s), dict(zip(labels, f1s))


def accuracy(gold, pred):
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold)


def classify(vouch, posts_file, out_file, model=None):
    cmd = [vouch, "classify", "--input", posts_file, "--output", out_file]
    if model:
        cmd += ["--model", model]
    subprocess.run(cmd, check=True)
    with open(out_file) as f:
        return [json.loads(line) for line in f]


def confusion(gold, pred, labels):
    rows = ["gold\\pred " + " ".join(f"{l[:8]:>8}" for l in labels)]
    for g in labels:
        rows.append(f"{g[:9]:>9} " + " ".join(f"{sum(1 for a, b in zip(gold, pred) if a == g and b == p):>8}"
                                               for p in labels))
    return "\n".join(rows)


def wom_scores(rows, out, name, verbose):
    acts = ["endorse", "complain", "share", "ask", "other"]
    gold = [r["act"] for r in rows]
    pred = [o["act"] for o in out]
    f1, per = macro_f1(gold, pred, acts)
    majority = collections.Counter(gold).most_common(1)[0][0]
    base_f1, _ = macro_f1(gold, [majority] * len(gold), acts)
    print(f"{name} act macro-F1 {f1:.3f}  (always-{majority}: {base_f1:.3f}); accuracy "
          f"{accuracy(gold, pred):.3f}; n={len(gold)}")
    print("  per act F1: " + ", ".join(f"{a} {per[a]:.3f}" for a in acts))
    if verbose:
        print(confusion(gold, pred, acts))
    sent = [(r["sentiment"], o["sentiment"]) for r, o in zip(rows, out) if r["sentiment"] is not None]
    sg = [g for g, _ in sent]
    sp = [p for _, p in sent]
    smaj = collections.Counter(sg).most_common(1)[0][0]
    sf1, _ = macro_f1(sg, sp, ["pos", "neg", "neu"])
    print(f"{name} sentiment accuracy {accuracy(sg, sp):.3f} (always-{smaj}: "
          f"{accuracy(sg, [smaj] * len(sg)):.3f}); macro-F1 {sf1:.3f}; n={len(sg)}")
    if verbose:
        print(confusion(sg, sp, ["pos", "neg", "neu"]))


def wom(args, tmp):
    path = os.path.join(args.data, "wom_acts_dev.jsonl")
    with open(path) as f:
        rows = [json.loads(line) for line in f]
    out = classify(args.vouch, path, os.path.join(tmp, "wom_out.jsonl"), args.model)
    assert [o["id"] for o in out] == [r["id"] for r in rows], "output ids out of order"
    wom_scores(rows, out, "wom_acts_dev zero-shot" if not args.model else "wom_acts_dev with model", args.verbose)
    # Held-out discipline: cue weights are tuned while watching the "tune" half (even line numbers) only; the
    # "held" half (odd line numbers) measures what the tuning did to posts it was not watched on.
    for name, parity in (("tune", 0), ("held", 1)):
        idx = [i for i in range(len(rows)) if i % 2 == parity]
        wom_scores([rows[i] for i in idx], [out[i] for i in idx], f"  {name} half", args.verbose and args.halves)


AIRLINE_LABELS = {"positive": "pos", "negative": "neg", "neutral": "neu"}


def airline(args, tmp):
    path = os.path.join(args.data, "airline_tweets.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = [(str(i), r["text"], AIRLINE_LABELS[r["airline_sentiment"]]) for i, r in enumerate(csv.DictReader(f))]
    posts = os.path.join(tmp, "airline.jsonl")
    with open(posts, "w") as f:
        for pid, text, _ in rows:
            f.write(json.dumps({"id": pid, "text": text}) + "\n")
    start = time.time()
    out = classify(args.vouch, posts, os.path.join(tmp, "airline_out.jsonl"))
    gold = [g for _, _, g in rows]
    pred = [o["sentiment"] for o in out]
    labels = ["pos", "neg", "neu"]
    f1, per = macro_f1(gold, pred, labels)
    print(f"airline_tweets zero-shot accuracy {accuracy(gold, pred):.3f} macro-F1 {f1:.3f} "
          f"(always-negative: accuracy {accuracy(gold, ['neg'] * len(gold)):.3f}, macro-F1 "
          f"{macro_f1(gold, ['neg'] * len(gold), labels)[0]:.3f}); n={len(gold)}; {time.time() - start:.1f}s")
    print("  per class F1: " + ", ".join(f"{l} {per[l]:.3f}" for l in labels))
    if args.verbose:
        print(confusion(gold, pred, labels))
    if args.skip_cv:
        return
    order = list(range(len(rows)))
    random.Random(20150224).shuffle(order)
    folds = [order[k::args.folds] for k in range(args.folds)]
    accs, f1s = [], []
    for k, test in enumerate(folds):
        test_set = set(test)
        train_file = os.path.join(tmp, f"train{k}.jsonl")
        test_file = os.path.join(tmp, f"test{k}.jsonl")
        with open(train_file, "w") as f:
            for i in order:
                if i not in test_set:
                    f.write(json.dumps({"id": rows[i][0], "text": rows[i][1], "sentiment": rows[i][2]}) + "\n")
        with open(test_file, "w") as f:
            for i in test:
                f.write(json.dumps({"id": rows[i][0], "text": rows[i][1]}) + "\n")
        model = os.path.join(tmp, f"model{k}.txt")
        subprocess.run([args.vouch, "listen", "train", "--labels", train_file, "--output", model] + args.train_args,
                       check=True, stderr=subprocess.DEVNULL)
        out = classify(args.vouch, test_file, os.path.join(tmp, f"out{k}.jsonl"), model)
        g = [rows[i][2] for i in test]
        p = [o["sentiment"] for o in out]
        accs.append(accuracy(g, p))
        f1s.append(macro_f1(g, p, labels)[0])
    print(f"airline_tweets trained ({args.folds}-fold CV) accuracy {sum(accs) / len(accs):.3f} "
          f"(folds {', '.join(f'{a:.3f}' for a in accs)}); macro-F1 {sum(f1s) / len(f1s):.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vouch", default=os.path.join(ROOT, "build", "release", "vouch"))
    # The shared data sits beside the checkout (../shared), or beside the worktrees' parent (../../shared).
    default_data = next((d for d in (os.path.join(ROOT, "..", "shared", "data", "listen"),
                                     os.path.join(ROOT, "..", "..", "shared", "data", "listen")) if os.path.isdir(d)),
                        os.path.join(ROOT, "..", "shared", "data", "listen"))
    ap.add_argument("--data", default=default_data)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--skip-cv", action="store_true")
    ap.add_argument("--only", choices=["wom", "airline"])
    ap.add_argument("--train-args", default="", help="extra flags for `vouch listen train`")
    ap.add_argument("--model", default=None, help="classify with this model (wom only; default zero-shot)")
    ap.add_argument("--halves", action="store_true", help="confusion matrices of the tune/held halves too")
    ap.add_argument("-v", "--verbose", action="store_true", help="confusion matrices")
    args = ap.parse_args()
    args.train_args = args.train_args.split()
    if not os.path.exists(args.data):
        sys.exit(f"listen_eval: no data at {args.data}")
    with tempfile.TemporaryDirectory(prefix="vouch-listen-eval-") as tmp:
        if args.only in (None, "wom"):
            wom(args, tmp)
        if args.only in (None, "airline"):
            airline(args, tmp)


if __name__ == "__main__":
    main()
