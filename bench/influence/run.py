"""Driver of bench/influence/run.sh: runs Vouch and the SUBSIM peer on the same graphs and prints a table.

Every figure is the median of REPEAT runs. Wall time is what a user waits; CPU time (user + system) is also shown
because this 2-core machine is shared and wall times swing with the load. Peak memory is each process's own
maximum resident set (wait4). Spread is judged by Vouch's Monte Carlo (vouch simulate spread) on the same graph
and weights for both seed sets.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time


def run(cmd, cwd=None):
    """Runs cmd; returns (stdout, wall seconds, cpu seconds, peak RSS bytes)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.monotonic() - start
    # communicate() reaped the child already: take its usage from the children's totals difference.
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return out, wall


def measured(cmd, cwd=None):
    """Runs cmd and returns (stdout, wall, cpu, maxrss_bytes) using wait4 for this child alone."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return out, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--subsim", default=os.environ.get("SUBSIM", "/work/peers/subsim/subsim"))
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("REPEAT", "3")))
    ap.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", "20")))
    ap.add_argument("--k", type=int, default=int(os.environ.get("K", "50")))
    ap.add_argument("--eps", type=float, default=float(os.environ.get("EPS", "0.1")))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs-small", type=int, default=10000)
    ap.add_argument("--runs-large", type=int, default=1000)
    ap.add_argument("--graphs", default="enron,epinions,rmat")
    ap.add_argument("--skip-ingest", action="store_true")
    a = ap.parse_args()
    vouch = os.path.join(a.root, "build", "release", "vouch")
    # ../shared/data beside the checkout (or beside its parent for a worktree), or $VOUCH_SHARED_DATA.
    candidates = [os.environ.get("VOUCH_SHARED_DATA", ""), os.path.join(a.root, "..", "shared", "data"),
                  os.path.join(a.root, "..", "..", "shared", "data")]
    shared = next(os.path.join(c, "graphs") for c in candidates if c and os.path.isdir(os.path.join(c, "graphs")))
    work = os.path.join(a.out, "work")
    os.makedirs(work, exist_ok=True)

    graphs = []
    for name in a.graphs.split(","):
        if name == "enron":
            graphs.append(("email-Enron", os.path.join(shared, "email-Enron.txt"), False, a.runs_small))
        elif name == "epinions":
            graphs.append(("soc-Epinions1 (undirected)", os.path.join(shared, "soc-Epinions1-undirected.txt"), True,
                           a.runs_small))
        elif name == "rmat":
            path = os.path.join(work, f"rmat{a.scale}.txt")
            if not os.path.exists(path):
                subprocess.run([os.path.join(a.out, "rmat"), str(a.scale), "16", "1", path], check=True)
            graphs.append((f"R-MAT scale {a.scale}", path, False, a.runs_large))

    rows = []
    for label, src, undirected, runs in graphs:
        base = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")
        # Our copy of the text, so that the cache lands in our folder and not beside the shared data.
        text = os.path.join(work, base + ".txt")
        if not os.path.exists(text):
            shutil.copyfile(src, text)
        und = ["--undirected"] if undirected else []
        common = ["--k", str(a.k), "--model", "ic", "--weights", "wc", "--epsilon", str(a.eps),
                  "--threads", str(a.threads)]
        seeds_ours = os.path.join(work, base + ".vouch.seeds")

        # SUBSIM: its input format (to_subsim), its own formatting (-func=format), then the selection.
        sdir = os.path.join(work, "subsim_" + base)
        os.makedirs(sdir, exist_ok=True)
        _, conv_wall, conv_cpu, _ = measured([os.path.join(a.out, "to_subsim"), text, os.path.join(sdir, base)] + und)
        s_fmt, s_sel, s_wall, s_cpu, s_rss = [], [], [], [], []
        for _ in range(a.repeat):
            _, w, c, r = measured([a.subsim, "-func=format", f"-gname={base}", f"-dir={sdir}", "-pdist=wc"])
            s_fmt.append(w)
            out, w2, c2, r2 = measured([a.subsim, "-func=im", f"-gname={base}", f"-dir={sdir}", f"-seedsize={a.k}",
                                        f"-eps={a.eps}", f"-outpath={os.path.join(sdir, 'res')}"])
            m = re.search(r"Time \(sec\): ([0-9.e-]+)", out)
            s_sel.append(float(m.group(1)))
            s_wall.append(w + w2)
            s_cpu.append(c + c2)
            s_rss.append(max(r, r2))
        ids = open(os.path.join(sdir, base + ".ids")).read().split()
        seed_file = os.path.join(sdir, "res", "seed", f"seed_{base}_subsim_k{a.k}_wc")
        subsim_seeds = [ids[int(x)] for x in open(seed_file).read().split()]
        seeds_subsim = os.path.join(work, base + ".subsim.seeds")
        with open(seeds_subsim, "w") as f:
            f.write("\n".join(subsim_seeds) + "\n")

        # Vouch from the text (no cache), then from the cache the first run wrote.
        o_text_wall, o_text_cpu, o_text_rss, o_sel, o_cache_wall, o_cache_cpu, o_cache_rss, o_rr = ([] for _ in range(8))
        for _ in range(a.repeat):
            cache = text + ".vgraph"
            if os.path.exists(cache):
                os.remove(cache)
            out, w, c, r = measured([vouch, "advocates", "--graph", text] + und + common +
                                    ["--output", seeds_ours, "--json"])
            rec = json.loads(out)
            o_text_wall.append(w)
            o_text_cpu.append(c)
            o_text_rss.append(r)
            o_sel.append(rec["times"]["maximisation_seconds"])
            o_rr.append(rec["samples"]["rr_sets"])
            out, w, c, r = measured([vouch, "advocates", "--graph", text] + und + common +
                                    ["--output", seeds_ours, "--json"])
            rec2 = json.loads(out)
            assert rec2["graph"]["from_cache"], "second run did not use the cache"
            o_cache_wall.append(w)
            o_cache_cpu.append(c)
            o_cache_rss.append(r)
            o_sel.append(rec2["times"]["maximisation_seconds"])

        # Spread of both seed sets by the same independent Monte Carlo.
        spreads = {}
        for who, f in (("vouch", seeds_ours), ("subsim", seeds_subsim)):
            out, _ = run([vouch, "simulate", "spread", "--graph", text] + und +
                         ["--seeds", f, "--runs", str(runs), "--model", "ic", "--weights", "wc", "--threads",
                          str(a.threads), "--seed", "12345", "--json"])
            spreads[who] = json.loads(out)["spread"]
        rows.append(dict(graph=label, nodes=rec["graph"]["nodes"], arcs=rec["graph"]["arcs"], runs=runs,
                         subsim_convert_wall=conv_wall, subsim_format_wall=median(s_fmt),
                         subsim_select=median(s_sel), subsim_wall=median(s_wall), subsim_cpu=median(s_cpu),
                         subsim_rss=median(s_rss), vouch_select=median(o_sel), vouch_text_wall=median(o_text_wall),
                         vouch_text_cpu=median(o_text_cpu), vouch_text_rss=median(o_text_rss),
                         vouch_cache_wall=median(o_cache_wall), vouch_cache_cpu=median(o_cache_cpu),
                         vouch_cache_rss=median(o_cache_rss), vouch_rr_sets=median(o_rr),
                         spread_vouch=spreads["vouch"], spread_subsim=spreads["subsim"]))
        print(json.dumps(rows[-1]), file=sys.stderr)

    ingest = None
    rmat = [g for g in graphs if g[0].startswith("R-MAT")]
    if rmat and not a.skip_ingest:
        text = os.path.join(work, re.sub(r"[^A-Za-z0-9]+", "_", rmat[0][0]).strip("_") + ".txt")
        base_walls, base_cpus = [], []
        for _ in range(a.repeat):
            _, w, c, _ = measured([os.path.join(a.out, "read_integers"), text])
            base_walls.append(w)
            base_cpus.append(c)
        ws = os.path.join(work, "ws")
        shutil.rmtree(ws, ignore_errors=True)
        run([vouch, "init", ws])
        out, w, c, r = measured([vouch, "ingest", "graph", text, "--workspace", ws, "--json"])
        rec = json.loads(out)
        t = rec["times"]
        ingest = dict(baseline_wall=median(base_walls), baseline_cpu=median(base_cpus), wall=w, cpu=c, rss=r,
                      graph_seconds=t["parse_seconds"] + t["build_seconds"] + t["write_seconds"],
                      parse=t["parse_seconds"], build=t["build_seconds"], write=t["write_seconds"],
                      identity_seconds=t["identity_seconds"], nodes=rec["nodes"], arcs=rec["arcs"], lines=rec["lines"])
        print(json.dumps(ingest), file=sys.stderr)

    lines = []
    mb = 1 / 1e6
    lines.append(f"k = {a.k}, epsilon = {a.eps}, IC with wc weights, Vouch on {a.threads} threads, SUBSIM single-threaded "
                 f"(it has no threads); medians of {a.repeat} runs.\n")
    lines.append("| graph | nodes | arcs | selection: Vouch / SUBSIM (s) | ratio | spread Vouch | spread SUBSIM | "
                 "spread ratio | RR sets (Vouch) |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        sv, ss = r["spread_vouch"], r["spread_subsim"]
        lines.append(f"| {r['graph']} | {r['nodes']:,} | {r['arcs']:,} | {r['vouch_select']:.3f} / {r['subsim_select']:.3f} | "
                     f"{r['vouch_select'] / r['subsim_select']:.2f} | {sv['mean']:.1f} ± {sv['high'] - sv['mean']:.1f} | "
                     f"{ss['mean']:.1f} ± {ss['high'] - ss['mean']:.1f} | {sv['mean'] / ss['mean']:.4f} | "
                     f"{int(r['vouch_rr_sets']):,} |")
    lines.append("")
    lines.append("End to end (process wall time; CPU time in brackets; peak resident memory):\n")
    lines.append("| graph | SUBSIM: to_subsim + format + im | Vouch from text | ratio | Vouch from cache | ratio | "
                 "peak memory SUBSIM / Vouch text / Vouch cache (MB) |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in rows:
        peer = r["subsim_convert_wall"] + r["subsim_wall"]
        lines.append(f"| {r['graph']} | {peer:.2f} s ({r['subsim_convert_wall']:.2f} + {r['subsim_wall']:.2f}; cpu "
                     f"{r['subsim_cpu']:.2f}) | {r['vouch_text_wall']:.2f} s (cpu {r['vouch_text_cpu']:.2f}) | "
                     f"{r['vouch_text_wall'] / peer:.2f} | {r['vouch_cache_wall']:.2f} s (cpu {r['vouch_cache_cpu']:.2f}) | "
                     f"{r['vouch_cache_wall'] / peer:.2f} | {r['subsim_rss'] * mb:.0f} / {r['vouch_text_rss'] * mb:.0f} / "
                     f"{r['vouch_cache_rss'] * mb:.0f} |")
    if ingest:
        lines.append("")
        lines.append(f"Graph ingest (`vouch ingest graph`, {ingest['lines']:,} lines, {ingest['nodes']:,} nodes): graph "
                     f"{ingest['graph_seconds']:.2f} s (parse {ingest['parse']:.2f}, build {ingest['build']:.2f}, write "
                     f"{ingest['write']:.2f}) against {ingest['baseline_wall']:.2f} s (cpu {ingest['baseline_cpu']:.2f}) "
                     f"for reading the file and parsing its integers on one thread (bench/influence/read_integers.cc): "
                     f"ratio {ingest['graph_seconds'] / ingest['baseline_wall']:.2f}. Mapping the nodes to people took "
                     f"another {ingest['identity_seconds']:.2f} s; whole command {ingest['wall']:.2f} s wall, "
                     f"{ingest['cpu']:.2f} s CPU, {ingest['rss'] * mb:.0f} MB peak.")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(dict(rows=rows, ingest=ingest), f, indent=2)
    print(text)


if __name__ == "__main__":
    main()
