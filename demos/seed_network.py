"""The seed network: the notes' 3-2-1 network, its hand-derived gradients, and autograd's.

The first page of notes builds a network by hand,

    N1 = w1 x1 + w2 x2 + w3 x3 + b1
    N2 = w4 x1 + w5 x2 + w6 x3 + b2
    ŷ  = w7 N1 + w8 N2 + b3
    L  = (1/n) Σ (yᵢ − ŷᵢ)²,

on data from y = f(x1, x2, x3), derives dL/dw for every weight and bias with the chain rule,
and steps w(t+1) = w(t) − η dL/dw. This script does all of it: the forward pass, a table of
the notes' formulas beside autograd's numbers, gradient descent, and the chain rule for w1
and w7 written out by ``explain``. It writes ``seed_network.svg``: the graph of the first
sample's loss, every record showing its data and grad after backward. It exits 1 if any
formula and autograd disagree by more than 1e-12 relative, or if the loss does not fall.

    python demos/seed_network.py [--out DIR] [--quick]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

from _common import NO_GRAPHVIZ, arguments, draw, parse, verdict

from autograd import Value, explain, to_svg, total
from mlp import MLP, data, optim

TOLERANCE = 1e-12
TARGET = "y = 2·x1 − 3·x2 + 0.5·x3 + 1"


class Network:
    """The notes' network on n samples: the forward pass with the notes' names, and the loss."""

    def __init__(self, model: MLP, X: list[list[float]], y: list[float]) -> None:
        self.model, self.X, self.y = model, X, y
        self.p = {w.label: w for w in model.parameters()}  # w1 ... w8, b1 b2 b3
        self.N1: list[Value] = []
        self.N2: list[Value] = []
        self.y_hat: list[Value] = []
        squares = []
        for i, (x, target) in enumerate(zip(X, y, strict=True), start=1):
            y_hat = model(x)
            assert isinstance(y_hat, Value)
            n1, n2 = y_hat.inputs[2:4]  # ŷ = w7·N1 + w8·N2 + b3: inputs (w7, w8, N1, N2, b3)
            y_hat.label = f"ŷ{_sub(i)}"
            error = Value(target, f"y{_sub(i)}") - y_hat
            error.label = f"y{_sub(i)} − ŷ{_sub(i)}"
            square = error**2
            square.label = f"(y{_sub(i)} − ŷ{_sub(i)})²"
            squares.append(square)
            self.N1.append(n1)
            self.N2.append(n2)
            self.y_hat.append(y_hat)
        if len(squares) == 1:  # one sample: L = (y − ŷ)², as the notes' diagram draws it
            self.loss = squares[0]
        else:
            sum_of_squares = total(squares)
            sum_of_squares.label = "Σ(yᵢ − ŷᵢ)²"
            self.loss = sum_of_squares / len(squares)
        self.loss.label = "L"


def _signed(v: float) -> str:
    return f"{v:+.3f}".replace("-", "− ").replace("+", "+ ")


def _leading(v: float) -> str:
    return f"{v:.3f}".replace("-", "−")


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def hand_formulas(net: Network) -> dict[str, tuple[str, Callable[[], float]]]:
    """dL/dp for all 11 parameters, as the notes derive them, on plain floats."""
    n = len(net.X)
    w7, w8 = net.p["w7"].data, net.p["w8"].data
    e = [yi - yh.data for yi, yh in zip(net.y, net.y_hat, strict=True)]  # yᵢ − ŷᵢ
    n1 = [v.data for v in net.N1]
    n2 = [v.data for v in net.N2]
    x = net.X

    def mean(terms: list[float]) -> float:
        return sum(terms) / n

    def rule(*factors: list[float]) -> Callable[[], float]:
        """(1/n) Σ −2(yᵢ − ŷᵢ) · (the product of the factors' i-th entries)."""
        def compute() -> float:
            return mean([-2 * e[i] * math.prod(f[i] for f in factors) for i in range(n)])
        return compute

    formulas = {
        "w7": ("(1/n) Σ −2(yᵢ − ŷᵢ)·N1ᵢ", rule(n1)),
        "w8": ("(1/n) Σ −2(yᵢ − ŷᵢ)·N2ᵢ", rule(n2)),
        "b3": ("(1/n) Σ −2(yᵢ − ŷᵢ)", rule()),
    }
    for neuron, w_out, first in ((1, w7, 1), (2, w8, 4)):
        outgoing = [w_out] * n  # dŷ/dN = w7 (or w8), the same for every sample
        for k in range(3):
            formulas[f"w{first + k}"] = (f"(1/n) Σ −2(yᵢ − ŷᵢ)·w{6 + neuron}·x{k + 1}ᵢ",
                                         rule(outgoing, [row[k] for row in x]))
        formulas[f"b{neuron}"] = (f"(1/n) Σ −2(yᵢ − ŷᵢ)·w{6 + neuron}", rule(outgoing))
    order = ["w1", "w2", "w3", "b1", "w4", "w5", "w6", "b2", "w7", "w8", "b3"]
    return {name: formulas[name] for name in order}


def print_forward(net: Network) -> None:
    print("1. Forward pass: N1 = w1x1 + w2x2 + w3x3 + b1, N2 = w4x1 + w5x2 + w6x3 + b2, "
          "ŷ = w7N1 + w8N2 + b3\n")
    print("   weights: " + "  ".join(f"{k} = {v.data:+.4f}" for k, v in net.p.items()))
    print(f"\n   {'i':>2} {'x1':>7} {'x2':>7} {'x3':>7} {'y':>8} {'N1':>9} {'N2':>9} {'ŷ':>9}")
    for i, (x, y) in enumerate(zip(net.X, net.y, strict=True)):
        print(f"   {i + 1:>2} {x[0]:>7.3f} {x[1]:>7.3f} {x[2]:>7.3f} {y:>8.4f} "
              f"{net.N1[i].data:>9.4f} {net.N2[i].data:>9.4f} {net.y_hat[i].data:>9.4f}")
    print(f"\n   L = (1/n) Σ (yᵢ − ŷᵢ)² = {net.loss.data:.6f}   (n = {len(net.X)})\n")


def print_gradient_table(net: Network) -> bool:
    print("2. Backward pass: the notes' formulas by hand, and autograd's loss.backward()\n")
    net.model.zero_grad()
    net.loss.backward()
    ok = True
    print(f"   {'dL/d':<6} {'the notes’ formula':<32} {'by hand':>13} {'autograd':>13}  equal")
    for name, (formula, compute) in hand_formulas(net).items():
        by_hand = compute()
        auto = net.p[name].grad
        assert isinstance(auto, float)
        equal = math.isclose(by_hand, auto, rel_tol=TOLERANCE, abs_tol=1e-300)
        ok = ok and equal
        verdict = "yes" if equal else "NO"
        print(f"   {name:<6} {formula:<32} {by_hand:>13.9f} {auto:>13.9f}  {verdict}")
    print()
    return ok


def descend(model: MLP, X: list[list[float]], y: list[float], steps: int, lr: float) -> list[float]:
    """Gradient descent, w(t+1) = w(t) − η dL/dw, as the notes step it; the loss per step."""
    print(f"3. Gradient descent, w(t+1) = w(t) − η·dL/dw with η = {lr}\n")
    opt = optim.SGD(model.parameters(), lr=lr)
    history = []
    for t in range(steps + 1):
        loss = Network(model, X, y).loss
        history.append(loss.data)
        if t in (0, 1, 2, 5, 10) or t % max(steps // 5, 1) == 0:
            print(f"   t = {t:>4}   L = {loss.data:.3e}")
        if t == steps:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    p = {w.label: w.data for w in model.parameters()}
    coefficients = [p["w7"] * p[f"w{k}"] + p["w8"] * p[f"w{k + 3}"] for k in (1, 2, 3)]
    bias = p["w7"] * p["b1"] + p["w8"] * p["b2"] + p["b3"]
    print(f"\n   after {steps} steps, ŷ = w7·N1 + w8·N2 + b3 works out to "
          f"{_leading(coefficients[0])}·x1 {_signed(coefficients[1])}·x2 "
          f"{_signed(coefficients[2])}·x3 {_signed(bias)}\n   (the data's f: {TARGET})\n")
    return history


def main(argv: list[str] | None = None) -> int:
    args = parse(arguments(__doc__, "fewer gradient-descent steps",
                           out="folder for seed_network.svg"), argv)

    X, y = data.linear(n=4, weights=(2.0, -3.0, 0.5), bias=1.0, noise=0.0, seed=1)
    model = MLP(3, [2, 1], activation=None, seed=0)
    print(f"The notes' 3-2-1 network, MLP(3, [2, 1], activation=None), on {len(X)} samples "
          f"of {TARGET}\n")
    net = Network(model, X, y)
    print_forward(net)
    formulas_ok = print_gradient_table(net)

    # One sample: the picture of the notes' own diagram. Its grads must be this one pass's
    # alone (leaf grads accumulate), so the picture agrees with itself edge by edge.
    first = Network(model, X[:1], y[:1])
    model.zero_grad()
    first.loss.backward()
    svg = args.out / "seed_network.svg"
    drawn = draw(svg, lambda path: to_svg(first.loss, path, show_partials=True)) is not None
    model.zero_grad()
    net.loss.backward()

    explained = {name: explain(net.loss, net.p[name]) for name in ("w1", "w7")}
    explained_ok = all(math.isclose(text.total, net.p[name].grad, rel_tol=TOLERANCE)
                       for name, text in explained.items())

    history = descend(model, X, y, steps=100 if args.quick else 400, lr=0.1)
    print("4. The chain rule for w1 and w7 at the first step, written out by explain(L, w)\n")
    for text in explained.values():
        print("   " + text.replace("\n", "\n   ") + "\n")
    falls = history[-1] < history[0] / 100
    if drawn:
        print(f"Wrote {svg} (the graph of sample 1's loss, data and grad in every record).")
    else:
        print(f"No {svg.name}: {NO_GRAPHVIZ}")
    checks = {"every hand formula equals autograd": formulas_ok,
              "explain's totals equal the grads": explained_ok,
              "the loss falls a hundredfold": falls}
    for what, passed in checks.items():
        print(f"  [{'ok' if passed else 'FAILED'}] {what}")
    return verdict(all(checks.values()))


if __name__ == "__main__":
    sys.exit(main())
