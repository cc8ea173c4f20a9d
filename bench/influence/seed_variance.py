"""Is a spread gap between Vouch and a peer the noise of one selection run, or a real shortfall?

Runs each tool N times on one graph and setting (Vouch with --seed 1..N; the peers seed themselves from the clock,
so their runs are a second apart), judges every seed set with the same 10,000-run Monte Carlo (same judge seed:
common random numbers) and prints each tool's spreads, their mean and standard deviation, and the judge's own 95%
half-width. Needs the work folder of a run.sh run on the same graph (the peers' formatted inputs). One command:

  python3 bench/influence/seed_variance.py --graph enron --setting ic-wc:50:0.1 --runs 5
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import MODELS, measured  # noqa: E402

GRAPHS = {"enron": ("email_Enron", False), "epinions": ("soc_Epinions1_undirected", True)}


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--graph", default="enron", choices=sorted(GRAPHS))
    ap.add_argument("--setting", default="ic-wc:50:0.1")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--judge-runs", type=int, default=10000)
    ap.add_argument("--subsim", default=os.environ.get("SUBSIM", "/work/peers/subsim/subsim"))
    ap.add_argument("--opim", default=os.environ.get("OPIM", "/work/peers/opim/OPIM1.1/opim"))
    a = ap.parse_args()
    vouch = os.path.join(root, "build", "release", "vouch")
    work = os.path.join(root, "build", "bench-influence", "work")
    base, undirected = GRAPHS[a.graph]
    text = os.path.join(work, base + ".txt")
    pdir = os.path.join(work, "peers_" + base)
    if not os.path.exists(os.path.join(pdir, base + ".ids")):
        sys.exit(f"run bench/influence/run.sh --graphs {a.graph} first (it prepares {pdir})")
    ids = open(os.path.join(pdir, base + ".ids")).read().split()
    und = ["--undirected"] if undirected else []
    mkey, k, eps = a.setting.split(":")
    _, vmodel, vweights, subsim_flags, opim_flags, _ = MODELS[mkey]
    out_dir = os.path.join(work, "variance")
    os.makedirs(out_dir, exist_ok=True)
    # SUBSIM writes the edge probabilities into its formatted graph: format into a folder of our own, so that a
    # run.sh running beside us (another model in the same work folder) is not disturbed.
    sdir = os.path.join(pdir, "subsim_variance")
    os.makedirs(sdir, exist_ok=True)
    if not os.path.exists(os.path.join(sdir, base)):
        os.symlink(os.path.join(pdir, base), os.path.join(sdir, base))
    if subsim_flags is not None and os.access(a.subsim, os.X_OK):
        measured([a.subsim, "-func=format", f"-gname={base}", f"-dir={sdir}"] + subsim_flags)
    sets = {"vouch": [], "subsim": [], "opim": []}
    for i in range(1, a.runs + 1):
        f = os.path.join(out_dir, f"{base}.{a.setting}.vouch.{i}")
        measured([vouch, "advocates", "--graph", text] + und + ["--k", k, "--model", vmodel, "--weights", vweights,
                  "--epsilon", eps, "--threads", "2", "--seed", str(i), "--output", f, "--json"])
        sets["vouch"].append(f)
        if subsim_flags is not None and os.access(a.subsim, os.X_OK):
            time.sleep(1.1)  # its random seed is the clock's second
            measured([a.subsim, "-func=im", f"-gname={base}", f"-dir={sdir}", f"-seedsize={k}",
                      f"-eps={eps}", f"-outpath={os.path.join(sdir, 'res')}"])
            seed_dir = os.path.join(sdir, "res", "seed")
            newest = max((os.path.join(seed_dir, x) for x in os.listdir(seed_dir) if f"_k{k}_" in x),
                         key=os.path.getmtime)
            f = os.path.join(out_dir, f"{base}.{a.setting}.subsim.{i}")
            open(f, "w").write("\n".join(ids[int(x)] for x in open(newest).read().split()) + "\n")
            sets["subsim"].append(f)
        if os.access(a.opim, os.X_OK):
            time.sleep(1.1)
            outpath = os.path.join(pdir, "res_opim_variance")
            out = measured([a.opim, "-func=1", f"-gname={base}", f"-dir={pdir}/opim", "-alg=opim-c", "-mode=2",
                            f"-seedsize={k}", f"-eps={eps}", f"-outpath={outpath}"] + opim_flags, any_exit=True)[0]
            name = re.search(r"---The End of (\S+)---", out).group(1)
            f = os.path.join(out_dir, f"{base}.{a.setting}.opim.{i}")
            open(f, "w").write("\n".join(ids[int(x)] for x in
                                         open(os.path.join(outpath, "seed", "seed_" + name)).read().split()) + "\n")
            sets["opim"].append(f)
    result = {}
    for tool, files in sets.items():
        if not files:
            continue
        spreads, halves = [], []
        for f in files:
            out = measured([vouch, "simulate", "spread", "--graph", text] + und +
                           ["--seeds", f, "--runs", str(a.judge_runs), "--model", vmodel, "--weights", vweights,
                            "--threads", "2", "--seed", "12345", "--json"])[0]
            s = json.loads(out)["spread"]
            spreads.append(s["mean"])
            halves.append((s["high"] - s["low"]) / 2)
        result[tool] = dict(spreads=spreads, mean=statistics.mean(spreads),
                            sd=statistics.stdev(spreads) if len(spreads) > 1 else 0.0,
                            judge_half_width=statistics.mean(halves))
        print(f"{tool}: spreads {', '.join(f'{x:.0f}' for x in spreads)}; mean {result[tool]['mean']:.0f}, "
              f"sd {result[tool]['sd']:.0f}; judge 95% half-width {result[tool]['judge_half_width']:.1f}")
    with open(os.path.join(out_dir, f"{base}.{a.setting}.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
