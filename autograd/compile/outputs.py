"""What a Program does with the generated code's results: shape them as ``fn`` returned them,
check that they are finite, and give each compiled node its partials (as numbers, or for
``create_graph=True`` as Values built on the eager path)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from autograd.compile import replay
from autograd.compile.args import ArgSpec, Shape
from autograd.compile.trace import OutShape, Trace
from autograd.value import Value


def reshape(shape: OutShape, outs: Sequence[Any]) -> Any:
    """The flat outputs nested as ``fn`` returned them."""
    if isinstance(shape, int):
        return outs[shape]
    return [reshape(s, outs) for s in shape]


def finite(*groups: Iterable[float]) -> bool:
    """Whether every number is finite. One sum per group: inf and nan survive it (a sum that
    overflows only sends a finite call to the eager path, which agrees)."""
    for group in groups:
        s = sum(group)
        if s - s:
            return False
    return True


def combine(total: float, n: int, mean: bool) -> float:
    """The eager ``total(outs) / n`` (or ``total(outs)``) from the sum of the outputs."""
    return (total + 0.0) / n if mean else total + 0.0


def unpack_gradient(result: Any, single: bool, args: bool
                    ) -> tuple[list[float], list[Sequence[float]], list[Sequence[float]]]:
    """The outputs, and per output the parameter and argument gradients, of a generated
    ``gradient`` function's result."""
    if single:
        return [result[0]], [result[1]], [result[2] if args else ()]
    per_output = list(result[1])
    if args:
        return list(result[0]), [g[0] for g in per_output], [g[1] for g in per_output]
    return list(result[0]), per_output, [()] * len(per_output)


def samples(spec: ArgSpec, cols: Sequence[Any], n: int) -> list[list[float]]:
    """Each sample's numbers, flat, in leaf order."""
    return [[x for col, s in zip(cols, spec.shapes, strict=True) for x in _flat(col[i], s)]
            for i in range(n)]


def _flat(x: Any, shape: Shape) -> list[float]:
    if shape is None:
        return [x]
    return [y for item, s in zip(x, shape, strict=True) for y in _flat(item, s)]


def call_partials(parts: tuple[float, ...], trace: Trace, output: int, flat: list[float],
                  positions: list[int]) -> Callable[..., Sequence[Any]]:
    """The partials of one call's node ``output``: the numbers the generated code computed;
    called with Values (``create_graph=True``), the partials as Values from the eager path."""
    def partials(*args: Any) -> Sequence[Any]:
        if args and isinstance(args[0], Value):
            return replay.partials_as_values(trace, output, args[:-1], flat, positions)
        return parts

    return partials


def batch_partials(parts: tuple[float, ...], trace: Trace, cols: list[Any], n: int, *,
                   positions: list[tuple[int, int]], mean: bool) -> Callable[..., Sequence[Any]]:
    """``call_partials`` for the node of ``mean`` or ``sum``."""
    def partials(*args: Any) -> Sequence[Any]:
        if args and isinstance(args[0], Value):
            flat = samples(trace.spec, cols, n)
            return replay.batch_partials_as_values(trace, args[:-1], flat, positions, mean)
        return parts

    return partials
