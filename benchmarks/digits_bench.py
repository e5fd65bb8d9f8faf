"""The digits training step, four ways, from the same weights and batch, in one run.

The step: MLP 64-32-10 (ReLU hidden layer, linear outputs: one logit per digit) on a batch of
``BATCH`` images of ``mlp.data.digits()`` (scaled to [0, 1]), the mean softmax cross entropy,
backward, SGD with lr = ``LR``. Rows:

1. the step as ``fit()`` compiles it: ``autograd.compile`` of the per-sample
   ``losses.cross_entropy`` with one-hot targets, ``prog.mean(X, Y)``, ``zero_grad``,
   ``backward``, the SGD step;
2. chainrule's ``MLP`` eagerly, on Values: ``model(x)`` per sample, ``losses.cross_entropy``,
   ``loss.backward()``, ``optim.SGD`` (``fit()``'s path for a model or loss it cannot compile);
3. micrograd 0.1.0 (the ``bench`` extra), if installed, for a few steps only (it is slow):
   its ``MLP``, with ``exp`` and ``log`` added to its Value the way micrograd adds an op (a
   node and a ``_backward`` closure; 0.1.0 has neither), the cross entropy stabilised by the
   largest logit as a constant, and its ``p.data -= lr * p.grad`` loop;
4. the same step by hand with plain floats (``floor.py``): the floor.

Every row must give the floor's loss at every step (to 1e-9 relative); the run fails otherwise.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from typing import Any

import autograd
from mlp import MLP, data, losses, optim

from .floor import FloatMLP
from .moons_bench import block, compare_losses

BATCH = 32
LR = 0.1
FLOOR = "plain floats (the floor)"
MICROGRAD = "micrograd 0.1.0"


def _one_hot(labels: list[int]) -> list[list[float]]:
    return [[1.0 if k == label else 0.0 for k in range(10)] for label in labels]


def compiled_step_fn(model: MLP, X: list[list[float]], y: list[int]) -> Callable[[], float]:
    opt = optim.SGD(model.parameters(), lr=LR)
    Y = _one_hot(y)
    prog = autograd.compile(lambda x, t: losses.cross_entropy(t, model(x)), X[0], Y[0])

    def step() -> float:
        loss = prog.mean(X, Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    return step


def eager_step_fn(model: MLP, X: list[list[float]], y: list[int]) -> Callable[[], float]:
    opt = optim.SGD(model.parameters(), lr=LR)

    def step() -> float:
        loss = losses.cross_entropy(y, [model(x) for x in X])
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    return step


def floor_step_fn(weights: list[float], X: list[list[float]],
                  y: list[int]) -> Callable[[], float]:
    net = FloatMLP.from_flat(weights, (64, 32, 10))
    return lambda: net.cross_entropy_step(X, y, LR)


def micrograd_step_fn(weights: list[float], X: list[list[float]],
                      y: list[int]) -> Callable[[], float] | None:
    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP  # noqa: N811
    except ImportError:
        return None

    def exp(x: Any) -> Any:
        out = MicroValue(math.exp(x.data), (x,), "exp")

        def backward() -> None:
            x.grad += out.data * out.grad

        out._backward = backward
        return out

    def log(x: Any) -> Any:
        out = MicroValue(math.log(x.data), (x,), "log")

        def backward() -> None:
            x.grad += out.grad / x.data

        out._backward = backward
        return out

    model = MicroMLP(64, [32, 10])
    for p, w in zip(model.parameters(), weights, strict=True):
        p.data = w

    def step() -> float:
        terms = []
        for x, k in zip(X, y, strict=True):
            z = model(x)
            m = max(v.data for v in z)
            terms.append(log(sum(exp(v - m) for v in z)) + m - z[k])
        loss = sum(terms) * (1.0 / len(terms))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= LR * p.grad
        return float(loss.data)

    return step


def run(blocks: int, micrograd_blocks: int) -> dict[str, Any]:
    """``blocks`` blocks of steps of each row, taking turns (micrograd only its first
    ``micrograd_blocks``); ratios to the floor as in ``moons_bench.run``."""
    X_train, y_train, _, _ = data.digits(seed=0)
    X, y = X_train[:BATCH], y_train[:BATCH]

    def model() -> MLP:
        return MLP(64, [32, 10], activation="relu", seed=19)

    weights = [p.data for p in model().parameters()]
    rows: dict[str, Callable[[], float] | None] = {
        "chainrule, compiled (fit's path)": compiled_step_fn(model(), X, y),
        "chainrule MLP, eager (Values)": eager_step_fn(model(), X, y),
        MICROGRAD: micrograd_step_fn(weights, X, y),
        FLOOR: floor_step_fn(weights, X, y),
    }
    found: dict[str, list[tuple[list[float], float]]] = {name: [] for name in rows}
    for k in range(blocks):
        for name, step in rows.items():
            if step is not None and (k < micrograd_blocks or name != MICROGRAD):
                found[name].append(block(step))
    floor_times = [t for _, t in found[FLOOR]]
    result: dict[str, Any] = {"batch": BATCH, "rows": {}}
    for name, step in rows.items():
        times = [t for _, t in found[name]]
        if step is None or not times:  # not installed, or not timed (micrograd in --quick)
            result["rows"][name] = None
            continue
        result["rows"][name] = {
            "losses": [loss for losses_seen, _ in found[name] for loss in losses_seen],
            "median_s": statistics.median(times),
            "median_ratio_to_floor": statistics.median(
                t / f for t, f in zip(times, floor_times, strict=False)),
            "steps": sum(len(losses_seen) for losses_seen, _ in found[name]),
        }
    compare_losses(result["rows"])
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"The digits step (MLP 64-32-10, a batch of {result['batch']} images, softmax cross "
        "entropy, SGD): per step, the median over blocks of steps run back to back",
        "",
        "| implementation | ms/step | × floor | steps timed | max rel. loss diff |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in result["rows"].items():
        if row is None:
            lines.append(f"| {name} | not installed (`pip install -e .[bench]`) or not timed "
                         "(--quick) | | | |")
            continue
        lines.append(f"| {name} | {row['median_s'] * 1e3:.1f} | "
                     f"{row['median_ratio_to_floor']:.2f}× | {row['steps']} | "
                     f"{row['max_rel_loss_diff_vs_floor']:.1e} |")
    return "\n".join(lines)
