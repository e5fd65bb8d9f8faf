"""The random expressions of ``autograd.testing``, without hypothesis: what is drawn.

An ``Expression`` is a list of ``Step``s (an op of the table and its ``Operand``s) replayable
on Values or floats; an ``Operand`` says where a value comes from and how it is moved into its
op's domain (squashed, scaled, shifted off 0, into (-1, 1), off a jump). ``Point`` follows each
node's value and slope while an expression is drawn, so those moves can be decided then.
``autograd.testing`` draws them (see its module text for the rules) and re-exports the public
names; this module needs only the standard library and the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from autograd.nary import total
from autograd.ops import Op

SQUASH_ABOVE = 1.5
"""An operand larger than this (in absolute value) is squashed into [-1, 1] before use."""

SLOPE_MAX = 10.0
"""An operand steeper than this (its partials with respect to the inputs, summed in absolute
value, after the squash) is scaled down to this slope before use."""


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
            lines.append(f"{name} = {op_name(step.op)}({args})")
            names.append(name)
        lines.append("out = " + " + ".join(o.describe(names) for o in self.output))
        return f"Expression({', '.join(names[: self.n_inputs])}: " + "; ".join(lines) + ")"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """hypothesis (and IPython) print this, not the dataclass fields: the program reads."""
        printer.text(repr(self))


def op_name(op: Op) -> str:
    return f"{op.name}[{op.param!r}]" if op.param is not None else op.name


@dataclass(frozen=True)
class Point:
    """A node's value where the expression was drawn, and its slope there: the partials with
    respect to the inputs (NaN where an op's partials could not be taken on floats)."""

    value: float
    slope: list[float]

    @property
    def steepness(self) -> float:
        return sum(map(abs, self.slope))

    @classmethod
    def operand(cls, o: Operand, nodes: Sequence[Point]) -> Point:
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
    def of(cls, op: Op, args: list[Point]) -> Point:
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


def off_the_jumps(operands: tuple[Operand, ...],
                   nodes: Sequence[Point]) -> tuple[Operand, ...]:
    """a % b's operands, a moved so that a / b is k + 1/2 where drawn, half-way between jumps."""
    a, b = (Point.operand(o, nodes).value for o in operands)
    offset = b * (math.floor(a / b) + 0.5) - a
    return (replace(operands[0], offset=offset), *operands[1:])


def bound(source: int, nodes: Sequence[Point]) -> Operand:
    """Node ``source`` as an operand, squashed if large and scaled if steep (as drawn)."""
    squash = abs(nodes[source].value) > SQUASH_ABOVE
    point = Point.operand(Operand(source, squash), nodes)
    steep = point.steepness
    return Operand(source, squash, scale=SLOPE_MAX / steep if steep > SLOPE_MAX else None)
