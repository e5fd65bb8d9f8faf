"""Draw a computation graph with Graphviz: ``draw_graph`` gives the Digraph, ``to_svg`` the SVG.

Each Value is a record ``label | data | grad``; each op a small node with its symbol from the
op table. Colours (Okabe–Ito, colour-blind safe, named in a legend) tell the roles apart:

- output: the root you draw (the loss);
- parameter: the Values in ``params=`` if given; otherwise a leaf labelled like a weight or a
  bias (``w``, ``b``, ``weight``, ``bias`` then a digit, ``_``, ``[``, ``.``, ``(`` or nothing);
- target: a labelled leaf that feeds no neuron but meets a neuron's result in one op (the
  ``y`` of ``y − ŷ``); input: any other labelled leaf (``x1``); constant: an unlabelled leaf
  (the 2 of ``2 * x``); intermediate: every other computed Value;
- neuron: with ``collapse="neurons"``, a neuron folded into one node.

Unlabelled computed Values are named by op and topological index (``mul₇``), as in
``explain``. Neurons and layers are found from the graph's shape (see
``autograd.draw.structure``) and drawn as clusters, left to right as the notes draw them: a
neuron's inputs come into its box from the left, each through its own dot above the table of
its weights and bias, and on to its Σ with its partial written there. ``collapse="neurons"``
folds each neuron's weights and bias into one node. The drawing is deterministic: node ids
are topological positions, never ``id()``.

Any text a user gives (labels, ``define_op`` symbols) is drawn as it is, HTML-escaped, except
that a text longer than 80 characters shows its first 79 and ``…``, and control characters,
lone surrogates and U+FFFE/U+FFFF show as Python escapes (``a\\x01b``): see
``autograd.draw.format.shown``. Graphviz (the ``graphviz`` package) is imported only here,
inside the functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.draw.format import describe, node_name
from autograd.draw.paint import Painter
from autograd.draw.structure import (
    analyse,
    count_drawn,
    descendants,
    folded,
    roles,
)
from autograd.draw.style import EDGE, FONT, PALETTE, legend
from autograd.interop import label_of
from autograd.value import Value

if TYPE_CHECKING:  # for the annotations only: graphviz is imported where it is used
    from graphviz import Digraph

__all__ = ["GraphvizNotFound", "draw_graph", "to_svg"]

_RANKDIRS = ("LR", "TB", "RL", "BT")
_COLLAPSES = (None, "neurons")


class GraphvizNotFound(RuntimeError):  # noqa: N818 (the name the API promises)
    """Graphviz's ``dot`` program is missing; ``source`` still holds the DOT text."""

    def __init__(self, source: str) -> None:
        super().__init__(
            "Graphviz's 'dot' program was not found on PATH, so the graph cannot be rendered. "
            "Install Graphviz with your system's package manager: "
            "'apt-get install graphviz' (Debian, Ubuntu), 'brew install graphviz' (macOS) or "
            "'conda install -c conda-forge graphviz' (conda). The DOT text needs no Graphviz: "
            "draw_graph(root).source, or this error's .source attribute."
        )
        self.source = source


def draw_graph(root: Value, *, rankdir: str = "LR", max_nodes: int = 1000,
               collapse: str | None = None, show_partials: bool = False,
               highlight: Value | None = None,
               params: Iterable[Value] | None = None) -> Digraph:
    """The graph of ``root`` as a ``graphviz.Digraph`` (it renders inline in Jupyter).

    ``rankdir``: "LR", "TB", "RL" or "BT". ``max_nodes``: above this many drawn nodes a
    ``ValueError`` says so and what to do (counting stops as soon as the limit is passed).
    ``collapse="neurons"``: one node per neuron. ``show_partials``: label each edge with the
    local partial of the op's output with respect to that operand. ``highlight``: a Value of
    the graph whose every path to ``root`` is drawn in blue. ``params``: the Values to colour
    as parameters (instead of guessing from labels).
    """
    chosen = _check(root, rankdir=rankdir, max_nodes=max_nodes, collapse=collapse,
                    show_partials=show_partials, highlight=highlight, params=params)
    return paint_graph(Painter, root, rankdir=rankdir, max_nodes=max_nodes, collapse=collapse,
                       show_partials=show_partials, highlight=highlight, chosen=chosen)


