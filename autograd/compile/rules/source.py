"""A template as Python source: its expressions, and the lines of one node's forward rule and
partials.

Syms and numbers are printed with the fewest parentheses that keep Python's order of evaluation
exactly (floating-point sums are not associative, so ``a + (b + c)`` keeps its parentheses).
Lines come without indentation (a nested block is indented by four spaces); the caller places
them. Operands are given as source text, one per operand of the rule (constants as literals),
and the rule itself, for the fallback calls, by the name it has in the program's namespace.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.compile.rules.symbolic import (
    BINARY,
    COMPARE,
    FALLBACK,
    Branch,
    Sym,
    Tree,
    is_number,
)
from autograd.compile.rules.template import Template, is_overflow_check, project

ATOM, POWER, UNARY, PRODUCT, SUM, COMPARISON, NOT, OR, CONDITIONAL = 20, 14, 12, 11, 10, 6, 4, 3, 1
_PRECEDENCE = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "**": POWER,
               **dict.fromkeys(COMPARE, COMPARISON)}


def number_text(x: float) -> tuple[str, int]:
    """A number as source and its precedence; inf and nan are names the namespace provides.

    An int is written as the float equal to it (``0.0`` for the 0 of ``a <= 0``): with floats
    the result is the same, and Python's float-only fast paths apply (relu runs twice as fast).
    """
    if isinstance(x, float) and not math.isfinite(x):
        text = "nan" if math.isnan(x) else "inf" if x > 0 else "-inf"
    elif isinstance(x, int) and not isinstance(x, bool) and abs(x) <= 2**53:
        text = repr(float(x))
    else:
        text = repr(x)
    return text, UNARY if text.startswith("-") else ATOM


class Printer:
    """Prints Syms over named operands: ``names[i]`` for ``var(i)``, ``call_name(op)`` for a
    call of an op's forward, and ``alias[sym]`` for a subexpression already in a variable."""

    def __init__(self, names: Sequence[str], call_name: Callable[[Any], str]) -> None:
        self.names, self.call_name = names, call_name
        self.alias: dict[Sym, str] = {}

    def text(self, x: Any, least: int = 0) -> str:
        """``x`` as source, in parentheses if its precedence is below ``least``."""
        text, prec = self._text(x)
        return f"({text})" if prec < least else text

    def precedence(self, x: Any) -> int:
        return self._text(x)[1]

    def _text(self, x: Any) -> tuple[str, int]:
        if not isinstance(x, Sym):
            return number_text(x)
        if x in self.alias:
            return self.alias[x], ATOM
        kind, args = x.kind, x.args
        if kind in BINARY or kind in COMPARE:
            return self._binary(x)
        if kind == "var":
            text = self.names[args[0]]
        elif kind == "call":
            text = f"{self.call_name(args[0])}({', '.join(self.text(a) for a in args[1:])})"
        elif kind == "abs":
            text = f"abs({self.text(args[0])})"
        elif kind == "neg":
            return f"-{self.text(args[0], UNARY + 1)}", UNARY
        else:
            raise ValueError(f"cannot print a Sym of kind {kind!r}")
        return text, ATOM

    def _binary(self, x: Sym) -> tuple[str, int]:
        kind, (a, b) = x.kind, x.args
        prec = _PRECEDENCE[kind]
        if kind == "**":  # right-associative; a unary minus may follow it
            return f"{self.text(a, POWER + 1)} ** {self._exponent(b)}", POWER
        if prec == COMPARISON:  # never chained: a < b < c means something else
            return f"{self.text(a, prec + 1)} {kind} {self.text(b, prec + 1)}", prec
        head, rest = self.chain(x)
        return " ".join([head, *(f"{op} {term}" for op, term in rest)]), prec

    def _exponent(self, b: Any) -> str:
        """An exponent as source: a whole number as the notes write it (``x ** 2``, not
        ``x ** 2.0``); a float raised to 2 or to 2.0 is the same number."""
        if is_number(b) and math.isfinite(b) and b == int(b) and abs(b) <= 2**53:
            return str(int(b))
        return self.text(b, UNARY)

    def chain(self, x: Sym) -> tuple[str, list[tuple[str, str]]]:
        """A left-associative run of ``+ -`` (or ``* /``) as its first operand and the
        (operator, operand) pairs after it, each as source: walked in a loop, so a weighted
        sum of a thousand terms needs no deep recursion."""
        prec = _PRECEDENCE[x.kind]
        rest: list[tuple[Any, Any]] = []
        while (isinstance(x, Sym) and _PRECEDENCE.get(x.kind) == prec and x not in self.alias
               and x.kind != "**"):
            rest.append((x.kind, x.args[1]))
            x = x.args[0]
        rest.reverse()
        if prec == SUM:  # the notes' style: w1*x1 + w2*x2 + b1
            return self._term(x, prec), [(op, self._term(t, prec + 1)) for op, t in rest]
        return self.text(x, prec), [(op, self.text(t, prec + 1)) for op, t in rest]

    def _term(self, x: Any, least: int) -> str:
        if (isinstance(x, Sym) and x.kind == "*" and x not in self.alias
                and all(self._text(a)[1] == ATOM for a in x.args)):
            return f"{self.text(x.args[0])}*{self.text(x.args[1])}"
        return self.text(x, least)

    def condition(self, tree: Tree, least: int = 0) -> str:
        """A tree with no fallback leaf as one (nested) conditional expression."""
        if not isinstance(tree, Branch):
            return self.text(tree, least)
        text = (f"{self.condition(tree.yes, CONDITIONAL + 1)} if "
                f"{self.text(tree.cond, CONDITIONAL + 1)} else {self.condition(tree.no)}")
        return f"({text})" if least > CONDITIONAL else text

    def truth(self, cond: Sym, wanted: bool) -> str:
        """Source that is true exactly when ``bool(cond) != wanted``: the rule left this path."""
        return self.text(cond, OR + 1) if not wanted else f"not {self.text(cond, NOT + 1)}"


