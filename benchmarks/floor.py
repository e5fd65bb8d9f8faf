"""The floor: a training step written by hand with plain floats (micrograd's moons step, and
the digits step under cross entropy).

No graph at all: the forward pass keeps what the backward pass needs, and the backward pass
is the chain rule worked out for this kind of network (ReLU hidden layers, linear outputs),
the max-margin loss and L2, or softmax cross entropy. Pure Python cannot do the step with
much less work; it is the baseline the engines are measured against.
"""

from __future__ import annotations

import math
from operator import mul
from typing import Any

Matrix = list[list[float]]


class FloatMLP:
    """Weights as lists: ``layers[k] = (W, b)`` with ``W[j]`` the weights of neuron j."""

    def __init__(self, layers: list[tuple[Matrix, list[float]]]) -> None:
        self.layers = layers

    @classmethod
    def from_flat(cls, weights: list[float], sizes: tuple[int, ...]) -> FloatMLP:
        """From weights in chainrule's order (layer, neuron, weights then bias)."""
        it = iter(weights)
        layers = []
        for k in range(len(sizes) - 1):
            rows = [([next(it) for _ in range(sizes[k])], next(it)) for _ in range(sizes[k + 1])]
            layers.append(([w for w, _ in rows], [b for _, b in rows]))
        return cls(layers)

    @classmethod
    def from_mlp(cls, model: Any) -> FloatMLP:
        """A copy of a chainrule MLP's weights (any object with parameters() and nin/nouts)."""
        sizes = (model.nin, *model.nouts)
        return cls.from_flat([p.data for p in model.parameters()], sizes)

    def parameters(self) -> list[float]:
        """In chainrule's order: layer by layer, neuron by neuron, weights then bias."""
        flat: list[float] = []
        for W, b in self.layers:
            for w_row, b_j in zip(W, b, strict=True):
                flat.extend(w_row)
                flat.append(b_j)
        return flat

    def step(self, X: list[list[float]], y: list[float], lr: float, alpha: float) -> float:
        """One step of SGD on hinge + alpha * L2 over the whole batch; returns the loss."""
        grads = self._zeros()
        data_loss = 0.0
        inv_n = 1.0 / len(X)
        for x, target in zip(X, y, strict=True):
            acts = self._forward(x)
            margin = 1.0 - target * acts[-1][0]
            if margin > 0:  # inside the margin: d(loss)/d(score) = -target / n
                data_loss += margin * inv_n
                self._backward(acts, [-target * inv_n], grads)
        reg = self._add_l2(grads, alpha)
        self._descend(grads, lr)
        return data_loss + alpha * reg

    def cross_entropy_step(self, X: list[list[float]], labels: list[int], lr: float) -> float:
        """One step of SGD on the mean softmax cross entropy of class ``labels``; the loss."""
        grads = self._zeros()
        loss = 0.0
        inv_n = 1.0 / len(X)
        for x, k in zip(X, labels, strict=True):
            acts = self._forward(x)
            z = acts[-1]
            m = max(z)
            e = [math.exp(v - m) for v in z]
            total = sum(e)
            loss += (m + math.log(total) - z[k]) * inv_n
            g = [ei / total * inv_n for ei in e]  # d(loss)/dz = (softmax(z) - one_hot(k)) / n
            g[k] -= inv_n
            self._backward(acts, g, grads)
        self._descend(grads, lr)
        return loss

    def _zeros(self) -> list[tuple[Matrix, list[float]]]:
        return [([[0.0] * len(W[0]) for _ in W], [0.0] * len(b)) for W, b in self.layers]

    def _descend(self, grads: list[tuple[Matrix, list[float]]], lr: float) -> None:
        for (W, b), (gW, gb) in zip(self.layers, grads, strict=True):
            for w_row, gW_j in zip(W, gW, strict=True):
                for i in range(len(w_row)):
                    w_row[i] -= lr * gW_j[i]
            for j in range(len(b)):
                b[j] -= lr * gb[j]

    def _forward(self, x: list[float]) -> list[list[float]]:
        """Each layer's input, and the output last."""
        acts = [x]
        last = len(self.layers) - 1
        for k, (W, b) in enumerate(self.layers):
            z = [sum(map(mul, w_row, acts[-1])) + b_j for w_row, b_j in zip(W, b, strict=True)]
            acts.append(z if k == last else [v if v > 0 else 0.0 for v in z])
        return acts

    def _backward(self, acts: list[list[float]], g_out: list[float],
                  grads: list[tuple[Matrix, list[float]]]) -> None:
        for k in range(len(self.layers) - 1, -1, -1):
            W = self.layers[k][0]
            gW, gb = grads[k]
            inp = acts[k]
            g_in = [0.0] * len(inp)
            for j, g in enumerate(g_out):
                if g == 0.0:
                    continue
                gb[j] += g
                gW_j, W_j = gW[j], W[j]
                for i, a in enumerate(inp):
                    gW_j[i] += g * a
                    g_in[i] += g * W_j[i]
            if k:
                g_out = [gi if a > 0 else 0.0 for gi, a in zip(g_in, inp, strict=True)]

    def _add_l2(self, grads: list[tuple[Matrix, list[float]]], alpha: float) -> float:
        """Adds alpha * d(sum p^2)/dp to the grads; returns sum p^2."""
        reg = 0.0
        for (W, b), (gW, gb) in zip(self.layers, grads, strict=True):
            for w_row, gW_j in zip(W, gW, strict=True):
                for i, w in enumerate(w_row):
                    reg += w * w
                    gW_j[i] += 2 * alpha * w
            for j, b_j in enumerate(b):
                reg += b_j * b_j
                gb[j] += 2 * alpha * b_j
        return reg
