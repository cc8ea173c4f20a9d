#!/usr/bin/env python3
"""Regenerates cmake/vouch_hot_text.txt: the functions of the vouch executable that `vouch advocates` runs, which
the release link places together at the front of the executable's code (cmake/VouchExecutable.cmake).

Why: the kernel maps up to 64 KiB of an executable's cached code around every page a run first touches
("fault-around"), and all of it counts in the resident set. A selection run touches code in a few hundred
functions (the CLI's start, graph loading, the samplers, the greedy, TBB's and the standard library's templates)
spread over 8 MB of code, so each drags its 64 KiB of neighbours in: about 2 MB of the executable was resident at
the peak of an Enron selection. Placed together, those functions fill a few hundred KiB.

It runs the given vouch under valgrind's callgrind (package valgrind) once per diffusion model (IC, LT) and edge
weight scheme (wc, uniform) and lists the mangled names of the functions executed in the vouch executable itself,
one a line, sorted. The release build compiles libvouch and the CLI with -ffunction-sections, so every function
has a section of its own (`.text.<mangled name>`) that the link can move; functions of the static C archives
(SQLite, OpenSSL: none run in a selection) and C names (main) stay where they are, and a name that no longer
exists matches nothing.

  bench/influence/hot_text.py BUILD/release/vouch GRAPH.txt > cmake/vouch_hot_text.txt
"""
import os
import re
import subprocess
import sys
import tempfile


def executed(vouch, args):
    """The mangled names of every function the run executed, in any object."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", vouch] + args +
                       ["--output", os.path.join(tmp, "seeds.txt")], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        names = set()
        with open(out) as f:
            for line in f:
                m = re.match(r"^c?fn=\(\d+\) (.*)$", line.rstrip("\n"))
                if m:
                    names.add(m.group(1).split("'")[0])  # callgrind marks recursion depth with 'N
        return names


def defined_in(vouch):
    """The functions the executable itself defines. Callgrind names the executable's object "???" on some builds,
    so the executed names are matched against its symbol table instead of by object."""
    out = subprocess.run(["nm", "--defined-only", vouch], capture_output=True, text=True, check=True).stdout
    return {parts[2] for parts in (line.split() for line in out.splitlines())
            if len(parts) == 3 and parts[1] in "tTwW"}


def main():
    vouch, graph = sys.argv[1:3]
    names = set()
    for model in ("ic", "lt"):
        for weights in ("wc", "uniform:0.01"):
            names |= executed(vouch, ["advocates", "--graph", graph, "--k", "50", "--model", model, "--weights",
                                      weights, "--epsilon", "0.1", "--threads", "2"])
    names &= defined_in(vouch)
    for name in sorted(n for n in names if re.fullmatch(r"_Z[A-Za-z0-9_.$]+", n)):
        print(name)


if __name__ == "__main__":
    main()
