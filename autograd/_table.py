"""The op record and the registry: what an entry of the table is, and where entries live.

``autograd.ops`` fills the table with the built-in ops and re-exports all of this;
``autograd.families`` makes the members of the parametrised ops (pow, elu, leaky_relu, clamp)
and ``autograd.define`` adds a user's ops, all through ``_register``.
"""

from __future__ import annotations

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

def data_of(x: Any) -> float:
    """The number inside a Value, or the number itself: for partials that branch on sign."""
    return getattr(x, "data", x)  # type: ignore[no-any-return]


def _is_value(x: object) -> bool:
    """Whether x is a Value (``autograd.value`` imports this module, so no isinstance)."""
    return getattr(type(x), "apply_op", None) is not None


def _register(op: Op) -> Op:
    OPS[op.name] = op
    return op


def _too_large(x: object, what: str) -> str:
    if is_int_like(x):
        return f"the int {what} has {int_digits(int(x))} digits, too large for a float"  # type: ignore[call-overload]
    return f"the {what} {type(x).__name__} {x!r:.40} is too large for a float"
