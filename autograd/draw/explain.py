"""The chain rule for one leaf, written out as the notes write it, with the numbers.

``explain(loss, w1)`` gives ``∂loss/∂w1 = ∂loss/∂ŷ · ∂ŷ/∂N1 · ∂N1/∂w1 = (−1.2)·(0.8)·(0.5) =
−0.48``: one line per path from the leaf to the root, then their sum. Paths are counted by
dynamic programming, never enumerated blindly: up to ``max_paths`` are listed one by one;
beyond that they are grouped by the first node after the leaf, whose factor ``∂root/∂node``
sums all the paths through it. Local partials come from the op table, on floats; two operand
slots holding the same Value (``x * x``) make one factor, their sum. Nodes without a label are
named by op and topological index (``mul₇``; an unlabelled leaf ``const₃``), and labels are
written as ``draw_graph`` writes them (``format.shown``: control characters and lone surrogates
escaped, ``a\\x01b``, a label past 80 characters cut), so any label can be printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograd.draw.format import describe, drawn_name, fmt_number, latex_name, text_name
from autograd.draw.structure import local_partials
from autograd.engine import topological_order
from autograd.interop import label_of
from autograd.value import Value

__all__ = ["Explanation", "explain"]

_FORMATS = ("text", "latex")
_HEAD, _TAIL = 5, 4
"""A path with more than _HEAD + _TAIL factors shows only its first and last ones."""

Edges = dict[Value, list[tuple[Value, float]]]


class Explanation(str):
    """The text of ``explain`` (a ``str``) with the numbers behind it.

    ``total`` is d(root)/d(leaf) as summed in the text, ``paths`` the number of paths from the
    leaf to the root. In a notebook a LaTeX explanation renders as mathematics.
    """

    total: float
    paths: int
    notation: str
    """ "text" or "latex": the ``format`` it was written in."""

    def __new__(cls, text: str, total: float, paths: int, notation: str) -> Explanation:
        obj = super().__new__(cls, text)
        obj.total, obj.paths, obj.notation = total, paths, notation
        return obj

    def __getnewargs__(self) -> tuple[str, float, int, str]:  # type: ignore[override]
        # copy, deepcopy and pickle rebuild it through __new__, which needs all four.
        return (str(self), self.total, self.paths, self.notation)

    def _repr_latex_(self) -> str | None:
        return str(self) if self.notation == "latex" else None

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython and Jupyter show the text itself, not a quoted repr with ``\n`` in it."""
        printer.text(str(self))


@dataclass
class _Line:
    """One product of the chain rule: the nodes it runs through and its local partials."""

    nodes: list[Value]
    factors: list[float]
    via: int = 0
    """When grouped: the number of paths through ``nodes[1]``, the first node after the leaf."""
    value: float = 1.0

    def __post_init__(self) -> None:
        for f in self.factors:
            self.value *= f


def explain(root: Value, leaf: Value, format: str = "text", *,
            max_paths: int = 10) -> Explanation:
    """d(root)/d(leaf) as a product of local partials along each path, then their sum.

    ``format``: "text" (Unicode) or "latex" (a ``$$`` block for notebooks and Markdown).
    ``max_paths``: list paths one by one up to this many; beyond, group them by the first
    node after ``leaf``. Raises ``ValueError`` when ``leaf`` is not in ``root``'s graph.
    """
    _check(root, leaf, format, max_paths)
    order = topological_order(root)
    for node in order:
        label_of(node, "explain")
    index = {node: i for i, node in enumerate(order)}
    if leaf not in index:
        raise ValueError(
            f"explain: {describe(leaf)} is not in the graph of {describe(root)}: it was not "
            "used to compute it, so no chain rule leads from it (the derivative is 0)"
        )
    reach, edges = _towards(order[index[leaf]:], leaf)
    ups, adjoint = _paths_and_adjoints(reach, edges, root)
    writer = _Writer(index, latex=format == "latex")
    n_paths = ups[leaf]
    if n_paths <= max_paths:
        lines = _enumerate(root, leaf, edges)
        rest = None
    else:
        firsts = [(v, p) for v in reach for u, p in edges.get(v, ()) if u is leaf]
        lines = [_Line([root, v, leaf], [adjoint[v], p], ups[v]) for v, p in firsts]
        lines, rest = lines[:max_paths], lines[max_paths:]
    text = writer.write(root, leaf, lines, rest, n_paths)
    total = sum(line.value for line in lines + (rest or []))
    return Explanation(text, total, n_paths, format)


def _towards(tail: list[Value], leaf: Value) -> tuple[list[Value], Edges]:
    """The nodes whose value depends on ``leaf``, in topological order (``leaf`` first), and
    for each its distinct inputs on the way to the leaf with the local partial."""
    reach = [leaf]
    on = {leaf}
    edges: Edges = {}
    for node in tail[1:]:
        if on.isdisjoint(node.inputs):
            continue
        combined: dict[Value, float] = {}
        for inp, p in zip(node.inputs, local_partials(node, "explain"), strict=True):
            if inp in on:
                combined[inp] = combined.get(inp, 0.0) + p
        edges[node] = list(combined.items())
        on.add(node)
        reach.append(node)
    return reach, edges


def _paths_and_adjoints(reach: list[Value], edges: Edges,
                        root: Value) -> tuple[dict[Value, int], dict[Value, float]]:
    """Paths from the root down to each node, and d(root)/d(node), in one reverse sweep."""
    ups: dict[Value, int] = dict.fromkeys(reach, 0)
    adjoint: dict[Value, float] = dict.fromkeys(reach, 0.0)
    ups[root], adjoint[root] = 1, 1.0
    for node in reversed(reach):
        for inp, p in edges.get(node, ()):
            ups[inp] += ups[node]
            adjoint[inp] += adjoint[node] * p
    return ups, adjoint


