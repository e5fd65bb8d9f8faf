"""Source lines for one node: its forward rule and its partials, from their templates.

Lines come without indentation (a nested block is indented by four spaces); the caller places
them. Operands are given as source text, one per operand of the rule (constants as literals),
and the rule itself, for the fallback calls, by the name it has in the program's namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.compile.printer import ATOM, CONDITIONAL, PRODUCT, Printer, number_text
from autograd.compile.symbolic import FALLBACK, Branch, Sym, Tree, is_number
from autograd.compile.template import Template, is_overflow_check, project

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
