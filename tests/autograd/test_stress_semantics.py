"""Adversarial checks of the fast engine's meaning: backward's grads against grad()'s, after
dead branches and failed passes; overflow checks; grad mode across threads and tasks; fit."""

from __future__ import annotations

import asyncio
import math
import random
import threading
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    Value,
    define_op,
    enable_grad,
    grad,
    is_grad_enabled,
    no_grad,
    ops,
    topological_order,
    total,
    weighted_sum,
)
from mlp import MLP, fit, losses
from mlp.optim import SGD

smooth_sq = define_op("stress_smooth_sq", lambda a, b: a * a + b,
                      lambda a, b, out: (2 * a, 1.0))
small = st.floats(-2.0, 2.0)


def _graph(a: float, b: float, c: float) -> tuple[Value, list[Value]]:
    """A graph of wsum, sum, a user op and a relu that may be dead; shared operands."""
    x, y, z = Value(a), Value(b), Value(c)
    u = weighted_sum([x, y, x], [y, x, z], z)  # x and y both weight and input
    v = (u * x - 1.0).relu()  # may be dead: everything behind it then gets 0
    w = total([v, u.tanh(), smooth_sq(x, z), x])
    return weighted_sum([w, v], [w, y], 0.5), [x, y, z]


@settings(max_examples=40, deadline=None)
@given(small, small, small)
def test_after_backward_every_node_holds_grads_value_exactly(a: float, b: float,
                                                            c: float) -> None:
    root, _ = _graph(a, b, c)
    nodes = topological_order(root)
    expected = grad(root, nodes)
    root.backward()
    for n, e in zip(nodes, expected, strict=True):
        assert isinstance(n.grad, float) and n.grad == e  # to the last bit


@settings(max_examples=25, deadline=None)
@given(small, small, small)
def test_create_graph_backward_is_create_graph_grad_to_third_order(a: float, b: float,
                                                                  c: float) -> None:
    root, leaves = _graph(a, b, c)
    first = grad(root, leaves, create_graph=True)
    root.backward(create_graph=True)
    for leaf, g in zip(leaves, first, strict=True):
        assert isinstance(leaf.grad, Value) and leaf.grad.data == g.data
        second = grad(g, leaves, create_graph=True)
        again = grad(leaf.grad, leaves, create_graph=True)
        assert [s.data for s in second] == [s.data for s in again]
        third = [grad(s, leaves) for s in second]
        assert third == [grad(s, leaves) for s in again]


def test_a_backward_stopped_by_an_error_leaves_later_passes_right() -> None:
    x, w = Value(0.0), Value(2.0)
    inner = x * w
    bad = inner.sqrt() + w * w  # sqrt's slope at 0 is infinite: backward raises
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        bad.backward()
    assert x.grad == w.grad == inner.grad == bad.grad == 0.0  # all put back as they were
    good = (inner + 3.0).tanh() * w
    nodes = topological_order(good)
    expected = grad(good, nodes)
    good.backward()
    assert [n.grad for n in nodes] == expected
    assert inner.grad == expected[nodes.index(inner)] and bad.grad == 0.0  # bad: not revisited


OVERFLOWS = [
    ("add", lambda: Value(1e308) + 1e308, lambda: ops.ADD(1e308, 1e308)),
    ("sub", lambda: 1e308 - Value(-1e308), lambda: ops.SUB(1e308, -1e308)),
    ("mul", lambda: Value(1e200) * Value(-1e200), lambda: ops.MUL(1e200, -1e200)),
    ("div", lambda: Value(1e300) / 1e-300, lambda: ops.DIV(1e300, 1e-300)),
    ("wsum", lambda: weighted_sum([1e200, 1e200], [1e200, -1e200], 0.0),
     lambda: ops.WSUM(1e200, 1e200, 1e200, -1e200, 0.0)),
    ("sum", lambda: total([1e308, 1e308]), lambda: ops.SUM(1e308, 1e308)),
]


