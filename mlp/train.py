"""fit(): the notes' loop — forward, loss, backward, gradient step — over batches and epochs.

Each epoch's loss (and any metric) is measured on the forward passes the epoch already makes,
before each step, weighted by batch size, as Keras reports it.

The step is compiled (``autograd.compile``) when fit can vouch that it computes the same
thing: an ``MLP``, ``Layer`` or ``Neuron`` of this package (their forward pass has no Python
branch on data) with one of ``losses``' mean-over-pairs losses (``mse``, ``hinge``,
``binary_cross_entropy``), whose loss over a batch is the mean of the per-sample losses. Then a
batch is ``prog.mean(X_batch, y_batch)``, one node, and the results equal the eager loop's to
rounding. Any other model or loss (which need not split into per-sample terms) runs the plain
eager loop: ``preds = [model(x) for x in X]; value = loss(y, preds); backward; step``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

import autograd
from autograd import Value, enable_grad, no_grad
from autograd.reals import real_number
from mlp import losses
from mlp.checks import SequenceLike, is_sequence
from mlp.layers import MLP, Layer, Neuron
from mlp.metrics import METRICS, Metric, accuracy, metric_number, named_metrics
from mlp.optim import DivergedError

__all__ = ["MEAN_LOSSES", "METRICS", "TRACEABLE", "History", "Metric", "Step", "Steps", "accuracy",
           "fit", "make_step"]

MEAN_LOSSES = (losses.mse, losses.hinge, losses.binary_cross_entropy, losses.cross_entropy)
"""Losses whose value on a batch is the mean of their values on its samples."""
TRACEABLE = (MLP, Layer, Neuron)
"""Models whose graph is the same for every input: compiled once, it computes them."""

class Steps(Protocol):
    """What fit() needs of an optimizer (``mlp.optim.SGD`` and ``Adam`` are ones)."""

    def zero_grad(self) -> None: ...
    def step(self) -> None: ...


@dataclass
class History:
    """Per-epoch results: ``history.loss``, ``history["accuracy"]``; ``len()`` is the epochs run."""

    loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.loss)

    def __getitem__(self, name: str) -> list[float]:
        return self.loss if name == "loss" else self.metrics[name]


def fit(  # noqa: PLR0917 (the positional order is the issue's: model, data, loss, optimizer)
        model: Callable[[Sequence[float]], Value | list[Value]], X: SequenceLike[SequenceLike[Any]],
        y: SequenceLike[Any], loss: Callable[[list[Any], list[Any]], Value], optimizer: Steps,
        epochs: int, *, batch_size: int | None = None, seed: int | None = None,
        progress: bool = True, callback: Callable[[int, History], bool | None] | None = None,
        metrics: Sequence[str | Metric] = ()) -> History:
    """Train ``model`` on ``(X, y)`` for ``epochs`` epochs and return the History.

    ``loss(y_batch, predictions)`` returns a Value (e.g. ``losses.mse``). ``batch_size=None``
    is full-batch gradient descent, in data order; otherwise each epoch shuffles the samples
    with ``random.Random(seed)`` (``seed=None``: unseeded) and steps once per batch.
    ``progress`` shows a tqdm bar with the epoch and the loss; ``False`` prints nothing.
    ``callback(epoch, history)`` runs after each epoch (epoch counts from 0); returning True
    stops training. ``metrics``: names from ``METRICS`` ("accuracy") or functions
    ``metric(y_true, y_pred)``, recorded per epoch in ``history[name]``.

    The graphs are recorded even inside ``no_grad()``. An inf or nan in ``X`` or ``y`` is a
    ``ValueError`` naming it, before any step. An overflow after the first epoch, or a
    non-finite loss, raises ``FloatingPointError``: training diverged. The step is compiled
    where fit can vouch for it (see the module's text).
    """
    n = _check(X, y, epochs, batch_size, seed)
    _check_parts(model, loss, optimizer, callback)
    named = named_metrics(metrics)
    step = make_step(model, X, y, loss, optimizer, keep=bool(named))
    history = History(metrics={name: [] for name in named})
    size = n if batch_size is None else batch_size
    rng = random.Random(seed)
    order = list(range(n))
    bar: Any = None
    if progress:
        from tqdm.auto import tqdm  # the notebook bar in Jupyter, the text bar elsewhere

        bar = tqdm(total=epochs, desc="fit", unit="epoch")
    for epoch in range(epochs):
        if batch_size is not None:
            rng.shuffle(order)
        mean, scores = _checked_epoch(epoch, step, X, y, order=order, size=size)
        history.loss.append(mean)
        targets = [y[i] for i in order]
        for name, metric in named.items():
            history.metrics[name].append(metric_number(name, metric(targets, scores)))
        if bar is not None:
            bar.update()
            bar.set_postfix(loss=f"{mean:.4g}")
        if callback is not None and callback(epoch, history):
            break
    if bar is not None:
        bar.close()
    return history


def _checked_epoch(epoch: int, *args: Any, **kwargs: Any) -> tuple[float, list[Any]]:
    """``_epoch``, with an overflow or a non-finite loss after the first epoch reported as
    divergence (``FloatingPointError``)."""
    try:
        mean, scores = _epoch(*args, **kwargs)
    except OverflowError as e:
        if epoch == 0:  # nothing has been learned yet: the data or the model overflow
            raise
        if isinstance(e, DivergedError):  # an optimizer's step, which says so itself
            raise FloatingPointError(f"fit: in epoch {epoch}, {e}") from e
        raise FloatingPointError(f"fit: {e} in epoch {epoch}: training diverged (try a "
                                 "smaller learning rate)") from e
    if not math.isfinite(mean):
        raise FloatingPointError(f"fit: the loss is {mean} in epoch {epoch}: training "
                                 "diverged (try a smaller learning rate)")
    return mean, scores


Step = Callable[[list[Sequence[float]], list[Any]], tuple[float, list[Any]]]
"""One batch's forward, loss, backward and update: returns the loss and (if kept) the scores."""


def _epoch(step: Step, X: SequenceLike[Any], y: SequenceLike[Any], *, order: list[int],
           size: int) -> tuple[float, list[Any]]:
    """One pass over the data in ``order``; the mean loss and the scores (if kept)."""
    weighted = 0.0
    scores: list[Any] = []
    for start in range(0, len(order), size):
        batch = order[start : start + size]
        value, batch_scores = step([X[i] for i in batch], [y[i] for i in batch])
        weighted += value * len(batch)
        scores.extend(batch_scores)
    return weighted / len(order), scores


def make_step(model: Callable[[Sequence[float]], Value | list[Value]],
              X: SequenceLike[Any], y: SequenceLike[Any],
              loss: Callable[[list[Any], list[Any]], Value], optimizer: Steps, *,
              keep: bool = False) -> Step:
    """The step fit runs on every batch: ``step(X_batch, y_batch)`` does forward, loss,
    backward and ``optimizer.step()``, and returns the batch's loss (and, with ``keep``, the
    scores before the update). Compiled if fit can vouch for it (see the module's text), else
    eager. The live lab (``mlp.lab``) trains with this same step, so its numbers are fit's."""
    if not (type(model) in TRACEABLE and any(loss is m for m in MEAN_LOSSES)):
        return partial(_eager_step, model, loss, optimizer, keep=keep)
    with no_grad():  # the loss's own checks of every target (and shape), once, eagerly
        outputs = model(X[0])
        if loss is losses.cross_entropy and not isinstance(outputs, list):
            raise ValueError("fit: cross_entropy needs one output (logit) per class, and the "
                             "model has one output: for two classes use "
                             "binary_cross_entropy, or give the model an output per class")
        loss(list(y), [model(x) for x in X])
    classes = len(outputs) if isinstance(outputs, list) else 1
    encode = partial(_one_hot, classes) if loss is losses.cross_entropy else None

    def per_sample(x: Any, target: Any) -> Value:
        return loss(target, model(x))  # type: ignore[arg-type]  # one sample: no lists

    prog = autograd.compile(per_sample, X[0], y[0] if encode is None else encode([y[0]])[0])
    scores = autograd.compile(model, X[0]) if keep else None
    return partial(_compiled_step, prog, scores, optimizer, encode=encode)


def _one_hot(classes: int, targets: list[Any]) -> list[Any]:
    """Class indices as one-hot lists (probability lists stay): a compiled program takes
    numbers, never an index into its graph, and ``cross_entropy`` gives the same loss."""
    return [t if isinstance(t, (list, tuple)) or is_sequence(t)
            else [1.0 if k == t else 0.0 for k in range(classes)] for t in targets]


def _compiled_step(prog: autograd.Program, scores: autograd.Program | None, optimizer: Steps,
                   X: list[Sequence[float]], y: list[Any], *,
                   encode: Callable[[list[Any]], list[Any]] | None) -> tuple[float, list[Any]]:
    """The batch's mean loss as ONE compiled node; the scores from a forward-only program."""
    kept = scores.values(X) if scores is not None else []  # before the step, as eagerly
    with enable_grad():
        value = prog.mean(X, y if encode is None else encode(y))
    optimizer.zero_grad()
    value.backward()
    optimizer.step()
    return value.data, kept


def _eager_step(model: Callable[[Sequence[float]], Value | list[Value]],
                loss: Callable[[list[Any], list[Any]], Value], optimizer: Steps,
                X: list[Sequence[float]], y: list[Any], *, keep: bool) -> tuple[float, list[Any]]:
    """Forward, loss, backward, update on one batch, eagerly (recorded even in no_grad)."""
    with enable_grad():
        preds = [model(x) for x in X]
        value = loss(y, preds)
    if not isinstance(value, Value):
        raise TypeError(f"fit: loss must return a Value, got {type(value).__name__}")
    optimizer.zero_grad()
    value.backward()
    optimizer.step()
    scores = [p.data if isinstance(p, Value) else [v.data for v in p] for p in preds] if keep \
        else []
    return value.data, scores


def _check(X: SequenceLike[Any], y: SequenceLike[Any], epochs: int, batch_size: int | None,
           seed: int | None) -> int:
    for name, data, what in (("X", X, "samples"), ("y", y, "targets")):
        if not is_sequence(data):  # a list, or a numpy array
            raise TypeError(f"fit: {name} must be a list of {what}, got {type(data).__name__}")
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} samples in X but {len(y)} targets in y")
    if len(X) == 0:
        raise ValueError("fit: no samples")
    for what, v, low in (("epochs", epochs, 0), ("batch_size", batch_size, 1)):
        if v is None and what == "batch_size":
            continue
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"fit: {what} must be an int, got {type(v).__name__}")
        if v < low:
            raise ValueError(f"fit: {what} must be >= {low}, got {v}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"fit: seed must be an int or None, got {type(seed).__name__}")
    _check_finite(X, "X", depth=2)
    _check_finite(y, "y", depth=2)
    return len(X)


def _check_finite(items: SequenceLike[Any], where: str, depth: int) -> None:
    """Refuse an inf or nan among the numbers of the data (a sample's, or a target's), before
    any step: training on it would make every weight nan and look like divergence. Items that
    are not numbers are the model's and the loss's to judge."""
    for i, item in enumerate(items):
        if depth > 1 and is_sequence(item):
            _check_finite(item, f"{where}[{i}]", depth - 1)
            continue
        try:
            number = item.data if isinstance(item, Value) else real_number(item)
        except OverflowError:
            continue  # a number too large for a float: Value() names it, as it always has
        if number is not None and not math.isfinite(number):
            raise ValueError(f"fit: {where}[{i}] is {number}: the data must be finite numbers "
                             "(training on it would make every weight nan)")


def _check_parts(model: Any, loss: Any, optimizer: Any, callback: Any) -> None:
    if not callable(model):
        raise TypeError(f"fit: model must be callable (a sample in, its prediction out), e.g. "
                        f"an MLP; got {type(model).__name__}")
    if callback is not None and not callable(callback):
        raise TypeError(f"fit: callback must be callable or None, got {type(callback).__name__}")
    if not callable(loss):
        raise TypeError(f"fit: loss must be callable, e.g. losses.mse, got "
                        f"{type(loss).__name__}")
    if not (callable(getattr(optimizer, "zero_grad", None))
            and callable(getattr(optimizer, "step", None))):
        raise TypeError(f"fit: optimizer must have zero_grad() and step(), e.g. "
                        f"optim.SGD(model.parameters(), lr=0.1); got {type(optimizer).__name__}")
    stepped, owned = getattr(optimizer, "params", None), getattr(model, "parameters", None)
    if stepped is not None and callable(owned):
        mine = set(owned())
        if mine and not any(p in mine for p in stepped):
            raise ValueError("fit: the optimizer steps none of the model's parameters (was it "
                             "made for another model?)")