INDENT = "    "


def forward_lines(t: Template, operands: Sequence[str], target: str, fallback: str,
                  call_name: Callable[[Any], str], *, check_overflow: bool) -> list[str]:
    """``target = ...`` by the op's forward rule; ``check_overflow=False`` leaves out the
    rule's own "did it overflow" test (the caller has shown that a later check sees it)."""
    call = f"{target} = {fallback}({', '.join(operands)})"
    p = Printer(operands, call_name)
    if t.shape == "opaque":
        return [call]
    if t.shape == "pure":
        return [f"{target} = {p.condition(t.tree)}"]
    if t.shape == "guarded":
        lines = _assignment(target, t.result, p)
        if isinstance(t.result, Sym):
            p.alias[t.result] = target
        left = [p.truth(c, wanted) for c, wanted in t.guards
                if check_overflow or not is_overflow_check(c, wanted, t.result)]
        if left:
            lines.append(f"if {' or '.join(left)}: {call}")
        return lines
    return _statements(t.tree, p, lambda leaf: [f"{target} = {p.text(leaf)}"], [call])


LONG = 200
"""Terms per line of a long sum: Python's compiler recurses once per operator of a line."""


def _assignment(target: str, value: Any, p: Printer) -> list[str]:
    """``target = value``, a long sum split over lines (``t = t + ...``, the same order)."""
    if not (isinstance(value, Sym) and value.kind in ("+", "-")):
        return [f"{target} = {p.text(value)}"]
    head, rest = p.chain(value)
    if len(rest) <= LONG:
        return [f"{target} = {p.text(value)}"]
    lines = [f"{target} = {' '.join([head, *(f'{o} {t}' for o, t in rest[:LONG])])}"]
    for k in range(LONG, len(rest), LONG):
        lines.append(f"{target} = {target} {' '.join(f'{o} {t}' for o, t in rest[k : k + LONG])}")
    return lines


def _statements(tree: Tree, p: Printer, returned: Callable[[Any], list[str]],
                fallback: list[str]) -> list[str]:
    """A decision tree as if/else statements."""
    if not isinstance(tree, Branch):
        return fallback if tree is FALLBACK else returned(tree)
    lines = [f"if {p.text(tree.cond)}:"]
    lines += [INDENT + line for line in _statements(tree.yes, p, returned, fallback)]
    rest = _statements(tree.no, p, returned, fallback)
    if isinstance(tree.no, Branch):  # if ... elif ... else
        return [*lines, "el" + rest[0], *rest[1:]]
    return [*lines, "else:", *(INDENT + line for line in rest)]


@dataclass(frozen=True)
class Partial:
    """One local partial, ready to multiply a gradient by: a value (Sym, number or tree of
    them, printed by ``text``) or, where lines computed it, the variable holding it."""

    value: Any = None
    variable: str = ""

    def factor(self, p: Printer) -> tuple[str, int]:
        """Source and precedence of the partial as a factor."""
        if self.variable:
            return self.variable, ATOM
        if isinstance(self.value, Branch):
            return p.condition(self.value), CONDITIONAL
        if isinstance(self.value, Sym):
            return p.text(self.value), p.precedence(self.value)
        return number_text(self.value)


def partial_lines(t: Template, operands: Sequence[str], needed: Sequence[int], fallback: str,
                  call_name: Callable[[Any], str]) -> tuple[list[str], dict[int, Partial]]:
    """Lines computing the partials of the ``needed`` inputs, and each one as a Partial.

    ``operands`` ends with the node's own name (the output, which partials may use).
    """
    call = f"{fallback}({', '.join(operands)})"
    n = len(operands) - 1
    if t.shape == "opaque":
        if len(needed) == 1:
            return [f"_p = {call}[{needed[0]}]"], {needed[0]: Partial(variable="_p")}
        return [f"_p = {call}"], {i: Partial(variable=f"_p[{i}]") for i in needed}
    if t.shape == "pure":
        return [], {i: Partial(value=project(t.tree, i)) for i in needed}
    p = Printer(operands, call_name)
    names = {i: f"_p{k + 1}" for k, i in enumerate(needed)}
    unpack = f"{', '.join(names.get(i, '_') for i in range(n))}{',' if n == 1 else ''} = {call}"

    def returned(leaf: Any) -> list[str]:
        return [f"{names[i]} = {p.text(leaf[i])}" for i in needed]

    if t.shape == "guarded":
        lines = returned(t.result)
        left = [p.truth(c, wanted) for c, wanted in t.guards]
        lines.append(f"if {' or '.join(left)}: {unpack}")
    else:
        lines = _statements(t.tree, p, returned, [unpack])
    return lines, {i: Partial(variable=names[i]) for i in needed}


def contribution(gradient: str, partial: Partial, p: Printer) -> str:
    """``gradient * partial``, written as simply as exact arithmetic allows (x * 1.0 is x)."""
    value = partial.value
    if not partial.variable and is_number(value) and value == 1 and not isinstance(value, bool):
        return gradient
    if not partial.variable and is_number(value) and value == -1:
        return f"-{gradient}"
    text, prec = partial.factor(p)
    return f"{gradient} * {f'({text})' if prec <= PRODUCT else text}"
