"""Many nodes at once: a dense layer's weighted sums and its activations, over a batch.

The nodes are exactly those ``weighted_sum`` and the op would build one at a time; building
them together lets each weight be checked and read once per batch instead of once per sample,
and skips a call per node. ``mlp.Layer`` builds its forward pass over a batch with these.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import mul

from autograd._floats import overflowed as _overflowed
from autograd.ops import WSUM as _WSUM
from autograd.ops import Op
from autograd.value import _JUST_VALUE, Value, _describe, _get_data, _lift, _new, _recording


def weighted_sums(weights: Sequence[Sequence[Value]], biases: Sequence[Value],
                  batch: Sequence[Sequence[Value | float]],
                  labels: Sequence[str] | None = None) -> list[list[Value]]:
    """A dense layer over a batch: for each x in ``batch``, ``weighted_sum(W[i], x, b[i])``
    for every row i, returned as one list of nodes per x; ``labels[i]`` labels row i's nodes.

    The nodes are the very nodes ``weighted_sum`` builds; they are only computed together,
    so each weight is checked and read once per batch instead of once per sample.
    """
    n = _check_layer(weights, biases, labels)
    rows = [(tuple(row), list(map(_get_data, row)), (b,), b.data, label)
            for row, b, label in zip(weights, biases, labels or [""] * len(biases), strict=True)]
    recording = _recording()
    out = []
    for x in batch:
        if len(x) != n:
            raise ValueError(f"wsum: {n} weight(s) per row for {len(x)} input(s)")
        xs: tuple[Value, ...] = (
            tuple(x) if _JUST_VALUE.issuperset(map(type, x))  # type: ignore[arg-type]
            else tuple(_lift(v, "wsum") for v in x)
        )
        xd = list(map(_get_data, xs))
        nodes = []
        for w, wd, b, bd, label in rows:
            node = _new(Value)  # _node() inlined: this loop makes most nodes of a training step
            r = sum(map(mul, wd, xd)) + bd
            node.data = _overflowed("wsum", r, *wd, *xd, bd) if r - r else r
            node.grad = 0.0
            node.label = label
            if recording:
                node.inputs, node.op, node._rule = w + xs + b, "wsum", _WSUM
            else:
                node.inputs, node.op, node._rule = (), "", None
            nodes.append(node)
        if recording is not True and recording:
            recording.record_many(nodes, xs)  # the weights were checked once, below
        out.append(nodes)
    if recording is not True and recording:
        recording.check_inputs([*biases, *(w for row in weights for w in row)])
    return out


def _check_layer(weights: Sequence[Sequence[Value]], biases: Sequence[Value],
                 labels: Sequence[str] | None) -> int:
    """The inputs per row of a dense layer's weights, after checking them; see weighted_sums."""
    if len(weights) != len(biases) or (labels is not None and len(labels) != len(biases)):
        raise ValueError(f"wsum: {len(weights)} weight row(s) for {len(biases)} bias(es)"
                         + (f" and {len(labels)} label(s)" if labels is not None else ""))
    sizes = {len(row) for row in weights}
    if len(sizes) > 1:
        raise ValueError(f"wsum: weight rows of different lengths {sorted(sizes)}")
    params = [*biases, *(w for row in weights for w in row)]
    if not _JUST_VALUE.issuperset(map(type, params)):
        bad = next(p for p in params if not isinstance(p, Value))
        raise TypeError(f"wsum: weights and biases must be Values, got {_describe(bad)}")
    return sizes.pop() if sizes else 0


def apply_each(rule: Op, values: Sequence[Value],
               labels: Sequence[str] | None = None) -> list[Value]:
    """``[rule(v) for v in values]`` for a one-operand op, result i labelled ``labels[i]``.

    The same nodes as calling the op one by one, built in one loop (a layer's activations).
    """
    if rule.arity != 1:
        raise TypeError(f"{rule.name}: apply_each needs a one-operand op")
    if labels is None:
        labels = [""] * len(values)
    elif len(labels) != len(values):
        raise ValueError(f"{rule.name}: {len(labels)} label(s) for {len(values)} value(s)")
    if not _JUST_VALUE.issuperset(map(type, values)):
        bad = next(v for v in values if not isinstance(v, Value))
        raise TypeError(f"{rule.name}: operand must be a Value, got {_describe(bad)}")
    forward, name = rule.forward, rule.name
    recording = _recording()
    out = []
    for v, label in zip(values, labels, strict=True):
        node = _new(Value)  # _node() inlined, as in weighted_sums
        node.data = forward(v.data)
        node.grad = 0.0
        node.label = label
        if recording:
            node.inputs, node.op, node._rule = (v,), name, rule
        else:
            node.inputs, node.op, node._rule = (), "", None
        out.append(node)
    if recording is not True and recording:
        recording.record_many(out, values)
    return out
