"""The n-ary nodes: a neuron's weighted sum and a total, each ONE node however many operands.

The notes draw ``N1 = w1*x1 + w2*x2 + w3*x3 + b1`` as one neuron, and so does the graph: one
``wsum`` node with the weights, the inputs and the bias as its operands, not a chain of
binary ``*`` and ``+``. A long sum is one ``sum`` node for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from autograd import ops
from autograd.value import Value


def weighted_sum(weights: Sequence[Value | float], inputs: Sequence[Value | float],
                 bias: Value | float) -> Value:
    """``w1*x1 + ... + wn*xn + b`` as ONE node (the notes' N1); inputs are (w..., x..., b).

    Numbers among the operands become constant leaves; anything else is a ``TypeError``.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"wsum: {len(weights)} weight(s) for {len(inputs)} input(s)")
    return Value.apply_op(ops.WSUM, (*weights, *inputs, bias))


def total(values: Iterable[Value | float]) -> Value:
    """``x1 + ... + xn`` as ONE node (n-ary, so a long sum is not a long chain).

    An empty sum is ``Value(0.0)``, a constant, as Python's ``sum([])`` is 0.
    """
    args = tuple(values)
    return Value.apply_op(ops.SUM, args) if args else Value(0.0)


def sum_of_squares(values: Iterable[Value | float]) -> Value:
    """``x1² + ... + xn²`` as ONE node (``sumsq``), whose partial for each x is 2x: an l2
    penalty over a model's parameters. An empty sum is ``Value(0.0)``, a constant."""
    args = tuple(values)
    return Value.apply_op(ops.SUMSQ, args) if args else Value(0.0)
