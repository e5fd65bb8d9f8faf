"""Central differences, and how far to trust them: the numbers gradcheck compares against.

A central difference ``D(h) = (g(x + h) - g(x - h)) / 2h`` misses g'(x) by a truncation error
``c2*h**2 + c4*h**4 + ...`` and by rounding, about ``u * |g| / h``; one step tells neither.
``refine`` takes the differences at h, h/r, h/r**2, ... and extrapolates them to h = 0
(Richardson's tableau: each column removes the next power of h). Its guess comes with an error
bar, so a caller can tell a wrong derivative (far outside the bar) from a point where the
differences cannot decide (inside it).

Extrapolation is only sound once the steps resolve g, so a guess is trusted only where the
differences shrink as the powers of h say, where the one-sided slopes ``(g(x + h) - g(x)) / h``
and ``(g(x) - g(x - h)) / h`` close in on each other, and once a finer step has confirmed it.
Where those slopes settle apart instead, g has a kink at x.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Index = tuple[int, ...]
"""Which partial: (i,) is d/dx_i, (i, j) is d/dx_j d/dx_i, and so on."""

Levels = Callable[[list[float]], dict[Index, float]]
"""g: a point to every entry's value there (f itself, or its analytic derivatives)."""

RATIO = 3.0**0.5
"""Each step is the last divided by this. Not 2: sin(a*x) sampled at x +- eps/2**i can look
like a slow, smooth function for several halvings in a row (a*eps near a multiple of 2*pi*2**k
aliases every one of them), which no irrational ratio allows for long."""

SHRINKS = 13
"""``refine`` goes down to h / RATIO**SHRINKS (about h / 1260) at most; it stops earlier once
its guess has settled, or once rounding takes over."""

MIN_STEPS = 3
"""``refine`` takes at least this many steps (h, h/r, h/r**2): enough to judge a guess, and
to see a kink."""

ROUNDING = 2.0**-50
"""Relative rounding error assumed for one evaluation of g (8 units in the last place)."""


@dataclass(frozen=True)
class Column:
    """g evaluated at ``x_j + step`` and ``x_j - step``, the other inputs where they are."""

    j: int
    plus: float
    minus: float
    high: dict[Index, float]
    low: dict[Index, float]

    def difference(self, index: Index) -> float:
        """The central difference of entry ``index``, over the step the floats really took."""
        return (self.high[index] - self.low[index]) / (self.plus - self.minus)

    def rounding(self, index: Index) -> float:
        """About how much rounding in g can move ``difference(index)``."""
        size = abs(self.high[index]) + abs(self.low[index])
        return ROUNDING * size / (self.plus - self.minus)


def column(g: Levels, xs: list[float], j: int, step: float, *, what: str, who: str) -> Column:
    """g on both sides of ``xs`` along input j; a failure or a non-finite value is a
    ``ValueError`` naming the input and the side (``what`` says what g is and ``who`` the
    function that asked, for messages)."""
    sides = []
    for sign in (1.0, -1.0):
        p = list(xs)
        p[j] += sign * step
        where = f"inputs[{j}] {'+' if sign > 0 else '-'} eps = {p[j]!r}"
        try:
            values = g(p)
        except (ArithmeticError, ValueError) as err:
            raise ValueError(
                f"{who}: f failed at {where}: {err}. The input is within eps of a point where "
                "f is "
                "not defined; move it or pass a smaller eps"
            ) from err
        bad = [v for v in values.values() if not math.isfinite(v)]
        if bad:
            raise ValueError(f"{who}: {what} gave {bad[0]} at {where}: central differences "
                             "need finite values; move the input or pass a smaller eps")
        sides.append((p[j], values))
    (plus, high), (minus, low) = sides
    return Column(j, plus, minus, high, low)


@dataclass(frozen=True)
class Estimate:
    """A derivative from differences: ``value``, give or take ``error``."""

    value: float
    error: float
    rounding: float
    """The part of ``error`` that rounding alone explains (a larger step would shrink it)."""
    kink: tuple[float, float] | None
    """The one-sided slopes (left, right), when they stay apart as the step shrinks."""
    steps: int
    """How many steps were taken: eps, eps/RATIO, ..., eps/RATIO**(steps - 1)."""


