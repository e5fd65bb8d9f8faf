"""The drawings read like the notes: every colour named, the target told from the inputs."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from notes_network import build

from autograd import Value, draw_graph
from autograd.draw.style import PALETTE
from mlp import MLP, losses


def network_loss(sizes: list[int], x: list[float]) -> Value:
    model = MLP(len(x), sizes, activation="tanh", seed=1)
    y_hat = model(x)
    assert isinstance(y_hat, Value)
    loss = losses.mse([0.5], [y_hat])
    loss.label = "loss"
    loss.backward()
    return loss


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
