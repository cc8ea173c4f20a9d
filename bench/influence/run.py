"""Driver of bench/influence/run.sh: runs Vouch and the peers (SUBSIM, OPIM-C, Ripples' IMM) on the same graphs and settings and
prints the tables for docs/benchmarks.md.

Peers are binaries built beforehand, outside the repository; a peer whose binary is missing is skipped. Every
time is taken over REPEAT runs. The machine is a shared 2-core one, so besides each tool's own wall-clock
selection timer the script measures selection CPU time: the CPU (user + system) of the selecting process minus
the CPU of the same tool loading the same graph for a trivial query (k = 1, epsilon = 0.6), both medians. Peak
memory is each process's maximum resident set (wait4). Spread of every seed set is judged by Vouch's Monte Carlo
(vouch simulate spread) with the same graph, model and weights, and the same random seed for all tools.
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


def measured(cmd, cwd=None, any_exit=False, retries=2):
    """Runs cmd under /usr/bin/time; returns (stdout, wall seconds, cpu seconds, peak RSS bytes). /usr/bin/time
    rather than this script's wait4, because a child's maximum resident set counts the forking Python's too."""
    stats = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bench_influence_time.{os.getpid()}")
    start = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", stats] + cmd, cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    # wait4 reports the time process with its reaped child: CPU to the microsecond (time's own is 0.01 s).
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    # OPIM exits 1 even after a successful run (its main returns nothing).
    if code != 0 and not any_exit:
        if retries > 0:  # SUBSIM, seeded by the clock, now and then aborts; a second run goes through
            print(f"failed ({code}), run again: {' '.join(cmd)}", file=sys.stderr)
            return measured(cmd, cwd, any_exit, retries - 1)
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{out[-2000:]}")
    rss_kb = open(stats).read().split()[-1]
    return out, wall, usage.ru_utime + usage.ru_stime, int(rss_kb) * 1024


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# (label, vouch model, vouch weights, subsim -pdist / -pedge, opim -model / -pdist / -pedge, ripples -d)
MODELS = {
    "ic-wc": ("IC wc", "ic", "wc", ["-pdist=wc"], ["-model=IC", "-pdist=WC"], "IC"),
    "ic-uni": ("IC uniform 0.01", "ic", "uniform:0.01", ["-pdist=uniform", "-pedge=0.01"],
               ["-model=IC", "-pdist=UNI", "-pedge=0.01"], "IC"),
    "lt-wc": ("LT wc", "lt", "wc", None, ["-model=LT", "-pdist=WC"], "LT"),
}
PEERS = ("subsim", "opim", "ripples")


