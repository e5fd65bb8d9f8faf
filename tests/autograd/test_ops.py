"""Every op in the table: its value, first and second derivative against closed forms."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad, ops, sum_of_squares, total, weighted_sum


@dataclass(frozen=True)
class Unary:
    apply: Callable[[Value], Value]
    f: Callable[[float], float]
    d1: Callable[[float], float]
    d2: Callable[[float], float]
    points: tuple[float, ...]


def _sig(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


_T = 2 / math.sqrt(math.pi)  # erf' = _T exp(-x²)


def _cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _pdf(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


UNARY: dict[str, Unary] = {
    "neg": Unary(lambda v: -v, lambda x: -x, lambda x: -1.0, lambda x: 0.0, (-3.0, 0.0, 2.5)),
    "exp": Unary(Value.exp, math.exp, math.exp, math.exp, (-5.0, 0.0, 1.5, 700.0)),
    "log": Unary(Value.log, math.log, lambda x: 1 / x, lambda x: -1 / x**2, (1e-3, 1.0, 7.0)),
    "tanh": Unary(
        Value.tanh,
        math.tanh,
        lambda x: 1 - math.tanh(x) ** 2,
        lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
        (-1000.0, -2.0, 0.0, 0.5, 1000.0),
    ),
    "sigmoid": Unary(
        Value.sigmoid,
        _sig,
        lambda x: _sig(x) * (1 - _sig(x)),
        lambda x: _sig(x) * (1 - _sig(x)) * (1 - 2 * _sig(x)),
        (-1000.0, -3.0, 0.0, 2.0, 1000.0),
    ),
    "relu": Unary(
        Value.relu,
        lambda x: max(x, 0.0),
        lambda x: 1.0 if x > 0 else 0.0,
        lambda x: 0.0,
        (-2.0, 0.0, 3.0),
    ),
    "sqrt": Unary(
        Value.sqrt, math.sqrt, lambda x: 0.5 / math.sqrt(x), lambda x: -0.25 * x**-1.5,
        (1e-4, 1.0, 9.0),
    ),
    "sin": Unary(Value.sin, math.sin, math.cos, lambda x: -math.sin(x), (-2.0, 0.0, 1.0)),
    "cos": Unary(Value.cos, math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x),
                 (-2.0, 0.0, 1.0)),
    "abs": Unary(abs, abs, lambda x: math.copysign(1.0, x) if x else 0.0, lambda x: 0.0,
                 (-2.0, 0.0, 3.0)),
    "log1p": Unary(Value.log1p, math.log1p, lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2,
                   (-0.5, 0.0, 3.0)),
    "expm1": Unary(Value.expm1, math.expm1, math.exp, math.exp, (-5.0, 0.0, 1e-9, 2.0)),
    "square": Unary(Value.square, lambda x: x * x, lambda x: 2 * x, lambda x: 2.0,
                    (-2.0, 0.0, 3.0)),
    "reciprocal": Unary(Value.reciprocal, lambda x: 1 / x, lambda x: -1 / x**2,
                        lambda x: 2 / x**3, (-2.0, 0.5, 4.0)),
    "atan": Unary(Value.atan, math.atan, lambda x: 1 / (1 + x * x),
                  lambda x: -2 * x / (1 + x * x) ** 2, (-3.0, 0.0, 0.7)),
    "tan": Unary(Value.tan, math.tan, lambda x: 1 + math.tan(x) ** 2,
                 lambda x: 2 * math.tan(x) * (1 + math.tan(x) ** 2), (-1.2, 0.0, 0.7)),
    "sinh": Unary(Value.sinh, math.sinh, math.cosh, math.sinh, (-2.0, 0.0, 700.0)),
    "cosh": Unary(Value.cosh, math.cosh, math.sinh, math.cosh, (-2.0, 0.0, 700.0)),
    "log2": Unary(Value.log2, math.log2, lambda x: 1 / (x * math.log(2)),
                  lambda x: -1 / (x * x * math.log(2)), (1e-3, 1.0, 8.0)),
    "log10": Unary(Value.log10, math.log10, lambda x: 1 / (x * math.log(10)),
                   lambda x: -1 / (x * x * math.log(10)), (1e-3, 1.0, 100.0)),
    "rsqrt": Unary(Value.rsqrt, lambda x: x**-0.5, lambda x: -0.5 * x**-1.5,
                   lambda x: 0.75 * x**-2.5, (1e-4, 1.0, 9.0)),
    "sign": Unary(Value.sign, lambda x: math.copysign(1.0, x) if x else 0.0, lambda x: 0.0,
                  lambda x: 0.0, (-2.0, 0.0, 3.0)),
    "erf": Unary(Value.erf, math.erf, lambda x: _T * math.exp(-x * x),
                 lambda x: -2 * x * _T * math.exp(-x * x), (-2.0, 0.0, 0.5, 30.0)),
    "erfc": Unary(Value.erfc, math.erfc, lambda x: -_T * math.exp(-x * x),
                  lambda x: 2 * x * _T * math.exp(-x * x), (-2.0, 0.0, 0.5, 30.0)),
    "asin": Unary(Value.asin, math.asin, lambda x: (1 - x * x) ** -0.5,
                  lambda x: x * (1 - x * x) ** -1.5, (-0.9, 0.0, 0.5)),
    "acos": Unary(Value.acos, math.acos, lambda x: -((1 - x * x) ** -0.5),
                  lambda x: -x * (1 - x * x) ** -1.5, (-0.9, 0.0, 0.5)),
    "softplus": Unary(Value.softplus, lambda x: math.log1p(math.exp(x)), _sig,
                      lambda x: _sig(x) * (1 - _sig(x)), (-30.0, -1.0, 0.0, 2.0, 30.0)),
    "silu": Unary(Value.silu, lambda x: x * _sig(x), lambda x: _sig(x) * (1 + x * (1 - _sig(x))),
                  lambda x: _sig(x) * (1 - _sig(x)) * (2 + x * (1 - 2 * _sig(x))),
                  (-3.0, 0.0, 1.5)),
    "gelu": Unary(Value.gelu, lambda x: x * _cdf(x), lambda x: _cdf(x) + x * _pdf(x),
                  lambda x: _pdf(x) * (2 - x * x), (-1.5, 0.0, 0.8, 50.0)),
    "elu": Unary(Value.elu, lambda x: x if x > 0 else math.expm1(x),
                 lambda x: 1.0 if x > 0 else math.exp(x), lambda x: 0.0 if x > 0 else math.exp(x),
                 (-2.0, 0.0, 1.5)),
    "leaky_relu": Unary(Value.leaky_relu, lambda x: x if x > 0 else 0.01 * x,
                        lambda x: 1.0 if x > 0 else 0.01, lambda x: 0.0, (-2.0, 0.0, 3.0)),
    "clamp": Unary(lambda v: v.clamp(-1.0, 1.0), lambda x: min(max(x, -1.0), 1.0),
                   lambda x: 1.0 if -1 <= x <= 1 else 0.0, lambda x: 0.0,
                   (-2.0, -1.0, 0.5, 1.0, 3.0)),
    "pow": Unary(lambda v: v**3, lambda x: x**3, lambda x: 3 * x**2, lambda x: 6 * x,
                 (-2.0, 0.0, 1.5)),
}


def _derivatives(apply: Callable[[Value], Value], x0: float) -> tuple[float, float, float]:
    x = Value(x0)
    y = apply(x)
    (d1,) = grad(y, [x], create_graph=True)
    (d2,) = grad(d1, [x])
    return y.data, d1.data, d2


@pytest.mark.parametrize(
    ("name", "x0"), [(n, p) for n, u in UNARY.items() for p in u.points]
)
def test_unary_value_and_two_derivatives(name: str, x0: float) -> None:
    u = UNARY[name]
    value, d1, d2 = _derivatives(u.apply, x0)
    assert value == pytest.approx(u.f(x0), rel=1e-12, abs=1e-300)
    assert d1 == pytest.approx(u.d1(x0), rel=1e-12, abs=1e-300)
    assert d2 == pytest.approx(u.d2(x0), rel=1e-12, abs=1e-300)
    assert math.isfinite(value) and math.isfinite(d1) and math.isfinite(d2)


@pytest.mark.parametrize("n", [-2, -0.5, 0, 0.5, 1, 2.5, 4])
def test_pow_with_number_exponent_matches_power_rule(n: float) -> None:
    x0 = 1.7
    value, d1, d2 = _derivatives(lambda v: v**n, x0)
    assert value == pytest.approx(x0**n, rel=1e-12)
    assert d1 == pytest.approx(n * x0 ** (n - 1), rel=1e-12)
    assert d2 == pytest.approx(n * (n - 1) * x0 ** (n - 2), rel=1e-12, abs=1e-300)


BINARY: dict[str, tuple[Callable[[Value, Value], Value], Callable[[float, float], float]]] = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow_value": (lambda a, b: a**b, lambda a, b: a**b),
    "atan2": (Value.atan2, math.atan2),
    "remainder": (lambda a, b: a % b, lambda a, b: a % b),
}

# Closed-form Hessians [[f_aa, f_ab], [f_ba, f_bb]] and gradients [f_a, f_b].
GRADIENTS: dict[str, Callable[[float, float], tuple[float, float]]] = {
    "add": lambda a, b: (1.0, 1.0),
    "sub": lambda a, b: (1.0, -1.0),
    "mul": lambda a, b: (b, a),
    "div": lambda a, b: (1 / b, -a / b**2),
    "pow_value": lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
    "atan2": lambda a, b: (b / (a * a + b * b), -a / (a * a + b * b)),
    "remainder": lambda a, b: (1.0, -math.floor(a / b)),
}
HESSIANS: dict[str, Callable[[float, float], tuple[float, float, float, float]]] = {
    "add": lambda a, b: (0.0, 0.0, 0.0, 0.0),
    "sub": lambda a, b: (0.0, 0.0, 0.0, 0.0),
    "mul": lambda a, b: (0.0, 1.0, 1.0, 0.0),
    "div": lambda a, b: (0.0, -1 / b**2, -1 / b**2, 2 * a / b**3),
    "pow_value": lambda a, b: (
        b * (b - 1) * a ** (b - 2),
        a ** (b - 1) * (1 + b * math.log(a)),
        a ** (b - 1) * (1 + b * math.log(a)),
        a**b * math.log(a) ** 2,
    ),
    "atan2": lambda a, b: (
        -2 * a * b / (a * a + b * b) ** 2,
        (a * a - b * b) / (a * a + b * b) ** 2,
        (a * a - b * b) / (a * a + b * b) ** 2,
        2 * a * b / (a * a + b * b) ** 2,
    ),
    "remainder": lambda a, b: (0.0, 0.0, 0.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize(("a0", "b0"), [(1.5, 2.0), (0.3, -1.25), (4.0, 0.5)])
def test_binary_value_gradient_and_hessian(name: str, a0: float, b0: float) -> None:
    apply, f = BINARY[name]
    a, b = Value(a0), Value(b0)
    y = apply(a, b)
    assert y.data == pytest.approx(f(a0, b0), rel=1e-12)
    da, db = grad(y, [a, b], create_graph=True)
    assert (da.data, db.data) == pytest.approx(GRADIENTS[name](a0, b0), rel=1e-12)
    hessian = (*grad(da, [a, b]), *grad(db, [a, b]))
    assert hessian == pytest.approx(HESSIANS[name](a0, b0), rel=1e-12, abs=1e-300)


def test_weighted_sum_is_one_node_with_the_notes_partials() -> None:
    w = [Value(0.5), Value(-1.0), Value(2.0)]
    x = [Value(1.0), Value(3.0), Value(-2.0)]
    b = Value(0.25)
    n1 = weighted_sum(w, x, b)
    assert n1.op == "wsum" and n1.inputs == (*w, *x, b)
    assert n1.data == 0.5 * 1 - 1 * 3 + 2 * -2 + 0.25
    grads = grad(n1, [*w, *x, b], create_graph=True)
    assert [g.data for g in grads] == [1.0, 3.0, -2.0, 0.5, -1.0, 2.0, 1.0]
    # Second order: d(dN/dw1)/dx1 = 1, everything else about w1 is 0.
    assert grad(grads[0], [*w, *x, b]) == [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]


def test_sum_is_one_node_with_unit_partials() -> None:
    xs = [Value(float(i)) for i in range(5)]
    s = total(xs)
    assert s.op == "sum" and s.inputs == tuple(xs) and s.data == 10.0
    assert grad(s, xs) == [1.0] * 5


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e100, 1e100), min_size=1, max_size=12))
def test_sum_of_squares_is_the_weighted_sum_p_p_to_the_last_bit(ps: list[float]) -> None:
    # What l2 was before it had a node of its own: wsum(p..., p..., 0) gives the same number
    # and, through one edge per parameter instead of two, the same gradient 2p.
    xs = [Value(p) for p in ps]
    node = sum_of_squares(xs)
    as_wsum = weighted_sum(xs, xs, Value(0.0))
    assert node.op == "sumsq" and node.inputs == tuple(xs) and len(node.inputs) == len(ps)
    assert node.data == as_wsum.data
    assert grad(node, xs) == grad(as_wsum, xs)
    assert grad(node, xs) == [2.0 * p for p in ps]


def test_sum_of_squares_differentiates_again_and_refuses_what_l2_would() -> None:
    x, y = Value(3.0), Value(-0.5)
    dx, dy = grad(sum_of_squares([x, y, 2.0]), [x, y], create_graph=True)
    assert (dx.data, dy.data) == (6.0, -1.0)
    assert grad(dx, [x, y]) == [2.0, 0.0]  # d(2x)/dx, d(2x)/dy
    assert sum_of_squares([]).data == 0.0 and not sum_of_squares([]).inputs
    with pytest.raises(OverflowError, match=r"^sumsq: the result of finite operands"):
        sum_of_squares([Value(1e200)])
    with pytest.raises(TypeError, match=r"^sumsq: operand must be a real number"):
        sum_of_squares([Value(1.0), "2"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^sumsq: needs at least one operand"):
        ops.SUMSQ()


def test_every_builtin_op_is_covered_here() -> None:
    covered = set(UNARY) | set(BINARY) | {"wsum", "sum", "sumsq", "logsumexp"}  # n-ary
    assert covered == set(ops.BUILTIN_NAMES)


@pytest.mark.parametrize("x0", [-1000.0, -40.0, 40.0, 1000.0])
def test_sigmoid_and_tanh_stay_finite_in_the_tails(x0: float) -> None:
    for apply in (Value.sigmoid, Value.tanh):
        x = Value(x0)
        y = apply(x)
        y.backward()
        assert math.isfinite(y.data) and math.isfinite(x.grad)
        assert 0.0 <= abs(y.data) <= 1.0


def test_ops_work_on_floats_too() -> None:
    assert ops.TANH(0.5) == math.tanh(0.5)
    assert ops.power(2)(3.0) == 9.0
    assert ops.WSUM(2.0, 3.0, 1.0) == 7.0
    assert isinstance(ops.EXP(Value(0.0)), Value)
