"""Forward rules on floats, with the domain checks: the numbers half of the op table.

Each rule takes and returns floats, and where an op has no real, finite answer it raises an
error that names the op and the operand (``ValueError`` out of the domain, ``ZeroDivisionError``,
``OverflowError`` when finite operands would give inf), so no NaN, inf or complex number comes
out of finite input. ``autograd.ops`` puts them in the table beside their partials, and
wraps the partials that can overflow (div's, log's, pow's) in ``_finite_partials``, so an
infinite derivative from finite operands is an error too, at every order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

EXP_ZERO_BELOW = -746.0
"""Below this, ``math.exp`` gives exactly 0.0 (its smallest subnormal is ``exp(-745.13...)``),
and so does every derivative of it: partials leave such a term out rather than risk an
overflow on the way to it (a*a at a = 1e200)."""


def _fmt(x: float) -> str:
    return repr(x)


def overflowed(name: str, result: float, *operands: float) -> float:
    """``result`` if an operand was already inf or NaN (IEEE carries it on), else an
    ``OverflowError`` naming the op: finite operands must not give inf, or later NaN.

    Callers test ``result - result`` first (0.0 for every finite result), so the hot path
    pays one subtraction.
    """
    if all(map(math.isfinite, operands)):
        shown = ", ".join(_fmt(x) for x in operands[:4]) + (", ..." if len(operands) > 4 else "")
        raise OverflowError(f"{name}: the result of finite operands ({shown}) overflows "
                            f"a float")
    return result


def _finite_partials(name: str,
                     partials: Callable[..., Sequence[Any]]) -> Callable[..., Sequence[Any]]:
    """``partials``, for an op whose partials can overflow from finite operands (1/b at a tiny
    b, say): an infinite partial from finite operands raises ``OverflowError`` naming the op
    and the partial, whether the partials are taken on floats or on Values.

    On floats a division overflows to inf silently and ``**`` raises a bare OverflowError; on
    Values the table's ops raise one naming themselves. All three become the same error here.
    """
    def checked(*args: Any) -> Sequence[Any]:
        try:
            parts = partials(*args)
        except OverflowError:
            error = _partial_overflow(name, partials, args)
            if error is None:
                raise
            raise error from None
        for p in parts:
            # Only a float can be inf here (a Value op raises instead), and p - p is 0.0 for
            # every finite p: one subtraction when all is well.
            if type(p) is float and p - p and math.isinf(p):
                error = _partial_overflow(name, partials, args)
                if error is not None:
                    raise error
        return parts

    return checked


def _partial_overflow(name: str, partials: Callable[..., Sequence[Any]],
                      args: Sequence[Any]) -> OverflowError | None:
    """The error for an infinite partial; None if an operand is inf or NaN (IEEE carries on)."""
    operands = [_data(a) for a in args[:-1]]
    if not all(map(math.isfinite, operands)):
        return None
    names = "x" if len(operands) == 1 else "abcdefghijklmnopqrstuvwxyz"
    shown = ", ".join(f"{names[i]} = {_fmt(x)}" if i < len(names) else _fmt(x)
                      for i, x in enumerate(operands[:4])) + (", ..." if len(operands) > 4 else "")
    try:  # which partial: on floats, a division gives inf rather than raising
        parts = partials(*operands, _data(args[-1]))
        which = [i for i, p in enumerate(parts) if math.isinf(_data(p))]
    except OverflowError:
        which = [0] if len(operands) == 1 else []
    what = (f"the local partial with respect to {names[which[0]]}"
            if len(which) == 1 and which[0] < len(names) else "a local partial")
    return OverflowError(f"{name}: {what} overflows a float at {shown} (the derivative there "
                         "is larger than any float)")


def _data(x: Any) -> float:
    return getattr(x, "data", x)  # type: ignore[no-any-return]


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
        raise ZeroDivisionError(f"div: division by zero: {_fmt(a)} / {_fmt(b)}")
    r = a / b
    return overflowed("div", r, a, b) if r - r else r


def _relu(a: float) -> float:
    return 0.0 if a <= 0 else a  # NaN stays NaN (NaN <= 0 is False)


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(
            f"exp: overflow for operand {_fmt(a)} (exp(x) exceeds the largest float for x > 709.78)"
        ) from None


def _log(a: float) -> float:
    if a <= 0:
        raise ValueError(f"log: operand must be > 0, got {_fmt(a)}")
    return math.log(a)


def _sqrt(a: float) -> float:
    if a < 0:
        raise ValueError(f"sqrt: operand must be >= 0, got {_fmt(a)}")
    return math.sqrt(a)


def _sin(a: float) -> float:
    try:
        return math.sin(a)
    except ValueError:  # math's "math domain error" names neither the op nor the operand
        raise ValueError(f"sin: operand must be finite, got {_fmt(a)}") from None


def _cos(a: float) -> float:
    try:
        return math.cos(a)
    except ValueError:
        raise ValueError(f"cos: operand must be finite, got {_fmt(a)}") from None


def _sigmoid(a: float) -> float:
    # Two forms, so exp never sees a large positive argument: finite in both tails.
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _power(a: float, b: float, name: str) -> float:
    if a < 0 and not float(b).is_integer():
        raise ValueError(
            f"{name}: negative base {_fmt(a)} to the fractional power {_fmt(b)} has no real value"
        )
    if a == 0 and b < 0:
        raise ZeroDivisionError(f"{name}: zero base {_fmt(a)} to the negative power {_fmt(b)}")
    # A negative base meets only an integer exponent here, so a ** b is a float, never complex.
    try:
        r: float = a**b
    except OverflowError:  # Python raises where finite operands would give inf
        raise OverflowError(f"{name}: {_fmt(a)} ** {_fmt(b)} overflows") from None
    return r


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
        for w, x in zip(args[1:n], args[n + 1 : 2 * n], strict=True):
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
