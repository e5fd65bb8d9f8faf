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
for functions whose values and derivatives stay below about 1e4.

A pair that misses anyway is not reported yet: ``autograd.differences.refine`` takes the
differences at ever smaller steps and extrapolates them to a step of 0, with an error bar. Only
a miss by more than the tolerance plus that error bar is a ``GradcheckError``; where the
differences cannot decide (a kink, rounding, an f too fast for eps) the error is a
``ValueError`` that says which. So a GradcheckError means a wrong derivative.

Only the standard library and the engine are used here: no hypothesis, no printing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, SupportsFloat, SupportsIndex

from autograd.derivatives import grad
from autograd.differences import (
    RATIO,
    Column,
    Estimate,
    Index,
    column,
    refine,
)
from autograd.engine import enable_grad
from autograd.reals import describe_large, real_number
from autograd.value import Value

Real = SupportsFloat | SupportsIndex
"""A number as ``Value()`` takes one: a float, an int, numpy's scalars, a Fraction ..."""

__all__ = ["GradcheckError", "gradcheck", "numerical_grad"]

_MAX_ROWS = 20


class GradcheckError(AssertionError):
    """A derivative disagrees with finite differences; the message is a table of the misses.

    An ``AssertionError``, so a failed check fails a plain test, and hypothesis shrinks on it.
    """


def numerical_grad(f: Callable[..., Value], inputs: Sequence[Real],
                   eps: SupportsFloat = 1e-6) -> list[float]:
    """d f / d x_i at ``inputs`` by central differences, one float per input.

    ``f`` takes one Value per input and returns a Value; ``inputs`` are numbers. An eps that
    the inputs cannot resolve (x + eps == x) or that overflows them, and an f that fails or is
    not finite within eps of the inputs, raise ``ValueError`` saying which.
    """
    xs, eps = _check_common("numerical_grad", f, inputs, eps)

    def g(p: list[float]) -> dict[Index, float]:
        return {(): _call(f, p, "numerical_grad").data}

    out = []
    for j in range(len(xs)):
        col = column(g, xs, j, eps, what="f", who="numerical_grad")
        out.append(_finite_difference(col, (), "numerical_grad"))
    return out


def gradcheck(f: Callable[..., Value], inputs: Sequence[Real], *, eps: SupportsFloat = 1e-6,
              atol: SupportsFloat = 1e-5, rtol: SupportsFloat = 1e-3, order: int = 1) -> bool:
    """Check every partial of ``f`` at ``inputs`` up to ``order`` against central differences.

    A pair passes when ``|analytic - numeric| <= atol + rtol * |numeric|``. A pair that misses
    at step eps is looked at again: the differences are taken at smaller and smaller steps and
    extrapolated to a step of 0, with an estimate of their own error. Then:

    * the refined number is within tolerance: the pair passes (eps was just too coarse);
    * it misses by more than the tolerance plus its error bar: the derivative is wrong, and
      ``GradcheckError`` (an AssertionError) names the order, the inputs and both numbers of
      every such pair, at the lowest order that has one;
    * f has a kink there (the one-sided slopes stay apart), or the differences are too
      uncertain to tell: ``ValueError`` saying so, and which eps might decide.

    So a ``GradcheckError`` means a wrong derivative, not an unlucky point.
    """
    xs, eps = _check_common("gradcheck", f, inputs, eps)
    atol, rtol = (_tolerance(tol, name) for name, tol in (("atol", atol), ("rtol", rtol)))
    if isinstance(order, bool) or not isinstance(order, int):
        raise TypeError(f"gradcheck: order must be an int, got {type(order).__name__}")
    if order < 1:
        raise ValueError(f"gradcheck: order must be >= 1, got {order}")

    analytic = _analytic(f, xs, order)
    if not math.isfinite(analytic[0][()]):
        raise ValueError(f"gradcheck: f is {analytic[0][()]} at the inputs; there is nothing "
                         "to differentiate")
    check = _Check(f, xs, eps, atol, rtol)
    for k in range(1, order + 1):
        check.order(k, analytic)
    return True


