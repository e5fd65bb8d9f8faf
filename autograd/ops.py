"""The table of operations: every op chainrule knows, each declared exactly once.

An entry gives the op's name, the symbol drawn for it, its forward rule on floats and its
*local partial derivatives* (``autograd.op`` says what an entry is). The forward rules of the
notes' ops are here, above the table; PyTorch's further names have theirs in
``autograd.elementary`` and ``autograd.activations``, the parametrised ops in
``autograd.families``.

The partials take the op's inputs and its output and return one partial per input. They are
written with arithmetic and with the table's own ops (``cos``, ``x ** n``, ...), which accept
floats and Values alike: called with floats they give numbers for a first-order backward
pass; called with Values they build a graph, so the same rule gives second and higher
derivatives.

Forward rules check their domain and raise an error that names the op and the operand, so
no NaN and no complex number is ever produced from a finite input.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from autograd import activations as _act
from autograd import elementary as _el
from autograd import families as _fam
from autograd.families import FAMILIES as FAMILIES  # noqa: PLC0414
from autograd.families import clamp as clamp  # noqa: PLC0414
from autograd.families import elu as elu  # noqa: PLC0414
from autograd.families import leaky_relu as leaky_relu  # noqa: PLC0414
from autograd.families import power as power  # noqa: PLC0414
from autograd.families import power_rule
from autograd.families import pw as pw  # noqa: PLC0414
from autograd.op import EXP_ZERO_BELOW, finite_partials, fmt, overflowed, register
from autograd.op import OPS as OPS  # noqa: PLC0414 (re-exported: ops is where to look one up)
from autograd.op import Domain as Domain  # noqa: PLC0414
from autograd.op import Op as Op  # noqa: PLC0414
from autograd.op import Param as Param  # noqa: PLC0414
from autograd.op import data_of as data_of  # noqa: PLC0414

BUILTIN_NAMES: frozenset[str]  # set at the end of this module


# --- forward rules on floats, with their domain checks --------------------------------


def _add(a: float, b: float) -> float:
    r = a + b
    return overflowed("add", r, a, b) if r - r else r


def _sub(a: float, b: float) -> float:
    r = a - b
    return overflowed("sub", r, a, b) if r - r else r


def _mul(a: float, b: float) -> float:
    r = a * b
    return overflowed("mul", r, a, b) if r - r else r


def _div(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"div: division by zero: {fmt(a)} / {fmt(b)}")
    r = a / b
    return overflowed("div", r, a, b) if r - r else r


def _relu(a: float) -> float:
    return 0.0 if a <= 0 else a  # NaN stays NaN (NaN <= 0 is False)


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(
            f"exp: overflow for operand {fmt(a)} (exp(x) exceeds the largest float for x > 709.78)"
        ) from None


def _log(a: float) -> float:
    if a <= 0:
        raise ValueError(f"log: operand must be > 0, got {fmt(a)}")
    return math.log(a)


def _sqrt(a: float) -> float:
    if a < 0:
        raise ValueError(f"sqrt: operand must be >= 0, got {fmt(a)}")
    return math.sqrt(a)


def _sin(a: float) -> float:
    try:
        return math.sin(a)
    except ValueError:  # math's "math domain error" names neither the op nor the operand
        raise ValueError(f"sin: operand must be finite, got {fmt(a)}") from None


def _cos(a: float) -> float:
    try:
        return math.cos(a)
    except ValueError:
        raise ValueError(f"cos: operand must be finite, got {fmt(a)}") from None


def _wsum(*args: float) -> float:
    n = len(args) // 2
    if len(args) % 2 == 0:  # else the last x would be read again as the bias
        raise TypeError(f"wsum: takes (w1..wn, x1..xn, b), an odd number of operands, "
                        f"got {len(args)}")
    # Left to right, as Python writes w1*x1 + ... + wn*xn + b (not sum(), whose rounding
    # changes in 3.12): from the first product, so the sign of a zero sum is IEEE's (a start
    # of 0 makes -0.0 into 0.0), and autograd.compile writes the sum as the notes do.
    r = args[-1]
    if n:
        r = args[0] * args[n]
        for w, x in zip(args[1:n], args[n + 1 : 2 * n]):  # noqa: B905 (n of each, by slicing)
            r += w * x
        r += args[-1]
    return overflowed("wsum", r, *args) if r - r else r


def _sum(*args: float) -> float:
    # Left to right from the int 0, as _wsum: sum() compensates its rounding from Python 3.12,
    # and the same graph must give the same bits on every version, compiled or not.
    r: float = 0
    for x in args:
        r += x
    r += 0.0
    return overflowed("sum", r, *args) if r - r else r


def _sumsq(*args: float) -> float:
    # Left to right, from the first square, as _wsum adds its products (then + 0.0, as an
    # l2 written as the weighted sum p1*p1 + ... + pn*pn + 0 did).
    if not args:
        raise TypeError("sumsq: needs at least one operand, got none")
    r = args[0] * args[0]
    for x in args[1:]:
        r += x * x
    r += 0.0
    return overflowed("sumsq", r, *args) if r - r else r


def _logsumexp(*args: float) -> float:
    # log Σ exp(aᵢ) as m + log Σ exp(aᵢ − m) with m the largest operand: every exp is at most
    # 1 and one of them is exactly 1, so nothing overflows or underflows to log(0), and the
    # answer is finite for every finite operand (logits of 1000 or -1000 included).
    if not args:
        raise TypeError("logsumexp: needs at least one operand, got none")
    m = max(args)
    if m - m:  # inf or nan among the operands: IEEE carries it (a nan anywhere is nan)
        return math.nan if any(map(math.isnan, args)) else m
    s = 0.0
    for a in args:  # left to right, as _sum adds: the same bits on every Python version
        s += math.exp(a - m)
    return m + math.log(s)


# --- partials: generic over float and Value ---------------------------------------------


def _sign(x: Any) -> float:
    d = data_of(x)
    return 1.0 if d > 0 else -1.0 if d < 0 else 0.0


def _powv_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    base = data_of(a)
    if base > 0:
        d_exponent: Any = out * log(a)
    elif base == 0:
        d_exponent = 0.0  # the limit of a**b * log(a) as a -> 0+, for b > 0
    else:
        raise ValueError(
            f"pow_value: the derivative with respect to the exponent needs a base > 0, "
            f"got {fmt(base)}"
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


# --- the table ---------------------------------------------------------------------------

ADD = register(Op("add", "+", _add, lambda a, b, out: (1.0, 1.0), 2))
MUL = register(Op("mul", "×", _mul, lambda a, b, out: (b, a), 2))
NEG = register(Op("neg", "−", lambda a: -a, lambda a, out: (-1.0,), 1))
SUB = register(Op("sub", "−", _sub, lambda a, b, out: (1.0, -1.0), 2))
DIV = register(Op("div", "÷", _div, finite_partials("div", lambda a, b, out: (1 / b, -out / b)),
                   2, "nonzero"))
EXP = register(Op("exp", "exp", _exp, lambda a, out: (out,), 1))
LOG = register(Op("log", "log", _log, finite_partials("log", lambda a, out: (1 / a,)), 1,
                   "positive"))
TANH = register(Op("tanh", "tanh", math.tanh, lambda a, out: (1 - out * out,), 1))
SIGMOID = register(
    Op("sigmoid", "σ", _act.sigmoid, lambda a, out: (out * (1 - out),), 1)
)
def _relu_partials(a: Any, out: Any) -> tuple[float]:
    d = getattr(a, "data", a)
    return (1.0 if d > 0 else 0.0 if d <= 0 else math.nan,)


RELU = register(Op("relu", "ReLU", _relu, _relu_partials, 1, "kink"))
SQRT = register(Op("sqrt", "√", _sqrt, _sqrt_partials, 1, "nonnegative"))
SIN = register(Op("sin", "sin", _sin, lambda a, out: (cos(a),), 1))
COS = register(Op("cos", "cos", _cos, lambda a, out: (-sin(a),), 1))
ABS = register(Op("abs", "|·|", abs, lambda a, out: (_sign(a),), 1, "kink"))
POW = register(_fam.POW)
"""The family ``x ** n`` for a number n; a node holds the member ``power(n)``."""
POW_VALUE = register(
    Op("pow_value", "^", lambda a, b: power_rule(a, b, "pow_value"),
       finite_partials("pow_value", _powv_partials), 2, "positive")
)
WSUM = register(Op("wsum", "Σ", _wsum, _wsum_partials, None))
"""The weighted sum w1*x1 + ... + wn*xn + b as one node; inputs are (w1..wn, x1..xn, b)."""
SUM = register(
    Op("sum", "+", _sum, lambda *args: (1.0,) * (len(args) - 1), None)
)
SUMSQ = register(Op("sumsq", "Σx²", _sumsq, lambda *args: [a + a for a in args[:-1]], None))
"""x1² + ... + xn² as one node (an l2 penalty): d/dxᵢ = 2xᵢ, written xᵢ + xᵢ."""


# PyTorch's names (issue 19); the rules are in autograd/elementary.py.
LOG1P = register(Op("log1p", "log1p", _el.log1p, finite_partials("log1p", _el.log1p_partials),
                     1, "positive"))
EXPM1 = register(Op("expm1", "expm1", _el.expm1, _el.expm1_partials, 1))
SQUARE = register(Op("square", "²", _el.square, _el.square_partials, 1))
RECIPROCAL = register(Op("reciprocal", "1/·", _el.reciprocal,
                          finite_partials("reciprocal", _el.reciprocal_partials), 1, "nonzero"))
ATAN = register(Op("atan", "atan", math.atan, _el.atan_partials, 1))
TAN = register(Op("tan", "tan", _el.tan, _el.tan_partials, 1, "open_unit"))
SINH = register(Op("sinh", "sinh", _el.sinh,
                    finite_partials("sinh", lambda a, out: (cosh(a),)), 1))
COSH = register(Op("cosh", "cosh", _el.cosh,
                    finite_partials("cosh", lambda a, out: (SINH(a),)), 1))
LOG2 = register(Op("log2", "log₂", _el.log2, finite_partials("log2", _el.log2_partials), 1,
                    "positive"))
LOG10 = register(Op("log10", "log₁₀", _el.log10, finite_partials("log10", _el.log10_partials),
                     1, "positive"))
RSQRT = register(Op("rsqrt", "1/√", _el.rsqrt, finite_partials("rsqrt", _el.rsqrt_partials), 1,
                     "positive"))
SIGN = register(Op("sign", "sign", _el.sign, _el.sign_partials, 1, "kink"))
ERF = register(Op("erf", "erf", math.erf, partial(_el.erf_partials, EXP), 1))
ERFC = register(Op("erfc", "erfc", math.erfc, partial(_el.erfc_partials, EXP), 1))
ASIN = register(Op("asin", "asin", _el.asin, partial(_el.asin_partials, RSQRT), 1, "open_unit"))
ACOS = register(Op("acos", "acos", _el.acos, partial(_el.acos_partials, RSQRT), 1, "open_unit"))
ATAN2 = register(Op("atan2", "atan2", _el.atan2, finite_partials("atan2", _el.atan2_partials),
                     2, "nonzero"))
"""atan2(y, x); both operands kept off 0 in tests, so off the cut y = 0, x < 0 and (0, 0)."""
REMAINDER = register(Op("remainder", "%", _el.remainder,
                         finite_partials("remainder", _el.remainder_partials), 2, "jumps"))
"""``a % b`` with Python's float semantics (torch.remainder's): the sign of b."""
SOFTPLUS = register(Op("softplus", "softplus", _act.softplus,
                        partial(_act.softplus_partials, SIGMOID), 1))
SILU = register(Op("silu", "SiLU", _act.silu, partial(_act.silu_partials, SIGMOID), 1))
GELU = register(Op("gelu", "GELU", _act.gelu, partial(_act.gelu_partials, ERFC, EXP), 1))


# PyTorch's parametrised activations: families, as pow is (autograd/families.py). The table
# holds PyTorch's default members; clamp has no default, so its entry is the family.
ELU = register(elu())
LEAKY_RELU = register(leaky_relu())
CLAMP = register(_fam.CLAMP)
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
    return tuple(EXP(a - out) if data_of(a) - data_of(out) > EXP_ZERO_BELOW else 0.0
                 for a in args[:-1])


LOGSUMEXP = register(Op("logsumexp", "log Σ exp", _logsumexp, _logsumexp_partials, None))
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


BUILTIN_NAMES = frozenset(OPS)
