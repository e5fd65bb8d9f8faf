"""backward() as a whole pass: all or nothing, one at a time, and what create_graph keeps.

Issue 13: a failed backward half-accumulated the leaf grads (13.4); concurrent passes over
graphs that share a node gave wrong, nondeterministic grads (13.2); create_graph's
reference cycles (13.3); a create_graph flag of the wrong type, and grad(y, None) (smaller).
"""

from __future__ import annotations

import gc
import math
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, define_op, grad, topological_order, total
from autograd.ops import BUILTIN_NAMES
from autograd.testing import Expression, expressions


class Stop(BaseException):
    """Stands for an interrupt: not an Exception, so nothing on the way catches it."""


def _grads(root: Value) -> list[Any]:
    return [v.grad for v in topological_order(root)]


def test_a_failed_backward_leaves_the_leaf_grads_as_they_were() -> None:
    a = Value(1.0)
    y = a * 3.0 + (a - 1.0).sqrt()  # sqrt's slope at 0 is infinite: backward raises there
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        y.backward()
    assert a.grad == 0.0  # was left at 3.0: a's share through a * 3 was already added


@pytest.mark.parametrize("error", [ZeroDivisionError("boom"), Stop()])
def test_a_failed_pass_puts_back_every_grad_it_touched(error: BaseException) -> None:
    def fail(a: Any, out: Any) -> tuple[Any]:
        raise error

    breaks = define_op("breaks_in_backward", lambda a: a, fail)
    x, w = Value(0.5), Value(-1.5)
    h = (x * w).tanh()
    y = total([h * h, breaks(h * x), w.exp()])
    x.grad, w.grad = 2.0, Value(7.0)  # old grads of every kind, and inner grads of a pass
    for i, v in enumerate(v for v in topological_order(y) if v.inputs):
        v.grad = float(i + 1) if i % 2 else 0.0
    before = _grads(y)
    with pytest.raises(type(error)):
        y.backward()
    assert _grads(y) == before  # the same objects: floats equal, the Value grad itself
    assert w.grad is before[topological_order(y).index(w)]


class _Interrupting(tuple[Value, ...]):
    """Operands whose iteration is interrupted: the walk stops half way through the graph."""

    def __iter__(self) -> Iterator[Value]:
        raise Stop


def test_a_walk_cut_short_is_put_back_too() -> None:
    x = Value(0.25)
    h = (x * x).sin()
    y = (h * x + h.exp()) * x
    y.backward()
    for v in topological_order(y)[::2]:
        v.grad = 0.0  # some as a fresh graph has them: the walk keeps no copy of those
    before = _grads(y)
    inputs, h.inputs = h.inputs, _Interrupting(h.inputs)
    with pytest.raises(Stop):
        y.backward()  # some nodes are marked 'entered', some 'done': the order is unknown
    h.inputs = inputs
    assert _grads(y) == before and all(type(g) is float for g in _grads(y))


@settings(max_examples=150, deadline=None)
@given(expressions(max_inputs=3, max_ops=10, ops=sorted(BUILTIN_NAMES)), st.integers(0, 20),
       st.data())
def test_any_failing_pass_leaves_every_grad_as_it_was(case: tuple[Expression, list[float]],
                                                     where: int, data: st.DataObject) -> None:
    def fail(a: Any, out: Any) -> tuple[Any]:
        raise Stop

    breaks = define_op("breaks_somewhere", lambda a: a, fail)
    f, inputs = case
    xs = [Value(v) for v in inputs]
    y = f(*xs)
    nodes = topological_order(y)
    bad = breaks(nodes[where % len(nodes)]) * data.draw(st.floats(0.5, 2.0))
    root = y + bad  # 'breaks' sits somewhere in the graph: the pass fails when it gets there
    for v in topological_order(root):  # old grads, of leaves and of inner nodes
        if data.draw(st.booleans()):
            v.grad = data.draw(st.floats(-3.0, 3.0))
    before = _grads(root)
    with pytest.raises(Stop):
        root.backward()
    assert _grads(root) == before


def test_a_pass_that_succeeds_after_a_failure_is_exact() -> None:
    a = Value(2.0)
    bad = a * 3.0 + (a - 2.0).sqrt()
    with pytest.raises(ZeroDivisionError):
        bad.backward()
    good = a * a * 3.0
    good.backward()
    assert a.grad == 12.0


