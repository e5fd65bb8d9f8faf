"""fit(): history, learning on xor and moons, determinism, batches, progress, callbacks."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from autograd import Value
from mlp import MLP, History, data, fit, losses, optim
from mlp.train import Metric


def train_xor(epochs: int = 60, callback: Callable[[int, History], bool] | None = None,
              metrics: Sequence[str | Metric] = ()) -> tuple[MLP, History]:
    X, y = data.xor()
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    opt = optim.Adam(model.parameters(), lr=0.05)
    history = fit(model, X, y, losses.mse, opt, epochs, progress=False, callback=callback,
                  metrics=metrics)
    return model, history


def test_history_has_one_loss_per_epoch() -> None:
    _, history = train_xor(epochs=7)
    assert len(history) == 7 and len(history.loss) == 7
    assert history["loss"] is history.loss


def test_loss_decreases_on_xor_and_it_is_learned() -> None:
    model, history = train_xor(epochs=150, metrics=["accuracy"])
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert history["accuracy"][-1] == 1.0
    X, y = data.xor()
    for x, t in zip(X, y, strict=True):
        out = model(x)
        assert isinstance(out, Value) and (out.data > 0) == (t > 0)


def test_loss_decreases_on_moons_with_hinge_and_minibatches() -> None:
    X, y = data.make_moons(40, noise=0.1, seed=0)
    model = MLP(2, [8, 8, 1], seed=1)
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    history = fit(model, X, y, losses.hinge, opt, 15, batch_size=10, seed=0, progress=False,
                  metrics=["accuracy"])
    assert sum(history.loss[-3:]) < 0.5 * sum(history.loss[:3])
    assert history["accuracy"][-1] > 0.8


def run_moons(seed: int, batch_size: int | None) -> tuple[list[float], dict[str, float]]:
    X, y = data.make_moons(30, noise=0.1, seed=0)
    model = MLP(2, [6, 1], seed=2)
    opt = optim.SGD(model.parameters(), lr=0.05)
    history = fit(model, X, y, losses.hinge, opt, 5, batch_size=batch_size, seed=seed,
                  progress=False)
    return history.loss, model.state_dict()


def test_same_seeds_give_identical_runs() -> None:
    assert run_moons(seed=5, batch_size=7) == run_moons(seed=5, batch_size=7)


def test_the_shuffle_seed_changes_a_minibatch_run() -> None:
    assert run_moons(seed=5, batch_size=7) != run_moons(seed=6, batch_size=7)


def test_full_batch_ignores_the_shuffle_seed() -> None:
    assert run_moons(seed=5, batch_size=None) == run_moons(seed=6, batch_size=None)


@pytest.mark.parametrize(("batch_size", "steps"), [(None, 1), (30, 1), (7, 5), (1, 30)])
def test_batch_size_sets_the_number_of_steps_per_epoch(batch_size: int | None,
                                                       steps: int) -> None:
    X, y = data.make_moons(30, noise=0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.01)
    fit(model, X, y, losses.hinge, opt, 3, batch_size=batch_size, progress=False)
    assert opt.steps == 3 * steps


def test_full_batch_fit_is_the_notes_gradient_descent_step() -> None:
    X, y = data.linear(8, seed=1)
    by_hand, by_fit = MLP(3, [2, 1], activation=None, seed=4), MLP(3, [2, 1], activation=None,
                                                                     seed=4)
    opt = optim.SGD(by_hand.parameters(), lr=0.1)
    for _ in range(3):
        loss = losses.mse(y, [by_hand(x) for x in X])
        opt.zero_grad()
        loss.backward()
        opt.step()
    fit(by_fit, X, y, losses.mse, optim.SGD(by_fit.parameters(), lr=0.1), 3, progress=False)
    # fit runs the step compiled (one node per batch, the samples' gradients summed in the
    # generated loop), loss.backward() walks the graph: the same partials, summed in another
    # order, so equal up to rounding.
    hand = by_hand.state_dict()
    assert by_fit.state_dict().keys() == hand.keys()
    for name, value in by_fit.state_dict().items():
        assert value == pytest.approx(hand[name], rel=1e-12, abs=1e-15)


def test_progress_false_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    train_xor(epochs=3)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_shows_epochs_and_loss(capsys: pytest.CaptureFixture[str]) -> None:
    X, y = data.xor()
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, y, losses.mse, optim.SGD(model.parameters(), lr=0.1), 3)
    err = capsys.readouterr().err
    assert "3/3" in err and "loss=" in err


def test_callback_runs_after_every_epoch_and_can_stop_training() -> None:
    seen: list[tuple[int, int]] = []

    def callback(epoch: int, history: History) -> bool:
        seen.append((epoch, len(history)))
        return epoch == 3

    _, history = train_xor(epochs=10, callback=callback)
    assert seen == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert len(history) == 4


def test_a_custom_metric_is_recorded_under_its_name() -> None:
    def worst(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
        return max(abs(t - p) for t, p in zip(y_true, y_pred, strict=True))

    _, history = train_xor(epochs=4, metrics=[worst])
    assert len(history["worst"]) == 4 and all(v >= 0 for v in history["worst"])


def test_a_non_finite_loss_raises_instead_of_training_on() -> None:
    X, y = data.linear(10, seed=0)
    model = MLP(3, [1], activation=None, seed=0)
    model.parameters()[0].data = math.inf  # as an overflowing step leaves it
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(FloatingPointError, match=r"fit: the loss is (inf|nan) in epoch 0"):
        fit(model, X, y, losses.mse, opt, 20, progress=False)


def test_bad_arguments_raise() -> None:
    X, y = data.xor()
    model = MLP(2, [2, 1], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="fit: 4 samples in X but 3 targets in y"):
        fit(model, X, y[:3], losses.mse, opt, 1, progress=False)
    with pytest.raises(ValueError, match="fit: batch_size must be >= 1, got 0"):
        fit(model, X, y, losses.mse, opt, 1, batch_size=0, progress=False)
    with pytest.raises(TypeError, match="fit: epochs must be an int, got float"):
        fit(model, X, y, losses.mse, opt, 1.5, progress=False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown metric 'f1': valid are accuracy"):
        fit(model, X, y, losses.mse, opt, 1, metrics=["f1"], progress=False)


def test_a_model_with_several_outputs_trains_on_list_targets() -> None:
    X, y = data.xor(labels=(0.0, 1.0))
    targets = [[t, 1.0 - t] for t in y]
    model = MLP(2, [8, 2], activation="tanh", seed=0)
    opt = optim.Adam(model.parameters(), lr=0.05)
    history = fit(model, X, targets, losses.binary_cross_entropy, opt, 100, progress=False,
                  metrics=["accuracy"])
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert history["accuracy"][-1] == 1.0


def test_fit_inside_no_grad_still_trains() -> None:
    from autograd import no_grad

    with no_grad():  # e.g. a notebook cell left inside an inference block
        _, history = train_xor(epochs=20)
    assert history.loss[-1] < 0.5 * history.loss[0]


def test_an_optimizer_of_another_models_parameters_is_refused() -> None:
    X, y = data.xor()
    model, other = MLP(2, [2, 1], seed=0), MLP(2, [2, 1], seed=0)
    opt = optim.SGD(other.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="fit: the optimizer steps none of the model's "
                                         "parameters"):
        fit(model, X, y, losses.mse, opt, 1, progress=False)


def test_an_overflow_in_training_is_reported_as_divergence() -> None:
    X, y = data.xor()
    model = MLP(2, [3, 1], seed=0)  # after one step, (y - ŷ) ** 2 overflows
    opt = optim.SGD(model.parameters(), lr=1e200)
    with pytest.raises(FloatingPointError, match=r"^fit: .*overflow.* in epoch \d+: training "
                                                 r"diverged \(try a smaller learning rate\)"):
        fit(model, X, y, losses.mse, opt, 5, progress=False)


@pytest.mark.parametrize(("change", "kind", "words"), [
    ({"loss": 3}, TypeError, r"^fit: loss must be callable"),
    ({"loss": lambda y, p: 1.0}, TypeError, r"^fit: loss must return a Value, got float"),
    ({"optimizer": None}, TypeError, r"^fit: optimizer must have zero_grad\(\) and step\(\)"),
    ({"metrics": "accuracy"}, TypeError, r"^fit: metrics must be a list .*\['accuracy'\]"),
    ({"X": iter([[0.0, 0.0]] * 4)}, TypeError, r"^fit: X must be a list of samples"),
    ({"y": {1.0, -1.0, 2.0, 3.0}}, TypeError, r"^fit: y must be a list of targets"),
    # These were Python's bare "'int' object is not callable", the callback's after an epoch.
    ({"model": 3}, TypeError, r"^fit: model must be callable \(a sample in, its prediction "
                              r"out\), e\.g\. an MLP; got int$"),
    ({"callback": 3}, TypeError, r"^fit: callback must be callable or None, got int$"),
])
def test_misused_arguments_are_named(change: dict[str, object], kind: type[Exception],
                                     words: str) -> None:
    X, y = data.xor()
    model = MLP(2, [2, 1], seed=0)
    args: dict[str, object] = {"model": model, "X": X, "y": y, "loss": losses.mse,
                               "optimizer": optim.SGD(model.parameters(), lr=0.1),
                               "epochs": 1, "progress": False, **change}
    with pytest.raises(kind, match=words):
        fit(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(("where", "bad"), [("X[1][0]", math.nan), ("X[0][1]", math.inf),
                                            ("y[1]", math.nan), ("y[0]", -math.inf)])
@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "eager"])
def test_a_non_finite_number_in_the_data_is_named_and_the_model_left_untouched(
        where: str, bad: float, compiled: bool) -> None:
    # Was: "the loss is nan in epoch 0: training diverged (try a smaller learning rate)", after a
    # step that had already made every weight nan.
    X, y = [[0.5, -1.0], [1.0, 2.0]], [1.0, -1.0]
    if where.startswith("X"):
        X[int(where[2])][int(where[5])] = bad
    else:
        y[int(where[2])] = bad
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()

    def wrapper(t: Any, p: Any) -> Value:  # not one of mlp.losses: fit trains it eagerly
        return losses.mse(t, p)

    loss = losses.mse if compiled else wrapper
    with pytest.raises(ValueError, match=rf"^fit: {re.escape(where)} is {bad}: "):
        fit(model, X, y, loss, optim.SGD(model.parameters(), lr=0.1), 3, progress=False)
    assert model.state_dict() == before


def test_a_non_finite_target_in_a_list_of_targets_is_named() -> None:
    model = MLP(2, [2], seed=0)
    with pytest.raises(ValueError, match=r"^fit: y\[0\]\[1\] is nan: "):
        fit(model, [[0.5, -1.0]], [[1.0, math.nan]], losses.mse,
            optim.SGD(model.parameters(), lr=0.1), 1, progress=False)


def test_accuracy_of_nothing_is_a_value_error_naming_accuracy() -> None:
    # Was a bare ZeroDivisionError from len(pairs) == 0.
    from mlp.train import accuracy

    with pytest.raises(ValueError, match="accuracy: no outputs to score"):
        accuracy([], [])


def test_a_step_that_overflows_in_fit_says_diverged_once_naming_the_epoch_and_weight() -> None:
    # Was: "fit: SGD: the step of params[0] ('w1') overflows a float (its grad is 4.16, lr
    # 1e+308): training diverged; try a smaller learning rate in epoch 1: training diverged
    # (try a smaller learning rate)": the advice twice, the epoch stuck to the first.
    model = MLP(1, [1], seed=0)
    opt = optim.SGD(model.parameters(), lr=lambda t: 0.01 if t == 0 else 1e308)
    with pytest.raises(FloatingPointError) as caught:
        fit(model, [[1.0], [2.0]], [1.0, -1.0], losses.mse, opt, 5, progress=False)
    said = str(caught.value)
    assert said.startswith("fit: in epoch 1, SGD: the step of params[0] ('w1') overflows a float")
    assert said.count("training diverged") == 1 and said.endswith("try a smaller learning rate")
