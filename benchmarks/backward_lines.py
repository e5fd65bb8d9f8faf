"""Count the lines one ``loss.backward()`` runs through: how much a learner reads to follow it.

    python benchmarks/backward_lines.py

The notes' 3-2-1 network (``MLP(3, [2, 1], activation="tanh")``, one sample, the squared
error), its forward pass recorded first; then ``sys.settrace`` notes every distinct line of
chainrule's own files that the backward pass executes. Prints them per file, and the total.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from types import FrameType
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value
from mlp import MLP

ROOT = Path(__file__).resolve().parent.parent


def backward_lines() -> dict[str, set[int]]:
    """The distinct (file, line) pairs under ``autograd/`` and ``mlp/`` one backward executes."""
    model = MLP(3, [2, 1], activation="tanh", seed=0)
    y_hat = model([Value(0.5), Value(-1.0), Value(2.0)])
    loss = (Value(1.0) - y_hat) ** 2
    seen: dict[str, set[int]] = defaultdict(set)

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        path = Path(frame.f_code.co_filename)
        if ROOT not in path.parents or "benchmarks" in path.parts:
            return trace
        if event == "line":
            seen[str(path.relative_to(ROOT))].add(frame.f_lineno)
        return trace

    sys.settrace(trace)
    try:
        loss.backward()
    finally:
        sys.settrace(None)
    return seen


def main() -> None:
    seen = backward_lines()
    for name, lines in sorted(seen.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(lines):4d}  {name}")
    print(f"{sum(map(len, seen.values())):4d}  distinct lines in {len(seen)} files")


if __name__ == "__main__":
    main()
