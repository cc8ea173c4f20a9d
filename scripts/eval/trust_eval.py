#!/usr/bin/env python3
"""Evaluate Vouch's trust module on Bitcoin OTC (python3 standard library only).

Reads ../shared/data/trust in place (never copies it) and calls the vouch binary:

  1. Rating prediction: ratings scaled to [-1, 1], 10% of edges held out at random, --draws draws with fixed
     seeds 0..draws-1. RMSE (mean over draws) and Pearson correlation pooled over all held-out edges, for
     `vouch trust predict` (--method model), Fairness x Goodness (--method fxg) and the mean rating (--method mean).
     The binary only ever sees the training ratings and the rater,ratee pairs of the held-out edges.
  2. Fraud: ROC AUC and precision at 50 of rankings by reputation signals on bitcoinotc_gt.csv. The labels were
     derived from ratings the users received, so every labelled user is scored on a graph from which ALL the
     ratings they received were removed (labelled users in 10 folds; one `vouch trust reputation` run per fold).
     What is left to score them by is their behaviour as raters (fairness) and how trusted raters rated ... nobody:
     their goodness/reputation is then uninformative by construction. Simple rater-side baselines (ratings given,
     mean rating given, share positive, rater age) are scored on the same folds. The same scores on the full graph
     (labels leaked) are printed beside, marked as such, for comparison only. With --synth-world DIR (a `vouch
     synth` world: its rating-ring members are the fraudulent) or --fraud-ratings/--fraud-labels, only this
     evaluation runs, on that other signed network, with the same protocol and settings.
  3. Sybil ring: 1,000 fake accounts created after the last rating rate each other +10 (every ordered pair) and an
     honest victim -10. Rank percentiles (share of people ranked strictly below, ties at mid-rank; 1.0 = top) of
     the ring and of the victim before and after, under Vouch's reputation and plain Fairness x Goodness goodness.
     The victim is chosen by a fixed rule: the good-labelled user with the median number of received ratings.

Usage: python3 scripts/eval/trust_eval.py [--vouch build/release/vouch] [--data ../shared/data/trust]
                                          [--draws 10] [--threads 2] [--skip-sybil] [--skip-fraud] [--skip-predict]
       python3 scripts/eval/trust_eval.py --synth-world WORLD | --fraud-ratings R.csv --fraud-labels L.csv
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_ratings(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            a, b, r, t = line.split(",")[:4]
            try:
                rows.append((a, b, float(r), t))
            except ValueError:  # a header line
                continue
    return rows


def write_ratings(path, rows):
    with open(path, "w") as f:
        for a, b, r, t in rows:
            f.write(f"{a},{b},{r:g},{t}\n")


def run(cmd):
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return time.time() - t0


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx > 0 and sy > 0 else 0.0


def auc(scores_pos, scores_neg):
    """P(a positive scores lower than a negative): positives are fraudsters, low score = suspicious."""
    allv = sorted([(s, 1) for s in scores_pos] + [(s, 0) for s in scores_neg])
    # mid-ranks for ties
    ranks = [0.0] * len(allv)
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    rank_sum_pos = sum(r for r, (_, lab) in zip(ranks, allv) if lab == 1)
    npos, nneg = len(scores_pos), len(scores_neg)
    u = rank_sum_pos - npos * (npos + 1) / 2  # positives ranked above negatives
    return 1.0 - u / (npos * nneg)


def precision_at(scored, k):
    """scored: [(score, is_fraud)]; the k lowest scores; ties broken by a fixed shuffle so equal scores are not
    ordered by label."""
    rng = random.Random(12345)
    items = list(scored)
    rng.shuffle(items)
    items.sort(key=lambda x: x[0])
    top = items[:k]
    return sum(1 for _, f in top if f) / len(top)


def read_reputation(path):
    out = {}
    with open(path) as f:
        header = f.readline().strip().split(",")
        for line in f:
            parts = line.strip().split(",")
            out[parts[0]] = {h: float(v) for h, v in zip(header[1:], parts[1:])}
    return out


def percentile(values, x):
    below = sum(1 for v in values if v < x)
    equal = sum(1 for v in values if v == x)
    return (below + 0.5 * max(0, equal - 1)) / max(1, len(values) - 1)


def evaluate_prediction(args, rows, tmp):
    results = {m: {"rmse": [], "pred": [], "truth": [], "seconds": []} for m in ("model", "fxg", "mean")}
    for draw in range(args.draws):
        rng = random.Random(draw)
        idx = list(range(len(rows)))
        rng.shuffle(idx)
        k = len(rows) // 10
        test = [rows[i] for i in idx[:k]]
        train = [rows[i] for i in idx[k:]]
        train_path = os.path.join(tmp, "train.csv")
        test_path = os.path.join(tmp, "pairs.csv")
        write_ratings(train_path, train)
        with open(test_path, "w") as f:
            for a, b, _, _ in test:
                f.write(f"{a},{b}\n")
        truth = [r / 10.0 for _, _, r, _ in test]
        for method in results:
            out = os.path.join(tmp, f"pred_{method}.csv")
            secs = run([args.vouch, "trust", "predict", "--train", train_path, "--test", test_path, "--output", out,
                        "--scale", "-10:10", "--method", method, "--threads", str(args.threads), "--quiet"])
            with open(out) as f:
                lines = [l.strip().split(",") for l in f if l.strip()]
            assert len(lines) == len(test), f"{method}: {len(lines)} predictions for {len(test)} pairs"
            for (a, b, _, _), (pa, pb, _) in zip(test, lines):
                assert (a, b) == (pa, pb), "predictions out of order"
            pred = [float(l[2]) / 10.0 for l in lines]
            res = results[method]
            res["rmse"].append(math.sqrt(sum((p - t) ** 2 for p, t in zip(pred, truth)) / len(truth)))
            res["pred"] += pred
            res["truth"] += truth
            res["seconds"].append(secs)
        print(f"  draw {draw}: " + ", ".join(f"{m} RMSE {results[m]['rmse'][-1]:.4f}" for m in results), flush=True)
    print(f"\nRating prediction, Bitcoin OTC, [-1, 1], 10% held out, {args.draws} draws")
    print(f"{'method':<28} {'RMSE (mean ± sd)':>20} {'pooled Pearson':>15} {'s/run':>7}")
    names = {"model": "vouch trust predict (model)", "fxg": "Fairness x Goodness", "mean": "mean rating"}
    for m, res in results.items():
        r = res["rmse"]
        mean = sum(r) / len(r)
        sd = math.sqrt(sum((x - mean) ** 2 for x in r) / max(1, len(r) - 1))
        print(f"{names[m]:<28} {mean:>11.4f} ± {sd:.4f} {pearson(res['pred'], res['truth']):>15.4f} "
              f"{sum(res['seconds']) / len(res['seconds']):>7.2f}")


def read_labels(path):
    """user,label lines; label < 0 (or "fraud"/"1" in a column named is_fraud) = fraudulent."""
    labels = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            u, l = line.split(",")[:2]
            labels[u] = int(l) < 0
    return labels


def rater_baselines(rows, users):
    """Simple rater-side scores from the ratings a user GAVE (never those received), low = suspicious:
    number of ratings given, mean rating given, minus the share of negative ratings given, and account age as a
    rater (minus the time of the first rating given: older accounts score higher)."""
    given = {}
    for rater, _, value, t in rows:
        given.setdefault(rater, []).append((value, t))
    out = {}
    for u in users:
        g = given.get(u)
        if not g:
            out[u] = None
            continue
        out[u] = {
            "count given": float(len(g)),
            "mean given": sum(v for v, _ in g) / len(g),
            "positive share": sum(1 for v, _ in g if v > 0) / len(g),
            "rater age": -min(float(t) for _, t in g),
        }
    return out


BASELINES = ["count given", "mean given", "positive share", "rater age"]


def fraud_scores(args, rows, labels, tmp, tag):
    """Blind (leak-free) and leaky scores of every labelled user, from `vouch trust reputation`."""
    users = sorted(labels)
    rng = random.Random(7)
    rng.shuffle(users)
    folds = [users[i::10] for i in range(10)]
    blind = {}
    for fold in folds:
        held = set(fold)
        kept = [r for r in rows if r[1] not in held]  # drop every rating the fold's users received
        path = os.path.join(tmp, f"{tag}_fraud_train.csv")
        out = os.path.join(tmp, f"{tag}_fraud_rep.csv")
        write_ratings(path, kept)
        run([args.vouch, "trust", "reputation", "--ratings", path, "--output", out, "--scale", "-10:10",
             "--threads", str(args.threads), "--quiet"])
        rep = read_reputation(out)
        base = rater_baselines(kept, fold)
        for u in fold:
            blind[u] = rep.get(u)  # None: the user rated nobody either, nothing is left to score them by
            if blind[u] is not None and base[u] is not None:
                blind[u].update(base[u])
    path = os.path.join(tmp, f"{tag}_all.csv")
    out = os.path.join(tmp, f"{tag}_all_rep.csv")
    write_ratings(path, rows)
    run([args.vouch, "trust", "reputation", "--ratings", path, "--output", out, "--scale", "-10:10",
         "--threads", str(args.threads), "--quiet"])
    leaky = read_reputation(out)
    base = rater_baselines(rows, users)
    for u in users:
        if leaky.get(u) is not None and base[u] is not None:
            leaky[u].update(base[u])
    return users, blind, leaky


def print_fraud_table(title, users, labels, blind, leaky, signals):
    n_f = sum(1 for u in users if labels[u])
    print(f"\n{title}: {len(users)} labelled ({n_f} fraudulent); low score = suspicious; P@50 base rate "
          f"{n_f / len(users):.3f}")
    print(f"{'signal':<16} {'AUC (blind)':>12} {'P@50 (blind)':>13} {'AUC (leaky)':>12} {'P@50 (leaky)':>13} "
          f"{'AUC (blind, raters)':>18}")
    for s in signals:
        row = []
        for table in (blind, leaky):
            # A labelled user with nothing left to score them by (they rated nobody, and their received ratings
            # are removed) gets the median of the scored users: no evidence, the typical value.
            def has(u):
                return (table.get(u) is not None and s in table[u]
                        and (table is leaky or table[u]["ratings_given"] > 0))
            known = sorted(table[u][s] for u in users if has(u))
            neutral = known[len(known) // 2] if known else 0.0
            scored = [(table[u][s] if has(u) else neutral, labels[u]) for u in users]
            pos = [x for x, f in scored if f]
            neg = [x for x, f in scored if not f]
            row += [auc(pos, neg), precision_at(scored, 50)]
        raters = [u for u in users if blind[u] is not None and blind[u]["ratings_given"] > 0]
        pos = [blind[u][s] for u in raters if labels[u]]
        neg = [blind[u][s] for u in raters if not labels[u]]
        row.append(auc(pos, neg) if pos and neg else float("nan"))
        print(f"{s:<16} {row[0]:>12.4f} {row[1]:>13.4f} {row[2]:>12.4f} {row[3]:>13.4f} {row[4]:>18.4f}")
    missing = sum(1 for u in users if blind[u] is None or blind[u]["ratings_given"] == 0)
    print(f"({missing} labelled users rated nobody: when blind, nothing is left to score them by, so they get the "
          f"median of the others; the last column leaves them out)")


SIGNALS = ["fairness", "fxg_fairness", "reputation", "goodness", "trust"] + BASELINES


def evaluate_fraud(args, rows, tmp):
    labels = read_labels(os.path.join(args.data, "bitcoinotc_gt.csv"))
    users, blind, leaky = fraud_scores(args, rows, labels, tmp, "otc")
    print_fraud_table("Fraud ranking, bitcoinotc_gt.csv", users, labels, blind, leaky, SIGNALS)


def synth_world_labels(world, tmp, good_count=200):
    """Labels for a `vouch synth` world: the members of its planted rating rings are fraudulent; good_count
    people drawn at random (fixed seed) among the honest ones (trustworthiness >= 0.3, in no ring) who gave or
    received a rating are good. Returns the labels file's path."""
    ring = set()
    with open(os.path.join(world, "truth", "rating_rings.csv")) as f:
        next(f)
        for line in f:
            parts = line.strip().split(",")
            if len(parts) >= 3 and parts[1] == "x":
                ring.add(parts[2])
    honest = set()
    with open(os.path.join(world, "truth", "people.csv")) as f:
        header = next(f).strip().split(",")
        col = {h: i for i, h in enumerate(header)}
        for line in f:
            parts = line.strip().split(",")
            if parts[col["platform"]] == "x" and float(parts[col["trustworthiness"]]) >= 0.3:
                honest.add(parts[col["handle"]])
    rated = set()
    for a, b, _, _ in read_ratings(os.path.join(world, "ratings.csv")):
        rated.add(a)
        rated.add(b)
    good = sorted((honest & rated) - ring)
    random.Random(11).shuffle(good)
    path = os.path.join(tmp, "synth_labels.csv")
    with open(path, "w") as f:
        for u in sorted(ring & rated):
            f.write(f"{u},-1\n")
        for u in good[:good_count]:
            f.write(f"{u},+1\n")
    return path


