"""What every demo shares: its --out and --quick options, its verdict, saving a plot, drawing.

Each demo imports this from its own folder (``python demos/x.py`` puts demos/ on the path).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from autograd import GraphvizNotFound

T = TypeVar("T")

NO_GRAPHVIZ = (
    "Graphviz's dot program is not installed, so the picture was not drawn; everything above "
    "is complete. To get the picture, install Graphviz ('sudo apt-get install graphviz' on "
    "Debian or Ubuntu, 'brew install graphviz' on macOS, 'conda install -c conda-forge "
    "graphviz' with conda) and run this demo again."
)


def arguments(doc: str | None, quick: str,
              out: str = "folder for output files") -> argparse.ArgumentParser:
    """A parser with the demos' two options: ``--out DIR`` (default ".") and ``--quick``."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help=out)
    parser.add_argument("--quick", action="store_true", help=quick)
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed arguments, with the ``--out`` folder made."""
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def verdict(ok: bool) -> int:
    """Says whether every check passed, and returns the exit code: 0, or 1 if one failed."""
    print("All checks passed." if ok else "A CHECK FAILED.")
    return 0 if ok else 1


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend (files only, no screen); the demos extra."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, path: Path) -> None:
    """Writes the figure with no date or version in it (same run, same bytes), and closes it."""
    fig.savefig(path, metadata={"Software": None})
    pyplot().close(fig)


def draw(path: Path, render: Callable[[Path], T]) -> T | None:
    """``render(path)``, which writes a picture, and what it returns; None without Graphviz.

    Only a missing ``dot`` is caught, so a demo goes on without its pictures, finishes its
    text and exits 0 (the README promises that everything but pictures works without
    Graphviz); it then prints ``NO_GRAPHVIZ``, which says how to get them.
    """
    try:
        return render(path)
    except GraphvizNotFound:
        return None
