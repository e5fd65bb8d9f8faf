"""The chain rule, run by itself: backward, propagate, grad() and no_grad().

One loop does the work: for each node, from the output back to the leaves,
``input.grad += local_partial * node.grad``. The partials come from the op table; the order
comes from ``autograd.walk``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, overload

from autograd import value as _value
from autograd.seeds import seeded_root
from autograd.value import _GRAD_ENABLED, _STALE, Value
from autograd.walk import _backward_order, _gradient_order, _ZeroMark, topological_order

__all__ = ["backward", "enable_grad", "grad", "is_grad_enabled", "no_grad", "propagate",
           "topological_order"]


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return bool(_GRAD_ENABLED.get())


@contextmanager
def no_grad() -> Iterator[None]:
    """Record no graph inside the block: results are plain leaves, and inference is fast.

    The switch is a ContextVar, so it holds for this thread or asyncio task only.
    """
    token = _GRAD_ENABLED.set(False)
    try:
        yield
    finally:
        _GRAD_ENABLED.reset(token)


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record graphs again inside the block, even within ``no_grad()``."""
    token = _GRAD_ENABLED.set(True)
    try:
        yield
    finally:
        _GRAD_ENABLED.reset(token)


_LOCK = threading.RLock()
"""Held by ``backward()``: one pass at a time in a process. A pass marks and sums in the
``.grad`` of every node it reaches, so two passes over graphs that share a node must not
interleave. ``grad()`` keeps its sums in a dict of its own and needs no lock."""


def backward(root: Value | Sequence[Value], create_graph: bool = False, *,
             gradient: object = None) -> None:
    """Fill ``.grad`` of every node in ``root``'s graph; see ``Value.backward``.

    ``root`` may be a list of outputs, as in ``torch.autograd.backward``: one pass, each node
    gets the sum over the outputs. ``gradient`` seeds the pass: dL/droot = gradient (a
    number; a list of numbers for a list of outputs) instead of 1 (``autograd.seeds``).
    """
    _check_flag(create_graph, "backward")
    root = seeded_root(root, gradient, "backward", "gradient")
    with _LOCK:
        if create_graph:
            _backward_values(root)
        else:
            _backward_floats(root)


def _check_flag(create_graph: object, who: str) -> None:
    if not isinstance(create_graph, bool):
        hint = ""
        if isinstance(create_graph, (int, float)):
            hint = f"; to seed the pass with d/dy = {create_graph!r:.20}, pass gradient="
        raise TypeError(f"{who}: create_graph must be True or False, got "
                        f"{type(create_graph).__name__} {create_graph!r:.40}{hint}")


def _backward_floats(root: Value) -> None:
    """The first-order pass, on floats: the hot loop of every training step.

    All or nothing: if anything in it raises (a partial outside its domain, data written
    after recording, an interrupt), every ``.grad`` it touched gets its old value back.
    """
    if not root.inputs:
        root._grad += 1.0
        return
    done: Any = _ZeroMark()
    kept: dict[Value, Any] = {}
    leaves: list[Value] = []
    olds: list[Any] = []
    order: list[Value] | None = None
    try:
        order = _backward_order(root, done, kept, leaves, olds)  # every grad reached: 0.0
        root._grad = 1.0
        propagate(order)
        # A leaf's grad accumulates: its old grad plus this pass's sum (if anything reached it).
        sums = [old if v._grad is done else old + v._grad
                for v, old in zip(leaves, olds, strict=True)]
        for leaf, total in zip(leaves, sums, strict=True):
            leaf._grad = total
    except BaseException:
        _put_back(root, order, kept)
        for leaf, old in zip(leaves, olds, strict=True):
            leaf._grad = old
        raise


def _put_back(root: Value, order: list[Value] | None, kept: dict[Value, Any]) -> None:
    """After a failed pass, every grad as it was: the computed nodes it reached (all of
    ``order``, or those still holding a walk's mark if the walk itself was cut short) back to
    0.0, then the grads ``kept`` by the walk."""
    if order is None:
        order = [v for v in topological_order(root, leaves=False)
                 if isinstance(v._grad, _ZeroMark)]
    for node in order:
        node._grad = 0.0
    for v, g in kept.items():
        v._grad = g


def _backward_values(root: Value) -> None:
    """``backward(create_graph=True)``: the grads become Values, from ``_gradients``; every
    new grad is computed before any is stored, so a pass that raises stores none."""
    order = _gradient_order(root)
    grads = _gradients(root, create_graph=True, order=order)
    # Every computed node shows this pass, 0 where nothing reached it; a leaf's old grad plus
    # this pass's: a graph too, even inside no_grad().
    new: dict[Value, Any] = {}
    for node in order:
        g = grads.get(node)
        new[node] = g if g is not None else Value(0.0)
    with enable_grad():
        for node, g in grads.items():
            if not node.inputs:
                new[node] = g if _is_zero(node._grad) else node._grad + g
    for node, g in new.items():
        node._grad = g


