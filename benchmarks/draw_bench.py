"""Rendering benchmark: seconds for to_svg (graph building, DOT text and Graphviz's dot)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

from autograd import Value, to_svg, topological_order

from .timing import median_seconds


def graph_of(nodes: int) -> Value:
    """A labelled graph of about ``nodes`` Values: a chain of little neurons, tanh(w·y + b)."""
    y = Value(0.5, "x")
    for k in range(max(1, (nodes - 1) // 5)):
        y = (y * Value(0.9, f"w{k + 1}") + Value(0.1, f"b{k + 1}")).tanh()
    y.backward()
    return y


def _render(root: Value, max_nodes: int) -> Callable[[], str]:
    return lambda: to_svg(root, max_nodes=max_nodes)  # a Value is drawn with its op node


def run(sizes: tuple[int, ...] = (100, 1_000)) -> dict[str, Any]:
    if shutil.which("dot") is None:
        return {"skipped": "Graphviz's dot is not installed"}
    rows = []
    for size in sizes:
        root = graph_of(size)
        count = len(topological_order(root))
        seconds = median_seconds(_render(root, max_nodes=10 * size), repeats=3)
        rows.append({"nodes": count, "seconds": seconds})
    return {"rows": rows}


def markdown(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"Rendering: skipped ({result['skipped']})"
    lines = ["| graph | to_svg (s) |", "|---|---:|"]
    lines += [f"| {row['nodes']:,} Values | {row['seconds']:.2f} |" for row in result["rows"]]
    return "Rendering with Graphviz, median of 3\n\n" + "\n".join(lines)
