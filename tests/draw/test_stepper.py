"""to_html: the steps it computes, the page it writes, and how it refuses. (The page's
behaviour in a real browser is tests/draw/test_browser.py; in Jupyter,
tests/docs/test_notebook.py.)"""

from __future__ import annotations

import copy
import json
import os
import pickle
import re
import subprocess
import sys
import time
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import StepperPage, Value, backward_order, define_op, to_html, topological_order
from autograd.draw.format import fmt_number, shown
from autograd.draw.steps import backward_steps
from autograd.testing import expressions

from ..helpers.notes_network import build
from ..helpers.stepper_expect import backward_grads, dead_relu, expected_grads, names, shared

ROOT = Path(__file__).resolve().parents[2]
GRAPHS = {"notes network": lambda: build().loss, "shared subexpression": shared,
          "dead relu": dead_relu, "a leaf": lambda: Value(2.0, label="x")}


def page_data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="chainrule-data">(.*?)</script>', page,
                      re.S)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


class Elements(HTMLParser):
    """Every start tag of a page, and the text inside its script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def svg_of(page: str) -> str:
    """The page's drawing: its inline SVG."""
    return page[page.index("<svg"):page.index("</svg>") + 6]


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


# --- the steps ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_the_last_step_holds_exactly_the_grads_backward_leaves(make: object) -> None:
    root = make()  # type: ignore[operator]
    _, grads = backward_steps(root)
    for v in topological_order(root):
        v.grad = 0.0
    root.backward()
    assert {v: v.grad for v in topological_order(root)} == grads  # bit for bit


@settings(max_examples=60)
@given(expressions(max_ops=10))
def test_on_random_graphs_the_steps_end_where_backward_ends(
        case: tuple[Callable[..., Value], list[float]]) -> None:
    f, inputs = case
    root = f(*[Value(x) for x in inputs])
    _, grads = backward_steps(root)
    root.backward()  # a fresh graph: every grad starts at 0
    for v in topological_order(root):
        assert grads[v] == v.grad or (grads[v] != grads[v] and v.grad != v.grad), v


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_steps_follow_the_engines_own_order(make: object) -> None:
    root = make()  # type: ignore[operator]
    steps, _ = backward_steps(root)
    passers = [s.node for s in steps[2:]]
    assert passers == backward_order(root)  # the engine's loop's order
    assert steps[0].node is steps[1].node is None


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_each_contribution_is_the_local_partial_times_the_nodes_grad(make: object) -> None:
    root = make()  # type: ignore[operator]
    steps, _ = backward_steps(root)
    for step in steps[2:]:
        node = step.node
        assert node is not None
        rule = node.rule
        assert rule is not None
        if step.skipped:
            assert all(r.partial is None and r.amount == 0.0 for r in step.received)
            continue
        parts = rule.partials(*[v.data for v in node.inputs], node.data)
        for r, p in zip(step.received, parts, strict=True):
            assert r.node is node.inputs[r.slot]
            assert (r.partial, r.amount) == (p, p * step.grad)
            assert r.after == (r.before or 0.0) + r.amount


def test_a_node_in_two_operand_slots_receives_two_contributions() -> None:
    root = shared()
    a = root.inputs[1]
    steps, _ = backward_steps(root)
    square = next(s for s in steps[2:] if s.node is not None and s.node.inputs == (a, a))
    first, second = square.received
    assert first.node is second.node is a
    assert second.before == first.after and second.after == first.after + second.amount


# --- the page ----------------------------------------------------------------------------


@pytest.mark.usefixtures("dot")
def test_page_is_one_self_contained_file(tmp_path: Path) -> None:
    path = tmp_path / "backprop.html"
    page = to_html(build().loss, path)
    assert isinstance(page, str) and isinstance(page, StepperPage)
    assert path.read_text("utf-8") == page
    assert page.startswith("<!DOCTYPE html>")
    for outside in ("<link", " src=", "href=", "url(", "@import", "//cdn", "fetch("):
        assert outside not in page, outside
    schemes = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert schemes == {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # names only
    parsed = elements(page)
    assert parsed.tags.count("svg") == 1 and parsed.tags.count("script") == 2
    assert parsed.tags.count("style") == 1


@pytest.mark.usefixtures("dot")
def test_page_data_holds_every_step_and_the_engines_numbers() -> None:
    root = build().loss
    data = page_data(to_html(root))
    steps = data["steps"]
    assert isinstance(steps, list)
    assert data["keys"] == names(root)
    assert len(steps) == 2 + len(topological_order(root, leaves=False)) == to_html(root).steps
    shown: dict[int, str] = {}
    for step, expected in zip(steps, expected_grads(root), strict=True):
        for i, text in step.get("set", []):
            shown[i] = text
        assert {k: shown.get(i) for i, k in enumerate(names(root))} == expected
    assert {k: shown[i] for i, k in enumerate(names(root))} == backward_grads(root)


@pytest.mark.usefixtures("dot")
def test_edges_are_labelled_partial_times_grad_equals_contribution() -> None:
    root = build().loss
    page = to_html(root)
    steps, _ = backward_steps(root)
    index = {v: i for i, v in enumerate(topological_order(root))}
    for step in steps[2:]:
        assert step.node is not None
        for r in step.received:
            edge = re.search(rf'<g id="cr-e{index[step.node]}-{r.slot}" class="edge">(.*?)</g>',
                             page, re.S)
            assert edge is not None
            lines = re.findall(r"<text[^>]*>([^<]*)</text>", edge.group(1))
            assert lines == [fmt_number(r.partial or 0.0), f"× {fmt_number(step.grad)}",
                             f"= {fmt_number(r.amount)}"]


@pytest.mark.usefixtures("dot")
def test_same_graph_same_bytes_in_another_process(tmp_path: Path) -> None:
    code = ("import sys; sys.path.insert(0, 'tests/helpers'); from notes_network import build; "
            "from autograd import to_html; to_html(build().loss, sys.argv[1])")
    for seed, name in (("1", "a.html"), ("2", "b.html")):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], cwd=ROOT, env=env,
                       check=True)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.html").read_text("utf-8") == to_html(build().loss)


