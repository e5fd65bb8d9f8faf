"""XOR: a hidden layer of tanh neurons learns what a single neuron cannot.

XOR's four points are not linearly separable, so a single tanh neuron (a line through the
plane, then a squash) always gets at least one sign wrong. With a hidden layer of four tanh
neurons, gradient descent on the mean squared error against ±1 targets gets all four right.
The script prints the truth table before and after training, trains the single neuron too
for comparison, and writes ``xor_loss.png``: both loss curves on a log scale.

The check: after training, all four signs right and the MSE below 0.01. That threshold says
more than the signs: a mean of four squared errors below 0.01 puts each squared error below
0.04, so every output is within 0.2 of its target, on the right side of 0 by at least 0.8.

    python demos/xor.py [--out DIR] [--quick] [--seed N]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from _common import arguments, parse, pyplot, save, verdict

from autograd import Value, no_grad
from mlp import MLP, data, fit, losses, optim

LEARNING_RATE = 0.5
THRESHOLD = 0.01  # MSE < 0.01 means every output within 0.2 of its ±1 target (see above)


def outputs(model: MLP, X: Sequence[Sequence[float]]) -> list[float]:
    with no_grad():
        result = [model(x) for x in X]
    return [v.data for v in result if isinstance(v, Value)]


def mse(y: Sequence[float], out: Sequence[float]) -> float:
    return sum((t - o) ** 2 for t, o in zip(y, out, strict=True)) / len(y)


def truth_table(title: str, model: MLP, X: list[list[float]], y: list[float]) -> bool:
    """Print the model's truth table; True if every sign is right."""
    out = outputs(model, X)
    print(title)
    print(f"  {'x1':>4} {'x2':>4}  {'target':>6}  {'output':>8}  sign right?")
    right = [o * t > 0 for o, t in zip(out, y, strict=True)]  # an output of 0 has no sign
    for (x1, x2), t, o, r in zip(X, y, out, right, strict=True):
        print(f"  {x1:>4g} {x2:>4g}  {t:>+6g}  {o:>+8.4f}  {'yes' if r else 'NO'}")
    print(f"  MSE = {mse(y, out):.6f};  signs right: {sum(right)} of {len(right)}\n")
    return all(right)


def train(model: MLP, X: list[list[float]], y: list[float], epochs: int) -> list[float]:
    """Full-batch gradient descent on the MSE; the loss of every epoch."""
    opt = optim.SGD(model.parameters(), lr=LEARNING_RATE)
    return fit(model, X, y, losses.mse, opt, epochs, progress=False).loss


def plot(path: Path, curves: dict[str, list[float]]) -> None:
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for (label, loss), color in zip(curves.items(), ("tab:blue", "tab:orange"), strict=True):
        ax.plot(range(1, len(loss) + 1), loss, color=color, label=label, linewidth=2)
    ax.axhline(THRESHOLD, color="gray", linestyle="--", linewidth=1,
               label=f"check: MSE < {THRESHOLD:g} (each output within 0.2 of ±1)")
    ax.set_yscale("log")
    ax.set_xlabel("epoch (one full-batch gradient-descent step on the 4 points)")
    ax.set_ylabel("MSE against ±1 targets (log scale)")
    ax.set_title(f"XOR by gradient descent (SGD, lr = {LEARNING_RATE:g})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="center right")
    fig.tight_layout()
    save(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, "200 epochs instead of 500")
    parser.add_argument("--seed", type=int, default=0, help="seed of the initial weights")
    args = parse(parser, argv)
    epochs = 200 if args.quick else 500

    X, y = data.xor()
    net = MLP(2, [4, 1], activation="tanh", output_activation="tanh", seed=args.seed)
    single = MLP(2, [1], output_activation="tanh", seed=args.seed)
    print(f"XOR with ±1 targets; {net}, and one tanh neuron for comparison.")
    print(f"Both trained by full-batch gradient descent on the MSE, lr = {LEARNING_RATE}, "
          f"{epochs} epochs.\n")
    truth_table("Before training (2-4-1 tanh network, random weights):", net, X, y)
    curves = {"2-4-1 tanh network": train(net, X, y, epochs),
              "a single tanh neuron (no hidden layer)": train(single, X, y, epochs)}
    signs = truth_table("After training (2-4-1 tanh network):", net, X, y)
    truth_table("After training (a single tanh neuron: a line cannot split XOR):", single, X, y)

    loss = mse(y, outputs(net, X))
    path = args.out / "xor_loss.png"
    plot(path, curves)
    print(f"Wrote {path}")
    print(f"Check: all four signs right: {signs}; MSE {loss:.2e} < {THRESHOLD:g} "
          f"(every output within 0.2 of its target): {loss < THRESHOLD}")
    ok = signs and loss < THRESHOLD
    return verdict(ok)


if __name__ == "__main__":
    sys.exit(main())
