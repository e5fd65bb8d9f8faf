"""Scores to probabilities: softmax, log_softmax and logsumexp over a list of Values.

All three rest on one n-ary node of the op table, ``logsumexp`` (``log Σ exp(zᵢ)``), whose
forward rule shifts by the largest operand first, so logits of 1000 or -1000 give finite,
right answers, and whose partials are ``exp(zᵢ − out)``, the softmax itself. Then

    log_softmax(z)ᵢ = zᵢ − logsumexp(z)        softmax(z)ᵢ = exp(log_softmax(z)ᵢ)

each a node on top of the one ``logsumexp`` node, so a drawing shows the formula, gradients
flow to every order, and ``autograd.compile`` reads them like any other op. They take a
list (or tuple) of Values or numbers, as ``model(x)`` returns for a model of several outputs,
and return a Value, or a list of Values of the same length, like ``torch.softmax(z, dim=0)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.ops import LOGSUMEXP
from autograd.reals import named_real
from autograd.value import Value


def logsumexp(values: Sequence[Value | float]) -> Value:
    """``log(exp(z1) + ... + exp(zn))`` as ONE node; finite for every finite z."""
    zs = _operands(values, "logsumexp")
    out: Value = LOGSUMEXP(*zs)
    return out


def log_softmax(values: Sequence[Value | float]) -> list[Value]:
    """``zᵢ − logsumexp(z)`` for each i: the log of softmax, without exp's overflow."""
    zs = _operands(values, "log_softmax")
    lse: Value = LOGSUMEXP(*zs)
    return [z - lse for z in zs]


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """``exp(zᵢ) / Σ exp(zⱼ)`` for each i, as ``exp(zᵢ − logsumexp(z))``: each in [0, 1], and
    they sum to 1 (to rounding)."""
    return [z.exp() for z in log_softmax(_operands(values, "softmax"))]


def _operands(values: object, name: str) -> list[Value]:
    """The operands as Values (numbers become constant leaves); anything else, or none, is
    an error naming the function."""
    if isinstance(values, (Value, str, bytes)) or not hasattr(values, "__len__") \
            or not hasattr(values, "__getitem__"):
        raise TypeError(f"{name}: takes a list of Values or numbers (one per class), got "
                        f"{type(values).__name__}")
    items = list(values)  # type: ignore[call-overload]
    if not items:
        raise ValueError(f"{name}: needs at least one value, got an empty list")
    zs = []
    for i, v in enumerate(items):
        if isinstance(v, Value):
            zs.append(v)
            continue
        number = named_real(v, name)
        if number is None:
            raise TypeError(f"{name}: item {i} must be a Value or a number, got "
                            f"{type(v).__name__} {v!r:.40}")
        zs.append(Value(number))
    return zs
