"""Hypothesis strategies for property-testing gradients: random expressions over the op table.

``expressions()`` draws ``(f, inputs)``: ``f`` is an ``Expression``, a callable from Values to
a Value, and ``inputs`` a list of floats to call it at, ready for ``gradcheck(f, inputs)``.
It needs the ``test`` extra (hypothesis); ``import autograd`` never imports this module.

How an expression is built
    Start from the inputs x0, x1, ... Each step draws an op FROM THE TABLE (``autograd.ops.OPS``
    at draw time, so an op added with ``define_op`` is tested from the day it is added; the
    ``pow`` family is drawn as ``power(n)`` for n in ``EXPONENTS``, ``clamp`` as a member
    of ``CLAMP_BOUNDS``) and draws its operands
    from every node made so far (any earlier node, so nodes are shared: used by several later
    ops, or twice by one op, as in ``v1 * v1``) or, sometimes, a constant. The result is the
    sum of the nodes no later step used, so every step counts in the output.

How inputs are kept off singular points and kinks, by construction
    Nothing is filtered: each operand is transformed, once, when the expression is drawn.

    * Magnitude: an operand whose value was larger than 1.5 when drawn is first squashed,
      ``v -> 2v / (1 + v*v)``, into [-1, 1]; constants lie in [-1.5, 1.5]; inputs in [-2, 2]
      are squashed too when used. So an operand is at most 1.5 in size and nothing overflows.
    * Slope: values alone do not bound derivatives (``sum(v, v, v, v, v)`` five times over
      is 3125 * x0, all 0 at x0 = 0), so the drawing also follows each node's partials with
      respect to the inputs (the chain rule on the table's own partials, on floats), and an
      operand steeper than ``SLOPE_MAX`` (those partials summed in absolute value, after the
      squash) is multiplied by ``SLOPE_MAX / slope``. Values and derivatives then stay in the
      range where central differences at gradcheck's default eps are accurate.
    * Domain: if the op's ``domain`` is not ``"real"``, every operand ``v`` becomes
      ``sign * (v*v + c)`` with c in [0.25, 2]: sign +1 for ``"positive"`` and
      ``"nonnegative"`` (log, sqrt, the pow family, pow_value), sign +1 or -1 for
      ``"nonzero"`` and ``"kink"`` (div, relu, abs). The operand is then at least 0.25 away
      from 0, where those ops are undefined or not smooth, whatever the input. This is
      log(x*x + 1), generalised. For ``"open_unit"`` (asin, acos, tan) it becomes
      ``c * 2v / (1 + v*v)`` with c in [0.25, 0.9]: inside [-0.9, 0.9], off the poles at ±1.
      For ``"jumps"`` (a % b) both are kept off 0 as for ``"nonzero"``, then a constant is
      added to a so that a / b is a half-integer where drawn: as far as can be from a jump.
    * n-ary ops (``arity=None``: sum, wsum) get 1, 3 or 5 operands, which fits both a plain
      sum and wsum's ``(w..., x..., b)`` layout.

    The squash and scale decisions are made for the drawn inputs, so an expression is meant
    to be evaluated near its own inputs (gradcheck's steps of eps are fine). A failure of
    ``gradcheck(f, inputs)`` therefore means a wrong derivative, not a bad point (gradcheck
    itself refines a miss before it reports one; see ``autograd.check``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as e:  # only when hypothesis itself is missing, not a module of it
    if e.name != "hypothesis":
        raise
    raise ModuleNotFoundError(
        'autograd.testing needs hypothesis, which comes with the test extra: '
        'pip install "chainrule[test]" (or pip install hypothesis)', name="hypothesis"
    ) from None

from autograd import ops
from autograd.nary import total
from autograd.ops import OPS, Op

__all__ = ["CLAMP_BOUNDS", "EXPONENTS", "SLOPE_MAX", "SQUASH_ABOVE", "Expression", "Operand",
           "Step", "expressions", "values"]

EXPONENTS: tuple[float, ...] = (2, 3, 0.5, -1, -2, 1.5, -0.5, 0, 1)
"""Exponents drawn for the pow family ``x ** n`` (simplest first, for shrinking)."""

CLAMP_BOUNDS: tuple[tuple[float | None, float | None], ...] = (
    (-0.1, 0.1), (0.0, None), (None, 0.2), (-0.2, None))
"""Bounds drawn for the clamp family: inside (-0.25, 0.25), so a "kink" operand, at least
0.25 from 0, is at least 0.05 from a bound."""

SQUASH_ABOVE = 1.5
"""An operand larger than this (in absolute value) is squashed into [-1, 1] before use."""

SLOPE_MAX = 10.0
"""An operand steeper than this (its partials with respect to the inputs, summed in absolute
value, after the squash) is scaled down to this slope before use."""


def values(min_value: float = -2.0, max_value: float = 2.0) -> st.SearchStrategy[float]:
    """Finite floats in ``[min_value, max_value]`` (no NaN, no infinity)."""
    if not (isinstance(min_value, (int, float)) and isinstance(max_value, (int, float))):
        raise TypeError("values: min_value and max_value must be numbers")
    if not min_value <= max_value:
        raise ValueError(f"values: need min_value <= max_value, got {min_value}, {max_value}")
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


@dataclass(frozen=True)
class Operand:
    """Where an operand comes from and how it is moved into the op's domain."""

    source: int | float
    """An int indexes the nodes (inputs first, then steps); a float is a constant."""
    squash: bool = False
    """Map v to 2v / (1 + v*v) first: its value was large when drawn."""
    sign: float = 1.0
    shift: float | None = None
    """If set, the operand is ``sign * (v*v + shift)``: kept off 0 (see the module doc)."""
    scale: float | None = None
    """If set, v is multiplied by it (after the squash): its slope was steep when drawn."""
    unit: float | None = None
    """If set, the operand is ``unit * 2v / (1 + v*v)``: inside (-1, 1) (``"open_unit"``)."""
    offset: float | None = None
    """If set, added last: a % b's a, moved off the jumps (``"jumps"``)."""

    def bounded(self, nodes: Sequence[Any]) -> Any:
        """The source, squashed and scaled: small in value and slope, before any shift."""
        v = nodes[self.source] if isinstance(self.source, int) else self.source
        if self.squash:
            v = 2 * v / (v * v + 1)
        if self.scale is not None:
            v = v * self.scale
        return v

    def apply(self, nodes: Sequence[Any]) -> Any:
        v = self.bounded(nodes)
        if self.shift is not None:
            v = -(v * v + self.shift) if self.sign < 0 else v * v + self.shift
        if self.unit is not None:
            v = self.unit * 2 * v / (v * v + 1)
        return v if self.offset is None else v + self.offset

    def describe(self, names: Sequence[str]) -> str:
        v = names[self.source] if isinstance(self.source, int) else repr(self.source)
        if self.squash:
            v = f"squash({v})"
        if self.scale is not None:
            v = f"({v}*{self.scale!r})"
        if self.shift is not None:
            v = f"{'-' if self.sign < 0 else ''}({v}*{v} + {self.shift!r})"
        if self.unit is not None:
            v = f"{self.unit!r}*squash({v})"
        return v if self.offset is None else f"({v} + {self.offset!r})"