class _Check:
    """One gradcheck: its function, point and tolerances, checked one order at a time."""

    def __init__(self, f: Callable[..., Value], xs: list[float], eps: float, atol: float,
                 rtol: float) -> None:
        self.f, self.xs, self.eps, self.atol, self.rtol = f, xs, eps, atol, rtol

    def tolerance(self, numeric: float) -> float:
        return self.atol + self.rtol * abs(numeric)

    def order(self, k: int, analytic: list[dict[Index, float]]) -> None:
        """Compare every k-th partial with differences of the (k-1)-th; raise on a miss."""
        g = partial(_top_level, self.f, k - 1)
        what = "f" if k == 1 else f"the {_ORDINALS.get(k - 1, f'order-{k - 1}')} derivatives"
        misses: list[tuple[Index, float, float]] = []
        undecided: list[tuple[Index, float, Estimate]] = []
        total = 0
        for j in range(len(self.xs)):
            col = column(g, self.xs, j, self.eps, what=what, who="gradcheck")
            pending = []
            for index in col.high:
                total += 1
                n = _finite_difference(col, index, "gradcheck")
                key = (*index, j)
                if not abs(analytic[k][key] - n) <= self.tolerance(n):  # False for NaN
                    pending.append(index)
            if not pending:
                continue
            refined = refine(g, self.xs, col, self.eps, center=analytic[k - 1],
                             indices=pending, what=what, who="gradcheck",
                             tolerance=self.tolerance)
            for index, est in refined.items():
                key = (*index, j)
                a = analytic[k][key]
                verdict = self.verdict(a, est)
                if verdict == "wrong":
                    misses.append((key, a, est.value))
                elif verdict == "undecided":
                    undecided.append((key, a, est))
        if misses:
            raise GradcheckError(_report(k, sorted(misses), total=total, xs=self.xs,
                                         eps=self.eps, atol=self.atol, rtol=self.rtol))
        if undecided:
            raise ValueError(_undecided(k, min(undecided), self.xs, self.eps,
                                        self.tolerance))

    def verdict(self, a: float, est: Estimate) -> str:
        """``pass``, ``wrong`` or ``undecided``.

        Wrong needs a numeric value as sure as the check itself (its error bar within the
        tolerance) that misses the analytic one by more than the tolerance plus that bar.
        """
        n, e = est.value, est.error
        if abs(a - n) <= self.tolerance(n):
            return "pass"
        if est.kink is not None or e > self.tolerance(n):
            return "undecided"
        if not math.isfinite(a) or abs(a - n) - e > self.atol + self.rtol * (abs(n) + e):
            return "wrong"
        return "undecided"


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


def _finite_difference(col: Column, index: Index, who: str) -> float:
    d = col.difference(index)
    if not math.isfinite(d):
        raise ValueError(f"{who}: the central difference along inputs[{col.j}] overflows: "
                         f"{col.high[index]!r} - {col.low[index]!r} over a step of "
                         f"{col.plus - col.minus!r}; pass a smaller eps")
    return d


# --- arguments and the report -------------------------------------------------------------


def _number(x: object, what: str, who: str, hint: str = "") -> float:
    """``x`` as a float, if it is a real number as Value() takes one (numpy's and Fraction's
    too); a bool, a complex, a str or a Value is a TypeError naming ``what``."""
    try:
        number = real_number(x)
    except OverflowError:
        raise OverflowError(f"{who}: {what} is {describe_large(x)}, too large for a "
                            "float") from None
    if number is None:
        raise TypeError(f"{who}: {what} must be a real number (a float), got "
                        f"{type(x).__name__}{hint}")
    return number


def _tolerance(tol: object, name: str) -> float:
    number = _number(tol, name, "gradcheck")
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"gradcheck: {name} must be finite and >= 0, got {tol!r}")
    return number


def _check_common(who: str, f: object, inputs: object,
                  eps: object) -> tuple[list[float], float]:
    """The inputs and eps as floats, after every check that needs no call of f."""
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
    for i, x in enumerate(xs):
        if x + step == x or x - step == x:
            raise ValueError(f"{who}: eps={step!r} is too small for inputs[{i}] = {x!r}: "
                             f"x + eps rounds to x (the default eps is 1e-6)")
        if not math.isfinite((x + step) - (x - step)):
            raise ValueError(f"{who}: eps={step!r} is too large for inputs[{i}] = {x!r}: "
                             "x +- eps overflows a float")
    return xs, step


def _call(f: Callable[..., Value], args: Sequence[Any], who: str) -> Value:
    if not all(isinstance(a, Value) for a in args):
        args = [Value(a) for a in args]
    out = f(*args)
    if not isinstance(out, Value):
        raise TypeError(f"{who}: f must return a Value, got {type(out).__name__}")
    return out


_ORDINALS = {1: "first", 2: "second", 3: "third"}


def _undecided(order: int, miss: tuple[Index, float, Estimate], xs: list[float], eps: float,
               tolerance: Callable[[float], float]) -> str:
    """Why differences cannot decide a pair: a kink, or too much error at this eps."""
    index, a, est = miss
    name = ("df/" if order == 1 else f"d^{order}f/") + " ".join(f"dx{i}" for i in index)
    at = ", ".join(f"x{i} = {xs[i]:.8g}" for i in sorted(set(index)))
    head = (f"gradcheck: cannot check the {_ORDINALS.get(order, f'order-{order}')} "
            f"derivative {name} at {at}")
    if est.kink is not None:
        left, right = est.kink
        subject = "f" if order == 1 else f"f's {_ORDINALS.get(order - 1, 'lower')} derivative"
        return (f"{head}: {subject} is not differentiable there (the one-sided slopes "
                f"{left:.8g} and {right:.8g} stay apart as the step shrinks); move the input "
                "off the kink")
    steps = (f"central differences from eps={eps:g} down to "
             f"{eps / RATIO ** (est.steps - 1):.2g}")
    if math.isinf(est.error):
        return (f"{head}: {steps} do not settle (the last gives {est.value:.8g}, the analytic "
                f"derivative is {a:.8g}): f varies too fast for this eps, or rounding in f "
                "swamps the differences; try a smaller eps, or a larger one")
    hint = ("rounding swamps them: pass a larger eps" if est.rounding >= est.error / 2
            else "f varies too fast for this step: pass a smaller eps")
    return (f"{head}: {steps} give {est.value:.8g} +- {est.error:.2g}, too uncertain to tell "
            f"whether the analytic {a:.8g} is within the tolerance "
            f"{tolerance(est.value):.2g}; {hint}")


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
