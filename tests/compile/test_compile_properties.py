"""autograd.compile as properties: random expressions over the whole op table, compiled and
eager, agree in value and gradient, and raise the same errors (type and message) where the
eager engine raises, at any point: small, huge, infinite or nan."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, define_op, grad, no_grad
from autograd.compile.node import rule_of
from autograd.ops import data_of
from autograd.testing import Expression, expressions

Case = tuple[Expression, list[float]]


def close(a: float, b: float, scale: float = 0.0) -> bool:
    """Equal to rounding: relative to the numbers, or to ``scale``, the size of the terms a
    gradient sums (two orders of adding +g, -g and a small h differ by g's rounding: a few
    dozen float epsilons of g at most, for the depths drawn here)."""
    return (a == b or (math.isnan(a) and math.isnan(b))
            or abs(a - b) <= 1e-12 * max(abs(a), abs(b)) + 1e-14 * scale + 1e-300)


def outcome(run: Callable[[], list[float]]) -> Any:
    """The numbers, or the error as (type, message)."""
    try:
        return run()
    except Exception as e:
        return (type(e), str(e))


def same(a: Any, b: Any, scales: list[float] | None = None) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        scales = scales or [0.0] * len(a)
        return len(a) == len(b) and all(close(x, y, s) for x, y, s in zip(a, b, scales,
                                                                          strict=True))
    return bool(a == b)


def term_sizes(f: Callable[..., Value], point: list[float]) -> list[float]:
    """For the output and then each input: the sum over the graph's paths of the product of
    the absolute local partials (the gradient is the same sum without the absolute values).
    A partial that raises counts 0 (the eager engine asks for it only where the gradient
    reaching it is not 0, and then raises); a size that is not finite counts 0 too, so the
    comparison stays strict there."""
    xs = [Value(x) for x in point]
    out = f(*xs)
    size = {id(out): 1.0}
    for node in reversed(autograd.topological_order(out)):
        s, rule = size.get(id(node), 0.0), rule_of(node)
        if rule is None or s == 0.0:
            continue
        try:
            parts = rule.partials(*[v.data for v in node.inputs], node.data)
        except Exception:
            continue
        for v, p in zip(node.inputs, parts, strict=True):
            size[id(v)] = size.get(id(v), 0.0) + abs(p) * s
    found = [size.get(id(x), 0.0) for x in xs]
    return [0.0, *(x if math.isfinite(x) else 0.0 for x in found)]


def value_and_grads(f: Callable[..., Value], point: list[float]) -> list[float]:
    xs = [Value(x) for x in point]
    out = f(*xs)
    return [out.data, *grad(out, xs)]


def agree(f: Expression, prog: autograd.Program, point: list[float]) -> None:
    eager = outcome(lambda: value_and_grads(f, point))
    scales = term_sizes(f, point) if isinstance(eager, list) else None
    assert same(outcome(lambda: value_and_grads(prog, point)), eager, scales), (eager, point)
    with no_grad():
        eager_value = outcome(lambda: [f(*map(Value, point)).data])
        assert same(outcome(lambda: [prog(*point).data]), eager_value)


@settings(max_examples=120)
@given(expressions(max_inputs=3, max_ops=10))
def test_compiled_random_expressions_agree_with_eager_in_value_and_gradient(case: Case) -> None:
    f, inputs = case
    prog = autograd.compile(f, *inputs)
    agree(f, prog, inputs)
    assert prog.fallbacks == 0


wild = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                 st.sampled_from([0.0, -0.0, 1e300, -1e300, 1e-300, 710.0, math.inf, math.nan]))


@settings(max_examples=120)
@given(expressions(max_inputs=3, max_ops=10), st.data())
def test_compiled_random_expressions_raise_the_eager_errors_anywhere(case: Case,
                                                                       data: st.DataObject
                                                                       ) -> None:
    f, inputs = case
    prog = autograd.compile(f, *inputs)
    point = [data.draw(st.one_of(wild, st.just(x))) for x in inputs]
    agree(f, prog, point)


@settings(max_examples=60)
@given(st.data())
def test_user_ops_in_the_table_compile_like_built_ins(data: st.DataObject) -> None:
    # Defined here, so the table's random draw includes them (the fixture in conftest.py
    # removes them after the test).
    define_op("softsign", lambda a: a / (1 + abs(a)),
              lambda a, out: (1 / ((1 + abs(a)) * (1 + abs(a))),))
    def clamp_slope(a: Any, out: Any) -> tuple[float]:
        return (0.0 if abs(data_of(a)) > 1 else 1.0,)

    define_op("clamp1", lambda a: -1.0 if a < -1 else 1.0 if a > 1 else a, clamp_slope,
              domain="kink")
    f, inputs = data.draw(expressions(max_inputs=2, max_ops=6, ops=["softsign", "clamp1",
                                                                    "mul", "add", "tanh"]))
    prog = autograd.compile(f, *inputs)
    agree(f, prog, inputs)
    agree(f, prog, [data.draw(st.one_of(wild, st.just(x))) for x in inputs])


@settings(max_examples=80)
@given(expressions(max_inputs=3, max_ops=8), st.data())
def test_mean_and_sum_of_random_expressions_agree_with_eager(case: Case,
                                                             data: st.DataObject) -> None:
    # With two inputs or more the first is a parameter (fn reaches it); the others are
    # arguments over three samples near the drawn point: numbers, then Values (whose
    # gradients are filled too).
    f, inputs = case
    params = [Value(x, "w") for x in inputs[: 1 if len(inputs) > 1 else 0]]
    prog = autograd.compile(lambda *xs: f(*params, *xs), *inputs[len(params) :])
    rows = [[x + data.draw(st.floats(-0.1, 0.1)) for x in inputs[len(params) :]]
            for _ in range(3)]
    columns = [list(col) for col in zip(*rows, strict=True)]
    values = [[Value(x) for x in col] for col in columns]
    leaves = [*params, *(v for col in values for v in col)]
    # Each gradient to the rounding of the terms it sums (see term_sizes): a parameter's sums
    # the terms of every sample.
    sizes = [term_sizes(f, [*(p.data for p in params), *row])[1:] for row in rows]
    own = [sum(s[0] for s in sizes)] if params else []
    scales = [*own, *(sizes[i][len(params) + k] for k in range(len(columns)) for i in range(3))]
    for mean in (True, False):
        per_sample = [f(*params, *row) for row in zip(*values, strict=True)]
        eager = autograd.total(per_sample) / 3 if mean else autograd.total(per_sample)
        combine = prog.mean if mean else prog.sum
        compiled = combine(*values)
        assert close(compiled.data, eager.data)
        scaled = [s / 3 if mean else s for s in scales]
        assert same(grad(compiled, leaves), grad(eager, leaves), scaled)
        on_numbers = combine(*columns)
        assert close(on_numbers.data, eager.data)
        assert same(grad(on_numbers, params), grad(eager, params), scaled[: len(params)])


def test_a_gradient_whose_terms_cancel_agrees_to_the_rounding_of_its_terms() -> None:
    # Found with random seeds: x0 - x0 doubled seven times has gradient terms of +-128 that
    # cancel; the compiled code adds them in another order than the eager engine, so the
    # small gradient left differs by about 1e-12 of itself, the rounding of the large terms.
    def f(x0: Value) -> Value:
        v = -(x0 - x0)
        for _ in range(7):
            v = v + v
        return v + (v * v + 1.0) / (x0 * x0 + 1.0)

    prog = autograd.compile(f, 0.0)
    compiled, eager = value_and_grads(prog, [9.0]), value_and_grads(f, [9.0])
    sizes = term_sizes(f, [9.0])
    assert sizes[1] > 1e4 * abs(eager[1])
    assert same(compiled, eager, sizes)
    assert not same(compiled, [eager[0], eager[1] * (1 + 1e-8)], sizes)  # still strict


def test_a_mean_whose_gradient_terms_cancel_agrees_to_the_rounding_of_its_terms() -> None:
    # Found with random seeds: terms of about 1 cancel to a gradient of 8e-12, which the
    # compiled loop and the eager engine add in other orders (about 1e-5 of it apart).
    def f(x0: Value, x1: Value) -> Value:
        v1 = (-x0).tanh()
        v2 = (v1 * v1 + 1.0).log()
        v4 = (v2 + v2) + (v2 + v2)
        v7 = ((v1.exp() + x0) ** 2 + 1.0) / (x0 * x0 + 1.0)
        return v4 + 2 * v7 / (v7 * v7 + 1) + 0.0 * x1

    w = Value(1e-12, "w")
    prog = autograd.compile(lambda x1: f(w, x1), 0.0)
    compiled = grad(prog.mean([0.0, 0.0, 0.0]), [w])
    eager = grad(autograd.total([f(w, Value(0.0)) for _ in range(3)]) / 3, [w])
    size = term_sizes(f, [1e-12, 0.0])[1]
    assert size > 1e10 * abs(eager[0])  # the terms are far larger than their sum
    assert same(compiled, eager, [size])
    assert not same(compiled, [eager[0] + 1e-12], [size])  # a wrong gradient still fails


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["tanh", "relu", "sigmoid", None]),
       st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 4), st.booleans())
def test_a_compiled_mlp_gives_the_eager_engine_s_grads_to_the_last_bit(
        seed: int, activation: str | None, widths: list[int], nin: int, l2: bool) -> None:
    # The compiled backward adds a shared node's contributions in the engine's own order (the
    # first operand's branch first: backward_order), so the sums agree exactly, not to rounding.
    import random

    from mlp import MLP, losses

    rnd = random.Random(seed)
    model = MLP(nin, [*widths, 1], activation=activation, seed=seed)
    params = model.parameters()

    def loss(x: list[float], y: float) -> Value:
        out = losses.mse([y], [model(x)])
        return out + 0.01 * losses.l2(params) if l2 else out

    def point() -> tuple[list[float], float]:
        return [rnd.uniform(-2, 2) for _ in range(nin)], rnd.uniform(-1, 1)

    prog = autograd.compile(loss, *point())
    for _ in range(3):
        x, y = point()
        compiled, eager = prog(x, y), loss(x, y)
        assert compiled.data == eager.data
        assert grad(compiled, params) == grad(eager, params)
