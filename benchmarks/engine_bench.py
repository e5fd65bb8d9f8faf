"""Engine benchmarks: the cost of an op, forward plus backward, against plain floats.

Each case builds a long chain (or a wide sum) with Values and backpropagates through it, and
evaluates the same expression with plain floats in the same run; the figure is the ratio.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd import Value, total

from .timing import median_seconds


@dataclass(frozen=True)
class ChainCase:
    name: str
    on_value: Callable[[Value], Value]
    on_float: Callable[[float], float]
    start: float


CHAIN_CASES = [
    ChainCase("add", lambda y: y + 1.0, lambda y: y + 1.0, 0.0),
    ChainCase("mul", lambda y: y * 0.999, lambda y: y * 0.999, 1.0),
    ChainCase("tanh", Value.tanh, math.tanh, 0.5),
    ChainCase("sigmoid", Value.sigmoid, lambda y: 1 / (1 + math.exp(-y)), 0.5),
    ChainCase("sin", Value.sin, math.sin, 0.5),
    ChainCase("relu", Value.relu, lambda y: y if y > 0 else 0.0, 0.5),
    ChainCase("pow", lambda y: y**1.0001, lambda y: y**1.0001, 1.5),
]


def _chain_seconds(case: ChainCase, length: int) -> tuple[float, float]:
    def graph() -> None:
        x = Value(case.start)
        y = x
        step = case.on_value
        for _ in range(length):
            y = step(y)
        y.backward()

    def floats() -> None:
        y = case.start
        step = case.on_float
        for _ in range(length):
            y = step(y)

    return median_seconds(graph), median_seconds(floats)


def _wide_sum_seconds(width: int) -> dict[str, float]:
    data = [float(i % 7) for i in range(width)]

    def nary() -> None:
        xs = [Value(d) for d in data]
        total(xs).backward()

    def binary() -> None:
        xs = [Value(d) for d in data]
        s = xs[0]
        for x in xs[1:]:
            s = s + x
        s.backward()

    def floats() -> None:
        s = 0.0
        for d in data:
            s += d

    return {"nary": median_seconds(nary), "binary": median_seconds(binary),
            "floats": median_seconds(floats)}


def million_chain_seconds() -> float:
    """Seconds to backpropagate (backward only) through a chain of 1,000,000 adds."""
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    start = time.perf_counter()
    y.backward()
    return time.perf_counter() - start


def run(length: int, width: int) -> dict[str, Any]:
    rows = []
    for case in CHAIN_CASES:
        on_graph, on_floats = _chain_seconds(case, length)
        rows.append({"op": case.name, "ns_per_op": on_graph / length * 1e9,
                     "float_ns_per_op": on_floats / length * 1e9, "ratio": on_graph / on_floats})
    wide = _wide_sum_seconds(width)
    return {"chain_length": length, "chain": rows, "sum_width": width, "wide_sum": wide}


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Per-op forward+backward on a chain of {result['chain_length']:,} ops",
        "",
        "| op | ns/op (graph) | ns/op (floats) | ratio |",
        "|---|---:|---:|---:|",
    ]
    for row in result["chain"]:
        lines.append(f"| {row['op']} | {row['ns_per_op']:.0f} | {row['float_ns_per_op']:.0f} "
                     f"| {row['ratio']:.1f}x |")
    wide = result["wide_sum"]
    lines += [
        "",
        f"Sum of {result['sum_width']:,} Values, forward+backward",
        "",
        "| form | ms | ratio to floats |",
        "|---|---:|---:|",
        f"| one n-ary sum node | {wide['nary'] * 1e3:.2f} | {wide['nary'] / wide['floats']:.1f}x |",
        f"| chain of binary + | {wide['binary'] * 1e3:.2f} "
        f"| {wide['binary'] / wide['floats']:.1f}x |",
        f"| plain floats | {wide['floats'] * 1e3:.2f} | 1.0x |",
    ]
    return "\n".join(lines)


def bytes_per_node(value_class: Any, nodes: int = 20_000) -> float:
    """Bytes a graph holds per node (tracemalloc), for a chain ``y = y * x``."""
    import tracemalloc

    x = value_class(1.0001)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y = x
    for _ in range(nodes):
        y = y * x
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del y
    return held / nodes


def memory(nodes: int) -> dict[str, float | None]:
    result: dict[str, float | None] = {"chainrule": bytes_per_node(Value, nodes)}
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        result["micrograd"] = None
    else:
        result["micrograd"] = bytes_per_node(MicroValue, nodes)
    return result
