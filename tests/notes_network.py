"""The notes' 3-2-1 network, built by hand, and the script that draws docs/seed_network.svg.

N1 = w1x1 + w2x2 + w3x3 + b1, N2 = w4x1 + w5x2 + w6x3 + b2, ŷ = w7N1 + w8N2 + b3 and the loss
(y − ŷ)² for one sample, or the mean (1/n) Σ (yᵢ − ŷᵢ)² over several. Each weighted sum is one
``weighted_sum`` node, as in ``mlp``. Regenerate the picture with::

    PYTHONPATH=. python tests/notes_network.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from autograd import Value, to_svg, total, weighted_sum

WEIGHTS = {"w1": 0.2, "w2": -0.4, "w3": 0.1, "b1": 0.3,
           "w4": 0.7, "w5": 0.2, "w6": -0.3, "b2": -0.1,
           "w7": 0.6, "w8": -0.5, "b3": 0.2}
SAMPLES = [((0.5, -1.0, 2.0), 1.0), ((1.0, 0.5, -0.5), -0.5), ((-1.5, 2.0, 1.0), 0.25)]
PICTURE = Path(__file__).resolve().parent.parent / "docs" / "seed_network.svg"


@dataclass
class Sample:
    """One sample's Values: inputs x1 x2 x3, target y, the neurons N1 N2 and the output ŷ."""

    x: list[Value]
    y: Value
    N1: Value
    N2: Value
    y_hat: Value


@dataclass
class NotesNetwork:
    params: dict[str, Value]
    samples: list[Sample]
    loss: Value


def build(n_samples: int = 1) -> NotesNetwork:
    """The network on the first ``n_samples`` samples, after ``loss.backward()``."""
    p = {name: Value(v, label=name) for name, v in WEIGHTS.items()}
    samples = []
    for i, (xs, target) in enumerate(SAMPLES[:n_samples]):
        tag = f"[{i + 1}]" if n_samples > 1 else ""
        x = [Value(v, label=f"x{k + 1}{tag}") for k, v in enumerate(xs)]
        n1 = weighted_sum([p["w1"], p["w2"], p["w3"]], x, p["b1"])
        n2 = weighted_sum([p["w4"], p["w5"], p["w6"]], x, p["b2"])
        n1.label, n2.label = f"N1{tag}", f"N2{tag}"
        y_hat = weighted_sum([p["w7"], p["w8"]], [n1, n2], p["b3"])
        y_hat.label = f"ŷ{tag}"
        samples.append(Sample(x, Value(target, label=f"y{tag}"), n1, n2, y_hat))
    errors = [s.y - s.y_hat for s in samples]
    for e, s in zip(errors, samples, strict=True):
        e.label = f"{s.y.label} − {s.y_hat.label}"
    squares = [e**2 for e in errors]
    loss = squares[0] if n_samples == 1 else total(squares) * (1 / n_samples)
    loss.label = "loss"
    loss.backward()
    return NotesNetwork(p, samples, loss)


def main() -> None:
    """Write docs/seed_network.svg: the one-sample network with its data and grads."""
    PICTURE.parent.mkdir(exist_ok=True)
    to_svg(build().loss, PICTURE, show_partials=True)
    sys.stdout.write(f"wrote {PICTURE}\n")


if __name__ == "__main__":
    main()
