"""A rule of the op table read symbolically: its decision tree and the shape of that tree.

``derive`` runs an op's forward rule, or its partials, on placeholders (constants stay
numbers) and sorts the result into one of four shapes, which say how it is compiled:

``opaque``   every path fell back (``math.tanh``, ``float(a)``, a user op's type checks):
             a call of the rule itself;
``pure``     no path fell back: one expression, conditional where the rule branched
             (relu's ``0.0 if a <= 0 else a``);
``guarded``  one path returns, the others fall back (add's ``r = a + b`` unless ``r - r``
             says it overflowed): the expression, then ``if <left the path>: call the rule``;
``mixed``    anything else: the tree as if/else statements.

A template also answers what an inf or nan does through it: which operands surely carry one
to the result (``preserved``), and whether a partial can overflow from finite operands
(``may_overflow``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from autograd.compile.rules.symbolic import (
    FALLBACK,
    Branch,
    Context,
    Inline,
    Leaf,
    Sym,
    Tree,
    explore,
    is_number,
    leaves,
    same,
)

Shape = Literal["opaque", "pure", "guarded", "mixed"]


@dataclass(frozen=True)
class Template:
    """The decision tree of one rule for one pattern of constant operands."""

    tree: Tree
    shape: Shape
    guards: tuple[tuple[Sym, bool], ...] = ()
    """For ``guarded``: the conditions on the path that returns, with the answer it needs."""
    result: Leaf = None
    """For ``guarded``: what that path returns."""

    @property
    def opaque(self) -> bool:
        return self.shape == "opaque"


OPAQUE = Template(FALLBACK, "opaque")


def derive(rule: Callable[..., Any], operands: Sequence[float | None], partials: bool,
           inline: Inline | None = None) -> Template:
    """The template of ``rule`` with ``operands[i]`` a placeholder where it is None.

    For partials the operands include the op's output, last; a result must be a sequence of
    one number or Sym per input. For a forward rule it must be one number or Sym. ``inline``
    says which calls of the table's ops the rule makes may be read through.
    """
    ctx = Context(inline)
    args = [ctx.var(i) if c is None else c for i, c in enumerate(operands)]
    inputs = len(operands) - 1
    check = (lambda r: _partials_result(r, inputs)) if partials else _forward_result
    return classify(explore(rule, args, check, ctx))


def _forward_result(r: Any) -> Any:
    if isinstance(r, Sym) or is_number(r):
        return r
    raise TypeError(f"not a number: {type(r).__name__}")


def _partials_result(r: Any, inputs: int) -> tuple[Any, ...]:
    if isinstance(r, (str, bytes)) or not isinstance(r, Sequence) or len(r) != inputs:
        raise TypeError("partials must be a sequence with one item per input")
    return tuple(_forward_result(p) for p in r)


def classify(tree: Tree) -> Template:
    ends = leaves(tree)
    returning = [leaf for leaf in ends if leaf is not FALLBACK]
    if not returning:
        return OPAQUE
    if len(returning) == len(ends):
        return Template(tree, "pure")
    if len(returning) == 1:
        return Template(tree, "guarded", tuple(_path(tree)), returning[0])
    return Template(tree, "mixed")


def _path(tree: Tree) -> list[tuple[Sym, bool]]:
    """The conditions, with their answers, on the way to the one returning leaf."""
    path = []
    while isinstance(tree, Branch):
        wanted = tree.yes is not FALLBACK  # a branch always holds a returning leaf
        path.append((tree.cond, wanted))
        tree = tree.yes if wanted else tree.no
    return path


def project(tree: Tree, i: int) -> Tree:
    """Component ``i`` of a tree whose leaves are tuples (partials), equal branches merged."""
    if isinstance(tree, Branch):
        yes, no = project(tree.yes, i), project(tree.no, i)
        return yes if same(yes, no) else Branch(tree.cond, yes, no)
    return tree[i]


def is_overflow_check(cond: Sym, wanted: bool, result: Leaf) -> bool:
    """``r - r`` must be 0: the table's idiom for "the result is finite" (inf - inf and
    nan - nan are nan, which is true)."""
    return (not wanted and cond.kind == "-" and cond.args[0] is result
            and cond.args[1] is result)


def preserved(expr: Leaf) -> frozenset[int]:
    """The operands a non-finite value in which always makes ``expr`` non-finite (or raise).

    Those reached through ``+ - *``, negation, ``abs``, a numerator and the base of a positive
    constant power; not elsewhere (``x / inf`` is 0, ``relu(-inf)`` is 0, a call may absorb
    it). So an overflow there cannot vanish before the final check sees it. All operands in
    one walk: a sum of n terms asks about each of them.
    """
    found: set[int] = set()
    stack = [expr]
    while stack:  # a loop, not recursion: a weighted sum may have thousands of terms
        e = stack.pop()
        if not isinstance(e, Sym):
            continue
        kind, args = e.kind, e.args
        if kind == "var":
            found.add(args[0])
        elif kind in ("+", "-", "*"):
            stack.extend(args)
        elif kind in ("neg", "abs", "/") or (kind == "**" and is_number(args[1])
                                              and args[1] > 0):
            stack.append(args[0])
    return frozenset(found)


def may_overflow(t: Template, k: int) -> bool:
    """Whether the partial for operand k, which the program does not need (the operand is a
    constant, or depends on no wanted leaf), can still overflow from finite operands.

    The eager engine computes every partial of a node whose gradient is not 0, that one too,
    and raises when one overflows (``x ** b`` with b a constant: ``x ** b * log(x)`` can be
    inf where ``x ** b`` is not). So the program computes it, and where it is not finite
    calls the op's partials rule, which raises the engine's error. Not for a partial that is
    surely finite: a number, an operand or the output, its negation, or one of those divided
    by a constant of size at least 1 (the ``/ n`` of a mean)."""
    if t.shape == "opaque":
        return False  # the rule itself is called, for the needed partials: it raises itself
    if t.shape != "pure":
        return True
    return not _bounded(project(t.tree, k))


def _bounded(v: object) -> bool:
    if is_number(v):
        return math.isfinite(v)  # type: ignore[arg-type]
    if not isinstance(v, Sym):
        return False
    if v.kind == "var":
        return True
    if v.kind == "neg":
        return _bounded(v.args[0])
    if v.kind == "/":
        a, b = v.args
        return is_number(b) and abs(b) >= 1 and _bounded(a)
    return False
