"""draw_graph and to_svg: what is drawn, how it is grouped, and how it fails."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

import autograd
from autograd import (
    GraphvizNotFound,
    Value,
    draw_graph,
    to_svg,
    topological_order,
    weighted_sum,
)
from autograd.draw.format import fmt_number, subscript
from autograd.draw.structure import grad_of

from ..helpers.notes_network import PICTURE, build

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["x1", "x2", "x3", *(f"w{i}" for i in range(1, 9)), "b1", "b2", "b3",
         "N1", "N2", "ŷ", "loss"]
HIGHLIGHT = "#0072B2"


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element, in document order."""
    tree = ET.fromstring(svg.split("\n", 3)[-1] if svg.startswith("<?xml") else svg)
    return [(t.text or "").strip() for t in tree.iter("{http://www.w3.org/2000/svg}text")]


def records(texts: list[str]) -> dict[str, tuple[str, str]]:
    """name -> (data, grad) for every run ``name, data, value, grad, value`` in the texts."""
    out = {}
    for i in range(len(texts) - 4):
        if texts[i + 1] == "data" and texts[i + 3] == "grad":
            out[texts[i]] = (texts[i + 2], texts[i + 4])
    return out


def chain(n: int) -> tuple[Value, Value]:
    x = Value(1.0, label="x")
    y = x
    for _ in range(n):
        y = y * 1.0
    return x, y


