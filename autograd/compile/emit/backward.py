"""The backward pass as source: the chain rule written out, node by node, output first.

For each node, from the output back to the leaves, its local partials come from the op's own
partials rule and each input gets ``dL_dinput += dL_dnode * partial`` (the first contribution
is an ``=``). The nodes are taken in the order of the dominator tree of the backward flow:
after a node come the nodes whose every path to the output runs through it, so a block that
only such a node feeds can be skipped when its gradient is exactly 0, as the eager engine
skips a node whose gradient is 0 (a dead ReLU, a sample outside the hinge's margin). Blocks
are skipped only where that pays: large ones, at most ``MAX_DEPTH`` deep.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

from autograd.compile.emit.names import Names, operand_texts
from autograd.compile.rules import Rules
from autograd.compile.rules.source import ATOM, INDENT, Printer, contribution, partial_lines
from autograd.compile.rules.symbolic import is_number
from autograd.compile.rules.template import Template, may_overflow
from autograd.compile.trace import Item, constants, sample

GUARD_MIN = 16
"""A node's block is skipped on a zero gradient if it holds at least this many contributions."""
MAX_DEPTH = 6
"""At most this many nested skips (Python limits how deep blocks nest)."""


@dataclass
class Line:
    text: str
    target: str = ""
    """The gradient this line adds to ("" for a line computing a partial)."""
    reads: tuple[str, ...] = ()
    assign: bool = False


@dataclass
class Block:
    guard: str = ""
    body: list[Line | Block] = field(default_factory=list)
    inits: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """What to differentiate: ``root`` (an item) with respect to the leaves of the wanted
    kinds; gradients named ``prefix + name``; the root's gradient starts at ``seed``."""

    root: int
    wants: frozenset[str]
    prefix: str
    seed: str
    accumulators: frozenset[int] = frozenset()


class Backward:
    def __init__(self, items: Sequence[Item], names: Sequence[str], rules: Rules,
                 ns: Names) -> None:
        self.items, self.names, self.rules, self.ns = items, names, rules, ns
        self._templates: dict[int, Template] = {}  # a node's partials: one per node, asked
        # by each of its operands (a sum of n terms would cost n * n otherwise)

    def section(self, s: Section) -> tuple[Block, dict[int, str]]:
        """The section's statements, and the gradient variable of each wanted leaf reached."""
        items = self.items
        needs = self._needs(s)
        if s.root not in needs:  # the output depends on no wanted leaf
            return Block(), {}
        nodes = [i for i in sorted(needs) if items[i].kind == "node"]
        users: dict[int, list[tuple[int, int]]] = {}
        for c in nodes:
            for k, j in enumerate(items[c].operands):
                if j in needs:
                    users.setdefault(j, []).append((c, k))
        gvar = {i: s.prefix + self.names[i] for i in needs}
        top = Block()
        top.body.append(Line(s.seed, gvar[s.root], assign=s.root not in s.accumulators))
        if items[s.root].kind == "node":
            self._emit(s.root, top, dominators(nodes, users, s.root), users, gvar)
        leaves = {i: gvar[i] for i in needs if items[i].kind != "node"}
        _initialise(top, set(leaves.values()), {gvar[i] for i in s.accumulators if i in gvar})
        return top, leaves

    def _needs(self, s: Section) -> set[int]:
        """The items on a path from a wanted leaf to the root."""
        items, reach, stack = self.items, set(), [s.root]
        while stack:
            i = stack.pop()
            if i not in reach:
                reach.add(i)
                stack.extend(items[i].operands)
        needs: set[int] = set()
        for i in sorted(reach):
            item = items[i]
            if item.kind in s.wants or (item.kind == "node"
                                        and any(j in needs for j in item.operands)):
                needs.add(i)
        return needs

    def _emit(self, root: int, top: Block, parents: dict[int, int],
              users: dict[int, list[tuple[int, int]]], gvar: dict[int, str]) -> None:
        children = sibling_order(parents, users)
        size: dict[int, int] = {}
        for i in [*sorted(parents), root]:
            own = sum(1 for j in self.items[i].operands if j in gvar)
            size[i] = own + sum(size[c] for c in children.get(i, []))
        stack: list[tuple[int, Block, int]] = [(root, top, 0)]
        while stack:
            i, block, depth = stack.pop()
            if i != root and depth < MAX_DEPTH and size[i] >= GUARD_MIN \
                    and self._may_vanish(users[i]):
                inner = Block(gvar[i])
                block.body.append(inner)
                block, depth = inner, depth + 1
            block.body += self._contributions(i, gvar)
            stack.extend((c, block, depth) for c in reversed(children.get(i, [])))

    def _may_vanish(self, users: list[tuple[int, int]]) -> bool:
        """Whether a gradient made of these contributions can be 0 where its user's is not:
        not if it is one user's gradient times a nonzero constant (``dL_dt2 = dL_dt3``)."""
        if len(users) != 1:
            return True
        c, k = users[0]
        t = self._partials(c)
        value = t.tree[k] if t.shape == "pure" and isinstance(t.tree, tuple) else None
        return not (is_number(value) and value != 0)

    def _partials(self, i: int) -> Template:
        found = self._templates.get(i)
        if found is None:
            item = self.items[i]
            assert item.op is not None
            found = self._templates[i] = self.rules.partials(
                item.op, [*constants(item, self.items), None],
                [*sample(item, self.items), item.data])
        return found

    def _contributions(self, i: int, gvar: dict[int, str]) -> list[Line]:
        item, names = self.items[i], self.names
        assert item.op is not None
        operands = [*operand_texts(item, self.items, names), names[i]]
        needed = [k for k, j in enumerate(item.operands) if j in gvar]
        t = self._partials(i)
        checked = [k for k, j in enumerate(item.operands) if j not in gvar and may_overflow(t, k)]
        fallback = self.ns.rule(item.op, partials=True)
        text, parts = partial_lines(t, operands, sorted(needed + checked), fallback,
                                    self.ns.rule)
        lines = [Line(t) for t in text]
        p = Printer(operands, self.ns.rule)
        g = gvar[i]
        for k in checked:  # see may_overflow
            x, precedence = parts[k].factor(p)
            x = x if precedence == ATOM else f"({x})"
            call = f"{fallback}({', '.join(operands)})"
            lines.append(Line(f"if {g} and {x} - {x}: {call}", reads=(g,)))
        for k in needed:
            lines.append(Line(contribution(g, parts[k], p), gvar[item.operands[k]], (g,)))
        return lines


