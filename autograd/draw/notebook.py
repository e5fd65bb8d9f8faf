"""How chainrule's objects show in Jupyter, without the engine knowing about Jupyter.

- ``to_html``'s page (a ``StepperPage``, a str) displays inline, inside an ``<iframe srcdoc>``
  sandboxed to its own scripts, so its script and the notebook's never meet.
- An ``Explanation`` displays as its text (``_repr_pretty_``), or as mathematics when it was
  written with ``format="latex"`` (``_repr_latex_``): never as a quoted repr.
- A bare ``Value`` displays as the drawing of its graph (``to_svg``'s) when the drawing needs
  at most ``INLINE_NODES`` nodes, counted only that far; beyond that, or without Graphviz, its
  plain repr. So a huge graph costs a bounded count, never a hang.

The ``Value`` display is an IPython formatter, registered when chainrule is imported inside a
running IPython (``autograd.value`` imports nothing of this). ``mlp`` registers its ``MLP``
display the same way. Nothing here imports IPython: it is found in ``sys.modules`` or not at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from html import escape
from typing import Any

from autograd.value import Value

__all__ = ["INLINE_NODES", "StepperPage", "register_formatter", "value_svg"]

INLINE_NODES = 150
"""A Value whose drawing needs more nodes than this displays as its repr in Jupyter."""


class StepperPage(str):
    """The HTML text of ``to_html`` (a ``str``), which displays inline in Jupyter.

    ``steps`` is the number of steps (0 to ``steps - 1``); ``height`` the drawing's height in
    CSS pixels, which sizes the notebook's frame.
    """

    steps: int
    height: int

    def __new__(cls, text: str, steps: int, height: int = 0) -> StepperPage:
        obj = super().__new__(cls, text)
        obj.steps, obj.height = steps, height
        return obj

    def __getnewargs__(self) -> tuple[str, int, int]:  # type: ignore[override]
        return (str(self), self.steps, self.height)

    def __repr__(self) -> str:
        return (f"<StepperPage: the backward pass in {self.steps} steps, {len(self):,} "
                "characters of HTML; save it with to_html(root, path), or display it in Jupyter>")

    def _repr_html_(self) -> str:
        frame = min(max(self.height // 2 + 160, 460), 760)  # the drawing scrolls inside
        return (f'<iframe srcdoc="{escape(str(self), quote=True)}" sandbox="allow-scripts" '
                f'title="chainrule: the backward pass, step by step" '
                f'style="width: 100%; height: {frame}px; border: 1px solid #DDDDDD"></iframe>')


def value_svg(value: Value) -> str | None:
    """The SVG of a small Value's graph, for Jupyter; None (the plain repr) for a large one."""
    from autograd.draw.graph import GraphvizNotFound, to_svg
    from autograd.draw.structure import count_drawn

    if count_drawn(value, INLINE_NODES, False) > INLINE_NODES:
        return None
    try:
        return to_svg(value)
    except GraphvizNotFound:
        return None


def register_formatter(mime: str, module: str, name: str,
                       show: Callable[[Any], str | None]) -> bool:
    """Have a running IPython show objects of ``module.name`` as ``mime`` with ``show``.

    Does nothing (returns False) outside IPython; IPython is never imported here.
    """
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)() if ipython is not None else None
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters or mime not in formatters:
        return False
    formatters[mime].for_type_by_name(module, name, show)
    return True
