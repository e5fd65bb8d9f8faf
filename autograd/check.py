"""Gradient checking: autograd's derivatives against central differences, to any order.

``gradcheck(f, inputs, order=k)`` computes every partial derivative of ``f`` up to order k
twice and compares them:

* analytically, with ``grad``: order j is ``grad`` applied j times, the first j - 1 times with
  ``create_graph=True`` (so a partial that is cut off from the graph shows up at order j + 1);
* numerically, with central differences of the analytic derivatives one order lower:
  ``(D(x + eps*e_i) - D(x - eps*e_i)) / (2*eps)``, where D is f itself at order 1.

Differencing the analytic derivative of order j - 1 (rather than f, j times) keeps the
numerical error of every order at the first-order level: a truncation error of about
``eps**2 * |D'''| / 6`` and a rounding error of about ``1e-16 * |D| / eps``. With the default
eps = 1e-6 both are far below the default tolerance ``atol + rtol*|n|`` = 1e-5 + 1e-3*|n|
for functions whose values and derivatives stay below about 1e4; a function that varies much
faster than that needs a smaller eps or a looser rtol.

Only the standard library and the engine are used here: no hypothesis, no printing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from autograd.engine import enable_grad, grad
from autograd.ops import int_digits
from autograd.value import Value

__all__ = ["GradcheckError", "gradcheck", "numerical_grad"]

Index = tuple[int, ...]
"""Which partial: (i,) is d/dx_i, (i, j) is d/dx_j d/dx_i, and so on."""

_MAX_ROWS = 20


class GradcheckError(AssertionError):
    """A derivative disagrees with finite differences; the message is a table of the misses.

    An ``AssertionError``, so a failed check fails a plain test, and hypothesis shrinks on it.
    """


def numerical_grad(f: Callable[..., Value], inputs: Sequence[float],
                   eps: float = 1e-6) -> list[float]:
    """d f / d x_i at ``inputs`` by central differences, one float per input.

    ``f`` takes one Value per input and returns a Value; ``inputs`` are numbers.
    """
    xs = _check_common("numerical_grad", f, inputs, eps)
    diffs = _differences(lambda p: {(): _call(f, p, "numerical_grad").data}, xs, eps)
    return [diffs[(i,)] for i in range(len(xs))]


def gradcheck(f: Callable[..., Value], inputs: Sequence[float], *, eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, order: int = 1) -> bool:
    """Check every partial of ``f`` at ``inputs`` up to ``order`` against central differences.

    A pair passes when ``|analytic - numeric| <= atol + rtol * |numeric|``. Returns True;
    raises ``GradcheckError`` (an AssertionError) naming the order, the inputs and both
    numbers of every pair that missed, at the lowest order that has a miss.
    """
    xs = _check_common("gradcheck", f, inputs, eps)
    for name, tol in (("atol", atol), ("rtol", rtol)):
        if not (math.isfinite(_number(tol, name, "gradcheck")) and tol >= 0):
            raise ValueError(f"gradcheck: {name} must be finite and >= 0, got {tol!r}")
    if isinstance(order, bool) or not isinstance(order, int):
        raise TypeError(f"gradcheck: order must be an int, got {type(order).__name__}")
    if order < 1:
        raise ValueError(f"gradcheck: order must be >= 1, got {order}")

    analytic = _analytic(f, xs, order)
    for k in range(1, order + 1):
        numeric = _differences(partial(_top_level, f, k - 1), xs, eps)
        misses = [
            (index, analytic[k][index], n)
            for index, n in numeric.items()
            if not abs(analytic[k][index] - n) <= atol + rtol * abs(n)  # False for NaN
        ]
        if misses:
            raise GradcheckError(_report(k, misses, total=len(numeric), xs=xs, eps=eps,
                                                 atol=atol, rtol=rtol))
    return True


# --- the two ways to a derivative ---------------------------------------------------------


def _analytic(f: Callable[..., Value], xs: list[float], order: int) -> list[dict[Index, float]]:
    """Level j holds every j-th partial of f at xs, by autograd; level 0 is f's value."""
    with enable_grad():  # a check inside no_grad() still needs its graphs
        leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
        layer: dict[Index, Any] = {(): _call(f, leaves, "gradcheck")}
        levels: list[dict[Index, float]] = [{(): layer[()].data}]
        for k in range(1, order + 1):
            deeper = k < order
            layer = {
                (*index, j): d
                for index, y in layer.items()
                for j, d in enumerate(grad(y, leaves, create_graph=deeper))
            }
            levels.append({i: d.data if deeper else d for i, d in layer.items()})
    return levels


