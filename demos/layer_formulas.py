"""Layer formulas: the notes' backpropagation formulas by hand, beside autograd's numbers.

The second page of notes writes a network as layers, each with a forward pass (X in, Y out)
and a backward pass (dE/dY in, dE/dX out):

    Dense layer       Y = W·X + B       dE/dW = dE/dY·Xᵀ   dE/dB = dE/dY   dE/dX = Wᵀ·dE/dY
    Activation layer  Y = f(X)          dE/dX = dE/dY ⊙ f′(X)
    Mean squared error  E = (1/n) Σ (y*ᵢ − yᵢ)²       dE/dY = (2/n)(Y − Y*)

For Dense(3→2), tanh, Dense(2→1) under MSE, this script computes every one of those with
plain lists of floats, and prints each beside the ``.grad`` (or ``.data``) that autograd gives
for the same Values after one ``backward()``. Samples are the columns of X, so a formula that
holds for one sample holds column by column; dE/dW = dE/dY·Xᵀ then sums over the samples by
itself, and dE/dB is dE/dY summed over its columns (for one sample, dE/dY itself).
Every number must match to 1e-12 relative, or the script exits 1.

    python demos/layer_formulas.py [--out DIR] [--quick] [--seed N] [--samples M]
"""

from __future__ import annotations

import math
import random
import sys

from _common import arguments, parse

from autograd import Value
from mlp import Layer, data, losses

Matrix = list[list[float]]
TOLERANCE = 1e-12


# Matrix helpers on plain lists: a matrix is a list of rows.

def matmul(A: Matrix, B: Matrix) -> Matrix:
    columns = list(zip(*B, strict=True))
    return [[math.fsum(a * b for a, b in zip(row, col, strict=True)) for col in columns]
            for row in A]


def transpose(A: Matrix) -> Matrix:
    return [list(col) for col in zip(*A, strict=True)]


def hadamard(A: Matrix, B: Matrix) -> Matrix:
    """Entry-wise product, the notes' ⊙."""
    return [[a * b for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(A, B, strict=True)]


def plus_column(A: Matrix, B: Matrix) -> Matrix:
    """A + B, with the column B added to every column of A (the bias of each sample)."""
    return [[a + b[0] for a in row] for row, b in zip(A, B, strict=True)]


def row_sums(A: Matrix) -> Matrix:
    """The column of row sums: dE/dB summed over the samples."""
    return [[math.fsum(row)] for row in A]


def scale(c: float, A: Matrix) -> Matrix:
    return [[c * a for a in row] for row in A]


def minus(A: Matrix, B: Matrix) -> Matrix:
    return [[a - b for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(A, B, strict=True)]


def weights(layer: Layer) -> tuple[Matrix, Matrix]:
    """W (one row per output neuron) and the column B of a layer's current numbers."""
    return [[w.data for w in n.w] for n in layer.neurons], [[n.b.data] for n in layer.neurons]


def by_hand(layer1: Layer, layer2: Layer, X: Matrix, Y_star: Matrix) -> dict[str, Matrix]:
    """Every quantity of the notes, from the layers' numbers, with plain floats."""
    (W1, B1), (W2, B2) = weights(layer1), weights(layer2)
    Y1 = plus_column(matmul(W1, X), B1)
    H = [[math.tanh(v) for v in row] for row in Y1]
    Y = plus_column(matmul(W2, H), B2)
    n = len(Y[0]) * len(Y)
    E = [[math.fsum((ys - y) ** 2 for ys, y in zip(Y_star[0], Y[0], strict=True)) / n]]
    dE_dY = scale(2 / n, minus(Y, Y_star))
    dE_dH = matmul(transpose(W2), dE_dY)
    tanh_prime = [[1 - math.tanh(v) ** 2 for v in row] for row in Y1]
    dE_dY1 = hadamard(dE_dH, tanh_prime)
    return {
        "Y1": Y1, "H": H, "Y": Y, "E": E, "dE/dY": dE_dY,
        "dE/dW2": matmul(dE_dY, transpose(H)), "dE/dB2": row_sums(dE_dY), "dE/dH": dE_dH,
        "dE/dY1": dE_dY1,
        "dE/dW1": matmul(dE_dY1, transpose(X)), "dE/dB1": row_sums(dE_dY1),
        "dE/dX": matmul(transpose(W1), dE_dY1),
    }


def grads(values: list[list[Value]]) -> Matrix:
    return [[float(v.grad) if not isinstance(v.grad, Value) else v.grad.data for v in row]
            for row in values]


def by_autograd(layer1: Layer, layer2: Layer, X: Matrix, Y_star: Matrix) -> dict[str, Matrix]:
    """The same quantities read off autograd's Values after ``E.backward()``."""
    samples = [[Value(x, f"x{i + 1}") for i, x in enumerate(col)] for col in transpose(X)]
    Y1 = [layer1(x) for x in samples]  # one list per sample: the columns
    H = [[v.tanh() for v in col] for col in Y1]
    Y = [layer2(h) for h in H]
    E = losses.mse(Y_star[0], [col[0] for col in Y])
    for p in (*layer1.parameters(), *layer2.parameters()):
        p.grad = 0.0
    E.backward()

    def rows(cols: list[list[Value]]) -> list[list[Value]]:
        return [list(r) for r in zip(*cols, strict=True)]

    def params(layer: Layer) -> tuple[list[list[Value]], list[list[Value]]]:
        return [n.w for n in layer.neurons], [[n.b] for n in layer.neurons]

    (W1, B1), (W2, B2) = params(layer1), params(layer2)
    data_of = {"Y1": rows(Y1), "H": rows(H), "Y": rows(Y), "E": [[E]]}
    grad_of = {"dE/dY": rows(Y), "dE/dW2": W2, "dE/dB2": B2, "dE/dH": rows(H),
               "dE/dY1": rows(Y1), "dE/dW1": W1, "dE/dB1": B1, "dE/dX": rows(samples)}
    return ({k: [[v.data for v in row] for row in m] for k, m in data_of.items()}
            | {k: grads(m) for k, m in grad_of.items()})


SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Forward pass", [
        ("Y1", "Dense 1      Y1 = W1·X + B1"),
        ("H", "Activation   H = tanh(Y1)"),
        ("Y", "Dense 2      Y = W2·H + B2"),
        ("E", "MSE          E = (1/n) Σ (y*ᵢ − yᵢ)²"),
    ]),
    ("Backward pass (each layer: dE/dY in, dE/dX out)", [
        ("dE/dY", "MSE          dE/dY = (2/n)(Y − Y*)"),
        ("dE/dW2", "Dense 2      dE/dW2 = dE/dY · Hᵀ"),
        ("dE/dB2", "Dense 2      dE/dB2 = dE/dY   (summed over the samples)"),
        ("dE/dH", "Dense 2      dE/dH = W2ᵀ · dE/dY     (its dE/dX: H is its input)"),
        ("dE/dY1", "Activation   dE/dY1 = dE/dH ⊙ tanh′(Y1),  tanh′ = 1 − tanh²"),
        ("dE/dW1", "Dense 1      dE/dW1 = dE/dY1 · Xᵀ"),
        ("dE/dB1", "Dense 1      dE/dB1 = dE/dY1  (summed over the samples)"),
        ("dE/dX", "Dense 1      dE/dX = W1ᵀ · dE/dY1"),
    ]),
]


