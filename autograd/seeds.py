"""Seeds: backward from several outputs, or from an output with dL/dy = k instead of 1.

PyTorch's ``y.backward(gradient=k)``, ``autograd.backward([y1, y2], [g1, g2])`` and
``grad(..., grad_outputs=k)`` are one chain-rule step more: they differentiate the weighted
sum ``R = g1*y1 + g2*y2`` (one ``wsum`` node), whose partial with respect to each ``yi`` is
exactly its seed ``gi``. So the engine runs its usual pass from ``R``, and every node gets
``Σ gi · dyi/dnode``, each ``yi`` its seed.
"""

from __future__ import annotations

import math
from typing import Any

from autograd._numbers import named_real
from autograd.nary import weighted_sum
from autograd.value import _GRAD_ENABLED, Value, _describe


def seeded_root(outputs: object, seeds: object, who: str, seed_name: str,
                what: str = "root") -> Value:
    """The Value to run the pass from: ``outputs`` itself when it is one Value with no seed,
    else the weighted sum of the outputs by their seeds (each 1.0 when ``seeds`` is None)."""
    if isinstance(outputs, Value) and seeds is None:
        return outputs
    outs = _outputs(outputs, who, what)
    if seeds is None:
        numbers = [1.0] * len(outs)
    elif isinstance(outputs, Value):
        numbers = [_seed(seeds, who, seed_name)]
    else:
        numbers = _seed_list(seeds, len(outs), who, seed_name)
    token = _GRAD_ENABLED.set(True)  # the root is recorded even inside no_grad()
    try:
        return weighted_sum([Value(g) for g in numbers], outs, 0.0)
    finally:
        _GRAD_ENABLED.reset(token)


def _outputs(outputs: object, who: str, what: str) -> list[Value]:
    if isinstance(outputs, Value):
        return [outputs]
    if not isinstance(outputs, (list, tuple)):
        raise TypeError(f"{who}: {what} must be a Value or a list of Values, got "
                        f"{type(outputs).__name__} {outputs!r:.40}")
    if not outputs:
        raise ValueError(f"{who}: the list of outputs is empty")
    for i, y in enumerate(outputs):
        if not isinstance(y, Value):
            raise TypeError(f"{who}: {what}[{i}] must be a Value, got {_describe(y)}")
    return list(outputs)


def _seed_list(seeds: object, n: int, who: str, name: str) -> list[float]:
    if not isinstance(seeds, (list, tuple)):
        raise TypeError(f"{who}: with a list of outputs, {name} must be a list of {n} "
                        f"number(s), got {_describe(seeds)}")
    if len(seeds) != n:
        raise ValueError(f"{who}: {n} output(s) but {len(seeds)} {name}")
    return [_seed(g, who, f"{name}[{i}]") for i, g in enumerate(seeds)]


def _seed(g: object, who: str, name: str) -> float:
    """A seed as a float: any real number, finite. A Value is refused: its number would be
    used and its grad written by the pass (multiply instead: ``(s * y).backward()``)."""
    if isinstance(g, Value):
        raise TypeError(f"{who}: {name} must be a number, got a Value; use its number "
                        f"({name}.data), or backward from s * y to differentiate through s")
    number: Any = named_real(g, f"{who}: {name}")
    if number is None:
        raise TypeError(f"{who}: {name} must be a real number (int, float, ...), got "
                        f"{_describe(g)}")
    if not math.isfinite(number):
        raise ValueError(f"{who}: {name} must be finite, got {number!r}")
    return float(number)
