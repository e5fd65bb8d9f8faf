"""Stage 1 of ``autograd.compile``: the op table's rules, read. ``Rules`` holds the templates of
every op a program uses: derived once per op and pattern of constant operands, then checked
against the rule itself on numbers before anything is inlined.

``symbolic`` runs a rule on placeholders and reads back its decision tree; ``template`` sorts
that tree into the shape it is compiled as; ``source`` writes a template as Python lines, the
lines this check runs and the ones the program is made of (``emit`` places them).

Only the built-in ops' rules are read: their code is the table's, written to read alike on
numbers and placeholders (a branch on data goes through ``data_of``). A ``define_op`` op's
rules are called as they are: a user's rule may test its operand's type
(``isinstance(a, float)``) or use it as a key, and then reads one way on placeholders and
another on floats, at points no finite set of checks is sure to meet.

The check runs the compiled snippet and the rule at the traced operands and at fixed probes
(0, ±1, large, tiny, ±inf, nan, ...): wherever the rule raises the snippet must raise, and
wherever it returns the snippet must return the same number (0.0 and -0.0 are equal, nan is
nan). A template that disagrees anywhere is dropped for a plain call of the rule.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from autograd.compile.rules.source import INDENT, Printer, forward_lines, partial_lines
from autograd.compile.rules.symbolic import Branch, is_number
from autograd.compile.rules.template import OPAQUE, Template, derive, is_overflow_check, preserved
from autograd.ops import BUILTIN_NAMES, FAMILIES, OPS, Op

PROBES = (0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-300, -1e300, math.inf, -math.inf, math.nan)
_RAISED = object()


class Rules:
    """Templates by (op, forward or partials, constant operands), each derived once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], tuple[Op, Template]] = {}
        self._carries: dict[tuple[Any, ...], frozenset[int]] = {}

    def forward(self, op: Op, consts: Sequence[float | None],
                sample: Sequence[float]) -> Template:
        """The forward template; ``sample`` is one traced set of operand values."""
        return self._get(op, False, consts, sample)

    def partials(self, op: Op, consts: Sequence[float | None],
                 sample: Sequence[float]) -> Template:
        """The partials template; ``consts`` and ``sample`` end with the output."""
        return self._get(op, True, consts, sample)

    def carriers(self, op: Op, consts: Sequence[float | None],
                 sample: Sequence[float]) -> frozenset[int]:
        """The operands an inf or nan in which surely gives an inf or nan result (or an
        error): through ``+ - *`` and the like by the template's form; through any other
        built-in op by trying it (``log``, ``sqrt``, ``x ** 0.5`` carry it; ``tanh``, ``exp``,
        ``relu``, ``x ** -1`` can absorb it, at some point, so they do not)."""
        t = self.forward(op, consts, sample)
        if t.shape == "pure" and not isinstance(t.tree, Branch):
            return preserved(t.tree)
        if t.shape == "guarded" and all(is_overflow_check(c, w, t.result) for c, w in t.guards):
            return preserved(t.result)
        if not _builtin(op):
            return frozenset()
        key = ("carries", id(op), *(None if c is None else repr(c) for c in consts))
        if key not in self._carries:
            self._carries[key] = frozenset(
                position for position in range(len(consts))
                if all(_outcome(op.forward, point) is _RAISED
                       or not math.isfinite(_outcome(op.forward, point))
                       for point in _nonfinite_points(consts, sample, position)))
        return self._carries[key]

    def _get(self, op: Op, partials: bool, consts: Sequence[float | None],
             sample: Sequence[float]) -> Template:
        key = (id(op), partials, *(None if c is None else (type(c), repr(c)) for c in consts))
        found = self._cache.get(key)
        if found is None:
            rule = op.partials if partials else op.forward
            template = derive(rule, consts, partials, self._readable) if _builtin(op) \
                else OPAQUE  # a user's rule is called, never read: see the module's text
            if not agrees(template, op, partials, consts, sample):
                template = OPAQUE
            found = self._cache[key] = (op, template)
        return found[1]

    def _readable(self, op: Op, args: tuple[Any, ...]) -> bool:
        """Whether a rule's call of ``op`` on these operands (Syms and numbers) may be read
        through: ``op`` is a built-in whose forward rule has a template, checked like any
        other (pow's ``x ** n`` has one; ``math.cos`` has none, so ``cos(a)`` stays a call)."""
        if not _builtin(op):
            return False
        consts = [a if is_number(a) else None for a in args]
        return not self.forward(op, consts, [1.0 if c is None else c for c in consts]).opaque


