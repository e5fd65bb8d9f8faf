"""Losses: their values, their gradients, their shapes, their bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad, topological_order
from mlp import losses


def test_mse_is_the_mean_of_squared_errors() -> None:
    y_true, y_pred = [1.0, 2.0, -1.0], [0.5, 2.5, 1.0]
    assert math.isclose(losses.mse(y_true, y_pred).data, (0.25 + 0.25 + 4.0) / 3, rel_tol=1e-15)


def test_mse_of_a_single_pair() -> None:
    y_hat = Value(3.0)
    loss = losses.mse(1.0, y_hat)
    assert loss.data == 4.0
    loss.backward()
    assert y_hat.grad == 4.0  # -2(y - ŷ) with n = 1


def test_mse_gradient_is_the_notes_minus_2_over_n_times_the_error() -> None:
    preds = [Value(0.5), Value(2.5), Value(1.0)]
    y_true = [1.0, 2.0, -1.0]
    grads = grad(losses.mse(y_true, preds), preds)
    for g, y, p in zip(grads, y_true, preds, strict=True):
        assert math.isclose(g, -2 * (y - p.data) / 3, rel_tol=1e-15)


def test_a_loss_over_100_points_is_one_sum_node_not_a_chain() -> None:
    preds = [Value(float(i)) for i in range(100)]
    loss = losses.mse([0.0] * 100, preds)
    sums = [n for n in topological_order(loss) if n.op == "sum"]
    assert len(sums) == 1 and len(sums[0].inputs) == 100
    assert len(topological_order(loss)) < 5 * 100


def test_several_outputs_per_sample_are_averaged_over_every_output() -> None:
    preds: list[list[Value | float]] = [[Value(0.0), Value(2.0)], [Value(0.0), 1.0]]
    loss = losses.mse([[1.0, 0.0], [0.0, 0.0]], preds)
    assert loss.data == (1.0 + 4.0 + 0.0 + 1.0) / 4


def test_mismatched_shapes_raise_value_error() -> None:
    with pytest.raises(ValueError, match="mse: 2 targets for 3 predictions"):
        losses.mse([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="item 0 has 2 targets for 1 outputs"):
        losses.mse([[1.0, 2.0]], [[Value(1.0)]])
    with pytest.raises(ValueError, match="needs at least one"):
        losses.mse([], [])
    with pytest.raises(TypeError, match="y_pred must be a number, a Value or a list"):
        losses.mse([1.0], "a")  # type: ignore[arg-type]


def test_hinge_is_the_mean_of_relu_of_1_minus_y_times_score() -> None:
    scores = [Value(2.0), Value(0.5), Value(-0.25)]
    loss = losses.hinge([1.0, -1.0, 1.0], scores)
    assert math.isclose(loss.data, (0.0 + 1.5 + 1.25) / 3, rel_tol=1e-15)
    loss.backward()
    assert [s.grad for s in scores] == [0.0, 1 / 3, -1 / 3]


def test_hinge_refuses_targets_other_than_plus_minus_1() -> None:
    with pytest.raises(ValueError, match=r"hinge: targets must be -1 or 1, got 0.0 at index 1"):
        losses.hinge([1.0, 0.0], [Value(1.0), Value(1.0)])


def softplus(z: float) -> float:
    return math.log1p(math.exp(z)) if z < 30 else z + math.log1p(math.exp(-z))


@pytest.mark.parametrize("z", [-30.0, -2.0, -0.1, 0.0, 0.1, 3.0, 30.0])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_binary_cross_entropy_value_and_gradient_match_the_formula(z: float, y: float) -> None:
    logit = Value(z)
    loss = losses.binary_cross_entropy([y], [logit])
    assert math.isclose(loss.data, softplus(z) - y * z, rel_tol=1e-12, abs_tol=1e-15)
    loss.backward()
    assert isinstance(logit.grad, float)
    assert math.isclose(logit.grad, 1 / (1 + math.exp(-z)) - y, rel_tol=1e-12, abs_tol=1e-15)


def test_binary_cross_entropy_gradient_at_zero_is_sigmoid_0_minus_y() -> None:
    logit = Value(0.0)
    losses.binary_cross_entropy(1.0, logit).backward()
    assert logit.grad == -0.5  # σ(0) − 1; writing −|z| with abs would give −1 here


def test_binary_cross_entropy_does_not_overflow_for_huge_logits() -> None:
    loss = losses.binary_cross_entropy([0.0, 1.0], [Value(1000.0), Value(-1000.0)])
    assert loss.data == 1000.0


@pytest.mark.parametrize(("y", "z", "loss", "slope"),
                         [(0.5, 1e308, 5e307, 0.5), (0.0, 1.7e308, 1.7e308, 1.0),
                          (1.0, -1.7e308, 1.7e308, -1.0), (0.25, -1e308, 2.5e307, -0.25)])
def test_binary_cross_entropy_of_logits_near_the_float_range_is_finite(
        y: float, z: float, loss: float, slope: float) -> None:
    # Was: OverflowError from 2·relu(z) for z above 9e307, though the docstring said never.
    logit = Value(z)
    value = losses.binary_cross_entropy([y], [logit])
    assert value.data == loss
    value.backward()
    assert logit.grad == slope


def stable_bce(y: float, z: float) -> float:
    return max(z, 0.0) + math.log1p(math.exp(-abs(z))) - y * z


@settings(max_examples=300)
@given(z=st.floats(allow_nan=False, allow_infinity=False), y=st.floats(0.0, 1.0))
def test_binary_cross_entropy_is_finite_and_right_for_every_finite_logit(z: float,
                                                                          y: float) -> None:
    logit = Value(z)
    loss = losses.binary_cross_entropy(y, logit)
    assert math.isclose(loss.data, stable_bce(y, z), rel_tol=1e-12, abs_tol=1e-15)
    loss.backward()
    sigma = 1 / (1 + math.exp(-z)) if z > -700 else 0.0
    assert math.isclose(logit.grad, sigma - y, rel_tol=1e-12, abs_tol=1e-15)


def test_binary_cross_entropy_second_derivative_is_sigmoid_times_one_minus_sigmoid() -> None:
    for z in (-1.5, 0.0, 2.0):
        logit = Value(z)
        (d1,) = grad(losses.binary_cross_entropy(1.0, logit), [logit], create_graph=True)
        (d2,) = grad(d1, [logit])
        s = 1 / (1 + math.exp(-z))
        assert math.isclose(d2, s * (1 - s), rel_tol=1e-12)


def test_binary_cross_entropy_refuses_targets_outside_0_1() -> None:
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\], got -1.0 at index 0"):
        losses.binary_cross_entropy([-1.0], [Value(0.0)])


def test_l2_is_the_sum_of_squares_and_its_gradient_2p() -> None:
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    reg = losses.l2(params)
    assert reg.data == 5.25
    reg.backward()
    assert [p.grad for p in params] == [2.0, -4.0, 1.0]
    assert losses.l2([]).data == 0.0


@pytest.mark.parametrize(("y_true", "y_pred", "kind", "words"), [
    # One side a number, the other a list: the pair is mis-shaped, neither item is "bad".
    ([1.0], [[1.0, 2.0]], ValueError, r"item 0 pairs a float target with a list prediction"),
    ([[1.0]], [Value(1.0)], ValueError, r"item 0 pairs a list target with a Value prediction"),
    # A bad item is blamed on the side it is on.
    ([1.0], [True], TypeError, r"y_pred\[0\] must be a number, a Value or a list of them, "
                               r"got bool"),
    ([None], [1.0], TypeError, r"y_true\[0\] must be a number, a Value or a list of them, "
                               r"got NoneType"),
])
def test_a_mis_shaped_pair_blames_the_right_side(y_true: object, y_pred: object,
                                                 kind: type[Exception], words: str) -> None:
    with pytest.raises(kind, match=r"^mse: " + words):
        losses.mse(y_true, y_pred)  # type: ignore[arg-type]


def test_mse_names_its_nodes_as_the_notes_do() -> None:
    loss = losses.mse([1.0, 2.0], [Value(0.5), Value(2.5)])
    labels = [v.label for v in topological_order(loss) if v.inputs]
    assert labels.count("y − ŷ") == 2 and labels.count("(y − ŷ)²") == 2
    assert "Σ(y − ŷ)²" in labels
