"""The eager path: the traced graph rebuilt from Values and differentiated by the engine.

It is the reference a compiled program must agree with, and the path it falls back on: when
the generated code raises, or gives a number that is not finite, the call is rerun here, so
the error raised (or the inf or nan returned) is exactly the eager engine's. It also gives the
partials as Values when ``create_graph=True`` differentiates through a compiled node.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.compile.trace import Trace, run
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
