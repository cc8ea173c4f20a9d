#!/usr/bin/env python3
"""Alternated runs of several `vouch advocates` variants on one query: each round runs every variant once (the
order reversed every other round, so that a change in the machine's load falls on all), and prints per variant
the medians [minima] of the run record's maximisation, sampling and selection times (ms), the process's CPU
(user + system, ms, start-up and load included), its peak memory (MB), the sample's size, and whether every run
of every variant chose the same seed set. A variant is LABEL=[ENV=VALUE ...] BINARY. One command:

  bench/influence/alternate.py 15 base=/tmp/base_vouch new=build/release/vouch -- \\
      --graph email-Enron.txt --k 50 --model lt --weights wc --epsilon 0.1 --threads 2 --output /tmp/s.txt
"""
import json
import os
import statistics
import subprocess
import sys


def main():
    rounds = int(sys.argv[1])
    rest = sys.argv[2:]
    split = rest.index("--")
    variants, args = rest[:split], rest[split + 1:]
    results = {v: [] for v in variants}
    for r in range(rounds):
        for v in (variants if r % 2 == 0 else variants[::-1]):
            parts = v.split("=", 1)[1].split()
            env = dict(os.environ)
            while "=" in parts[0]:
                key, value = parts.pop(0).split("=", 1)
                env[key] = value
            p = subprocess.Popen(parts + ["advocates"] + args + ["--json"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, env=env)
            out = p.stdout.read()
            _, status, usage = os.wait4(p.pid, 0)
            if status != 0:
                sys.exit(f"{v}: exit status {status}")
            d = json.loads(out)
            t = d["times"]
            results[v].append((t["maximisation_seconds"] * 1e3, t["sampling_seconds"] * 1e3,
                               t["selection_seconds"] * 1e3, (usage.ru_utime + usage.ru_stime) * 1e3,
                               d["peak_memory_bytes"] / 1e6, d["samples"]["rr_sets"],
                               tuple(s["id"] for s in d["seeds"])))
    for v in variants:
        xs = results[v]
        med = lambda j: statistics.median(x[j] for x in xs)
        low = lambda j: min(x[j] for x in xs)
        print(f"{v.split('=')[0]:>10}: maximisation {med(0):7.2f} [{low(0):7.2f}]  sampling {med(1):7.2f} "
              f"[{low(1):7.2f}]  selection {med(2):6.2f} [{low(2):6.2f}]  cpu {med(3):6.1f} [{low(3):6.1f}]  "
              f"peak {med(4):5.1f} MB  rr sets {xs[0][5]}")
    print("same seed set in every run:", len({x[6] for v in variants for x in results[v]}) == 1)


if __name__ == "__main__":
    main()
