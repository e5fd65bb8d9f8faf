"""Loss functions: Values in, one Value out, built from table ops so they differentiate.

Each loss takes ``(y_true, y_pred)``: two lists of the same length whose items are numbers or
Values, or lists of them for a model with several outputs, or else one number or Value each (a
single pair). The loss is the mean over every (target, prediction) pair, except
``cross_entropy``'s, which is the mean over samples of a loss of all of a sample's outputs. Sums use
``autograd.total``, one n-ary node, so a loss over 100 points is not a chain of 100 additions.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from typing import TypeGuard

from autograd import Value, logsumexp, sum_of_squares, total, weighted_sum
from autograd.reals import describe_large, is_int_like, real_number
from mlp.checks import Number, SequenceLike, is_sequence

Scalar = Value | float
Batch = Number | SequenceLike[Number | SequenceLike[Number]]
"""A batch of targets or predictions: one scalar, or a list of scalars or lists of them (as
``[model(x) for x in X]`` gives for a model of one or of several outputs)."""


def mse(y_true: Batch, y_pred: Batch) -> Value:
    """The notes' mean squared error: ``(1/n) Σ (yᵢ − ŷᵢ)²``.

    Its nodes carry the notes' names (``y − ŷ``, ``(y − ŷ)²``, ``Σ(y − ŷ)²``; a target given
    as a number becomes a Value labelled ``y``), so drawings and ``explain`` read like the
    notes; name the result yourself (``loss.label = "L"``).
    """
    pairs = _pairs(y_true, y_pred, "mse")
    squares = []
    for y, p in pairs:
        error = (y if isinstance(y, Value) else Value(y, label="y")) - p
        error.label = "y − ŷ"
        square = error**2
        square.label = "(y − ŷ)²"
        squares.append(square)
    summed = total(squares)
    summed.label = "Σ(y − ŷ)²"
    return summed / len(pairs)


def hinge(y_true: Batch, y_pred: Batch) -> Value:
    """Max-margin loss, the mean of ``relu(1 − y·score)``; targets must be −1 or +1."""
    pairs = _pairs(y_true, y_pred, "hinge")
    for i, (y, _) in enumerate(pairs):
        if _data(y) not in (-1.0, 1.0):
            raise ValueError(f"hinge: targets must be -1 or 1, got {_data(y)!r} at index {i}")
    return total([(1 - y * p).relu() for y, p in pairs]) / len(pairs)


def binary_cross_entropy(y_true: Batch, logits: Batch) -> Value:
    """Mean of ``log(1 + exp(z)) − y·z`` for raw scores (logits) z and targets y in [0, 1].

    ``log(1 + exp(z))`` is computed as ``relu(z) + log(1 + exp(−|z|))``, with ``−|z|``
    written as ``(z − relu(z)) − relu(z)``: the same number, but its slope at z = 0 is 1
    rather than abs's 0, so the gradient there is the true ``σ(0) − y``. Every step stays
    within ``|z| + 1``, so each pair's loss is finite for every finite z, up to 1.7e308; only
    the sum of several such losses (logits near the float range) can overflow, and that
    raises ``OverflowError`` naming the sum.
    """
    pairs = _pairs(y_true, logits, "binary_cross_entropy")
    for i, (y, _) in enumerate(pairs):
        if not 0.0 <= _data(y) <= 1.0:
            raise ValueError(
                f"binary_cross_entropy: targets must be in [0, 1], got {_data(y)!r} at index {i}"
            )
    terms = []
    for y, z in pairs:
        r = z.relu()
        # (z - r) - r, not z - 2*r: 2*r overflows for z above 9e307.
        terms.append(r + (1 + ((z - r) - r).exp()).log() - y * z)
    return total(terms) / len(pairs)


def cross_entropy(y_true: object, logits: object) -> Value:
    """PyTorch's ``F.cross_entropy`` (mean reduction): the mean over samples of
    ``−log softmax(z)[k]`` for logits z and the true class k.

    ``logits`` is one list of raw scores per sample (``[model(x) for x in X]`` for a model of
    one output per class), or one such list for a single sample. Each target is the class
    index (an int in ``range(classes)``) or a list of class probabilities (one-hot, or
    smoothed: numbers in [0, 1] that sum to 1), for which the loss is
    ``Σₖ pₖ·(logsumexp(z) − zₖ)`` = ``−Σₖ pₖ·log softmax(z)ₖ``. ``logsumexp`` is one stable
    node, so logits of ±1000 give finite, right losses and gradients (``softmax(z) − p``).
    """
    samples = _class_samples(y_true, logits)
    terms = []
    for target, z in samples:
        lse = logsumexp(z)
        if isinstance(target, int):
            terms.append(lse - z[target])
        else:  # one node: the probabilities weigh each class's lse - z_k
            terms.append(weighted_sum(target, [lse - zk for zk in z], 0.0))
    return total(terms) / len(terms)


def _class_samples(y_true: object, logits: object) -> list[tuple[int | list[Scalar],
                                                                  list[Value]]]:
    """(target, logits as Values) per sample, every shape and target checked."""
    name = "cross_entropy"
    if not is_sequence(logits):
        raise TypeError(f"{name}: logits must be a list of scores (one per class), or a list "
                        f"of such lists (one per sample), got {type(logits).__name__}")
    rows: Sequence[object] = logits  # type: ignore[assignment]
    if len(rows) and all(map(_is_scalar, rows)):  # one sample's scores
        ys, rows = [y_true], [rows]
    else:
        if not is_sequence(y_true):
            raise TypeError(f"{name}: y_true must be a list of targets (one per sample), got "
                            f"{type(y_true).__name__}")
        ys = list(y_true)  # type: ignore[call-overload]
    if len(ys) != len(rows):
        raise ValueError(f"{name}: {len(ys)} targets for {len(rows)} predictions")
    if not rows:
        raise ValueError(f"{name}: needs at least one sample")
    samples = []
    for i, (y, row) in enumerate(zip(ys, rows, strict=True)):
        z = _logit_row(row, i)
        samples.append((_class_target(y, len(z), i), z))
    return samples


def _logit_row(row: object, i: int) -> list[Value]:
    if not is_sequence(row):
        raise TypeError(f"cross_entropy: logits[{i}] must be a list of scores, got "
                        f"{type(row).__name__}")
    items = list(row)  # type: ignore[call-overload]
    if not items:
        raise ValueError(f"cross_entropy: item {i} has no logits")
    for k, v in enumerate(items):
        if not _is_scalar(v):
            raise TypeError(f"cross_entropy: logits[{i}][{k}] must be a number or a Value, got "
                            f"{type(v).__name__}")
    return [_pair(0.0, v, "cross_entropy")[1] for v in items]


def _class_target(y: object, classes: int, i: int) -> int | list[Scalar]:
    """A class index as an int, or a sample's class probabilities, checked."""
    name = "cross_entropy"
    if is_sequence(y):
        probs: list[Scalar] = []
        for p in y:  # type: ignore[attr-defined]
            if not _is_scalar(p):
                raise TypeError(f"{name}: target probabilities must be numbers, got "
                                f"{type(p).__name__} in item {i}")
            probs.append(p if isinstance(p, (Value, float)) else _target(p, name))
        if len(probs) != classes:
            raise ValueError(f"{name}: item {i} has {len(probs)} targets for {classes} classes")
        for p in probs:
            if not 0.0 <= _data(p) <= 1.0:
                raise ValueError(f"{name}: target probabilities must be in [0, 1], got "
                                 f"{_data(p)!r} in item {i}")
        mass = sum(_data(p) for p in probs)
        if abs(mass - 1.0) > 1e-6:
            raise ValueError(f"{name}: the targets of item {i} sum to {mass:.6g}, not 1: give "
                             "a class index, or class probabilities")
        return probs
    if isinstance(y, bool) or not is_int_like(y):
        raise TypeError(f"{name}: a class index must be an int, got {type(y).__name__} "
                        f"{y!r:.40} at index {i} (or give the class probabilities as a list)")
    k = operator.index(y)  # type: ignore[arg-type]  # is_int_like: it has __index__
    if not 0 <= k < classes:
        raise ValueError(f"{name}: class index {k} at index {i} is not in range({classes})")
    return k


