#!/usr/bin/env python3
"""Alternated runs of two Vouch binaries and the peers (OPIM-C; SUBSIM for IC) on one setting, each tool's own
selection timer, medians [minima] in ms and each Vouch's ratio to the fastest peer. It uses the inputs that
bench/influence/run.sh prepared (build/bench-influence/work: the graph's copy, its cache and the peers' formatted
files; run it once on the graph first). wc weights, or IC uniform p = 0.01 with WEIGHTS=uni (SUBSIM's input for it
is formatted once into peers_GRAPH/subsim_uni). One command:

  bench/influence/against_peers.py 11 enron|epinions|rmat20|rmat21|rmat22 ic|lt K EPS BASE_VOUCH NEW_VOUCH
  env: SUBSIM=/work/peers/subsim/subsim  OPIM=/work/peers/opim/OPIM1.1/opim
       VARY_SEEDS=1: Vouch runs with --seed R in round R (1, 2, ...) instead of the default seed in every round,
       and each round waits for the next second of the clock.
       WEIGHTS=uni: IC with uniform p = 0.01 (Vouch --weights uniform:0.01, the peers' -pdist=uniform -pedge=0.01).

Why VARY_SEEDS: the peers seed their generator from the clock in seconds, so their runs sample their own
randomness (how many doubling rounds the stopping rule needs: on Enron IC wc k = 50 eps = 0.1 SUBSIM takes 11 or
20 ms, about half of its runs each), while Vouch with one seed repeats one draw of its own. With VARY_SEEDS both
sides sample theirs, and the means as well as the medians are printed: the median of a two-valued time flips
with a few runs.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "bench-influence", "work")


def main():
    rounds, graph, model, k, eps, base_vouch, new_vouch = sys.argv[1:8]
    names = {"enron": "email_Enron", "epinions": "soc_Epinions1_undirected"}
    names.update({f"rmat{s}": f"R_MAT_scale_{s}" for s in range(10, 27)})  # run.sh's SCALE=s graphs
    name = names[graph]
    undirected = ["--undirected"] if graph == "epinions" else []
    peers = os.path.join(WORK, "peers_" + name)
    subsim = os.environ.get("SUBSIM", "/work/peers/subsim/subsim")
    opim = os.environ.get("OPIM", "/work/peers/opim/OPIM1.1/opim")

    uni = os.environ.get("WEIGHTS") == "uni"
    weights = "uniform:0.01" if uni else "wc"
    opim_pdist = ["-pdist=UNI", "-pedge=0.01"] if uni else ["-pdist=WC"]
    subsim_dir = os.path.join(peers, "subsim_uni" if uni else "subsim")
    if uni and not os.path.exists(os.path.join(subsim_dir, name + ".probdist")):
        os.makedirs(subsim_dir, exist_ok=True)
        shutil.copy(os.path.join(peers, "subsim", name), subsim_dir)
        subprocess.run([subsim, "-func=format", f"-gname={name}", f"-dir={subsim_dir}", "-pdist=uniform",
                        "-pedge=0.01"], capture_output=True, check=True)
    vary = os.environ.get("VARY_SEEDS") == "1"
    seed = ["--seed", "1"]

    def vouch(binary):
        out = subprocess.run([binary, "advocates", "--graph", os.path.join(WORK, name + ".txt")] + undirected +
                             ["--k", k, "--model", model, "--weights", weights, "--epsilon", eps, "--threads", "2",
                              "--output", os.path.join(WORK, "against_peers.seeds"), "--json"] + (seed if vary else []),
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)["times"]["maximisation_seconds"]

    def peer_time(command):
        out = subprocess.run(command, capture_output=True, text=True).stdout
        return float(re.search(r"Time \(sec\): ([0-9.e-]+)", out).group(1))

    tools = {
        "main": lambda: vouch(base_vouch),
        "after": lambda: vouch(new_vouch),
        "opim": lambda: peer_time([opim, "-func=1", f"-gname={name}", f"-dir={peers}/opim", "-alg=opim-c", "-mode=2",
                                   f"-seedsize={k}", f"-eps={eps}", f"-outpath={peers}/res_opim",
                                   f"-model={model.upper()}"] + opim_pdist),
    }
    if model == "ic":
        tools["subsim"] = lambda: peer_time([subsim, "-func=im", f"-gname={name}", f"-dir={subsim_dir}",
                                             f"-seedsize={k}", f"-eps={eps}", f"-outpath={peers}/res_subsim"])
    times = {t: [] for t in tools}
    for r in range(int(rounds)):
        if vary:
            seed[1] = str(r + 1)
            time.sleep(1.0 - time.time() % 1.0)  # a new second: a new clock seed for the peers
        for t in (list(tools) if r % 2 == 0 else list(tools)[::-1]):
            times[t].append(tools[t]() * 1e3)
    med = {t: statistics.median(v) for t, v in times.items()}
    peer = min(v for t, v in med.items() if t not in ("main", "after"))
    print(f"{graph} {model} k={k} eps={eps} ({rounds} rounds): " +
          "  ".join(f"{t} {med[t]:.2f} [{min(times[t]):.2f}]" for t in tools) +
          f"  | main/peer {med['main'] / peer:.2f}  after/peer {med['after'] / peer:.2f}")
    mean = {t: statistics.fmean(v) for t, v in times.items()}
    peer_mean = min(v for t, v in mean.items() if t not in ("main", "after"))
    print("  means: " + "  ".join(f"{t} {mean[t]:.2f}" for t in tools) +
          f"  | main/peer {mean['main'] / peer_mean:.2f}  after/peer {mean['after'] / peer_mean:.2f}")


if __name__ == "__main__":
    main()
