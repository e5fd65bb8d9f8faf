"""The forward pass as source: one statement per node, each from its op's forward rule.

Where the rule tests its own result for overflow (``r - r``, true for inf and nan), the test is
kept only where an inf could vanish before the end: when the value feeds an op that may absorb
it (``relu(-inf)`` is 0, ``tanh(inf)`` is 1, ``x / inf`` is 0, any call). Through ``+ - *`` and
weighted sums an inf or nan stays inf or nan, so the final check of the outputs sees it, and a
program whose result is not finite is rerun on the eager path, which raises the engine's error.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.compile.names import Names, needs_comment
from autograd.compile.printer import number_text
from autograd.compile.rules import Rules
from autograd.compile.snippets import forward_lines
from autograd.compile.symbolic import Branch
from autograd.compile.template import Template, is_overflow_check, preserves
from autograd.compile.trace import Item


def operand_texts(item: Item, items: Sequence[Item], names: Sequence[str]) -> list[str]:
    """Each operand as source: its name, or the number for a constant."""
    return [number_text(items[j].data)[0] if items[j].kind == "const" else names[j]
            for j in item.operands]


def constants(item: Item, items: Sequence[Item]) -> list[float | None]:
    return [items[j].data if items[j].kind == "const" else None for j in item.operands]


def sample(item: Item, items: Sequence[Item]) -> list[float]:
    return [items[j].data for j in item.operands]


def templates(items: Sequence[Item], rules: Rules) -> dict[int, Template]:
    """The forward template of every node."""
    found = {}
    for i, item in enumerate(items):
        if item.kind == "node":
            assert item.op is not None
            found[i] = rules.forward(item.op, constants(item, items), sample(item, items))
    return found


def _keeps_overflow(t: Template, position: int) -> bool:
    """Whether an op with template t turns a non-finite operand at ``position`` into a
    non-finite result (or an error) for sure."""
    if t.shape == "pure" and not isinstance(t.tree, Branch):
        return preserves(t.tree, position)
    if t.shape == "guarded" and all(is_overflow_check(c, w, t.result) for c, w in t.guards):
        return preserves(t.result, position)
    return False


def checked(items: Sequence[Item], found: dict[int, Template]) -> set[int]:
    """The nodes whose overflow test must stay: some consumer might absorb an inf."""
    keep = set()
    for consumer, t in found.items():
        for position, j in enumerate(items[consumer].operands):
            if j in found and not _keeps_overflow(t, position):
                keep.add(j)
    return keep


def forward_statements(items: Sequence[Item], names: Sequence[str], found: dict[int, Template],
                       keep: set[int], ns: Names) -> list[str]:
    lines = []
    for i, t in found.items():
        item = items[i]
        assert item.op is not None
        code = forward_lines(t, operand_texts(item, items, names), names[i], ns.rule(item.op),
                             ns.rule, check_overflow=i in keep)
        if needs_comment(item, names[i]):
            code[0] += f"  # {item.label}"
        lines += code
    return lines
