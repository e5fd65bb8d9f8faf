"""Names in the generated source: the graph's labels where they are identifiers (``w1``,
``N1``, ``ŷ``), otherwise a name made from the op (``relu_N1``) or a number (``t3``), and the
names the rules are called by (``wsum``, ``tanh``, ``pow_2``)."""

from __future__ import annotations

import builtins
import keyword
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from autograd.compile.rules.source import number_text
from autograd.compile.trace import Item
from autograd.ops import Op

_GRADIENT_LIKE = re.compile(r"d.*_d")
"""Labels that look like a gradient's name (``dL_dw1``) are not used: those are ours."""


def python_name(name: str) -> str:
    """``name`` as Python reads it: identifiers are NFKC-normalised when parsed, so ``𝐝L_dx``
    (a bold d) and ``dL_dx`` are one variable."""
    return name if name.isascii() else unicodedata.normalize("NFKC", name)  # ASCII: itself


class Names:
    """Unique Python names, compared as Python compares them (NFKC-normalised)."""

    def __init__(self) -> None:
        self._taken: set[str] = {python_name(n) for n in dir(builtins)}
        self._taken.update(keyword.kwlist)
        self.objects: dict[str, Any] = {"inf": math.inf, "nan": math.nan}
        self._taken.update(self.objects)
        self._by_id: dict[tuple[int, str], str] = {}

    def usable(self, name: str) -> bool:
        """Whether ``name`` is free: every test is made on the name Python reads, so no look-
        alike of a name the compiler writes (``dL_dv``, ``_total``) gets through."""
        read = python_name(name)
        return (name.isidentifier() and not keyword.iskeyword(read) and not read.startswith("_")
                and not _GRADIENT_LIKE.match(read) and read not in self._taken)

    def take(self, name: str) -> str:
        self._taken.add(python_name(name))
        return name

    def fresh(self, base: str) -> str:
        """``base``, or ``base_2``, ``base_3``, ... : the first one free."""
        if not self.usable(base + "_2"):  # not a name we may use at all
            base = "v"
        name, k = base, 1
        while not self.usable(name):
            k += 1
            name = f"{base}_{k}"
        return self.take(name)

    def rule(self, op: Op, partials: bool = False) -> str:
        """The name a rule of the table is called by in the source (one per function)."""
        fn = op.partials if partials else op.forward
        key = (id(fn), "p" if partials else "f")
        name = self._by_id.get(key)
        if name is None:
            base = op.name if op.param is None else f"{op.name}_{_tag(op.param)}"
            name = self._by_id[key] = self.fresh(base + ("_partials" if partials else ""))
            self.objects[python_name(name)] = fn  # the key the generated code looks up
        return name


def _tag(n: object) -> str:
    return re.sub(r"\W", "_", repr(n).replace("-", "m").replace("+", "p").replace(".", "_"))


def item_names(items: Sequence[Item], outputs: Sequence[int], names: Names) -> list[str]:
    """A name for every item (constants too, though they are printed as numbers)."""
    result = [""] * len(items)
    counter = iter(range(1, 10**9))
    single = len(outputs) == 1
    position = {i: k for k, i in reversed(list(enumerate(outputs)))}
    for i, item in enumerate(items):
        label = item.label
        if item.kind == "const":
            continue
        if names.usable(label):
            result[i] = names.take(label)
        elif item.kind == "param":
            result[i] = names.fresh(f"p{item.index + 1}")
        elif item.kind == "arg":
            result[i] = names.fresh(f"a{item.index + 1}")
        elif single and i == outputs[0] and names.usable("L"):
            result[i] = names.take("L")
        elif not single and i in position:
            result[i] = names.fresh(f"out{position[i] + 1}")
        else:
            result[i] = _fallback(item, result, names, counter)
    return result


def _fallback(item: Item, result: list[str], names: Names, counter: Any) -> str:
    assert item.op is not None
    if len(item.operands) == 1 and result[item.operands[0]]:
        name = f"{item.op.name}_{result[item.operands[0]]}"
        if names.usable(name):
            return names.take(name)
    while True:
        name = f"t{next(counter)}"
        if names.usable(name):
            return names.take(name)


def operand_texts(item: Item, items: Sequence[Item], names: Sequence[str]) -> list[str]:
    """Each operand as source: its name, or the number for a constant."""
    return [number_text(items[j].data)[0] if items[j].kind == "const" else names[j]
            for j in item.operands]


def needs_comment(item: Item, name: str) -> bool:
    return bool(item.label) and item.label != name


def comment(label: str) -> str:
    """A label as the text of a ``#`` comment: each character that does not print (a line
    break would end the comment and start a line of code; a NUL or a lone surrogate cannot be
    compiled) written as a repr writes it, ``a\\nb``."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in label)

