"""Forward rules and partials of the ops named as in PyTorch (issue 19): log1p, expm1, square,
reciprocal, atan. The table (``autograd.ops``) holds their entries; this module holds only the
arithmetic, as ``_floats.py`` does for the first ops, so it imports nothing of the table.

Forward rules check their domain and overflow, naming the op and the operand. Partials are
arithmetic on their operand and output, generic over floats and Values, so every order works.
"""

from __future__ import annotations

import math
from typing import Any

from autograd._floats import _data, _fmt, overflowed


def log1p(a: float) -> float:
    if a <= -1:
        raise ValueError(f"log1p: operand must be > -1, got {_fmt(a)}")
    return math.log1p(a)


def expm1(a: float) -> float:
    try:
        return math.expm1(a)
    except OverflowError:
        raise OverflowError(f"expm1: overflow for operand {_fmt(a)}") from None


def reciprocal(a: float) -> float:
    if a == 0:
        raise ZeroDivisionError(f"reciprocal: division by zero: 1 / {_fmt(a)}")
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
    if abs(_data(a)) > 1:  # a*a would overflow for |a| > 1e154: divide first
        r = 1 / a
        return (r * r / (1 + r * r),)
    return (1 / (1 + a * a),)