def dominators(nodes: list[int], users: dict[int, list[tuple[int, int]]],
                root: int) -> dict[int, int]:
    """The immediate dominator of every node but the root, in the backward flow: the nearest
    node every path from it to the output runs through."""
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


def _initialise(top: Block, final_reads: set[str], accumulators: set[str]) -> None:
    """Decide, per gradient, where it starts: its first contribution is an ``=`` if every
    other use follows it in the same block or deeper; else it is set to 0.0 at the start of
    the innermost block holding all its uses."""
    uses: dict[str, list[tuple[tuple[int, ...], Line | None]]] = {}
    blocks: dict[tuple[int, ...], Block] = {(): top}
    stack: list[tuple[Block, tuple[int, ...], int]] = [(top, (), 0)]
    while stack:  # every entry in source order
        block, path, k = stack.pop()
        if k == len(block.body):
            continue
        stack.append((block, path, k + 1))
        entry = block.body[k]
        if isinstance(entry, Block):
            uses.setdefault(entry.guard, []).append((path, None))
            inner = (*path, k)
            blocks[inner] = entry
            stack.append((entry, inner, 0))
            continue
        for r in entry.reads:
            uses.setdefault(r, []).append((path, None))
        if entry.target:
            uses.setdefault(entry.target, []).append((path, entry))
    for var in final_reads:
        uses.setdefault(var, []).append(((), None))
    for var, seen in uses.items():
        if var in accumulators or all(line is None for _, line in seen):
            continue
        common = _common([p for p, _ in seen])
        path, line = seen[0]
        if line is not None and path == common:
            line.assign = True
        else:
            blocks[common].inits.append(var)


def _common(paths: list[tuple[int, ...]]) -> tuple[int, ...]:
    first = paths[0]
    n = min(len(p) for p in paths)
    k = 0
    while k < n and all(p[k] == first[k] for p in paths):
        k += 1
    return first[:k]


def render(block: Block, indent: str = "") -> list[str]:
    """The block as source lines (its guard, if any, is the caller's)."""
    lines = []
    if block.inits:
        lines.append(indent + " = ".join(block.inits) + " = 0.0")
    for entry in block.body:
        if isinstance(entry, Block):
            lines.append(f"{indent}if {entry.guard}:")
            lines += render(entry, indent + INDENT)
        elif entry.target:
            op = "=" if entry.assign else "+="
            lines.append(f"{indent}{entry.target} {op} {entry.text}")
        else:
            lines.append(indent + entry.text)
    return lines
