#!/usr/bin/env python3
"""layers.py - the dependency stack as a test (issue 10 item 4).

Reads the stack from docs/architecture.md (the block under "## The stack":
one floor per line, top first, several folders of one floor separated by
spaces) and fails when
  1. a file under src/ includes a header of a floor above its own;
  2. a file calls a function or uses an object defined on a floor above
     its own (from the symbols of the built objects, nm);
  3. files call each other in a circle (src/, tools/ecs/, tools/bench/).
Usage: tests/layers.py [BUILD_DIR]   (default build/; objects must exist)
Prints "layers: N passed, M failed"."""
import os, re, subprocess, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
os.chdir(ROOT)
B = sys.argv[1] if len(sys.argv) > 1 else 'build'
passed = failed = 0


def ok(cond, what, detail=''):
    global passed, failed
    if cond:
        passed += 1
        print('ok - ' + what)
    else:
        failed += 1
        print('not ok - ' + what + (': ' + detail if detail else ''))


def read_stack():
    text = open('docs/architecture.md').read()
    m = re.search(r'^## The stack\n.*?^```text[^\n]*\n(.*?)^```', text, re.S | re.M)
    if not m:
        return None
    floors = []
    for line in m.group(1).splitlines():
        line = line.split('#')[0].strip()
        if line:
            floors.append(line.split())
    return floors


floors = read_stack()
ok(floors is not None and len(floors) > 2, 'docs/architecture.md states the stack')
if not floors:
    print(f'layers: {passed} passed, {failed} failed')
    sys.exit(1)
# unit -> floor number (0 = top). A unit is "folder/" or a file at src/.
rank = {}
for i, fl in enumerate(floors):
    for u in fl:
        rank[u] = i


def unit_of(path):
    """src/actions/act.c -> 'actions/'; src/main.c -> 'main.c'."""
    rel = os.path.relpath(path, 'src')
    parts = rel.split(os.sep)
    return parts[0] + '/' if len(parts) > 1 else parts[0]


src_files = sorted(os.path.join(d, f) for d, _, fs in os.walk('src') for f in fs
                   if f.endswith(('.c', '.h')))
unplaced = sorted({unit_of(f) for f in src_files if unit_of(f) not in rank})
ok(not unplaced, 'every folder of src/ has a floor in the stack', ' '.join(unplaced))

# 1. includes
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
bad = []
for f in src_files:
    u = unit_of(f)
    if u not in rank:
        continue
    for h in inc_re.findall(open(f, errors='replace').read()):
        target = os.path.normpath(os.path.join(os.path.dirname(f), h))
        if not target.startswith('src' + os.sep) or target.endswith('.def'):
            continue
        tu = unit_of(target)
        if tu == u or tu not in rank:
            continue
        if rank[tu] < rank[u]:
            bad.append(f'{f} includes {target} ({tu} is above {u})')
ok(not bad, 'no file includes a header of a floor above its own', '\n    ' + '\n    '.join(bad))


# 2 and 3: symbols of the built objects
def symbols(obj):
    out = subprocess.run(['nm', '--defined-only', '-g', obj], capture_output=True, text=True).stdout
    defs = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3}
    out = subprocess.run(['nm', '-u', obj], capture_output=True, text=True).stdout
    uses = {l.split()[-1] for l in out.splitlines() if l.split()}
    return defs, uses


def graph(sources):
    objs = {s: os.path.join(B, 'obj', s[:-2] + '.o') for s in sources}
    missing = [o for o in objs.values() if not os.path.exists(o)]
    if missing:
        return None, missing
    defs, uses = {}, {}
    for s, o in objs.items():
        defs[s], uses[s] = symbols(o)
    owner = {}
    for s, d in defs.items():
        for sym in d:
            owner[sym] = s
    edges = {s: {owner[x] for x in uses[s] if x in owner and owner[x] != s} for s in sources}
    return edges, []


def circles(edges):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
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
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


c_src = [f for f in src_files if f.endswith('.c')]
edges, missing = graph(c_src)
if edges is None:
    ok(False, f'objects of src/ built in {B}/', ' '.join(missing[:5]))
else:
    up = []
    for s, ts in sorted(edges.items()):
        u = unit_of(s)
        for t in sorted(ts):
            tu = unit_of(t)
            if tu != u and u in rank and tu in rank and rank[tu] < rank[u]:
                up.append(f'{s} calls into {t} ({tu} is above {u})')
    ok(not up, 'no file calls into a floor above its own', '\n    ' + '\n    '.join(up))
    # circles are listed, not yet enforced: the store's vtables and the
    # ctl/ endpoints still form some (issue 10: not done)
    for c in circles(edges):
        print('# circle (not yet enforced): ' + ' <-> '.join(c))

for tool in ('tools/ecs', 'tools/bench'):
    srcs = sorted(os.path.join(tool, f) for f in os.listdir(tool) if f.endswith('.c')) if os.path.isdir(tool) else []
    if not srcs:
        continue
    edges, missing = graph(srcs)
    if edges is None:
        ok(False, f'objects of {tool}/ built in {B}/', ' '.join(missing[:5]))
        continue
    for c in circles(edges):
        print(f'# circle in {tool}/ (not yet enforced): ' + ' <-> '.join(c))

print(f'layers: {passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
