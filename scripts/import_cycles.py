"""Print the import cycles among the project's modules and exit 1 when there is any (make lint runs this).

A cycle is a group of modules that reach each other through imports, directly or through a chain (a strongly
connected component of the import graph with more than one module). Migrations are left out; every import
counts, also one inside a function, but not one under `if TYPE_CHECKING:` (it never runs).
"""

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = ("partners", "security", "households", "ledger", "arrears", "reporting", "privacy", "demo", "config")


def import_graph():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS, include_external_packages=False, exclude_type_checking_imports=True)
    for module in list(graph.modules):
        if ".migrations" in module and module in graph.modules:
            graph.remove_module(module)
    return graph


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan, iterative), each sorted."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & graph.modules) for m in modules}
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            for j in range(i, len(edges[node])):
                target = edges[node][j]
                if target not in index:
                    work.append((node, j + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return sorted(found)


def main():
    graph = import_graph()
    found = cycles(graph)
    for component in found:
        first = component[0]
        loop = [first]
        for other in component[1:]:
            there = graph.find_shortest_chain(importer=first, imported=other)
            back = graph.find_shortest_chain(importer=other, imported=first)
            if there and back:
                loop = list(there) + list(back[1:])
                break
        print(f"Import cycle among {len(component)} modules: {', '.join(component)}")
        print(f"  for example: {' -> '.join(loop)}")
    print(f"{len(found)} import cycle(s) among {len(graph.modules)} modules.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
