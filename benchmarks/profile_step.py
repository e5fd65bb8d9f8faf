"""Profile the eager training step users write: micrograd's moons loop with chainrule's MLP.

    python benchmarks/profile_step.py [--steps N]

The step is ``moons_bench.micrograd_style_step_fn`` with ``MLP(2, [16, 16, 1],
activation="relu", seed=1337)`` on ``make_moons(100, noise=0.1, seed=1)``: ``model(x)`` per
sample with Value inputs, builtin ``sum()``, ``loss.backward()``, the ``p.data`` update loop.
It prints the median time per step and its ratio to the float floor, timed in turn in the same
run, then the functions that took the most time of their own (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value
from benchmarks.moons_bench import floor_step_fn, micrograd_style_step_fn
from mlp import MLP, data


def _seconds(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    X, y = data.make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], activation="relu", seed=1337)
    floor = floor_step_fn([p.data for p in model.parameters()], X, y)
    step = micrograd_style_step_fn(model, Value, X, y)
    ratios, per_step = [], []
    for _ in range(args.steps + 1):  # alternate, so both see the same machine
        t = _seconds(step)
        per_step.append(t)
        ratios.append(t / _seconds(floor))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.steps):
        step()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(f"{statistics.median(per_step) * 1e3:.2f} ms per step without the profiler, "
          f"{statistics.median(ratios):.2f}x the float floor (median of {args.steps + 1} steps "
          "timed in turn)\n")
    print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
