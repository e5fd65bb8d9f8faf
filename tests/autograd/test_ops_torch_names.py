"""Issue 19's ops named as in PyTorch: values, derivatives to order 3 against closed forms and
against PyTorch float64 (unary and binary), and typed domain errors."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value, grad
from autograd import ops as e

F = Callable[[float], float]
_T = 2 / math.sqrt(math.pi)


def _sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _pdf(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def _ds(x: float) -> float:  # σ'
    return _sig(x) * (1 - _sig(x))


def _tan_forms() -> tuple[F, F, F, F]:
    def s(x: float) -> float:
        return 1 + math.tan(x) ** 2
    return (math.tan, s, lambda x: 2 * math.tan(x) * s(x),
            lambda x: 2 * s(x) ** 2 + 4 * math.tan(x) ** 2 * s(x))


POINTS = (0.3, 0.7, 1.9)
SIGNED = (-1.3, 0.3, 1.9)
UNIT = (-0.6, 0.3, 0.7)
# name: (op, closed-form f, f', f'', f''', points)
CLOSED: dict[str, tuple[Any, F, F, F, F, tuple[float, ...]]] = {
    "log1p": (e.LOG1P, math.log1p, lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2,
              lambda x: 2 / (1 + x) ** 3, POINTS),
    "expm1": (e.EXPM1, math.expm1, math.exp, math.exp, math.exp, POINTS),
    "square": (e.SQUARE, lambda x: x * x, lambda x: 2 * x, lambda x: 2.0, lambda x: 0.0, POINTS),
    "reciprocal": (e.RECIPROCAL, lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3,
                   lambda x: -6 / x**4, POINTS),
    "atan": (e.ATAN, math.atan, lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2,
             lambda x: (6 * x * x - 2) / (1 + x * x) ** 3, POINTS),
    "tan": (e.TAN, *_tan_forms(), (-1.2, 0.3, 0.7)),
    "sinh": (e.SINH, math.sinh, math.cosh, math.sinh, math.cosh, SIGNED),
    "cosh": (e.COSH, math.cosh, math.sinh, math.cosh, math.sinh, SIGNED),
    "log2": (e.LOG2, math.log2, lambda x: 1 / (x * math.log(2)),
             lambda x: -1 / (x * x * math.log(2)), lambda x: 2 / (x**3 * math.log(2)), POINTS),
    "log10": (e.LOG10, math.log10, lambda x: 1 / (x * math.log(10)),
              lambda x: -1 / (x * x * math.log(10)), lambda x: 2 / (x**3 * math.log(10)),
              POINTS),
    "rsqrt": (e.RSQRT, lambda x: x**-0.5, lambda x: -0.5 * x**-1.5, lambda x: 0.75 * x**-2.5,
              lambda x: -1.875 * x**-3.5, POINTS),
    "sign": (e.SIGN, lambda x: math.copysign(1.0, x), lambda x: 0.0, lambda x: 0.0,
             lambda x: 0.0, SIGNED),
    "erf": (e.ERF, math.erf, lambda x: _T * math.exp(-x * x),
            lambda x: -2 * x * _T * math.exp(-x * x),
            lambda x: (4 * x * x - 2) * _T * math.exp(-x * x), SIGNED),
    "erfc": (e.ERFC, math.erfc, lambda x: -_T * math.exp(-x * x),
             lambda x: 2 * x * _T * math.exp(-x * x),
             lambda x: -(4 * x * x - 2) * _T * math.exp(-x * x), SIGNED),
    "asin": (e.ASIN, math.asin, lambda x: (1 - x * x) ** -0.5, lambda x: x * (1 - x * x) ** -1.5,
             lambda x: (1 + 2 * x * x) * (1 - x * x) ** -2.5, UNIT),
    "acos": (e.ACOS, math.acos, lambda x: -((1 - x * x) ** -0.5),
             lambda x: -x * (1 - x * x) ** -1.5,
             lambda x: -(1 + 2 * x * x) * (1 - x * x) ** -2.5, UNIT),
    "softplus": (e.SOFTPLUS, lambda x: math.log1p(math.exp(x)), _sig, _ds,
                 lambda x: _ds(x) * (1 - 2 * _sig(x)), SIGNED),
    "silu": (e.SILU, lambda x: x * _sig(x), lambda x: _sig(x) * (1 + x * (1 - _sig(x))),
             lambda x: _ds(x) * (2 + x * (1 - 2 * _sig(x))),
             lambda x: _ds(x) * ((1 - 2 * _sig(x)) * (3 + x * (1 - 2 * _sig(x)))
                                 - 2 * x * _ds(x)), SIGNED),
    "gelu": (e.GELU, lambda x: x * _cdf(x), lambda x: _cdf(x) + x * _pdf(x),
             lambda x: _pdf(x) * (2 - x * x), lambda x: _pdf(x) * (x**3 - 4 * x), SIGNED),
    "elu": (e.ELU, lambda x: x if x > 0 else math.expm1(x),
            lambda x: 1.0 if x > 0 else math.exp(x), lambda x: 0.0 if x > 0 else math.exp(x),
            lambda x: 0.0 if x > 0 else math.exp(x), SIGNED),
    "elu(0.5)": (e.elu(0.5), lambda x: x if x > 0 else 0.5 * math.expm1(x),
                 lambda x: 1.0 if x > 0 else 0.5 * math.exp(x),
                 lambda x: 0.0 if x > 0 else 0.5 * math.exp(x),
                 lambda x: 0.0 if x > 0 else 0.5 * math.exp(x), SIGNED),
    "leaky_relu": (e.LEAKY_RELU, lambda x: x if x > 0 else 0.01 * x,
                   lambda x: 1.0 if x > 0 else 0.01, lambda x: 0.0, lambda x: 0.0, SIGNED),
    "leaky_relu(0.2)": (e.leaky_relu(0.2), lambda x: x if x > 0 else 0.2 * x,
                        lambda x: 1.0 if x > 0 else 0.2, lambda x: 0.0, lambda x: 0.0, SIGNED),
    "clamp(-1, 1)": (e.clamp(-1, 1), lambda x: min(max(x, -1.0), 1.0),
                     lambda x: 1.0 if -1 <= x <= 1 else 0.0, lambda x: 0.0, lambda x: 0.0,
                     (-1.3, -1.0, 0.3, 1.0, 1.9)),
}


def derivatives(op: Any, x: float) -> list[float]:
    """The value and derivatives 1..3 of op at x, through create_graph backward passes."""
    v = Value(x)
    out = op(v)
    found = [out.data]
    f = out
    while len(found) < 4:
        if not isinstance(f, Value):  # a constant derivative: every later one is 0
            found.append(0.0)
            continue
        v.grad = 0.0
        f.backward(create_graph=True)
        f = v.grad if isinstance(v.grad, Value) else float(v.grad)
        found.append(f.data if isinstance(f, Value) else f)
    return found


CASES = [(name, x) for name, row in CLOSED.items() for x in row[-1]]


@pytest.mark.parametrize(("name", "x"), CASES)
def test_closed_forms_to_order_3(name: str, x: float) -> None:
    op, *forms, _points = CLOSED[name]
    for got, want in zip(derivatives(op, x), (f(x) for f in forms), strict=True):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-14)


def torch_fns() -> dict[str, Callable[[Any], Any]]:
    torch = pytest.importorskip("torch")
    nn = torch.nn.functional
    fns: dict[str, Callable[[Any], Any]] = {
        name: getattr(torch, name) for name in (
            "log1p", "expm1", "square", "reciprocal", "atan", "tan", "sinh", "cosh", "log2",
            "log10", "rsqrt", "sign", "erf", "erfc", "asin", "acos")}
    fns.update({"softplus": nn.softplus, "silu": nn.silu, "gelu": nn.gelu, "elu": nn.elu,
                "elu(0.5)": lambda t: nn.elu(t, alpha=0.5), "leaky_relu": nn.leaky_relu,
                "leaky_relu(0.2)": lambda t: nn.leaky_relu(t, 0.2),
                "clamp(-1, 1)": lambda t: torch.clamp(t, -1, 1)})
    return fns


def torch_derivatives(fn: Callable[[Any], Any], x: float) -> list[float]:
    torch = pytest.importorskip("torch")
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f = fn(t)
    want = [f.item()]
    for _ in range(3):
        if not f.requires_grad:  # a constant derivative (sign's 0): every later one is 0
            want.append(0.0)
            continue
        (f,) = torch.autograd.grad(f, t, create_graph=True, allow_unused=True)
        f = torch.zeros((), dtype=torch.float64) if f is None else f
        want.append(f.item())
    return want


@pytest.mark.parametrize(("name", "x"), CASES)
def test_against_torch_to_order_3(name: str, x: float) -> None:
    fn = torch_fns()[name]
    want = torch_derivatives(fn, x)
    for order, (got, w) in enumerate(zip(derivatives(CLOSED[name][0], x), want, strict=True)):
        assert got == pytest.approx(w, rel=1e-12, abs=1e-14), (name, x, order)


def test_every_torch_named_op_of_the_table_is_checked_here() -> None:
    named = {"log1p", "expm1", "square", "reciprocal", "atan", "tan", "sinh", "cosh", "log2",
             "log10", "rsqrt", "sign", "erf", "erfc", "asin", "acos", "softplus", "silu", "gelu",
             "elu", "leaky_relu"}
    assert named <= set(e.BUILTIN_NAMES) and named <= set(CLOSED)
    assert {"clamp", "atan2", "remainder"} <= set(e.BUILTIN_NAMES)  # below, and as members


# --- the binary ops: atan2(y, x) and a % b -------------------------------------------------

BINARY: dict[str, Callable[[Any, Any], Any]] = {"atan2": e.ATAN2, "remainder": e.REMAINDER}
PAIRS = ((0.7, 1.9), (-1.3, 0.4), (2.5, -0.8), (-0.3, -1.1), (5.3, -2.0), (-7.5, 0.5))
PATHS = [(i,) for i in range(2)] + [(i, j) for i in range(2) for j in range(2)] + [
    (i, j, k) for i in range(2) for j in range(2) for k in range(2)]


def binary_derivatives(op: Any, a: float, b: float) -> dict[tuple[int, ...], float]:
    """Every partial of op(a, b) to order 3, by index path: (0, 1) is d²/db da."""
    found: dict[tuple[int, ...], float] = {}
    xs = [Value(a), Value(b)]
    level: dict[tuple[int, ...], Any] = {(): op(*xs)}
    for _ in range(3):
        nxt: dict[tuple[int, ...], Any] = {}
        for path, f in level.items():
            parts: list[Any] = (grad(f, xs, create_graph=True) if isinstance(f, Value)
                                else [0.0, 0.0])
            for i, p in enumerate(parts):
                key = (*path, i)
                nxt[key] = p
                found[key] = p.data if isinstance(p, Value) else float(p)
        level = nxt
    return found


def torch_binary(name: str, a: float, b: float) -> dict[tuple[int, ...], float]:
    torch = pytest.importorskip("torch")
    fn = {"atan2": torch.atan2, "remainder": torch.remainder}[name]
    xs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (a, b)]
    found: dict[tuple[int, ...], float] = {}
    level: dict[tuple[int, ...], Any] = {(): fn(*xs)}
    for _ in range(3):
        nxt: dict[tuple[int, ...], Any] = {}
        for path, f in level.items():
            parts = torch.autograd.grad(f, xs, create_graph=True, allow_unused=True) \
                if f.requires_grad else (None, None)
            for i, part in enumerate(parts):
                p = torch.zeros((), dtype=torch.float64) if part is None else part
                key = (*path, i)
                nxt[key] = p
                found[key] = p.item()
        level = nxt
    return found


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_binary_ops_against_torch_to_order_3(name: str, a: float, b: float) -> None:
    got, want = binary_derivatives(BINARY[name], a, b), torch_binary(name, a, b)
    assert BINARY[name](a, b) == (math.atan2(a, b) if name == "atan2" else a % b)
    for path in PATHS:
        assert got[path] == pytest.approx(want[path], rel=1e-12, abs=1e-14), (name, a, b, path)


@pytest.mark.parametrize(("y", "x"), [(1e-200, 3e-200), (1e200, -2e200), (5e-324, 1.0),
                                      (1e308, 1e308), (-3.0, 1e-310)])
def test_atan2_partials_are_right_for_tiny_and_huge_operands(y: float, x: float) -> None:
    # x / (x² + y²) and -y / (x² + y²) as x / h / h, h = hypot(x, y): where x² + y² would
    # underflow to 0 or overflow (torch's float64 gives 0 and nan at (1e200, -2e200)).
    h = math.hypot(x, y)
    got = e.ATAN2.partials(y, x, math.atan2(y, x))
    assert got == pytest.approx((x / h / h, -y / h / h), rel=1e-14, abs=0.0)


def test_remainder_is_pythons_float_percent_and_its_partials_are_numbers() -> None:
    for a, b in ((5.3, -2.0), (-5.3, 2.0), (7.0, 0.5), (-0.0, 3.0)):
        y = Value(a) % Value(b)
        assert y.data == a % b and (a % Value(b)).data == a % b and (Value(a) % b).data == a % b
        leaves = list(y.inputs)
        da, db = grad(y, leaves, create_graph=True)
        assert (da.data, db.data) == (1.0, float(-math.floor(a / b)))
        assert grad(da, leaves) == grad(db, leaves) == [0.0, 0.0]  # constant between jumps


def test_domain_errors_name_the_op_and_are_typed() -> None:
    cases: list[tuple[type[Exception], str, Callable[[], object]]] = [
        (ValueError, r"log1p: .* > -1, got -1\.0", lambda: e.LOG1P(Value(-1.0))),
        (ZeroDivisionError, "reciprocal", lambda: e.RECIPROCAL(Value(0.0))),
        (ValueError, r"asin: operand must be in \[-1, 1\], got 1\.5", lambda: Value(1.5).asin()),
        (ValueError, r"acos: operand must be in \[-1, 1\], got -2\.0",
         lambda: Value(-2.0).acos()),
        (ValueError, r"log2: operand must be > 0, got 0\.0", lambda: Value(0.0).log2()),
        (ValueError, r"log10: operand must be > 0, got -1\.0", lambda: Value(-1.0).log10()),
        (ValueError, r"rsqrt: operand must be > 0, got -4\.0", lambda: Value(-4.0).rsqrt()),
        (ZeroDivisionError, r"rsqrt: division by zero", lambda: Value(0.0).rsqrt()),
        (ValueError, r"tan: operand must be finite, got inf", lambda: Value(math.inf).tan()),
        (OverflowError, r"sinh: overflow for operand 1000\.0", lambda: Value(1000.0).sinh()),
        (OverflowError, r"cosh: overflow for operand -1000\.0", lambda: Value(-1000.0).cosh()),
        (ZeroDivisionError, r"remainder: division by zero: 1\.0 % 0\.0",
         lambda: Value(1.0) % 0.0),
        (ZeroDivisionError, r"asin: the slope is infinite at x = 1\.0",
         lambda: Value(1.0).asin().backward()),
        (ZeroDivisionError, r"atan2: the partials are undefined at y = x = 0",
         lambda: Value(0.0).atan2(Value(0.0)).backward()),
        (OverflowError, r"leaky_relu: the result of finite operands",
         lambda: Value(-1e300).leaky_relu(1e300)),
        (ValueError, r"leaky_relu: negative_slope must be finite, got nan",
         lambda: Value(1.0).leaky_relu(math.nan)),
        (TypeError, r"elu: alpha must be a real number", lambda: Value(1.0).elu("1")),  # type: ignore[arg-type]
        (TypeError, r"clamp: give min, max or both", lambda: Value(1.0).clamp()),
        (TypeError, r"clamp: the bounds are part of the op", lambda: e.CLAMP(Value(1.0))),
    ]
    for kind, message, action in cases:
        with pytest.raises(kind, match=message):
            action()


def test_family_members_are_cached_and_drawn_with_their_constant() -> None:
    assert e.leaky_relu(0.2) is e.leaky_relu(0.2) and e.leaky_relu() is e.LEAKY_RELU
    assert e.clamp(0, 1) is e.clamp(0.0, 1.0) and e.elu(1) is e.ELU
    assert Value(2.0).clamp(max=1.0)._op == "clamp[·, 1.0]"
    assert Value(-2.0).leaky_relu(0.2)._op == "LeakyReLU(0.2)"
    assert (Value(-2.0).leaky_relu(0.2).data, Value(-2.0).clamp(min=-1).data) == (-0.4, -1.0)
