"""PyTorch's names for ops, as Value methods: ``x.tan()``, ``x.gelu()``, ``x.clamp(0, 1)``,
``x.atan2(y)`` and the operator ``%``. ``Value`` inherits this mixin, so ``value.py`` shows the
first ops; each method here is one node through its table entry's own call (``Op.__call__``:
the op's arity and operand checks, its forward rule, its partials).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autograd import ops

if TYPE_CHECKING:
    from autograd.value import Value


class TorchNames:
    """Value's methods named as in PyTorch (issue 19), each calling its op of the table."""

    __slots__ = ()

    def detach(self) -> Value:
        """A new leaf holding this Value's number and label, cut from the graph (PyTorch's
        ``detach()``): nothing flows back through it. A copy, not a view: writing its data
        leaves this Value as it was."""
        leaf: Any = type(self)
        return leaf(self.data, self.label)  # type: ignore[attr-defined, no-any-return]

    def log1p(self) -> Value:
        return ops.LOG1P(self)  # type: ignore[no-any-return]

    def expm1(self) -> Value:
        return ops.EXPM1(self)  # type: ignore[no-any-return]

    def square(self) -> Value:
        return ops.SQUARE(self)  # type: ignore[no-any-return]

    def reciprocal(self) -> Value:
        return ops.RECIPROCAL(self)  # type: ignore[no-any-return]

    def atan(self) -> Value:
        return ops.ATAN(self)  # type: ignore[no-any-return]

    def tan(self) -> Value:
        return ops.TAN(self)  # type: ignore[no-any-return]

    def sinh(self) -> Value:
        return ops.SINH(self)  # type: ignore[no-any-return]

    def cosh(self) -> Value:
        return ops.COSH(self)  # type: ignore[no-any-return]

    def log2(self) -> Value:
        return ops.LOG2(self)  # type: ignore[no-any-return]

    def log10(self) -> Value:
        return ops.LOG10(self)  # type: ignore[no-any-return]

    def rsqrt(self) -> Value:
        return ops.RSQRT(self)  # type: ignore[no-any-return]

    def sign(self) -> Value:
        return ops.SIGN(self)  # type: ignore[no-any-return]

    def erf(self) -> Value:
        return ops.ERF(self)  # type: ignore[no-any-return]

    def erfc(self) -> Value:
        return ops.ERFC(self)  # type: ignore[no-any-return]

    def asin(self) -> Value:
        return ops.ASIN(self)  # type: ignore[no-any-return]

    def acos(self) -> Value:
        return ops.ACOS(self)  # type: ignore[no-any-return]

    def atan2(self, other: Any) -> Value:
        """atan2(self, other): the angle of the point (x=other, y=self), as torch.atan2."""
        return ops.ATAN2(self, other)  # type: ignore[no-any-return]

    def __mod__(self, other: Any) -> Value:
        return ops.REMAINDER(self, other)  # type: ignore[no-any-return]

    def __rmod__(self, other: Any) -> Value:
        return ops.REMAINDER(other, self)  # type: ignore[no-any-return]

    def softplus(self) -> Value:
        return ops.SOFTPLUS(self)  # type: ignore[no-any-return]

    def silu(self) -> Value:
        return ops.SILU(self)  # type: ignore[no-any-return]

    def gelu(self) -> Value:
        return ops.GELU(self)  # type: ignore[no-any-return]

    def elu(self, alpha: float = 1.0) -> Value:
        return ops.elu(alpha)(self)  # type: ignore[no-any-return]

    def leaky_relu(self, negative_slope: float = 0.01) -> Value:
        return ops.leaky_relu(negative_slope)(self)  # type: ignore[no-any-return]

    def clamp(self, min: float | None = None,
              max: float | None = None) -> Value:
        return ops.clamp(min, max)(self)  # type: ignore[no-any-return]
