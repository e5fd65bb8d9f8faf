"""Profile one training step of micrograd's moons demo on chainrule (cProfile).

    python benchmarks/profile_step.py [--steps N]

Prints the mean time per step and the functions that took the most time of their own. It
uses only what every version of chainrule's mlp has (``MLP``, ``losses``, ``optim``), and
``forward_batch``, ``collector_paused`` and ``tape`` where they exist (as ``fit`` does), so
the same script profiles the step before and after a change.
"""

from __future__ import annotations

import argparse
import contextlib
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

import autograd
from benchmarks.floor import FloatMLP
from mlp import MLP, data, losses, optim


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
    params = model.parameters()
    opt = optim.SGD(params, lr=lambda k: 1.0 - 0.9 * k / 100)
    forward_batch = getattr(model, "forward_batch", None)
    paused = getattr(autograd, "collector_paused", contextlib.nullcontext)
    tape = getattr(autograd, "tape", None)

    def graph_step() -> float:
        with tape() if tape else contextlib.nullcontext() as recorded:
            scores = forward_batch(X) if forward_batch else [model(x) for x in X]
            loss = losses.hinge(y, scores) + 1e-4 * losses.l2(params)
        opt.zero_grad()
        if recorded is not None:
            recorded.backward(loss)
        else:
            loss.backward()
        opt.step()
        return loss.data

    def step() -> float:
        with paused():
            return graph_step()

    floor = FloatMLP.from_mlp(model)
    per_step, per_floor_step = [], []
    for k in range(args.steps + 1):  # alternate, so both see the same machine
        per_step.append(_seconds(step))
        lr = 1.0 - 0.9 * k / 100
        per_floor_step.append(_seconds(lambda: floor.step(X, y, lr, 1e-4)))  # noqa: B023
    ms, floor_ms = statistics.median(per_step) * 1e3, statistics.median(per_floor_step) * 1e3
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.steps):
        step()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(f"{ms:.2f} ms per step without the profiler, median of {args.steps + 1} steps; "
          f"the float floor {floor_ms:.2f} ms in the same run: {ms / floor_ms:.2f}x\n")
    print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
