"""Drawing never crashes Graphviz: odd shapes, hostile labels and symbols, random graphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import (
    Value,
    define_op,
    draw_graph,
    explain,
    to_html,
    to_svg,
    topological_order,
    total,
    weighted_sum,
)
from autograd.draw.format import LABEL_LIMIT, shown
from autograd.draw.structure import analyse
from autograd.testing import expressions

from .test_draw import cluster_members

FUZZ_EXAMPLES = 60
"""Each example runs Graphviz's dot twice (about 40 ms a call)."""

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


# --- what a user writes: labels and symbols ---------------------------------------------


SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """Every <text> of the SVG, as an XML parser reads it (the SVG must be well-formed).

    Graphviz keeps a run of spaces visible by writing every other one as a no-break space:
    both read as a space here.
    """
    root = ET.fromstring(svg.encode("utf-8"))
    return [(t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text")]


def literal(label: str) -> str:
    """A label as ``texts`` finds it in the SVG: as ``shown``, no-break spaces as spaces."""
    return shown(label).replace("\xa0", " ")


def drawn_label(label: str, **kwargs: Any) -> list[str]:
    x = Value(1.5, label=label)
    y = x * 2.0
    y.backward()
    return texts(to_svg(y, **kwargs))


@pytest.mark.parametrize(("label", "expected"), [
    ("a\x01b", "a\\x01b"),
    ("a\x00b", "a\\x00b"),
    ("\ud800", "\\ud800"),
    ("tab\there", "tab\\there"),
    ("a\ufffeb", "a\\ufffeb"),
    ("a\\b", "a\\b"),  # a backslash is just a backslash
    ("<<B>hi</B>>", "<<B>hi</B>>"),
    ("x & y", "x & y"),
])
def test_a_label_is_drawn_literally_with_control_characters_escaped(
        dot: None, label: str, expected: str) -> None:
    assert expected in drawn_label(label)
    assert expected in drawn_label(label, highlight=None, show_partials=True)


@pytest.mark.parametrize("label", ["&" * 6000, "x" * 100_000])
def test_a_very_long_label_is_cut_to_80_characters(dot: None, label: str) -> None:
    # Uncut, the first broke Graphviz's 16,384-character limit and the second its pipe.
    cut = label[:79] + "…"
    assert cut in drawn_label(label)
    assert shown(label) == cut and len(cut) == LABEL_LIMIT


def test_shown_leaves_printable_text_alone() -> None:
    for text in ("w1", "ŷ", "y − ŷ", "(y − ŷ)²", "a\\b", "<b>", "x" * 80):
        assert shown(text) == text


@pytest.mark.parametrize("symbol", ["<<B>hi</B>>", "<a&b>", "\\", "\x00", '"', "a\\"])
def test_a_define_op_symbol_is_drawn_as_text(dot: None, symbol: str) -> None:
    op = define_op("odd", forward=lambda a: 2 * a, partials=lambda a, out: (2.0,),
                   symbol=symbol)
    y = op(Value(1.0, label="x"))
    y.backward()
    root = ET.fromstring(to_svg(y).encode("utf-8"))
    (op_node,) = [g for g in root.iter(f"{SVG}g") if g.findtext(f"{SVG}title") == "op1"]
    (drawn,) = op_node.iter(f"{SVG}text")
    assert drawn.text == shown(symbol)
    assert drawn.get("font-weight") is None  # "<<B>hi</B>>" was drawn as bold "hi"


# --- a drawing fuzz ---------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # surrogates too
LABELS = st.one_of(ANY_TEXT, ANY_TEXT.map(lambda t: t * 40))  # some past LABEL_LIMIT


@settings(max_examples=FUZZ_EXAMPLES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_graphs_with_random_labels_and_symbols_draw(dot: None,
                                                           data: st.DataObject) -> None:
    symbol = data.draw(LABELS, label="symbol")
    op = define_op("fuzzed", forward=lambda a: 0.5 * a, partials=lambda a, out: (0.5,),
                   symbol=symbol)
    f, inputs = data.draw(expressions(max_inputs=3, max_ops=8), label="expression")
    root = op(f(*[Value(x) for x in inputs]))  # the fuzzed symbol is always drawn
    root.backward()
    nodes = topological_order(root)
    labels = data.draw(st.lists(LABELS, min_size=len(nodes), max_size=len(nodes)),
                       label="labels")
    for node, label in zip(nodes, labels, strict=True):
        node.label = label
    plain = texts(to_svg(root, show_partials=True))
    for node in nodes:
        if node.label:
            assert literal(node.label) in plain, node.label
    assert literal(op.symbol) in plain  # symbol="" means: the op's name
    collapsed = texts(to_svg(root, collapse="neurons", show_partials=True))
    if root.label:  # the root is always drawn, as a record or as the neuron it ends
        assert literal(root.label) in collapsed


# --- a label that is not a str (Value() refuses one; `v.label = 3` is a plain write) -------


def _labelled(label: object) -> tuple[Value, Value]:
    x = Value(1.5, label="x")
    h = x * x
    h.label = label  # type: ignore[assignment]
    y = h.sin()
    y.backward()
    return y, x


@pytest.mark.parametrize("label", [3, None, b"h"])
@pytest.mark.parametrize("use", ["to_svg", "to_html", "explain", "compile"])
def test_a_label_that_is_not_a_str_is_a_type_error_naming_it(dot: None, label: object,
                                                            use: str) -> None:
    # Was: "object of type 'int' has no len()" (to_svg, to_html), AttributeError "'bytes'
    # object has no attribute 'isprintable'" (explain), "'int' object has no attribute
    # 'isidentifier'" (compile).
    import autograd

    calls: dict[str, Callable[[Value, Value], object]] = {
        "to_svg": lambda y, x: to_svg(y), "to_html": lambda y, x: to_html(y), "explain": explain,
        "compile": lambda y, x: autograd.compile(lambda v: _labelled_at(v, label), 1.5)}
    y, x = _labelled(label)
    who = "draw_graph" if use == "to_svg" else use
    with pytest.raises(TypeError, match=rf"^{who}: the label of a mul node must be a str, got "
                                        rf"{type(label).__name__} "):
        calls[use](y, x)


def _labelled_at(v: Value, label: object) -> Value:
    h = v * v
    h.label = label  # type: ignore[assignment]
    return h.sin()


@pytest.mark.parametrize("use", ["to_svg", "to_html"])
def test_a_path_with_a_nul_character_is_refused_naming_it(dot: None, use: str) -> None:
    # Was: open()'s bare "ValueError: embedded null byte", after the drawing was made.
    y = Value(1.0, label="x") * 2.0
    with pytest.raises(ValueError, match=rf"^{use}: the path 'a\\x00b.svg' contains a NUL "
                                         "character$"):
        if use == "to_svg":
            to_svg(y, "a\x00b.svg")
        else:
            to_html(y, "a\x00b.svg")
