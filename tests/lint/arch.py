#!/usr/bin/env python3
"""make arch: the include rules of generator/ (generator/README.md, "Rules").

A module is the basename of generator/<phase>/<module>.c and .h; module x
depends on y when x.c or x.h has `#include "y.h"`. Fails, printing what is
wrong, when
  - two files of generator/ share a basename (the include path is flat),
  - the module graph has a cycle (each one is printed as a path),
  - a file includes a header of a phase it may not depend on (each phase
    may include its own headers and those of the phases listed):
      lib     lib
      model   lib model
      load    lib model load
      link    lib model load
      render  lib model, and of load only markdown.h and theme.h
      cmd     every phase
    (render never includes link/, nor a loader that reads files or git).
KNOWN lists the violations issue 12 still has to remove; each is printed on
every run, and one that no longer occurs fails too, so the list cannot go
stale.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# generator/, or the folder given (tests/lint/arch-test.sh checks the
# checker on small trees of its own).
GEN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "generator")
PHASES = ["lib", "model", "load", "link", "render", "cmd"]
MAY_INCLUDE = {
    "lib": {"lib"},
    "model": {"lib", "model"},
    "load": {"lib", "model", "load"},
    "link": {"lib", "model", "load", "link"},
    "render": {"lib", "model", "render"},
    "cmd": set(PHASES),
}
# Headers of a phase not in MAY_INCLUDE that a phase may still include.
ALSO = {"render": {"markdown.h", "theme.h"}}
# (file, header): rule violations still to fix, each with its reason.
KNOWN = {
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources():
    """(phase, file name) of every .c and .h under generator/<phase>/."""
    for phase in PHASES:
        folder = os.path.join(GEN, phase)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if name.endswith((".c", ".h")):
                yield phase, name


def includes(phase, name):
    with open(os.path.join(GEN, phase, name), encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


def cycles(graph):
    """The strongly connected components with more than one module
    (Tarjan), each as one cycle through all of its members' first edge."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [cycle_path(graph, comp) for comp in out]


def cycle_path(graph, comp):
    """One cycle inside the component, from its first module back to it."""
    members, start = set(comp), comp[0]
    prev, todo = {start: None}, [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in members and w not in prev:
                prev[w] = v
                todo.append(w)
    return comp


def main():
    errors, seen_known = [], set()
    phase_of, graph, edges = {}, {}, []
    for phase, name in sources():
        if name in phase_of:
            errors.append("generator/%s/%s: basename also in generator/%s/ (the include path is flat)"
                          % (phase, name, phase_of[name]))
        phase_of[name] = phase
    for phase, name in sources():
        mod = os.path.splitext(name)[0]
        graph.setdefault(mod, set())
        for h in includes(phase, name):
            if h not in phase_of:
                continue  # a system or generated header (skel.h's data)
            dep = os.path.splitext(h)[0]
            if dep != mod:
                graph[mod].add(dep)
            edges.append((phase, name, h, phase_of[h]))
    for c in cycles(graph):
        errors.append("include cycle: " + " -> ".join(c))
    for phase, name, h, hphase in edges:
        if hphase in MAY_INCLUDE[phase] or h in ALSO.get(phase, ()):
            continue
        where = "%s/%s" % (phase, name)
        if (where, h) in KNOWN:
            seen_known.add((where, h))
            print("arch: known (issue 12): generator/%s includes %s/%s: %s"
                  % (where, hphase, h, KNOWN[(where, h)]))
            continue
        errors.append("generator/%s includes %s/%s: %s may not depend on %s"
                      % (where, hphase, h, phase, hphase))
    for where, h in sorted(set(KNOWN) - seen_known) if len(sys.argv) == 1 else []:
        errors.append("tests/lint/arch.py: KNOWN lists generator/%s including %s, which no longer "
                      "happens; remove it from the list" % (where, h))
    for e in errors:
        print("arch: " + e)
    nedges = sum(len(v) for v in graph.values())
    print("arch: %d modules, %d dependencies, %d problem(s)" % (len(graph), nedges, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
