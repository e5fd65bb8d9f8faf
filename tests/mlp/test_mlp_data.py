"""Datasets: shapes, labels, determinism under a seed, the notes' linear f."""

from __future__ import annotations

import math
from typing import Any

import pytest

from mlp import data


def test_make_moons_has_n_points_two_balanced_labels_and_is_seeded() -> None:
    X, y = data.make_moons(101, noise=0.1, seed=3)
    assert len(X) == len(y) == 101 and all(len(x) == 2 for x in X)
    assert (y.count(-1.0), y.count(1.0)) == (50, 51)
    assert data.make_moons(101, noise=0.1, seed=3) == (X, y)
    assert data.make_moons(101, noise=0.1, seed=4) != (X, y)


def test_noiseless_moons_lie_on_their_two_half_circles() -> None:
    X, y = data.make_moons(40, noise=0.0, seed=0, labels=(0.0, 1.0))
    for (a, b), label in zip(X, y, strict=True):
        cx, cy = (0.0, 0.0) if label == 0.0 else (1.0, 0.5)
        assert math.isclose(math.hypot(a - cx, b - cy), 1.0, rel_tol=1e-12)
        assert (b >= -1e-12) if label == 0.0 else (b <= 0.5 + 1e-12)


def test_xor_labels_the_corners_by_exclusive_or() -> None:
    assert data.xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
                          [-1.0, 1.0, 1.0, -1.0])
    assert data.xor(labels=(0.0, 1.0))[1] == [0.0, 1.0, 1.0, 0.0]


def test_linear_is_the_notes_y_equals_f_of_x1_x2_x3() -> None:
    X, y = data.linear(10, weights=(2.0, -3.0, 0.5), bias=1.0, seed=1)
    assert all(len(x) == 3 and all(-1.0 <= v <= 1.0 for v in x) for x in X)
    for (x1, x2, x3), target in zip(X, y, strict=True):
        assert math.isclose(target, 2 * x1 - 3 * x2 + 0.5 * x3 + 1, rel_tol=1e-14)
    assert data.linear(10, seed=1) == (X, y)


def test_linear_noise_is_seeded_gaussian() -> None:
    X, y = data.linear(2000, noise=0.5, seed=2)
    _, clean = data.linear(2000, noise=0.0, seed=2)
    residuals = [a - b for a, b in zip(y, clean, strict=True)]
    sd = math.sqrt(sum(r * r for r in residuals) / len(residuals))
    assert 0.45 < sd < 0.55
    assert data.linear(2000, noise=0.5, seed=2) == (X, y)


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="make_moons: n must be at least 1"):
        data.make_moons(0)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        data.make_moons(10, noise=-1.0)
    with pytest.raises(ValueError, match="linear: needs at least one weight"):
        data.linear(5, weights=())


@pytest.mark.parametrize(("make", "kwargs", "kind", "words"), [
    (data.make_moons, {"labels": ("a", "b")}, TypeError,
     r"^make_moons: labels must be two numbers \(negative, positive\), got \('a', 'b'\)"),
    (data.make_moons, {"labels": (1.0,)}, TypeError, r"^make_moons: labels must be two"),
    (data.xor, {"labels": 0.0}, TypeError, r"^xor: labels must be two numbers"),
    (data.linear, {"weights": "ab"}, TypeError, r"^linear: weights must be numbers, got str"),
    (data.linear, {"bias": "1"}, TypeError, r"^linear: bias must be a number, got str"),
    (data.linear, {"weights": [math.nan]}, ValueError,
     r"^linear: weights and bias must be finite"),
])
def test_bad_labels_weights_and_bias_are_named(make: Any, kwargs: dict[str, Any],
                                               kind: type[Exception], words: str) -> None:
    with pytest.raises(kind, match=words):
        make(**kwargs)


@pytest.mark.parametrize(("make", "kwargs", "kind", "words"), [
    (data.make_moons, {"labels": (math.nan, 1.0)}, ValueError,
     r"^make_moons: labels must be finite, got \(nan, 1\.0\)"),
    (data.make_moons, {"labels": (-1.0, math.inf)}, ValueError, r"labels must be finite"),
    (data.make_moons, {"labels": (0, 10**400)}, ValueError, r"labels must be finite"),
    (data.make_moons, {"labels": (True, False)}, TypeError, r"labels must be two numbers"),
    (data.make_moons, {"labels": (1.0, 1.0)}, ValueError, r"the two labels must differ"),
    (data.xor, {"labels": (0.0, math.nan)}, ValueError, r"^xor: labels must be finite"),
    (data.make_moons, {"noise": True}, TypeError, r"^make_moons: noise must be a number, got bool"),
    (data.make_moons, {"noise": "0.1"}, TypeError, r"noise must be a number, got str"),
    (data.make_moons, {"noise": math.nan}, ValueError, r"noise must be a finite number >= 0"),
    (data.make_moons, {"noise": 1e308}, ValueError,
     r"^make_moons: the noise is so large that a number overflowed"),
    (data.make_moons, {"seed": 1.5}, TypeError, r"^make_moons: seed must be an int or None"),
    (data.make_moons, {"seed": True}, TypeError, r"seed must be an int or None, got bool"),
    (data.linear, {"seed": "a"}, TypeError, r"^linear: seed must be an int or None"),
    (data.linear, {"weights": [10**400]}, ValueError, r"^linear: weights and bias must be finite"),
    (data.linear, {"bias": 10**400}, ValueError, r"^linear: weights and bias must be finite"),
    (data.linear, {"weights": [1e308] * 3, "n": 50, "seed": 0}, ValueError,
     r"^linear: the weights, bias or noise are so large that a number overflowed"),
    (data.linear, {"weights": [1e308, -1e308], "bias": 1e308, "seed": 0}, ValueError,
     r"^linear: the weights, bias or noise are so large that a number overflowed"),
], ids=["nan-label", "inf-label", "huge-int-label", "bool-labels", "equal-labels", "xor-nan",
        "bool-noise", "str-noise", "nan-noise", "huge-noise", "float-seed", "bool-seed",
        "str-seed", "huge-int-weight", "huge-int-bias", "overflowing-weights",
        "overflowing-bias"])
def test_nan_bool_and_overflowing_arguments_are_refused_by_name(
        make: Any, kwargs: dict[str, Any], kind: type[Exception], words: str) -> None:
    # Was: NaN and bool labels, bool noise and float seeds were taken; huge ints raised a bare
    # OverflowError; huge noise or weights gave inf in X or y.
    with pytest.raises(kind, match=words):
        make(**kwargs)


def test_int_labels_and_seeds_are_fine() -> None:
    _, y = data.make_moons(6, noise=0, seed=3, labels=(0, 1))
    assert sorted(set(y)) == [0.0, 1.0] and all(type(v) is float for v in y)