MARKUP_LABELS = ['<b>bold</b>', 'fish & chips', 'say "hi"', "it's",
                 "</script><script>window.injected = 1</script>", "<!-- x", "{{svg}}"]


@pytest.mark.usefixtures("dot")
def test_labels_reach_the_page_escaped() -> None:
    xs = [Value(float(i + 1), label=label) for i, label in enumerate(MARKUP_LABELS)]
    root = autograd.total(xs) * xs[0]
    root.label = "</title><b>root</b>"
    page = to_html(root)
    parsed = elements(page)
    assert parsed.tags.count("script") == 2
    assert "b" not in elements(svg_of(page)).tags
    assert len(parsed.scripts[0]) > 0 and json.loads(parsed.scripts[0])["keys"][:len(xs)] == \
        MARKUP_LABELS
    text = unescape(re.sub(r"<[^>]+>", "\n", svg_of(page)))
    for label in MARKUP_LABELS:
        assert label in text.splitlines()  # each label, literally, as the drawing's text
    assert "<title>&lt;/title&gt;&lt;b&gt;root&lt;/b&gt;: the backward pass" in page


@pytest.mark.usefixtures("dot")
def test_a_user_ops_symbol_reaches_the_page_escaped() -> None:
    weird = define_op("weird", forward=lambda a: 2 * a, partials=lambda a, out: (2.0,),
                      symbol="a<b>&c")
    x = Value(1.0, label="x")
    page = to_html(weird(x))
    assert "a&lt;b&gt;&amp;c" in svg_of(page) and "<b>" not in svg_of(page)


@pytest.mark.usefixtures("dot")
def test_a_large_graph_is_refused_at_once_with_what_to_do() -> None:
    x = Value(1.0, label="x")
    y = x
    for _ in range(100_000):
        y = y * 1.0
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"to_html: this graph needs more than 1000 nodes.*"
                                         r"single sample.*raise max_nodes"):
        to_html(y)
    assert time.perf_counter() - start < 5  # counting stops at the limit: never the whole graph
    with pytest.raises(ValueError, match="above max_nodes=10"):
        to_html(x * 2 * 3 * 4 * 5 * 6, max_nodes=10)


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"root": 1.0}, TypeError, "to_html: root must be a Value, got float"),
    ({"path": 3}, TypeError, "to_html: path must be a str or a pathlib.Path, got int"),
    ({"path": b"x.html"}, TypeError, "to_html: path must be a str or a pathlib.Path, got bytes"),
    ({"rankdir": "XY"}, ValueError, "to_html: rankdir must be one of"),
    ({"max_nodes": True}, TypeError, "to_html: max_nodes must be an int, got bool"),
    ({"max_nodes": 0}, ValueError, "to_html: max_nodes must be at least 1, got 0"),
])
def test_bad_arguments_get_a_typed_error_naming_them(kwargs: dict[str, object],
                                                      error: type[Exception], words: str) -> None:
    args: dict[str, object] = {"root": Value(1.0)} | kwargs
    with pytest.raises(error, match=re.escape(words)):
        to_html(**args)  # type: ignore[arg-type]


@pytest.mark.usefixtures("dot")
def test_the_page_copies_pickles_and_shows_briefly() -> None:
    page = to_html(shared())
    for twin in (copy.copy(page), copy.deepcopy(page), pickle.loads(pickle.dumps(page))):
        assert twin == page and type(twin) is StepperPage
        assert (twin.steps, twin.height) == (page.steps, page.height)
    assert repr(page).startswith(f"<StepperPage: the backward pass in {page.steps} steps")


# --- any label: the page is UTF-8, its keys are the names as drawn ---------------------------

ANY_LABEL = st.one_of(st.text(st.characters(exclude_categories=()), max_size=6),  # surrogates
                      st.sampled_from(["\ud800", "a\udfffb", "x\x01", "y" * 100]))


@pytest.mark.usefixtures("dot")
@settings(max_examples=25, deadline=None)
@given(labels=st.lists(ANY_LABEL, min_size=2, max_size=2))
def test_any_label_gives_a_page_of_utf8_whose_keys_are_the_names_as_drawn(
        labels: list[str]) -> None:
    # Was: a lone surrogate in a label reached the page's JSON raw, so writing the page (or
    # encoding it) raised UnicodeEncodeError where to_svg escaped it; and grads()'s keys were
    # the raw labels, not the names the drawing shows ("\\ud800", a long label cut with "…").
    x, y = Value(1.5, label=labels[0]), Value(-2.0, label=labels[1])
    root = x * y + x
    page = str(to_html(root))
    encoded = page.encode("utf-8")  # raised UnicodeEncodeError for a lone surrogate
    assert str(to_html(root)).encode("utf-8") == encoded  # deterministic bytes
    keys = page_data(page)["keys"]
    assert keys == names(root)
    drawn = unescape(re.sub(r"<[^>]+>", "\n", svg_of(page))).splitlines()
    for label in labels:
        if label:
            assert shown(label) in drawn  # the key is the text the drawing shows


@pytest.mark.usefixtures("dot")
def test_a_page_with_a_lone_surrogate_label_is_written(tmp_path: Path) -> None:
    x = Value(1.0, label="\ud800")
    to_html(x * 2.0, tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text("utf-8")
    keys = page_data(page)["keys"]
    assert isinstance(keys, list) and keys[0] == "\\ud800"
    assert "\ud800" not in page
