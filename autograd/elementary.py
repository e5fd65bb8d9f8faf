"""Forward rules and partials of the ops named as in PyTorch (issue 19): log1p, expm1, square,
reciprocal, atan, tan, sinh, cosh, log2, log10, rsqrt, sign, erf, erfc, asin, acos, atan2 and
remainder (``%``). The table (``autograd.ops``) holds their entries; this module holds only the
arithmetic, as ``autograd.ops`` does for the first ops, so it imports nothing of the table.

Forward rules check their domain and overflow, naming the op and the operand. Partials are
arithmetic on their operand and output, generic over floats and Values, so every order works.
A partial that needs another op of the table (asin's needs rsqrt) takes it as its first
argument; the table binds it, so the partial stays generic without importing the table.
"""

from __future__ import annotations

import math
from typing import Any

from autograd.op import EXP_ZERO_BELOW, data_of, fmt, overflowed


def log1p(a: float) -> float:
    if a <= -1:
        raise ValueError(f"log1p: operand must be > -1, got {fmt(a)}")
    return math.log1p(a)


def expm1(a: float) -> float:
    try:
        return math.expm1(a)
    except OverflowError:
        raise OverflowError(f"expm1: overflow for operand {fmt(a)}") from None


def reciprocal(a: float) -> float:
    if a == 0:
        raise ZeroDivisionError(f"reciprocal: division by zero: 1 / {fmt(a)}")
    r = 1.0 / a
    return overflowed("reciprocal", r, a) if r - r else r


def square(a: float) -> float:
    r = a * a
    return overflowed("square", r, a) if r - r else r


def log1p_partials(a: Any, out: Any) -> tuple[Any]:
    return (1 / (1 + a),)


def expm1_partials(a: Any, out: Any) -> tuple[Any]:
    return (out + 1,)  # e^a, from the output: expm1(a) + 1


def square_partials(a: Any, out: Any) -> tuple[Any]:
    return (2 * a,)


def reciprocal_partials(a: Any, out: Any) -> tuple[Any]:
    return (-(out * out),)  # d(1/a)/da = -1/a², written with the output


def atan_partials(a: Any, out: Any) -> tuple[Any]:
    if abs(data_of(a)) > 1:  # a*a would overflow for |a| > 1e154: divide first
        r = 1 / a
        return (r * r / (1 + r * r),)
    return (1 / (1 + a * a),)


# --- tan, sinh, cosh, log2, log10, rsqrt, sign ------------------------------------------

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


def tan(a: float) -> float:
    try:
        return math.tan(a)  # finite for every finite float: no float is a pole
    except ValueError:
        raise ValueError(f"tan: operand must be finite, got {fmt(a)}") from None


def tan_partials(a: Any, out: Any) -> tuple[Any]:
    return (1 + out * out,)  # sec² = 1 + tan², from the output


def sinh(a: float) -> float:
    try:
        return math.sinh(a)
    except OverflowError:
        raise OverflowError(f"sinh: overflow for operand {fmt(a)}") from None


def cosh(a: float) -> float:
    try:
        return math.cosh(a)
    except OverflowError:
        raise OverflowError(f"cosh: overflow for operand {fmt(a)}") from None


def log2(a: float) -> float:
    if a <= 0:
        raise ValueError(f"log2: operand must be > 0, got {fmt(a)}")
    return math.log2(a)


def log10(a: float) -> float:
    if a <= 0:
        raise ValueError(f"log10: operand must be > 0, got {fmt(a)}")
    return math.log10(a)


def log2_partials(a: Any, out: Any) -> tuple[Any]:
    return (1 / a / _LN2,)  # 1 / (a ln 2), divided first: a * ln 10 overflows at a = 1e308


def log10_partials(a: Any, out: Any) -> tuple[Any]:
    return (1 / a / _LN10,)


