"""The table of operations: every op chainrule knows, each declared exactly once.

An entry gives the op's name, the symbol drawn for it, its forward rule on floats and its
*local partial derivatives*. The partials take the op's inputs and its output and return one
partial per input. They are written with arithmetic and with the table's own ops (``cos``,
``pw``, ...), which accept floats and Values alike: called with floats they give numbers for a
fast first-order backward pass; called with Values they build a graph, so the same rule gives
second and higher derivatives.

Forward rules check their domain and raise an error that names the op and the operand, so
no NaN and no complex number is ever produced from a finite input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any, Literal, TypeAlias

from autograd import activations as _act
from autograd import elementary as _el
from autograd._floats import (
    _add,
    _cos,
    _div,
    _exp,
    _finite_partials,
    _fmt,
    _log,
    _logsumexp,
    _mul,
    _power,
    _relu,
    _sigmoid,
    _sin,
    _sqrt,
    _sub,
    _sum,
    _wsum,
)
from autograd._numbers import int_digits as int_digits  # noqa: PLC0414 (re-exported: check.py)
from autograd._numbers import is_int_like, real_number

Domain = Literal["real", "positive", "nonnegative", "nonzero", "kink", "open_unit", "jumps"]
"""Where an op is smooth, so property tests can keep its operand there by construction.

``real``: everywhere; ``positive``: x > 0; ``nonnegative``: x >= 0 with an infinite slope at 0
(tests use x > 0); ``nonzero``: x != 0 (the divisor of div); ``kink``: a corner at 0 (relu, abs);
``open_unit``: -1 < x < 1 (asin, acos, whose slope is infinite at ±1; tan is kept there too,
inside its branch (-π/2, π/2), where its derivatives stay small enough to check);
``jumps``: a % b, kept off b = 0 and off the integer quotients a / b, where it jumps.
"""

Param: TypeAlias = float | tuple[float | None, float | None]
"""A family's constant: pow's exponent, elu's alpha, leaky_relu's slope, clamp's bounds."""


@dataclass(frozen=True)
class Op:
    """One entry of the table; calling it applies the op to floats or to Values."""

    name: str
    symbol: str
    forward: Callable[..., float]
    partials: Callable[..., Sequence[Any]]
    arity: int | None
    """Number of inputs; ``None`` for an n-ary op (the sums)."""
    domain: Domain = "real"
    """Where the op's first operand is smooth (see ``Domain``)."""
    param: Param | None = None
    """The constant that specialises a family (pow's exponent, clamp's bounds); ``None`` for
    plain ops and for a family's own entry."""
    accumulate: Callable[[Any, float], None] | None = None
    """Optional fused first-order rule for the n-ary ops: given the node's inputs and the
    node's gradient g, add ``partial * g`` to each input's ``.grad`` in one tight loop. It must
    agree with ``partials`` (the tests hold it to that); ``backward`` uses it, ``grad`` and
    every higher order use ``partials``."""

    def __call__(self, *args: Any) -> Any:
        for arg in args:
            apply = getattr(arg, "_apply_op", None)
            if apply is not None:
                return apply(self, args)
        if self.arity is not None and len(args) != self.arity:
            raise TypeError(f"{self.name}: takes {self.arity} operand(s), got {len(args)}")
        return self.forward(*map(self._number, args))

    def _number(self, x: Any) -> float:
        """An operand of a call on numbers, as a float, as ``Value(x)`` would take it: any
        real number (numpy's scalars too), never a bool or a complex number."""
        if type(x) is float:
            return x
        try:
            number = real_number(x)
        except OverflowError:
            raise OverflowError(f"{self.name}: {_too_large(x, 'operand')}") from None
        if number is None:
            raise TypeError(f"{self.name}: operand must be a real number "
                            "(int, float, ...) or a Value, "
                            f"got {type(x).__name__} {x!r:.40}")
        return number

    def __repr__(self) -> str:
        return f"Op({self.name!r}, symbol={self.symbol!r})"


