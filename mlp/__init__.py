"""chainrule's mlp: neurons, layers and an MLP built on autograd Values."""

from mlp import data, losses, optim
from mlp.layers import MLP, Layer, Neuron
from mlp.module import Module

__all__ = ["MLP", "Layer", "Module", "Neuron", "data", "losses", "optim"]
