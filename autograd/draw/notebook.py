"""How chainrule's objects show in Jupyter, without the engine knowing about Jupyter.

- ``to_html``'s page (a ``StepperPage``, a str) displays inline, inside an ``<iframe srcdoc>``
  sandboxed to its own scripts, so its script and the notebook's never meet.
- An ``Explanation`` displays as its text (``_repr_pretty_``), or as mathematics when it was
  written with ``format="latex"`` (``_repr_latex_``): never as a quoted repr.
- A bare ``Value`` displays as the drawing of its graph (``to_svg``'s) when the drawing needs
  at most ``INLINE_NODES`` nodes, counted only that far; beyond that, or without Graphviz, its
  plain repr. So a huge graph costs a bounded count, never a hang.

A Value and an MLP display by their own methods (``Value._repr_svg_``, ``MLP._repr_html_``):
a Value's calls ``value_svg``, which this module hands to ``autograd.interop.DISPLAY`` when it is
imported (``import autograd`` imports it), so the engine imports no drawing code; an MLP's
calls ``mlp.display``. Nothing is registered with IPython, so they display however chainrule
and IPython were imported. Nothing here imports IPython, and graphviz only when drawing.
"""

from __future__ import annotations

from html import escape

from autograd import interop
from autograd.draw.graph import GraphvizNotFound, to_svg
from autograd.draw.structure import count_drawn
from autograd.value import Value

__all__ = ["INLINE_NODES", "StepperPage", "value_svg"]

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
    """The SVG of a small Value's graph, for Jupyter; None (the plain repr) for a large one,
    or without Graphviz (its ``dot`` program or its Python package)."""
    if count_drawn(value, INLINE_NODES, False) > INLINE_NODES:
        return None
    try:
        return to_svg(value)
    except (GraphvizNotFound, ImportError):
        return None


interop.DISPLAY = value_svg  # Value._repr_svg_ draws through this
