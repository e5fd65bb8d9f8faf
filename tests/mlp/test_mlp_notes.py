"""The notes' 3-2-1 network: its graph, its labels, its 11 hand-derived gradients, its training."""

from __future__ import annotations

import math

from autograd import Value, topological_order
from mlp import MLP, data, losses, optim

NOTES_SYMBOLS = ["w1", "w2", "w3", "b1", "w4", "w5", "w6", "b2", "w7", "w8", "b3"]


def notes_network(seed: int = 7) -> MLP:
    return MLP(3, [2, 1], activation=None, seed=seed)


def predict(model: MLP, x: list[float] | list[Value]) -> Value:
    out = model(x)
    assert isinstance(out, Value)
    return out


def test_parameters_come_in_the_notes_order_with_the_notes_names() -> None:
    assert [p.label for p in notes_network().parameters()] == NOTES_SYMBOLS


def test_the_graph_of_y_hat_has_exactly_the_notes_17_nodes() -> None:
    x = [Value(0.5, label="x1"), Value(-1.0, label="x2"), Value(2.0, label="x3")]
    y_hat = predict(notes_network(), x)
    nodes = topological_order(y_hat)
    assert len(nodes) == 17
    assert sorted(n.label for n in nodes) == sorted(
        ["x1", "x2", "x3", *NOTES_SYMBOLS, "N1", "N2", "ŷ"]
    )
    assert nodes[-1] is y_hat
    assert [n.op for n in nodes if n.inputs] == ["wsum", "wsum", "wsum"]


def test_float_inputs_become_leaves_labelled_x1_x2_x3_shared_by_both_neurons() -> None:
    y_hat = predict(notes_network(), [0.5, -1.0, 2.0])
    nodes = topological_order(y_hat)
    assert len(nodes) == 17
    assert [n.label for n in nodes if n.label.startswith("x")] == ["x1", "x2", "x3"]
    n1, n2 = (n for n in nodes if n.label in ("N1", "N2"))
    assert n1.inputs[3:6] == n2.inputs[3:6]  # the same x1 x2 x3 Values feed N1 and N2


def test_the_forward_pass_is_the_notes_formulas() -> None:
    model = notes_network()
    w1, w2, w3, b1, w4, w5, w6, b2, w7, w8, b3 = (p.data for p in model.parameters())
    x1, x2, x3 = 0.5, -1.0, 2.0
    N1 = w1 * x1 + w2 * x2 + w3 * x3 + b1
    N2 = w4 * x1 + w5 * x2 + w6 * x3 + b2
    assert math.isclose(predict(model, [x1, x2, x3]).data, w7 * N1 + w8 * N2 + b3,
                        rel_tol=1e-14)


def hand_gradients(params: list[float], X: list[list[float]], y: list[float]) -> list[float]:
    """dL/dw1 ... dL/db3 written out as the notes derive them, in plain floats."""
    w1, w2, w3, b1, w4, w5, w6, b2, w7, w8, b3 = params
    n = len(X)
    g = dict.fromkeys(NOTES_SYMBOLS, 0.0)
    for (x1, x2, x3), yi in zip(X, y, strict=True):
        N1 = w1 * x1 + w2 * x2 + w3 * x3 + b1
        N2 = w4 * x1 + w5 * x2 + w6 * x3 + b2
        y_hat = w7 * N1 + w8 * N2 + b3
        d = -2 * (yi - y_hat)  # dL/dŷᵢ without the 1/n
        g["w7"] += d * N1
        g["w8"] += d * N2
        g["b3"] += d
        g["w1"] += d * w7 * x1  # dL/dN1 · dN1/dw1, the chain rule
        g["w2"] += d * w7 * x2
        g["w3"] += d * w7 * x3
        g["b1"] += d * w7
        g["w4"] += d * w8 * x1
        g["w5"] += d * w8 * x2
        g["w6"] += d * w8 * x3
        g["b2"] += d * w8
    return [g[s] / n for s in NOTES_SYMBOLS]


def test_autograd_gives_the_notes_hand_derived_gradients_for_all_11_parameters() -> None:
    model = notes_network()
    X, y = data.linear(6, weights=(1.5, -0.5, 2.0), bias=0.3, noise=0.2, seed=3)
    loss = losses.mse(y, [predict(model, x) for x in X])
    loss.backward()
    params = model.parameters()
    expected = hand_gradients([p.data for p in params], X, y)
    for p, want in zip(params, expected, strict=True):
        assert abs(want) > 1e-3, "pick data where no gradient is ~0, so relative error means"
        assert isinstance(p.grad, float)
        assert math.isclose(p.grad, want, rel_tol=1e-12), (p.label, p.grad, want)


def test_gradient_descent_fits_the_linear_target_to_mse_below_1e_8() -> None:
    model = notes_network(seed=1)
    X, y = data.linear(20, weights=(2.0, -3.0, 0.5), bias=1.0, seed=0)
    opt = optim.SGD(model.parameters(), lr=0.05)
    first = last = math.inf
    for step in range(3000):
        loss = losses.mse(y, [predict(model, x) for x in X])
        first = loss.data if step == 0 else first
        last = loss.data
        if last < 1e-9:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert first > 1.0
    assert last < 1e-8
