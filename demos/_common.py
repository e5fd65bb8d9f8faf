"""What every demo shares: its --out and --quick options, its verdict, and saving a plot.

Each demo imports this from its own folder (``python demos/x.py`` puts demos/ on the path).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any


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
