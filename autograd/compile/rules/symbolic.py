"""Symbolic evaluation: run an op's own rule on placeholders and read back what it computes.

A ``Sym`` stands for a number known only by the expression that computes it. Arithmetic on
Syms builds expressions; an op of the table applied to a Sym (``cos(a)``, ``a ** (n - 1)``
inside a partial) becomes a call of that op's forward rule. Where a rule asks for the truth of
a Sym (``if r - r:``, ``1.0 if a > 0 else 0.0``) the answer is not known, so ``explore`` runs
the rule once per combination of answers and returns the decision tree: conditions at the
branches, at each leaf the expression the rule returned or ``FALLBACK`` where it raised (or
did something a Sym cannot do, such as ``math.tanh(a)`` or ``float(a)``). A fallback leaf is
compiled to a call of the rule itself on the floats, so it is always right; the compiler only
inlines what the rule computed on Syms, and ``rules`` checks that against the rule on numbers.

Syms are interned per exploration: the same expression is the same object in every run, so
branches and shared subexpressions compare by identity.

A rule's call of another op of the table is read through where that op's forward rule can be
read (``pw(a, 1)`` in a user's partial is pow's forward rule on ``(a, 1)``, ``a ** 1``):
the callee's own code runs on the Syms, its branches become the caller's and its errors the
caller's, as they are when the rule runs on numbers. A callee that cannot be read
(``math.cos``) stays a call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd.compile.node import route_ops
from autograd.ops import Op

Number = int | float

MAX_PATHS = 32
"""Branch combinations explored per rule; a rule with more is compiled as a call."""
MAX_DECISIONS = 24
"""Truth questions per run; a rule that asks more (a loop on a Sym) is compiled as a call."""

BINARY = ("+", "-", "*", "/", "**")
COMPARE = ("<", "<=", ">", ">=", "==", "!=")


class NeedsNumberError(Exception):
    """A Sym was asked for something only a number has (``float()``, ``int()``, ...)."""


class Sym:
    """A number known by its expression: ``kind`` and ``args`` (Syms or numbers)."""

    __slots__ = ("args", "ctx", "kind")

    kind: str
    args: tuple[Any, ...]
    ctx: Context

    # --- arithmetic builds expressions ------------------------------------------------------
    def __add__(self, o: object) -> Any:
        return self.ctx.binary("+", self, o)

    def __radd__(self, o: object) -> Any:
        return self.ctx.binary("+", o, self)

    def __sub__(self, o: object) -> Any:
        return self.ctx.binary("-", self, o)

    def __rsub__(self, o: object) -> Any:
        return self.ctx.binary("-", o, self)

    def __mul__(self, o: object) -> Any:
        return self.ctx.binary("*", self, o)

    def __rmul__(self, o: object) -> Any:
        return self.ctx.binary("*", o, self)

    def __truediv__(self, o: object) -> Any:
        return self.ctx.binary("/", self, o)

    def __rtruediv__(self, o: object) -> Any:
        return self.ctx.binary("/", o, self)

    def __pow__(self, o: object) -> Any:
        return self.ctx.binary("**", self, o)

    def __rpow__(self, o: object) -> Any:
        return self.ctx.binary("**", o, self)

    def __neg__(self) -> Sym:
        if self.kind == "neg":
            inner: Sym = self.args[0]
            return inner  # -(-x) is x, exactly
        return self.ctx.make("neg", (self,))

    def __pos__(self) -> Sym:
        return self

    def __abs__(self) -> Sym:
        return self.ctx.make("abs", (self,))

    # --- comparisons build conditions; asking their truth is a branch -----------------------
    def __lt__(self, o: object) -> Any:
        return self.ctx.binary("<", self, o)

    def __le__(self, o: object) -> Any:
        return self.ctx.binary("<=", self, o)

    def __gt__(self, o: object) -> Any:
        return self.ctx.binary(">", self, o)

    def __ge__(self, o: object) -> Any:
        return self.ctx.binary(">=", self, o)

    def __eq__(self, o: object) -> Any:
        return self.ctx.binary("==", self, o)

    def __ne__(self, o: object) -> Any:
        return self.ctx.binary("!=", self, o)

    __hash__ = object.__hash__  # interned: identity is structure

    def __bool__(self) -> bool:
        return self.ctx.decide(self)

    # --- what only a number can do ----------------------------------------------------------
    def _opaque(self, *args: object) -> Any:
        raise NeedsNumberError(f"a symbolic operand cannot be used as a number here: {self!r}")

    __float__ = __int__ = __index__ = __complex__ = __round__ = __trunc__ = _opaque
    __floor__ = __ceil__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _opaque
    __divmod__ = __rdivmod__ = _opaque

    def __repr__(self) -> str:  # shallow: an expression may be thousands of nodes deep
        if self.kind == "var":
            return f"v{self.args[0]}"
        return f"<{self.kind} of {len(self.args)}>"


def apply_op(rule: Op, args: tuple[Any, ...]) -> Any:
    """A table op applied to Syms (``route_ops`` hooks it in): its forward rule run on them
    where the context may read through it, else a call of it."""
    ctx = next(a.ctx for a in args if isinstance(a, Sym))
    if rule.arity is not None and len(args) != rule.arity:
        raise TypeError(f"{rule.name}: takes {rule.arity} operand(s), got {len(args)}")
    for a in args:
        if not (isinstance(a, Sym) or is_number(a)):
            raise NeedsNumberError(f"{rule.name}: operand {a!r:.40} is not a number")
    if ctx.inline is not None and ctx.inline(rule, args):
        return rule.forward(*args)
    return ctx.make("call", (rule, *args))


route_ops(Sym, apply_op)


def is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def number_key(x: Number) -> tuple[type, str]:
    """Numbers are told apart by type and repr: 0.0 and -0.0 differ, nan equals nan."""
    return (type(x), repr(x))


Inline = Callable[[Any, tuple[Any, ...]], bool]
"""Whether a call of an op (the op, its operands) may be read through: see ``apply_op``."""


class Context:
    """One exploration: the interned Syms and the answers of the current run."""

    def __init__(self, inline: Inline | None = None) -> None:
        self._interned: dict[tuple[Any, ...], Sym] = {}
        self.script: list[bool] = []
        self.asked: list[Sym] = []
        self.inline = inline

    def var(self, i: int) -> Sym:
        return self.make("var", (i,))

    def make(self, kind: str, args: tuple[Any, ...]) -> Sym:
        key = (kind, *(id(a) if isinstance(a, Sym) or not is_number(a) else number_key(a)
                       for a in args))
        sym = self._interned.get(key)
        if sym is None:
            sym = Sym.__new__(Sym)
            sym.kind, sym.args, sym.ctx = kind, args, self
            self._interned[key] = sym
        return sym

    def binary(self, kind: str, a: object, b: object) -> Any:
        for x in (a, b):
            if not (isinstance(x, Sym) or is_number(x)):
                return NotImplemented
        if kind == "+" and type(a) is int and a == 0:
            return b  # sum() starts from the int 0: 0 + x is x (up to the sign of a zero)
        if kind == "**" and isinstance(a, Sym) and is_number(b) and b in (0, 1):
            return a if b == 1 else 1.0  # x ** 1 is x and x ** 0 is 1.0, for every float x
        if isinstance(a, bool) or isinstance(b, bool):
            a, b = (int(x) if isinstance(x, bool) else x for x in (a, b))
        return self.make(kind, (a, b))

    def decide(self, cond: Sym) -> bool:
        for k, asked in enumerate(self.asked):
            if asked is cond:  # asked before in this run (a callee's check the caller made)
                return self.script[k]
        step = len(self.asked)
        if step >= MAX_DECISIONS:
            raise NeedsNumberError("too many branches")
        if step == len(self.script):
            self.script.append(True)
        self.asked.append(cond)
        return self.script[step]


class _Fallback:
    """A leaf where the rule raised or needed a number: call the rule itself there."""

    def __repr__(self) -> str:
        return "FALLBACK"


FALLBACK = _Fallback()


@dataclass(frozen=True)
class Branch:
    cond: Sym
    yes: Tree
    no: Tree


Leaf = Any
"""A leaf of a decision tree: what the rule returned (a Sym, a number, a tuple of them for
partials), or ``FALLBACK``."""
Tree = Any
"""A decision tree: a ``Branch`` or a leaf."""


def explore(rule: Callable[..., Any], operands: list[Any], check: Callable[[Any], Any],
            ctx: Context) -> Tree:
    """The decision tree of ``rule(*operands)``; ``check`` vets (and may convert) a result,
    raising if it is not one the compiler can use. Syms in ``operands`` must come from ctx."""
    paths: list[tuple[list[bool], list[Sym], Leaf]] = []
    script: list[bool] = []
    while True:
        ctx.script, ctx.asked = list(script), []
        try:
            leaf: Leaf = check(rule(*operands))
        except Exception:  # raised, or needed a number: the rule itself decides there
            leaf = FALLBACK
        answers = ctx.script[: len(ctx.asked)]
        paths.append((list(answers), list(ctx.asked), leaf))
        while answers and not answers[-1]:
            answers.pop()
        if not answers:
            return _tree(paths, 0)
        if len(paths) >= MAX_PATHS:
            return FALLBACK
        answers[-1] = False
        script = answers


def _tree(paths: list[tuple[list[bool], list[Sym], Leaf]], depth: int) -> Tree:
    """Paths sharing their first ``depth`` answers, as a tree (collapsing equal branches)."""
    answers, asked, leaf = paths[0]
    if len(answers) == depth:
        return leaf if len(paths) == 1 else FALLBACK  # a rule that is not deterministic
    cond = asked[depth]
    if any(p[1][depth] is not cond for p in paths if len(p[1]) > depth):
        return FALLBACK  # the same answers led to another question: not deterministic
    yes = [p for p in paths if len(p[0]) > depth and p[0][depth]]
    no = [p for p in paths if len(p[0]) > depth and not p[0][depth]]
    if not yes or not no or len(yes) + len(no) != len(paths):
        return FALLBACK
    a, b = _tree(yes, depth + 1), _tree(no, depth + 1)
    return a if same(a, b) else Branch(cond, a, b)


def same(a: Tree, b: Tree) -> bool:
    """Structural equality of trees and leaves (Syms are interned)."""
    if isinstance(a, Branch) or isinstance(b, Branch):
        return (isinstance(a, Branch) and isinstance(b, Branch) and a.cond is b.cond
                and same(a.yes, b.yes) and same(a.no, b.no))
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b, strict=True)))
    if is_number(a) and is_number(b):
        return number_key(a) == number_key(b)
    return a is b


def leaves(tree: Tree) -> list[Leaf]:
    if isinstance(tree, Branch):
        return leaves(tree.yes) + leaves(tree.no)
    return [tree]