# --- concurrent passes (13.2) -----------------------------------------------------------


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Threads switch every microsecond, so passes interleave if nothing stops them."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _shared_graphs(threads: int) -> tuple[list[Value], list[Value]]:
    """Roots that share leaves and inner nodes; integer data, so every sum is exact."""
    x, w = Value(2.0), Value(3.0)
    h = x * w + x * x  # shared by every root
    roots = [total([(h * float(k + t)) * x for k in range(150)]) + h * w for t in range(threads)]
    return roots, [x, w, h]


def _run(threads: list[Callable[[], None]]) -> None:
    running = [threading.Thread(target=t) for t in threads]
    for t in running:
        t.start()
    for t in running:
        t.join()


def test_concurrent_backward_on_graphs_that_share_nodes_is_the_sequential_sum(
        fast_switching: None) -> None:
    roots, (x, w, _) = _shared_graphs(4)
    expected = [0.0, 0.0]
    for r in roots:
        dx, dw = grad(r, [x, w])
        expected[0] += 25 * dx
        expected[1] += 25 * dw

    def passes(root: Value) -> Callable[[], None]:
        def run() -> None:
            for _ in range(25):
                root.backward()
        return run

    _run([passes(r) for r in roots])
    assert [x.grad, w.grad] == expected  # integers: exact whatever the order of the passes
    assert all(type(v.grad) is float for r in roots for v in topological_order(r))


def test_grad_in_threads_is_grad_in_sequence(fast_switching: None) -> None:
    """grad() is thread-safe: it writes no .grad; here it runs beside backward passes."""
    roots, (x, w, h) = _shared_graphs(3)
    expected = [grad(r, [x, w, h]) for r in roots]
    got: dict[int, list[list[float]]] = {}

    def grads(i: int) -> Callable[[], None]:
        def run() -> None:
            got[i] = [grad(roots[i], [x, w, h]) for _ in range(10)]
        return run

    def passes() -> None:
        for _ in range(10):
            roots[0].backward()

    _run([*(grads(i) for i in range(3)), passes])
    assert all(got[i] == [expected[i]] * 10 for i in range(3))


# --- create_graph's reference cycles (13.3) --------------------------------------------


def _cyclic_garbage(make: Callable[[], object]) -> int:
    """Objects only the cycle collector can free, after make()'s result is dropped."""
    gc.collect()
    gc.disable()
    try:
        make()
        return gc.collect()
    finally:
        gc.enable()


def _backward_create_graph() -> None:
    x = Value(1.5)
    (x * x).tanh().backward(create_graph=True)  # x.grad is a Value whose graph holds x


def _grad_create_graph() -> None:
    x = Value(1.5)
    (dx,) = grad((x * x).tanh(), [x], create_graph=True)
    grad(dx, [x])


def _backward_floats() -> None:
    x = Value(1.5)
    (x * x).tanh().backward()


def test_backward_create_graph_leaves_cycles_as_documented() -> None:
    assert _cyclic_garbage(_backward_create_graph) > 0
    assert "reference cycle" in (Value.backward.__doc__ or "")


@pytest.mark.parametrize("make", [_grad_create_graph, _backward_floats])
def test_grad_create_graph_and_float_backward_leave_no_cycles(make: Callable[[], None]) -> None:
    assert _cyclic_garbage(make) == 0


# --- arguments ------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["yes", 1, None, 0.0])
def test_create_graph_must_be_a_bool(flag: object) -> None:
    x = Value(2.0)
    y = x * x
    for call in (lambda: y.backward(create_graph=flag),  # type: ignore[arg-type]
                 lambda: grad(y, [x], create_graph=flag)):  # type: ignore[call-overload]
        with pytest.raises(TypeError, match=r"create_graph must be True or False, got"):
            call()
    assert x.grad == 0.0


@pytest.mark.parametrize("inputs", [None, 3.0])
def test_grad_names_inputs_that_are_not_a_list(inputs: object) -> None:
    x = Value(2.0)
    with pytest.raises(TypeError, match=r"^grad: inputs must be a list of Values, e\.g\. "
                                        rf"grad\(y, \[x\]\); got {type(inputs).__name__}$"):
        grad(x * x, inputs)  # type: ignore[call-overload]


def test_the_leaf_grads_of_a_pass_are_its_sum_added_once() -> None:
    """A leaf's grad is its old grad plus this pass's sum, so it equals grad() to the bit
    whatever the old grad (the pass's contributions are summed from 0, as grad() sums)."""
    x = Value(0.1)
    y = total([(x * 0.3).sin() for _ in range(5)]) * x
    (d,) = grad(y, [x])
    x.grad = 1e-17
    y.backward()
    assert x.grad == 1e-17 + d and not math.isnan(d)
