"""Expressions as Python source: Syms and numbers printed with the fewest parentheses that
keep Python's order of evaluation exactly (floating-point sums are not associative, so
``a + (b + c)`` keeps its parentheses)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd.compile.symbolic import BINARY, COMPARE, Branch, Sym, Tree, is_number

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
