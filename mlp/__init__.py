"""chainrule's mlp: neurons, layers and an MLP built on autograd Values, and their training.

    from mlp import MLP, losses, optim, fit, data
"""

from mlp import data, losses, optim
from mlp.layers import MLP, Layer, Neuron
from mlp.module import Module
from mlp.train import History, fit

__all__ = ["MLP", "History", "Layer", "Module", "Neuron", "data", "fit", "losses", "optim"]
