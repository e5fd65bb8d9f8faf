"""The pictures' numbers agree with each other: each grad is what its edges say it must be.

The demos' and the README tour's pictures are checked where they are written
(tests/docs/test_demos.py, tests/docs/test_readme_tour.py); here, the committed picture, the
stepper's page, and the check itself on pictures that are right and on ones that are not (the
one the seed demo used to draw, a stepper page with a number changed).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings

from autograd import Value, to_html, to_svg, weighted_sum
from autograd.testing import Expression, expressions
from mlp import MLP

from ..helpers.notes_network import PICTURE, build
from ..helpers.pictures import SVG, assert_consistent, inconsistencies, number, stepper_svg


def test_committed_seed_network_picture_agrees_with_the_chain_rule() -> None:
    checked = assert_consistent(PICTURE.read_text(encoding="utf-8"), "docs/seed_network.svg")
    # 11 weights and biases, x1 x2 x3, y, N1, N2, ŷ and y − ŷ: every Value but the loss.
    assert checked == 19


def test_a_picture_drawn_after_a_second_backward_is_caught(dot: None) -> None:
    # What demos/seed_network.py did: the leaves hold two passes' grads, the inner nodes one.
    net = build()
    net.loss.backward()
    checked, problems = inconsistencies(to_svg(net.loss, show_partials=True))
    assert checked == 19
    leaves = [*net.params, "x1", "x2", "x3", "y"]
    assert sorted(p.split(":")[0] for p in problems) == sorted(leaves)


def test_every_view_of_a_network_agrees(dot: None) -> None:
    model = MLP(3, [4, 4, 1], activation="tanh", seed=3)
    y_hat = model([0.5, -1.0, 2.0])
    assert isinstance(y_hat, Value)
    loss = (y_hat - 1.0) ** 2
    loss.backward()
    for kwargs in ({}, {"collapse": "neurons"}, {"rankdir": "TB"}, {"rankdir": "RL"}):
        assert_consistent(to_svg(loss, show_partials=True, **kwargs), f"the network, {kwargs}")


def test_the_stepper_page_agrees_with_the_chain_rule(dot: None) -> None:
    # Its graph is drawn with the last step's grads, each operand edge labelled
    # "partial × grad of the node entered = contribution".
    page = to_html(build().loss)
    assert_consistent(stepper_svg(page), "the notes' network's stepper page")
    model = MLP(3, [4, 4, 1], activation="tanh", seed=3)
    y_hat = model([0.5, -1.0, 2.0])
    assert isinstance(y_hat, Value)
    assert_consistent(stepper_svg(to_html((y_hat - 1.0) ** 2, rankdir="TB")), "a tanh network")


def test_a_stepper_page_with_a_wrong_number_is_caught(dot: None) -> None:
    svg = stepper_svg(to_html(build().loss))
    assert not inconsistencies(svg)[1]
    # w1's edge reads 0.5 / × −1.163 / = −0.5814: change its contribution, then the grad it
    # says it multiplies (N1's is −1.163).
    for wrong in (["0.5", "× −1.163", "= −0.6814"], ["0.5", "× −1.263", "= −0.5814"]):
        problems = inconsistencies(_relabel(svg, ["0.5", "× −1.163", "= −0.5814"], wrong))[1]
        assert len(problems) == 1 and problems[0].startswith("w1:"), problems


def _relabel(svg: str, label: list[str], new: list[str]) -> str:
    """The SVG with the one edge labelled ``label`` (its texts, in order) labelled ``new``."""
    root = ET.fromstring(svg)
    found = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"
             and [(t.text or "").strip() for t in g.iter(f"{SVG}text")] == label]
    assert len(found) == 1, f"{len(found)} edges labelled {label}"
    for text, line in zip(found[0].iter(f"{SVG}text"), new, strict=True):
        text.text = line
    return ET.tostring(root, encoding="unicode")


def test_numbers_are_read_as_the_drawings_print_them() -> None:
    assert number("−0.5814") == -0.5814
    assert number("1.235e4") == 12350.0
    assert number("2e−7") == 2e-7
    assert number("−∞") == float("-inf")


@settings(max_examples=30,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(expressions(max_inputs=3, max_ops=8, ops=["wsum", "tanh", "mul", "add", "sum", "sin",
                                                 "exp", "neg", "pow"]))
def test_random_pictures_agree_with_the_chain_rule(
        dot: None, drawn: tuple[Expression, list[float]]) -> None:
    f, inputs = drawn
    xs = [Value(x, label=f"x{i + 1}") for i, x in enumerate(inputs)]
    out = f(*xs)
    # A neuron on top, so every graph has one: its weights fold in when collapsed.
    root = weighted_sum([Value(0.5, label="w"), Value(-1.5, label="v")], [out, xs[0]],
                        Value(0.25, label="b")).tanh()
    root.backward()
    for collapse in (None, "neurons"):
        assert_consistent(to_svg(root, show_partials=True, collapse=collapse), f"{f!r}, {collapse}")
