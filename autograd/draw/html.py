"""``to_html``: one self-contained page that steps through the backward pass, node by node.

The graph is drawn by Graphviz in ``to_svg``'s look and inlined; the steps (``steps.py``) and
their words (``narrate.py``) are computed here, in Python, and written into the page as JSON;
the page's script (``stepper.js``) only shows them: it computes no number. Every user string
reaches the page escaped: in the SVG as XML text, in the JSON with ``<``, ``>`` and ``&``
written as ``\\u003c`` ..., and the script puts text in with ``textContent`` only.

The page exposes ``window.chainrule = {steps, step, go(k), grads()}`` (see ``to_html``).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.draw.format import drawn_name, fmt_number
from autograd.draw.graph import GraphvizNotFound, paint_graph
from autograd.draw.narrate import Narrator
from autograd.draw.notebook import StepperPage
from autograd.draw.paint import Painter
from autograd.draw.steps import Step, backward_steps
from autograd.draw.structure import count_drawn
from autograd.draw.style import edge_attrs
from autograd.engine import topological_order
from autograd.interop import label_of
from autograd.value import Value

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

__all__ = ["to_html"]

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_RANKDIRS = ("LR", "TB", "RL", "BT")
_NODE_TITLE = re.compile(r"(v|op|p)(\d+)")
_OP_EDGE_TITLE = re.compile(r"op(\d+)->v\1")


def to_html(root: Value, path: str | Path | None = None, *, rankdir: str = "LR",
            max_nodes: int = 1000) -> StepperPage:
    """One self-contained HTML page that steps through ``root``'s backward pass; written to
    ``path`` if given. Returns its text (a ``str``; in Jupyter it displays the page inline).

    Step 0 shows the forward values; step 1 the seed d(root)/d(root) = 1; each next step one
    node, in the engine's own order, passes its gradient to its inputs: its edges show
    ``local partial × its grad = the contribution``, its inputs' grads grow, and a side panel
    writes the chain rule out. The last step shows the grads ``backward()`` leaves (from zero
    grads). Controls: next, previous, play/pause, a slider, the arrow keys; ``page.html#step=5``
    opens at step 5. The drawing is shown large enough to read (at least 3/4 of Graphviz's
    size) and scrolls, inside its frame, to each step's node and edges; a "whole graph" box
    fits all of it in view instead. The graph is not changed. For scripts and tests the page sets
    ``window.chainrule``: ``steps`` (how many), ``step`` (the one shown), ``go(k)`` (show step
    k; a RangeError outside 0..steps-1), ``grads()`` (each node's name, as drawn, to the grad
    text it shows, ``null`` before it has one; a name several nodes share gets ``#index``, its
    topological position, on each).

    ``rankdir`` and ``max_nodes`` as in ``draw_graph``; above ``max_nodes`` drawn nodes a
    ``ValueError`` says so. Raises ``GraphvizNotFound`` without Graphviz's ``dot``.
    """
    _check(root, path, rankdir, max_nodes)
    seen = count_drawn(root, max_nodes, False)
    if seen > max_nodes:
        raise _too_big(seen, max_nodes)
    order = topological_order(root)
    for node in order:
        label_of(node, "to_html")
    steps, final = backward_steps(root)
    index = {node: i for i, node in enumerate(order)}
    painter = _painter_for(steps, final)
    svg, tables, halves = _render(root, painter, rankdir, max_nodes)
    svg, height = _tag(svg, order, index, tables)
    data = _data(root, order, index, steps, halves)
    text = _page(drawn_name(root, index[root]), svg, data)
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return StepperPage(text, len(steps), height)


# --- the drawing -------------------------------------------------------------------------


class _StepPainter(Painter):
    """``to_svg``'s painter, showing the stepper's final grads and three-line edge labels
    (``partial``, ``× grad``, ``= contribution``: the page shows the last two when the edge's
    step comes), with ids the page's script finds them by."""

    who = "to_html"

    def __init__(self, *args: Any, passes: dict[Value, Step], final: dict[Value, float],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.passes, self.final = passes, final
        self.tables: dict[str, list[Value]] = {}

    def grad(self, node: Value) -> float:
        return self.final.get(node, 0.0)

    def operand_edge(self, node: Value, slot: int, partial: str | None,
                     highlighted: bool) -> dict[str, str]:
        step = self.passes[node]
        amount = step.received[slot].amount
        label = f"{partial}\n× {fmt_number(step.grad)}\n= {fmt_number(amount)}"
        return edge_attrs(label, highlighted) | {"id": f"cr-e{self.s.index[node]}-{slot}"}

    def parameters(self, graph: Any, table: str, params: list[Value]) -> None:
        super().parameters(graph, table, params)
        self.tables[table] = list(params)


def _painter_for(steps: list[Step], final: dict[Value, float]) -> Any:
    passes = {s.node: s for s in steps if s.node is not None}
    return partial(_StepPainter, passes=passes, final=final)


def _render(root: Value, painter: Any, rankdir: str,
            max_nodes: int) -> tuple[str, dict[str, list[Value]], dict[str, str]]:
    """The SVG text, the parameter tables' rows (table id -> its Values, in order), and the
    outer halves of edges that come into a neuron's box (edge id -> its outer half's id)."""
    import graphviz

    made: list[_StepPainter] = []

    def keep(*args: Any, **kwargs: Any) -> _StepPainter:
        made.append(painter(*args, **kwargs))
        return made[-1]

    graph = paint_graph(keep, root, rankdir=rankdir, max_nodes=max_nodes, collapse=None,
                        show_partials=True, highlight=None, chosen=None)
    try:
        svg: str = graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFound(graph.source) from None
    return svg, made[0].tables, made[0].outer_halves


def _tag(svg: str, order: list[Value], index: dict[Value, int],
         tables: dict[str, list[Value]]) -> tuple[str, int]:
    """The SVG with ids for the script: ``cr-v7`` / ``cr-op7`` (node 7's record and op),
    ``cr-g7`` (the text of its grad), ``cr-o7`` (the edge from its op to its record); the
    operand edges have theirs from the painter (``cr-e7-0``). Also its height in CSS pixels."""
    import xml.etree.ElementTree as ET  # here, not at import: ``import autograd`` stays quick

    tree = ET.fromstring(svg[svg.index("<svg"):])
    for group in tree.iter(f"{_SVG}g"):
        title = group.findtext(f"{_SVG}title", "")
        kind = group.get("class")
        if kind == "edge":
            found = _OP_EDGE_TITLE.fullmatch(title)
            if found:
                group.set("id", f"cr-o{found.group(1)}")
            continue
        match = _NODE_TITLE.fullmatch(title)
        if kind != "node" or match is None:
            continue
        group.set("id", f"cr-{title}")
        if match.group(1) == "op":
            continue
        rows = tables[title] if match.group(1) == "p" else [order[int(match.group(2))]]
        grads = _grad_texts(group)
        if len(grads) != len(rows):
            raise RuntimeError(f"to_html: found {len(grads)} grad cells in {title}, "
                               f"expected {len(rows)}")
        for node, text in zip(rows, grads, strict=True):
            text.set("id", f"cr-g{index[node]}")
    height = round(float(tree.get("height", "0pt").removesuffix("pt")) * 4 / 3)
    return _unqualified(tree), height


def _unqualified(tree: ET.Element) -> str:
    """The SVG as text with plain tag names (``svg``, not ``ns0:svg``), as HTML inlines it."""
    import xml.etree.ElementTree as ET

    for el in tree.iter():
        el.tag = el.tag.removeprefix(_SVG)
        for key in [k for k in el.attrib if k.startswith(_XLINK)]:
            el.set("xlink:" + key.removeprefix(_XLINK), el.attrib.pop(key))
    tree.set("xmlns", _SVG[1:-1])
    tree.set("xmlns:xlink", _XLINK[1:-1])
    return ET.tostring(tree, encoding="unicode")


def _grad_texts(group: ET.Element) -> list[ET.Element]:
    """The text elements that show grads: each follows the small "grad" tag of its cell."""
    texts = list(group.iter(f"{_SVG}text"))
    return [texts[k + 1] for k, t in enumerate(texts[:-1])
            if (t.text or "").strip() == "grad" and t.get("font-size") == "8.00"]


# --- the data and the page ------------------------------------------------------------


def _data(root: Value, order: list[Value], index: dict[Value, int], steps: list[Step],
          halves: dict[str, str]) -> dict[str, Any]:
    """What the script shows, all of it computed here: names, and per step its words, the
    edges it lights (both halves of an edge into a neuron's box) and the grad texts it sets."""
    names = [drawn_name(node, i) for i, node in enumerate(order)]
    shared = {n for n, times in Counter(names).items() if times > 1}
    keys = [f"{n}#{i}" if n in shared else n for i, n in enumerate(names)]
    words = Narrator(root, index, steps).write()
    rows: list[dict[str, Any]] = []
    for k, (step, (title, lines)) in enumerate(zip(steps, words, strict=True)):
        row: dict[str, Any] = {"title": title, "lines": [list(line) for line in lines]}
        if step.node is not None:
            i = index[step.node]
            row["node"] = i
            lit = [f"cr-e{i}-{r.slot}" for r in step.received]
            row["edges"] = lit + [halves[e] for e in lit if e in halves]
            row["set"] = [[index[r.node], fmt_number(r.after)] for r in step.received]
        elif k == 1:
            row["set"] = [[index[root], fmt_number(1.0)]]
        rows.append(row)
    return {"keys": keys, "steps": rows}


def _page(title: str, svg: str, data: dict[str, Any]) -> str:
    from importlib.resources import files

    here = files("autograd.draw")
    template = here.joinpath("stepper.html").read_text("utf-8")
    parts = {
        "title": escape(title),
        "css": here.joinpath("stepper.css").read_text("utf-8"),
        "js": here.joinpath("stepper.js").read_text("utf-8"),
        "svg": svg,
        "data": _script_json(data),
    }
    # One pass over the template: text put in is never scanned for placeholders again.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def _script_json(data: dict[str, Any]) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & escaped."""
    import json

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, code)
    return text


