"""Stage 4 of ``autograd.compile``: the Program, a compiled ``fn``, called like ``fn`` but on
numbers, returning Values that compose with the eager engine.

``prog(*args)`` runs the generated code and returns, for each output, ONE node whose inputs
are the parameters (and the arguments given as Values) and whose partials the generated code
computed, so ``backward()`` on any graph containing it fills their ``.grad`` as the eager graph
would. ``prog.mean(*columns)`` and ``prog.sum(*columns)`` do the same for ``fn`` over many
samples at once, with the loop inside the generated code.

Every call is checked: if the generated code raises, or gives an output or a gradient that is
not finite, the call is rerun on the eager path (``eager``, which also runs ``check=``), whose
error or numbers are the engine's; ``prog.fallbacks`` counts those reruns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from autograd.compile.emit import Codegen, header
from autograd.compile.node import make_node
from autograd.compile.program import eager
from autograd.compile.program.eager import Checker, combine, numbers_in, samples
from autograd.compile.trace import OutShape, Trace
from autograd.engine import is_grad_enabled
from autograd.value import Value, data_of_all


class Program:
    """A compiled ``fn``; see ``autograd.compile``."""

    def __init__(self, fn: Callable[..., Any], trace: Trace, code: Codegen, check: int) -> None:
        name = getattr(fn, "__name__", None)
        self.name: str = name if isinstance(name, str) else type(fn).__name__
        self._trace, self._spec = trace, trace.spec
        self._gen = code
        self._single = self._gen.single
        self.sources: dict[str, str] = {}
        """Every generated function's source, by name (``*_args`` ones once first used)."""
        self._fns: dict[str, Callable[..., Any]] = {}
        for kind in ("forward", "gradient", *(("batch", "values") if self._spec.shapes else ())):
            self._function(kind)
        self._checker = Checker(fn, trace, check)
        self.fallbacks = 0
        """How many calls were rerun on the eager path (an error, or a number not finite)."""

    @property
    def parameters(self) -> list[Value]:
        """The Values ``fn`` reached without being given them; read at every call."""
        return list(self._trace.params)

    @property
    def source(self) -> str:
        """The generated Python that ``prog(*args)`` runs: the forward pass, then the
        backward pass. ``sources`` holds every generated function by name."""
        return header(self.name, self.sources["gradient"]) + "\n" + self.sources["gradient"]

    def __repr__(self) -> str:
        nodes = sum(1 for item in self._trace.items if item.kind == "node")
        return (f"<Program {self.name}: {len(self._trace.params)} parameter(s), arguments "
                f"({self._spec.describe()}), {nodes} node(s)>")

    def _function(self, kind: str) -> Callable[..., Any]:
        found = self._fns.get(kind)
        if found is None:
            gen = self._gen
            source = {"forward": gen.forward, "gradient": gen.gradient,
                      "gradient_args": lambda: gen.gradient(args=True), "batch": gen.batch,
                      "batch_args": lambda: gen.batch(args=True), "values": gen.values}[kind]()
            self.sources[kind] = source
            found = self._fns[kind] = gen.build(source, kind)
        return found

    def _params(self) -> list[float]:
        return data_of_all(self._trace.params)

    # --- one call -----------------------------------------------------------------------------

    def __call__(self, *args: Any) -> Any:
        flat, given = self._spec.flatten(args, "prog")
        params = self._params()
        if not is_grad_enabled():
            outs = self._forward(params, flat)
            self._checker.call(flat, outs)
            return reshape(self._trace.shape, [Value(x) for x in outs])
        outs, pgrads, agrads = self._gradients(params, flat, bool(given))
        self._checker.call(flat, outs)
        positions = [pos for pos, _ in given]
        inputs = [*self._trace.params, *(v for _, v in given)]
        nodes = []
        for k, out in enumerate(outs):
            parts = (*pgrads[k], *(agrads[k][pos] for pos in positions))
            partials = call_partials(parts, self._trace, k, flat, positions)
            nodes.append(make_node(out, f"compiled {self.name}", partials, inputs))
        return reshape(self._trace.shape, nodes)

    def _forward(self, params: list[float], flat: list[float]) -> list[float]:
        try:
            outs = self._function("forward")(*params, *flat)
            outs = [outs] if self._single else list(outs)
            if finite(outs):
                return outs
        except Exception:  # the eager path below raises the engine's error, if any
            pass
        self.fallbacks += 1
        return eager.forward(self._trace, params, flat)

    def _gradients(self, params: list[float], flat: list[float], args: bool
                   ) -> tuple[list[float], list[Sequence[float]], list[Sequence[float]]]:
        try:
            result = self._function("gradient_args" if args else "gradient")(*params, *flat)
            outs, pgrads, agrads = unpack_gradient(result, self._single, args)
            if finite(outs, *pgrads, *agrads):
                return outs, pgrads, agrads
        except Exception:  # rerun on the eager path
            pass
        self.fallbacks += 1
        outs, p, a = eager.gradients(self._trace, params, flat)
        return outs, list(p), list(a)

    # --- many samples -------------------------------------------------------------------------

    def mean(self, *columns: Any) -> Value:
        """``fn`` over every sample, averaged, as ONE node: ``columns`` holds one list per
        argument (``X, Y``); sample i is ``fn(X[i], Y[i])``."""
        return self._over(columns, mean=True)

    def sum(self, *columns: Any) -> Value:
        """Like ``mean``, summed instead of averaged."""
        return self._over(columns, mean=False)

    def values(self, *columns: Any) -> list[Any]:
        """``fn``'s outputs for every sample, as numbers (forward only, no graph)."""
        self._has_samples("prog.values")
        cols, n, _ = self._spec.columns(columns, "prog.values")
        outs = self._values(self._params(), cols, n)
        self._checker.values(cols, n, outs)
        return outs

    def _has_samples(self, who: str) -> None:
        if not self._spec.shapes:
            raise TypeError(f"{who}: fn takes no arguments, so there are no samples to loop "
                            "over; call prog() instead")

    def _values(self, params: list[float], cols: list[Any], n: int) -> list[Any]:
        try:
            outs: list[Any] = self._function("values")(params, *cols)
            if finite(outs if self._single else numbers_in(outs)):
                return outs
        except Exception:  # rerun on the eager path
            pass
        self.fallbacks += 1
        return [reshape(self._trace.shape, eager.forward(self._trace, params, s))
                for s in samples(self._spec, cols, n)]

    def _over(self, columns: Sequence[Any], mean: bool) -> Value:
        who = "prog.mean" if mean else "prog.sum"
        if not self._single:
            raise TypeError(f"{who}: fn returns several outputs; mean and sum need one Value")
        self._has_samples(who)
        cols, n, given = self._spec.columns(columns, who)
        params = self._params()
        if not is_grad_enabled():
            value = self._value_only(params, cols, n, mean)
            self._checker.batch(cols, n, value, mean)
            return Value(value)
        value, pgrads, agrads = self._batch(params, cols, n, mean, bool(given))
        self._checker.batch(cols, n, value, mean)
        parts = (*pgrads, *(agrads[i][pos] for i, pos, _ in given))
        positions = [(i, pos) for i, pos, _ in given]
        partials = batch_partials(parts, self._trace, cols, n, positions=positions, mean=mean)
        inputs = [*self._trace.params, *(v for _, _, v in given)]
        return make_node(value, f"{'mean' if mean else 'sum'} of compiled {self.name}",
                         partials, inputs)

    def _value_only(self, params: list[float], cols: list[Any], n: int, mean: bool) -> float:
        value: float = 0.0  # left to right, as the generated loop and the table's sum add
        for v in self._values(params, cols, n):
            value += v
        value = combine(value, n, mean)
        if math.isfinite(value):
            return value
        self.fallbacks += 1
        return eager.batch_value(self._trace, params, samples(self._spec, cols, n), mean)

    def _batch(self, params: list[float], cols: list[Any], n: int, mean: bool, args: bool
               ) -> tuple[float, Sequence[float], Sequence[Sequence[float]]]:
        seed = 1.0 / n if mean else 1.0
        try:
            result = self._function("batch_args" if args else "batch")(params, seed, *cols)
            agrads = result[2] if args else []
            if finite([result[0]], result[1], *agrads):
                return combine(result[0], n, mean), result[1], agrads
        except Exception:  # rerun on the eager path
            pass
        self.fallbacks += 1
        return eager.batch(self._trace, params, samples(self._spec, cols, n), mean)


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


def call_partials(parts: tuple[float, ...], trace: Trace, output: int, flat: list[float],
                  positions: list[int]) -> Callable[..., Sequence[Any]]:
    """The partials of one call's node ``output``: the numbers the generated code computed;
    called with Values (``create_graph=True``), the partials as Values from the eager path."""
    def partials(*args: Any) -> Sequence[Any]:
        if args and isinstance(args[0], Value):
            return eager.partials_as_values(trace, output, args[:-1], flat, positions)
        return parts

    return partials


def batch_partials(parts: tuple[float, ...], trace: Trace, cols: list[Any], n: int, *,
                   positions: list[tuple[int, int]], mean: bool) -> Callable[..., Sequence[Any]]:
    """``call_partials`` for the node of ``mean`` or ``sum``."""
    def partials(*args: Any) -> Sequence[Any]:
        if args and isinstance(args[0], Value):
            flat = samples(trace.spec, cols, n)
            return eager.batch_partials_as_values(trace, args[:-1], flat, positions, mean)
        return parts

    return partials
