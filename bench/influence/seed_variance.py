"""Is a spread gap between Vouch and a peer the noise of one selection run, or a real shortfall?

Runs each tool N times on one graph and setting (Vouch with --seed 1..N; SUBSIM and OPIM-C seed themselves from
the clock, so their runs are a second apart; Ripples' seed is fixed in its source, so it runs once), judges every
seed set with the same 10,000-run Monte Carlo (same judge seed: common random numbers) and prints each tool's
spreads, their mean and standard deviation, and the judge's own 95% half-width. Needs the work folder of a run.sh
run on the same graph (the peers' formatted inputs). One command:

  python3 bench/influence/seed_variance.py --graph enron --setting ic-wc:50:0.1 --runs 5

With `--tools vouch,ripples` it compares against Ripples' IMM alone (its weighted input is written by
to_weighted, as run.sh writes it; an existing `ripples.GRAPH.SETTING.json` log under --out is reused, so a long
Ripples run is made once). `--min-rr-sets-x 2,4` also runs Vouch with --min-rr-sets set so that the greedy's
collection (R1) is at least those multiples of the default runs' median R1: how far more sampling closes a gap,
and at what selection time.
`--judge-seeds 12345,777` judges every set with each judge seed (the judge's own noise). The results go to
OUT/GRAPH.SETTING.json, rewritten after every judged set, so a cut-short run keeps what it has.
"""
import argparse
import json
import os
import re
import statistics
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
    ap.add_argument("--judge-seeds", default="12345", help="comma-separated seeds of the judge's Monte Carlo")
    ap.add_argument("--tools", default="vouch,subsim,opim", help="comma-separated: vouch, subsim, opim, ripples")
    ap.add_argument("--min-rr-sets-x", default="",
                    help="comma-separated multiples of the default runs' median R1 size to also run Vouch with")
    ap.add_argument("--vouch", default=os.path.join(root, "build", "release", "vouch"))
    ap.add_argument("--work", default=os.path.join(root, "build", "bench-influence", "work"),
                    help="run.sh's work folder (graph copies, caches, the peers' inputs)")
    ap.add_argument("--out", default="", help="where seed sets and results go (default WORK/variance)")
    ap.add_argument("--subsim", default=os.environ.get("SUBSIM", "/work/peers/subsim/subsim"))
    ap.add_argument("--opim", default=os.environ.get("OPIM", "/work/peers/opim/OPIM1.1/opim"))
    ap.add_argument("--ripples", default=os.environ.get("RIPPLES", "/work/peers/ripples-src/build/tools/imm"))
    ap.add_argument("--to-weighted", default=os.path.join(root, "build", "bench-influence", "to_weighted"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--render", metavar="DIR", help="print the markdown tables of every result JSON in DIR and stop")
    a = ap.parse_args()
    if a.render:
        render(a.render)
        return
    tools = a.tools.split(",")
    vouch = a.vouch
    work = a.work
    base, undirected = GRAPHS[a.graph]
    text = os.path.join(work, base + ".txt")
    pdir = os.path.join(work, "peers_" + base)
    und = ["--undirected"] if undirected else []
    mkey, k, eps = a.setting.split(":")
    _, vmodel, vweights, subsim_flags, opim_flags, ripples_model = MODELS[mkey]
    out_dir = a.out or os.path.join(work, "variance")
    os.makedirs(out_dir, exist_ok=True)
    tag = f"{base}.{mkey}.{k}.{eps}"
    judge_seeds = [int(x) for x in a.judge_seeds.split(",")]
    result_path = os.path.join(out_dir, tag + ".json")
    result = dict(graph=base, setting=a.setting, judge_runs=a.judge_runs, judge_seeds=judge_seeds,
                  threads=a.threads, vouch=vouch, sets={})
    if os.path.exists(result_path):  # a cut-short run's sets are kept, not judged again
        saved = json.load(open(result_path))
        if saved.get("judge_runs") == a.judge_runs:
            result["sets"] = saved.get("sets", {})

    def save():
        with open(result_path + ".tmp", "w") as f:
            json.dump(result, f, indent=2)
        os.replace(result_path + ".tmp", result_path)

    def judge(name, tool, seeds_file, info):
        """Judges one seed set with every judge seed (skipping those judged before) and saves the results."""
        entry = result["sets"].setdefault(name, dict(tool=tool, seeds_file=seeds_file, **info))
        entry.update(info)
        judged = entry.setdefault("judged", {})
        for js in judge_seeds:
            if str(js) in judged:
                continue
            out = measured([vouch, "simulate", "spread", "--graph", text] + und +
                           ["--seeds", seeds_file, "--runs", str(a.judge_runs), "--model", vmodel, "--weights",
                            vweights, "--threads", str(a.threads), "--seed", str(js), "--json"])[0]
            s = json.loads(out)["spread"]
            judged[str(js)] = dict(mean=s["mean"], half_width=(s["high"] - s["low"]) / 2)
            save()
        print(f"{name}: " + ", ".join(f"judge {js}: {judged[str(js)]['mean']:.1f} "
                                      f"± {judged[str(js)]['half_width']:.1f}" for js in judge_seeds) +
              "".join(f"; {key} {info[key]}" for key in ("rr_sets_r1", "rr_sets", "selection_seconds") if key in info),
              flush=True)

    def vouch_select(i, extra, label):
        f = os.path.join(out_dir, f"{tag}.{label}.{i}")
        out, _, cpu, rss = measured([vouch, "advocates", "--graph", text] + und +
                                    ["--k", k, "--model", vmodel, "--weights", vweights, "--epsilon", eps,
                                     "--threads", str(a.threads), "--seed", str(i), "--output", f, "--json"] + extra)
        rec = json.loads(out)
        smp = rec["samples"]
        info = dict(selection_seconds=rec["times"]["maximisation_seconds"], process_cpu_seconds=cpu,
                    peak_rss_mb=rss / 1e6, rr_sets=smp["rr_sets"], rr_sets_r1=smp["rr_sets_r1"],
                    rr_sets_r2=smp["rr_sets"] - smp["rr_sets_r1"], rounds=rec["rounds"], r1_ratio=smp["r1_ratio"],
                    selection_estimate=rec["spread"]["estimate"], extra=extra)
        judge(f"{label}.{i}", "vouch", f, info)
        return info

    if "vouch" in tools:
        defaults = [vouch_select(i, [], "vouch") for i in range(1, a.runs + 1)]
        # --min-rr-sets bounds R2 (the round's R1 is r1_ratio times it): x times the default runs' median R1 over
        # the ratio gives a greedy's sample (R1) of at least x times the default's.
        r1 = statistics.median(d["rr_sets_r1"] for d in defaults)
        for x in [int(v) for v in a.min_rr_sets_x.split(",") if v]:
            for i in range(1, a.runs + 1):
                vouch_select(i, ["--min-rr-sets", str(int(x * r1 / defaults[0]["r1_ratio"]))], f"vouch-min{x}x")

    if "ripples" in tools:
        log = os.path.join(out_dir, f"ripples.{tag}.json")
        if not os.path.exists(log):
            wfile = os.path.join(out_dir, f"{base}.{vweights.replace(':', '_')}.weighted.txt")
            if not os.path.exists(wfile):
                measured([a.to_weighted, text, wfile, vweights] + und)
            os.environ["OMP_NUM_THREADS"] = str(a.threads)
            measured([a.ripples, "-i", wfile, "-w", "-k", k, "-e", eps, "-d", ripples_model, "-p", "-o",
                      log + ".tmp"])
            os.replace(log + ".tmp", log)
        rec = json.load(open(log))[0]
        f = os.path.join(out_dir, f"{tag}.ripples")
        open(f, "w").write("\n".join(str(x) for x in rec["Seeds"]) + "\n")
        info = dict(selection_seconds=rec["Total"] / 1000.0)
        for key in ("NumberOfRRSets", "RRSets", "Theta"):  # whichever its log names
            if key in rec:
                info["rr_sets"] = rec[key]
        judge("ripples", "ripples", f, info)

    if ("subsim" in tools or "opim" in tools) and not os.path.exists(os.path.join(pdir, base + ".ids")):
        sys.exit(f"run bench/influence/run.sh --graphs {a.graph} first (it prepares {pdir})")
    ids = open(os.path.join(pdir, base + ".ids")).read().split() if os.path.exists(pdir) else []
    if "subsim" in tools and subsim_flags is not None and os.access(a.subsim, os.X_OK):
        # SUBSIM writes the edge probabilities into its formatted graph: format into a folder of our own, so that a
        # run.sh running beside us (another model in the same work folder) is not disturbed.
        sdir = os.path.join(pdir, "subsim_variance")
        os.makedirs(sdir, exist_ok=True)
        if not os.path.exists(os.path.join(sdir, base)):
            os.symlink(os.path.join(pdir, base), os.path.join(sdir, base))
        measured([a.subsim, "-func=format", f"-gname={base}", f"-dir={sdir}"] + subsim_flags)
        for i in range(1, a.runs + 1):
            time.sleep(1.1)  # its random seed is the clock's second
            measured([a.subsim, "-func=im", f"-gname={base}", f"-dir={sdir}", f"-seedsize={k}",
                      f"-eps={eps}", f"-outpath={os.path.join(sdir, 'res')}"])
            seed_dir = os.path.join(sdir, "res", "seed")
            newest = max((os.path.join(seed_dir, x) for x in os.listdir(seed_dir) if f"_k{k}_" in x),
                         key=os.path.getmtime)
            f = os.path.join(out_dir, f"{tag}.subsim.{i}")
            open(f, "w").write("\n".join(ids[int(x)] for x in open(newest).read().split()) + "\n")
            judge(f"subsim.{i}", "subsim", f, {})
    if "opim" in tools and os.access(a.opim, os.X_OK):
        for i in range(1, a.runs + 1):
            time.sleep(1.1)
            outpath = os.path.join(pdir, "res_opim_variance")
            out = measured([a.opim, "-func=1", f"-gname={base}", f"-dir={pdir}/opim", "-alg=opim-c", "-mode=2",
                            f"-seedsize={k}", f"-eps={eps}", f"-outpath={outpath}"] + opim_flags, any_exit=True)[0]
            name = re.search(r"---The End of (\S+)---", out).group(1)
            f = os.path.join(out_dir, f"{tag}.opim.{i}")
            open(f, "w").write("\n".join(ids[int(x)] for x in
                                         open(os.path.join(outpath, "seed", "seed_" + name)).read().split()) + "\n")
            judge(f"opim.{i}", "opim", f, {})

    summarize(result, judge_seeds[0])
    save()


def summarize(result, js, quiet=False):
    """Per group of sets (a tool, or Vouch with one --min-rr-sets): spreads under judge seed js, mean, sd, min,
    the judge's half-width, and mean and min over Ripples' spread when Ripples was judged."""
    groups = {}
    for name, entry in result["sets"].items():
        if str(js) in entry.get("judged", {}):
            groups.setdefault(name.split(".")[0], []).append(entry)
    ref = groups.get("ripples", [None])[0]
    ref_spread = ref["judged"][str(js)]["mean"] if ref else None
    summary = {}
    for group, entries in groups.items():
        spreads = [e["judged"][str(js)]["mean"] for e in entries]
        g = dict(spreads=spreads, mean=statistics.mean(spreads), min=min(spreads),
                 sd=statistics.stdev(spreads) if len(spreads) > 1 else 0.0,
                 judge_half_width=statistics.mean(e["judged"][str(js)]["half_width"] for e in entries))
        for key in ("rr_sets_r1", "rr_sets", "selection_seconds", "process_cpu_seconds"):
            vals = [e[key] for e in entries if key in e]
            if vals:
                g[key + "_median"] = statistics.median(vals)
        if ref_spread:
            g["mean_over_ripples"] = g["mean"] / ref_spread
            g["min_over_ripples"] = g["min"] / ref_spread
        summary[group] = g
        if not quiet:
                print(f"{group}: spreads {', '.join(f'{x:.0f}' for x in spreads)}; mean {g['mean']:.1f}, "
                  f"sd {g['sd']:.1f}, min {g['min']:.1f}; judge 95% half-width {g['judge_half_width']:.1f}" +
                  (f"; mean/Ripples {g['mean_over_ripples']:.4f}, min/Ripples {g['min_over_ripples']:.4f}"
                   if ref_spread else ""), flush=True)
    result["summary"] = {"judge_seed": js, "groups": summary}


def render(folder):
    """Markdown tables of the saved results: Vouch's default runs against Ripples per row, then the
    --min-rr-sets runs (judge seed: the first of each file's)."""
    def fmt(x):  # a decimal where the spread is small enough for it to matter
        return f"{x:,.1f}" if x < 5000 else f"{x:,.0f}"

    rows = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json") and not name.startswith("ripples.") and ".tmp" not in name:
            r = json.load(open(os.path.join(folder, name)))
            if "sets" in r:
                summarize(r, r["judge_seeds"][0], quiet=True)
                rows.append(r)
    print("| row | Ripples (RR sets; its timer s) | Vouch --seed 1..5 | mean | min | mean ÷ Ripples | min ÷ Ripples "
          "| judge 95% ± | Vouch R1 RR sets (median; range) | Vouch selection ms; process CPU s (medians) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    more = []
    for r in rows:
        js = str(r["summary"]["judge_seed"])
        groups = r["summary"]["groups"]
        rip = r["sets"].get("ripples")
        label = f"{r['graph']} {r['setting']}"
        if "vouch" in groups and rip:
            g = groups["vouch"]
            r1 = [e["rr_sets_r1"] for n, e in r["sets"].items() if n.startswith("vouch.")]
            print(f"| {label} | {rip['judged'][js]['mean']:,.1f} ({rip.get('rr_sets', 0):,}; "
                  f"{rip['selection_seconds']:.1f}) | {' / '.join(fmt(x) for x in g['spreads'])} | "
                  f"{g['mean']:,.1f} | {g['min']:,.1f} | {g['mean_over_ripples']:.4f} | {g['min_over_ripples']:.4f} | "
                  f"{g['judge_half_width']:.1f} | {statistics.median(r1):,.0f}; {min(r1):,}-{max(r1):,} | "
                  f"{1000 * g['selection_seconds_median']:.1f}; {g['process_cpu_seconds_median']:.2f} |")
        for group in sorted(groups):
            if group.startswith("vouch-min") and rip:
                more.append((label, group, groups[group], r))
    if more:
        print()
        print("| row | Vouch with | --min-rr-sets | R1 RR sets (median) | spreads | mean | min | mean ÷ Ripples "
              "| min ÷ Ripples | selection ms; process CPU s (medians) |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for label, group, g, r in more:
            extra = next(e["extra"] for n, e in r["sets"].items() if n.startswith(group + "."))
            print(f"| {label} | {group[len('vouch-min'):]} the default's R1 | {extra[1]} | "
                  f"{g['rr_sets_r1_median']:,.0f} | {' / '.join(fmt(x) for x in g['spreads'])} | "
                  f"{g['mean']:,.1f} | {g['min']:,.1f} | {g['mean_over_ripples']:.4f} | {g['min_over_ripples']:.4f} | "
                  f"{1000 * g['selection_seconds_median']:.1f}; {g['process_cpu_seconds_median']:.2f} |")


if __name__ == "__main__":
    main()