@dataclass(frozen=True)
class Step:
    """One node: an op from the table applied to operands."""

    op: Op
    operands: tuple[Operand, ...]


@dataclass(frozen=True)
class Expression:
    """A random expression, replayable on Values (or floats); its repr is the program."""

    n_inputs: int
    steps: tuple[Step, ...]
    output: tuple[Operand, ...]
    """Summed to give the result: the steps' nodes that no later step used."""

    def __call__(self, *xs: Any) -> Any:
        if len(xs) != self.n_inputs:
            raise TypeError(f"expression: takes {self.n_inputs} input(s), got {len(xs)}")
        nodes = list(xs)
        for step in self.steps:
            nodes.append(step.op(*[o.apply(nodes) for o in step.operands]))
        outs = [o.apply(nodes) for o in self.output]
        return outs[0] if len(outs) == 1 else total(outs)

    def __repr__(self) -> str:
        names = [f"x{i}" for i in range(self.n_inputs)]
        lines = []
        for step in self.steps:
            name = f"v{len(names) - self.n_inputs}"
            args = ", ".join(o.describe(names) for o in step.operands)
            lines.append(f"{name} = {_op_name(step.op)}({args})")
            names.append(name)
        lines.append("out = " + " + ".join(o.describe(names) for o in self.output))
        return f"Expression({', '.join(names[: self.n_inputs])}: " + "; ".join(lines) + ")"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """hypothesis (and IPython) print this, not the dataclass fields: the program reads."""
        printer.text(repr(self))


