"""What a graph is made of, read from its shape alone: roles, neurons, layers, paths.

Nothing here knows about ``mlp``: a neuron is a ``wsum`` node with its weight and bias leaves
and the activation applied directly to it; a layer is the neurons whose ``wsum`` nodes read the
very same inputs. So hand-built graphs and ``mlp``'s graphs are understood alike. Every walk is
iterative and every ordering comes from ``topological_order``, never from ``id()``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from autograd.engine import topological_order
from autograd.value import Value

INPUT, TARGET, PARAMETER, CONSTANT, INTERMEDIATE, OUTPUT, NEURON = (
    "input", "target", "parameter", "constant", "intermediate", "output", "neuron")
_PARAMETER_LABEL = re.compile(r"(?:[wWbB]|weight|bias)(?:$|[\d₀-₉_\[.(])")
_NOT_ACTIVATIONS = frozenset({"pow", "neg"})


@dataclass
class Neuron:
    """A ``wsum`` node, the leaves it owns (weights and bias) and its activation, if any."""

    wsum: Value
    activation: Value | None
    params: list[Value]
    xs: tuple[Value, ...]
    depth: int = 0

    @property
    def output(self) -> Value:
        return self.activation if self.activation is not None else self.wsum

    @property
    def members(self) -> list[Value]:
        tail = [self.activation] if self.activation is not None else []
        return [*self.params, self.wsum, *tail]


@dataclass
class Structure:
    """One graph, analysed: its nodes in topological order and the neurons and layers found."""

    order: list[Value]
    index: dict[Value, int]
    consumers: dict[Value, list[Value]]
    neurons: list[Neuron] = field(default_factory=list)
    layers: list[list[Neuron]] = field(default_factory=list)


def slots(node: Value) -> tuple[tuple[Value, ...], tuple[Value, ...], Value]:
    """The weights, the inputs and the bias of a ``wsum`` node."""
    n = (len(node.inputs) - 1) // 2
    return node.inputs[:n], node.inputs[n : 2 * n], node.inputs[-1]


def is_activation(node: Value) -> bool:
    """A unary op of the table that can act as a neuron's activation: not a power, not a
    negation, and not an n-ary op (a sum, a weighted sum) that was given one operand."""
    rule = node.rule
    return (len(node.inputs) == 1 and rule is not None and rule.arity == 1
            and node.op not in _NOT_ACTIVATIONS)


def count_drawn(root: Value, limit: int, collapse: bool) -> int:
    """How many nodes a drawing needs, counted only until ``limit`` is passed.

    Without collapsing, a leaf is one node and a computed value two (its op and its record).
    With ``collapse``, this is a lower bound (leaves may fold into neurons), cheap to find.
    """
    seen = {root}
    stack = [root]
    count = 0
    while stack:
        node = stack.pop()
        count += _drawn_weight(node, collapse)
        if count > limit:
            return count
        for inp in node.inputs:
            if inp not in seen:
                seen.add(inp)
                stack.append(inp)
    return count


def _drawn_weight(node: Value, collapse: bool) -> int:
    if not node.inputs:
        return 0 if collapse else 1
    if not collapse:
        return 2
    if node.op == "wsum":
        return 1
    return 0 if is_activation(node) and node.inputs[0].op == "wsum" else 2


def analyse(root: Value) -> Structure:
    """Topological order, consumers (distinct, in order), neurons and layers of the graph."""
    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}
    consumers: dict[Value, list[Value]] = {}
    for node in order:
        for inp in dict.fromkeys(node.inputs):
            consumers.setdefault(inp, []).append(node)
    structure = Structure(order, index, consumers)
    _find_neurons(structure)
    return structure


def _find_neurons(s: Structure) -> None:
    owner: dict[Value, Neuron] = {}
    depth: dict[Value, int] = {}
    layers: dict[tuple[Value, ...], list[Neuron]] = {}
    for node in s.order:
        level = max((depth.get(inp, 0) for inp in node.inputs), default=0)
        if node.op != "wsum":
            depth[node] = level
            continue
        ws, xs, b = slots(node)
        after = s.consumers.get(node, [])
        activation = after[0] if len(after) == 1 and is_activation(after[0]) else None
        params = [p for p in dict.fromkeys((*ws, b)) if not p.inputs and p not in owner]
        level = 1 + max((depth.get(x, 0) for x in xs), default=0)
        depth[node] = level
        neuron = Neuron(node, activation, params, xs, level)
        for p in params:
            owner[p] = neuron
        s.neurons.append(neuron)
        layers.setdefault(xs, []).append(neuron)
    s.layers = list(layers.values())


def roles(s: Structure, root: Value, params: Collection[Value] | None) -> dict[Value, str]:
    """The role of every node: output (the root), parameter, input, target, constant,
    intermediate.

    With ``params`` given, exactly those nodes are parameters. Without, a leaf is a parameter
    when its label names one (``w``, ``b``, ``weight`` or ``bias``, then a digit, ``_``, ``[``,
    ``.``, ``(`` or nothing: ``w1``, ``b_2``, ``W[0]``). Other labelled leaves are targets
    when they feed no neuron but meet a neuron's result in one op (the ``y`` of ``y − ŷ``),
    otherwise inputs; unlabelled leaves are constants.
    """
    chosen = set(params) if params is not None else None
    targets = _targets(s)
    out: dict[Value, str] = {}
    for node in s.order:
        if node is root:
            out[node] = OUTPUT
        elif chosen is not None and node in chosen:
            out[node] = PARAMETER
        elif node.inputs:
            out[node] = INTERMEDIATE
        elif chosen is None and _PARAMETER_LABEL.match(node.label):
            out[node] = PARAMETER
        elif node in targets:
            out[node] = TARGET
        else:
            out[node] = INPUT if node.label else CONSTANT
    return out


def _targets(s: Structure) -> set[Value]:
    """Labelled leaves that feed no neuron but share an op with a neuron's result: what the
    network's prediction is compared with (``y`` in ``y − ŷ``, ``y·z`` in a logistic loss)."""
    if not s.neurons:
        return set()
    after: set[Value] = set()  # a neuron's weighted sum and everything computed from it
    for node in s.order:
        if node.op == "wsum" or not after.isdisjoint(node.inputs):
            after.add(node)
    feeds: set[Value] = set()  # what some neuron's weighted sum is computed from
    for node in reversed(s.order):
        if any(c.op == "wsum" or c in feeds for c in s.consumers.get(node, ())):
            feeds.add(node)
    return {
        node for node in s.order
        if not node.inputs and node.label and node not in feeds
        and any(not after.isdisjoint(c.inputs) for c in s.consumers.get(node, ()))
    }


def descendants(s: Structure, start: Value) -> set[Value]:
    """``start`` and every node computed from it: the nodes on the paths from it to the root."""
    on = {start}
    for node in s.order[s.index[start] + 1 :]:
        if any(inp in on for inp in node.inputs):
            on.add(node)
    return on


def folded(s: Structure) -> dict[Value, list[Neuron]]:
    """Leaves that only ever serve as a weight or a bias, with the neurons they fold into."""
    neuron_of = {n.wsum: n for n in s.neurons}
    out: dict[Value, list[Neuron]] = {}
    for node in s.order:
        if node.inputs or node is s.order[-1]:
            continue
        users = s.consumers.get(node, [])
        hosts = [neuron_of.get(u) for u in users]
        if users and all(h is not None and node not in h.xs for h in hosts):
            out[node] = [h for h in hosts if h is not None]
    return out


def grad_of(node: Value) -> float:
    """The node's grad as a float (a Value grad, after ``create_graph=True``, gives its data)."""
    g = node.grad
    return g.data if isinstance(g, Value) else g


def local_partials(node: Value, who: str) -> list[float]:
    """d(node)/d(input) for each input slot, from the op table, on floats.

    At the point the node was recorded, as ``backward()`` takes them: if its data or an
    input's was written since, ``RuntimeError`` naming ``who`` (the partials would mix the
    new inputs with the old output)."""
    rule = node.rule
    if rule is None:
        return []
    node.check_recorded(who)
    parts = rule.partials(*[inp.data for inp in node.inputs], node.data)
    return [float(getattr(p, "data", p)) for p in parts]
