"""A run's settings made real: its data, its network, its loss, its optimizer and fit's step.

Everything here is what a user of ``mlp`` would write by hand for the same settings
(``data.make_moons``, ``MLP``, ``losses.hinge``, ``optim.SGD``), and the step is fit's own
(``mlp.train.make_step``), so a run in the lab computes what ``fit`` computes, number for number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import autograd
from mlp import data, losses, optim
from mlp.lab.config import RunConfig
from mlp.layers import MLP
from mlp.train import Step, make_step

LOSS_FUNCTIONS: dict[str, Callable[[Any, Any], autograd.Value]] = {
    "hinge": losses.hinge, "mse": losses.mse,
    "binary_cross_entropy": losses.binary_cross_entropy, "cross_entropy": losses.cross_entropy,
}
NOISE = 0.1
"""The noise of moons and linear in the lab, as in the demos."""


@dataclass
class Setup:
    """One run's parts, built from its ``RunConfig``."""

    config: RunConfig
    model: MLP[Any]
    X: list[list[float]]
    y: list[Any]
    loss: Callable[[Any, Any], autograd.Value]
    optimizer: optim.Optimizer
    step: Step
    scores: autograd.Program
    """The model's forward pass compiled: the scores for the accuracy (``scores.values(X)``)."""
    X_test: list[list[float]] | None = None
    y_test: list[Any] | None = None

    @property
    def classes(self) -> int:
        return self.model.nouts[-1]

    @property
    def sizes(self) -> list[int]:
        return [self.model.nin, *self.model.nouts]

    @property
    def classifies(self) -> bool:
        return self.config.dataset != "linear"


def build(config: RunConfig) -> Setup:
    """The data, the network (``MLP(nin, [*hidden, nout], activation, seed=seed)``), the loss,
    the optimizer and fit's step for ``config``."""
    X, y, X_test, y_test = _data(config)
    nout = 10 if config.dataset == "digits" else 1
    activation = None if config.activation == "linear" else config.activation
    model: MLP[Any] = MLP(len(X[0]), [*config.hidden, nout], activation=activation,
                          seed=config.seed)
    loss = LOSS_FUNCTIONS[config.loss]
    optimizer = _optimizer(config, model.parameters())
    step = make_step(model, X, y, loss, optimizer)
    scores = autograd.compile(model, X[0])
    return Setup(config, model, X, y, loss, optimizer, step, scores, X_test, y_test)


def _data(config: RunConfig) -> tuple[list[list[float]], list[Any], list[list[float]] | None,
                                      list[Any] | None]:
    labels = (0.0, 1.0) if config.loss == "binary_cross_entropy" else (-1.0, 1.0)
    if config.dataset == "moons":
        X, y = data.make_moons(config.points, noise=NOISE, seed=config.seed, labels=labels)
    elif config.dataset == "xor":
        X, y = data.xor(labels)
    elif config.dataset == "linear":
        X, y = data.linear(config.points, noise=NOISE, seed=config.seed)
    else:
        split = data.digits()
        return split.X_train, list(split.y_train), split.X_test, list(split.y_test)
    return X, list(y), None, None


def _optimizer(config: RunConfig, params: list[autograd.Value]) -> optim.Optimizer:
    if config.optimizer == "adam":
        return optim.Adam(params, lr=config.lr)
    if config.optimizer == "adamw":
        return optim.AdamW(params, lr=config.lr)
    return optim.SGD(params, lr=config.lr, momentum=config.momentum)
