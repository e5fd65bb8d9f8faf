"""autograd.compile on the ops named as in PyTorch (issue 19): each new op, and members of the
families, compiled inside a small model give the eager value and gradient, and the eager
error (type and message) where the eager engine raises."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import autograd
from autograd import Value
from autograd import ops as e

UNARY: dict[str, Callable[[Any], Any]] = {
    name: getattr(e, name.upper()) for name in (
        "tan", "sinh", "cosh", "log2", "log10", "rsqrt", "sign", "erf", "erfc", "asin", "acos",
        "softplus", "silu", "gelu", "elu", "leaky_relu")}
UNARY.update({"elu(0.5)": e.elu(0.5), "leaky_relu(0.2)": e.leaky_relu(0.2),
              "clamp(-1, 1)": e.clamp(-1, 1), "clamp(min=0)": e.clamp(0.0)})
BINARY: dict[str, Callable[[Any, Any], Any]] = {"atan2": e.ATAN2, "remainder": e.REMAINDER}
POINTS = (0.3, -0.7, 1.9, 0.0, -1.0, 1.0, 40.0, -800.0, 1e300, math.inf, math.nan)


def outcome(run: Callable[[], tuple[float, float]]) -> Any:
    try:
        return run()
    except Exception as err:
        return type(err), str(err)


def agree(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple) and all(isinstance(x, float) for x in a):
        return all(x == y or (math.isnan(x) and math.isnan(y))
                   or abs(x - y) <= 1e-12 * max(abs(x), abs(y)) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def eager_and_compiled(model: Callable[[Value, float], Value],
                       x: float) -> tuple[Any, Any]:
    w = Value(1.5, label="w")

    def f(t: float) -> Value:
        return model(w, t)

    prog = autograd.compile(f, 0.3)

    def run(fn: Callable[[float], Value]) -> tuple[float, float]:
        w.grad = 0.0
        y = fn(x)
        y.backward()
        return y.data, float(w.grad)

    return outcome(lambda: run(f)), outcome(lambda: run(prog))


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("x", POINTS)
def test_a_unary_op_compiled_gives_the_eager_value_gradient_or_error(name: str, x: float) -> None:
    op = UNARY[name]
    eager, compiled = eager_and_compiled(lambda w, t: op(w * t * 0.5) * w, x)
    assert agree(eager, compiled), (name, x, eager, compiled)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("x", POINTS)
def test_a_binary_op_compiled_gives_the_eager_value_gradient_or_error(name: str,
                                                                      x: float) -> None:
    op = BINARY[name]
    for model in (lambda w, t: op(w * t, w + 0.25), lambda w, t: op(w - 1.5, t),
                  lambda w, t: op(t, w * w)):
        eager, compiled = eager_and_compiled(model, x)
        assert agree(eager, compiled), (name, x, eager, compiled)
