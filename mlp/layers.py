"""Neuron, Layer and MLP: the notes' network, N = w1*x1 + ... + wn*xn + b, stacked.

A neuron's weighted sum is ONE node (autograd's wsum), so the graph of
``MLP(3, [2, 1], activation=None)`` has exactly the notes' nodes: x1 x2 x3, w1..w8, b1 b2 b3,
N1, N2 and ŷ.

Labels (given once, at construction; a forward pass only copies a string):

- weights ``w1, w2, ...`` numbered across the whole net in ``parameters()`` order;
- biases and weighted sums ``b1, N1, b2, N2, ...`` numbered by neuron across the net;
- an activation's output ``ReLU(N1)``, ``tanh(N1)``, ``σ(N1)`` (the op table's symbol);
- the net's output ``ŷ`` (``ŷ1, ŷ2, ...`` for several outputs): a linear output neuron's sum
  is ``ŷ`` itself, otherwise ``ŷ = σ(N3)``, say;
- float inputs become Values ``x1, x2, ...``; Value inputs keep their own labels.

A standalone Layer or Neuron numbers itself the same way, from 1.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Generic

from autograd import Value, weighted_sum
from autograd.ops import RELU, SIGMOID, TANH
from mlp.checks import (
    Number,
    SequenceLike,
    as_inputs,
    check_count,
    check_rng,
    check_sizes,
    config_values,
)
from mlp.display import mlp_html
from mlp.module import Module

ACTIVATIONS: dict[str, tuple[Callable[[Value], Value], str] | None] = {
    "linear": None,
    "relu": (Value.relu, RELU.symbol),
    "tanh": (Value.tanh, TANH.symbol),
    "sigmoid": (Value.sigmoid, SIGMOID.symbol),
}
"""Activation name -> (the Value method, its symbol for labels); ``None`` means linear."""


def _activation(name: str | None) -> str | None:
    """The canonical activation name (``None`` for linear); unknown names raise ValueError."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise TypeError(f"activation must be a str or None, got {type(name).__name__}")
    if name not in ACTIVATIONS:
        valid = ", ".join(repr(k) for k in ACTIVATIONS)
        shown = repr(name) if len(name) <= 40 else f"{name[:40]!r}..."
        raise ValueError(f"unknown activation {shown}: valid are None, {valid}")
    return None if name == "linear" else name


def _nonlin(activation: str | None, nonlin: bool | None, who: str) -> str | None:
    """micrograd's ``nonlin=True``/``False`` as an activation: ReLU, or linear."""
    if nonlin is None:
        return activation
    if not isinstance(nonlin, bool):
        raise TypeError(f"{who}: nonlin must be True or False, got {type(nonlin).__name__}")
    if activation is not None:
        raise TypeError(f"{who}: give activation= or nonlin=, not both")
    return "relu" if nonlin else None


