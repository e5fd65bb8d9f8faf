"""Digits: a 64-32-10 network reads the UCI 8x8 handwritten digits, with softmax cross entropy.

1,797 images of 8x8 pixels (shipped with chainrule: ``mlp.data.digits``, UCI, CC BY 4.0), 80%
to train and 20% held out, pixels scaled to [0, 1]. The network has 64 inputs, one tanh layer
of 32 neurons and 10 outputs, one logit per digit; the loss is ``losses.cross_entropy`` (the
softmax and the log of the right class's probability, on one log-sum-exp node per sample),
and ``fit`` trains it with SGD and momentum in mini-batches of 32, compiled. The script prints
the loss and test accuracy per epoch, the seconds taken, a confusion table, and writes
``digits_confusion.png``.

The check: test accuracy at least 0.95. ``--quick`` trains on 300 images for 3 epochs and asks
only that the test accuracy beat chance by far (0.70).

    python demos/digits.py [--out DIR] [--quick] [--seed N]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from _common import arguments, parse, pyplot, save, verdict

from autograd import Value, no_grad
from mlp import MLP, data, fit, losses, optim


def predict(model: MLP[list[Value]], X: Sequence[Sequence[float]]) -> list[int]:
    """The digit with the largest logit, for each image (no graph recorded)."""
    with no_grad():
        logits = [model(x) for x in X]
    return [max(range(len(z)), key=lambda k: z[k].data) for z in logits]


def confusion(y: Sequence[int], guesses: Sequence[int]) -> list[list[int]]:
    """``table[true][guessed]``: how often each digit was read as each other."""
    table = [[0] * 10 for _ in range(10)]
    for t, g in zip(y, guesses, strict=True):
        table[t][g] += 1
    return table


def print_confusion(table: list[list[int]]) -> None:
    print("\nConfusion on the test set (rows: the true digit, columns: the digit read):")
    print("     " + "".join(f"{k:>4}" for k in range(10)))
    for t, row in enumerate(table):
        print(f"  {t}: " + "".join(f"{n:>4}" for n in row))


def plot_confusion(path: Path, table: list[list[int]], acc: float) -> None:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.imshow(table, cmap="Blues")
    for t, row in enumerate(table):
        for g, n in enumerate(row):
            if n:
                ax.text(g, t, str(n), ha="center", va="center", fontsize=7,
                        color="white" if n > max(row) / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("digit read")
    ax.set_ylabel("true digit")
    ax.set_title(f"64-32-10 on the UCI digits: test accuracy {acc:.1%}")
    fig.tight_layout()
    save(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, "300 training images, 3 epochs, the check relaxed to 0.70")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split and the weights")
    args = parse(parser, argv)
    split = data.digits(test_fraction=0.2, seed=args.seed)
    X, y = split.X_train, split.y_train
    epochs, needed = (3, 0.70) if args.quick else (15, 0.95)
    if args.quick:
        X, y = X[:300], y[:300]
    model: MLP[list[Value]] = MLP(64, [32, 10], activation="tanh", seed=args.seed)
    print(f"{len(X)} training and {len(split.X_test)} test images from data.digits(); {model}, "
          f"{len(model.parameters())} parameters.")
    print(f"Loss: losses.cross_entropy; SGD lr 0.1, momentum 0.9, batches of 32, {epochs} "
          "epochs.\n")
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    accuracies: list[float] = []

    def test_accuracy(epoch: int, history: object) -> None:
        guesses = predict(model, split.X_test)
        accuracies.append(sum(g == t for g, t in zip(guesses, split.y_test, strict=True))
                          / len(guesses))

    start = time.perf_counter()
    history = fit(model, X, y, losses.cross_entropy, opt, epochs, batch_size=32,
                  seed=args.seed, progress=False, callback=test_accuracy)
    seconds = time.perf_counter() - start
    print(f"{'epoch':>6}  {'loss':>8}  test accuracy")
    for k, (loss, acc) in enumerate(zip(history.loss, accuracies, strict=True)):
        print(f"{k + 1:>6}  {loss:>8.4f}  {acc:>8.1%}")
    print(f"\nTrained in {seconds:.1f} s (test accuracy measured after each epoch included).")
    table = confusion(split.y_test, predict(model, split.X_test))
    print_confusion(table)
    path = args.out / "digits_confusion.png"
    plot_confusion(path, table, accuracies[-1])
    print(f"Wrote {path}")
    ok = accuracies[-1] >= needed
    print(f"Check: test accuracy {accuracies[-1]:.1%} >= {needed:.0%}"
          f"{' (quick mode)' if args.quick else ''}: {ok}")
    return verdict(ok)


if __name__ == "__main__":
    sys.exit(main())
