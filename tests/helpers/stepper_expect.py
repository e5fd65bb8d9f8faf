"""What the stepper page must show at each step, worked out here independently of it.

A plain re-implementation of the step sequence from the engine's own order (the computed
nodes of ``topological_order``, output first, as ``grad()`` and ``backward()`` go) and the op
table's partials: step 0 no grads, step 1 the seed on the root, then one node per step adds
``partial × its grad`` to each input. The graphs the browser and page tests use live here too.
"""

from __future__ import annotations

from autograd import Value, backward_order, topological_order
from autograd.draw.format import fmt_number, node_name, shown
from autograd.draw.structure import grad_of


def names(root: Value) -> list[str]:
    """The key of each node in ``window.chainrule.grads()``, in topological order."""
    order = topological_order(root)
    drawn = [shown(node_name(v, i)) for i, v in enumerate(order)]
    return [f"{n}#{i}" if drawn.count(n) > 1 else n for i, n in enumerate(drawn)]


def expected_grads(root: Value) -> list[dict[str, str | None]]:
    """For every step, each node's key -> the grad text the page must show (None: none yet)."""
    order = topological_order(root)
    keys = dict(zip(order, names(root), strict=True))
    grads: dict[Value, float] = {}
    out: list[dict[str, str | None]] = [dict.fromkeys(keys.values())]

    def snapshot() -> None:
        out.append({keys[v]: fmt_number(grads[v]) if v in grads else None for v in order})

    grads[root] = 1.0
    snapshot()
    for node in backward_order(root):
        g = grads[node]
        rule = node.rule
        assert rule is not None
        if g == 0.0:  # the engine skips it: its inputs keep what they have, or 0
            for inp in node.inputs:
                grads.setdefault(inp, 0.0)
        else:
            parts = rule.partials(*[v.data for v in node.inputs], node.data)
            for inp, p in zip(node.inputs, parts, strict=True):
                grads[inp] = grads.get(inp, 0.0) + p * g
        snapshot()
    return out


def backward_grads(root: Value) -> dict[str, str]:
    """Each node's key -> its grad after ``backward()`` from zero grads, as ``to_svg`` shows it."""
    order = topological_order(root)
    for v in order:
        v.grad = 0.0
    root.backward()
    return {k: fmt_number(grad_of(v)) for v, k in zip(order, names(root), strict=True)}


def shared() -> Value:
    """A graph with a shared subexpression: ``a = x·y`` feeds three ops, one of them ``a·a``
    (one node in two operand slots), and ``x`` is used twice."""
    x, y = Value(0.5, label="x"), Value(-0.8, label="y")
    a = x * y
    a.label = "a"
    b = a * a + x
    b.label = "b"
    c = b.tanh() * a
    c.label = "c"
    return c


def dead_relu() -> Value:
    """A ReLU at a negative input: its grad is 0, so backward skips it (nothing flows)."""
    w = Value(-1.0, label="w")
    h = (w * 2.0).relu()
    h.label = "h"
    out = h * 3.0 + w
    out.label = "out"
    return out
