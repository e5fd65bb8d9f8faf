"""explain: the chain rule written out, checked against the notes' hand formulas and grad()."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Explanation, Value, explain, grad, topological_order
from autograd.draw.format import fmt_number as fmt
from autograd.draw.format import latex_name

from ..helpers.notes_network import build

# --- the notes' formulas ------------------------------------------------------------------


def test_dL_dw1_of_one_sample_is_the_notes_chain_rule() -> None:
    net = build()
    s = net.samples[0]
    w7, x1 = net.params["w7"], s.x[0]
    e = explain(net.loss, net.params["w1"])
    by_hand = -2 * (s.y.data - s.y_hat.data) * w7.data * x1.data  # dL/dw1 = -2(y - ŷ)·w7·x1
    assert e.total == pytest.approx(by_hand, rel=1e-12)
    assert e.total == pytest.approx(grad(net.loss, [net.params["w1"]])[0], rel=1e-12)
    # The local partials: d(e²)/de = 2e, d(y − ŷ)/dŷ = −1, dŷ/dN1 = w7, dN1/dw1 = x1.
    error = s.y.data - s.y_hat.data
    assert e == (
        "∂loss/∂w1 = ∂loss/∂(y − ŷ) · ∂(y − ŷ)/∂ŷ · ∂ŷ/∂N1 · ∂N1/∂w1"
        f" = ({fmt(2 * error)})·(−1)·({fmt(w7.data)})·(0.5) = {fmt(by_hand)}"
    )
    assert e.paths == 1


def test_dL_dw7_of_one_sample_is_the_notes_formula() -> None:
    net = build()
    s = net.samples[0]
    e = explain(net.loss, net.params["w7"])
    by_hand = -2 * (s.y.data - s.y_hat.data) * s.N1.data  # dL/dw7 = -2(y - ŷ)·N1
    assert e.total == pytest.approx(by_hand, rel=1e-12)
    error = s.y.data - s.y_hat.data
    assert e.endswith(f"∂ŷ/∂w7 = ({fmt(2 * error)})·(−1)·({fmt(s.N1.data)}) = {fmt(by_hand)}")


def test_dL_dw7_of_the_mean_squared_error_sums_one_path_per_sample() -> None:
    net = build(3)
    n = len(net.samples)
    e = explain(net.loss, net.params["w7"])
    # dL/dw7 = (1/n) Σ -2(yᵢ - ŷᵢ)·N1ᵢ
    by_hand = sum(-2 * (s.y.data - s.y_hat.data) * s.N1.data for s in net.samples) / n
    assert e.total == pytest.approx(by_hand, rel=1e-12)
    assert e.total == pytest.approx(grad(net.loss, [net.params["w7"]])[0], rel=1e-12)
    lines = e.splitlines()
    assert lines[0] == "∂loss/∂w7: 3 paths from w7 to loss"
    terms = []
    for s, line in zip(net.samples, lines[1:4], strict=True):
        error = s.y.data - s.y_hat.data
        terms.append(-2 * error * s.N1.data / n)
        assert line.startswith("  ∂loss/∂(Σ(y − ŷ)²)")  # the loss is that sum divided by n
        assert line.endswith(f"∂ŷ/∂w7 = (0.3333)·(1)·({fmt(2 * error)})·(−1)·({fmt(s.N1.data)})"
                             f" = {fmt(terms[-1])}")
    parts = [fmt(t) if t >= 0 else f"({fmt(t)})" for t in terms]
    assert lines[4] == f"∂loss/∂w7 = {' + '.join(parts)} = {fmt(e.total)}"


def test_dL_dw1_of_the_mean_squared_error_matches_the_notes() -> None:
    net = build(3)
    n = len(net.samples)
    w7 = net.params["w7"].data
    by_hand = sum(-2 * (s.y.data - s.y_hat.data) * w7 * s.x[0].data for s in net.samples) / n
    assert explain(net.loss, net.params["w1"]).total == pytest.approx(by_hand, rel=1e-12)


# --- many paths ---------------------------------------------------------------------------


def doubling(depth: int) -> tuple[Value, Value]:
    """x, then z = tanh(1.01 z + 0.5 z) ``depth`` times: 2**depth paths from x."""
    x = Value(0.3, label="x")
    z = x
    for _ in range(depth):
        z = (z * 1.01 + z * 0.5).tanh()
    return x, z


def test_many_paths_are_counted_not_listed_and_grouped_by_the_first_node() -> None:
    x, z = doubling(40)
    e = explain(z, x)
    assert e.paths == 2**40
    lines = e.splitlines()
    assert lines[0].endswith("1,099,511,627,776 paths from x to tanh₂₄₀, grouped by the first "
                             "node after x")
    assert lines[1].startswith("  via mul₂ (549,755,813,888 paths): ∂tanh₂₄₀/∂mul₂ · ∂mul₂/∂x")
    assert len(lines) == 4
    assert e.total == pytest.approx(grad(z, [x])[0], rel=1e-9)


def test_beyond_max_paths_groups_are_listed_up_to_the_cap_and_the_rest_summed() -> None:
    x = Value(1.0, label="x")
    terms = [x * float(k) for k in range(1, 31)]
    y = terms[0]
    for t in terms[1:]:
        y = y + t
    e = explain(y, x, max_paths=5)
    lines = e.splitlines()
    assert lines[0].endswith("30 paths from x to add₈₉, grouped by the first node after x")
    assert len([line for line in lines if line.startswith("  via ")]) == 5
    assert lines[-2] == "  25 more nodes after x: 450"  # 6 + 7 + ... + 30
    assert lines[-1] == "∂add₈₉/∂x = 1 + 2 + 3 + 4 + 5 + 450 = 465"
    assert e.total == 465


def test_a_repeated_operand_is_one_factor() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    e = explain(y, x)
    assert e == "∂y/∂x = 6"  # d(x·x)/dx = x + x, one local partial


def test_several_paths_are_listed_then_summed() -> None:
    x = Value(2.0, label="x")
    y = x * x + x
    y.label = "y"
    assert explain(y, x) == (
        "∂y/∂x: 2 paths from x to y\n"
        "  ∂y/∂mul₁ · ∂mul₁/∂x = (1)·(4) = 4\n"
        "  ∂y/∂x = (1) = 1\n"
        "∂y/∂x = 4 + 1 = 5"
    )


def test_a_long_chain_is_elided_and_does_not_recurse() -> None:
    x = Value(1.0, label="x")
    z = x
    for _ in range(100_000):
        z = z * 1.000001
    e = explain(z, x)
    assert "… (99,991 more) ·" in e and "·… (99,991 more)·" in e
    assert e.total == pytest.approx(grad(z, [x])[0], rel=1e-12)


# --- names, formats, errors ------------------------------------------------------------


def test_unlabelled_nodes_are_named_by_op_and_topological_index() -> None:
    x = Value(2.0, label="x")
    y = (x * 3.0).tanh()
    order = topological_order(y)
    assert [order.index(v) for v in (y.inputs[0], y)] == [2, 3]
    assert explain(y, x).startswith("∂tanh₃/∂x = ∂tanh₃/∂mul₂ · ∂mul₂/∂x = ")


def test_the_root_itself_has_derivative_one() -> None:
    x = Value(2.0, label="x")
    e = explain(x, x)
    assert e == "∂x/∂x = 1" and e.total == 1.0


def test_latex_is_a_display_block_with_fractions() -> None:
    net = build()
    e = explain(net.loss, net.params["w1"], format="latex")
    assert e.startswith("$$\n\\begin{aligned}\n") and e.endswith("\\end{aligned}\n$$")
    assert r"\frac{\partial \mathrm{loss}}{\partial w_{1}} &= " in e
    assert r"\frac{\partial \hat{y}}{\partial N_{1}}" in e
    s = net.samples[0]
    values = [2 * (s.y.data - s.y_hat.data), -1, net.params["w7"].data, 0.5, e.total]
    two_e, minus, w7, x1, total = (fmt(v, latex=True) for v in values)
    assert rf"= ({two_e}) \cdot ({minus}) \cdot ({w7}) \cdot ({x1}) = {total}" in e
    assert e.count("{") == e.count("}")
    assert e._repr_latex_() == str(e)
    assert explain(net.loss, net.params["w1"])._repr_latex_() is None


def test_latex_of_grouped_paths_keeps_words_out_of_maths() -> None:
    x, z = doubling(12)
    e = explain(z, x, format="latex")
    assert r"\text{4,096 paths from } x \text{ to } \mathrm{tanh}_{72}" in e
    assert r"\text{via } \mathrm{mul}_{2} \text{ (2,048 paths)} \quad & " in e
    assert e.count("{") == e.count("}")


def test_an_explanation_is_a_str() -> None:
    x = Value(1.0, label="x")
    e = explain(x * 2.0, x)
    assert isinstance(e, str) and isinstance(e, Explanation)
    assert e.upper() == str(e).upper()


def test_a_leaf_outside_the_graph_is_a_clear_error() -> None:
    net = build()
    with pytest.raises(ValueError, match=r"'stray' .* is not in the graph of 'loss'"):
        explain(net.loss, Value(1.0, label="stray"))


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((1.0,), {}, TypeError, "root must be a Value"),
        ((Value(1.0), 2.0), {}, TypeError, "leaf must be a Value"),
        ((Value(1.0), Value(1.0), "html"), {}, ValueError, "format"),
        ((Value(1.0), Value(1.0)), {"max_paths": 0}, ValueError, "max_paths"),
    ],
)
def test_bad_arguments_get_typed_errors(args: tuple[object, ...], kwargs: dict[str, object],
                                        error: type[Exception], words: str) -> None:
    if len(args) == 1:
        args = (*args, Value(1.0))
    with pytest.raises(error, match=words):
        explain(*args, **kwargs)  # type: ignore[arg-type]


# --- the total is grad(), on random graphs --------------------------------------------

_UNARY = ("tanh", "sigmoid", "sin", "exp_small", "square", "neg")
_BINARY = ("add", "mul", "sub")


def _apply(name: str, a: Value, b: Value) -> Value:
    unary = {
        "tanh": lambda v: v.tanh(), "sigmoid": lambda v: v.sigmoid(), "sin": lambda v: v.sin(),
        "exp_small": lambda v: (v * 0.1).exp(), "square": lambda v: v**2, "neg": lambda v: -v,
    }
    if name in unary:
        return unary[name](a)  # type: ignore[no-any-return]
    return a + b if name == "add" else a * b if name == "mul" else a - b


@settings(max_examples=40)
@given(
    st.lists(st.floats(-2, 2), min_size=1, max_size=3),
    st.lists(st.tuples(st.sampled_from(_UNARY + _BINARY), st.integers(0, 99),
                       st.integers(0, 99)), min_size=1, max_size=12),
    st.integers(1, 12),
)
def test_the_total_equals_grad_on_random_graphs(
        data: list[float], steps: list[tuple[str, int, int]], cap: int) -> None:
    leaves = [Value(d, label=f"x{i}") for i, d in enumerate(data)]
    nodes = list(leaves)
    for name, i, j in steps:
        nodes.append(_apply(name, nodes[i % len(nodes)], nodes[j % len(nodes)]))
    root = nodes[-1]
    reached = set(topological_order(root))
    for leaf in leaves:
        if leaf not in reached:
            with pytest.raises(ValueError):
                explain(root, leaf)
            continue
        e = explain(root, leaf, max_paths=cap)
        expected = grad(root, [leaf])[0]
        assert math.isclose(e.total, expected, rel_tol=1e-9, abs_tol=1e-12)


# --- labels as a user may write them: shown as the drawings show them ------------------


@pytest.mark.parametrize(("label", "seen"), [
    ("\ud800", "\\ud800"),  # a lone surrogate: the text could not be printed (no UTF-8 for it)
    ("a\x1b[2Jb", "a\\x1b[2Jb"),  # a terminal escape: printing it cleared the screen
    ("\x00\n", "\\x00\\n"),
])
@pytest.mark.parametrize("notation", ["text", "latex"])
def test_a_label_with_control_characters_is_written_escaped(label: str, seen: str,
                                                            notation: str) -> None:
    x = Value(1.5, label=label)
    y = (x * x).tanh()
    text = explain(y, x, notation)
    text.encode("utf-8")  # raised UnicodeEncodeError for the lone surrogate
    assert all(ch.isprintable() or ch == "\n" for ch in text)  # the layout's newlines only
    if notation == "text":
        assert f"∂({seen})" in text


def test_a_very_long_label_is_cut_as_the_drawings_cut_it() -> None:
    x = Value(1.5, label="x" * 100_000)
    text = explain((x * x).tanh(), x)
    assert "x" * 79 + "…" in text and len(text) < 1000  # was 400,048 characters


# --- LaTeX names: distinct labels, distinct LaTeX ---------------------------------------------

NAME_TEXT = st.text(st.sampled_from("aN1_ŷα{\\\\^"), min_size=1, max_size=3)


@given(st.lists(NAME_TEXT, min_size=2, max_size=30, unique=True))
def test_distinct_names_give_distinct_latex(names: list[str]) -> None:
    # Was: "x_" and "x", "a__b" and "a_b", "w_1" and "w1" gave the same LaTeX: an underscore
    # was swallowed as a subscript mark.
    latex = {latex_name(name): name for name in names}
    clashes = [(n, latex_name(n)) for n in names if latex[latex_name(n)] != n]
    assert len(latex) == len(names), clashes


@pytest.mark.parametrize(("label", "latex"), [
    ("x_", r"x\_"), ("a__b", r"a\_\_b"), ("a_b", r"a\_b"), ("w_1", r"w\_1"), ("w1", "w_{1}"),
    ("N1", "N_{1}"), ("ŷ", r"\hat{y}"), ("loss", r"\mathrm{loss}"),
])
def test_an_underscore_is_written_as_an_underscore(label: str, latex: str) -> None:
    assert latex_name(label) == latex


def test_two_leaves_whose_labels_differ_by_an_underscore_are_told_apart() -> None:
    x = Value(2.0, label="x")
    x_ = x * 3.0
    x_.label = "x_"
    e = explain(x_, x, format="latex")
    assert r"\frac{\partial x\_}{\partial x} &= 3" in e  # was \frac{\partial x}{\partial x}
