"""chainrule's mlp: neurons, layers and an MLP built on autograd Values, and their training.

A first look::

    from mlp import MLP, losses, optim, fit, data

    X, y = data.make_moons(100, noise=0.1, seed=0)      # labels -1 and 1
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    history = fit(model, X, y, losses.hinge, opt, epochs=50)
    model([0.5, -0.2])                                 # a Value; under no_grad(), no graph
    model.save("moons.json"); MLP.load("moons.json")   # JSON, checked when read

``MLP(3, [2, 1], activation=None)`` is the notes' network: N1, N2, then ŷ. In Jupyter an MLP
displays as a table of its neurons' weights and biases, and ``fit`` shows the notebook's bar.
"""

from mlp import data, losses, metrics, optim
from mlp.layers import MLP, Layer, Neuron
from mlp.module import Module
from mlp.train import History, fit

__all__ = ["MLP", "History", "Layer", "Module", "Neuron", "data", "fit", "losses", "metrics",
           "optim"]