OPS: dict[str, Op] = {}
"""Every op by name, built-ins first, then those added by ``define_op``."""

BUILTIN_NAMES: frozenset[str]  # set at the end of this module


def data_of(x: Any) -> float:
    """The number inside a Value, or the number itself: for partials that branch on sign."""
    return getattr(x, "data", x)  # type: ignore[no-any-return]


def _is_value(x: object) -> bool:
    """Whether x is a Value (``autograd.value`` imports this module, so no isinstance)."""
    return getattr(type(x), "_apply_op", None) is not None


def _register(op: Op) -> Op:
    OPS[op.name] = op
    return op


# --- partials: generic over float and Value ---------------------------------------------


def _sign(x: Any) -> float:
    d = data_of(x)
    return 1.0 if d > 0 else -1.0 if d < 0 else 0.0


def _pow_partials(n: float) -> Callable[..., tuple[Any, ...]]:
    def partials(a: Any, out: Any) -> tuple[Any, ...]:
        if n == 0:
            return (0.0,)
        if n == 1:
            return (1.0,)
        if n < 1 and data_of(a) == 0:
            raise ZeroDivisionError(f"pow: the slope of x ** {_fmt(n)} is infinite at x = 0")
        return (n * pw(a, n - 1),)

    return partials


def _powv_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    base = data_of(a)
    if base > 0:
        d_exponent: Any = out * log(a)
    elif base == 0:
        d_exponent = 0.0  # the limit of a**b * log(a) as a -> 0+, for b > 0
    else:
        raise ValueError(
            f"pow_value: the derivative with respect to the exponent needs a base > 0, "
            f"got {_fmt(base)}"
        )
    if data_of(b) == 0:
        return (0.0, d_exponent)
    if data_of(b) < 1 and base == 0:
        raise ZeroDivisionError("pow_value: the slope of x ** b is infinite at x = 0 for b < 1")
    return (b * a ** (b - 1), d_exponent)


def _sqrt_partials(a: Any, out: Any) -> tuple[Any]:
    if data_of(out) == 0:
        raise ZeroDivisionError("sqrt: the slope is infinite at 0")
    return (0.5 / out,)


def _wsum_partials(*args: Any) -> tuple[Any, ...]:
    n = (len(args) - 2) // 2
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1: the inputs swapped, which is the chain rule of N1.
    return (*args[n : 2 * n], *args[:n], 1.0)


def _wsum_accumulate(inputs: Any, g: float) -> None:
    # The same partials as _wsum_partials, in the same order, without building them.
    n = len(inputs) // 2
    ws, xs = inputs[:n], inputs[n : 2 * n]
    for w, x in zip(ws, xs):  # noqa: B905 (n each, by construction; strict= costs a call)
        w._grad += x._data * g
    for w, x in zip(ws, xs):  # noqa: B905
        x._grad += w._data * g
    inputs[-1]._grad += g


def _sum_accumulate(inputs: Any, g: float) -> None:
    for v in inputs:
        v._grad += g


# --- the table ---------------------------------------------------------------------------

ADD = _register(Op("add", "+", _add, lambda a, b, out: (1.0, 1.0), 2))
MUL = _register(Op("mul", "×", _mul, lambda a, b, out: (b, a), 2))
NEG = _register(Op("neg", "−", lambda a: -a, lambda a, out: (-1.0,), 1))
SUB = _register(Op("sub", "−", _sub, lambda a, b, out: (1.0, -1.0), 2))
DIV = _register(Op("div", "÷", _div, _finite_partials("div", lambda a, b, out: (1 / b, -out / b)),
                   2, "nonzero"))
EXP = _register(Op("exp", "exp", _exp, lambda a, out: (out,), 1))
LOG = _register(Op("log", "log", _log, _finite_partials("log", lambda a, out: (1 / a,)), 1,
                   "positive"))
