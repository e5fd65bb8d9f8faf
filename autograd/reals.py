"""What counts as a number wherever chainrule takes one: a real number, as Python's ``float()``
takes it.

Accepted: int and float; anything registered as ``numbers.Real`` (``fractions.Fraction``,
numpy's ``float32``, ``int64`` ...); anything else with ``__float__`` or ``__index__``
(``decimal.Decimal``, a 0-d numpy array). Refused: bools (numpy's too: True is not a
number to train on), complex numbers, strings, arrays with dimensions (even of one item), and
Values (which have ``__float__`` for printing and comparing; a Value where a number is wanted
is a mistake, not a conversion). numpy is never imported: its types are recognised by what
they are registered as, or by what they define.
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import Any


def real_number(x: object) -> float | None:
    """``float(x)`` if ``x`` is a real number (see the module doc), else ``None``.

    Raises ``OverflowError`` for a finite number too large for a float (a huge int, a
    ``Decimal("1e400")``): it never turns into inf silently.
    """
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    if not is_real(x):
        return None
    try:
        f = float(x)  # type: ignore[arg-type]  # __index__ counts too, as in float()
    except (TypeError, ValueError):
        return None
    if math.isinf(f) and f != x:
        raise OverflowError(f"{describe_large(x)} is too large for a float")
    return f


def is_real(x: object) -> bool:
    """Whether x is a real number (see the module doc); ``real_number`` converts it."""
    tx = type(x)
    if isinstance(x, bool) or is_value(tx) \
            or (isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real)):
        return False
    if not (isinstance(x, numbers.Real) or hasattr(tx, "__float__") or hasattr(tx, "__index__")):
        return False
    if getattr(x, "ndim", 0):
        return False  # an array has a __float__ only while it holds one item
    # numpy's scalars and 0-d arrays say what they hold: ints, unsigned ints or floats only
    # (not its bool, complex, or objects such as a Value in a 0-d object array)
    kind = getattr(getattr(x, "dtype", None), "kind", None)
    return not isinstance(kind, str) or kind in "iuf"


def named_real(x: object, who: str) -> float | None:
    """``real_number(x)``, with a finite number too large for a float an ``OverflowError``
    naming ``who``: the check every place that takes a number from a user makes."""
    try:
        return real_number(x)
    except OverflowError:
        raise OverflowError(f"{who}: {describe_large(x)} is too large for a float") from None


def describe_large(x: object) -> str:
    """A number too large for a float, described without ``str()`` (which refuses huge ints)."""
    if is_int_like(x):
        return f"an int of {int_digits(int(x))} digits"  # type: ignore[call-overload]
    return f"{type(x).__name__} {x!r:.40}"


def is_int_like(x: object) -> bool:
    """An int, or a number that says it is one by ``__index__`` (numpy's int64, say)."""
    if isinstance(x, numbers.Integral):
        return True
    try:
        operator.index(x)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def int_digits(n: int) -> int:
    """The decimal digits of ``abs(n)``, without ``str()`` (which refuses huge ints)."""
    n = abs(n)
    d = int(n.bit_length() * 0.30102999566398120) + 1  # log10(2): exact, or one too many
    return max(1, d - 1 if n < 10 ** (d - 1) else d)


def is_value(tx: type) -> bool:
    """Whether ``tx`` is Value (this module is imported by Value's, so no isinstance)."""
    return getattr(tx, "apply_op", None) is not None


def describe(x: object) -> str:
    """``x`` named for an error message: its type and the start of its repr."""
    text = repr(x)
    return f"{type(x).__name__} {text[:40] + '...' if len(text) > 40 else text}"


def to_float(x: object, where: str) -> float:
    """A real number as a float (numpy's scalars too), else a ``TypeError`` naming ``where``."""
    number = named_real(x, where)
    if number is None:
        raise TypeError(f"{where}: expected a real number (int, float, ...), got {describe(x)}")
    return number


def seed_number(g: object, who: str, name: str) -> float:
    """A backward pass's seed, d(L)/d(y), as a float: any real number, finite. A Value is
    refused: its number would be used and its grad written by the pass (multiply instead:
    ``(s * y).backward()``)."""
    if is_value(type(g)):
        raise TypeError(f"{who}: {name} must be a number, got a Value; use its number "
                        f"({name}.data), or backward from s * y to differentiate through s")
    number = named_real(g, f"{who}: {name}")
    if number is None:
        raise TypeError(f"{who}: {name} must be a real number (int, float, ...), got "
                        f"{describe(g)}")
    if not math.isfinite(number):
        raise ValueError(f"{who}: {name} must be finite, got {number!r}")
    return float(number)


def data_number(x: object) -> float:
    """What ``Value.data = x`` stores: ``x`` as a float, or the reason it is not a number."""
    if is_value(type(x)):  # micrograd's step after backward(create_graph=True), typically
        raise TypeError(f"Value.data: expected a real number "
                        f"(int, float, ...), got {describe(x)}: after "
                        "backward(create_graph=True) a grad is a Value; step by its number, "
                        "p.grad_value.data, or call backward() without create_graph")
    return to_float(x, "Value.data")


def grad_number(x: object) -> Any:
    """What ``Value.grad = x`` stores: a Value as it is, None as 0.0, a number as a float."""
    if x is None:
        return 0.0
    if is_value(type(x)):
        return x
    number = named_real(x, "Value.grad")
    if number is None:
        raise TypeError("Value.grad: expected a real number (int, float, ...), a Value or "
                        f"None, got {describe(x)}")
    return number
