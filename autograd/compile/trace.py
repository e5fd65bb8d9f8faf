"""Tracing: run ``fn`` on leaf Values, twice, and read one program out of the two graphs.

The two graphs are walked side by side from the outputs. Pairs of nodes tell what each node is:

- the same object in both graphs: it existed before ``fn`` ran (a model's weight, or a node
  of an outer graph): a **parameter**, whose ``.data`` the program reads at every call;
- the argument leaves made for this trace: an **argument**;
- two fresh leaves with equal data: a **constant** ``fn`` made (the 1 in ``1 - y * s``);
- two nodes of the same op: a node, whose inputs are paired in turn.

Anything else (fresh leaves whose data differ, different ops, a different sharing of nodes) is
a ``CompileError``: ``fn`` does not build the same graph for the same arguments. A node whose
inputs are all constants is a constant too. The same walk compares a call's eager graph with
the trace (``check=``), and raises ``GraphChangedError`` there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from autograd.compile.args import ArgSpec
from autograd.compile.node import rule_of
from autograd.compile.rules.symbolic import number_key
from autograd.engine import enable_grad
from autograd.interop import label_of
from autograd.ops import Op
from autograd.value import Value


class CompileError(Exception):
    """``fn`` cannot be compiled as it is: it builds a different graph for the same arguments
    (random numbers, state that changes between calls), or returns something that is not a
    Value; the message says which node differs and how."""


class GraphChangedError(CompileError):
    """``check=`` found that ``fn``, run eagerly on this call's arguments, builds a different
    graph from the one traced: Python control flow read ``.data`` (an ``if`` on a value, a
    loop whose length depends on one), so the compiled program no longer computes ``fn``."""


Kind = Literal["param", "arg", "const", "node"]
OutShape = int | list["OutShape"]
"""Where outputs sit in ``fn``'s result: an index into the flat outputs, or a list."""


@dataclass(frozen=True)
class Item:
    """One value of the program: a parameter (``index`` into the parameters), an argument
    (``index`` into the leaves), a constant, or a node (``op`` on the items ``operands``)."""

    kind: Kind
    data: float
    index: int = -1
    op: Op | None = None
    operands: tuple[int, ...] = ()
    label: str = ""


def constants(item: Item, items: Sequence[Item]) -> list[float | None]:
    """The node's operands that are constants, as numbers; None for the others."""
    return [items[j].data if items[j].kind == "const" else None for j in item.operands]


def sample(item: Item, items: Sequence[Item]) -> list[float]:
    """The node's operands as the trace met them: one set of numbers its rule was run on."""
    return [items[j].data for j in item.operands]


@dataclass
class Trace:
    """The program read from ``fn``: its items in an order where operands come first."""

    items: list[Item]
    outputs: list[int]
    shape: OutShape
    params: list[Value]
    spec: ArgSpec
    fn: Callable[..., Any] = field(repr=False)
    graph: tuple[list[Value], list[Value]] = field(repr=False)
    """The first trace's outputs and argument leaves, to compare later graphs with."""


def trace(fn: Callable[..., Any], spec: ArgSpec, example: Sequence[float]) -> Trace:
    leaves1, outs1, shape = run(fn, spec, example)
    leaves2, outs2, shape2 = run(fn, spec, example)
    if shape != shape2:
        raise CompileError("compile: fn returned differently shaped results on two calls "
                           "with the same arguments")
    items, outputs, params = pair(outs1, outs2, leaves1, leaves2, which=("first", "second"))
    return Trace(items, outputs, shape, params, spec, fn, (outs1, leaves1))


def run(fn: Callable[..., Any], spec: ArgSpec,
        flat: Sequence[float]) -> tuple[list[Value], list[Value], OutShape]:
    """``fn`` called on fresh argument leaves: the leaves, its outputs flat, their shape."""
    leaves = spec.leaves(flat)
    with enable_grad():
        result = fn(*spec.nest(leaves))
    outs: list[Value] = []
    shape = _flatten_outputs(result, outs, "")
    return leaves, outs, shape


def _flatten_outputs(result: Any, outs: list[Value], where: str) -> OutShape:
    if isinstance(result, Value):
        outs.append(result)
        return len(outs) - 1
    if isinstance(result, (list, tuple)) and result:
        return [_flatten_outputs(r, outs, f"{where}[{i}]") for i, r in enumerate(result)]
    raise TypeError(f"compile: fn must return a Value or a non-empty (nested) list of Values; "
                    f"got {type(result).__name__}{' at ' + where if where else ''}")