@pytest.mark.parametrize(("name", "on_values", "on_floats"), OVERFLOWS)
def test_finite_operands_that_overflow_raise_naming_the_op(name: str, on_values: object,
                                                          on_floats: object) -> None:
    for make in (on_values, on_floats):
        with pytest.raises(OverflowError, match=rf"^{name}: .*overflows"):
            make()  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["add", "sub", "mul", "div"]),
       st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True,
                                                                 allow_infinity=True))
def test_values_and_floats_agree_on_results_and_overflow(name: str, a: float, b: float) -> None:
    """The result of the op on floats, or an OverflowError exactly when finite operands give
    a non-finite result; inf and nan operands pass through. The same on Values and floats."""
    if name == "div" and b == 0:
        return  # division by zero: its own error, tested elsewhere
    exact = {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b if b else 0.0}[name]
    op = ops.OPS[name]
    if math.isfinite(a) and math.isfinite(b) and not math.isfinite(exact):
        makers: list[Callable[[], object]] = [lambda: op(a, b), lambda: op(Value(a), Value(b))]
        for make in makers:
            with pytest.raises(OverflowError, match=name):
                make()
        return
    on_floats, on_values = op(a, b), op(Value(a), Value(b)).data
    if math.isnan(exact):
        assert math.isnan(on_floats) and math.isnan(on_values)
    else:
        assert on_floats == on_values == exact


def test_large_but_finite_results_pass_the_checks() -> None:
    big = 1.7976931348623157e308  # the largest float
    assert (Value(big) + 0.0).data == big and (Value(big / 2) * 2.0).data == big
    assert weighted_sum([1e154], [1e154], 1e307).data == 1e308 + 1e307
    assert total([big, -big, big]).data == big and (Value(-big) - big / 1e17).data == -big
    assert ops.SUM(math.inf, -1.0) == math.inf and math.isnan(ops.WSUM(0.0, math.inf, 1.0))


def test_grad_mode_is_per_thread_not_shared() -> None:
    seen: dict[str, object] = {}

    def worker() -> None:  # a new thread starts recording, whatever the main thread does
        seen["enabled"] = is_grad_enabled()
        seen["inputs"] = len((Value(1.0) * 2.0).inputs)

    with no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert not is_grad_enabled() and (Value(1.0) * 2.0).inputs == ()
    assert seen == {"enabled": True, "inputs": 2}


def test_grad_mode_stays_with_its_asyncio_task() -> None:
    async def task(mode: str, out: dict[str, object]) -> None:
        x = Value(1.5)
        ctx = {"no_grad": no_grad, "enable_grad": enable_grad}
        with ctx[mode]():
            await asyncio.sleep(0)
            y = x * x
            await asyncio.sleep(0)
        out[mode] = (is_grad_enabled(), len(y.inputs))

    async def main() -> dict[str, object]:
        out: dict[str, object] = {}
        with no_grad():  # the tasks copy this context, then change their own copies
            await asyncio.gather(*(task(m, out) for m in ("no_grad", "enable_grad")))
            out["main"] = is_grad_enabled()
        return out

    assert asyncio.run(main()) == {"no_grad": (False, 0), "enable_grad": (False, 2),
                                   "main": False}


X3 = [[0.2, -0.5], [0.9, 0.4], [-0.7, 0.1], [0.3, 0.8]]
Y3 = [1.0, -1.0, 0.5, 0.0]


def test_fit_steps_the_weights_of_a_plain_backward_loop() -> None:
    fitted, manual = MLP(2, [4, 3, 1], seed=5), MLP(2, [4, 3, 1], seed=5)
    fit(fitted, X3, Y3, losses.mse, SGD(fitted.parameters(), lr=0.05), 6, batch_size=3,
        seed=9, progress=False)
    rng, order, opt = random.Random(9), list(range(len(X3))), SGD(manual.parameters(), lr=0.05)
    for _ in range(6):
        rng.shuffle(order)
        for start in range(0, len(order), 3):
            batch = order[start : start + 3]
            loss = losses.mse([Y3[i] for i in batch], [manual(X3[i]) for i in batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
    for p, q in zip(fitted.parameters(), manual.parameters(), strict=True):
        assert math.isclose(p.data, q.data, rel_tol=1e-12, abs_tol=1e-15)
