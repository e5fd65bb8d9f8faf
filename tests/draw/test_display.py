"""How chainrule's objects display in Jupyter and IPython, tested without a kernel (the
executed notebook is tests/docs/test_notebook.py): Explanation, the stepper page, Value, MLP,
fit."""

from __future__ import annotations

import copy
import pickle
import sys
import time
import types
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from IPython.lib.pretty import pretty

from autograd import Explanation, Value, explain, to_html
from autograd.draw.notebook import INLINE_NODES, value_svg
from mlp import MLP, fit, losses, optim
from mlp.display import MAX_NEURONS, mlp_html

from ..helpers.notes_network import build

# --- Explanation -------------------------------------------------------------------------


@pytest.mark.parametrize("notation", ["text", "latex"])
def test_an_explanation_copies_deepcopies_and_pickles_whole(notation: str) -> None:
    net = build()
    text = explain(net.loss, net.params["w1"], format=notation)
    for twin in (copy.copy(text), copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert type(twin) is Explanation and twin == text
        assert (twin.total, twin.paths, twin.notation) == (text.total, text.paths, notation)


def test_ipython_shows_an_explanation_as_its_text_not_a_quoted_repr() -> None:
    net = build()
    text = explain(net.loss, net.samples[0].x[0])  # x1 reaches the loss by two paths
    assert text.count("\n") >= 2
    # its lines, not a quoted repr with escaped newlines
    assert pretty(text) == str(text)  # type: ignore[no-untyped-call]


def test_a_latex_explanation_offers_latex_and_a_text_one_does_not() -> None:
    net = build()
    latex = explain(net.loss, net.params["w1"], format="latex")
    assert latex._repr_latex_() == str(latex)
    assert explain(net.loss, net.params["w1"])._repr_latex_() is None


# --- the stepper page --------------------------------------------------------------------


@pytest.mark.usefixtures("dot")
def test_the_page_displays_in_a_sandboxed_iframe_holding_the_whole_page() -> None:
    page = to_html(build().loss)
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and frame.endswith("></iframe>")
    srcdoc = frame[len('<iframe srcdoc="'):frame.index('" sandbox=')]
    assert '"' not in srcdoc and "<" not in srcdoc  # escaped: it cannot end the attribute
    assert unescape(srcdoc) == page
    assert 'sandbox="allow-scripts"' in frame  # its script runs apart from the notebook's


# --- Value -------------------------------------------------------------------------------


@pytest.mark.usefixtures("dot")
def test_a_small_value_displays_as_its_drawing() -> None:
    svg = value_svg(build().loss)
    assert svg is not None and "<svg" in svg and ">loss<" in svg


def test_a_huge_value_displays_as_its_repr_after_a_bounded_count() -> None:
    y = Value(1.0)
    for _ in range(100_000):
        y = y * 1.0
    start = time.perf_counter()
    assert value_svg(y) is None  # IPython then shows the plain repr
    assert time.perf_counter() - start < 1.0


@pytest.mark.usefixtures("dot")
def test_a_value_is_drawn_up_to_the_inline_limit_and_no_further() -> None:
    y = Value(1.0)
    for _ in range((INLINE_NODES - 1) // 3):
        y = y * 1.0  # an op, its record and the constant 1.0: three drawn nodes
    assert value_svg(y) is not None
    for _ in range(2):
        y = y * 1.0
    assert value_svg(y) is None


def test_without_graphviz_a_value_displays_as_its_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert value_svg(Value(1.0, label="x") * 2) is None


class FakeFormatter:
    def __init__(self) -> None:
        self.registered: list[tuple[str, str, Callable[[Any], Any]]] = []

    def for_type_by_name(self, module: str, name: str, show: Callable[[Any], Any]) -> None:
        self.registered.append((module, name, show))


def fake_ipython(monkeypatch: pytest.MonkeyPatch) -> dict[str, FakeFormatter]:
    formatters = {"image/svg+xml": FakeFormatter(), "text/html": FakeFormatter()}
    shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(formatters=formatters))
    module = types.ModuleType("IPython")
    module.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", module)
    return formatters


def ipython_display(obj: object) -> dict[str, Any]:
    """The mime bundle IPython's own formatter makes for ``obj``: no shell, nothing
    registered, so only what the object's class says (its ``_repr_*_`` methods) counts."""
    from IPython.core.formatters import DisplayFormatter

    data: dict[str, Any] = DisplayFormatter().format(obj)[0]  # type: ignore[no-untyped-call]
    return data


@pytest.mark.usefixtures("dot")
def test_a_value_displays_as_its_drawing_by_its_own_repr_method() -> None:
    # Was: only a formatter registered when chainrule was imported inside a running IPython
    # drew it; a Value made where chainrule was imported first showed its plain repr.
    loss = build().loss
    assert loss._repr_svg_() == value_svg(loss)
    shown = ipython_display(loss)
    assert ">loss<" in shown["image/svg+xml"] and shown["text/plain"] == repr(loss)


def test_without_graphviz_a_value_displays_as_its_plain_repr(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    y = Value(1.0, label="x") * 2
    assert y._repr_svg_() is None
    assert ipython_display(y) == {"text/plain": repr(y)}


def test_without_the_graphviz_package_a_value_displays_as_its_plain_repr(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz: ImportError
    y = Value(1.0, label="x") * 2
    assert y._repr_svg_() is None


def test_an_mlp_displays_as_its_table_by_its_own_repr_method() -> None:
    model = MLP(3, [2, 1], activation=None, seed=0)
    assert model._repr_html_() == mlp_html(model)
    assert ipython_display(model)["text/html"] == mlp_html(model)


def test_importing_chainrule_in_ipython_registers_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import autograd.draw
    import mlp

    formatters = fake_ipython(monkeypatch)
    importlib.reload(autograd.draw)
    importlib.reload(mlp)
    assert formatters["image/svg+xml"].registered == formatters["text/html"].registered == []


# --- MLP ---------------------------------------------------------------------------------


def test_an_mlp_displays_its_shape_and_every_weight_by_name() -> None:
    model = MLP(3, [2, 1], activation=None, seed=0)
    html = mlp_html(model)
    assert "MLP 3 → 2 → 1" in html and "11 parameters" in html
    for p in model.parameters():
        assert p.label in html
    assert html.count("<tr>") == 1 + 3  # the head and the neurons N1, N2, ŷ


def test_an_mlps_labels_are_escaped_and_a_big_one_is_cut_short() -> None:
    model = MLP(2, [200, 200, 1], activation="relu", seed=0)
    model.layers[0].neurons[0].w[0].label = "<b>w</b>"
    start = time.perf_counter()
    html = mlp_html(model)
    assert time.perf_counter() - start < 0.5
    assert "<b>w</b>" not in html and "&lt;b&gt;w&lt;/b&gt;" in html
    assert html.count("<tr>") == 1 + MAX_NEURONS + 1
    assert f"… and {401 - MAX_NEURONS:,} more neurons" in html


# --- fit ---------------------------------------------------------------------------------


def test_fit_uses_tqdm_auto_so_notebooks_get_the_notebook_bar(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import tqdm.auto

    made: list[dict[str, Any]] = []

    class Bar:
        def __init__(self, **kwargs: Any) -> None:
            made.append(kwargs)

        def update(self) -> None: ...
        def set_postfix(self, **kwargs: Any) -> None: ...
        def close(self) -> None: ...

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    model = MLP(1, [1], activation=None, seed=0)
    fit(model, [[1.0]], [2.0], losses.mse, optim.SGD(model.parameters(), lr=0.1), epochs=2)
    assert made == [{"total": 2, "desc": "fit", "unit": "epoch"}]