def _too_big(count: int, limit: int) -> ValueError:
    return ValueError(
        f"to_html: this graph needs more than {limit} nodes to draw (counting stopped at "
        f"{count}), above max_nodes={limit}. A page that steps through every node is for a "
        "graph one can read: step through the loss of a single sample instead of a batch, or "
        f"raise max_nodes above {limit}, if you can wait (Graphviz's dot takes about 0.4 s for "
        "1,000 nodes and about 45 s for 3,500)."
    )


def _check(root: object, path: object, rankdir: object, max_nodes: object) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"to_html: root must be a Value, got {type(root).__name__}")
    if path is not None and (not isinstance(path, (str, os.PathLike))
                             or isinstance(os.fspath(path), bytes)):
        raise TypeError(f"to_html: path must be a str or a pathlib.Path, got "
                        f"{type(path).__name__}")
    if path is not None and "\0" in os.fspath(path):
        raise ValueError(f"to_html: the path {os.fspath(path)!r} contains a NUL character")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"to_html: rankdir must be one of {_RANKDIRS}, got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int):
        raise TypeError(f"to_html: max_nodes must be an int, got {type(max_nodes).__name__}")
    if max_nodes < 1:
        raise ValueError(f"to_html: max_nodes must be at least 1, got {max_nodes}")
