"""Code written for micrograd runs on chainrule with the import changed: its internals ``_prev``,
``_op`` and ``_backward()``, ``nonlin=``, a ``draw_dot`` of the kind its notebooks copy, the
lecture's manual chain rule and the moons notebook's training loop. All of it is written here
in micrograd's style, on purpose (untyped, as that code is).
"""

# mypy: allow-untyped-defs, allow-untyped-calls
# (micrograd's code has no types; the typed version of such code is
# tests/docs/typed_user_code.py)
from __future__ import annotations

import math
import random
import re
from typing import Any

import numpy as np
import pytest

from autograd import Value, draw_graph
from mlp import MLP, Layer, Neuron, data, losses


def lecture_expression() -> dict[str, Value]:
    """A small expression with every node named, as the lecture builds them by hand."""
    p = Value(3.0, label="p")
    q = Value(-2.0, label="q")
    r = Value(5.0, label="r")
    pq = p * q
    pq.label = "pq"
    s = pq + r
    s.label = "s"
    t = Value(-4.0, label="t")
    loss = s * t
    loss.label = "L"
    return {v.label: v for v in (p, q, r, pq, s, t, loss)}


def lecture_neuron() -> dict[str, Value]:
    """One tanh neuron of two inputs, each intermediate named."""
    x1, x2 = Value(1.5, label="x1"), Value(-0.5, label="x2")
    w1, w2 = Value(-2.0, label="w1"), Value(0.75, label="w2")
    b = Value(2.5, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    both = x1w1 + x2w2
    both.label = "x1w1x2w2"
    n = both + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {v.label: v for v in (x1, x2, w1, w2, b, x1w1, x2w2, both, n, o)}


def grads(nodes: dict[str, Value]) -> dict[str, Any]:
    return {name: v.grad for name, v in nodes.items()}


# --- _prev and _op --------------------------------------------------------------------------


def test_prev_is_the_set_of_inputs_and_op_is_the_symbol() -> None:
    v = lecture_expression()
    assert v["L"]._prev == {v["s"], v["t"]} and v["L"]._op == "×"
    assert v["s"]._prev == {v["pq"], v["r"]} and v["s"]._op == "+"
    assert v["p"]._prev == set() and v["p"]._op == ""
    square = v["p"] * v["p"]
    assert square._prev == {v["p"]} and square.inputs == (v["p"], v["p"])
    assert v["p"].tanh()._op == "tanh" and (v["p"] ** 2)._op == "^2"


# --- _backward: the lecture's chain rule by hand ------------------------------------------------


def test_the_lectures_manual_steps_equal_backward_on_the_expression() -> None:
    by_hand = lecture_expression()
    by_hand["L"].grad = 1.0
    for name in ("L", "s", "pq", "t", "r", "q", "p"):  # output to leaves; a leaf's step is a no-op
        by_hand[name]._backward()
    engine = lecture_expression()
    engine["L"].backward()
    assert grads(by_hand) == grads(engine)
    assert grads(engine) == {"p": 8.0, "q": -12.0, "r": -4.0, "pq": -4.0, "s": -4.0,
                             "t": -1.0, "L": 1.0}


def test_the_lectures_manual_steps_equal_backward_on_a_neuron() -> None:
    by_hand = lecture_neuron()
    by_hand["o"].grad = 1.0
    for name in ("o", "n", "b", "x1w1x2w2", "x2w2", "x1w1"):
        by_hand[name]._backward()
    engine = lecture_neuron()
    engine["o"].backward()
    assert grads(by_hand) == grads(engine)
    assert by_hand["n"].grad == pytest.approx(1 - math.tanh(by_hand["n"].data) ** 2)


def test_the_lectures_topological_loop_equals_backward_with_shared_nodes() -> None:
    def build(root: Value) -> tuple[dict[str, Value], Value]:
        x, y = Value(0.5, label="x"), Value(-1.5, label="y")
        z = x * y + x.exp()
        w = (z * z + y).tanh() * x
        return {"x": x, "y": y, "z": z, "w": w}, w

    nodes, root = build(Value(0.0))
    topo: list[Value] = []
    visited = set()

    def build_topo(v: Value) -> None:
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(root)
    root.grad = 1.0
    for node in reversed(topo):
        node._backward()
    engine, engine_root = build(Value(0.0))
    engine_root.backward()
    for name in nodes:  # the sums may be added in another order: equal to rounding
        assert nodes[name].grad == pytest.approx(engine[name].grad, rel=1e-15, abs=1e-300)


def test_backward_step_is_the_public_name_and_a_teaching_api() -> None:
    x, y = Value(2.0), Value(3.0)
    z = x * y
    z.grad = 1.0
    z.backward_step()
    assert (x.grad, y.grad) == (3.0, 2.0)
    z.backward_step()  # each step adds, as the chain rule's += does
    assert (x.grad, y.grad) == (6.0, 4.0)
    x.backward_step()  # a leaf has nothing to pass on
    assert x.grad == 6.0


def test_backward_step_refuses_a_grad_that_is_a_value() -> None:
    x = Value(2.0)
    y = x * x
    y.grad = Value(1.0)
    with pytest.raises(TypeError, match=r"backward_step: .*grad.* is a Value"):
        y.backward_step()


# --- nonlin= ------------------------------------------------------------------------------


def test_nonlin_has_micrograds_meaning() -> None:
    assert Neuron(2, nonlin=True).activation == "relu"
    assert Neuron(2, nonlin=False).activation is None
    layer = Layer(2, 3, nonlin=True)
    assert layer.activation == "relu" and all(n.activation == "relu" for n in layer.neurons)
    assert Layer(2, 3, nonlin=False).activation is None
    out = Neuron(2, nonlin=True, rng=random.Random(0))([1.0, -1.0])
    assert out.op == "relu"


def test_a_neurons_nonlin_reads_as_micrograds_attribute_does() -> None:
    # micrograd's Neuron keeps nonlin as an attribute that its repr and users' code read.
    assert Neuron(2, nonlin=True).nonlin is True
    assert Neuron(2, nonlin=False).nonlin is False
    assert Neuron(2).nonlin is False  # linear, the notes' neuron
    assert Neuron(2, "tanh").nonlin is True  # any activation is a nonlinearity
    assert [n.nonlin for n in MLP(2, [3, 1]).layers[0].neurons] == [True] * 3
    assert MLP(2, [3, 1]).layers[-1].neurons[0].nonlin is False  # micrograd's linear output


def test_nonlin_and_activation_together_are_refused() -> None:
    with pytest.raises(TypeError, match=r"^Neuron: give activation= or nonlin=, not both"):
        Neuron(2, activation="tanh", nonlin=True)
    with pytest.raises(TypeError, match=r"^Layer: give activation= or nonlin=, not both"):
        Layer(2, 1, "relu", nonlin=False)
    with pytest.raises(TypeError, match=r"^Neuron: nonlin must be True or False, got str"):
        Neuron(2, nonlin="relu")  # type: ignore[arg-type]


def test_a_bare_neuron_is_linear_here_and_says_so() -> None:
    # micrograd's bare Neuron(2) is ReLU; chainrule's is the notes' linear N = w·x + b.
    assert Neuron(2).activation is None and "activation=None" in repr(Neuron(2))
    assert Neuron(2, nonlin=True).activation == "relu"


def test_micrograds_seeded_weights_come_out_the_same() -> None:
    # micrograd draws each weight with random.uniform(-1, 1), in order; so does chainrule.
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    random.seed(1337)
    expected = []
    for nin, nout in ((2, 16), (16, 16), (16, 1)):
        for _ in range(nout):
            expected += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    assert [p.data for p in model.parameters()] == expected


# --- a draw_dot written against _prev and _op ---------------------------------------------


def trace(root):
    nodes, edges = set(), set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v in nodes:
            continue
        nodes.add(v)
        for child in v._prev:
            edges.add((child, v))
            stack.append(child)
    return nodes, edges


def draw_dot(root, format="svg", rankdir="LR"):
    from graphviz import Digraph

    nodes, edges = trace(root)
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
    for n in nodes:
        uid = str(id(n))
        dot.node(name=uid, label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad),  # noqa: UP031
                 shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for a, b in edges:
        dot.edge(str(id(a)), str(id(b)) + b._op)
    return dot


def test_a_micrograd_style_draw_dot_runs_and_renders(dot: None) -> None:
    nodes = lecture_neuron()
    nodes["o"].backward()
    graph = draw_dot(nodes["o"])
    svg = graph.pipe(format="svg").decode("utf-8")
    for name, v in nodes.items():
        assert f"{name} | data {v.data:.4f} | grad {v.grad:.4f}" in graph.source
    assert svg.count('class="node"') == len(nodes) + 5  # a small node per op: 2 ×, 2 +, tanh
    for symbol in ("×", "+", "tanh"):
        assert re.search(rf">{re.escape(symbol)}<", svg)
    assert "digraph" in draw_graph(nodes["o"]).source  # chainrule's own drawing, beside it


# --- the moons notebook's loop ------------------------------------------------------------------


def test_the_moons_notebook_loop_trains_as_chainrules_own_losses_say() -> None:
    X_list, y_list = data.make_moons(30, noise=0.1, seed=3)
    X, y = np.array(X_list), np.array(y_list, dtype=np.int64)  # as scikit-learn gives them
    random.seed(1337)
    model = MLP(2, [16, 16, 1])  # micrograd's default: ReLU hidden layers, linear output
    alpha = 1e-4

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        per_sample = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
        data_loss = sum(per_sample) * (1.0 / len(per_sample))
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores, strict=True)]
        return total_loss, sum(accuracy) / len(accuracy), scores

    history = []
    for k in range(20):
        total_loss, acc, scores = loss()
        own = losses.hinge(y, scores) + alpha * losses.l2(model.parameters())
        assert total_loss.data == pytest.approx(own.data, rel=1e-12)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total_loss.data, acc))
        print(f"step {k} loss {total_loss:.4f}, accuracy {acc * 100}%")
    assert history[-1][0] < 0.5 * history[0][0]
    assert min(acc for _, acc in history[-5:]) >= 0.85  # from 50% at the start
