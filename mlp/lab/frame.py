"""What the page draws, as one JSON object: a frame of a run, read off the model between steps.

A frame holds the numbers of the picture and nothing the page must compute from the graph:

- ``layers``: each layer's weights (``weights[j][i]`` goes from input i to neuron j), biases
  and activation, and the labels the notes use (``w1``..., ``b1``..., neurons ``N1``... and
  the output ``ŷ``); ``grads``: the batch gradients ``p.grad`` the last step used;
- ``sample``: one training sample pushed through the network layer by layer: each neuron's
  activation (its output node, as the engine labels it: ``tanh(N1)``, ``ŷ``), and
  ``dL/d(node)`` for every neuron and input and ``dL/dw`` for every weight, all for that
  sample's own loss (``autograd.grad``, leaving every ``.grad`` alone);
- the loss, its history, the accuracy, and the points of a 2-D data set.

Floats are written as JSON numbers in full (``repr``), so the page shows the engine's numbers.
"""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Value, enable_grad
from mlp.lab.build import Setup

MAX_POINTS = 1000
"""The loss history keeps at most this many points: past it, every other one is dropped and
the stride between kept steps doubles."""


class LossHistory:
    """The loss at steps 1, 1 + stride, 1 + 2·stride, ...: at most ``MAX_POINTS`` of them."""

    def __init__(self) -> None:
        self.stride = 1
        self.points: list[list[float]] = []

    def add(self, step: int, loss: float) -> None:
        if (step - 1) % self.stride:
            return
        self.points.append([step, loss])
        if len(self.points) > MAX_POINTS:
            self.points = self.points[::2]
            self.stride *= 2


def model_view(setup: Setup) -> dict[str, Any]:
    """The network's weights, biases, their batch grads and every label."""
    layers = []
    number = 1
    for k, layer in enumerate(setup.model.layers):
        last = k == len(setup.model.layers) - 1
        neurons = layer.neurons
        layers.append({
            "activation": layer.activation or "linear",
            "weights": [[w.data for w in n.w] for n in neurons],
            "biases": [n.b.data for n in neurons],
            "weight_grads": [[w.grad for w in n.w] for n in neurons],
            "bias_grads": [n.b.grad for n in neurons],
            "weight_names": [[w.label for w in n.w] for n in neurons],
            "bias_names": [n.b.label for n in neurons],
            "names": _output_names(len(neurons)) if last
            else [f"N{number + j}" for j in range(len(neurons))],
        })
        number += len(neurons)
    return {"sizes": setup.sizes, "inputs": [f"x{i + 1}" for i in range(setup.model.nin)],
            "layers": layers}


def _output_names(count: int) -> list[str]:
    return ["ŷ"] if count == 1 else [f"ŷ{j + 1}" for j in range(count)]


def sample_graph(setup: Setup, index: int) -> tuple[Value, list[list[Value]]]:
    """Sample ``index``'s loss, recorded layer by layer: (its loss, each layer's nodes, the
    inputs first). The graph is the model's own forward pass, one layer at a time."""
    x, target = setup.X[index], setup.y[index]
    with enable_grad():
        nodes = [[Value(v, label=f"x{i + 1}") for i, v in enumerate(x)]]
        for layer in setup.model.layers:
            nodes.append(layer(nodes[-1]))
        out: Any = nodes[-1][0] if setup.classes == 1 else nodes[-1]
        loss = setup.loss([target], [out])
    loss.label = "L"  # as the notes and the seed-network demo name it
    return loss, nodes


def sample_view(setup: Setup, index: int) -> dict[str, Any]:
    """One sample's activations, and the gradients of its own loss, for the picture."""
    loss, nodes = sample_graph(setup, index)
    params = setup.model.parameters()
    flat = [v for layer in nodes for v in layer]
    grads = autograd.grad(loss, flat + params)
    node_grads, param_grads = grads[: len(flat)], iter(grads[len(flat):])
    shaped, at = [], 0
    for layer in nodes:
        shaped.append(node_grads[at : at + len(layer)])
        at += len(layer)
    weight_grads = [[[next(param_grads) for _ in n.w] + [next(param_grads)]
                     for n in layer.neurons] for layer in setup.model.layers]
    return {
        "index": index, "x": setup.X[index], "target": setup.y[index], "loss": loss.data,
        "activations": [[v.data for v in layer] for layer in nodes],
        "labels": [[v.label for v in layer] for layer in nodes],
        "node_grads": shaped,
        "weight_grads": [[row[:-1] for row in layer] for layer in weight_grads],
        "bias_grads": [[row[-1] for row in layer] for layer in weight_grads],
    }


def points_view(setup: Setup) -> dict[str, Any] | None:
    """The samples of a 2-D data set, to draw under the decision boundary."""
    if setup.model.nin != 2:
        return None
    return {"X": setup.X, "y": setup.y}