class _Tableau:
    """Richardson's tableau for one entry: each new, smaller step gives a new row.

    Row i holds the difference at step h/RATIO**i, then extrapolations that cancel the h**2,
    h**4, ... terms in turn; its last entry, the diagonal, is the best guess from i + 1 steps.

    A guess is trusted only where the steps resolve g, as the extrapolation assumes: the
    differences' changes shrink as h**2 does, give or take (or are down to rounding, or far
    inside the tolerance) and the one-sided slopes close in on each other. While the step is
    too coarse for g, both jump about instead, and can line up for a step or two by chance,
    so a guess is also dropped if a later, finer step contradicts it by more than rounding,
    and used only once a finer step has confirmed it. Its error is the larger of the
    diagonal's last two moves.
    """

    def __init__(self, first: float, rounding: float, gap: _Gap,
                 tolerance: Callable[[float], float]) -> None:
        self.tolerance = tolerance
        self.row = [first]
        self.diagonal = [first]
        self.raw = [first]
        self.noise = [rounding]
        self.gaps = [gap]
        self.best, self.error, self.rounding = first, math.inf, rounding
        self.confirmed = self.done = False

    def add(self, d: float, rounding: float, gap: _Gap) -> None:
        """The difference at the next, smaller step, the rounding in it and its one-sided
        slopes."""
        row = [d]
        factor = RATIO**2  # entry m removes the h**(2m) term
        for m in range(1, len(self.row) + 1):
            row.append((factor * row[m - 1] - self.row[m - 1]) / (factor - 1.0))
            factor *= RATIO**2
        self.row = row
        t = self.diagonal
        t.append(row[-1])
        self.raw.append(d)
        self.noise.append(rounding)
        self.gaps.append(gap)
        if len(t) < MIN_STEPS:
            return
        move = abs(t[-1] - t[-2])
        if self.error < math.inf:
            if move <= 2.0 * self.error:
                self.confirmed = True  # a finer step agrees with the guess
            elif move <= 8.0 * (rounding + self.noise[-2]):
                self.confirmed = self.done = True  # Ridders' rule: rounding has taken over
                return
            else:  # a finer step contradicts the guess: it was a coincidence
                self.best, self.error, self.confirmed = t[-1], math.inf, False
        error = max(move, abs(t[-2] - t[-3]))
        if error < self.error and self._resolved():
            self.best, self.error, self.rounding, self.confirmed = t[-1], error, rounding, False
        if self.confirmed and self.error <= 0.01 * self.tolerance(self.best):
            self.done = True  # settled far inside the tolerance: nothing more to learn

    def _resolved(self) -> bool:
        """Whether the last three steps resolve g: differences and one-sided gaps shrink as
        they should (or agree to within rounding)."""
        d, noise, gaps = self.raw, self.noise, self.gaps
        last, before = d[-1] - d[-2], d[-2] - d[-3]
        differences = (
            abs(last) <= 4.0 * (noise[-1] + noise[-2])
            or abs(last) + abs(before) <= 1e-3 * self.tolerance(d[-1])  # rounding we missed
            or (last * before > 0 and abs(before) >= 0.6 * RATIO**2 * abs(last)))
        width = gaps[-1].width
        one_sided = width <= 4.0 * gaps[-1].rounding or (
            gaps[-2].width >= 0.75 * RATIO * width
            and gaps[-3].width >= 0.75 * RATIO * gaps[-2].width)
        return differences and one_sided

    def estimate(self, kink: tuple[float, float] | None, steps: int) -> Estimate:
        # Extrapolation amplifies rounding about twofold; never trust a guess beyond that.
        # A guess no finer step has confirmed is no estimate at all.
        noise = 2.0 * self.rounding
        error = max(self.error, noise) if self.confirmed else math.inf
        return Estimate(self.best, error, noise, kink, steps)


def refine(g: Levels, xs: list[float], first: Column, eps: float, *,
           center: dict[Index, float], indices: list[Index], what: str, who: str,
           tolerance: Callable[[float], float]) -> dict[Index, Estimate]:
    """Better estimates, with error bars, of the derivatives of the entries ``indices`` of g
    along input ``first.j``, starting from the column at step eps already taken.

    ``center`` holds g at ``xs`` itself (for the one-sided slopes); ``tolerance(slope)`` is
    how far apart two slopes may be and still count as one (the caller's atol and rtol).
    """
    j = first.j
    tables = {i: _Tableau(first.difference(i), first.rounding(i),
                          _Gap.of(first, xs[j], center[i], i), tolerance) for i in indices}
    step = eps
    for _ in range(SHRINKS):
        if all(t.done for t in tables.values()):
            break
        step /= RATIO
        if xs[j] + step == xs[j] or xs[j] - step == xs[j]:
            break  # the floats near x_j cannot take a smaller step
        col = column(g, xs, j, step, what=what, who=who)
        for i, table in tables.items():
            if not table.done:
                table.add(col.difference(i), col.rounding(i), _Gap.of(col, xs[j], center[i], i))
    return {i: t.estimate(_kink(t.gaps, tolerance), len(t.gaps)) for i, t in tables.items()}


@dataclass(frozen=True)
class _Gap:
    """The one-sided slopes of g at x over one step, and the rounding in their difference."""

    left: float
    right: float
    rounding: float

    @classmethod
    def of(cls, col: Column, x: float, at_x: float, index: Index) -> _Gap:
        high, low = col.high[index], col.low[index]
        h = min(col.plus - x, x - col.minus)
        return cls((at_x - low) / (x - col.minus), (high - at_x) / (col.plus - x),
                   ROUNDING * (abs(high) + abs(low) + 2 * abs(at_x)) / h)

    @property
    def width(self) -> float:
        return abs(self.right - self.left)


def _kink(gaps: list[_Gap], tolerance: Callable[[float], float]) -> tuple[float, float] | None:
    """The one-sided slopes, if each settles but they stay apart as the step shrinks.

    For a smooth g they differ by about ``h * g''``, which shrinks with h; at a kink each side
    settles on its own slope and they differ by the jump, whatever h. (Where h is too coarse
    for g, the slopes do not settle at all: that is no kink.) Apart means: by more than the
    tolerance, and by far more than rounding can explain.
    """
    if len(gaps) < MIN_STEPS + 1:
        return None
    first, last = gaps[0], gaps[-1]
    settled = all(abs(b.left - a.left) + abs(b.right - a.right) < 0.25 * b.width
                  and 0.8 * a.width < b.width < 1.25 * a.width
                  for a, b in zip(gaps[-4:-1], gaps[-3:], strict=True))  # the last 3 steps
    if (settled and last.width > 0.5 * first.width and last.width > 10.0 * last.rounding
            and last.width > tolerance(max(abs(last.left), abs(last.right)))):
        return last.left, last.right
    return None