def rsqrt(a: float) -> float:
    if a < 0:
        raise ValueError(f"rsqrt: operand must be > 0, got {fmt(a)}")
    if a == 0:
        raise ZeroDivisionError(f"rsqrt: division by zero: 1 / sqrt({fmt(a)})")
    return 1.0 / math.sqrt(a)  # at most 4.5e161 (at the smallest subnormal): never overflows


def rsqrt_partials(a: Any, out: Any) -> tuple[Any]:
    return (-0.5 * out * out * out,)  # d(a^-1/2)/da = -a^-3/2 / 2, from the output


def sign(a: float) -> float:
    return 1.0 if a > 0 else -1.0 if a < 0 else a  # 0.0, -0.0 and NaN stay as they are


def sign_partials(a: Any, out: Any) -> tuple[float]:
    return (0.0,)  # PyTorch's convention: 0 everywhere, at 0 too


# --- erf, erfc (gelu's Φ is written with erfc) -------------------------------------------

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def erf_partials(exp: Any, a: Any, out: Any) -> tuple[Any]:
    d = data_of(a)
    if -d * d < EXP_ZERO_BELOW:  # exp(-a²) is 0.0 in floats; a*a could overflow: 0.0
        return (0.0,)
    return (_TWO_OVER_SQRT_PI * exp(-(a * a)),)


def erfc_partials(exp: Any, a: Any, out: Any) -> tuple[Any]:
    (d,) = erf_partials(exp, a, out)
    return (-d,)


# --- asin, acos: the open interval (-1, 1) ------------------------------------------------


def asin(a: float) -> float:
    if a < -1 or a > 1:  # NaN passes, and stays NaN
        raise ValueError(f"asin: operand must be in [-1, 1], got {fmt(a)}")
    return math.asin(a)


def acos(a: float) -> float:
    if a < -1 or a > 1:
        raise ValueError(f"acos: operand must be in [-1, 1], got {fmt(a)}")
    return math.acos(a)


def asin_partials(rsqrt: Any, a: Any, out: Any) -> tuple[Any]:
    if abs(data_of(a)) == 1:
        raise ZeroDivisionError(f"asin: the slope is infinite at x = {fmt(data_of(a))}")
    return (rsqrt((1 - a) * (1 + a)),)  # 1/√(1 - a²), without the rounding of 1 - a*a


def acos_partials(rsqrt: Any, a: Any, out: Any) -> tuple[Any]:
    if abs(data_of(a)) == 1:
        raise ZeroDivisionError(f"acos: the slope is infinite at x = {fmt(data_of(a))}")
    return (-rsqrt((1 - a) * (1 + a)),)


# --- atan2, remainder: binary ------------------------------------------------------------


def atan2(y: float, x: float) -> float:
    return math.atan2(y, x)  # defined for every pair of floats, (0, 0) and infinities too


def atan2_partials(y: Any, x: Any, out: Any) -> tuple[Any, Any]:
    # x / (x² + y²) and -y / (x² + y²), with both divided by s = max(|x|, |y|) first, so the
    # squares neither overflow (x = 1e200) nor underflow to a zero divisor (x = 1e-200).
    s = max(abs(data_of(y)), abs(data_of(x)))
    if s == 0:
        raise ZeroDivisionError("atan2: the partials are undefined at y = x = 0")
    ys, xs = y / s, x / s
    q = ys * ys + xs * xs  # in [1, 2]
    return (xs / q / s, -ys / q / s)


def remainder(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"remainder: division by zero: {fmt(a)} % {fmt(b)}")
    return a % b  # Python's float %: the sign of b, as torch.remainder


def remainder_partials(a: Any, b: Any, out: Any) -> tuple[float, float]:
    # a % b = a - b * floor(a / b); floor(a / b) is constant between its jumps, so the
    # partials are numbers (every higher derivative is 0).
    q = data_of(a) / data_of(b)
    return (1.0, float(-math.floor(q)) if q - q == 0 else -q)  # -q: inf, an overflow
