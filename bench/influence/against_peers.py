#!/usr/bin/env python3
"""Alternated runs of two Vouch binaries and the peers (OPIM-C; SUBSIM for IC) on one setting, each tool's own
selection timer, medians [minima] in ms and each Vouch's ratio to the fastest peer. It uses the inputs that
bench/influence/run.sh prepared (build/bench-influence/work: the graph's copy, its cache and the peers' formatted
files; run it once on the graph first). wc weights. One command:

  bench/influence/against_peers.py 11 enron|epinions ic|lt K EPS BASE_VOUCH NEW_VOUCH
  env: SUBSIM=/work/peers/subsim/subsim  OPIM=/work/peers/opim/OPIM1.1/opim
"""
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "bench-influence", "work")


def main():
    rounds, graph, model, k, eps, base_vouch, new_vouch = sys.argv[1:8]
    name = {"enron": "email_Enron", "epinions": "soc_Epinions1_undirected"}[graph]
    undirected = ["--undirected"] if graph == "epinions" else []
    peers = os.path.join(WORK, "peers_" + name)
    subsim = os.environ.get("SUBSIM", "/work/peers/subsim/subsim")
    opim = os.environ.get("OPIM", "/work/peers/opim/OPIM1.1/opim")

    def vouch(binary):
        out = subprocess.run([binary, "advocates", "--graph", os.path.join(WORK, name + ".txt")] + undirected +
                             ["--k", k, "--model", model, "--weights", "wc", "--epsilon", eps, "--threads", "2",
                              "--output", os.path.join(WORK, "against_peers.seeds"), "--json"],
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
                                   f"-model={model.upper()}", "-pdist=WC"]),
    }
    if model == "ic":
        tools["subsim"] = lambda: peer_time([subsim, "-func=im", f"-gname={name}", f"-dir={peers}/subsim",
                                             f"-seedsize={k}", f"-eps={eps}", f"-outpath={peers}/res_subsim"])
    times = {t: [] for t in tools}
    for r in range(int(rounds)):
        for t in (list(tools) if r % 2 == 0 else list(tools)[::-1]):
            times[t].append(tools[t]() * 1e3)
    med = {t: statistics.median(v) for t, v in times.items()}
    peer = min(v for t, v in med.items() if t not in ("main", "after"))
    print(f"{graph} {model} k={k} eps={eps} ({rounds} rounds): " +
          "  ".join(f"{t} {med[t]:.2f} [{min(times[t]):.2f}]" for t in tools) +
          f"  | main/peer {med['main'] / peer:.2f}  after/peer {med['after'] / peer:.2f}")


if __name__ == "__main__":
    main()
