"""fit() compiles the step for its own models and mean-over-pairs losses, and gives what the
plain eager loop gives; any other model or loss trains eagerly."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

import autograd
from autograd import Value
from mlp import MLP, Layer, data, fit, losses, optim


def run(model_fn: Callable[[], Any], X: list[list[float]], y: list[Any],
        loss: Callable[..., Value], *, eager: bool, **kwargs: Any) -> tuple[Any, dict[str, float]]:
    model = model_fn()
    def wrapper(t: Any, p: Any) -> Value:  # not one of mlp.losses: fit trains it eagerly
        return loss(t, p)

    chosen = wrapper if eager else loss
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
    history = fit(model, X, y, chosen, opt, 4, progress=False, metrics=["accuracy"], **kwargs)
    return history, model.state_dict()


def assert_same_run(a: tuple[Any, dict[str, float]], b: tuple[Any, dict[str, float]]) -> None:
    (h1, w1), (h2, w2) = a, b
    assert h1.loss == pytest.approx(h2.loss, rel=1e-12)
    assert h1["accuracy"] == h2["accuracy"]
    assert w1.keys() == w2.keys()
    for name, value in w1.items():
        assert value == pytest.approx(w2[name], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("loss", "targets"), [
    (losses.hinge, lambda y: y),
    (losses.mse, lambda y: y),
    (losses.binary_cross_entropy, lambda y: [(t + 1) / 2 for t in y]),
])
@pytest.mark.parametrize("batch_size", [None, 7])
def test_the_compiled_fit_gives_the_eager_history_and_weights(
        loss: Callable[..., Value], targets: Callable[[list[float]], list[float]],
        batch_size: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    X, y = data.make_moons(30, noise=0.1, seed=0)
    y = targets(y)
    compiled_calls: list[object] = []
    real = autograd.compile

    def counting(*args: Any, **kwargs: Any) -> autograd.Program:
        compiled_calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(autograd, "compile", counting)
    runs = [run(lambda: MLP(2, [6, 6, 1], seed=2), X, y, loss, eager=eager,
                batch_size=batch_size, seed=3) for eager in (False, True)]
    assert len(compiled_calls) == 2  # the loss, and the model for the scores of the metric
    assert_same_run(*runs)


@pytest.mark.parametrize("model_fn", [lambda: MLP(2, [4, 2], seed=1),
                                      lambda: Layer(2, 2, "tanh", rng=random.Random(1))])
def test_a_model_with_several_outputs_compiles_with_list_targets(
        model_fn: Callable[[], Any]) -> None:
    X, y = data.make_moons(20, noise=0.1, seed=0)
    Y = [[t, -t] for t in y]
    runs = [run(model_fn, X, Y, losses.mse, eager=eager) for eager in (False, True)]
    assert_same_run(*runs)


def test_a_users_own_loss_or_model_trains_eagerly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autograd, "compile", lambda *a, **k: pytest.fail("compiled"))
    X, y = data.xor()
    model = MLP(2, [4, 1], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)

    def my_loss(t: list[float], p: list[Value]) -> Value:
        return losses.mse(t, p) * 2  # not one of mlp.losses: fit cannot assume it splits

    history = fit(model, X, y, my_loss, opt, 2, progress=False)
    assert len(history) == 2

    class Wrapped(MLP):
        def __call__(self, x: Any) -> Any:  # a subclass may branch on data: eager too
            return super().__call__(x)

    wrapped = Wrapped(2, [4, 1], seed=0)
    fit(wrapped, X, y, losses.mse, optim.SGD(wrapped.parameters(), lr=0.1), 2, progress=False)


def test_bad_targets_get_the_losss_own_error_before_training() -> None:
    X, y = data.make_moons(10, noise=0.1, seed=0)
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"hinge: targets must be -1 or 1, got 0.5 at index 4"):
        fit(model, X, [*y[:4], 0.5, *y[5:]], losses.hinge,
            optim.SGD(model.parameters(), lr=0.1), 2, progress=False)
    assert model.state_dict() == before


@pytest.mark.parametrize("one_hot", [False, True])
@pytest.mark.parametrize("batch_size", [None, 16])
def test_cross_entropy_compiles_with_class_indices_or_one_hot_targets(
        one_hot: bool, batch_size: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    X_train, labels, _, _ = data.digits(test_fraction=0.0, seed=0)
    X, y = X_train[:48], labels[:48]
    Y: list[Any] = [[1.0 if k == t else 0.0 for k in range(10)] for t in y] if one_hot else y
    compiled_calls: list[object] = []
    real = autograd.compile

    def counting(*args: Any, **kwargs: Any) -> autograd.Program:
        compiled_calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(autograd, "compile", counting)
    runs = [run(lambda: MLP(64, [8, 10], activation="relu", seed=4), X, Y,
                losses.cross_entropy, eager=eager, batch_size=batch_size, seed=5)
            for eager in (False, True)]
    assert len(compiled_calls) == 2  # the loss, and the model for the scores of the metric
    assert_same_run(*runs)
    assert runs[0][0].loss[-1] < runs[0][0].loss[0]


def test_cross_entropy_of_a_model_of_one_output_is_a_value_error_saying_so() -> None:
    model = MLP(2, [3, 1], seed=0)
    X, _ = data.xor()
    with pytest.raises(ValueError, match=r"fit: cross_entropy needs one output .* per class"):
        fit(model, X, [0, 1, 1, 0], losses.cross_entropy, optim.SGD(model.parameters(), lr=0.1),
            2, progress=False)