TANH = _register(Op("tanh", "tanh", math.tanh, lambda a, out: (1 - out * out,), 1))
SIGMOID = _register(
    Op("sigmoid", "σ", _sigmoid, lambda a, out: (out * (1 - out),), 1)
)
def _relu_partials(a: Any, out: Any) -> tuple[float]:
    d = getattr(a, "data", a)
    return (1.0 if d > 0 else 0.0 if d <= 0 else math.nan,)


RELU = _register(Op("relu", "ReLU", _relu, _relu_partials, 1, "kink"))
SQRT = _register(Op("sqrt", "√", _sqrt, _sqrt_partials, 1, "nonnegative"))
SIN = _register(Op("sin", "sin", _sin, lambda a, out: (cos(a),), 1))
COS = _register(Op("cos", "cos", _cos, lambda a, out: (-sin(a),), 1))
ABS = _register(Op("abs", "|·|", abs, lambda a, out: (_sign(a),), 1, "kink"))
def _family_only(*args: Any) -> Any:
    raise TypeError("pow: the exponent is part of the op: use power(n), or x ** n on a Value")


POW = _register(Op("pow", "^", _family_only, _family_only, 1, "positive"))
"""The family ``x ** n`` for a number n; a node holds the member ``power(n)``."""
POW_VALUE = _register(
    Op("pow_value", "^", lambda a, b: _power(a, b, "pow_value"),
       _finite_partials("pow_value", _powv_partials), 2, "positive")
)
WSUM = _register(Op("wsum", "Σ", _wsum, _wsum_partials, None, accumulate=_wsum_accumulate))
"""The weighted sum w1*x1 + ... + wn*xn + b as one node; inputs are (w1..wn, x1..xn, b)."""
SUM = _register(
    Op("sum", "+", _sum, lambda *args: (1.0,) * (len(args) - 1), None, accumulate=_sum_accumulate)
)


# PyTorch's names (issue 19); the rules are in autograd/elementary.py.
LOG1P = _register(Op("log1p", "log1p", _el.log1p, _finite_partials("log1p", _el.log1p_partials),
                     1, "positive"))
EXPM1 = _register(Op("expm1", "expm1", _el.expm1, _el.expm1_partials, 1))
SQUARE = _register(Op("square", "²", _el.square, _el.square_partials, 1))
RECIPROCAL = _register(Op("reciprocal", "1/·", _el.reciprocal,
                          _finite_partials("reciprocal", _el.reciprocal_partials), 1, "nonzero"))
ATAN = _register(Op("atan", "atan", math.atan, _el.atan_partials, 1))
TAN = _register(Op("tan", "tan", _el.tan, _el.tan_partials, 1, "open_unit"))
SINH = _register(Op("sinh", "sinh", _el.sinh,
                    _finite_partials("sinh", lambda a, out: (cosh(a),)), 1))
COSH = _register(Op("cosh", "cosh", _el.cosh,
                    _finite_partials("cosh", lambda a, out: (SINH(a),)), 1))
LOG2 = _register(Op("log2", "log₂", _el.log2, _finite_partials("log2", _el.log2_partials), 1,
                    "positive"))
LOG10 = _register(Op("log10", "log₁₀", _el.log10, _finite_partials("log10", _el.log10_partials),
                     1, "positive"))
RSQRT = _register(Op("rsqrt", "1/√", _el.rsqrt, _finite_partials("rsqrt", _el.rsqrt_partials), 1,
                     "positive"))
SIGN = _register(Op("sign", "sign", _el.sign, _el.sign_partials, 1, "kink"))
ERF = _register(Op("erf", "erf", math.erf, partial(_el.erf_partials, EXP), 1))
ERFC = _register(Op("erfc", "erfc", math.erfc, partial(_el.erfc_partials, EXP), 1))
ASIN = _register(Op("asin", "asin", _el.asin, partial(_el.asin_partials, RSQRT), 1, "open_unit"))
ACOS = _register(Op("acos", "acos", _el.acos, partial(_el.acos_partials, RSQRT), 1, "open_unit"))
ATAN2 = _register(Op("atan2", "atan2", _el.atan2, _finite_partials("atan2", _el.atan2_partials),
                     2, "nonzero"))
