#!/usr/bin/env python3
"""The layers of the C (test/cases/layers.sh runs it).

    python3 test/cases/layers.py SRC_DIR

SRC_DIR is a built src/ (its .o files beside the .c files: make).  Every
file of the library is in a layer:

    base      src/*.c, src/*.h but arrima_stats.c: outcomes, tallies, the
              calendar, ingestion, reading rows
    lp        src/disclosure/lp*       the LP facade (lp_dense.* private to it)
    audit     src/disclosure/audit*    the audit engine
    model     src/disclosure/model*    the tables as sums over groups
    series    src/disclosure/series*   releases, segments, flows, classes
    items     src/disclosure/items*    what must stay protected
    suppress  src/disclosure/suppress* the withholding
    sql       src/disclosure/sql*      the SQL entry points
    module    src/arrima_stats.c       module magic and _PG_init

in that order, from the bottom (src/legacy/, a library of its own, is left
out).  A disclosure layer shows the layers above one header, named after
it (lp.h, audit.h ...); any other header of the layer is private to it.

It fails, naming the files, when
  - a file includes a header of a higher layer, or another layer's
    private header;
  - a file calls a function (or reads a variable) of a file of a higher
    layer: the call graph is the objects' own, from nm (a symbol a .o
    needs, defined by another .o);
  - files depend on each other, through includes or calls (a cycle);
  - a file of src/disclosure/ is in no layer.
"""

import os
import re
import subprocess
import sys

DISCLOSURE = ["lp", "audit", "model", "series", "items", "suppress", "sql"]
ORDER = ["base"] + DISCLOSURE + ["module"]
RANK = {name: i for i, name in enumerate(ORDER)}


def layer_of(path):
    """The layer of a file (path relative to src/), or None if in none."""
    if path == "arrima_stats.c":
        return "module"
    if path.startswith("disclosure/"):
        name = re.split(r"[_.]", os.path.basename(path), maxsplit=1)[0]
        return name if name in DISCLOSURE else None
    return "base"


def is_public_header(path):
    """A disclosure layer's one header, or any header of base."""
    layer = layer_of(path)
    if layer in DISCLOSURE:
        return path == f"disclosure/{layer}.h"
    return True


def sources(src):
    files = []
    for root, dirs, names in os.walk(src):
        dirs[:] = [d for d in dirs if d != "legacy"]
        for name in names:
            if name.endswith((".c", ".h")) and name != "README":
                files.append(os.path.relpath(os.path.join(root, name), src))
    return sorted(files)


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(src, path, files):
    """The project's headers a file includes (quoted, found as the compiler
    would: beside the file, then in src/)."""
    with open(os.path.join(src, path), encoding="utf-8") as f:
        text = f.read()
    found = []
    for name in INCLUDE.findall(text):
        for candidate in (os.path.normpath(os.path.join(os.path.dirname(path), name)),
                          os.path.normpath(name)):
            if candidate in files:
                found.append(candidate)
                break
    return found


def symbols(src, objects):
    """(defined, needed): symbol -> object, and object -> symbols it needs."""
    defined = {}
    needed = {}
    for obj in objects:
        out = subprocess.run(["nm", "-P", os.path.join(src, obj)], check=True,
                             capture_output=True, text=True).stdout
        needed[obj] = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            name, kind = parts[0], parts[1]
            if kind == "U":
                needed[obj].add(name)
            elif kind.isupper():
                defined[name] = obj
    return defined, needed


def cycles(nodes, edges):
    """The strongly connected components of more than one node (Tarjan)."""
    index = {}
    low = {}
    stack = []
    on_stack = set()
    result = []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(edges.get(v, ()))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            advanced = False
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    advanced = True
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return result


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    files = sources(src)
    problems = []
    for path in files:
        if layer_of(path) is None:
            problems.append(f"{path} is in no layer (name it after one: {', '.join(DISCLOSURE)})")
    files = [f for f in files if layer_of(f) is not None]
    fileset = set(files)

    edges = {f: set() for f in files}
    nincludes = 0
    for path in files:
        for header in includes(src, path, fileset):
            nincludes += 1
            edges[path].add(header)
            mine, theirs = layer_of(path), layer_of(header)
            if RANK[theirs] > RANK[mine]:
                problems.append(f"{path} ({mine}) includes {header}, of a higher layer ({theirs})")
            elif theirs != mine and not is_public_header(header):
                problems.append(f"{path} ({mine}) includes {header}, private to the layer {theirs} "
                                f"(its header is disclosure/{theirs}.h)")

    objects = []
    for path in files:
        if path.endswith(".c"):
            obj = path[:-2] + ".o"
            if not os.path.exists(os.path.join(src, obj)):
                sys.exit(f"{obj} is missing: build first (make)")
            if os.path.getmtime(os.path.join(src, obj)) < os.path.getmtime(os.path.join(src, path)):
                sys.exit(f"{obj} is older than {path}: build first (make)")
            objects.append(obj)
    defined, needed = symbols(src, objects)
    ncalls = 0
    for obj in objects:
        path = obj[:-2] + ".c"
        for name in sorted(needed[obj]):
            other = defined.get(name)
            if other is None or other == obj:
                continue
            target = other[:-2] + ".c"
            if target not in edges[path]:
                ncalls += 1
            edges[path].add(target)
            mine, theirs = layer_of(path), layer_of(target)
            if RANK[theirs] > RANK[mine]:
                problems.append(f"{path} ({mine}) calls {name} of {target}, of a higher layer ({theirs})")

    for component in cycles(files, edges):
        problems.append("these files depend on each other (includes or calls): "
                        + ", ".join(component))

    by_layer = {}
    for path in files:
        by_layer.setdefault(layer_of(path), []).append(path)
    for name in ORDER:
        print(f"{name:9} {len(by_layer.get(name, [])):2d} files")
    print(f"{len(files)} files, {nincludes} includes of the project's headers, "
          f"{ncalls} dependencies of a file on another's symbols")
    if problems:
        for p in problems:
            print("FAIL: " + p)
        sys.exit(1)
    print("no file includes or calls a higher layer, or another layer's private header; no cycle")


if __name__ == "__main__":
    main()
