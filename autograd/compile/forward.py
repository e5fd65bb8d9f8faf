"""The forward pass as source: one statement per node, each from its op's forward rule.

Where the rule tests its own result for overflow (``r - r``, true for inf and nan), the test is
kept only where an inf could vanish before the end: when the value feeds an op that may absorb
it (``relu(-inf)`` is 0, ``tanh(inf)`` is 1, ``x / inf`` is 0, any call). Through ``+ - *`` and
weighted sums an inf or nan stays inf or nan, so the final check of the outputs sees it, and a
program whose result is not finite is rerun on the eager path, which raises the engine's error.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.compile.names import Names, comment, needs_comment, operand_texts
from autograd.compile.rules import Rules
from autograd.compile.rules.source import forward_lines
from autograd.compile.rules.template import Template
from autograd.compile.trace import Item, constants, sample


def templates(items: Sequence[Item], rules: Rules) -> dict[int, Template]:
    """The forward template of every node."""
    found = {}
    for i, item in enumerate(items):
        if item.kind == "node":
            assert item.op is not None
            found[i] = rules.forward(item.op, constants(item, items), sample(item, items))
    return found


def checked(items: Sequence[Item], found: dict[int, Template], outputs: Sequence[int],
            rules: Rules) -> set[int]:
    """The nodes whose overflow test must stay.

    A node may go unchecked if an inf or nan in it surely reaches an output, where the final
    check sees it: it is an output, or some user carries an inf in that operand (see
    ``Rules.carriers``) to a node that may go unchecked in turn. Any other node is checked,
    so an overflow there is raised before a relu, a tanh or a division can absorb it.
    """
    users: dict[int, list[tuple[int, int]]] = {}
    for c in found:
        for position, j in enumerate(items[c].operands):
            users.setdefault(j, []).append((c, position))
    sure = set(outputs)
    carried: dict[int, frozenset[int]] = {}  # each node's carriers, asked once

    def carries(c: int, position: int) -> bool:
        if c not in carried:
            op = items[c].op
            assert op is not None
            carried[c] = rules.carriers(op, constants(items[c], items), sample(items[c], items))
        return position in carried[c]

    for i in sorted(found, reverse=True):  # users before what they use
        if any(c in sure and carries(c, k) for c, k in users.get(i, [])):
            sure.add(i)
    return set(found) - sure


def forward_statements(items: Sequence[Item], names: Sequence[str], found: dict[int, Template],
                       keep: set[int], ns: Names) -> list[str]:
    lines = []
    for i, t in found.items():
        item = items[i]
        assert item.op is not None
        code = forward_lines(t, operand_texts(item, items, names), names[i], ns.rule(item.op),
                             ns.rule, check_overflow=i in keep)
        if needs_comment(item, names[i]):
            code[0] += f"  # {comment(item.label)}"
        lines += code
    return lines

