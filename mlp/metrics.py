"""Metrics fit records per epoch: ``metric(y_true, y_pred)`` on plain numbers, a number out.

``y_true`` holds the epoch's targets, ``y_pred`` the model's scores for the same samples (a
number per sample for a model of one output, a list of numbers for several). ``METRICS`` names
the built-in ones, for ``fit(..., metrics=["accuracy"])``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.reals import is_int_like, real_number
from mlp.checks import is_sequence

Metric = Callable[[Sequence[Any], Sequence[Any]], float]
"""``metric(y_true, y_pred)`` on plain numbers: targets and predicted scores (lists for
several outputs), for the whole epoch; returns a number."""


def accuracy(y_true: Sequence[Any], y_pred: Sequence[Any]) -> float:
    """The fraction of samples classified right.

    Several outputs (a list of scores per sample): the predicted class is the index of the
    largest score (the first of equal ones), the true class is the target if it is a class
    index, or the index of the largest entry of a one-hot (or probability) target, as for
    ``losses.cross_entropy``. One output (a number, or a list of one): the class is the side of
    0, ``value > 0``, right for ±1 targets with raw scores (hinge) and for 0/1 targets with
    logits (binary cross entropy); for a sigmoid output, give your own metric with threshold
    0.5.
    """
    for what, items in (("y_true", y_true), ("y_pred", y_pred)):
        if not is_sequence(items):
            raise TypeError(f"accuracy: {what} must be a list (one item per sample), got "
                            f"{type(items).__name__}")
    if len(y_true) != len(y_pred):
        raise ValueError(f"accuracy: {len(y_true)} targets for {len(y_pred)} predictions: "
                         "give one target per prediction")
    if len(y_true) == 0:
        raise ValueError("accuracy: no outputs to score (y_true and y_pred are empty)")
    right = sum(_correct(t, s, i) for i, (t, s) in enumerate(zip(y_true, y_pred, strict=True)))
    return right / len(y_true)


def _correct(target: Any, scores: Any, i: int) -> bool:
    """Whether sample ``i``'s scores pick its target's class."""
    if is_sequence(scores) and len(scores) == 1:
        scores = scores[0]
        if is_sequence(target) and len(target) == 1:
            target = target[0]
    if not is_sequence(scores):
        if is_sequence(target):
            raise ValueError(f"accuracy: item {i} pairs a list target with one score")
        return (_number(scores, i, "y_pred") > 0) == (_number(target, i, "y_true") > 0)
    classes = len(scores)
    predicted = _argmax([_number(s, i, "y_pred") for s in scores])
    if is_sequence(target):
        if len(target) != classes:
            raise ValueError(f"accuracy: item {i} has {len(target)} targets for {classes} "
                             "scores")
        return predicted == _argmax([_number(t, i, "y_true") for t in target])
    return predicted == _class_index(target, classes, i)


def _class_index(target: Any, classes: int, i: int) -> int:
    number = None if isinstance(target, bool) else real_number(target)
    if number is None or not (is_int_like(target) or number.is_integer()):
        raise TypeError(f"accuracy: the target of item {i} must be a class index (an int) or "
                        f"a list of one number per class, got {type(target).__name__} "
                        f"{target!r:.40}")
    if not 0 <= number < classes:
        raise ValueError(f"accuracy: class index {target!r:.40} of item {i} is not in "
                         f"range({classes})")
    return int(number)


def _argmax(xs: list[float]) -> int:
    return max(range(len(xs)), key=xs.__getitem__)


def _number(x: Any, i: int, where: str) -> float:
    number = real_number(getattr(x, "data", x))  # a Value's number counts
    if number is None:
        raise TypeError(f"accuracy: {where} of item {i} must be a number, got "
                        f"{type(x).__name__} {x!r:.40}")
    return number


def metric_number(name: str, result: object) -> float:
    """A metric's result as the float History records; anything else names the metric."""
    number = real_number(result)
    if number is None:
        raise TypeError(f"fit: metric {name!r} must return a number, got "
                        f"{type(result).__name__} {result!r:.40}")
    return number


METRICS: dict[str, Metric] = {"accuracy": accuracy}


def named_metrics(metrics: Sequence[str | Metric]) -> dict[str, Metric]:
    """fit's ``metrics`` argument as {name: function}, every item checked."""
    if isinstance(metrics, str):
        raise TypeError(f"fit: metrics must be a list of names or functions, e.g. "
                        f"metrics=[{metrics!r}]")
    named: dict[str, Metric] = {}
    for m in metrics:
        if isinstance(m, str):
            if m not in METRICS:
                raise ValueError(f"fit: unknown metric {m!r}: valid are {', '.join(METRICS)}")
            named[m] = METRICS[m]
        elif callable(m):
            named[getattr(m, "__name__", "metric")] = m
        else:
            raise TypeError(f"fit: a metric must be a name or a function, got {type(m).__name__}")
    return named
