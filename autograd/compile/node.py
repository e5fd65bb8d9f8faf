"""Where the compiler meets the engine's Value and the table's Op: the one place that reads a
node's rule, makes a node, reads Values' numbers fast and hooks a placeholder into the ops, so
a change to their internals is adapted here alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from autograd.ops import Op
from autograd.value import Value, _node


def rule_of(v: Value) -> Op | None:
    """The op-table entry that computed ``v`` (None for a leaf)."""
    return v._rule


def make_node(data: float, symbol: str, partials: Callable[..., Sequence[Any]],
              inputs: Sequence[Value], numbers: Sequence[float]) -> Value:
    """A Value computed by a compiled program: ONE node whose inputs are the parameters and
    Value arguments and whose partials the generated code computed (``numbers``, which
    ``partials`` gives when called on numbers). Under ``no_grad()`` (or with no inputs) it is
    a plain leaf, as every op's result is."""
    if not inputs:  # nothing to differentiate: a constant, as an op on constants gives
        return Value(data)
    rule = Op("compiled", symbol, _not_a_forward, partials, len(inputs),
              accumulate=_accumulate(numbers))
    return _node(data, rule, tuple(inputs))


def _accumulate(numbers: Sequence[float]) -> Callable[[Sequence[Value], float], None]:
    """The node's first-order rule for ``backward()``: ``inp.grad += partial * g`` straight
    from the computed partials, with no list of the inputs' data to build for ``partials``."""
    def accumulate(inputs: Sequence[Value], g: float) -> None:
        for inp, p in zip(inputs, numbers):  # noqa: B905 (one partial per input, by making)
            inp._grad += p * g

    return accumulate


def _not_a_forward(*args: float) -> float:
    raise TypeError("a compiled program's node is made by calling the program, not its op")


_DATA = attrgetter("_data")  # the slot behind Value.data: a read without the property call


def numbers_of(values: Iterable[Value]) -> list[float]:
    """The numbers of ``values``, read as the engine reads them (a program reads every
    parameter at every call, so the property's call is left out)."""
    return list(map(_DATA, values))


def route_ops(cls: type, apply: Callable[[Op, tuple[Any, ...]], Any]) -> None:
    """Make every op of the table, called with an instance of ``cls`` among its operands,
    return ``apply(op, operands)`` instead of computing on numbers: the hook by which an op
    applied to a Value makes a node, so the compiler's placeholders are answered alike."""
    cls._apply_op = staticmethod(apply)  # type: ignore[attr-defined]
