"""The dominator tree of the backward flow: a node's immediate dominator is the nearest node
every path from it to the output runs through; the backward pass takes nodes in this tree's
order, so a block only its dominator feeds can be skipped when that gradient is 0."""

from __future__ import annotations

import heapq


def dominators(nodes: list[int], users: dict[int, list[tuple[int, int]]],
                root: int) -> dict[int, int]:
    """The immediate dominator of every node but the root, in the backward flow."""
    parent: dict[int, int] = {}
    depth = {root: 0}
    for i in reversed(nodes):  # users before the nodes they use
        if i == root:
            continue
        up = [c for c, _ in users[i]]
        d = up[0]
        for u in up[1:]:
            d = _meet(d, u, parent, depth)
        parent[i], depth[i] = d, depth[d] + 1
    return parent


def sibling_order(parents: dict[int, int],
                   users: dict[int, list[tuple[int, int]]]) -> dict[int, list[int]]:
    """The children of every node in the dominator tree, in an order the backward pass can
    take: a child after every sibling whose block uses it, else in forward order (so the
    notes' N1 comes before N2)."""
    children: dict[int, list[int]] = {}
    for node, parent in sorted(parents.items()):
        children.setdefault(parent, []).append(node)
    before: dict[int, set[int]] = {}  # child -> siblings that must come first
    for a, parent in parents.items():
        for user, _ in users[a]:
            c = user  # climb to the child of a's parent whose block holds the user
            while c != parent and parents[c] != parent:
                c = parents[c]
            if c not in (parent, a):
                before.setdefault(a, set()).add(c)
    ordered = {}
    for parent, kids in children.items():
        waiting = {k: len(before.get(k, ())) for k in kids}
        frees: dict[int, list[int]] = {}  # sibling -> the siblings waiting for it
        for k in kids:
            for first in before.get(k, ()):
                frees.setdefault(first, []).append(k)
        ready = [k for k in kids if not waiting[k]]
        heapq.heapify(ready)
        out = []
        while ready:
            k = heapq.heappop(ready)
            out.append(k)
            for other in frees.get(k, ()):
                waiting[other] -= 1
                if not waiting[other]:
                    heapq.heappush(ready, other)
        ordered[parent] = out
    return ordered


def _meet(a: int, b: int, parent: dict[int, int], depth: dict[int, int]) -> int:
    while a != b:
        if depth[a] < depth[b]:
            a, b = b, a
        a = parent[a]
    return a
