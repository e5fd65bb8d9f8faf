"""The notes' 3-2-1 network, and the script that draws docs/seed_network.svg.

``MLP(3, [2, 1], activation=None, seed=0)`` is the notes' network: N1 = w1x1 + w2x2 + w3x3 + b1,
N2 = w4x1 + w5x2 + w6x3 + b2, ŷ = w7N1 + w8N2 + b3, each weighted sum one node. The loss is
(y − ŷ)² for one sample, or ``losses.mse``, the mean (1/n) Σ (yᵢ − ŷᵢ)², over several.
Regenerate the picture with::

    PYTHONPATH=. python tests/helpers/notes_network.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from autograd import Value, to_svg
from mlp import MLP, losses

SAMPLES = [((0.5, -1.0, 2.0), 1.0), ((1.0, 0.5, -0.5), -0.5), ((-1.5, 2.0, 1.0), 0.25)]
PICTURE = Path(__file__).resolve().parents[2] / "docs" / "seed_network.svg"


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
    model = MLP(3, [2, 1], activation=None, seed=0)
    samples = []
    for xs, target in SAMPLES[:n_samples]:
        y_hat = model(list(xs))
        assert isinstance(y_hat, Value)
        n1, n2 = y_hat.inputs[2:4]  # ŷ's inputs are (w7, w8, N1, N2, b3)
        samples.append(Sample(list(n1.inputs[3:6]), Value(target, label="y"), n1, n2, y_hat))
    if n_samples == 1:
        s = samples[0]
        error = s.y - s.y_hat
        error.label = "y − ŷ"
        loss = error**2
    else:
        loss = losses.mse([s.y for s in samples], [s.y_hat for s in samples])
    loss.label = "loss"
    loss.backward()
    return NotesNetwork({p.label: p for p in model.parameters()}, samples, loss)


def main() -> None:
    """Write docs/seed_network.svg: the one-sample network with its data, grads and partials."""
    PICTURE.parent.mkdir(exist_ok=True)
    to_svg(build().loss, PICTURE, show_partials=True)
    sys.stdout.write(f"wrote {PICTURE}\n")


if __name__ == "__main__":
    main()