class Neuron(Module):
    """One neuron: ``N = w1*x1 + ... + wn*xn + b`` as a single node, then its activation.

    Weights are drawn uniform in (-1, 1) in order from ``rng`` (the ``random`` module's shared
    generator when None, as micrograd does), the bias is 0. Calling it with the wrong number of
    inputs raises ``ValueError``; float inputs become leaves labelled x1, x2, ...

    The default is linear, the notes' neuron: micrograd's bare ``Neuron(2)`` is ReLU. Its
    ``nonlin=True`` (ReLU) and ``nonlin=False`` (linear) are taken, in place of ``activation``.
    """

    def __init__(self, nin: int, activation: str | None = None,
                 rng: random.Random | None = None, *, nonlin: bool | None = None) -> None:
        self.nin = check_count(nin, "Neuron: nin")
        self.activation = _activation(_nonlin(activation, nonlin, "Neuron"))
        check_rng(rng, "Neuron")
        uniform = random.uniform if rng is None else rng.uniform
        self.w = [Value(uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(0.0)
        act = ACTIVATIONS[self.activation] if self.activation else None
        self._act = act[0] if act else None
        self._symbol = act[1] if act else ""
        self._sum_label = self._out_label = ""
        self._x_labels = tuple(f"x{i + 1}" for i in range(nin))
        self._name(1, 1, None)

    def _name(self, first_weight: int, number: int, output: str | None) -> None:
        """Label weights from ``w{first_weight}``, the bias ``b{number}``, the sum ``N{number}``.

        ``output`` names the neuron's final node (``ŷ``); by default it is ``N{number}`` or
        ``ReLU(N{number})``. The strings are kept, so a forward pass only assigns them.
        """
        for k, w in enumerate(self.w):
            w.label = f"w{first_weight + k}"
        self.b.label = f"b{number}"
        n = f"N{number}"
        if self._act is None:
            self._sum_label = self._out_label = output or n
        else:
            self._sum_label = n
            self._out_label = output or f"{self._symbol}({n})"

    @property
    def output_label(self) -> str:
        """The label of the neuron's final node: ``ŷ``, ``N3`` or ``ReLU(N3)``, as drawn."""
        return self._out_label or self._sum_label

    def __call__(self, x: SequenceLike[Number]) -> Value:
        return self._forward(as_inputs(x, self._x_labels, "Neuron"))

    def _forward(self, xs: list[Value]) -> Value:
        """The forward pass on ``nin`` Values (checked by the caller, once for all neurons)."""
        n = weighted_sum(self.w, xs, self.b)
        n.label = self._sum_label
        act = self._act
        if act is None:
            return n
        out = act(n)
        out.label = self._out_label
        return out

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [*((f"w.{k}", w) for k, w in enumerate(self.w)), ("b", self.b)]

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "activation": self.activation}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Neuron:
        nin, activation = config_values(config, ("nin", "activation"))
        return cls(nin, activation, rng=random.Random(0))

    @classmethod
    def parameter_count(cls, config: Mapping[str, Any]) -> int:
        nin, _ = config_values(config, ("nin", "activation"))
        return check_count(nin, "Neuron: nin") + 1

    @property
    def nonlin(self) -> bool:
        """micrograd's attribute: whether the neuron applies an activation (ReLU there)."""
        return self.activation is not None

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs; calling it returns a list (also
    for one neuron, where micrograd's Layer returns the Value). Linear by default; micrograd's
    ``nonlin=`` is taken, as in ``Neuron``."""

    def __init__(self, nin: int, nout: int, activation: str | None = None,
                 rng: random.Random | None = None, *, nonlin: bool | None = None) -> None:
        self.nin = check_count(nin, "Layer: nin")
        self.nout = check_count(nout, "Layer: nout")
        self.activation = _activation(_nonlin(activation, nonlin, "Layer"))
        check_rng(rng, "Layer")
        self.neurons = [Neuron(nin, self.activation, rng) for _ in range(nout)]
        self._x_labels = tuple(f"x{i + 1}" for i in range(nin))
        self._name(1, 1, None)

    def _name(self, first_weight: int, first_neuron: int, outputs: list[str] | None) -> int:
        """Number this layer's labels from the given counts; returns the next weight number."""
        for j, neuron in enumerate(self.neurons):
            neuron._name(first_weight, first_neuron + j, outputs[j] if outputs else None)
            first_weight += self.nin
        return first_weight

    def __call__(self, x: SequenceLike[Number]) -> list[Value]:
        xs = as_inputs(x, self._x_labels, "Layer")
        return [n._forward(xs) for n in self.neurons]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(f"neurons.{j}.{name}", p) for j, neuron in enumerate(self.neurons)
                for name, p in neuron.named_parameters()]

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "nout": self.nout, "activation": self.activation}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Layer:
        nin, nout, activation = config_values(config, ("nin", "nout", "activation"))
        return cls(nin, nout, activation, rng=random.Random(0))

    @classmethod
    def parameter_count(cls, config: Mapping[str, Any]) -> int:
        nin, nout, _ = config_values(config, ("nin", "nout", "activation"))
        return check_count(nout, "Layer: nout") * (check_count(nin, "Layer: nin") + 1)

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