"""atan2(y, x); both operands kept off 0 in tests, so off the cut y = 0, x < 0 and (0, 0)."""
REMAINDER = _register(Op("remainder", "%", _el.remainder,
                         _finite_partials("remainder", _el.remainder_partials), 2, "jumps"))
"""``a % b`` with Python's float semantics (torch.remainder's): the sign of b."""
SOFTPLUS = _register(Op("softplus", "softplus", _act.softplus,
                        partial(_act.softplus_partials, SIGMOID), 1))
SILU = _register(Op("silu", "SiLU", _act.silu, partial(_act.silu_partials, SIGMOID), 1))
GELU = _register(Op("gelu", "GELU", _act.gelu, partial(_act.gelu_partials, ERFC, EXP), 1))


# --- PyTorch's parametrised activations: families, as pow is ------------------------------
# A member fixes the constant; the table holds PyTorch's default member (clamp has none: its
# entry is the family, as pow's is).

FAMILIES = frozenset({"pow", "elu", "leaky_relu", "clamp"})
"""The ops whose nodes hold a member: the op with its constant (``Op.param``) fixed."""


def _constant(name: str, what: str, x: object) -> float:
    """A family's constant as a finite float: TypeError or ValueError naming the op."""
    try:
        number = real_number(x)
    except OverflowError:
        raise OverflowError(f"{name}: {_too_large(x, what)}") from None
    if number is None:
        raise TypeError(f"{name}: {what} must be a real number (int, float, ...), "
                        f"got {type(x).__name__} {x!r:.40}")
    if not math.isfinite(number):
        raise ValueError(f"{name}: {what} must be finite, got {_fmt(number)}")
    return number


def elu(alpha: float = 1.0) -> Op:
    """The op ELU with this alpha: x above 0, alpha (e^x - 1) at and below 0 (PyTorch's)."""
    return _elu_op(_constant("elu", "alpha", alpha))


@lru_cache(maxsize=512)
def _elu_op(alpha: float) -> Op:
    return Op("elu", "ELU" if alpha == 1 else f"ELU({_fmt(alpha)})",
              partial(_act.elu, alpha=alpha), partial(_act.elu_partials, EXP, alpha=alpha),
              1, "kink", param=alpha)


def leaky_relu(negative_slope: float = 0.01) -> Op:
    """The op LeakyReLU with this slope below 0 (PyTorch's default 0.01)."""
    return _leaky_relu_op(_constant("leaky_relu", "negative_slope", negative_slope))


@lru_cache(maxsize=512)
def _leaky_relu_op(slope: float) -> Op:
    return Op("leaky_relu", "LeakyReLU" if slope == 0.01 else f"LeakyReLU({_fmt(slope)})",
              partial(_act.leaky_relu, negative_slope=slope),
              partial(_act.leaky_relu_partials, negative_slope=slope), 1, "kink", param=slope)


def clamp(min: float | None = None, max: float | None = None) -> Op:
    """The op clamp to [min, max] (either may be None, not both), as torch.clamp."""
    if min is None and max is None:
        raise TypeError("clamp: give min, max or both (at least one must not be None)")
    low = None if min is None else _constant("clamp", "min", min)
    high = None if max is None else _constant("clamp", "max", max)
    return _clamp_op(low, high)


@lru_cache(maxsize=512)
def _clamp_op(low: float | None, high: float | None) -> Op:
    return replace(CLAMP, symbol="clamp" + _act.describe_bounds(low, high),
                   forward=partial(_act.clamp, low=low, high=high),
                   partials=partial(_act.clamp_partials, low=low, high=high), param=(low, high))


