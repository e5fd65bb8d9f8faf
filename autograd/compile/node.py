"""Where the compiler meets the engine's Value and the table's Op: the one place that reads a
node's rule, makes a node and hooks a placeholder into the ops, so a change to their internals
is adapted here alone."""

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
              inputs: Sequence[Value]) -> Value:
    """A Value computed by a compiled program: ONE node whose inputs are the parameters and
    Value arguments and whose partials the generated code computed (``partials`` gives them
    when called on numbers). Under ``no_grad()``, or with no inputs (nothing to differentiate,
    as an op on constants gives), it is a plain leaf, as every op's result is."""
    out = Value(data)
    if inputs and is_grad_enabled():
        out.inputs = tuple(inputs)
        out.rule = Op("compiled", symbol, _not_a_forward, partials, len(inputs))
    return out


def _not_a_forward(*args: float) -> float:
    raise TypeError("a compiled program's node is made by calling the program, not its op")


def route_ops(cls: type, apply: Callable[[Op, tuple[Any, ...]], Any]) -> None:
    """Make every op of the table, called with an instance of ``cls`` among its operands,
    return ``apply(op, operands)`` instead of computing on numbers: the hook by which an op
    applied to a Value makes a node, so the compiler's placeholders are answered alike."""
    cls.apply_op = staticmethod(apply)  # type: ignore[attr-defined]
