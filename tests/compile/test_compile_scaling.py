"""Compiling costs time and memory in proportion to the graph: structural bounds, which hold
on any machine (the times themselves are measured in benchmarks/compile_bench.py)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Sequence
from typing import Any

import pytest

import autograd
from autograd import Value
from autograd.compile.rules import Rules


def operand_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the operands handed to the op table's templates (every ask reads them
    all, to find the template for its pattern of constants)."""
    read = [0]
    for method in ("forward", "partials"):
        original = getattr(Rules, method)

        def counting(self: Rules, op: Any, consts: Sequence[float | None],
                     sample: Sequence[float], original: Any = original) -> Any:
            read[0] += len(consts)
            return original(self, op, consts, sample)

        monkeypatch.setattr(Rules, method, counting)
    return read


def size(out: Value) -> int:
    """Nodes and operands of ``out``'s graph."""
    return sum(len(v.inputs) + 1 for v in autograd.topological_order(out))


@pytest.mark.parametrize("n", [100, 800])
def test_a_sum_of_n_losses_reads_each_operand_a_bounded_number_of_times(
        n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each term of a total() asked again about the whole sum node: n * n operand reads,
    # so a sum over 8,000 samples took 50 s to compile.
    w = Value(0.5, label="w")
    read = operand_reads(monkeypatch)
    def loss(xs: list[Value]) -> Value:
        return autograd.total([(w * x - 1.0) ** 2 for x in xs])

    xs = [0.01 * k for k in range(n)]
    autograd.compile(loss, xs)
    assert 0 < read[0] <= 8 * size(loss([Value(x) for x in xs]))


def test_compile_memory_per_node_of_a_long_chain_is_bounded() -> None:
    # Python's own compile() of the generated source dominates (its syntax tree is about 50
    # bytes per character); about 8 kB a node is measured. The bound is generous, but a
    # cost that grew faster than the chain would cross it.
    w = Value(0.999, label="w")
    n = 4000

    def chain(x: Value) -> Value:
        for _ in range(n):
            x = x * w
        return x

    tracemalloc.start()
    try:
        autograd.compile(chain, 1.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / n < 40_000