def paint_graph(paint_with: Callable[..., Painter], root: Value, *, rankdir: str,
                max_nodes: int, collapse: str | None, show_partials: bool,
                highlight: Value | None, chosen: set[Value] | None) -> Any:
    """``draw_graph`` on checked arguments, painted by ``paint_with``: ``Painter``, or a
    subclass taking the same arguments (``to_html``'s shows the stepper's grads)."""
    collapsing = collapse == "neurons"
    seen = count_drawn(root, max_nodes, collapsing)
    if seen > max_nodes:
        raise _too_big(seen, max_nodes, collapsing, exact=False)
    s = analyse(root)
    for node in s.order:
        label_of(node, "draw_graph")
    if highlight is not None and highlight not in s.index:
        raise ValueError(f"draw_graph: highlight {describe(highlight)} is not in the graph of "
                         f"{describe(root)}")
    node_roles = roles(s, root, chosen)
    on_path = descendants(s, highlight) if highlight is not None else set()
    painter = paint_with(s, node_roles, collapse=collapsing, fold=folded(s) if collapsing else {},
                         on_path=on_path, partials=show_partials, rankdir=rankdir)
    if collapsing:
        exact = len(s.neurons) + sum(
            2 if v.inputs else 1 for v in s.order if v not in painter.hidden)
        if exact > max_nodes:
            raise _too_big(exact, max_nodes, collapsing, exact=True)
    graph = _new_digraph(rankdir)
    painter.paint(graph)
    drawn = painter.drawn
    lit = node_name(highlight, s.index[highlight]) if highlight is not None else None
    graph.attr(label=legend([r for r in PALETTE if r in drawn], partials=show_partials,
                            highlight=lit))
    return graph


def to_svg(root: Value, path: str | Path | None = None, **draw_kwargs: Any) -> str:
    """The SVG text of ``draw_graph(root, **draw_kwargs)``; written to ``path`` if given.

    Raises ``GraphvizNotFound`` (a RuntimeError) when Graphviz's ``dot`` is not installed.
    """
    import graphviz

    if path is not None and (not isinstance(path, (str, os.PathLike))
                             or isinstance(os.fspath(path), bytes)):
        # An int would be taken by open() as a file descriptor: written to, then closed.
        raise TypeError(f"to_svg: path must be a str or a pathlib.Path, got "
                        f"{type(path).__name__}")
    if path is not None and "\0" in os.fspath(path):
        raise ValueError(f"to_svg: the path {os.fspath(path)!r} contains a NUL character")
    graph = draw_graph(root, **draw_kwargs)
    try:
        svg: str = graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFound(graph.source) from None
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(svg)
    return svg


def _new_digraph(rankdir: str) -> Digraph:
    import graphviz

    return graphviz.Digraph(
        name="chainrule",
        graph_attr={"rankdir": rankdir, "fontname": FONT, "fontsize": "10",
                    "nodesep": "0.2", "ranksep": "0.3", "labelloc": "b", "newrank": "true",
                    "ordering": "in"},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "arrowsize": "0.6", "color": EDGE},
    )


def _too_big(count: int, limit: int, collapsing: bool, *, exact: bool) -> ValueError:
    size = f"{count} nodes" if exact else f"more than {limit} nodes (counting stopped at {count})"
    ways = [
        "draw the graph of one sample (e.g. the loss of a single data point) instead of a batch",
        f"raise max_nodes above {limit}, if you can wait",
    ]
    if not collapsing:
        ways.insert(1, 'pass collapse="neurons" to fold each neuron\'s weights and bias into '
                       "one node")
    return ValueError(
        f"draw_graph: this graph needs {size} to draw, above max_nodes={limit}. "
        "Graphviz's dot takes about 0.4 s for 1,000 nodes and about 45 s for 3,500. "
        "Ways out: " + "; ".join(ways) + "."
    )


def _check(root: Any, *, rankdir: Any, max_nodes: Any, collapse: Any, show_partials: Any,
           highlight: Any, params: Any) -> set[Value] | None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {_RANKDIRS}, got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int):
        raise TypeError(f"draw_graph: max_nodes must be an int, got {type(max_nodes).__name__}")
    if max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes must be at least 1, got {max_nodes}")
    if collapse not in _COLLAPSES:
        raise ValueError(f"draw_graph: collapse must be None or 'neurons', got {collapse!r}")
    if not isinstance(show_partials, bool):
        raise TypeError("draw_graph: show_partials must be True or False")
    if highlight is not None and not isinstance(highlight, Value):
        raise TypeError(f"draw_graph: highlight must be a Value, got {type(highlight).__name__}")
    if params is None:
        return None
    if isinstance(params, Value):
        raise TypeError("draw_graph: params must be a collection of Values, e.g. [w1, b1]")
    chosen = list(params)
    for i, p in enumerate(chosen):
        if not isinstance(p, Value):
            raise TypeError(f"draw_graph: params[{i}] must be a Value, got {type(p).__name__}")
    return set(chosen)

