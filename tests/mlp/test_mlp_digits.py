"""mlp.data.digits: the 8x8 handwritten digits shipped with the package, split by a seed."""

from __future__ import annotations

from collections import Counter

import pytest

from mlp import data

# The UCI test set's class sizes: the file's own counts, which any copy of it must have.
CLASS_SIZES = {0: 178, 1: 182, 2: 177, 3: 183, 4: 181, 5: 182, 6: 181, 7: 179, 8: 174, 9: 180}


def test_every_image_has_64_pixels_and_a_digit_label() -> None:
    X_train, y_train, X_test, y_test = data.digits()
    assert len(X_train) + len(X_test) == 1797
    assert {len(x) for x in X_train + X_test} == {64}
    assert set(y_train + y_test) == set(range(10))
    assert all(type(label) is int for label in y_train + y_test)


def test_the_class_counts_are_the_data_sets_and_sum_to_1797() -> None:
    split = data.digits(test_fraction=0.25, seed=3)
    counts = Counter(split.y_train) + Counter(split.y_test)
    assert dict(counts) == CLASS_SIZES
    assert sum(counts.values()) == 1797


def test_the_test_fraction_sets_the_size_of_the_test_set() -> None:
    assert len(data.digits(test_fraction=0.2).X_test) == round(1797 * 0.2)
    assert len(data.digits(test_fraction=0.0).X_test) == 0


def test_scaling_puts_the_pixels_in_0_1_and_without_it_they_are_0_to_16() -> None:
    scaled = data.digits(scale=True).X_train
    raw = data.digits(scale=False).X_train
    assert min(min(x) for x in scaled) == 0.0 and max(max(x) for x in scaled) == 1.0
    assert {p for x in raw for p in x} <= {float(k) for k in range(17)}
    assert max(max(x) for x in raw) == 16.0
    assert scaled[0] == [p / 16 for p in raw[0]]


def test_the_same_seed_gives_the_same_split_and_another_seed_another() -> None:
    assert data.digits(seed=7) == data.digits(seed=7)
    assert data.digits(seed=7).y_train != data.digits(seed=8).y_train


def test_train_and_test_do_not_share_an_image() -> None:
    everything = data.digits(test_fraction=0.0, scale=False).X_train
    split = data.digits(test_fraction=0.3, scale=False, seed=1)
    assert sorted(split.X_train + split.X_test) == sorted(everything)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"test_fraction": 1.0}, ValueError, r"digits: test_fraction must be in \[0, 1\), got 1.0"),
    ({"test_fraction": -0.1}, ValueError, "digits: test_fraction must be in"),
    ({"test_fraction": "0.2"}, TypeError, "digits: test_fraction must be a number, got str"),
    ({"seed": 1.5}, TypeError, "digits: seed must be an int, got float"),
    ({"seed": None}, TypeError, "digits: seed must be an int, got NoneType"),
    ({"scale": 1}, TypeError, "digits: scale must be True or False, got int"),
])
def test_bad_arguments_are_typed_errors_naming_them(kwargs: dict[str, object], error: type,
                                                    message: str) -> None:
    with pytest.raises(error, match=message):
        data.digits(**kwargs)  # type: ignore[arg-type]
