"""A lab run trains as fit does, number for number, and its frames hold the engine's numbers.

The run is driven directly (no server): ``Run.command`` is what every request ends in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from itertools import pairwise
from typing import Any

import pytest

from autograd import explain, grad
from mlp import MLP, data, fit, losses, optim
from mlp.lab.build import build
from mlp.lab.config import LabInputError, RunConfig, configure
from mlp.lab.frame import MAX_POINTS, LossHistory, sample_graph
from mlp.lab.run import Run

DIGITS = {"dataset": "digits", "hidden": [8], "loss": "cross_entropy", "batch_size": 32,
          "momentum": 0.9}


@pytest.fixture
def run() -> Iterator[Any]:
    made: list[Run] = []

    def start(changes: dict[str, Any] | None = None) -> Run:
        made.append(Run(configure(RunConfig(), changes or {}), "test"))
        return made[-1]

    yield start
    for r in made:
        r.close()


def frame_of(r: Run) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(r.frame_after(0, 1.0)[1])
    return frame


def test_full_batch_steps_are_fits_epochs_exactly(run: Any) -> None:
    r = run({"hidden": [8, 8], "seed": 3})
    r.command("step", 7)
    frame = frame_of(r)
    X, y = data.make_moons(100, noise=0.1, seed=3)
    model = MLP(2, [8, 8, 1], activation="tanh", seed=3)
    history = fit(model, X, y, losses.hinge, optim.SGD(model.parameters(), lr=0.1), epochs=7,
                  progress=False)
    assert frame["step"] == frame["epoch"] == 7
    assert [loss for _, loss in frame["history"]] == history.loss  # ==, not approx
    mine = [w for layer in frame["model"]["layers"] for row, b in
            zip(layer["weights"], layer["biases"], strict=True) for w in [*row, b]]
    assert mine == [p.data for p in model.parameters()]


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw"])
def test_minibatches_come_in_fits_order(run: Any, optimizer: str) -> None:
    r = run({"batch_size": 16, "seed": 5, "optimizer": optimizer, "momentum": 0.0,
             "loss": "binary_cross_entropy", "lr": 0.05})
    r.command("step", 7 * 3)  # 100 samples in batches of 16: 7 steps an epoch
    frame = frame_of(r)
    assert frame["epoch"] == 3
    X, y = data.make_moons(100, noise=0.1, seed=5, labels=(0.0, 1.0))
    model = MLP(2, [16, 16, 1], activation="tanh", seed=5)
    made = {"sgd": optim.SGD, "adam": optim.Adam, "adamw": optim.AdamW}[optimizer]
    fit(model, X, y, losses.binary_cross_entropy, made(model.parameters(), lr=0.05), epochs=3,
        batch_size=16, seed=5, progress=False)
    mine = [w for layer in frame["model"]["layers"] for row in layer["weights"] for w in row]
    assert mine == [w.data for layer in model.layers for n in layer.neurons for w in n.w]


def test_digits_train_as_fit_does_and_report_test_accuracy(run: Any) -> None:
    r = run({**DIGITS, "batch_size": None})
    r.command("step", 2)
    frame = frame_of(r)
    split = data.digits()
    model: MLP[Any] = MLP(64, [8, 10], activation="tanh", seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = fit(model, split.X_train, split.y_train, losses.cross_entropy, opt, epochs=2,
                  progress=False)
    assert [loss for _, loss in frame["history"]] == history.loss
    scores = [[v.data for v in model(x)] for x in split.X_test]
    right = sum(max(range(10), key=s.__getitem__) == t
                for s, t in zip(scores, split.y_test, strict=True))
    assert frame["accuracy_on"] == "test"
    assert frame["accuracy"] == pytest.approx(right / len(split.y_test), abs=1e-12)
    assert frame["model"]["sizes"] == [64, 8, 10]
    assert frame["model"]["layers"][-1]["names"] == [f"ŷ{j}" for j in range(1, 11)]
    assert frame["samples"] == len(split.X_train)


DERIVATIVE: dict[str, Callable[[float], float]] = {
    "tanh": lambda h: 1 - h * h, "sigmoid": lambda h: h * (1 - h),
    "relu": lambda h: 1.0 if h > 0 else 0.0, "linear": lambda h: 1.0}
"""An activation's derivative written with its output h, as the notes write tanh's."""


@pytest.mark.parametrize("activation", list(DERIVATIVE))
@pytest.mark.parametrize("sample", [0, 37])
def test_the_pictures_numbers_obey_the_chain_rule(run: Any, activation: str,
                                                  sample: int) -> None:
    # Read from the frame alone: dL/dw_ji = x_i · act'(z_j) · dL/dh_j for every weight, and
    # an input's (or a neuron's) dL/dx_i = Σ_j w_ji · act'(z_j) · dL/dh_j over its edges.
    r = run({"hidden": [5, 4], "activation": activation, "sample": sample, "seed": 2})
    r.command("step", 4)
    frame = frame_of(r)
    s, layers = frame["sample"], frame["model"]["layers"]
    for k, layer in enumerate(layers):
        ins, outs = s["activations"][k], s["activations"][k + 1]
        act = DERIVATIVE[layer["activation"]]
        local = [act(h) * g for h, g in zip(outs, s["node_grads"][k + 1], strict=True)]
        for j, row in enumerate(layer["weights"]):
            for i in range(len(row)):
                assert s["weight_grads"][k][j][i] == pytest.approx(ins[i] * local[j],
                                                                   rel=1e-9, abs=1e-12)
            assert s["bias_grads"][k][j] == pytest.approx(local[j], rel=1e-9, abs=1e-12)
        for i, g in enumerate(s["node_grads"][k]):
            total = sum(row[i] * local[j] for j, row in enumerate(layer["weights"]))
            assert g == pytest.approx(total, rel=1e-9, abs=1e-12)


def test_the_frame_shows_the_engines_grads_and_loss_for_the_sample(run: Any) -> None:
    r = run({"hidden": [6], "sample": 11, "loss": "mse"})
    r.command("step", 2)
    frame = frame_of(r)
    setup = r.command("call", lambda setup: setup)
    params = setup.model.parameters()
    x, target = setup.X[11], setup.y[11]
    loss = losses.mse([target], [setup.model(x)])
    assert frame["sample"]["loss"] == loss.data
    expected = grad(loss, params)
    shown = [g for layer_w, layer_b in zip(frame["sample"]["weight_grads"],
                                          frame["sample"]["bias_grads"], strict=True)
             for row, b in zip(layer_w, layer_b, strict=True) for g in [*row, b]]
    assert shown == pytest.approx(expected, rel=1e-12, abs=1e-15)
    batch = [g for layer in frame["model"]["layers"]
             for row, b in zip(layer["weight_grads"], layer["bias_grads"], strict=True)
             for g in [*row, b]]
    assert batch == [p.grad for p in params]  # the last step's batch gradients
    assert frame["model"]["layers"][0]["weight_names"][0] == ["w1", "w2"]
    assert frame["model"]["layers"][0]["names"][:2] == ["N1", "N2"]
    assert frame["model"]["layers"][-1]["names"] == ["ŷ"]


def test_explain_is_for_the_sample_and_agrees_with_its_grad(run: Any) -> None:
    from mlp.lab.views import explain_text

    r = run({"hidden": [3], "sample": 4})
    r.command("step", 1)
    frame = frame_of(r)
    answer = r.command("call", lambda setup: explain_text(setup, "w5"))
    assert answer["text"].startswith("∂L/∂w5")
    # w5 is neuron 3's first weight: layer 0, row 2, column 0
    assert answer["total"] == pytest.approx(frame["sample"]["weight_grads"][0][2][0], rel=1e-12)
    setup = r.command("call", lambda setup: setup)
    loss, _ = sample_graph(setup, 4)
    w5 = next(p for p in setup.model.parameters() if p.label == "w5")
    assert answer["text"] == str(explain(loss, w5))
    with pytest.raises(LabInputError, match="no weight or bias is labelled 'w99'"):
        r.command("call", lambda setup: explain_text(setup, "w99"))


def test_play_trains_until_pause_and_a_setting_change_starts_again(run: Any) -> None:
    r = run({"hidden": [4]})
    r.command("play")
    version, _ = r.frame_after(0, 1.0)
    version, later = r.frame_after(version, 5.0)
    assert json.loads(later)["step"] > 0
    r.command("pause")
    paused = frame_of(r)
    assert not paused["playing"]
    assert frame_of(r)["step"] == paused["step"]  # nothing trains while paused
    r.command("set", {"speed": 5, "sample": 30})  # live settings: the run goes on
    assert frame_of(r)["step"] == paused["step"] and frame_of(r)["sample"]["index"] == 30
    r.command("set", {"lr": 0.05})  # anything else: a new network, at step 0
    assert frame_of(r)["step"] == 0 and frame_of(r)["config"]["lr"] == 0.05
    r.command("set", {"dataset": "xor"})  # xor has 4 samples: the chosen one goes back to 0
    assert frame_of(r)["sample"]["index"] == 0 and frame_of(r)["samples"] == 4


def test_divergence_pauses_the_run_and_says_so(run: Any) -> None:
    r = run({"loss": "mse", "lr": 10.0, "hidden": [32, 32], "activation": "linear"})
    r.command("step", 200)
    frame = frame_of(r)
    assert not frame["playing"] and frame["error"] is not None
    assert "training stopped at step" in frame["error"]
    assert frame["step"] < 200 and all(math.isfinite(v) for _, v in frame["history"])
    r.command("reset")
    assert frame_of(r)["error"] is None and frame_of(r)["step"] == 0


def test_bad_commands_leave_the_run_as_it_was(run: Any) -> None:
    r = run()
    r.command("step", 2)
    before = frame_of(r)
    for changes, text in [({"lr": -1}, "config.lr"), ({"hidden": [0]}, r"config.hidden\[0\]"),
                          ({"sample": 100}, "100 samples"), ({"nope": 1}, "unknown field")]:
        with pytest.raises(LabInputError, match=text):
            r.command("set", changes)
    with pytest.raises(LabInputError, match="sample"):
        r.command("sample", "3")
    after = frame_of(r)
    assert after["step"] == before["step"] and after["config"] == before["config"]


def test_the_loss_history_keeps_at_most_max_points_evenly_strided() -> None:
    history = LossHistory()
    for step in range(1, 5 * MAX_POINTS):
        history.add(step, float(step))
    steps = [s for s, _ in history.points]
    assert len(steps) <= MAX_POINTS and steps[0] == 1
    assert {b - a for a, b in pairwise(steps)} == {history.stride}
    assert steps[-1] > 4 * MAX_POINTS - history.stride


def test_a_closed_run_refuses_commands() -> None:
    r = Run(RunConfig(hidden=(2,)), "x")
    r.close()
    with pytest.raises(RuntimeError, match="closed"):
        r.command("step", 1)


def test_build_is_what_a_user_writes() -> None:
    setup = build(configure(RunConfig(), {"dataset": "linear", "points": 30, "hidden": [3]}))
    assert setup.sizes == [3, 3, 1] and not setup.classifies and len(setup.X) == 30
    X, y = data.linear(30, noise=0.1, seed=0)
    assert setup.X == X and setup.y == y
