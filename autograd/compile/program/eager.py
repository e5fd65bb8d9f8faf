"""The eager path: the traced graph rebuilt from Values and differentiated by the engine, and
``fn`` itself run eagerly beside a call (``check=``).

It is the reference a compiled program must agree with, and the path it falls back on: when
the generated code raises, or gives a number that is not finite, the call is rerun here, so
the error raised (or the inf or nan returned) is exactly the eager engine's. It also gives the
partials as Values when ``create_graph=True`` differentiates through a compiled node.

``check=``: the first calls of a program also run ``fn`` eagerly and compare. The compiled
program computes the graph that ``fn`` built on the example; Python control flow that read
``.data`` (an ``if``, a loop's length, ``max`` of Values) was frozen there. A checked call runs
``fn`` on this call's arguments and walks its graph beside the traced one: another graph
(another op, another constant, another parameter, even one holding the same number) is a
``GraphChangedError`` naming the first difference; ``fn`` runs twice per checked call, as when
traced, to tell its parameters from its constants. Its outputs must also equal the compiled
ones (to 1e-12, relative); anything else is a bug of the compiler, a ``CompileError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd.compile.args import ArgSpec, Shape
from autograd.compile.trace import CompileError, GraphChangedError, Trace, pair, run
from autograd.derivatives import grad
from autograd.engine import enable_grad, no_grad
from autograd.nary import total
from autograd.value import Value


def outputs(trace: Trace, params: Sequence[Value], args: Sequence[Value]) -> list[Value]:
    """The traced graph built again on these parameter and argument Values."""
    values: list[Value] = []
    for item in trace.items:
        if item.kind == "param":
            values.append(params[item.index])
        elif item.kind == "arg":
            values.append(args[item.index])
        elif item.kind == "const":
            values.append(Value(item.data))
        else:
            assert item.op is not None
            values.append(item.op(*[values[j] for j in item.operands]))
    return [values[i] for i in trace.outputs]


def rebuilt(trace: Trace, params: Sequence[Value], args: Sequence[Value]) -> list[Value]:
    """``outputs``, but an error is the one ``fn`` itself raises on these numbers: the eager
    engine raises the first error in the order ``fn`` makes its nodes, which the trace (in
    an order of its own) need not follow when several ops fail."""
    try:
        return outputs(trace, params, args)
    except Exception:
        run(trace.fn, trace.spec, [a.data for a in args])  # raises fn's error, if it has one
        raise


def forward(trace: Trace, params: Sequence[float], flat: Sequence[float]) -> list[float]:
    """The outputs of one call, eagerly (no graph)."""
    with no_grad():
        outs = rebuilt(trace, [Value(p) for p in params], [Value(x) for x in flat])
    return [o.data for o in outs]


def gradients(trace: Trace, params: Sequence[float], flat: Sequence[float]
              ) -> tuple[list[float], list[list[float]], list[list[float]]]:
    """One call eagerly: the outputs, and per output the parameters' and arguments'
    gradients (each leaf its own Value, so a parameter passed as an argument too is
    counted once in each place)."""
    p = [Value(x) for x in params]
    a = [Value(x) for x in flat]
    with enable_grad():
        outs = rebuilt(trace, p, a)
    pgrads, agrads = [], []
    for out in outs:
        g = grad(out, [*p, *a])
        pgrads.append(g[: len(p)])
        agrads.append(g[len(p) :])
    return [o.data for o in outs], pgrads, agrads


def batch(trace: Trace, params: Sequence[float], samples: Sequence[Sequence[float]],
          mean: bool) -> tuple[float, list[float], list[list[float]]]:
    """``total([fn(sample) for sample in samples])`` (divided by n for a mean), eagerly:
    its value, the parameters' gradients and each sample's arguments' gradients."""
    p = [Value(x) for x in params]
    leaves = [[Value(x) for x in flat] for flat in samples]
    with enable_grad():
        outs = [rebuilt(trace, p, a)[0] for a in leaves]
        result = total(outs) / len(outs) if mean else total(outs)
    flat_leaves = [v for a in leaves for v in a]
    g = grad(result, [*p, *flat_leaves])
    k = trace.spec.size
    rest = g[len(p) :]
    return result.data, g[: len(p)], [rest[i * k : (i + 1) * k] for i in range(len(samples))]


