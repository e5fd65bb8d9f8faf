"""micrograd's moons step, six ways, from the same weights and data, in one run.

The step: MLP 2-16-16-1 (ReLU hidden layers, linear output) on 100 points of make_moons,
max-margin loss + 1e-4 * L2, backward, SGD with lr = 1 - 0.9 k / 100. Rows:

1. the step compiled: ``autograd.compile`` of the per-sample hinge, ``prog.mean(X, y)``
   + ``ALPHA * losses.l2(params)``, ``zero_grad``, ``backward``, the SGD step;
2. chainrule's ``MLP`` as a user writes the step with its API (``model(x)`` per sample,
   ``losses.hinge``, ``losses.l2``, ``optim.SGD``, ``loss.backward()``), as ``fit()``'s eager
   path runs it;
3. chainrule's ``MLP`` in micrograd's own loop: ``model(x)`` per sample on Values, ``sum()``,
   ``loss.backward()``, the ``p.data`` update loop;
4. chainrule's Values used micrograd-style: ``sum(w*x for ...)`` with binary ops;
5. micrograd itself (``pip install micrograd==0.1.0``, the ``bench`` extra), if installed;
6. the same step by hand with plain floats (``floor.py``): the floor.

Rows 1-5 must give the same loss at every step (to 1e-9 relative); the run fails otherwise.
The time ``autograd.compile`` takes to trace and compile row 1's program is reported apart.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import autograd
from autograd import Value
from mlp import MLP, data, losses, optim

from .floor import FloatMLP

ALPHA = 1e-4
SIZES = (2, 16, 16, 1)


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def chainrule_step_fn(model: MLP, X: list[list[float]], y: list[float]) -> Callable[[], float]:
    opt = optim.SGD(model.parameters(), lr=learning_rate)
    params = model.parameters()

    def step() -> float:
        scores = [model(x) for x in X]
        loss = losses.hinge(y, scores) + ALPHA * losses.l2(params)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    return step


def compiled_step_fn(model: MLP, X: list[list[float]],
                     y: list[float]) -> tuple[Callable[[], float], float]:
    """The step with the per-sample loss compiled, as a user writes it; and the seconds
    ``autograd.compile`` took."""
    params = model.parameters()
    opt = optim.SGD(params, lr=learning_rate)
    start = time.perf_counter()
    prog = autograd.compile(lambda x, target: losses.hinge(target, model(x)), X[0], y[0])
    seconds = time.perf_counter() - start

    def step() -> float:
        loss = prog.mean(X, y) + ALPHA * losses.l2(params)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    return step, seconds


class BinaryOpMLP:
    """chainrule Values wired as micrograd wires its own: one binary node per ``w*x`` and ``+``."""

    def __init__(self, weights: list[float]) -> None:
        it = iter(weights)
        self.layers = [[([Value(next(it)) for _ in range(SIZES[k])], Value(next(it)))
                        for _ in range(SIZES[k + 1])] for k in range(len(SIZES) - 1)]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x: list[Value]) -> Value:
        last = len(self.layers) - 1
        for k, layer in enumerate(self.layers):
            outs = [sum((wi * xi for wi, xi in zip(w, x, strict=True)), b) for w, b in layer]
            x = outs if k == last else [o.relu() for o in outs]
        return x[0]


def micrograd_style_step_fn(model: Any, value: Callable[[float], Any], X: list[list[float]],
                            y: list[float]) -> Callable[[], float]:
    """micrograd's demo loop, verbatim in spirit, for any Value class with its operators."""
    params = model.parameters()
    k = 0

    def step() -> float:
        nonlocal k
        scores = [model([value(a) for a in x]) for x in X]
        hinge = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
        loss = sum(hinge) * (1.0 / len(hinge)) + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        lr = learning_rate(k)
        for p in params:
            p.data -= lr * p.grad
        k += 1
        return float(loss.data)

    return step


def floor_step_fn(weights: list[float], X: list[list[float]],
                  y: list[float]) -> Callable[[], float]:
    net = FloatMLP.from_flat(weights, SIZES)
    k = 0

    def step() -> float:
        nonlocal k
        loss = net.step(X, y, learning_rate(k), ALPHA)
        k += 1
        return loss

    return step


def _micrograd_step_fn(weights: list[float], X: list[list[float]],
                       y: list[float]) -> Callable[[], float] | None:
    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP  # noqa: N811
    except ImportError:
        return None
    model = MicroMLP(2, [16, 16, 1])
    for p, w in zip(model.parameters(), weights, strict=True):
        p.data = w
    return micrograd_style_step_fn(model, MicroValue, X, y)


