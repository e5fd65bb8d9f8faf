"""The n-ary nodes: a neuron's weighted sum and a total, each ONE node however many operands.

The notes draw ``N1 = w1*x1 + w2*x2 + w3*x3 + b1`` as one neuron, and so does the graph: one
``wsum`` node with the weights, the inputs and the bias as its operands, not a chain of
binary ``*`` and ``+``. A long sum is one ``sum`` node for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from autograd import ops
from autograd._floats import overflowed as _overflowed
from autograd.value import Value, _lift, _node

_WSUM, _SUM = ops.WSUM, ops.SUM


def weighted_sum(weights: Sequence[Value | float], inputs: Sequence[Value | float],
                 bias: Value | float) -> Value:
    """``w1*x1 + ... + wn*xn + b`` as ONE node (the notes' N1); inputs are (w..., x..., b).

    Numbers among the operands become constant leaves; anything else is a ``TypeError``.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"wsum: {len(weights)} weight(s) for {len(inputs)} input(s)")
    try:
        # The table's wsum forward, summed in its order, read straight from the Values: a
        # neuron makes one of these per sample, so it is most of an MLP's forward pass.
        # From -0.0, the one float that adds as nothing (0.0 + -0.0 is 0.0, a sign lost).
        n = -0.0
        for w, x in zip(weights, inputs):  # noqa: B905 (lengths checked; strict= costs a call)
            n += w._data * x._data  # type: ignore[union-attr]
        n += bias._data  # type: ignore[union-attr]
    except AttributeError:  # numbers among the operands: they become constant leaves
        lifted = tuple(_lift(a, "wsum") for a in (*weights, *inputs, bias))
        return _node(_WSUM.forward(*[a._data for a in lifted]), _WSUM, lifted)
    args: tuple[Value, ...] = (*weights, *inputs, bias)  # type: ignore[arg-type]  # all Values
    if n - n:
        n = _overflowed("wsum", n, *[a._data for a in args])
    return _node(n, _WSUM, args)


def total(values: Iterable[Value | float]) -> Value:
    """``x1 + ... + xn`` as ONE node (n-ary, so a long sum is not a long chain).

    An empty sum is ``Value(0.0)``, a constant, as Python's ``sum([])`` is 0.
    """
    args = tuple(_lift(v, "sum") for v in values)
    if not args:
        return Value(0.0)
    return _node(_SUM.forward(*[a._data for a in args]), _SUM, args)
