"""accuracy by argmax for several outputs (class indices or one-hot targets), by sign for one;
and bad metric input or output as typed errors naming what was wrong."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlp import MLP, data, fit, losses, optim
from mlp.metrics import accuracy

SCORES = [[0.1, 2.0, -1.0], [3.0, 0.0, 0.5], [0.0, 0.2, 0.1], [-1.0, -2.0, -0.5]]
PREDICTED = [1, 0, 1, 2]


def one_hot(k: int, n: int = 3) -> list[float]:
    return [1.0 if i == k else 0.0 for i in range(n)]


def test_several_outputs_are_scored_by_the_largest_against_a_class_index() -> None:
    assert accuracy(PREDICTED, SCORES) == 1.0
    assert accuracy([1, 0, 0, 0], SCORES) == 0.5


def test_one_hot_targets_score_as_their_class_index() -> None:
    assert accuracy([one_hot(k) for k in PREDICTED], SCORES) == 1.0
    wrong = [one_hot((k + 1) % 3) for k in PREDICTED]
    assert accuracy(wrong, SCORES) == 0.0  # every prediction wrong: 0, not 0.667


@given(st.lists(st.lists(st.floats(-10, 10), min_size=3, max_size=3), min_size=1, max_size=20),
       st.data())
def test_index_and_one_hot_targets_always_agree(scores: list[list[float]],
                                                data_: st.DataObject) -> None:
    labels = data_.draw(st.lists(st.integers(0, 2), min_size=len(scores),
                                 max_size=len(scores)))
    assert accuracy(labels, scores) == accuracy([one_hot(k) for k in labels], scores)


def test_one_output_is_binary_by_the_side_of_zero_as_before() -> None:
    assert accuracy([1.0, -1.0, 1.0], [0.3, -2.0, -0.1]) == pytest.approx(2 / 3)
    assert accuracy([[1.0], [0.0]], [[0.3], [0.5]]) == 0.5  # lists of one output


@pytest.mark.parametrize(("y_true", "y_pred", "error", "message"), [
    ([0, 1, 2], [[1.0, 0.0]] * 2, ValueError, "accuracy: 3 targets for 2 predictions"),
    ([1.0, -1.0], [0.5], ValueError, "accuracy: 2 targets for 1 predictions"),
    ([3], [[1.0, 0.0, 2.0]], ValueError, r"accuracy: class index 3 of item 0 is not in range\(3\)"),
    ([0.5], [[1.0, 0.0]], TypeError, "accuracy: the target of item 0 must be a class index"),
    ([True], [[1.0, 0.0]], TypeError, "accuracy: the target of item 0 must be a class index"),
    ([[1.0, 0.0]], [[1.0, 0.0, 2.0]], ValueError, "accuracy: item 0 has 2 targets for 3 scores"),
    ([[1.0, 0.0]], [0.5], ValueError, "accuracy: item 0 pairs a list target with one score"),
    ([1.0], ["a"], TypeError, "accuracy: y_pred of item 0 must be a number, got str"),
    (1.0, [0.5], TypeError, "accuracy: y_true must be a list"),
])
def test_bad_input_is_a_typed_error_naming_it(y_true: Any, y_pred: Any, error: type,
                                              message: str) -> None:
    with pytest.raises(error, match=message):
        accuracy(y_true, y_pred)


def digits_fit(y_kind: str, **kwargs: Any) -> Any:
    X_train, labels, _, _ = data.digits(test_fraction=0.0, seed=0)
    X, y = X_train[:40], labels[:40]
    Y = [one_hot(k, 10) for k in y] if y_kind == "one_hot" else y
    model = MLP(64, [8, 10], activation="relu", seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    return fit(model, X, Y, losses.cross_entropy, opt, 3, progress=False, **kwargs)


@pytest.mark.parametrize("y_kind", ["index", "one_hot"])
def test_fit_records_accuracy_of_class_labels_and_one_hot_targets(y_kind: str) -> None:
    history = digits_fit(y_kind, metrics=["accuracy"])
    assert len(history["accuracy"]) == 3
    assert all(0.0 <= a <= 1.0 for a in history["accuracy"])
    assert history["accuracy"] == digits_fit("index", metrics=["accuracy"])["accuracy"]


def test_a_metric_that_returns_a_string_is_a_type_error_naming_it() -> None:
    def verdict(y_true: Any, y_pred: Any) -> Any:
        return "good"

    with pytest.raises(TypeError, match="fit: metric 'verdict' must return a number, got str"):
        digits_fit("index", metrics=[verdict])