def write_weighted(out, text, undirected, weights, path):
    """Ripples' input: one arc "u v p" a line, with the probability Vouch's scheme gives it (to_weighted.cc)."""
    subprocess.run([os.path.join(out, "to_weighted"), text, path, weights] + (["--undirected"] if undirected else []),
                   check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--subsim", default=os.environ.get("SUBSIM", "/work/peers/subsim/subsim"))
    ap.add_argument("--opim", default=os.environ.get("OPIM", "/work/peers/opim/OPIM1.1/opim"))
    ap.add_argument("--ripples", default=os.environ.get("RIPPLES", "/work/peers/ripples-src/build/tools/imm"))
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("REPEAT", "3")))
    ap.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", "20")))
    # Settings: "model:k:eps" items, comma separated.
    ap.add_argument("--settings", default=os.environ.get(
        "SETTINGS", "ic-wc:50:0.1,ic-wc:100:0.1,ic-wc:50:0.05,ic-wc:100:0.05,ic-uni:50:0.1,ic-uni:100:0.05,"
                    "lt-wc:50:0.1,lt-wc:100:0.05"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs-small", type=int, default=10000)
    ap.add_argument("--runs-large", type=int, default=1000)
    ap.add_argument("--graphs", default="enron,epinions,rmat")
    ap.add_argument("--results", default="results", help="name of the results.{md,json} files under --out")
    ap.add_argument("--e2e", default=os.environ.get("E2E", "ic-wc:50:0.1"),
                    help="setting of the end-to-end runs (text edge list to seeds), or 'none'")
    ap.add_argument("--render-only", action="store_true", help="write NAME.md from a saved NAME.json and stop")
    a = ap.parse_args()
    if a.render_only:
        saved = json.load(open(os.path.join(a.out, a.results + ".json")))
        render(a, saved["rows"], saved.get("e2e", []))
        return
    vouch = os.path.join(a.root, "build", "release", "vouch")
    candidates = [os.environ.get("VOUCH_SHARED_DATA", ""), os.path.join(a.root, "..", "shared", "data"),
                  os.path.join(a.root, "..", "..", "shared", "data")]
    shared = next(os.path.join(c, "graphs") for c in candidates if c and os.path.isdir(os.path.join(c, "graphs")))
    work = os.path.join(a.out, "work")
    os.makedirs(work, exist_ok=True)
    # Ripples runs on OpenMP: as many threads as Vouch gets.
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    given = (("subsim", a.subsim), ("opim", a.opim), ("ripples", a.ripples))
    peers = {name: path for name, path in given if os.access(path, os.X_OK)}
    for name, path in given:
        if name not in peers:
            print(f"peer {name} not found at {path}: skipped", file=sys.stderr)

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
    settings = [(m, int(k), float(e)) for m, k, e in (s.split(":") for s in a.settings.split(","))]

    rows = []
    e2e_rows = []
    for label, src, undirected, runs in graphs:
        base = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")
        text = os.path.join(work, base + ".txt")  # our copy, so that the cache lands in our folder
        if not os.path.exists(text):
            shutil.copyfile(src, text)
        und = ["--undirected"] if undirected else []
        # The peers' input: "n m" then dense ids (to_subsim), numbered as Vouch numbers them.
        pdir = os.path.join(work, "peers_" + base)
        os.makedirs(pdir, exist_ok=True)
        if not os.path.exists(os.path.join(pdir, base + ".ids")):
            measured([os.path.join(a.out, "to_subsim"), text, os.path.join(pdir, base)] + und)
        ids = open(os.path.join(pdir, base + ".ids")).read().split()
        # Each peer formats into its own folder: both name their binary graph file alike, in different layouts.
        for peer in ("subsim", "opim"):
            os.makedirs(os.path.join(pdir, peer), exist_ok=True)
            link = os.path.join(pdir, peer, base)
            if not os.path.exists(link):
                os.symlink(os.path.join(pdir, base), link)
        load_cpu = {}  # (tool, model) -> CPU of a trivial query: the tool's loading cost
        formatted = set()

        def vouch_run(model, weights, k, eps):
            out, w, c, r = measured([vouch, "advocates", "--graph", text] + und +
                                    ["--k", str(k), "--model", model, "--weights", weights, "--epsilon", str(eps),
                                     "--threads", str(a.threads), "--output", os.path.join(work, base + ".vouch.seeds"),
                                     "--json"])
            return json.loads(out), w, c, r

        def subsim_run(pdist, k, eps):
            key = "subsim " + " ".join(pdist)
            # Its formatting step writes the probabilities into its one graph file, so a setting whose weights
            # differ from the last formatted ones formats again (wc, uniform, wc in a row read uniform otherwise).
            if key not in formatted:
                measured([peers["subsim"], "-func=format", f"-gname={base}", f"-dir={pdir}/subsim"] + pdist)
                formatted.difference_update({f for f in formatted if f.startswith("subsim ")})
                formatted.add(key)
            out, w, c, r = measured([peers["subsim"], "-func=im", f"-gname={base}", f"-dir={pdir}/subsim", f"-seedsize={k}",
                                     f"-eps={eps}", f"-outpath={os.path.join(pdir, 'res_subsim')}"])
            sel = float(re.search(r"Time \(sec\): ([0-9.e-]+)", out).group(1))
            seed_dir = os.path.join(pdir, "res_subsim", "seed")
            newest = max((os.path.join(seed_dir, f) for f in os.listdir(seed_dir) if f"_k{k}_" in f),
                         key=os.path.getmtime)
            return sel, w, c, r, [ids[int(x)] for x in open(newest).read().split()]

        def opim_run(flags, k, eps):
            if "opim" not in formatted:
                measured([peers["opim"], "-func=0", f"-gname={base}", f"-dir={pdir}/opim"], any_exit=True)
                formatted.add("opim")
            outpath = os.path.join(pdir, "res_opim")
            out, w, c, r = measured([peers["opim"], "-func=1", f"-gname={base}", f"-dir={pdir}/opim", "-alg=opim-c",
                                     "-mode=2", f"-seedsize={k}", f"-eps={eps}", f"-outpath={outpath}"] + flags,
                                    any_exit=True)
            sel = float(re.search(r"Time \(sec\): ([0-9.e-]+)", out).group(1))
            name = re.search(r"---The End of (\S+)---", out).group(1)
            seeds = [ids[int(x)] for x in open(os.path.join(outpath, "seed", "seed_" + name)).read().split()]
            return sel, w, c, r, seeds

        def ripples_run(model, weights, k, eps):
            wfile = os.path.join(pdir, f"{base}.{weights.replace(':', '_')}.weighted.txt")
            if not os.path.exists(wfile):
                write_weighted(a.out, text, undirected, weights, wfile)
            log = os.path.join(pdir, "ripples.json")
            _, w, c, r = measured([peers["ripples"], "-i", wfile, "-w", "-k", str(k), "-e", str(eps), "-d", model,
                                   "-p", "-o", log])
            rec = json.load(open(log))[0]
            return rec["Total"] / 1000.0, w, c, r, [str(x) for x in rec["Seeds"]]

        if a.e2e != "none":
            # End to end, text edge list to seed file. SUBSIM: our converter to its input (to_subsim), its formatting
            # step, its selection. Vouch from the text (no cache yet: parse, build, write the cache, select) and
            # from the cache the first run wrote. CPU is the process's (medians of REPEAT), memory its peak.
            emkey, ek, eeps = a.e2e.split(":")
            _, evmodel, evweights, esubsim, _, _ = MODELS[emkey]
            cache = text + ".vgraph"
            e2e = dict(graph=label, setting=a.e2e, tools={})
            vt, vc = [], []
            for _ in range(a.repeat):
                if os.path.exists(cache):
                    os.remove(cache)
                r = vouch_run(evmodel, evweights, int(ek), float(eeps))
                assert not r[0]["graph"]["from_cache"]
                vt.append(r[1:])
                r = vouch_run(evmodel, evweights, int(ek), float(eeps))
                assert r[0]["graph"]["from_cache"]
                vc.append(r[1:])
            for name, runs_ in (("vouch_text", vt), ("vouch_cache", vc)):
                e2e["tools"][name] = dict(wall=median([x[0] for x in runs_]), cpu=median([x[1] for x in runs_]),
                                          rss_mb=max(x[2] for x in runs_) / 1e6)
            if "subsim" in peers and esubsim is not None:
                st = []
                for _ in range(a.repeat):
                    conv = measured([os.path.join(a.out, "to_subsim"), text, os.path.join(pdir, base)] + und)
                    fmt = measured([peers["subsim"], "-func=format", f"-gname={base}", f"-dir={pdir}/subsim"] + esubsim)
                    im = measured([peers["subsim"], "-func=im", f"-gname={base}", f"-dir={pdir}/subsim",
                                   f"-seedsize={ek}", f"-eps={eeps}", f"-outpath={os.path.join(pdir, 'res_subsim')}"])
                    st.append((conv[1] + fmt[1] + im[1], conv[2] + fmt[2] + im[2], max(conv[3], fmt[3], im[3]),
                               conv[2], fmt[2], im[2]))
                formatted.difference_update({f for f in formatted if f.startswith("subsim ")})
                formatted.add("subsim " + " ".join(esubsim))
                e2e["tools"]["subsim"] = dict(wall=median([x[0] for x in st]), cpu=median([x[1] for x in st]),
                                              rss_mb=max(x[2] for x in st) / 1e6,
                                              cpu_parts=[median([x[i] for x in st]) for i in (3, 4, 5)])
            e2e_rows.append(e2e)
            print(json.dumps(e2e), file=sys.stderr)

        for mkey, k, eps in settings:
            mlabel, vmodel, vweights, subsim_flags, opim_flags, ripples_model = MODELS[mkey]
            row = dict(graph=label, model=mlabel, k=k, eps=eps, runs=runs, tools={})
            # Vouch from its cache (the first run writes it).
            if ("vouch", mkey) not in load_cpu:
                vouch_run(vmodel, vweights, 1, 0.6)
                load_cpu[("vouch", mkey)] = median([vouch_run(vmodel, vweights, 1, 0.6)[2] for _ in range(a.repeat)])
            recs = [vouch_run(vmodel, vweights, k, eps) for _ in range(a.repeat)]
            rec = recs[-1][0]
            row.update(nodes=rec["graph"]["nodes"], arcs=rec["graph"]["arcs"])
            seeds_file = os.path.join(work, f"{base}.{mkey}.{k}.{eps}.vouch.seeds")
            shutil.copyfile(os.path.join(work, base + ".vouch.seeds"), seeds_file)
            row["tools"]["vouch"] = dict(
                select_wall=median([x[0]["times"]["maximisation_seconds"] for x in recs]),
                select_wall_min=min(x[0]["times"]["maximisation_seconds"] for x in recs),
                cpu=median([x[2] for x in recs]), load_cpu=load_cpu[("vouch", mkey)],
                rss_mb=median([x[3] for x in recs]) / 1e6, rr_sets=rec["samples"]["rr_sets"], seeds=seeds_file)
            for peer in PEERS:
                if peer not in peers or (peer == "subsim" and subsim_flags is None):
                    continue
                go = {"subsim": lambda kk, ee: subsim_run(subsim_flags, kk, ee),
                      "opim": lambda kk, ee: opim_run(opim_flags, kk, ee),
                      "ripples": lambda kk, ee: ripples_run(ripples_model, vweights, kk, ee)}[peer]
                # OPIM-C evaluates its seeds' spread in the same process after selecting (and for k = 1 at great
                # length), so its CPU cannot be split by this method: only its own selection timer is reported.
                if peer != "opim" and (peer, mkey) not in load_cpu:
                    load_cpu[(peer, mkey)] = median([go(1, 0.6)[2] for _ in range(a.repeat)])
                res = [go(k, eps) for _ in range(a.repeat)]
                f = os.path.join(work, f"{base}.{mkey}.{k}.{eps}.{peer}.seeds")
                with open(f, "w") as out:
                    out.write("\n".join(res[-1][4]) + "\n")
                row["tools"][peer] = dict(select_wall=median([x[0] for x in res]),
                                          select_wall_min=min(x[0] for x in res), cpu=median([x[2] for x in res]),
                                          load_cpu=load_cpu.get((peer, mkey)), rss_mb=median([x[3] for x in res]) / 1e6, seeds=f)
            for tool, t in row["tools"].items():
                out, _, _, _ = measured([vouch, "simulate", "spread", "--graph", text] + und +
                                        ["--seeds", t["seeds"], "--runs", str(runs), "--model", vmodel, "--weights",
                                         vweights, "--threads", str(a.threads), "--seed", "12345", "--json"])
                t["spread"] = json.loads(out)["spread"]
                t["select_cpu"] = None if t["load_cpu"] is None else max(0.0, t["cpu"] - t["load_cpu"])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
            with open(os.path.join(a.out, a.results + ".json"), "w") as f:
                json.dump(dict(rows=rows, e2e=e2e_rows, load=os.getloadavg()), f, indent=2)

    render(a, rows, e2e_rows)


def render(a, rows, e2e_rows):
    """Writes NAME.md from the rows (also from a saved NAME.json: --render-only)."""
    lines = [f"Vouch and Ripples on {a.threads} threads, SUBSIM and OPIM-C on their one; {a.repeat} runs of each. "
             "Selection wall: "
             "each tool's own timer (median); selection CPU: process CPU minus the CPU of a k = 1, epsilon = 0.6 "
             "query on the same graph (medians); peak memory: maximum resident set of the process.\n",
             "| graph | model | k | eps | selection wall Vouch / SUBSIM / OPIM-C / Ripples (s) | wall ratio to fastest "
             "peer | selection CPU Vouch / SUBSIM / OPIM-C / Ripples (s) | CPU ratio to fastest peer | spread Vouch / "
             "SUBSIM / OPIM-C / Ripples | spread ratio to best peer | peak MB Vouch / SUBSIM / OPIM-C / Ripples | "
             "RR sets Vouch |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def cell(row, tool, fmt, key):
        t = row["tools"].get(tool)
        if t is None or t.get(key) is None:
            return "–"
        if key == "spread":  # mean and the judge's 95% half-width
            return f"{t['spread']['mean']:.0f} ± {(t['spread']['high'] - t['spread']['low']) / 2:.0f}"
        return fmt.format(t[key])

    for r in rows:
        v = r["tools"]["vouch"]
        peers_here = [t for n, t in r["tools"].items() if n != "vouch"]
        fastest = min((t["select_cpu"] for t in peers_here if t["select_cpu"]), default=float("nan"))
        fastest_wall = min((t["select_wall"] for t in peers_here if t["select_wall"]), default=float("nan"))
        tools = ("vouch",) + PEERS
        best = max((t["spread"]["mean"] for t in peers_here), default=float("nan"))
        lines.append(
            f"| {r['graph']} | {r['model']} | {r['k']} | {r['eps']} | "
            + " / ".join(cell(r, t, "{:.3f}", "select_wall") for t in tools) + " | "
            + f"{v['select_wall'] / fastest_wall:.2f} | "
            + " / ".join(cell(r, t, "{:.3f}", "select_cpu") for t in tools) + " | "
            + f"{v['select_cpu'] / fastest:.2f} | "
            + " / ".join(cell(r, t, "{:.0f}", "spread") for t in tools) + " | "
            + f"{v['spread']['mean'] / best:.4f} | "
            + " / ".join(cell(r, t, "{:.0f}", "rss_mb") for t in tools) + " | "
            + f"{v['rr_sets']:,} |")
    if e2e_rows:
        lines += ["", "End to end, text edge list to seeds (CPU = user + system of the processes, medians; wall on the "
                  "loaded machine):", "",
                  "| graph | setting | SUBSIM CPU (to_subsim + format + im) | Vouch from text CPU | ratio | "
                  "Vouch from cache CPU | ratio | wall SUBSIM / text / cache (s) | peak MB SUBSIM / text / cache |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for e in e2e_rows:
            t = e["tools"]
            vt, vc, ss = t["vouch_text"], t["vouch_cache"], t.get("subsim")
            if ss:
                parts = " + ".join(f"{x:.2f}" for x in ss["cpu_parts"])
                lines.append(f"| {e['graph']} | {e['setting']} | {ss['cpu']:.2f} ({parts}) | {vt['cpu']:.2f} | "
                             f"{vt['cpu'] / ss['cpu']:.2f} | {vc['cpu']:.2f} | {vc['cpu'] / ss['cpu']:.2f} | "
                             f"{ss['wall']:.2f} / {vt['wall']:.2f} / {vc['wall']:.2f} | "
                             f"{ss['rss_mb']:.0f} / {vt['rss_mb']:.0f} / {vc['rss_mb']:.0f} |")
            else:
                lines.append(f"| {e['graph']} | {e['setting']} | – | {vt['cpu']:.2f} | – | {vc['cpu']:.2f} | – | "
                             f"– / {vt['wall']:.2f} / {vc['wall']:.2f} | – / {vt['rss_mb']:.0f} / {vc['rss_mb']:.0f} |")
    lines.append("")
    lines.append("Load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, a.results + ".md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