def _op_name(op: Op) -> str:
    return f"{op.name}[{op.param!r}]" if op.param is not None else op.name


def _is_family(op: Op) -> bool:
    return op.name in ops.FAMILIES and op.param is None


def _member(draw: st.DrawFn, op: Op) -> Op:
    """A drawn member of a family's entry (pow, clamp); any other op as it is."""
    if not _is_family(op):
        return op
    if op.name == "clamp":
        return ops.clamp(*draw(st.sampled_from(CLAMP_BOUNDS)))
    return ops.power(draw(st.sampled_from(EXPONENTS)))


def _resolve(chosen: Sequence[Op | str] | None) -> list[Op] | None:
    if chosen is None:
        return None  # the whole table, read at draw time
    if isinstance(chosen, (str, Op)) or not isinstance(chosen, Sequence):
        raise TypeError("expressions: ops must be a list of Ops or op names")
    resolved = []
    for item in chosen:
        if isinstance(item, str) and item not in OPS:
            raise ValueError(f"expressions: no op named {item!r} in the table")
        op = OPS[item] if isinstance(item, str) else item
        if not isinstance(op, Op):
            raise TypeError(f"expressions: ops must hold Ops or names, got {type(op).__name__}")
        resolved.append(op)
    if not resolved:
        raise ValueError("expressions: ops is empty")
    return resolved


def expressions(max_inputs: int = 3, max_ops: int = 12,
                ops: Sequence[Op | str] | None = None) -> st.SearchStrategy[
                    tuple[Expression, list[float]]]:
    """Random ``(f, inputs)`` pairs over the op table; see the module doc for how.

    ``ops`` limits the draw to some ops (Ops or names; ``"pow"`` is the family); the default
    is every op in ``autograd.ops.OPS`` when the example is drawn.
    """
    for name, n in (("max_inputs", max_inputs), ("max_ops", max_ops)):
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"expressions: {name} must be an int, got {type(n).__name__}")
        if n < 1:
            raise ValueError(f"expressions: {name} must be >= 1, got {n}")
    return _expressions(max_inputs, max_ops, _resolve(ops))


@st.composite
def _expressions(draw: st.DrawFn, max_inputs: int, max_ops: int,
                 chosen: list[Op] | None) -> tuple[Expression, list[float]]:
    table = chosen if chosen is not None else list(OPS.values())
    n = draw(st.integers(1, max_inputs))
    inputs = draw(st.lists(values(), min_size=n, max_size=n))
    nodes = [_Point(x, [1.0 if i == j else 0.0 for j in range(n)])
             for i, x in enumerate(inputs)]  # each node's value and slope, as drawn
    used: set[int] = set()
    steps = []
    for _ in range(len(draw(st.lists(st.just(0), min_size=1, max_size=max_ops)))):
        op = _member(draw, draw(st.sampled_from(table)))
        count = op.arity if op.arity is not None else draw(st.sampled_from((1, 3, 5)))
        anchor = draw(st.integers(0, count - 1))  # at least one operand is a node
        operands = tuple(
            draw(_operand(nodes, op.domain, constant_ok=i != anchor)) for i in range(count)
        )
        if op.domain == "jumps":
            operands = _off_the_jumps(operands, nodes)
        used.update(o.source for o in operands if isinstance(o.source, int))
        nodes.append(_Point.of(op, [_Point.operand(o, nodes) for o in operands]))
        steps.append(Step(op, operands))
    sinks = [i for i in range(n, len(nodes)) if i not in used]
    output = tuple(_bound(i, nodes) for i in sinks)
    return Expression(n, tuple(steps), output), inputs