def batch_value(trace: Trace, params: Sequence[float], samples: Sequence[Sequence[float]],
                mean: bool) -> float:
    """``batch``'s value alone, with no graph."""
    p = [Value(x) for x in params]
    with no_grad():
        outs = [rebuilt(trace, p, [Value(x) for x in flat])[0] for flat in samples]
        return (total(outs) / len(outs) if mean else total(outs)).data


def partials_as_values(trace: Trace, output: int, inputs: Sequence[Value],
                       flat: Sequence[float], positions: Sequence[int]) -> list[Value]:
    """The partials of output ``output`` with respect to the node's inputs (the parameters,
    then the Value arguments at leaf ``positions``), as Values with graphs: differentiable
    again, for ``create_graph=True``. Each input enters through its own ``+ 0.0`` node, so an
    input that appears twice gets each appearance's partial."""
    n = len(trace.params)
    with enable_grad():
        slots = [v + 0.0 for v in inputs]
        args = [Value(x) for x in flat]
        for pos, slot in zip(positions, slots[n:], strict=True):
            args[pos] = slot
        out = outputs(trace, slots[:n], args)[output]
        return grad(out, slots, create_graph=True)


def batch_partials_as_values(trace: Trace, inputs: Sequence[Value],
                             samples: Sequence[Sequence[float]],
                             positions: Sequence[tuple[int, int]], mean: bool) -> list[Value]:
    """``partials_as_values`` for a node made by ``mean`` or ``sum`` over samples."""
    n = len(trace.params)
    with enable_grad():
        slots = [v + 0.0 for v in inputs]
        leaves = [[Value(x) for x in flat] for flat in samples]
        for (sample, pos), slot in zip(positions, slots[n:], strict=True):
            leaves[sample][pos] = slot
        outs = [outputs(trace, slots[:n], a)[0] for a in leaves]
        result = total(outs) / len(outs) if mean else total(outs)
        return grad(result, slots, create_graph=True)


def samples(spec: ArgSpec, cols: Sequence[Any], n: int) -> list[list[float]]:
    """Each sample's numbers, flat, in leaf order."""
    return [[x for col, s in zip(cols, spec.shapes, strict=True) for x in _flat(col[i], s)]
            for i in range(n)]


def _flat(x: Any, shape: Shape) -> list[float]:
    if shape is None:
        return [x]
    return [y for item, s in zip(x, shape, strict=True) for y in _flat(item, s)]


def combine(summed: float, n: int, mean: bool) -> float:
    """The eager ``total(outs) / n`` (or ``total(outs)``) from the sum of the outputs."""
    return (summed + 0.0) / n if mean else summed + 0.0


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
                _compare(numbers_in(compiled[i]), self._eager(s, f" on sample {i}"),
                         f" on sample {i}")

    def batch(self, cols: Sequence[Any], n: int, compiled: float, mean: bool) -> None:
        if not self._due():
            return
        # Left to right, as the compiled loop and the table's sum add: not sum(), which
        # compensates its rounding from Python 3.12.
        summed = 0.0
        for i, s in enumerate(samples(self.trace.spec, cols, n)):
            summed += self._eager(s, f" on sample {i}")[0]
        _compare([compiled], [combine(summed, n, mean)], " over the samples")


def numbers_in(x: Any) -> list[float]:
    """The numbers of an output, or of a list of them: nested lists flattened, in order."""
    return [y for item in x for y in numbers_in(item)] if isinstance(x, list) else [x]


def _compare(compiled: Sequence[float], eager: Sequence[float], where: str) -> None:
    for a, b in zip(compiled, eager, strict=True):
        same = a == b or (math.isnan(a) and math.isnan(b)) or \
            abs(a - b) <= TOLERANCE * max(abs(a), abs(b))
        if not same:
            raise CompileError(f"prog (check=){where}: the compiled program gives {a!r} where "
                               f"fn gives {b!r} on the same graph: a bug in autograd.compile, "
                               "please report it")