def propagate(order: Iterable[Value]) -> None:
    """The chain rule on floats: for each node, before all of its inputs, add
    ``partial * node.grad`` to each input's grad. The grads of the computed nodes must start
    at 0.0 and the root's at 1.0; this loop is the engine. It is a building block: unlike
    ``backward()`` it takes no lock and puts nothing back if a partial raises."""
    clock = _value._writes
    for node in order:
        g: Any = node._grad  # a float on this pass
        if g == 0.0:
            node._grad = 0.0  # a plain 0.0 in place of the walk's mark
            continue  # nothing flows back from here (a dead ReLU, say)
        if node._stamp != clock:  # some data was written since node was made: whose?
            check_recorded(node, "backward")
        inputs = node.inputs
        rule: Any = node._rule  # never None: order holds computed nodes only
        n = len(inputs)
        if n == 1:
            (a,) = inputs
            (pa,) = rule.partials(a._data, node._data)
            a._grad += pa * g
        elif n == 2:
            a, b = inputs
            pa, pb = rule.partials(a._data, b._data, node._data)
            a._grad += pa * g
            b._grad += pb * g
        elif rule.accumulate is not None:
            rule.accumulate(inputs, g)
        else:
            parts = rule.partials(*[v._data for v in inputs], node._data)
            for inp, p in zip(inputs, parts, strict=True):
                inp._grad += p * g


def check_recorded(node: Value, who: str) -> None:
    """Raise ``RuntimeError`` if ``node``'s data, or an input's, was written after ``node``
    was computed: its partials would then mix the point it was recorded at with a new one."""
    made = node._stamp
    for i, v in enumerate((node, *node.inputs)):
        if v._stamp == _STALE:
            raise RuntimeError(
                f"{who}: the data of {_name(v)} was set by hand after it was computed, so no "
                "gradient flows through it (its data no longer follows from its inputs); run "
                "the forward pass again")
        if v._stamp > made:
            raise RuntimeError(
                f"{who}: the data of {_name(v)} (operand {i} of {node.op}) was changed after "
                "the graph was recorded, so its gradient would mix two points; run the "
                "forward pass again (e.g. a new loss after optimizer.step())")


def _name(v: Value) -> str:
    if v.label:
        return repr(v.label)
    return f"a {v.op} node" if v.inputs else "an unlabelled leaf"


@overload
def grad(output: Value | Sequence[Value], inputs: Iterable[Value],
         create_graph: Literal[False] = ..., *, grad_outputs: object = ...) -> list[float]: ...
@overload
def grad(output: Value | Sequence[Value], inputs: Iterable[Value], create_graph: Literal[True],
         *, grad_outputs: object = ...) -> list[Value]: ...
@overload
def grad(output: Value | Sequence[Value], inputs: Iterable[Value], create_graph: bool,
         *, grad_outputs: object = ...) -> list[Any]: ...
def grad(output: Value | Sequence[Value], inputs: Iterable[Value], create_graph: bool = False,
         *, grad_outputs: object = None) -> list[Any]:
    """d(output)/d(input) for each input, leaving every ``.grad`` untouched.

    Returns floats; with ``create_graph=True`` returns Values that can be differentiated
    again (``grad(dx, [x])`` is then the second derivative), to any order, and no reference
    cycles. Thread-safe: it keeps its sums in a dict of its own, so threads may call it at
    once, on graphs that share nodes, and while another thread runs ``backward()``. A graph
    whose data was written after it was recorded raises ``RuntimeError``.
    """
    if isinstance(inputs, Value) or not isinstance(inputs, Iterable):
        raise TypeError(f"grad: inputs must be a list of Values, e.g. grad(y, [x]); got "
                        f"{type(inputs).__name__}")
    _check_flag(create_graph, "grad")
    inputs = list(inputs)  # an iterator is read once: here, not again below
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__}")
    root = seeded_root(output, grad_outputs, "grad", "grad_outputs", "output")
    grads = _gradients(root, create_graph=create_graph)
    zero: Any = Value(0.0) if create_graph else 0.0
    return [grads.get(x, zero) for x in inputs]


def _is_zero(g: Any) -> bool:
    return isinstance(g, float) and g == 0.0


def _gradients(root: Value, create_graph: bool,
               order: list[Value] | None = None) -> dict[Value, Any]:
    """d(root)/d(node) for every node reached, kept in a dict (``.grad`` is not touched).

    With ``create_graph`` the partials are evaluated on the Values themselves, so every
    gradient is a Value with a graph of its own: the same rules, one order higher.
    ``order`` is ``_gradient_order(root)``, if the caller has walked it already.
    """
    grads: dict[Value, Any] = {root: Value(1.0) if create_graph else 1.0}
    clock, who = _value._writes, "backward" if order is not None else "grad"
    token = _GRAD_ENABLED.set(True) if create_graph else None
    try:
        for node in _gradient_order(root) if order is None else order:
            g = grads.get(node)
            if g is None or _is_zero(g):
                continue
            rule = node._rule
            assert rule is not None
            if node._stamp != clock:
                check_recorded(node, who)
            if create_graph:
                parts = rule.partials(*node.inputs, node)
            else:
                parts = rule.partials(*[v._data for v in node.inputs], node._data)
            for inp, p in zip(node.inputs, parts, strict=True):
                if _is_zero(p):
                    continue
                contribution = g if (isinstance(p, float) and p == 1.0) else p * g
                old = grads.get(inp)
                grads[inp] = contribution if old is None else old + contribution
    finally:
        if token is not None:
            _GRAD_ENABLED.reset(token)
    return grads