def _clamp_only(*args: Any) -> Any:
    raise TypeError("clamp: the bounds are part of the op: use clamp(min, max), or x.clamp(...)")


ELU = _register(elu())
LEAKY_RELU = _register(leaky_relu())
CLAMP = _register(Op("clamp", "clamp", _clamp_only, _clamp_only, 1, "kink"))
"""The family clamp(min, max); a node holds a member."""


# --- softmax's node: log Σ exp (issue 19) -----------------------------------------------
# softmax and log_softmax are written with this one n-ary op (autograd.softmax): its forward
# is the stable float rule, its partials the generic exp(xᵢ − out) = softmax(x)ᵢ, so it is one
# node in a drawing, differentiates to every order and compiles like any built-in.


def _logsumexp_partials(*args: Any) -> tuple[Any, ...]:
    # d out / d a_i = exp(a_i - out), the softmax. Where a_i - out is below -746, exp is 0.0 in
    # floats (so is every derivative of it): written as 0.0, so the gap a_i - out of two huge
    # operands of opposite sign never overflows, on floats or on Values alike.
    out = args[-1]
    return tuple(EXP(a - out) if data_of(a) - data_of(out) > _EXP_UNDERFLOW else 0.0
                 for a in args[:-1])


_EXP_UNDERFLOW = -746.0
"""Below this, ``math.exp`` gives exactly 0.0 (its smallest subnormal is ``exp(-745.13...)``)."""


LOGSUMEXP = _register(Op("logsumexp", "log Σ exp", _logsumexp, _logsumexp_partials, None))
"""``log(exp(x1) + ... + exp(xn))`` as ONE node, stable for large and small operands."""


# Generic helpers for partials: each takes a float or a Value, through the table's ops.
def sin(x: Any) -> Any:
    return SIN(x)


def cos(x: Any) -> Any:
    return COS(x)


def log(x: Any) -> Any:
    return LOG(x)


def cosh(x: Any) -> Any:
    return COSH(x)


def power(n: float) -> Op:
    """The op ``x ** n`` for a fixed number n: the exponent is part of the op, as in x²."""
    # Checked before the cache: an unhashable n must get this error, and True (equal to 1.0,
    # with the same hash) must not find x ** 1.0's op there.
    if type(n) is not int and type(n) is not float:
        n = _exponent(n)
    elif type(n) is int:
        _exponent(n)  # a huge int: OverflowError
    return _power_op(n)


def _exponent(n: object) -> float:
    """A real number as pow's exponent: an int stays an int (``x ** 2`` is drawn "^2")."""
    try:
        number = real_number(n)
    except OverflowError:
        raise OverflowError(f"pow: {_too_large(n, 'exponent')}") from None
    if number is None:
        raise TypeError(f"pow: exponent must be a real number "
                        f"(int, float, ...), got {type(n).__name__}")
    if is_int_like(n):
        return int(n)  # type: ignore[call-overload, no-any-return]  # numpy's int64, say
    return number


def _too_large(x: object, what: str) -> str:
    if is_int_like(x):
        return f"the int {what} has {int_digits(int(x))} digits, too large for a float"  # type: ignore[call-overload]
    return f"the {what} {type(x).__name__} {x!r:.40} is too large for a float"


@lru_cache(maxsize=512, typed=True)  # typed: x ** 2 and x ** 2.0 are drawn "^2" and "^2.0"
def _power_op(n: float) -> Op:
    return replace(
        POW,
        symbol=f"^{_fmt(n)}" if isinstance(n, float) else f"^{n}",
        forward=lambda a: _power(a, n, "pow"),
        partials=_finite_partials("pow", _pow_partials(n)),
        arity=1,
        param=n,
    )


def pw(x: Any, n: float) -> Any:
    """``x ** n`` for a float or a Value x, through the table's pow op."""
    return power(n)(x)


BUILTIN_NAMES = frozenset(OPS)
