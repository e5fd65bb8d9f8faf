"""Where the compiler meets the engine's Value: the one place that reads a node's rule and
the one place that makes a node, so a change to Value's internals is adapted here alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.engine import is_grad_enabled
from autograd.ops import Op
from autograd.value import Value


def rule_of(v: Value) -> Op | None:
    """The op-table entry that computed ``v`` (None for a leaf)."""
    return v.rule


def make_node(data: float, symbol: str, partials: Callable[..., Sequence[Any]],
              inputs: Sequence[Value], numbers: Sequence[float]) -> Value:
    """A Value computed by a compiled program: ONE node whose inputs are the parameters and
    Value arguments and whose partials the generated code computed (``numbers``: ``partials``
    gives them when called on numbers). Under ``no_grad()`` (or with no inputs) it is
    a plain leaf, as every op's result is."""
    if not inputs:  # nothing to differentiate: a constant, as an op on constants gives
        return Value(data)
    out = Value(data)
    if is_grad_enabled():
        out.inputs = tuple(inputs)
        out.rule = Op("compiled", symbol, _not_a_forward, partials, len(inputs))
    return out


def _not_a_forward(*args: float) -> float:
    raise TypeError("a compiled program's node is made by calling the program, not its op")
