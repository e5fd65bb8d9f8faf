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

from collections.abc import Sequence
from dataclasses import replace

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
from autograd.expression import (
    SLOPE_MAX,
    SQUASH_ABOVE,
    Expression,
    Operand,
    Point,
    Step,
    bound,
    off_the_jumps,
)
from autograd.ops import OPS, Op

__all__ = ["CLAMP_BOUNDS", "EXPONENTS", "SLOPE_MAX", "SQUASH_ABOVE", "Expression", "Operand",
           "Step", "expressions", "values"]

EXPONENTS: tuple[float, ...] = (2, 3, 0.5, -1, -2, 1.5, -0.5, 0, 1)
"""Exponents drawn for the pow family ``x ** n`` (simplest first, for shrinking)."""

CLAMP_BOUNDS: tuple[tuple[float | None, float | None], ...] = (
    (-0.1, 0.1), (0.0, None), (None, 0.2), (-0.2, None))
"""Bounds drawn for the clamp family: inside (-0.25, 0.25), so a "kink" operand, at least
0.25 from 0, is at least 0.05 from a bound."""

def values(min_value: float = -2.0, max_value: float = 2.0) -> st.SearchStrategy[float]:
    """Finite floats in ``[min_value, max_value]`` (no NaN, no infinity)."""
    if not (isinstance(min_value, (int, float)) and isinstance(max_value, (int, float))):
        raise TypeError("values: min_value and max_value must be numbers")
    if not min_value <= max_value:
        raise ValueError(f"values: need min_value <= max_value, got {min_value}, {max_value}")
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


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
    nodes = [Point(x, [1.0 if i == j else 0.0 for j in range(n)])
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
            operands = off_the_jumps(operands, nodes)
        used.update(o.source for o in operands if isinstance(o.source, int))
        nodes.append(Point.of(op, [Point.operand(o, nodes) for o in operands]))
        steps.append(Step(op, operands))
    sinks = [i for i in range(n, len(nodes)) if i not in used]
    output = tuple(bound(i, nodes) for i in sinks)
    return Expression(n, tuple(steps), output), inputs


@st.composite
def _operand(draw: st.DrawFn, nodes: Sequence[Point], domain: str,
             constant_ok: bool) -> Operand:
    if constant_ok and draw(st.integers(0, 4)) == 4:
        bounded = Operand(draw(values(-SQUASH_ABOVE, SQUASH_ABOVE)))
    else:
        # Counted back from the newest node, so shrinking makes chains, not flat sums.
        bounded = bound(len(nodes) - 1 - draw(st.integers(0, len(nodes) - 1)), nodes)
    if domain == "real":
        return bounded
    if domain == "open_unit":
        return replace(bounded, unit=draw(st.floats(0.25, 0.9)))
    two_signed = domain in ("nonzero", "kink", "jumps")
    sign = -1.0 if two_signed and draw(st.booleans()) else 1.0
    return replace(bounded, sign=sign, shift=draw(st.floats(0.25, 2.0)))