def _enumerate(root: Value, leaf: Value, edges: Edges) -> list[_Line]:
    """Every path from the root to the leaf; iterative, and linear in their total length."""
    if root is leaf:
        return [_Line([root], [])]
    lines: list[_Line] = []
    nodes: list[Value] = [root]
    factors: list[float] = []
    pending = [iter(edges[root])]
    while pending:
        step = next(pending[-1], None)
        if step is None:
            pending.pop()
            nodes.pop()
            if factors:
                factors.pop()
            continue
        inp, p = step
        if inp is leaf:
            lines.append(_Line([*nodes, leaf], [*factors, p]))
            continue
        nodes.append(inp)
        factors.append(p)
        pending.append(iter(edges[inp]))
    return lines


class _Writer:
    """Writes the lines as text or LaTeX, naming nodes the way the drawings do."""

    def __init__(self, index: dict[Value, int], *, latex: bool) -> None:
        self.index, self.latex = index, latex

    def name(self, node: Value) -> str:
        raw = drawn_name(node, self.index[node])
        return latex_name(raw) if self.latex else text_name(raw)

    def d(self, top: Value, bottom: Value) -> str:
        a, b = self.name(top), self.name(bottom)
        return rf"\frac{{\partial {a}}}{{\partial {b}}}" if self.latex else f"∂{a}/∂{b}"

    def num(self, x: float) -> str:
        return fmt_number(x, latex=self.latex)

    def product(self, line: _Line) -> str:
        """``∂a/∂b · ∂b/∂c = (p)·(q) = pq``, the middle elided on long paths."""
        pairs = list(zip(line.nodes[:-1], line.nodes[1:], line.factors, strict=True))
        dot, more = (r" \cdot ", r"\cdots") if self.latex else (" · ", "…")
        skipped = len(pairs) - _HEAD - _TAIL
        if skipped > 0:
            pairs = pairs[:_HEAD] + pairs[-_TAIL:]
        chain = [self.d(a, b) for a, b, _ in pairs]
        values = [f"({self.num(f)})" for _, _, f in pairs]
        if skipped > 0:
            gap = more if self.latex else f"{more} ({skipped:,} more)"
            chain.insert(_HEAD, gap)
            values.insert(_HEAD, gap)
        joint = r" \cdot " if self.latex else "·"
        return f"{dot.join(chain)} = {joint.join(values)} = {self.num(line.value)}"

    def write(self, root: Value, leaf: Value, lines: list[_Line], rest: list[_Line] | None,
              n_paths: int) -> str:
        whole = self.d(root, leaf)
        total = sum(line.value for line in lines + (rest or []))
        if root is leaf:
            rows = [(whole, "1")]
        elif n_paths == 1 and rest is None and len(lines[0].factors) == 1:
            rows = [(whole, self.num(total))]  # one local partial: nothing to chain
        elif n_paths == 1 and rest is None:
            rows = [(whole, self.product(lines[0]))]
        else:
            rows = [(self.label(line), self.product(line)) for line in lines]
            shown = [line.value for line in lines]
            if rest:
                more = f"{len(rest):,} more node{'s' if len(rest) > 1 else ''} after "
                shown.append(sum(r.value for r in rest))
                rows.append((self.phrase(more, leaf), self.num(shown[-1])))
            rows.append((whole, f"{self.sum(shown)} = {self.num(total)}"))
            head: list[str | Value] = [f"{n_paths:,} paths from ", leaf, " to ", root]
            if rest is not None:
                head += [", grouped by the first node after ", leaf]
            return self.render(rows, self.phrase(*head), whole)
        return self.render(rows, "", whole)

    def label(self, line: _Line) -> str:
        if not line.via:
            return ""
        return self.phrase("via ", line.nodes[1], f" ({_paths(line.via)})")

    def phrase(self, *parts: str | Value) -> str:
        """Words and node names; in LaTeX the words go in ``\\text`` and the names in maths."""
        out = []
        for part in parts:
            if isinstance(part, Value):
                out.append(self.name(part))
            else:
                out.append(rf"\text{{{part}}}" if self.latex else part)
        return (" " if self.latex else "").join(out)

    def sum(self, terms: list[float]) -> str:
        """``a + b + (−c)``: at most max_paths + 1 terms, so never too long to read."""
        parts = [self.num(t) if t >= 0 else f"({self.num(t)})" for t in terms]
        return " + ".join(parts)

    def render(self, rows: list[tuple[str, str]], head: str, whole: str) -> str:
        if self.latex:
            body = " \\\\\n".join(f"{left} &= {right}" if left == whole else
                                  f"{left} \\quad & {right}" for left, right in rows)
            title = f"{head} \\\\\n" if head else ""
            return f"$$\n\\begin{{aligned}}\n{title}{body}\n\\end{{aligned}}\n$$"
        lines = [f"{whole}: {head}"] if head else []
        for left, right in rows:
            if left == whole:
                lines.append(f"{left} = {right}")
            else:
                lines.append(f"  {left + ': ' if left else ''}{right}")
        return "\n".join(lines)


def _paths(n: int) -> str:
    return f"{n:,} path{'s' if n != 1 else ''}"


def _check(root: object, leaf: object, format: object, max_paths: object) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"explain: root must be a Value, got {type(root).__name__}")
    if not isinstance(leaf, Value):
        raise TypeError(f"explain: leaf must be a Value, got {type(leaf).__name__}")
    if format not in _FORMATS:
        raise ValueError(f"explain: format must be 'text' or 'latex', got {format!r}")
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"explain: max_paths must be a positive int, got {max_paths!r}")

