"""Small datasets in pure Python, seeded and deterministic: moons, xor, the notes' linear f,
and the 8x8 handwritten digits shipped with the package (``digits``).

Each returns ``(X, y)``: a list of input lists and a list of float targets. Classification
sets take ``labels=(negative, positive)``, by default (-1, 1) for ``losses.hinge``; pass
``(0.0, 1.0)`` for ``losses.binary_cross_entropy``.
"""

from __future__ import annotations

import gzip
import math
import random
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple

from mlp.checks import check_count

Data = tuple[list[list[float]], list[float]]


class Split(NamedTuple):
    """A train/test split: unpack it as ``X_train, y_train, X_test, y_test = data.digits()``."""

    X_train: list[list[float]]
    y_train: list[int]
    X_test: list[list[float]]
    y_test: list[int]


DIGITS_FILE = "datasets/digits.csv.gz"
"""The digits inside the ``mlp`` package: 1,797 lines of 64 pixels (0..16) and the digit.
UCI's "Optical Recognition of Handwritten Digits", test set (E. Alpaydin, C. Kaynak, 1998,
doi:10.24432/C50P49), CC BY 4.0: see ``mlp/datasets/README.md``."""


def digits(test_fraction: float = 0.2, seed: int = 0, scale: bool = True) -> Split:
    """The 8x8 handwritten digits: 1,797 images of 64 pixels, labels the ints 0..9.

    The images are shuffled by ``random.Random(seed)`` and the first ``test_fraction`` of them
    (rounded) is the test set, the rest the training set: the same seed, the same split.
    ``scale=True`` divides the pixels (0..16) by 16, into [0, 1]; ``False`` keeps them as they
    are (as floats). ``test_fraction=0`` gives every image to training.
    """
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)):
        raise TypeError(f"digits: test_fraction must be a number, got "
                        f"{type(test_fraction).__name__} {test_fraction!r:.40}")
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"digits: test_fraction must be in [0, 1), got {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"digits: seed must be an int, got {type(seed).__name__} {seed!r:.40}")
    if not isinstance(scale, bool):
        raise TypeError(f"digits: scale must be True or False, got {type(scale).__name__}")
    images = _digit_rows()
    random.Random(seed).shuffle(images)
    factor = 1.0 / 16.0 if scale else 1.0
    X = [[p * factor for p in pixels] for pixels, _ in images]
    y = [label for _, label in images]
    k = round(len(images) * test_fraction)
    return Split(X[k:], y[k:], X[:k], y[:k])


def _digit_rows() -> list[tuple[list[float], int]]:
    """Every image of the shipped file, in the file's order: (pixels, digit)."""
    raw = resources.files("mlp").joinpath(DIGITS_FILE).read_bytes()
    rows = []
    for line in gzip.decompress(raw).decode("ascii").split():
        *pixels, label = line.split(",")
        rows.append(([float(p) for p in pixels], int(float(label))))
    return rows


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = None,
               labels: tuple[float, float] = (-1.0, 1.0)) -> Data:
    """Two interleaved half circles, ``n`` points in random order, Gaussian noise ``noise``.

    The upper moon (centre (0, 0), radius 1) has the negative label, the lower one (centre
    (1, 0.5)) the positive; the upper one gets ``n // 2`` points, evenly spaced along its arc.
    """
    check_count(n, "make_moons: n")
    _check_noise(noise, "make_moons")
    _check_labels(labels, "make_moons")
    rng = _rng(seed, "make_moons")
    upper, lower = n // 2, n - n // 2
    points = [([math.cos(t), math.sin(t)], labels[0]) for t in _arc(upper)]
    points += [([1.0 - math.cos(t), 0.5 - math.sin(t)], labels[1]) for t in _arc(lower)]
    rng.shuffle(points)
    X = [[a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)] for (a, b), _ in points]
    _check_finite(X, [], "make_moons", "the noise is")
    return X, [float(label) for _, label in points]


def _arc(k: int) -> list[float]:
    """``k`` angles evenly spaced over [0, π], both ends included."""
    if k == 1:
        return [0.0]
    return [math.pi * i / (k - 1) for i in range(k)]


def xor(labels: tuple[float, float] = (-1.0, 1.0)) -> Data:
    """The four corners of the unit square, positive where exactly one input is 1."""
    _check_labels(labels, "xor")
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    return X, [float(labels[int(a) ^ int(b)]) for a, b in X]


def linear(n: int = 20, weights: Sequence[float] = (2.0, -3.0, 0.5), bias: float = 1.0,
           noise: float = 0.0, seed: int | None = None) -> Data:
    """The notes' ``y = f(x1, x2, x3)`` with f linear: ``y = w·x + b`` plus Gaussian noise.

    Inputs are uniform in (-1, 1); by default ``y = 2·x1 − 3·x2 + 0.5·x3 + 1``, noiseless.
    """
    check_count(n, "linear: n")
    _check_noise(noise, "linear")
    if isinstance(weights, (str, bytes)) or not all(map(_is_number, weights)):
        raise TypeError(f"linear: weights must be numbers, got {type(weights).__name__} "
                        f"{weights!r:.40}")
    if not _is_number(bias):
        raise TypeError(f"linear: bias must be a number, got {type(bias).__name__}")
    if not weights:
        raise ValueError("linear: needs at least one weight")
    if not all(map(_finite, [*weights, bias])):
        raise ValueError(f"linear: weights and bias must be finite, got {weights!r:.60}, "
                         f"{bias!r:.40}")
    ws = [float(w) for w in weights]
    rng = _rng(seed, "linear")
    X = [[rng.uniform(-1.0, 1.0) for _ in ws] for _ in range(n)]
    try:
        y = [math.fsum(w * x for w, x in zip(ws, row, strict=True)) + bias for row in X]
    except OverflowError:  # fsum's "intermediate overflow"
        y = [math.inf]
    if noise:
        y = [v + rng.gauss(0.0, noise) for v in y]
    _check_finite(X, y, "linear", "the weights, bias or noise are")
    return X, y


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _finite(x: float) -> bool:
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False


def _rng(seed: object, who: str) -> random.Random:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"{who}: seed must be an int or None, got {type(seed).__name__} "
                        f"{seed!r:.40}")
    return random.Random(seed)


def _check_labels(labels: object, who: str) -> None:
    if not (isinstance(labels, (tuple, list)) and len(labels) == 2
            and all(map(_is_number, labels))):
        raise TypeError(f"{who}: labels must be two numbers (negative, positive), got "
                        f"{labels!r:.40}")
    if not all(map(_finite, labels)):
        raise ValueError(f"{who}: labels must be finite, got {labels!r:.60}")
    if labels[0] == labels[1]:
        raise ValueError(f"{who}: the two labels must differ, got {labels!r:.60}")


def _check_noise(noise: object, who: str) -> None:
    if isinstance(noise, bool) or not isinstance(noise, (int, float)):
        raise TypeError(f"{who}: noise must be a number, got {type(noise).__name__} "
                        f"{noise!r:.40}")
    if not (_finite(noise) and noise >= 0):
        raise ValueError(f"{who}: noise must be a finite number >= 0, got {noise!r}")


def _check_finite(X: list[list[float]], y: list[float], who: str, cause: str) -> None:
    """Refuse a set whose numbers overflowed a float (huge noise, weights or bias)."""
    if not all(map(math.isfinite, (v for row in X for v in row))) or not all(
            map(math.isfinite, y)):
        raise ValueError(f"{who}: {cause} so large that a number overflowed a float")