def agrees(t: Template, op: Op, partials: bool, consts: Sequence[float | None],
           sample: Sequence[float]) -> bool:
    """Whether the template's snippet computes what the rule computes at every test point."""
    if t.opaque:
        return True
    snippet = _snippet(t, op, partials, len(consts))
    rule = op.partials if partials else op.forward
    for probe in _points(consts, sample, PROBES):
        point = probe
        if partials:
            out = _outcome(op.forward, probe[:-1])
            if out is _RAISED:
                continue
            point = (*probe[:-1], out)
        if not _same(_outcome(rule, point), _outcome(snippet, point)):
            return False
    return True


def _snippet(t: Template, op: Op, partials: bool, n: int) -> Callable[..., Any]:
    names = [f"a{i}" for i in range(n)]
    calls: dict[int, tuple[str, Op]] = {}

    def call_name(inner: Op) -> str:
        return calls.setdefault(id(inner), (f"_c{len(calls)}", inner))[0]

    if partials:
        lines, parts = partial_lines(t, names, range(n - 1), "_rule", call_name)
        p = Printer(names, call_name)
        result = "(" + "".join(f"{parts[i].factor(p)[0]}, " for i in range(n - 1)) + ")"
    else:
        lines = forward_lines(t, names, "_r", "_rule", call_name, check_overflow=True)
        result = "_r"
    source = (f"def snippet({', '.join(names)}):\n"
              + "".join(f"{INDENT}{line}\n" for line in lines) + f"{INDENT}return {result}\n")
    namespace: dict[str, Any] = {"_rule": op.partials if partials else op.forward,
                                 "inf": math.inf, "nan": math.nan}
    namespace.update({name: inner.forward for name, inner in calls.values()})
    exec(builtins.compile(source, "<chainrule rule check>", "exec", dont_inherit=True), namespace)
    return namespace["snippet"]  # type: ignore[no-any-return]


def _points(consts: Sequence[float | None], sample: Sequence[float],
            probes: Sequence[float]) -> Iterator[tuple[Any, ...]]:
    """The traced operands, then each probe in every free operand (alternating in sign)."""
    yield tuple(sample)
    for p in probes:
        yield tuple(p if c is None else c for c in consts)
        yield tuple((p if k % 2 else -p) if c is None else c for k, c in enumerate(consts))


def _nonfinite_points(consts: Sequence[float | None], sample: Sequence[float],
                      position: int) -> Iterator[tuple[Any, ...]]:
    for bad in (math.inf, -math.inf, math.nan):
        for others in (sample, *([p] * len(consts) for p in PROBES)):
            yield tuple(bad if k == position else c if c is not None else others[k]
                        for k, c in enumerate(consts))


def _builtin(op: Op) -> bool:
    """A built-in op of the table (a member of a family, pow's or clamp's, included)."""
    return op.name in BUILTIN_NAMES and (OPS.get(op.name) is op or op.name in FAMILIES)


def _outcome(fn: Callable[..., Any], point: Sequence[Any]) -> Any:
    try:
        return fn(*point)
    except Exception:
        return _RAISED


def _same(a: Any, b: Any) -> bool:
    if a is _RAISED or b is _RAISED:
        return a is b
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if is_number(a) and is_number(b):
        return a == b or (math.isnan(a) and math.isnan(b))
    return False
