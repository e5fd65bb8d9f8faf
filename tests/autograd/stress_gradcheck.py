"""Stress gradcheck's promise: a run for a developer, not for CI.

    .venv/bin/python tests/autograd/stress_gradcheck.py --examples 2000 --cases 1000 --seed 1

First it draws random expressions from ``autograd.testing.expressions`` (random seed unless
given) in the property suite's shapes (order 1 with 12 ops, order 2 with 8, order 3 with 4,
and every op alone at orders 1 and 2) and in "steep" shapes (ops that multiply slopes), where
hypothesis is steered (``target``) towards the expressions whose plain central differences
come closest to missing, runs ``gradcheck`` on each and counts what came out. With no bug
planted, every ``GradcheckError`` and every ``ValueError`` is a broken promise, printed with
its program. Per shape it also reports how many examples plain central differences at eps
(what gradcheck compared before it refined its misses) would have failed, and the worst ratio
of their miss to the tolerance.

Then it runs gradcheck on families of functions built to be hard for differences: correct
ones that vary as fast as sin(1e9 x), sines aliased for steps that shrink by 1.5, sqrt(3), 2
or 3, relu kinks at the point (none of these may give a GradcheckError), and user ops whose
partial slips by 2e-3 to 1 relative (each must give one). Exit status 1 if anything broke.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, given, seed, settings, target
from hypothesis import strategies as st

from autograd import GradcheckError, Value, define_op, gradcheck, testing
from autograd.check import _analytic, _top_level
from autograd.differences import column
from autograd.ops import OPS
from autograd.testing import Expression, expressions


@dataclass
class Tally:
    examples: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    plain_misses: int = 0
    worst_plain_ratio: float = 0.0
    broken: list[str] = field(default_factory=list)


def plain_ratio(f: Expression, xs: list[float], order: int) -> float:
    """The worst |analytic - D(eps)| / tolerance over every pair up to ``order``: above 1
    is a pair that plain central differences at eps = 1e-6 would have failed."""
    analytic = _analytic(f, xs, order)
    worst = 0.0
    for k in range(1, order + 1):
        g = partial(_top_level, f, k - 1)
        for j in range(len(xs)):
            col = column(g, xs, j, 1e-6, what="f", who="stress_gradcheck")
            for index in col.high:
                n = col.difference(index)
                key = (*index, j)
                a = analytic[k][key]
                worst = max(worst, abs(a - n) / (1e-5 + 1e-3 * abs(n)))
    return worst


def run(name: str, strategy: st.SearchStrategy[Any], *, order: int, examples: int,
        seed_value: int, tally: Tally, steer: bool) -> None:
    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def body(case: tuple[Expression, list[float]]) -> None:
        f, xs = case
        tally.examples += 1
        try:
            ratio = plain_ratio(f, xs, order)
        except (ValueError, ArithmeticError):
            ratio = math.nan  # gradcheck below will say why
        if steer and math.isfinite(ratio):
            # Lead the search to where plain differences come closest to missing.
            target(math.log10(ratio + 1e-30))
        try:
            gradcheck(f, xs, order=order)
            tally.outcomes["pass"] += 1
        except (GradcheckError, ValueError, ArithmeticError) as err:
            tally.outcomes[type(err).__name__] += 1
            tally.broken.append(f"{name}: {type(err).__name__}: {str(err)[:300]}\n  {f!r} at "
                                f"{xs!r}")
        if math.isfinite(ratio):
            tally.worst_plain_ratio = max(tally.worst_plain_ratio, ratio)
            tally.plain_misses += ratio > 1

    body()


def shapes() -> list[tuple[str, Callable[[], st.SearchStrategy[Any]], int]]:
    out: list[tuple[str, Callable[[], st.SearchStrategy[Any]], int]] = [
        ("order 1, 3 inputs, 12 ops", lambda: expressions(3, 12), 1),
        ("order 2, 3 inputs, 8 ops", lambda: expressions(3, 8), 2),
        ("order 3, 2 inputs, 4 ops", lambda: expressions(2, 4), 3),
    ]
    steep = ["sum", "wsum", "mul", "sin", "exp", "tanh", "pow", "div"]
    out += [
        ("steep: order 1, 1 input, 12 ops", lambda: expressions(1, 12, steep), 1),
        ("steep: order 2, 2 inputs, 8 ops", lambda: expressions(2, 8, steep), 2),
        ("steep: order 3, 1 input, 6 ops", lambda: expressions(1, 6, steep), 3),
    ]
    for name in sorted(OPS):
        for order in (1, 2):
            out.append((f"{name} alone, order {order}",
                        partial(expressions, 2, 1, [name]), order))
    return out


# --- beyond expressions(): functions built to be hard for differences ----------------------

Fn = Callable[[Value], Value]


def fast(rng: random.Random) -> tuple[Fn, float, float, int, bool]:
    """A correct function that varies as fast as a*x, a up to 1e9: never a GradcheckError."""
    a, kind = 10 ** rng.uniform(0, 9), rng.choice(["sin", "exp", "tanh", "bump", "log", "pow"])
    forms: dict[str, Fn] = {
        "sin": lambda x: (x * a).sin(), "exp": lambda x: (x * a).exp(),
        "tanh": lambda x: (x * a).tanh(), "bump": lambda x: 1 / (x * x + 1 / a),
        "log": lambda x: (x * x + 1 / a).log(), "pow": lambda x: (x * x + 1 / a) ** -2.5}
    return forms[kind], rng.uniform(-2, 2), 10 ** rng.uniform(-9, -3), rng.choice([1, 2]), False


def aliased(rng: random.Random) -> tuple[Fn, float, float, int, bool]:
    """sin(a*x) with a*eps near 2*pi*n*r**k, so that steps eps/r**i sample it as a slow sine."""
    eps = 10 ** rng.uniform(-6, -3)
    r, k = rng.choice([1.5, 3**0.5, 2.0, 3.0]), rng.randint(2, 12)
    a = (2 * math.pi * rng.randint(1, 50) * r**k + rng.uniform(-2, 2)) / eps
    return (lambda x: (x * a).sin()), rng.uniform(-2, 2), eps, 1, False


def kinked(rng: random.Random) -> tuple[Fn, float, float, int, bool]:
    """A relu kink exactly at the point: a ValueError (or a pass), never a GradcheckError."""
    c, k, m = rng.uniform(-2, 2), rng.uniform(-5, 5), rng.uniform(-3, 3)
    forms: list[tuple[Fn, int]] = [(lambda x: (x - c).relu() * k + x * m, 1),
                                   (lambda x: (x - c).relu() * (x * 0.5).exp() * k, 1),
                                   (lambda x: (x - c).relu() ** 2 * k + x * m, 2)]
    f, order = rng.choice(forms)
    return f, c, 10 ** rng.uniform(-8, -4), order, False


def slipped(rng: random.Random) -> tuple[Fn, float, float, int, bool]:
    """A user op whose partial is off by a relative slip of 2e-3 to 1 (beyond rtol plus
    atol): always a GradcheckError."""
    s, kind = 10 ** rng.uniform(-2.7, 0), rng.choice(["sin", "exp", "log", "cube"])
    forward, slope = {"sin": (math.sin, math.cos), "exp": (math.exp, math.exp),
                      "log": (lambda a: math.log(a * a + 1), lambda a: 2 * a / (a * a + 1)),
                      "cube": (lambda a: a**3, lambda a: 3 * a * a)}[kind]

    def partials(a: Any, out: Any) -> tuple[float]:
        t = slope(float(getattr(a, "data", a)))
        return (t * (1 + s) + math.copysign(s, t),)

    return define_op("stress_slipped", forward, partials), rng.uniform(-2, 2), 1e-6, 1, True


def families(seed_value: int, cases: int) -> int:
    """Run every family ``cases`` times; print the outcomes; return the broken promises."""
    rng = random.Random(seed_value)
    broken = 0
    for make in (fast, aliased, kinked, slipped):
        outcomes: Counter[str] = Counter()
        for _ in range(cases):
            f, x, eps, order, wrong = make(rng)
            try:
                gradcheck(f, [x], eps=eps, order=order)
                outcome = "pass"
            except GradcheckError:
                outcome = "GradcheckError"
            except (ValueError, ArithmeticError) as err:
                outcome = "kink" if "not differentiable" in str(err) else type(err).__name__
            outcomes[outcome] += 1
            if (outcome == "GradcheckError") != wrong:
                broken += 1
                print(f"    broken: {make.__name__} x={x!r} eps={eps!r} order={order}: {outcome}")
        print(f"{make.__name__:10} {cases:6} cases  {dict(outcomes)}")
    return broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=1000,
                        help="examples per shape with 12, 8 and 4 ops (each single op: 1/10)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (random)")
    parser.add_argument("--cases", type=int, default=500,
                        help="cases per family of hard functions (fast, aliased, kinked, "
                             "slipped); 0 to skip them")
    parser.add_argument("--no-slope-bound", action="store_true",
                        help="draw expressions without scaling steep operands (to compare)")
    args = parser.parse_args()
    if args.no_slope_bound:
        testing.SLOPE_MAX = math.inf
    seed_value = args.seed if args.seed is not None else int(time.time() * 1000) % 2**31
    print(f"seed {seed_value}")
    total, broken = 0, 0
    for name, make, order in shapes():
        tally = Tally()
        examples = args.examples if "alone" not in name else max(10, args.examples // 10)
        start = time.perf_counter()
        run(name, make(), order=order, examples=examples, seed_value=seed_value, tally=tally,
            steer="steep" in name)
        seconds = time.perf_counter() - start
        total += tally.examples
        broken += len(tally.broken)
        print(f"{name:28} {tally.examples:6} examples  {dict(tally.outcomes)}  plain "
              f"differences at eps would fail {tally.plain_misses} (worst miss "
              f"{tally.worst_plain_ratio:.3g} x tolerance)  {seconds:.0f} s")
        for line in tally.broken[:5]:
            print("   ", line)
    print(f"total {total} examples, {broken} broken promises")
    if args.cases:
        broken += families(seed_value, args.cases)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