def relative_difference(a: float, b: float) -> float:
    big = max(abs(a), abs(b))
    return 0.0 if big == 0 else abs(a - b) / big


def compare(name: str, formula: str, hand: Matrix, auto: Matrix) -> tuple[list[str], list[float]]:
    """Lines of one formula's table, and the relative differences of its entries."""
    shape = f"{len(hand)}×{len(hand[0])}"
    lines = [f"  {formula}   [{shape}]",
             f"    {name + ' entry':<14}{'by hand':>22}{'autograd':>22}{'rel. diff':>11}  match"]
    diffs = []
    for i, (rh, ra) in enumerate(zip(hand, auto, strict=True)):
        for j, (h, a) in enumerate(zip(rh, ra, strict=True)):
            d = relative_difference(h, a)
            diffs.append(d)
            lines.append(f"    {f'[{i + 1},{j + 1}]':<14}{h:>22.15f}{a:>22.15f}{d:>11.1e}  "
                         f"{'yes' if d <= TOLERANCE else 'NO'}")
    return [*lines, ""], diffs


def setup(seed: int, samples: int) -> tuple[Layer, Layer, Matrix, Matrix, list[str]]:
    rng = random.Random(seed)
    layer1, layer2 = Layer(3, 2, rng=rng), Layer(2, 1, rng=rng)
    for neuron in (*layer1.neurons, *layer2.neurons):
        neuron.b.data = rng.uniform(-1.0, 1.0)  # biases start at 0: give B something to show
    # The notes' y = f(x1, x2, x3), with another seed than the weights' (else X would be W1).
    rows, targets = data.linear(samples, seed=seed + 1)
    X, Y_star = transpose(rows), [targets]
    (W1, B1), (W2, B2) = weights(layer1), weights(layer2)

    def show(name: str, M: Matrix) -> str:
        return f"  {name:<3}= [" + ", ".join(
            "[" + ", ".join(f"{v: .4f}" for v in row) + "]" for row in M) + "]"

    intro = [
        "The notes' layer formulas, by hand (plain lists) and by autograd (.data / .grad)",
        "Network: X → Dense(3→2) → tanh → Dense(2→1) → Y;  loss E = MSE(Y, Y*)",
        f"Samples are the columns of X: m = {samples}, so n = {samples} outputs in the MSE.",
        f"Weights: seed {seed}; inputs and targets: data.linear (the notes' y = f(x1, x2, x3)).",
        "Entry [i,j] is row i, column j; in X, Y1, H, Y and their gradients, column j is sample j.",
        "", *(show(k, M) for k, M in (("X", X), ("Y*", Y_star), ("W1", W1), ("B1", B1),
                                       ("W2", W2), ("B2", B2))), "",
    ]
    return layer1, layer2, X, Y_star, intro


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, "no effect: this demo is quick")
    parser.add_argument("--seed", type=int, default=0, help="seed of weights and data")
    parser.add_argument("--samples", type=int, default=3, help="samples (columns of X)")
    args = parse(parser, argv)
    if args.samples < 1:
        parser.error(f"--samples must be at least 1, got {args.samples}")

    layer1, layer2, X, Y_star, lines = setup(args.seed, args.samples)
    hand = by_hand(layer1, layer2, X, Y_star)
    auto = by_autograd(layer1, layer2, X, Y_star)
    diffs: list[float] = []
    for title, rows in SECTIONS:
        lines += [title, "-" * len(title)]
        for name, formula in rows:
            table, d = compare(name, formula, hand[name], auto[name])
            lines += table
            diffs += d
    ok = max(diffs) <= TOLERANCE
    lines.append(f"{len(diffs)} numbers compared; largest relative difference {max(diffs):.1e} "
                 f"(tolerance {TOLERANCE:.0e}).")
    lines.append("All checks passed." if ok else "A CHECK FAILED.")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (args.out / "layer_formulas.txt").write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
