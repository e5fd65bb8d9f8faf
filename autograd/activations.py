"""Forward rules and partials of PyTorch's activations (issue 19): softplus, silu, gelu, and
the parametrised families elu(alpha), leaky_relu(negative_slope) and clamp(min, max).

As in ``autograd.elementary``, this module holds only the arithmetic; the table
(``autograd.ops``) holds the entries and binds the ops a partial needs (softplus's needs
sigmoid) as its first arguments, so every partial is generic over floats and Values and every
order of derivative works. A family's constant (alpha, the slope, the bounds) comes after
the operand, by keyword: the table fixes it once per member.
"""

from __future__ import annotations

import math
from typing import Any

from autograd.op import EXP_ZERO_BELOW, data_of, fmt, overflowed

_SQRT1_2 = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def sigmoid(a: float) -> float:
    # Two forms, so exp never sees a large positive argument: finite in both tails.
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def softplus(a: float) -> float:
    # log(1 + e^a) as max(a, 0) + log1p(e^-|a|): exp never overflows, and the small tail is
    # kept (PyTorch's threshold=20 returns a itself above 20: see docs/pytorch.md).
    return (a if a > 0 else 0.0) + math.log1p(math.exp(-abs(a)))


def softplus_partials(sigmoid: Any, a: Any, out: Any) -> tuple[Any]:
    return (sigmoid(a),)


def silu(a: float) -> float:
    return a * sigmoid(a)  # |silu(a)| <= |a|: never overflows


def silu_partials(sigmoid: Any, a: Any, out: Any) -> tuple[Any]:
    s = sigmoid(a)
    return (s * (1 + a * (1 - s)),)  # σ + aσ(1 - σ); |a(1 - σ)| < |a| + 1: no overflow


def gelu(a: float) -> float:
    # a Φ(a), Φ the normal CDF, 0.5 (1 + erf(a/√2)) = 0.5 erfc(-a/√2): the same number, but
    # erfc keeps the left tail's digits where 1 + erf(...) cancels to 0.
    return 0.5 * a * math.erfc(-a * _SQRT1_2)


def gelu_partials(erfc: Any, exp: Any, a: Any, out: Any) -> tuple[Any]:
    # Φ(a) + a φ(a), φ(a) = exp(-a²/2) / √(2π). Where -a²/2 < -746, φ is 0.0 in floats (and
    # a*a may overflow): the term is left out, on floats and Values alike.
    cdf = 0.5 * erfc(-a * _SQRT1_2)
    d = data_of(a)
    if -0.5 * d * d < EXP_ZERO_BELOW:
        return (cdf,)
    return (cdf + a * exp(-0.5 * (a * a)) * _INV_SQRT_2PI,)


# --- the families: a constant fixed per member -------------------------------------------


def elu(a: float, *, alpha: float) -> float:
    return a if a > 0 else alpha * math.expm1(a)  # NaN: alpha * NaN, NaN


def elu_partials(exp: Any, a: Any, out: Any, *, alpha: float) -> tuple[Any]:
    # alpha e^a below 0, written with exp (not out + alpha, which cancels for a << 0). At 0,
    # alpha, as PyTorch (x <= 0 takes the exponential side).
    return (1.0 if data_of(a) > 0 else alpha * exp(a),)


def leaky_relu(a: float, *, negative_slope: float) -> float:
    if a > 0:
        return a
    r = a * negative_slope
    return overflowed("leaky_relu", r, a, negative_slope) if r - r else r


def leaky_relu_partials(a: Any, out: Any, *, negative_slope: float) -> tuple[float]:
    return (1.0 if data_of(a) > 0 else negative_slope,)  # at 0 the slope, as PyTorch


def clamp(a: float, *, low: float | None, high: float | None) -> float:
    # min(max(a, low), high), as PyTorch: with low > high every a gives high. NaN stays NaN.
    r = low if low is not None and a < low else a
    return high if high is not None and r > high else r


def clamp_partials(a: Any, out: Any, *, low: float | None,
                   high: float | None) -> tuple[float]:
    # 1 where low <= a <= high, the bounds included (PyTorch's convention), else 0.
    d = data_of(a)
    inside = (low is None or d >= low) and (high is None or d <= high)
    return (1.0 if inside else 0.0,)


def describe_bounds(low: float | None, high: float | None) -> str:
    """clamp's bounds as drawn in a graph: ``[-1.0, 1.0]``, ``[0.0, ·]``."""
    return f"[{'·' if low is None else fmt(low)}, {'·' if high is None else fmt(high)}]"
