"""Drawing never crashes Graphviz: odd shapes, hostile labels and symbols, random graphs."""

from __future__ import annotations

from test_draw import cluster_members

from autograd import Value, draw_graph, to_svg, total, weighted_sum
from autograd.draw.structure import analyse

# --- shapes -------------------------------------------------------------------------------


def test_a_weighted_sum_of_one_weighted_sum_is_not_taken_for_an_activation(dot: None) -> None:
    # It was: the outer node joined the inner neuron's cluster and its own, and dot segfaulted.
    inner = weighted_sum([], [], Value(0.5))
    outer = weighted_sum([], [], inner)
    s = analyse(outer)
    assert [(n.wsum, n.activation) for n in s.neurons] == [(inner, None), (outer, None)]
    members = cluster_members(draw_graph(outer).source)
    homes = [name for name, ids in members.items() if name.startswith("cluster_neuron")
             and "v1" in ids]
    assert homes == ["cluster_neuron1"]
    assert "</svg>" in to_svg(outer)


def test_a_sum_of_one_operand_is_not_an_activation(dot: None) -> None:
    x = Value(1.0, label="x1")
    n = weighted_sum([Value(0.5, label="w1")], [x], Value(0.0, label="b1"))
    out = total([n])
    (neuron,) = analyse(out).neurons
    assert neuron.activation is None
    assert "Σ 1 w·x + b<" in to_svg(out, collapse="neurons")  # no "→ Σ" activation
