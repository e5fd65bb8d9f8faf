"""What an op is: the record of a table entry, the registry, and what every op promises.

An ``Op`` gives its name, the symbol drawn for it, its forward rule on floats and its *local
partial derivatives*. ``autograd.ops`` fills the table with the built-in ops;
``autograd.families`` makes the members of the parametrised ops (pow, elu, leaky_relu, clamp)
and ``autograd.define`` adds a user's ops, all through ``register``.

The promise: no NaN, inf or complex number comes out of finite operands. A forward rule that has
no real, finite answer raises an error naming the op and the operand (``ValueError`` out of the
domain, ``ZeroDivisionError``, ``OverflowError`` through ``overflowed``), and partials that can
overflow are wrapped in ``finite_partials``, so an infinite derivative is an error too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from autograd.reals import int_digits, is_int_like, real_number

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

    def __call__(self, *args: Any) -> Any:
        for arg in args:
            apply = getattr(arg, "apply_op", None)
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
            raise OverflowError(f"{self.name}: {too_large(x, 'operand')}") from None
        if number is None:
            raise TypeError(f"{self.name}: operand must be a real number "
                            "(int, float, ...) or a Value, "
                            f"got {type(x).__name__} {x!r:.40}")
        return number

    def __repr__(self) -> str:
        return f"Op({self.name!r}, symbol={self.symbol!r})"


OPS: dict[str, Op] = {}
"""Every op by name, built-ins first, then those added by ``define_op``."""

def data_of(x: Any) -> float:
    """The number inside a Value, or the number itself: for partials that branch on sign."""
    return getattr(x, "data", x)  # type: ignore[no-any-return]


def is_value(x: object) -> bool:
    """Whether x is a Value (``autograd.value`` imports this module, so no isinstance)."""
    return getattr(type(x), "apply_op", None) is not None


def register(op: Op) -> Op:
    """Put ``op`` in the table under its name (a built-in at import, a user's by define_op)."""
    OPS[op.name] = op
    return op


def too_large(x: object, what: str) -> str:
    if is_int_like(x):
        return f"the int {what} has {int_digits(int(x))} digits, too large for a float"  # type: ignore[call-overload]
    return f"the {what} {type(x).__name__} {x!r:.40} is too large for a float"


# --- the promise: finite operands give finite results ---------------------------------

EXP_ZERO_BELOW = -746.0
"""Below this, ``math.exp`` gives exactly 0.0 (its smallest subnormal is ``exp(-745.13...)``),
and so does every derivative of it: partials leave such a term out rather than risk an
overflow on the way to it (a*a at a = 1e200)."""


def fmt(x: float) -> str:
    """A float as error messages show it: its repr, every digit."""
    return repr(x)


def overflowed(name: str, result: float, *operands: float) -> float:
    """``result`` if an operand was already inf or NaN (IEEE carries it on), else an
    ``OverflowError`` naming the op: finite operands must not give inf, or later NaN.

    Callers test ``result - result`` first (0.0 for every finite result), so the hot path
    pays one subtraction.
    """
    if all(map(math.isfinite, operands)):
        shown = ", ".join(fmt(x) for x in operands[:4]) + (", ..." if len(operands) > 4 else "")
        raise OverflowError(f"{name}: the result of finite operands ({shown}) overflows "
                            f"a float")
    return result


def finite_partials(name: str,
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
    operands = [data_of(a) for a in args[:-1]]
    if not all(map(math.isfinite, operands)):
        return None
    names = "x" if len(operands) == 1 else "abcdefghijklmnopqrstuvwxyz"
    shown = ", ".join(f"{names[i]} = {fmt(x)}" if i < len(names) else fmt(x)
                      for i, x in enumerate(operands[:4])) + (", ..." if len(operands) > 4 else "")
    try:  # which partial: on floats, a division gives inf rather than raising
        parts = partials(*operands, data_of(args[-1]))
        which = [i for i, p in enumerate(parts) if math.isinf(data_of(p))]
    except OverflowError:
        which = [0] if len(operands) == 1 else []
    what = (f"the local partial with respect to {names[which[0]]}"
            if len(which) == 1 and which[0] < len(names) else "a local partial")
    return OverflowError(f"{name}: {what} overflows a float at {shown} (the derivative there "
                         "is larger than any float)")
