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
from functools import partial
from typing import Any

from autograd import activations as _act
from autograd import elementary as _el
from autograd import families as _fam
from autograd._floats import (
    EXP_ZERO_BELOW,
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

# The op record and the registry (autograd/_table.py) and the families (autograd/families.py)
# are part of this module's interface: re-exported, so ``autograd.ops`` is the one place to
# look an op up.
from autograd._table import OPS as OPS  # noqa: PLC0414
from autograd._table import Domain as Domain  # noqa: PLC0414
from autograd._table import Op as Op  # noqa: PLC0414
from autograd._table import Param as Param  # noqa: PLC0414
from autograd._table import _is_value as _is_value  # noqa: PLC0414
from autograd._table import _register as _register  # noqa: PLC0414
from autograd._table import data_of as data_of  # noqa: PLC0414
from autograd.families import FAMILIES as FAMILIES  # noqa: PLC0414
from autograd.families import clamp as clamp  # noqa: PLC0414
from autograd.families import elu as elu  # noqa: PLC0414
from autograd.families import leaky_relu as leaky_relu  # noqa: PLC0414
from autograd.families import power as power  # noqa: PLC0414
from autograd.families import pw as pw  # noqa: PLC0414
from autograd.reals import int_digits as int_digits  # noqa: PLC0414 (re-exported: check.py)

BUILTIN_NAMES: frozenset[str]  # set at the end of this module


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
POW = _register(_fam.POW)
"""The family ``x ** n`` for a number n; a node holds the member ``power(n)``."""
POW_VALUE = _register(
    Op("pow_value", "^", lambda a, b: _power(a, b, "pow_value"),
       _finite_partials("pow_value", _powv_partials), 2, "positive")
)
WSUM = _register(Op("wsum", "Σ", _wsum, _wsum_partials, None))
"""The weighted sum w1*x1 + ... + wn*xn + b as one node; inputs are (w1..wn, x1..xn, b)."""
SUM = _register(
    Op("sum", "+", _sum, lambda *args: (1.0,) * (len(args) - 1), None)
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


# PyTorch's parametrised activations: families, as pow is (autograd/families.py). The table
# holds PyTorch's default members; clamp has no default, so its entry is the family.
ELU = _register(elu())
LEAKY_RELU = _register(leaky_relu())
CLAMP = _register(_fam.CLAMP)
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


BUILTIN_NAMES = frozenset(OPS)