def evaluate_fraud_elsewhere(args, tmp):
    """The same protocol, signals and settings on another signed network with its own labels (no re-tuning)."""
    if args.synth_world:
        args.fraud_ratings = os.path.join(args.synth_world, "ratings.csv")
        args.fraud_labels = synth_world_labels(args.synth_world, tmp)
    rows = read_ratings(args.fraud_ratings)
    labels = read_labels(args.fraud_labels)
    users, blind, leaky = fraud_scores(args, rows, labels, tmp, "other")
    print_fraud_table(f"Fraud ranking, {os.path.basename(args.fraud_labels)} on "
                      f"{os.path.basename(args.fraud_ratings)} ({len(rows)} ratings)", users, labels, blind, leaky,
                      SIGNALS)


def evaluate_sybil(args, rows, tmp):
    labels = {}
    with open(os.path.join(args.data, "bitcoinotc_gt.csv")) as f:
        for line in f:
            if line.strip():
                u, l = line.strip().split(",")
                labels[u] = int(l)
    received = {}
    for _, b, _, _ in rows:
        received[b] = received.get(b, 0) + 1
    good = sorted((received.get(u, 0), u) for u, l in labels.items() if l > 0 and received.get(u, 0) > 0)
    victim = good[len(good) // 2][1]
    last = max(float(t) for _, _, _, t in rows)
    ring = [f"sybil{i}" for i in range(1000)]
    attack = []
    t = last + 1
    for a in ring:
        for b in ring:
            if a != b:
                attack.append((a, b, 10.0, f"{t:.0f}"))
        attack.append((a, victim, -10.0, f"{t:.0f}"))
    before_path = os.path.join(tmp, "sybil_before.csv")
    after_path = os.path.join(tmp, "sybil_after.csv")
    write_ratings(before_path, rows)
    write_ratings(after_path, rows + attack)
    rep_before = os.path.join(tmp, "rep_before.csv")
    rep_after = os.path.join(tmp, "rep_after.csv")
    run([args.vouch, "trust", "reputation", "--ratings", before_path, "--output", rep_before, "--scale", "-10:10",
         "--threads", str(args.threads), "--quiet"])
    secs = run([args.vouch, "trust", "reputation", "--ratings", after_path, "--output", rep_after, "--scale",
                "-10:10", "--threads", str(args.threads), "--quiet"])
    before, after = read_reputation(rep_before), read_reputation(rep_after)
    print(f"\nSybil ring: 1,000 accounts, {len(attack):,} ratings (+10 among themselves, -10 on victim {victim} "
          f"who has {received[victim]} ratings received); {secs:.1f} s with the ring")
    print("rank percentile (1.0 = top, share of people ranked below; ties at mid-rank)")
    print(f"{'score':<22} {'victim before':>14} {'victim after':>13} {'ring median after':>18} "
          f"{'ring > honest':>14}")
    for s, name in (("reputation", "vouch reputation"), ("goodness", "Fairness x Goodness")):
        vb = [r[s] for r in before.values()]
        va = [r[s] for r in after.values()]
        ring_p = sorted(percentile(va, after[u][s]) for u in ring)
        honest_after = [after[u][s] for u in after if not u.startswith("sybil")]
        ring_score = sorted(after[u][s] for u in ring)[len(ring) // 2]
        above = sum(1 for x in honest_after if x < ring_score) / len(honest_after)
        print(f"{name:<22} {percentile(vb, before[victim][s]):>14.4f} {percentile(va, after[victim][s]):>13.4f} "
              f"{ring_p[len(ring_p) // 2]:>18.4f} {above:>14.4f}")
    print("(ring > honest: share of honest people whose score is strictly below the ring's median score)")
    print(f"victim's reputation {before[victim]['reputation']:.4f} -> {after[victim]['reputation']:.4f}; "
          f"goodness {before[victim]['goodness']:.4f} -> {after[victim]['goodness']:.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vouch", default=os.path.join(ROOT, "build", "release", "vouch"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "trust"))
    ap.add_argument("--draws", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-predict", action="store_true")
    ap.add_argument("--skip-fraud", action="store_true")
    ap.add_argument("--skip-sybil", action="store_true")
    ap.add_argument("--fraud-ratings", help="another signed network, rater,ratee,rating,time on -10..10")
    ap.add_argument("--fraud-labels", help="its labels: user,+1 (good) or user,-1 (fraudulent)")
    ap.add_argument("--synth-world", help="a `vouch synth` world: its ratings, rating-ring members as fraudulent")
    args = ap.parse_args()
    if (args.fraud_ratings and args.fraud_labels) or args.synth_world:
        with tempfile.TemporaryDirectory() as tmp:
            evaluate_fraud_elsewhere(args, tmp)
        return
    rows = read_ratings(os.path.join(args.data, "soc-sign-bitcoinotc.csv"))
    print(f"{len(rows)} ratings from {args.data}; binary {args.vouch}")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_predict:
            evaluate_prediction(args, rows, tmp)
        if not args.skip_fraud:
            evaluate_fraud(args, rows, tmp)
        if not args.skip_sybil:
            evaluate_sybil(args, rows, tmp)


if __name__ == "__main__":
    main()