BLOCK = 5
"""Steps a row runs back to back, as a training loop does, for one timed sample."""


def block(step: Callable[[], float]) -> tuple[list[float], float]:
    """``BLOCK`` consecutive steps of one row: their losses, and the mean seconds a step.

    The collector is emptied before the block (untimed), so no row pays for another's garbage;
    inside the block it runs as it does in a user's loop. That matters: micrograd's closures
    make a reference cycle of every node, and collecting them is most of its step. Timed one
    step at a time with the collector emptied before each (this harness's first form), a
    micrograd step took about 200x the floor here; back to back, as users run it, about 320x.
    """
    gc.collect()
    losses_seen = []
    start = time.perf_counter()
    for _ in range(BLOCK):
        losses_seen.append(step())
    return losses_seen, (time.perf_counter() - start) / BLOCK


def run(blocks: int, micrograd_blocks: int) -> dict[str, Any]:
    """Times ``blocks`` blocks of ``BLOCK`` steps of each row, the rows taking turns block by
    block (micrograd only for its first ``micrograd_blocks``), so a slow spell of the machine
    hits all alike; a row's ratio to the floor is the median over blocks of its block's mean
    step time over the floor's in the same round."""
    X, y = data.make_moons(100, noise=0.1, seed=1)

    def model() -> MLP:
        return MLP(2, [16, 16, 1], activation="relu", seed=1337)

    weights = [p.data for p in model().parameters()]
    compiled, compile_seconds = compiled_step_fn(model(), X, y)
    rows: dict[str, Callable[[], float] | None] = {
        "chainrule, compiled (autograd.compile)": compiled,
        "chainrule MLP, eager": chainrule_step_fn(model(), X, y),
        "chainrule MLP, micrograd's loop": micrograd_style_step_fn(model(), Value, X, y),
        "chainrule, micrograd-style binary ops": micrograd_style_step_fn(
            BinaryOpMLP(weights), Value, X, y),
        "micrograd 0.1.0": _micrograd_step_fn(weights, X, y),
        "plain floats (the floor)": floor_step_fn(weights, X, y),
    }
    found: dict[str, list[tuple[list[float], float]]] = {name: [] for name in rows}
    for k in range(blocks):
        for name, step in rows.items():
            if step is not None and (k < micrograd_blocks or not name.startswith("micrograd")):
                found[name].append(block(step))
    floor_times = [t for _, t in found["plain floats (the floor)"]]
    result: dict[str, Any] = {"steps": blocks * BLOCK, "block": BLOCK, "rows": {},
                              "compile_s": compile_seconds}
    for name, step in rows.items():
        if step is None:
            result["rows"][name] = None
            continue
        times = [t for _, t in found[name]]
        result["rows"][name] = {
            "losses": [loss for block, _ in found[name] for loss in block],
            "median_s": statistics.median(times),
            "median_ratio_to_floor": statistics.median(
                t / f for t, f in zip(times, floor_times, strict=False)),
            "steps": len(times) * BLOCK,
        }
    compare_losses(result["rows"])
    return result


def compare_losses(rows: dict[str, Any]) -> None:
    reference = rows["plain floats (the floor)"]["losses"]
    for name, row in rows.items():
        if row is None:
            continue
        worst = max(abs(a - b) / abs(b) for a, b in zip(row["losses"], reference, strict=False))
        row["max_rel_loss_diff_vs_floor"] = worst
        if worst > 1e-9:
            raise AssertionError(f"{name}: its losses differ from the floor's by {worst:.2e}")


def markdown(result: dict[str, Any]) -> str:
    rows = result["rows"]
    micro = rows["micrograd 0.1.0"]["median_s"] if rows["micrograd 0.1.0"] else None
    lines = [
        "micrograd's moons step (MLP 2-16-16-1, 100 points, hinge + 1e-4 L2, SGD): per "
        f"step, the median over blocks of {result['block']} steps run back to back",
        "",
        "| implementation | ms/step | × floor | micrograd ÷ this | max rel. loss diff |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        if row is None:
            lines.append(f"| {name} | not installed (`pip install -e .[bench]`) | | | |")
            continue
        t = row["median_s"]
        speedup = f"{micro / t:.1f}×" if micro else "n/a"
        lines.append(f"| {name} | {t * 1e3:.1f} | {row['median_ratio_to_floor']:.2f}× "
                     f"| {speedup} "
                     f"| {row['max_rel_loss_diff_vs_floor']:.1e} |")
    lines += ["", f"autograd.compile of the compiled row's program (trace twice, derive the "
                  f"rules, generate and compile the code): {result['compile_s']:.3f} s"]
    return "\n".join(lines)
