#!/usr/bin/env python3
"""Regenerates cmake/vouch_hot_text.txt: the functions of the vouch executable that `vouch advocates` runs, which
the release link places together at the front of the executable's code (cmake/VouchExecutable.cmake).

Why: the kernel maps up to 64 KiB of an executable's cached code around every page a run first touches
("fault-around"), and all of it counts in the resident set. A selection run touches code in a few hundred
functions (the CLI's start, graph loading, the samplers, the greedy, TBB's and the standard library's templates)
spread over 8 MB of code, so each drags its 64 KiB of neighbours in: about 2 MB of the executable was resident at
the peak of an Enron selection. Placed together, those functions fill a few hundred KiB.

It runs the given vouch under valgrind's callgrind (package valgrind) once per diffusion model and lists the
mangled names of the functions executed in the vouch executable itself, one a line, sorted. Only functions that the
compiler emits in a section of their own (templates and other inline functions, `.text.<mangled name>`) can be
moved by the link; the others stay where they are, and a name that no longer exists matches nothing.

  bench/influence/hot_text.py BUILD/release/vouch GRAPH.txt > cmake/vouch_hot_text.txt
"""
import os
import re
import subprocess
import sys
import tempfile


def executed(vouch, args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", vouch] + args +
                       ["--output", os.path.join(tmp, "seeds.txt")], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        objects, functions, names, current = {}, {}, set(), None
        target = os.path.realpath(vouch)
        with open(out) as f:
            for line in f:
                m = re.match(r"^(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
                if not m:
                    continue
                kind, ident, name = m.groups()
                table = objects if kind.endswith("ob") else functions
                if name:
                    table[ident] = name
                if kind == "ob":
                    current = os.path.realpath(objects[ident]) if objects[ident].startswith("/") else None
                elif kind == "fn" and current == target:
                    names.add(functions[ident].split("'")[0])  # callgrind marks recursion depth with 'N
        return names


def main():
    vouch, graph = sys.argv[1:3]
    names = set()
    for model in ("ic", "lt"):
        names |= executed(vouch, ["advocates", "--graph", graph, "--k", "50", "--model", model, "--weights", "wc",
                                  "--epsilon", "0.1", "--threads", "2"])
    for name in sorted(n for n in names if re.fullmatch(r"_Z[A-Za-z0-9_.$]+", n)):
        print(name)


if __name__ == "__main__":
    main()
