"""The worst error of issue 19's ops against PyTorch float64, at each order 1, 2, 3.

For every op named as in PyTorch, at a grid of points across its domain, the value and the
first three derivatives are taken by chainrule (``backward(create_graph=True)`` three times)
and by torch in float64 (``torch.autograd.grad(create_graph=True)``), and compared. The
error of one number is ``|chainrule - torch| / max(|torch|, 1)``: relative where the answer is
at least 1, absolute below (near a zero of a derivative both sides round to ~1e-16 of the
terms that cancel, and a relative error there measures the cancellation, not the op).
Binary ops (atan2, %) give every partial of each order.

Run: ``python benchmarks/torch_errors.py`` (needs torch; chainrule never depends on it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch

from autograd import Value, grad
from autograd import ops as e

nn = torch.nn.functional


def grid(lo: float, hi: float, n: int = 201) -> list[float]:
    return [lo + (hi - lo) * k / (n - 1) for k in range(n)]


REAL, POSITIVE = grid(-4.0, 4.0), grid(0.05, 5.0)
OFF_ZERO = [x for x in REAL if abs(x) > 1e-9]  # sign, the kinks: not at the corner itself
UNARY: dict[str, tuple[Any, Callable[[Any], Any], list[float]]] = {
    "log1p": (e.LOG1P, torch.log1p, grid(-0.95, 5.0)),
    "expm1": (e.EXPM1, torch.expm1, REAL),
    "square": (e.SQUARE, torch.square, REAL),
    "reciprocal": (e.RECIPROCAL, torch.reciprocal, OFF_ZERO),
    "atan": (e.ATAN, torch.atan, REAL),
    "tan": (e.TAN, torch.tan, grid(-1.4, 1.4)),
    "sinh": (e.SINH, torch.sinh, REAL),
    "cosh": (e.COSH, torch.cosh, REAL),
    "log2": (e.LOG2, torch.log2, POSITIVE),
    "log10": (e.LOG10, torch.log10, POSITIVE),
    "rsqrt": (e.RSQRT, torch.rsqrt, POSITIVE),
    "sign": (e.SIGN, torch.sign, OFF_ZERO),
    "erf": (e.ERF, torch.erf, REAL),
    "erfc": (e.ERFC, torch.erfc, REAL),
    "asin": (e.ASIN, torch.asin, grid(-0.95, 0.95)),
    "acos": (e.ACOS, torch.acos, grid(-0.95, 0.95)),
    "softplus": (e.SOFTPLUS, nn.softplus, REAL),
    "silu": (e.SILU, nn.silu, REAL),
    "gelu": (e.GELU, nn.gelu, REAL),
    "elu": (e.ELU, nn.elu, OFF_ZERO),
    "leaky_relu": (e.LEAKY_RELU, nn.leaky_relu, OFF_ZERO),
    "clamp(-1, 1)": (e.clamp(-1, 1), lambda t: torch.clamp(t, -1, 1), REAL),
}
PAIRS = [(a, b) for a in grid(-3.0, 3.0, 25) for b in grid(-3.0, 3.0, 25)
         if abs(b) > 1e-9 and abs(a) > 1e-9]
BINARY: dict[str, tuple[Any, Callable[[Any, Any], Any], list[tuple[float, float]]]] = {
    "atan2": (e.ATAN2, torch.atan2, PAIRS),
    "remainder": (e.REMAINDER, torch.remainder, PAIRS),
}


def ours(op: Any, xs: Sequence[float]) -> list[list[float]]:
    """Every partial of op at xs, by order: [[value], [order 1...], [order 2...], ...]."""
    leaves = [Value(x) for x in xs]
    level: list[Any] = [op(*leaves)]
    found = [[level[0].data]]
    for _ in range(3):
        level = [p for f in level for p in
                 (grad(f, leaves, create_graph=True) if isinstance(f, Value) else [0.0] * len(xs))]
        found.append([p.data if isinstance(p, Value) else float(p) for p in level])
    return found


def theirs(fn: Callable[..., Any], xs: Sequence[float]) -> list[list[float]]:
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    level: list[Any] = [fn(*leaves)]
    found = [[level[0].item()]]
    zero = torch.zeros((), dtype=torch.float64)
    for _ in range(3):
        level = [zero if p is None else p for f in level for p in (
            torch.autograd.grad(f, leaves, create_graph=True, allow_unused=True)
            if f.requires_grad else [None] * len(xs))]
        found.append([p.item() for p in level])
    return found


def error(got: float, want: float) -> float:
    return abs(got - want) / max(abs(want), 1.0)


def worst(op: Any, fn: Callable[..., Any],
          points: Sequence[Sequence[float]]) -> list[tuple[float, Sequence[float]]]:
    """The worst error at orders 0 (the value) to 3, each with the point it was found at."""
    result = [(0.0, points[0])] * 4
    for xs in points:
        for order, (g, w) in enumerate(zip(ours(op, xs), theirs(fn, xs), strict=True)):
            err = max(error(a, b) for a, b in zip(g, w, strict=True))
            if err > result[order][0] or math.isnan(err):
                result[order] = (err, xs)
    return result


def main() -> None:
    rows = [(name, worst(op, fn, [(x,) for x in pts])) for name, (op, fn, pts) in UNARY.items()]
    rows += [(name, worst(op, fn, pts)) for name, (op, fn, pts) in BINARY.items()]
    print(f"torch {torch.__version__}, float64; error = |ours - torch| / max(|torch|, 1)")
    print(f"{'op':<14}{'value':>10}{'order 1':>10}{'order 2':>10}{'order 3':>10}")
    for name, found in rows:
        print(f"{name:<14}" + "".join(f"{err:>10.1e}" for err, _ in found))
    for order in range(1, 4):
        err, name, xs = max((found[order][0], name, found[order][1]) for name, found in rows)
        print(f"worst at order {order}: {err:.2e} ({name} at {', '.join(map(repr, xs))})")


if __name__ == "__main__":
    main()
