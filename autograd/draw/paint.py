"""Put an analysed graph onto a ``graphviz.Digraph``: nodes, clusters and edges, in order.

Node ids come from topological positions (``v7`` for the record of node 7, ``op7`` for its op,
``p7`` for the table of weights and bias of the neuron whose ``wsum`` is node 7, one row and
port ``v3`` per parameter, so they stay in order; ``neuron7`` for that neuron collapsed;
``in7_3`` for the dot where operand 3 of node 7 comes into its neuron's box), and everything
is emitted in topological order: the same graph always gives the same DOT text.

A neuron reads like the notes, left to right: its inputs come from the left (from the
previous layer, or x1 x2 x3 beside it) into its box, each through its own entry dot
(``in7_3``) above the table of its weights and bias, and from the dot on to the Σ with its
local partial written on that inner half, in operand order; then the Σ's record, then the
activation. Written mid-way outside the box, the partials of edges that cross would be mixed
up.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from autograd.draw.format import fmt_number, node_name, shown, subscript
from autograd.draw.structure import (
    NEURON,
    OUTPUT,
    Neuron,
    Structure,
    grad_of,
    local_partials,
)
from autograd.draw.style import (
    edge_attrs,
    entry_attrs,
    entry_node,
    op_attrs,
    record,
    record_cells,
    stack,
)
from autograd.value import Value


class Painter:
    """Paints one graph; ``fold`` maps leaves hidden in collapsed neurons to their neurons."""

    who = "draw_graph"
    """The function named by an error (a graph written after it was recorded has no partials)."""

    def __init__(self, s: Structure, roles: dict[Value, str], *, collapse: bool,
                 fold: dict[Value, list[Neuron]], on_path: set[Value], partials: bool,
                 rankdir: str = "LR") -> None:
        self.s, self.roles, self.collapse, self.fold = s, roles, collapse, fold
        self.on_path, self.partials = on_path, partials
        # Edges leave a weight's row sideways, towards the flow (or eastwards across it).
        self.side = "w" if rankdir == "RL" else "e"
        self.neuron_of_output = {n.output: n for n in s.neurons} if collapse else {}
        self.hidden: set[Value] = set(fold)
        if collapse:
            for n in s.neurons:
                self.hidden.update((n.wsum, n.output))
        self.placed: set[Value] = set()
        self.anchor: dict[Value, str] = {}
        """Where edges out of a node start, when not at its own record (``v7``)."""
        self.owned: dict[Value, set[Value]] = {}
        """A drawn neuron's ``wsum`` -> the weights and bias in its box (the rest enter it)."""
        self.drawn: set[str] = set()
        """The roles of what was painted, for the legend."""
        self.outer_halves: dict[str, str] = {}
        """For an edge into a neuron's box given an ``id`` by ``operand_edge``: that id (kept by
        the inner half, which carries the label) -> the id of its outer half, up to the dot."""

    # --- ids ---------------------------------------------------------------------------

    def source_id(self, node: Value) -> str:
        """The drawn node an edge out of ``node`` starts from."""
        neuron = self.neuron_of_output.get(node)
        if neuron is not None:
            return f"neuron{self.s.index[neuron.wsum]}"
        return self.anchor.get(node) or f"v{self.s.index[node]}"

    # --- what a subclass may show differently (the backward stepper does) ---------------

    def grad(self, node: Value) -> float:
        """The grad a record shows: the node's own ``.grad``."""
        return grad_of(node)

    def operand_edge(self, node: Value, slot: int, partial: str | None,
                     highlighted: bool) -> dict[str, str]:
        """The attributes of the edge from operand ``slot`` of ``node`` into its op (for an
        operand from outside a neuron's box: of its inner half, from the entry dot on)."""
        return edge_attrs(partial, highlighted)

    # --- nodes -------------------------------------------------------------------------

    def paint(self, graph: Any) -> None:
        """Clusters first (layers holding neurons), then the other nodes, then every edge."""
        for k, layer in enumerate(self.s.layers):
            sub = _subgraph(f"cluster_layer{k}", label=f"layer {layer[0].depth}",
                            style="rounded,dashed", color="#999999", fontcolor="#555555",
                            fontsize="10", labelloc="t", labeljust="l")
            for neuron in layer:
                self.neuron(sub, neuron)
            graph.subgraph(sub)
        for node in self.s.order:
            if node not in self.placed and node not in self.hidden:
                self.value(graph, node)
        self.keep_input_order(graph)
        for node in self.s.order:
            self.edges(graph, node)

    def value(self, graph: Any, node: Value) -> None:
        i = self.s.index[node]
        lit = node in self.on_path
        grad = self.grad(node)
        graph.node(f"v{i}", record(node_name(node, i), node.data, grad, self.roles[node],
                                   fallback=not node.label, highlighted=lit), shape="plain")
        self.drawn.add(self.roles[node])
        if node.inputs:
            rule = node.rule
            symbol = rule.symbol if rule is not None else node.op
            graph.node(f"op{i}", **op_attrs(symbol, lit))
        self.placed.add(node)

    def neuron(self, graph: Any, neuron: Neuron) -> None:
        if self.collapse:
            self.collapsed(graph, neuron)
            return
        i = self.s.index[neuron.wsum]
        sub = _subgraph(f"cluster_neuron{i}", label="", style="rounded", color="#BBBBBB",
                        bgcolor="#FAFAFA")
        self.owned[neuron.wsum] = set(neuron.params)
        for k, inp in enumerate(neuron.wsum.inputs):
            if inp not in self.owned[neuron.wsum]:  # declared first: above the table
                lit = neuron.wsum in self.on_path and inp in self.on_path
                sub.node(f"in{i}_{k}", **entry_node(lit))
        self.parameters(sub, f"p{i}", neuron.params)
        for member in (neuron.wsum, neuron.activation):
            if member is not None:
                self.value(sub, member)
        graph.subgraph(sub)

    def parameters(self, graph: Any, table: str, params: list[Value]) -> None:
        """A neuron's weights and bias as the rows of one table, so they stay in order."""
        rows = []
        for p in params:
            i = self.s.index[p]
            grad = self.grad(p)
            rows.append(record_cells(node_name(p, i), p.data, grad, self.roles[p],
                                     fallback=not p.label, port=f"v{i}",
                                     port_first=self.side == "w",
                                     highlighted=p in self.on_path))
            self.anchor[p] = f"{table}:v{i}:{self.side}"
            self.placed.add(p)
            self.drawn.add(self.roles[p])
        if rows:
            graph.node(table, stack(rows), shape="plain")

    def keep_input_order(self, graph: Any) -> None:
        """Each layer's leaf inputs in operand order (x1 above x2 above x3)."""
        chained: set[Value] = set()
        for layer in self.s.layers:
            xs = [x for x in dict.fromkeys(layer[0].xs)
                  if not x.inputs and x not in self.anchor and x not in chained]
            chained.update(xs)
            if len(xs) > 1:
                same = _subgraph(None, rank="same")
                for a, b in pairwise(xs):
                    same.edge(f"v{self.s.index[a]}", f"v{self.s.index[b]}", style="invis")
                graph.subgraph(same)

    def collapsed(self, graph: Any, neuron: Neuron) -> None:
        out = neuron.output
        i = self.s.index[neuron.wsum]
        name = out.label or neuron.wsum.label or f"neuron{subscript(i)}"
        note = f"Σ {len(neuron.xs)} w·x + b"
        if neuron.activation is not None and neuron.activation.rule is not None:
            note += f" → {shown(neuron.activation.rule.symbol)}"
        role = OUTPUT if self.roles[out] == OUTPUT else NEURON
        self.drawn.add(role)
        grad = self.grad(out)
        # In a box of its own, unseen, as a neuron drawn whole is: so ``dot`` keeps a layer's
        # neurons in order, N1 above N2 (loose in the layer's box, it would shuffle them).
        sub = _subgraph(f"cluster_neuron{i}", label="", style="invis")
        sub.node(f"neuron{i}", record(name, out.data, grad, role, fallback=False,
                                      highlighted=out in self.on_path, note=note),
                 shape="plain")
        graph.subgraph(sub)

    # --- edges -------------------------------------------------------------------------

    def edges(self, graph: Any, node: Value) -> None:
        if not node.inputs:
            return
        neuron = self.neuron_of_output.get(node)
        if neuron is not None:
            self.neuron_edges(graph, neuron)
            return
        if node in self.hidden:
            return
        i = self.s.index[node]
        lit = node in self.on_path
        slots = list(enumerate(zip(node.inputs, self.partial_labels(node), strict=True)))
        owned = self.owned.get(node)
        if owned is not None:  # a neuron's box: what enters it first, then its table's rows
            slots.sort(key=lambda slot: slot[1][0] in owned)
        for k, (inp, part) in slots:
            on = lit and inp in self.on_path
            attrs = self.operand_edge(node, k, part, on)
            if owned is None or inp in owned:
                graph.edge(self.source_id(inp), f"op{i}", **attrs)
                continue
            outer = entry_attrs(on)  # up to the entry dot; the partial is on the inner half
            if "id" in attrs:
                outer["id"] = self.outer_halves[attrs["id"]] = f"{attrs['id']}-in"
            graph.edge(self.source_id(inp), f"in{i}_{k}", **outer)
            graph.edge(f"in{i}_{k}", f"op{i}", tailclip="false", **attrs)
        graph.edge(f"op{i}", f"v{i}", **edge_attrs(None, lit))

    def neuron_edges(self, graph: Any, neuron: Neuron) -> None:
        """Edges into a collapsed neuron: from its inputs and any weight drawn on its own."""
        target = f"neuron{self.s.index[neuron.wsum]}"
        lit = neuron.output in self.on_path
        if self.partials:  # only then: a graph written after recording has none to show
            slots = self.partial_labels(neuron.wsum, raw=True)
            scale: float | None = 1.0
            if neuron.activation is not None:
                scale = _first(self.partial_labels(neuron.activation, raw=True))
        for inp in dict.fromkeys(neuron.wsum.inputs):
            if inp in self.fold:
                continue
            label = None
            if self.partials:
                label = _combined(neuron.wsum.inputs, slots, inp, scale)
            graph.edge(self.source_id(inp), target,
                       **edge_attrs(label, lit and inp in self.on_path))

    def partial_labels(self, node: Value, *, raw: bool = False) -> list[Any]:
        """The local partials of ``node`` as edge labels (or as floats, None if undefined)."""
        if not (self.partials or raw):
            return [None] * len(node.inputs)
        try:
            values: list[float | None] = list(local_partials(node, self.who))
        except (ArithmeticError, ValueError):
            values = [None] * len(node.inputs)
        if raw:
            return values
        return [fmt_number(v) if v is not None else "undefined" for v in values]


def _subgraph(name: str | None, **attrs: str) -> Any:
    """A fresh subgraph (``Digraph.subgraph()`` as a context manager copies the whole parent
    body each time: quadratic on large graphs)."""
    import graphviz

    return graphviz.Digraph(name=name, graph_attr=attrs)


def _first(values: list[Any]) -> float | None:
    return values[0] if values else None


def _combined(inputs: tuple[Value, ...], slots: list[Any], inp: Value,
              scale: float | None) -> str:
    """d(neuron output)/d(inp): the activation's slope times the sum over inp's slots."""
    picked = [p for x, p in zip(inputs, slots, strict=True) if x is inp]
    if scale is None or any(p is None for p in picked):
        return "undefined"
    return fmt_number(scale * sum(picked))

