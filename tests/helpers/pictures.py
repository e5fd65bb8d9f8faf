"""Read a drawn graph back from its SVG, and check that its numbers agree with each other.

A picture drawn with ``show_partials=True`` shows, for every Value, its grad, and on every edge
the local partial of the op (or collapsed neuron) the edge enters. The chain rule then says that
each Value's grad is the sum, over the edges leaving it, of (edge partial × grad of the node the
edge enters). ``inconsistencies(svg)`` checks exactly that, to the printed precision, for every
drawn Value with edges leaving it, reading only the SVG: the node and edge titles Graphviz
writes, their texts, and, for a neuron's table of weights and bias, which row an edge leaves
(the row at the height where the edge starts).

Names in the SVG, as ``autograd.draw.paint`` writes them: ``v7`` is the record of node 7,
``op7`` its op (whose result is ``v7``), ``p7`` the table of weights and bias of the neuron
whose weighted sum is node 7, ``neuron7`` that neuron collapsed, ``in7_3`` the dot where
operand 3 of node 7 comes into its neuron's box (the edge goes on from there to ``op7``,
carrying the partial).

The stepper's page (``to_html``) inlines the same kind of picture, drawn with the last step's
grads, each operand edge labelled ``partial × grad = contribution``: ``stepper_svg`` takes it
out of the page, and ``inconsistencies`` then also checks that the grad each label multiplies
is the one the entered node shows, and that the contribution is their product.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"([-+]?\d+(?:\.\d*)?)(?:e([-+]?\d+))?")
_STEP_LABEL = re.compile(r"(\S+) × (\S+) = (\S+)")
"""A stepper page's edge label: partial, × the grad of the node entered, = the contribution."""


@dataclass
class Shown:
    """One Value as the picture shows it: its name, its grad, and where its row sits."""

    name: str
    grad: float
    grad_text: str
    y: float
    out: list[tuple[str, str, str]] = field(default_factory=list)
    """Edges leaving it: (partial as printed, the node the edge enters, its grad as printed)."""


def number(text: str) -> float:
    """A number as ``fmt_number`` prints it (``−0.5814``, ``1.235e4``, ``∞``) as a float."""
    plain = text.replace("\u2212", "-")
    if plain in ("∞", "-∞"):
        return math.copysign(math.inf, -1.0 if plain.startswith("-") else 1.0)
    if plain == "NaN":
        return math.nan
    if not _NUMBER.fullmatch(plain):
        raise ValueError(f"not a number as the drawings print them: {text!r}")
    return float(plain)


def half_unit(x: float) -> float:
    """Half a unit in the last place of ``x`` printed with 4 significant digits."""
    if x == 0 or not math.isfinite(x):
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(x))) - 3)


def _texts(group: ET.Element) -> list[tuple[str, float]]:
    return [((t.text or "").strip(), float(t.get("y", "0"))) for t in group.iter(f"{SVG}text")]


def _title(group: ET.Element) -> str:
    title = group.find(f"{SVG}title")
    return title.text or "" if title is not None else ""


def _records(texts: list[tuple[str, float]]) -> list[Shown]:
    """Every ``name … grad value`` run in a node's texts: one for a record, one per table row."""
    rows = []
    start = 0
    for i, (text, y) in enumerate(texts[:-1]):
        if text == "grad":
            value = texts[i + 1][0]
            name = texts[start][0]
            rows.append(Shown(name, number(value), value, y))
            start = i + 2
    return rows


def _edge_start(group: ET.Element) -> float:
    path = group.find(f"{SVG}path")
    if path is None:
        raise ValueError(f"edge {_title(group)!r} has no path")
    match = re.match(r"M\s*([-\d.]+)[ ,]([-\d.]+)", path.get("d", ""))
    if match is None:
        raise ValueError(f"edge {_title(group)!r}: cannot read where its path starts")
    return float(match.group(2))


def read(svg: str) -> tuple[dict[str, list[Shown]], list[tuple[str, str, str, float]]]:
    """The picture's Values by drawn node (a table has several), and its edges as
    ``(tail node, head node, label, y where the edge starts)``."""
    root = ET.fromstring(svg.encode("utf-8"))
    nodes: dict[str, list[Shown]] = {}
    edges = []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        title = _title(group)
        if kind == "node":
            nodes[title] = _records(_texts(group))
        elif kind == "edge":
            tail, head = (end.split(":")[0] for end in title.split("->"))
            labels = [text for text, _ in _texts(group)]
            edges.append((tail, head, " ".join(labels), _edge_start(group)))
    return nodes, edges