@dataclass(frozen=True)
class _Point:
    """A node's value where the expression was drawn, and its slope there: the partials with
    respect to the inputs (NaN where an op's partials could not be taken on floats)."""

    value: float
    slope: list[float]

    @property
    def steepness(self) -> float:
        return sum(map(abs, self.slope))

    @classmethod
    def operand(cls, o: Operand, nodes: Sequence[_Point]) -> _Point:
        """The operand ``o`` as ``o.apply`` makes it, with its slope, by the chain rule."""
        if isinstance(o.source, int):
            v, dv = nodes[o.source].value, nodes[o.source].slope
        else:
            v, dv = o.source, [0.0] * len(nodes[0].slope)
        if o.squash:
            dv = [d * 2 * (1 - v * v) / (1 + v * v) ** 2 for d in dv]
            v = 2 * v / (v * v + 1)
        if o.scale is not None:
            v, dv = v * o.scale, [d * o.scale for d in dv]
        if o.shift is not None:
            dv = [2 * v * d * (-1 if o.sign < 0 else 1) for d in dv]
            v = -(v * v + o.shift) if o.sign < 0 else v * v + o.shift
        if o.unit is not None:
            dv = [d * o.unit * 2 * (1 - v * v) / (1 + v * v) ** 2 for d in dv]
            v = o.unit * 2 * v / (v * v + 1)
        return cls(v if o.offset is None else v + o.offset, dv)

    @classmethod
    def of(cls, op: Op, args: list[_Point]) -> _Point:
        """The node ``op(*args)``; its slope from the op's own partials, taken on floats."""
        out = op(*[a.value for a in args])
        try:
            partials = [float(getattr(p, "data", p))
                        for p in op.partials(*[a.value for a in args], out)]
        except Exception:  # a broken user op: its slope is unknown, and gradcheck will say
            partials = [math.nan] * len(args)
        slope = [sum(p * a.slope[i] for p, a in zip(partials, args, strict=True))
                 for i in range(len(args[0].slope))]
        return cls(out, slope)


def _off_the_jumps(operands: tuple[Operand, ...],
                   nodes: Sequence[_Point]) -> tuple[Operand, ...]:
    """a % b's operands, a moved so that a / b is k + 1/2 where drawn, half-way between jumps."""
    a, b = (_Point.operand(o, nodes).value for o in operands)
    offset = b * (math.floor(a / b) + 0.5) - a
    return (replace(operands[0], offset=offset), *operands[1:])


def _bound(source: int, nodes: Sequence[_Point]) -> Operand:
    """Node ``source`` as an operand, squashed if large and scaled if steep (as drawn)."""
    squash = abs(nodes[source].value) > SQUASH_ABOVE
    point = _Point.operand(Operand(source, squash), nodes)
    steep = point.steepness
    return Operand(source, squash, scale=SLOPE_MAX / steep if steep > SLOPE_MAX else None)


@st.composite
def _operand(draw: st.DrawFn, nodes: Sequence[_Point], domain: str,
             constant_ok: bool) -> Operand:
    if constant_ok and draw(st.integers(0, 4)) == 4:
        bounded = Operand(draw(values(-SQUASH_ABOVE, SQUASH_ABOVE)))
    else:
        # Counted back from the newest node, so shrinking makes chains, not flat sums.
        bounded = _bound(len(nodes) - 1 - draw(st.integers(0, len(nodes) - 1)), nodes)
    if domain == "real":
        return bounded
    if domain == "open_unit":
        return replace(bounded, unit=draw(st.floats(0.25, 0.9)))
    two_signed = domain in ("nonzero", "kink", "jumps")
    sign = -1.0 if two_signed and draw(st.booleans()) else 1.0
    return replace(bounded, sign=sign, shift=draw(st.floats(0.25, 2.0)))
