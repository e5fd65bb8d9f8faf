"""losses.cross_entropy: PyTorch's F.cross_entropy (mean reduction) on Values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, gradcheck
from mlp import losses

BATCH = [[0.3, -1.2, 2.0], [1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0]]
LABELS = [2, 1, 0]


def one_hot(k: int, n: int) -> list[float]:
    return [1.0 if i == k else 0.0 for i in range(n)]


def by_hand(labels: list[int], batch: list[list[float]]) -> float:
    # -log softmax(z)[k], with log-sum-exp shifted by the largest logit
    terms = []
    for k, z in zip(labels, batch, strict=True):
        m = max(z)
        terms.append(m + math.log(sum(math.exp(v - m) for v in z)) - z[k])
    return sum(terms) / len(terms)


def test_class_indices_give_the_mean_negative_log_likelihood() -> None:
    loss = losses.cross_entropy(LABELS, [[Value(v) for v in z] for z in BATCH])
    assert loss.data == pytest.approx(by_hand(LABELS, BATCH), rel=1e-12)
    assert math.isfinite(loss.data)


def test_one_hot_targets_give_the_same_loss_as_class_indices() -> None:
    hot = [one_hot(k, 3) for k in LABELS]
    assert losses.cross_entropy(hot, BATCH).data == pytest.approx(
        losses.cross_entropy(LABELS, BATCH).data, rel=1e-12)


def test_one_sample_takes_a_class_and_a_list_of_logits() -> None:
    assert losses.cross_entropy(2, BATCH[0]).data == pytest.approx(by_hand([2], BATCH[:1]))


@given(st.lists(st.floats(-30, 30), min_size=2, max_size=6), st.data())
def test_the_gradient_is_softmax_minus_the_one_hot_target(z: list[float],
                                                          data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(z) - 1))
    zs = [Value(v) for v in z]
    losses.cross_entropy(k, zs).backward()
    m = max(z)
    total = sum(math.exp(v - m) for v in z)
    for i, v in enumerate(zs):
        expected = math.exp(z[i] - m) / total - (1.0 if i == k else 0.0)
        assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_cross_entropy_passes_gradcheck_to_second_order() -> None:
    assert gradcheck(lambda *z: losses.cross_entropy(1, list(z)), [0.3, -1.2, 2.0], order=2)
    soft = [0.2, 0.5, 0.3]
    assert gradcheck(lambda *z: losses.cross_entropy(soft, list(z)), [0.3, -1.2, 2.0], order=2)


@pytest.mark.parametrize(("targets", "logits", "error", "message"), [
    ([3], [[0.0, 1.0, 2.0]], ValueError, r"cross_entropy: class index 3 at index 0 is not in "
                                         r"range\(3\)"),
    ([-1], [[0.0, 1.0]], ValueError, r"cross_entropy: class index -1 at index 0"),
    ([1.0], [[0.0, 1.0]], TypeError, "cross_entropy: a class index must be an int, got float"),
    ([True], [[0.0, 1.0]], TypeError, "cross_entropy: a class index must be an int, got bool"),
    ([[1.0, 0.0, 0.0]], [[0.0, 1.0]], ValueError, "cross_entropy: item 0 has 3 targets for 2"),
    ([[0.5, 0.6]], [[0.0, 1.0]], ValueError, "cross_entropy: the targets of item 0 sum to 1.1"),
    ([[1.5, -0.5]], [[0.0, 1.0]], ValueError, r"cross_entropy: target probabilities must be in "
                                              r"\[0, 1\], got 1.5"),
    ([0, 1], [[0.0, 1.0]], ValueError, "cross_entropy: 2 targets for 1 predictions"),
    ([], [], ValueError, "cross_entropy: needs at least one sample"),
    ([0], [[]], ValueError, "cross_entropy: item 0 has no logits"),
    ([0], "ab", TypeError, "cross_entropy: logits must be a list"),
    ([0], [["a", 1.0]], TypeError, r"cross_entropy: logits\[0\]\[0\] must be a number or a Value"),
])
def test_bad_targets_or_logits_are_typed_errors_naming_them(
        targets: object, logits: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        losses.cross_entropy(targets, logits)


def test_cross_entropy_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional

    z = torch.tensor(BATCH, dtype=torch.float64, requires_grad=True)
    expected = functional.cross_entropy(z, torch.tensor(LABELS))
    expected.backward()
    zs = [[Value(v) for v in row] for row in BATCH]
    mine = losses.cross_entropy(LABELS, zs)
    mine.backward()
    assert mine.data == pytest.approx(expected.item(), rel=1e-12)
    grads = [v.grad for row in zs for v in row]
    assert grads == pytest.approx(z.grad.flatten().tolist(), rel=1e-12, abs=1e-15)
    soft = [[0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [1 / 3, 1 / 3, 1 / 3]]
    p = torch.tensor(soft, dtype=torch.float64)
    assert losses.cross_entropy(soft, BATCH).data == pytest.approx(
        functional.cross_entropy(z.detach(), p).item(), rel=1e-12)