def hand_mlp(sizes: list[int], x: list[float]) -> Value:
    """An MLP built with weighted_sum + relu, deterministic weights, squared error loss."""
    h = [Value(v, label=f"x{i + 1}") for i, v in enumerate(x)]
    k = 0
    for depth, (n_in, n_out) in enumerate(pairwise(sizes)):
        layer = []
        for _ in range(n_out):
            ws = []
            for _ in range(n_in):
                k += 1
                ws.append(Value(((k * 37) % 19 - 9) / 10, label=f"w{k}"))
            n = weighted_sum(ws, h, Value(0.1, label=f"b{k}"))
            layer.append(n.relu() if depth < len(sizes) - 2 else n)
        h = layer
    loss = (h[0] - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


# --- what is drawn ----------------------------------------------------------------------


def test_seed_network_svg_shows_every_value_with_its_data_and_grad(dot: None) -> None:
    net = build()
    shown = records(svg_texts(to_svg(net.loss)))
    values = {v.label: v for v in topological_order(net.loss) if v.label}
    for name in NAMES:
        v = values[name]
        assert shown[name] == (fmt_number(v.data), fmt_number(grad_of(v))), name


def test_ops_are_drawn_with_their_table_symbols() -> None:
    net = build()
    source = draw_graph(net.loss).source
    labels = re.findall(r"\bop\d+ \[label=<([^>]*)>", source)
    assert sorted(labels) == sorted(["Σ", "Σ", "Σ", "−", "^2"])


def test_show_partials_labels_each_edge_with_the_local_partial() -> None:
    net = build()
    order = topological_order(net.loss)
    i = {v: k for k, v in enumerate(order)}
    w1, n1, y_hat = net.params["w1"], net.samples[0].N1, net.samples[0].y_hat
    source = draw_graph(net.loss, show_partials=True).source
    # dN1/dw1 = x1 = 0.5 and dŷ/dN1 = w7: the chain rule's factors on the edges. N1 comes
    # into ŷ's box at a dot (ŷ's operands are w7 w8 N1 N2 b3: N1 is operand 2), and goes on
    # to its Σ with its partial.
    w7 = re.escape(fmt_number(net.params["w7"].data))
    assert re.search(rf"p{i[n1]}:v{i[w1]}:e -> op{i[n1]} \[[^]]*label=0\.5\b", source)
    assert re.search(rf"v{i[n1]} -> in{i[y_hat]}_2\b", source)
    assert re.search(rf"in{i[y_hat]}_2 -> op{i[y_hat]} \[[^]]*label={w7}\b", source)


def test_without_show_partials_edges_have_no_labels() -> None:
    source = draw_graph(build().loss).source
    assert not re.search(r"-> \S+ \[[^]]*label=", source)


def test_roles_are_coloured_by_the_default_rule() -> None:
    x = Value(2.0, label="x1")
    w = Value(0.5, label="w1")
    loss = (w * x + 3.0) ** 2
    source = draw_graph(loss).source
    assert re.search(r'BGCOLOR="#56B4E9"><FONT COLOR="#000000"><B>x1<', source)  # input
    assert re.search(r'BGCOLOR="#E69F00"><FONT COLOR="#000000"><B>w1<', source)  # parameter
    assert re.search(r'BGCOLOR="#D9D9D9"><FONT COLOR="#000000"><I>const', source)  # constant
    assert re.search(r'BGCOLOR="#D55E00"><FONT COLOR="#FFFFFF"><I>pow', source)  # output


def test_params_argument_decides_which_leaves_are_parameters() -> None:
    a = Value(2.0, label="a")
    w = Value(0.5, label="w1")
    source = draw_graph(a * w, params=[a]).source
    assert re.search(r'BGCOLOR="#E69F00"><FONT COLOR="#000000"><B>a<', source)
    assert re.search(r'BGCOLOR="#56B4E9"><FONT COLOR="#000000"><B>w1<', source)


def test_the_legend_names_the_roles_drawn() -> None:
    source = draw_graph(build().loss).source
    legend = source[source.index("\tlabel=<<TABLE"):]
    for text in ("input", "parameter (weight, bias)", "intermediate", "output / loss"):
        assert text in legend
    assert "constant" not in legend


def test_unlabelled_nodes_are_named_by_op_and_topological_index() -> None:
    x = Value(3.0, label="x")
    y = x * 2.0 + 1.0
    order = topological_order(y)
    mul = next(v for v in order if v.op == "mul")
    source = draw_graph(y).source
    assert f"<I>mul{subscript(order.index(mul))}</I>" in source
    assert subscript(12) == "₁₂"


def test_node_ids_are_topological_positions() -> None:
    net = build()
    order = topological_order(net.loss)
    source = draw_graph(net.loss).source
    ids = set(re.findall(r"^\s*(v\d+|op\d+|p\d+) \[", source, flags=re.MULTILINE))
    params = set(net.params.values())
    values = {f"v{i}" for i, v in enumerate(order) if v not in params}
    ops = {f"op{i}" for i, v in enumerate(order) if v.inputs}
    s = net.samples[0]
    tables = {f"p{order.index(n)}" for n in (s.N1, s.N2, s.y_hat)}  # each neuron's w and b
    assert ids == values | ops | tables


def test_highlight_marks_every_path_from_the_leaf_to_the_root() -> None:
    x = Value(2.0, label="x")
    c = Value(5.0, label="c")
    y = x * x + x * c
    y.label = "y"
    order = topological_order(y)
    source = draw_graph(y, highlight=x).source
    edges = re.findall(r"^\s*(\S+) -> (\S+)(.*)$", source, flags=re.MULTILINE)
    lit = [(a, b) for a, b, attrs in edges if HIGHLIGHT in attrs]
    # x feeds x*x (twice) and x*c; both products feed the sum; three op -> record edges.
    assert len(lit) == 3 + 2 + 3
    c_edge = (f"v{order.index(c)}", f"op{order.index(y.inputs[1])}")
    assert c_edge not in lit
    assert c_edge in [(a, b) for a, b, _ in edges]
    assert "blue: every path from x to the output" in source


def test_highlight_must_be_in_the_graph() -> None:
    with pytest.raises(ValueError, match="not in the graph"):
        draw_graph(build().loss, highlight=Value(1.0, label="stray"))


# --- clusters found from the graph's shape --------------------------------------------


def cluster_members(source: str) -> dict[str, set[str]]:
    """cluster name -> the node ids declared anywhere inside it (nested ones included)."""
    out: dict[str, set[str]] = {}
    stack: list[str] = []
    for line in source.splitlines():
        opened = re.match(r"\s*subgraph (\w+) \{", line)
        if opened:
            stack.append(opened.group(1))
            out[stack[-1]] = set()
            continue
        if line.strip() == "}" and stack:
            stack.pop()
            continue
        node = re.match(r"\s*(\w+) \[", line)
        if node and node.group(1) not in {"graph", "node", "edge"}:
            for name in stack:
                out[name].add(node.group(1))
    return out


def test_notes_network_is_grouped_into_neurons_and_layers() -> None:
    net = build()
    order = topological_order(net.loss)
    i = {v: k for k, v in enumerate(order)}
    clusters = cluster_members(draw_graph(net.loss).source)
    s = net.samples[0]
    layers = [m for name, m in clusters.items() if name.startswith("cluster_layer")]
    neurons = [m for name, m in clusters.items() if name.startswith("cluster_neuron")]
    assert len(layers) == 2
    assert len(neurons) == 3
    first = next(m for m in layers if f"v{i[s.N1]}" in m)
    assert f"v{i[s.N2]}" in first and f"v{i[s.y_hat]}" not in first
    n1 = next(m for m in neurons if f"v{i[s.N1]}" in m)
    # Its table of w1 w2 w3 b1, its Σ and N1, and where x1 x2 x3 (operands 3 4 5) enter.
    entries = {f"in{i[s.N1]}_{k}" for k in (3, 4, 5)}
    assert n1 == {f"p{i[s.N1]}", f"op{i[s.N1]}", f"v{i[s.N1]}", *entries}
    assert all(f"v{i[x]}" not in m for x in s.x for m in clusters.values())


def test_an_activation_applied_to_a_weighted_sum_joins_its_neuron() -> None:
    x = [Value(1.0, label="x1"), Value(2.0, label="x2")]
    w = [Value(0.5, label="w1"), Value(-0.5, label="w2")]
    h = weighted_sum(w, x, Value(0.0, label="b1")).tanh()
    order = topological_order(h)
    clusters = cluster_members(draw_graph(h).source)
    neuron = next(m for name, m in clusters.items() if name.startswith("cluster_neuron"))
    assert f"v{order.index(h)}" in neuron and f"op{order.index(h)}" in neuron


def test_collapse_folds_each_neuron_into_one_node(dot: None) -> None:
    loss = hand_mlp([2, 16, 16, 1], [0.5, -1.0])
    graph = draw_graph(loss, collapse="neurons", show_partials=True)
    assert len(re.findall(r"^\s*neuron\d+ \[", graph.source, flags=re.MULTILINE)) == 33
    assert ">w1<" not in graph.source and ">b" not in graph.source
    svg = to_svg(loss, collapse="neurons")
    assert svg.count("Σ 16 w·x + b → ReLU") == 16
    assert "Σ 16 w·x + b<" in svg  # the output neuron, linear


# --- big graphs --------------------------------------------------------------------------


def test_too_many_nodes_is_a_clear_error_with_the_ways_out() -> None:
    _, y = chain(100_000)  # 200,001 Values
    with pytest.raises(ValueError) as info:
        draw_graph(y)
    message = str(info.value)
    assert "more than 1000 nodes" in message and "counting stopped at 1001" in message
    assert 'collapse="neurons"' in message
    assert "one sample" in message and "raise max_nodes" in message


def test_a_100k_node_graph_is_answered_when_collapsed() -> None:
    w = [Value(0.1 * k, label=f"w{k}") for k in range(3)]
    b = Value(0.0, label="b")
    outs = [weighted_sum(w, [Value(float(j)), Value(1.0), Value(2.0)], b).tanh()
            for j in range(20_000)]  # 100,005 Values
    loss = autograd.total(outs)
    with pytest.raises(ValueError, match="counting stopped at 1001"):
        draw_graph(loss, collapse="neurons")
    # 20,000 neurons + their 60,000 inputs + the sum (op and record): counted exactly.
    with pytest.raises(ValueError, match="needs 80002 nodes to draw"):
        draw_graph(loss, collapse="neurons", max_nodes=50_000)


def test_a_million_op_chain_is_answered_without_recursion() -> None:
    _, y = chain(1_000_000)
    with pytest.raises(ValueError, match="max_nodes=1000"):
        draw_graph(y)
    with pytest.raises(ValueError, match="max_nodes=1000"):
        draw_graph(y, collapse="neurons")


def test_max_nodes_can_be_raised() -> None:
    _, y = chain(600)
    graph = draw_graph(y, max_nodes=2000)
    assert graph.source.count("-> op") == 1200


# --- determinism, files and Graphviz ----------------------------------------------------

_DRAW_IN_CHILD = (
    "import sys, hashlib; sys.path.insert(0, 'tests/helpers'); from notes_network import build; "
    "from autograd import to_svg; net = build(3); "
    "svg = to_svg(net.loss, show_partials=True, highlight=net.params['w1']); "
    "print(hashlib.sha256(svg.encode()).hexdigest())"
)


def run_child(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=120, check=False)


def test_same_graph_gives_the_same_svg_bytes_in_two_processes(dot: None) -> None:
    first = run_child(_DRAW_IN_CHILD, PYTHONHASHSEED="1")
    second = run_child(_DRAW_IN_CHILD, PYTHONHASHSEED="2")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout == second.stdout
    net = build(3)
    here = to_svg(net.loss, show_partials=True, highlight=net.params["w1"])
    assert hashlib.sha256(here.encode()).hexdigest() == first.stdout.strip()


def test_to_svg_writes_the_file_it_returns(dot: None, tmp_path: Path) -> None:
    path = tmp_path / "g.svg"
    svg = to_svg(build().loss, path)
    assert path.read_bytes() == svg.encode("utf-8")
    assert svg.lstrip().startswith("<?xml") and svg.rstrip().endswith("</svg>")


def test_missing_dot_is_a_clear_error_and_the_dot_text_remains() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests/helpers'); from notes_network import build\n"
        "from autograd import GraphvizNotFound, draw_graph, to_svg\n"
        "loss = build().loss\n"
        "print(draw_graph(loss).source.splitlines()[0])\n"
        "try:\n    to_svg(loss)\nexcept GraphvizNotFound as e:\n"
        "    print(isinstance(e, RuntimeError)); print(e); print(e.source.splitlines()[0])\n"
    )
    result = run_child(code, PATH=str(Path(sys.executable).parent / "no-such-dir"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "digraph chainrule {"
    assert lines[1] == "True"
    for how in ("apt-get install graphviz", "brew install graphviz",
                "conda install -c conda-forge graphviz"):
        assert how in lines[2]
    assert lines[3] == "digraph chainrule {"


def test_graphviz_not_found_is_a_runtime_error() -> None:
    assert issubclass(GraphvizNotFound, RuntimeError)
    assert GraphvizNotFound("digraph {}").source == "digraph {}"


def test_committed_seed_network_picture_shows_the_current_numbers() -> None:
    net = build()
    shown = records(svg_texts(PICTURE.read_text(encoding="utf-8")))
    for v in topological_order(net.loss):
        if v.label:
            assert shown[v.label] == (fmt_number(v.data), fmt_number(grad_of(v))), v.label


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"rankdir": "XY"}, ValueError, "rankdir"),
        ({"collapse": "layers"}, ValueError, "collapse"),
        ({"max_nodes": 0}, ValueError, "max_nodes"),
        ({"max_nodes": 1.5}, TypeError, "max_nodes"),
        ({"highlight": 3.0}, TypeError, "highlight"),
        ({"params": Value(1.0)}, TypeError, "params"),
        ({"params": [1.0]}, TypeError, r"params\[0\]"),
        ({"show_partials": "yes"}, TypeError, "show_partials"),
    ],
)
def test_bad_arguments_get_typed_errors(kwargs: dict[str, object], error: type[Exception],
                                        words: str) -> None:
    with pytest.raises(error, match=words):
        draw_graph(Value(1.0) * 2.0, **kwargs)  # type: ignore[arg-type]


def test_root_must_be_a_value() -> None:
    with pytest.raises(TypeError, match="root must be a Value"):
        draw_graph(1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [3, True, b"g.svg", ["g.svg"]])
def test_to_svg_refuses_a_path_that_is_not_a_path(path: object) -> None:
    # open(3, "w") would write the SVG into file descriptor 3, then close it.
    with pytest.raises(TypeError, match=r"^to_svg: path must be a str or a pathlib\.Path"):
        to_svg(Value(1.0) * 2.0, path)  # type: ignore[arg-type]
