"""The drawings read like the notes: inputs on the left, each partial readable, every colour named.

Positions are read from the SVG Graphviz lays out (points; y grows downwards there as
negative numbers grow less negative, so "above" is a smaller y).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import pairwise

import pytest

from autograd import Value, draw_graph, to_svg, topological_order
from autograd.draw.format import fmt_number
from autograd.draw.style import PALETTE
from mlp import MLP, losses

from ..helpers.notes_network import build

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]  # left, top, right, bottom


def groups(svg: str) -> dict[str, ET.Element]:
    """Every node, edge and cluster of the SVG by its title (``v7``, ``v6->in10_3``, ...)."""
    root = ET.fromstring(svg.encode("utf-8"))
    return {g.findtext(f"{SVG}title") or "": g for g in root.iter(f"{SVG}g")
            if g.get("class") in ("node", "edge", "cluster")}


def box(group: ET.Element) -> Box:
    """The bounding box of everything a group draws (polygons and paths)."""
    numbers = []
    for shape in group.iter():
        drawn = shape.get("points", "") + " " + shape.get("d", "")
        numbers += re.findall(r"-?\d+(?:\.\d+)?", drawn)
    xs, ys = [float(n) for n in numbers[0::2]], [float(n) for n in numbers[1::2]]
    return min(xs), min(ys), max(xs), max(ys)


def label_position(edge: ET.Element) -> tuple[float, float, str]:
    (text,) = edge.iter(f"{SVG}text")
    return float(text.get("x", "0")), float(text.get("y", "0")), text.text or ""


def network_loss(sizes: list[int], x: list[float]) -> Value:
    model = MLP(len(x), sizes, activation="tanh", seed=1)
    y_hat = model(x)
    assert isinstance(y_hat, Value)
    loss = losses.mse([0.5], [y_hat])
    loss.label = "loss"
    loss.backward()
    return loss


@pytest.mark.parametrize("rankdir", ["LR", "RL"])
def test_the_inputs_sit_beside_the_first_layer_not_below_it(dot: None, rankdir: str) -> None:
    net = build()
    order = topological_order(net.loss)
    drawn = groups(to_svg(net.loss, show_partials=True, rankdir=rankdir))
    layer = box(drawn["cluster_layer0"])
    for x in net.samples[0].x:
        left, top, right, bottom = box(drawn[f"v{order.index(x)}"])
        if rankdir == "LR":
            assert right < layer[0], f"{x.label} is not left of layer 1"
        else:
            assert left > layer[2], f"{x.label} is not right of layer 1 (rankdir RL)"
        assert layer[1] < top and bottom < layer[3], f"{x.label} is above or below layer 1"


def test_each_input_enters_its_neuron_at_its_own_point_with_its_partial(dot: None) -> None:
    net = build()
    order = topological_order(net.loss)
    sample = net.samples[0]
    drawn = groups(to_svg(net.loss, show_partials=True))
    for neuron, weights in ((sample.N1, "w1 w2 w3"), (sample.N2, "w4 w5 w6")):
        n = order.index(neuron)
        left, top, right, bottom = box(drawn[f"cluster_neuron{n}"])
        heights = []
        for k, (x, w) in enumerate(zip(sample.x, weights.split(), strict=True)):
            entry = f"in{n}_{3 + k}"  # x1 x2 x3 are operands 3 4 5 of the weighted sum
            assert f"v{order.index(x)}->{entry}" in drawn  # into the box, to its own dot
            label_x, label_y, text = label_position(drawn[f"{entry}->op{n}"])  # on to the Σ
            assert text == fmt_number(net.params[w].data)  # ∂N/∂x is the weight
            assert left < label_x < right and top < label_y < bottom, "written in the box"
            heights.append(label_y)
        table = box(drawn[f"p{n}"])
        # x1's partial above x2's above x3's, a line of 9-point text apart at least, all
        # above the table of weights, whose own partials come next.
        assert all(b - a >= 9 for a, b in pairwise(heights)), heights
        assert heights[-1] < table[1] + 9


def record_fills(source: str) -> tuple[set[str], set[str]]:
    """The role colours of the records drawn, and those the legend names."""
    body, _, legend = source.rpartition("\tlabel=<<TABLE")
    fill = r'BGCOLOR="(#[0-9A-F]{6})"[^>]*><FONT COLOR="#[0-9A-F]{6}">'
    return set(re.findall(fill + r"<[BI]>", body)), set(re.findall(fill + r"[^<]", legend))


def y_hat_alone() -> Value:
    model = MLP(3, [2, 1], activation=None, seed=0)
    y_hat = model([0.5, -1.0, 2.0])
    assert isinstance(y_hat, Value)
    y_hat.label = "ŷ"
    y_hat.backward()
    return y_hat


@pytest.mark.parametrize("collapse", [None, "neurons"])
@pytest.mark.parametrize("graph", ["notes", "ŷ alone", "3-4-4-1 tanh", "three samples"])
def test_every_colour_drawn_has_its_legend_entry(graph: str, collapse: str | None) -> None:
    roots: dict[str, Callable[[], Value]] = {
        "notes": lambda: build().loss, "ŷ alone": y_hat_alone,
        "3-4-4-1 tanh": lambda: network_loss([4, 4, 1], [0.5, -1.0, 2.0]),
        "three samples": lambda: build(3).loss}
    root = roots[graph]()
    drawn, named = record_fills(draw_graph(root, collapse=collapse).source)
    assert drawn == named
    assert drawn <= {fill for fill, _, _ in PALETTE.values()}


def test_collapsed_output_neuron_is_named_in_the_legend() -> None:
    # ŷ as the root, collapsed: drawn in the output's colour, which the legend used to omit.
    source = draw_graph(y_hat_alone(), collapse="neurons").source
    legend = source[source.index("\tlabel=<<TABLE"):]
    assert "output / loss" in legend and "neuron (weights and bias folded in)" in legend


@pytest.mark.parametrize("collapse", [None, "neurons"])
def test_the_target_has_its_own_colour_and_legend_entry(collapse: str | None) -> None:
    source = draw_graph(build().loss, collapse=collapse).source
    target, _, _ = PALETTE["target"]
    inputs, _, _ = PALETTE["input"]
    assert re.search(rf'BGCOLOR="{target}"><FONT COLOR="#000000"><B>y</B>', source)
    for x in ("x1", "x2", "x3"):
        assert re.search(rf'BGCOLOR="{inputs}"><FONT COLOR="#000000"><B>{x}</B>', source)
    legend = source[source.index("\tlabel=<<TABLE"):]
    assert ">target<" in legend and ">input<" in legend


def test_a_number_given_to_mse_as_target_is_drawn_as_the_target_y() -> None:
    model = MLP(3, [2, 1], activation=None, seed=0)
    loss = losses.mse([1.0], [model([0.5, -1.0, 2.0])])
    target, _, _ = PALETTE["target"]
    assert re.search(rf'BGCOLOR="{target}"><FONT COLOR="#000000"><B>y</B>',
                     draw_graph(loss).source)


def test_a_labelled_leaf_without_neurons_is_an_input_not_a_target() -> None:
    # Without neurons there is no prediction to compare with: f(x, y) = x·y has two inputs.
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    source = draw_graph(x * y).source
    inputs, _, _ = PALETTE["input"]
    assert len(re.findall(rf'BGCOLOR="{inputs}"><FONT COLOR="#000000"><B>[xy]</B>', source)) == 2
    assert ">target<" not in source


@pytest.mark.parametrize("collapse", [None, "neurons"])
@pytest.mark.parametrize(("n_in", "sizes", "activation"), [
    (3, [2, 1], None), (2, [4, 3, 1], "relu"), (3, [5, 5, 1], "tanh"), (2, [3, 3, 1], "tanh"),
    (2, [6, 1], None)])
def test_each_layers_neurons_are_drawn_in_order_top_down(
        dot: None, n_in: int, sizes: list[int], activation: str | None,
        collapse: str | None) -> None:
    """N1 above N2 above N3 in every layer, as the notes list them, folded or not."""
    model = MLP(n_in, sizes, activation=activation, seed=0)
    y_hat = model([0.3, -0.6, 0.9][:n_in])
    assert isinstance(y_hat, Value)
    loss = losses.mse([0.5], [y_hat])
    loss.backward()
    order = topological_order(loss)
    drawn = groups(to_svg(loss, show_partials=True, collapse=collapse))
    for layer in model.layers:
        tops = []
        for neuron in layer.neurons:
            wsum = order.index(next(v for v in order if neuron.w[0] in v.inputs))
            tops.append(box(drawn[f"neuron{wsum}" if collapse else f"v{wsum}"])[1])
        assert tops == sorted(tops), f"{sizes}, layer of {len(tops)}: tops {tops}"