def _top_level(f: Callable[..., Value], order: int, xs: list[float]) -> dict[Index, float]:
    return _analytic(f, xs, order)[order]


def _differences(h: Callable[[list[float]], dict[Index, float]], xs: list[float],
                 eps: float) -> dict[Index, float]:
    """Central differences of every entry of h, along each input: key ``index + (j,)``."""
    out: dict[Index, float] = {}
    for j in range(len(xs)):
        plus, minus = list(xs), list(xs)
        plus[j] += eps
        minus[j] -= eps
        # Divide by the step the floats really took, not by 2*eps.
        step = plus[j] - minus[j]
        high, low = _shifted(h, plus, j, "+"), _shifted(h, minus, j, "-")
        for index, value in high.items():
            key = (*index, j)
            out[key] = (value - low[index]) / step
    return dict(sorted(out.items()))


def _shifted(h: Callable[[list[float]], dict[Index, float]], p: list[float], j: int,
             sign: str) -> dict[Index, float]:
    try:
        return h(p)
    except (ArithmeticError, ValueError) as err:
        raise ValueError(
            f"f failed at inputs[{j}] {sign} eps = {p[j]!r}: {err}. The input is within eps "
            "of a point where f is not defined; move it or pass a smaller eps"
        ) from err


# --- arguments and the report -------------------------------------------------------------


def _number(x: object, what: str, who: str, hint: str = "") -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{who}: {what} must be a float, got {type(x).__name__}{hint}")
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{who}: {what} is an int of {int_digits(int(x))} digits, too "
                            "large for a float") from None


def _check_common(who: str, f: object, inputs: object, eps: object) -> list[float]:
    if not callable(f):
        raise TypeError(f"{who}: f must be callable (Values in, a Value out), got "
                        f"{type(f).__name__}")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"{who}: inputs must be a list of floats, got {type(inputs).__name__}")
    if not inputs:
        raise ValueError(f"{who}: inputs is empty; f needs at least one input to differentiate")
    xs = []
    for i, x in enumerate(inputs):
        hint = " (pass numbers: the check makes the Values)" if isinstance(x, Value) else ""
        xs.append(_number(x, f"inputs[{i}]", who, hint))
        if not math.isfinite(xs[-1]):
            raise ValueError(f"{who}: inputs[{i}] must be finite, got {x!r}")
    step = _number(eps, "eps", who)
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"{who}: eps must be finite and > 0, got {eps!r}")
    return xs


def _call(f: Callable[..., Value], args: Sequence[Any], who: str) -> Value:
    if not all(isinstance(a, Value) for a in args):
        args = [Value(a) for a in args]
    out = f(*args)
    if not isinstance(out, Value):
        raise TypeError(f"{who}: f must return a Value, got {type(out).__name__}")
    return out


_ORDINALS = {1: "first", 2: "second", 3: "third"}


def _report(order: int, misses: list[tuple[Index, float, float]], *, total: int,
            xs: list[float], eps: float, atol: float, rtol: float) -> str:
    what = _ORDINALS.get(order, f"order-{order}")
    rows = [["order", "input", "value", "analytic", "numeric", "abs err", "rel err"]]
    for index, a, n in misses[:_MAX_ROWS]:
        err = abs(a - n)
        rel = err / abs(n) if n != 0 else (0.0 if err == 0 else math.inf)
        rows.append([
            str(order), ",".join(f"x{i}" for i in index),
            ",".join(f"{xs[i]:.8g}" for i in index),
            *(f"{v:.8g}" for v in (a, n, err, rel)),
        ])
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    table = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                      for r in rows)
    more = f"\n... and {len(misses) - _MAX_ROWS} more" if len(misses) > _MAX_ROWS else ""
    return (
        f"gradcheck failed at order {order}: {len(misses)} of {total} {what} derivative(s) "
        f"disagree with central differences (eps={eps:g}; a pair passes when "
        f"|analytic - numeric| <= {atol:g} + {rtol:g}*|numeric|)\n{table}{more}"
    )
