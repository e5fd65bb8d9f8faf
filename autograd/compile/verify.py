"""``check=``: the first calls of a program also run ``fn`` eagerly and compare.

The compiled program computes the graph that ``fn`` built on the example; Python control flow
that read ``.data`` (an ``if``, a loop's length, ``max`` of Values) was frozen there. A checked
call runs ``fn`` on this call's arguments and walks its graph beside the traced one: another
graph (another op, another constant, another parameter, even one holding the same number) is
a ``GraphChangedError`` naming the first difference; ``fn`` runs twice per checked call, as
when traced, to tell its parameters from its constants. Its outputs must also equal the
compiled ones (to 1e-12, relative); anything else is a bug of the compiler, a ``CompileError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd.compile.outputs import combine, samples
from autograd.compile.trace import CompileError, GraphChangedError, Trace, pair, run

TOLERANCE = 1e-12


class Checker:
    """Checks the first ``count`` calls (every call if ``count`` is negative)."""

    def __init__(self, fn: Callable[..., Any], trace: Trace, count: int) -> None:
        self.fn, self.trace, self.left = fn, trace, count

    def _due(self) -> bool:
        if not self.left:
            return False
        if self.left > 0:
            self.left -= 1
        return True

    def _eager(self, flat: Sequence[float], where: str) -> list[float]:
        """``fn`` run eagerly on these numbers, its graph compared with the trace. It runs
        twice, as when traced, to tell its parameters from the constants it makes: a
        parameter where the trace had a constant (or another parameter) holding the same
        number is another graph, though every number is the same."""
        leaves, outs, shape = run(self.fn, self.trace.spec, flat)
        traced_outs, traced_leaves = self.trace.graph
        if shape != self.trace.shape:
            raise GraphChangedError(f"prog (check=){where}: fn returned a differently shaped "
                                    "result than when it was traced")
        leaves2, outs2, shape2 = run(self.fn, self.trace.spec, flat)
        if shape2 != shape:
            raise CompileError(f"prog (check=){where}: fn returned differently shaped results "
                               "on two calls with the same arguments")
        _, _, params = pair(outs, outs2, leaves, leaves2,
                            which=(f"eager{where}", "second eager"))
        pair(traced_outs, outs, traced_leaves, leaves, which=("traced", f"eager one{where}"),
             error=GraphChangedError, params=(self.trace.params, params))
        return [o.data for o in outs]

    def call(self, flat: Sequence[float], compiled: Sequence[float]) -> None:
        if self._due():
            _compare(compiled, self._eager(flat, ""), "")

    def values(self, cols: Sequence[Any], n: int, compiled: Sequence[Any]) -> None:
        if self._due():
            for i, s in enumerate(samples(self.trace.spec, cols, n)):
                got = compiled[i] if isinstance(compiled[i], list) else [compiled[i]]
                _compare(_flat(got), self._eager(s, f" on sample {i}"), f" on sample {i}")

    def batch(self, cols: Sequence[Any], n: int, compiled: float, mean: bool) -> None:
        if not self._due():
            return
        # Left to right, as the compiled loop and the table's sum add: not sum(), which
        # compensates its rounding from Python 3.12.
        total = 0.0
        for i, s in enumerate(samples(self.trace.spec, cols, n)):
            total += self._eager(s, f" on sample {i}")[0]
        _compare([compiled], [combine(total, n, mean)], " over the samples")


def _flat(x: Sequence[Any]) -> list[float]:
    return [y for item in x for y in (_flat(item) if isinstance(item, list) else [item])]


def _compare(compiled: Sequence[float], eager: Sequence[float], where: str) -> None:
    for a, b in zip(compiled, eager, strict=True):
        same = a == b or (math.isnan(a) and math.isnan(b)) or \
            abs(a - b) <= TOLERANCE * max(abs(a), abs(b))
        if not same:
            raise CompileError(f"prog (check=){where}: the compiled program gives {a!r} where "
                               f"fn gives {b!r} on the same graph: a bug in autograd.compile, "
                               "please report it")
