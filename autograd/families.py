"""The parametrised ops: families whose members fix a constant, as ``x ** n`` fixes n.

``power(n)`` (``x ** n``), ``elu(alpha)``, ``leaky_relu(negative_slope)`` and
``clamp(min, max)`` each give an op with its constant in ``Op.param``, made once per
constant (cached), with the family's name, so the compiler and the drawings treat every
member alike. The family's own entry (``POW``, ``CLAMP``) refuses to be applied: it has no
constant. ``autograd.ops`` registers the entries and PyTorch's default members.
``power_rule`` is the forward rule of both ``x ** n`` and ``x ** y``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, partial
from typing import Any

from autograd import activations as _act
from autograd.op import OPS, Op, data_of, finite_partials, fmt, too_large
from autograd.reals import is_int_like, real_number

FAMILIES = frozenset({"pow", "elu", "leaky_relu", "clamp"})
"""The ops whose nodes hold a member: the op with its constant (``Op.param``) fixed."""


# --- pow: x ** n -------------------------------------------------------------------------


def power_rule(a: float, b: float, name: str) -> float:
    if a < 0 and not float(b).is_integer():
        raise ValueError(
            f"{name}: negative base {fmt(a)} to the fractional power {fmt(b)} has no real value"
        )
    if a == 0 and b < 0:
        raise ZeroDivisionError(f"{name}: zero base {fmt(a)} to the negative power {fmt(b)}")
    # A negative base meets only an integer exponent here, so a ** b is a float, never complex.
    try:
        r: float = a**b
    except OverflowError:  # Python raises where finite operands would give inf
        raise OverflowError(f"{name}: {fmt(a)} ** {fmt(b)} overflows") from None
    return r


def _pow_partials(n: float) -> Callable[..., tuple[Any, ...]]:
    def partials(a: Any, out: Any) -> tuple[Any, ...]:
        if n == 0:
            return (0.0,)
        if n == 1:
            return (1.0,)
        if n < 1 and data_of(a) == 0:
            raise ZeroDivisionError(f"pow: the slope of x ** {fmt(n)} is infinite at x = 0")
        return (n * a ** (n - 1),)

    return partials


def _family_only(*args: Any) -> Any:
    raise TypeError("pow: the exponent is part of the op: use power(n), or x ** n on a Value")


POW = Op("pow", "^", _family_only, _family_only, 1, "positive")
"""The family ``x ** n`` for a number n; a node holds the member ``power(n)``."""


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
        raise OverflowError(f"pow: {too_large(n, 'exponent')}") from None
    if number is None:
        raise TypeError(f"pow: exponent must be a real number "
                        f"(int, float, ...), got {type(n).__name__}")
    if is_int_like(n):
        return int(n)  # type: ignore[call-overload, no-any-return]  # numpy's int64, say
    return number


@lru_cache(maxsize=512, typed=True)  # typed: x ** 2 and x ** 2.0 are drawn "^2" and "^2.0"
def _power_op(n: float) -> Op:
    return replace(
        POW,
        symbol=f"^{fmt(n)}" if isinstance(n, float) else f"^{n}",
        forward=lambda a: power_rule(a, n, "pow"),
        partials=finite_partials("pow", _pow_partials(n)),
        arity=1,
        param=n,
    )


def pw(x: Any, n: float) -> Any:
    """``x ** n`` for a float or a Value x, through the table's pow op."""
    return power(n)(x)


# --- PyTorch's activations: elu, leaky_relu, clamp --------------------------------------


def _constant(name: str, what: str, x: object) -> float:
    """A family's constant as a finite float: TypeError or ValueError naming the op."""
    try:
        number = real_number(x)
    except OverflowError:
        raise OverflowError(f"{name}: {too_large(x, what)}") from None
    if number is None:
        raise TypeError(f"{name}: {what} must be a real number (int, float, ...), "
                        f"got {type(x).__name__} {x!r:.40}")
    if not math.isfinite(number):
        raise ValueError(f"{name}: {what} must be finite, got {fmt(number)}")
    return number


def elu(alpha: float = 1.0) -> Op:
    """The op ELU with this alpha: x above 0, alpha (e^x - 1) at and below 0 (PyTorch's)."""
    return _elu_op(_constant("elu", "alpha", alpha))


@lru_cache(maxsize=512)
def _elu_op(alpha: float) -> Op:
    return Op("elu", "ELU" if alpha == 1 else f"ELU({fmt(alpha)})",
              partial(_act.elu, alpha=alpha), partial(_act.elu_partials, OPS["exp"], alpha=alpha),
              1, "kink", param=alpha)


def leaky_relu(negative_slope: float = 0.01) -> Op:
    """The op LeakyReLU with this slope below 0 (PyTorch's default 0.01)."""
    return _leaky_relu_op(_constant("leaky_relu", "negative_slope", negative_slope))


@lru_cache(maxsize=512)
def _leaky_relu_op(slope: float) -> Op:
    return Op("leaky_relu", "LeakyReLU" if slope == 0.01 else f"LeakyReLU({fmt(slope)})",
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


CLAMP = Op("clamp", "clamp", _clamp_only, _clamp_only, 1, "kink")
"""The family clamp(min, max); a node holds a member."""
