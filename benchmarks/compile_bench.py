"""How autograd.compile's own cost grows with the graph: a total() over n samples' losses,
and a chain of n nodes. Reported as ratios between two sizes (linear growth: the ratio of
the times is the ratio of the sizes), and as tracemalloc's peak bytes per node."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import autograd
from autograd import Value
from benchmarks import timing


def _sum_case(n: int) -> Callable[[], object]:
    w = Value(0.5, label="w")

    def loss(xs: list[Value]) -> Value:
        return autograd.total([(w * x - 1.0) ** 2 for x in xs])

    xs = [0.01 * k for k in range(n)]
    return lambda: autograd.compile(loss, xs)


def _chain_case(n: int) -> Callable[[], object]:
    w = Value(0.999, label="w")

    def chain(x: Value) -> Value:
        for _ in range(n):
            x = x * w
        return x

    return lambda: autograd.compile(chain, 1.0)


def _once(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _peak_bytes(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(sums: tuple[int, int], chains: tuple[int, int]) -> dict[str, Any]:
    """Compile times at two sizes of each case (a median where a compile is short), the
    ratio of the larger to the smaller, and the chains' peak memory per node."""
    result: dict[str, Any] = {}
    for case, make, sizes in (("sum", _sum_case, sums), ("chain", _chain_case, chains)):
        rows = []
        for n in sizes:
            fn = make(n)
            seconds = timing.median_seconds(fn, 3) if n <= 2_000 else _once(fn)
            row = {"n": n, "seconds": seconds}
            if case == "chain":
                row["peak_bytes_per_node"] = _peak_bytes(fn) / n
            rows.append(row)
        small, large = rows
        result[case] = {"rows": rows, "size_ratio": large["n"] / small["n"],
                        "time_ratio": large["seconds"] / small["seconds"]}
    return result


def markdown(result: dict[str, Any]) -> str:
    names = {"sum": "total() of n samples' losses", "chain": "chain of n nodes (y = y * w)"}
    lines = ["autograd.compile's own time as the graph grows (linear: time ratio = size ratio)",
             "", "| graph | n | compile (s) | peak B/node (tracemalloc) |", "|---|---:|---:|---:|"]
    for case, found in result.items():
        for row in found["rows"]:
            peak = row.get("peak_bytes_per_node")
            lines.append(f"| {names[case]} | {row['n']:,} | {row['seconds']:.2f} | "
                         f"{'' if peak is None else f'{peak:,.0f}'} |")
        lines.append(f"| {names[case]}: ratio | {found['size_ratio']:.0f}x | "
                     f"{found['time_ratio']:.1f}x | |")
    return "\n".join(lines)