def stepper_svg(page: str) -> str:
    """The picture a stepper page (``to_html``) inlines, as SVG text."""
    start, end = page.find("<svg"), page.find("</svg>")
    if start < 0 or end < start:
        raise ValueError("no <svg> element in the page")
    return page[start:end + len("</svg>")]


def _entered(head: str, nodes: dict[str, list[Shown]]) -> Shown:
    """The Value whose grad an edge into ``head`` meets: an op's result, a collapsed neuron."""
    if head.startswith("op"):
        head = "v" + head[2:]
    (target,) = nodes[head]
    return target


def inconsistencies(svg: str) -> tuple[int, list[str]]:
    """How many Values were checked, and a line for each whose grad the edges do not explain.

    Checked: every drawn Value with at least one edge leaving it (leaves and intermediate
    nodes alike). Each number counts as the interval its 4 printed digits stand for.
    """
    nodes, edges = read(svg)
    problems = []
    # An edge into a neuron's box goes to an entry dot, and on from it with its partial.
    onward = {tail: (head, label) for tail, head, label, _ in edges if tail.startswith("in")}
    for tail, first, own, start in edges:
        if tail.startswith(("op", "in")):
            continue
        head, label = onward[first] if first.startswith("in") else (first, own)
        source = min(nodes[tail], key=lambda r: abs(r.y - start))  # in a table: the row left
        if not label:
            raise ValueError(f"edge {tail} -> {head} has no partial: draw with show_partials=True")
        target = _entered(head, nodes)
        partial, wrong = _stepped(label, target)
        if wrong:
            problems.append(f"{source.name}: its edge to {target.name} {wrong}")
        source.out.append((partial, target.name, target.grad_text))
    checked = 0
    for rows in nodes.values():
        for shown in rows:
            if not shown.out:
                continue
            checked += 1
            low = high = 0.0
            terms = []
            for partial, name, grad in shown.out:
                lo, hi = _product_interval(number(partial), number(grad))
                low, high = low + lo, high + hi
                terms.append(f"({partial})·(grad of {name}: {grad})")
            if _outside(shown.grad, low, high):
                problems.append(f"{shown.name}: grad {shown.grad_text}, but "
                                f"{' + '.join(terms)} lies in [{low:.6g}, {high:.6g}]")
    return checked, problems


def _stepped(label: str, target: Shown) -> tuple[str, str | None]:
    """An edge label's partial; for a stepper's label (``p × g = c``), also what is wrong with
    the rest of it: ``g`` not the grad ``target`` shows, or ``c`` not ``p × g``."""
    step = _STEP_LABEL.fullmatch(label)
    if step is None:
        return label, None
    partial, grad, amount = step.groups()
    if grad != target.grad_text:
        return partial, f"says × {grad}, but {target.name}'s grad is {target.grad_text}"
    low, high = _product_interval(number(partial), number(grad))
    if _outside(number(amount), low, high):
        return partial, f"says = {amount}, but ({partial})·({grad}) lies in [{low:.6g}, {high:.6g}]"
    return partial, None


def _outside(x: float, low: float, high: float) -> bool:
    """Whether ``x``, printed with 4 digits, cannot be a number in [low, high]."""
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    dx = half_unit(x)
    return x + dx < low - slack or x - dx > high + slack


def _product_interval(partial: float, grad: float) -> tuple[float, float]:
    dp, dg = half_unit(partial), half_unit(grad)
    corners = [(partial + a) * (grad + b) for a in (-dp, dp) for b in (-dg, dg)]
    return min(corners), max(corners)


def assert_consistent(svg: str, what: str) -> int:
    """Fails naming every Value of the picture ``what`` whose grad its edges contradict."""
    checked, problems = inconsistencies(svg)
    assert checked, f"{what}: no Value with edges leaving it was found in the picture"
    assert not problems, f"{what} contradicts the chain rule:\n" + "\n".join(problems)
    return checked