def pair(outs1: list[Value], outs2: list[Value], leaves1: list[Value], leaves2: list[Value], *,
         which: tuple[str, str], error: type[CompileError] = CompileError,
         params: tuple[Sequence[Value], Sequence[Value]] = ((), ()),
         ) -> tuple[list[Item], list[int], list[Value]]:
    """Walk two graphs side by side (see the module's text); ``which`` names them in errors,
    and a difference raises ``error``. ``params`` holds each graph's parameters where they
    are known (``check=``): one of them must meet itself, never a leaf that holds the same
    number."""
    walk = _Walk(leaves1, leaves2, which, error, params)
    stack: list[tuple[Value, Value, bool]] = [(a, b, False) for a, b in
                                              zip(reversed(outs1), reversed(outs2), strict=True)]
    while stack:
        a, b, done = stack.pop()
        if done:
            walk.add_node(a)
        elif walk.visit(a, b):
            stack.append((a, b, True))
            # Inputs that are computed first, then leaves: parameters come out in the order
            # a model lists them (w1 w2 w3 b1 ... for the notes' network).
            order = sorted(range(len(a.inputs)), key=lambda i: not _computed(a.inputs[i]))
            stack.extend((a.inputs[i], b.inputs[i], False) for i in reversed(order))
    return walk.items, [walk.index[id(o)] for o in outs1], walk.params


def _computed(v: Value) -> bool:
    return bool(v.inputs)


class _Walk:
    def __init__(self, leaves1: list[Value], leaves2: list[Value], which: tuple[str, str],
                 error: type[CompileError],
                 params: tuple[Sequence[Value], Sequence[Value]]) -> None:
        self.error = error
        self.args1 = {id(v): k for k, v in enumerate(leaves1)}
        self.args2 = {id(v): k for k, v in enumerate(leaves2)}
        self.known = {id(v) for v in params[0]} | {id(v) for v in params[1]}
        self.which = which
        self.items: list[Item] = []
        self.index: dict[int, int] = {}  # id(node of graph 1) -> item
        self.partner: dict[int, int] = {}  # id(node of graph 1) -> id(its pair in graph 2)
        self.taken: dict[int, Value] = {}  # id(node of graph 2) -> its pair in graph 1
        self.params: list[Value] = []
        self.param_index: dict[int, int] = {}

    def visit(self, a: Value, b: Value) -> bool:
        """Pair a with b; True if a is a node whose inputs must be walked next."""
        if id(a) in self.partner:
            if self.partner[id(a)] != id(b):
                self._differ(a, b, "a node shared by several others in one graph is not "
                                   "shared the same way in the other")
            return False
        if id(b) in self.taken:
            self._differ(a, b, "two nodes of one graph meet one node of the other")
        self.partner[id(a)], self.taken[id(b)] = id(b), a
        if a is b:
            self._add(Item("param", a.data, self._param(a), label=a.label), a)
        elif id(a) in self.args1 or id(b) in self.args2:
            if self.args1.get(id(a)) != self.args2.get(id(b)):
                self._differ(a, b, "an argument meets something else")
            self._add(Item("arg", a.data, self.args1[id(a)], label=a.label), a)
        elif id(a) in self.known or id(b) in self.known:
            self._differ(a, b, "a parameter meets another leaf")
        elif not a.inputs or not b.inputs:
            if a.inputs or b.inputs or number_key(a.data) != number_key(b.data):
                self._differ(a, b, "a value fn made itself (a constant) differs")
            self._add(Item("const", a.data, label=a.label), a)
        else:
            if rule_of(a) is not rule_of(b) or len(a.inputs) != len(b.inputs):
                self._differ(a, b, "the ops differ")
            return True
        return False

    def add_node(self, a: Value) -> None:
        operands = tuple(self.index[id(v)] for v in a.inputs)
        if all(self.items[i].kind == "const" for i in operands):
            self._add(Item("const", a.data, label=a.label), a)  # computed from constants only
        else:
            op = rule_of(a)
            assert op is not None
            self._add(Item("node", a.data, op=op, operands=operands, label=a.label), a)

    def _add(self, item: Item, a: Value) -> None:
        label_of(a, "compile")  # a name or a comment in the source: a str
        self.index[id(a)] = len(self.items)
        self.items.append(item)

    def _param(self, a: Value) -> int:
        k = self.param_index.get(id(a))
        if k is None:
            k = self.param_index[id(a)] = len(self.params)
            self.params.append(a)
        return k

    def _differ(self, a: Value, b: Value, why: str) -> None:
        first, second = self.which
        where = (f"the {first} graph has {describe(a, self.args1)} where the {second} has "
                 f"{describe(b, self.args2)}")
        if issubclass(self.error, GraphChangedError):
            raise self.error(
                f"prog (check=): fn's graph on this call differs from the traced one ({why}): "
                f"{where}. Python control flow that reads .data ran once, when fn was traced: "
                "the compiled program computes the traced graph, not this one")
        raise self.error(
            f"compile: fn built different graphs ({why}): {where}. compile needs fn to build "
            "the same graph every time: no random numbers, no Python branch on .data, no "
            "state that changes between calls")


def describe(v: Value, args: dict[int, int]) -> str:
    label = f" {v.label!r}" if v.label else ""
    if id(v) in args:
        return f"the argument{label}"
    if not v.inputs:
        return f"a leaf{label} = {v.data!r}"
    return f"a {v.op} node{label} = {v.data!r}"
