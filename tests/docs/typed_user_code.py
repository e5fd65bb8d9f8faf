"""Everyday user code, typed, as a user writes it: CI's ``mypy --strict`` checks this file.

It is the micrograd-style training loop (``p.data -= lr * p.grad``, ``model(x).backward()``),
printing and comparing losses, drawing, and second derivatives, written with no cast and no
``type: ignore``. ``tests/docs/test_typed_user_code.py`` also runs it, so it is code that works,
not only code that type-checks.
"""

from __future__ import annotations

import math

from graphviz import Digraph

import autograd
from autograd import Value, draw_graph, grad, total
from autograd.compile import CompileError
from mlp import MLP, Layer, Neuron, data, losses


def train_moons(steps: int = 10, seed: int = 0) -> list[float]:
    """The moons notebook's loop, micrograd's way: Values by hand, SGD by hand."""
    X, y = data.make_moons(30, noise=0.1, seed=seed)
    model = MLP(2, [16, 16, 1], seed=seed)
    history: list[float] = []
    for k in range(steps):
        inputs = [[Value(a), Value(b)] for a, b in X]
        scores = [model(x) for x in inputs]
        per_sample = [(1 + -yi * score).relu() for yi, score in zip(y, scores, strict=True)]
        # Not sum(per_sample): builtins.sum is typed "Value | Literal[0]" (0 for an empty
        # list), which makes the loss "Value | float". total() is a Value, and one node.
        data_loss = total(per_sample) * (1.0 / len(per_sample))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = sum((yi > 0) == (score.data > 0) for yi, score in zip(y, scores, strict=True))
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(float(total_loss))
        print(f"step {k}: loss {total_loss:.4f}, accuracy {accuracy}/{len(y)}")
    return history


def one_prediction() -> float:
    """``model(x).backward()`` on a one-output model, and the grads as floats."""
    model = MLP(3, [2, 1], activation=None, seed=0)
    model([0.5, -1.0, 2.0]).backward()
    w1 = model.parameters()[0]
    return w1.grad + max(p.grad for p in model.parameters())


def several_outputs() -> list[float]:
    """A model with several outputs gives a list: say so where the model is made."""
    model: MLP[list[Value]] = MLP(2, [4, 3], seed=0)
    outputs = model([1.0, 2.0])
    losses.mse([0.0, 1.0, 0.0], outputs).backward()
    layer = Layer(2, 3, nonlin=True)
    neuron = Neuron(2, activation="tanh")
    return [o.data for o in outputs] + [v.data for v in layer([1.0, 2.0])] + [neuron([1, 2]).data]


def numbers_out(values: list[Value]) -> str:
    best = min(values)
    ordered = sorted(values)
    assert math.isclose(best, ordered[0]) and best <= ordered[-1]
    return f"best {best:.3f} of {len(values)}, worst {max(values):.3f}"


def second_derivative(x0: float) -> float:
    """``backward(create_graph=True)`` leaves Values in ``.grad``: ``grad_value`` reads one."""
    x = Value(x0, label="x")
    y = x**3
    y.backward(create_graph=True)
    dy_dx: Value = x.grad_value
    (d2y,) = grad(dy_dx, [x])
    d2y_too: float = grad(grad(y, [x], create_graph=True)[0], [x])[0]
    assert d2y == d2y_too
    return d2y


def compiled_step() -> float:
    """``autograd.compile``: the notes' network as a program; one SGD step through it, or
    through the eager graph if the model could not be compiled."""
    model = MLP(3, [2, 1], activation=None, seed=0)
    X, y = [[0.5, -1.0, 2.0], [1.0, 0.5, -0.5]], [1.0, -0.5]
    try:
        prog: autograd.Program | None = autograd.compile(
            lambda x, target: losses.mse(target, model(x)), X[0], y[0])
    except CompileError:  # a model whose graph changes from call to call
        prog = None
    loss = prog.mean(X, y) if prog is not None else losses.mse(y, [model(x) for x in X])
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    return loss.data


def picture(y: Value) -> str:
    dot: Digraph = draw_graph(y)
    return str(dot.source)


def pytorch_names(x0: float) -> tuple[float, float]:
    """PyTorch's scalar ops as Value methods and %: each a Value, differentiable again."""
    x = Value(x0)
    y = x.gelu() + x.silu() + x.softplus() + x.elu(0.5) + x.leaky_relu(0.2) + x.clamp(0.0, 1.0)
    y = y + x.tan() + x.asin() + x.atan2(Value(2.0)) + x % 0.3 + 1.0 % x + x.rsqrt().log2()
    (dy,) = grad(y, [x], create_graph=True)
    (d2y,) = grad(dy, [x])
    return dy.data, d2y


def main() -> None:
    history = train_moons()
    assert history[-1] < history[0]
    one_prediction()
    several_outputs()
    print(numbers_out([Value(0.5), Value(-1.0), Value(2.0)]))
    assert second_derivative(2.0) == 12.0
    print(pytorch_names(0.4))
    assert compiled_step() > 0
    assert picture(Value(2.0) * 3).startswith("digraph")


if __name__ == "__main__":
    main()