def l2(params: Iterable[Scalar]) -> Value:
    """``Σ p²`` over the parameters (0 for none): add ``alpha * l2(model.parameters())``.

    It is ONE node, ``sumsq`` (``autograd.sum_of_squares``), with one edge per parameter and
    the partial 2p on each: 337 parameters make one node, not 674.
    """
    return sum_of_squares(params)


def _data(x: Scalar) -> float:
    return x.data if isinstance(x, Value) else x


def _is_scalar(x: object) -> TypeGuard[Scalar]:
    """A Value or a real number (numpy's scalars too; see ``autograd.reals``)."""
    if isinstance(x, Value) or type(x) is float:
        return True
    try:
        return real_number(x) is not None
    except OverflowError:
        return True  # a number, too large: Value() says so, naming it


def _pairs(y_true: Batch, y_pred: Batch, name: str) -> list[tuple[Scalar, Value]]:
    """Matching (target, prediction) pairs, the predictions as Values; checks the shapes."""
    if _is_scalar(y_true) and _is_scalar(y_pred):
        return [_pair(y_true, y_pred, name)]
    ys, ps = _items(y_true, name, "y_true"), _items(y_pred, name, "y_pred")
    if len(ys) != len(ps):
        raise ValueError(f"{name}: {len(ys)} targets for {len(ps)} predictions")
    if len(ys) == 0:  # not "not ys": a numpy array has no truth value
        raise ValueError(f"{name}: needs at least one (target, prediction) pair")
    pairs = []
    for i, (y, p) in enumerate(zip(ys, ps, strict=True)):
        if _is_scalar(y) and _is_scalar(p):
            pairs.append(_pair(y, p, name))
            continue
        # Each side is checked on its own, so a bad item is blamed on the side it is on.
        yi = None if _is_scalar(y) else _items(y, name, f"y_true[{i}]")
        pi = None if _is_scalar(p) else _items(p, name, f"y_pred[{i}]")
        if yi is None or pi is None:
            raise ValueError(f"{name}: item {i} pairs a {_kind(y)} target with a {_kind(p)} "
                             "prediction: give one target per output")
        if len(yi) != len(pi):
            raise ValueError(f"{name}: item {i} has {len(yi)} targets for {len(pi)} outputs")
        for k, (a, b) in enumerate(zip(yi, pi, strict=True)):
            if not (_is_scalar(a) and _is_scalar(b)):
                raise TypeError(f"{name}: item [{i}][{k}] must be a number or a Value")
            pairs.append(_pair(a, b, name))
    return pairs


def _pair(y: Scalar, p: Scalar, name: str) -> tuple[Scalar, Value]:
    # A numpy target becomes a float: the loss's arithmetic stays Python's.
    return y if isinstance(y, (Value, float)) else _target(y, name), \
        p if isinstance(p, Value) else Value(p)


def _target(y: object, name: str) -> float:
    try:
        number = real_number(y)
    except OverflowError:
        raise OverflowError(f"{name}: a target, {describe_large(y)}, is too large for a "
                            "float") from None
    assert number is not None  # _is_scalar(y) held
    return number


def _kind(x: object) -> str:
    return "list" if is_sequence(x) else type(x).__name__


def _items(x: object, name: str, what: str) -> Sequence[object]:
    if not is_sequence(x):
        raise TypeError(f"{name}: {what} must be a number, a Value or a list of them, "
                        f"got {type(x).__name__}")
    return x  # type: ignore[return-value]  # a numpy array, say: len() and indexing