_MLP_KEYS = ("nin", "nouts", "activation", "output_activation")

if TYPE_CHECKING:  # a TypeVar default (PEP 696) is typing's from Python 3.13 only
    from typing_extensions import TypeVar

    Out = TypeVar("Out", bound=Value | list[Value], default=Value)
else:
    from typing import TypeVar

    Out = TypeVar("Out")


class MLP(Module, Generic[Out]):
    """Layers in sequence: ``MLP(3, [2, 1], activation=None)`` is the notes' network.

    Hidden layers use ``activation``, the last layer ``output_activation``. Calling it returns a
    Value for one output and a list for several. For type checkers an MLP is ``MLP[Value]``
    (one output, the everyday case, so ``model(x).backward()`` type-checks); say
    ``model: MLP[list[Value]] = MLP(2, [4, 3])`` for several. ``seed`` draws the weights from
    ``random.Random(seed)`` (same seed, same weights); ``seed=None`` uses the ``random``
    module's shared generator, so ``random.seed(s)`` then ``MLP(...)`` gives micrograd's weights.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str | None = "relu",
                 output_activation: str | None = None, seed: int | None = None) -> None:
        self.nin = check_count(nin, "MLP: nin")
        self.nouts = check_sizes(nouts)
        self.activation = _activation(activation)
        self.output_activation = _activation(output_activation)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"MLP: seed must be an int or None, got {type(seed).__name__}")
        rng = None if seed is None else random.Random(seed)
        sizes = [self.nin, *self.nouts]
        last = len(self.nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], self.activation if i < last else self.output_activation,
                  rng)
            for i in range(len(self.nouts))
        ]
        self._x_labels = tuple(f"x{i + 1}" for i in range(nin))
        self._single = self.nouts[-1] == 1
        self._name()
        self._params = [p for layer in self.layers for p in layer.parameters()]
        self._forwards = [[n._forward for n in layer.neurons] for layer in self.layers]

    def _name(self) -> None:
        weight, neuron = 1, 1
        outputs = ["ŷ"] if self._single else [f"ŷ{j + 1}" for j in range(self.nouts[-1])]
        for i, layer in enumerate(self.layers):
            weight = layer._name(weight, neuron, outputs if i == len(self.layers) - 1 else None)
            neuron += layer.nout

    def __call__(self, x: SequenceLike[Number]) -> Out:
        xs = as_inputs(x, self._x_labels, "MLP")
        for neurons in self._forwards:
            xs = [forward(xs) for forward in neurons]
        out: Any = xs[0] if self._single else xs  # Out: the type parameter says which
        return out  # type: ignore[no-any-return]

    def parameters(self) -> list[Value]:
        return list(self._params)

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(f"layers.{i}.{name}", p) for i, layer in enumerate(self.layers)
                for name, p in layer.named_parameters()]

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "nouts": list(self.nouts), "activation": self.activation,
                "output_activation": self.output_activation}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MLP[Out]:
        nin, nouts, activation, output_activation = config_values(config, _MLP_KEYS)
        return cls(nin, nouts, activation, output_activation, seed=0)

    @classmethod
    def parameter_count(cls, config: Mapping[str, Any]) -> int:
        nin, nouts, _, _ = config_values(config, _MLP_KEYS)
        sizes = [check_count(nin, "MLP: nin"), *check_sizes(nouts)]
        return sum((a + 1) * b for a, b in pairwise(sizes))

    def __repr__(self) -> str:
        return (f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r})")

    def _repr_html_(self) -> str:
        """Jupyter's display: a table of every neuron's weights and bias (``mlp.display``)."""
        return mlp_html(self)
