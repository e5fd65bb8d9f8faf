"""demos/backprop.ipynb, executed in a real kernel (nbclient + ipykernel): its outputs hold
the stepper page, the Explanation as text and as LaTeX, a Value's drawing, an MLP's table and
fit's notebook bar; the stepper page's graph agrees with the chain rule. Under ``CI`` a
missing ``dot`` is a failure (conftest's ``dot`` fixture)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from autograd import Value, explain
from mlp import MLP

from ..conftest import need_dot
from ..helpers.pictures import assert_consistent, stepper_svg

NOTEBOOK = Path(__file__).resolve().parents[2] / "demos" / "backprop.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The code cells of the executed notebook, run in a scratch folder."""
    need_dot()  # before the kernel starts: its cells draw, and this fixture outlives ``dot``
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    cwd = tmp_path_factory.mktemp("notebook")
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    assert not list(cwd.iterdir()), "the notebook wrote files"
    return [c for c in nb.cells if c.cell_type == "code"]


def result(cell: Any) -> dict[str, Any]:
    """The mime bundle of the cell's value (its execute_result)."""
    found = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(found) == 1, cell.outputs
    data: dict[str, Any] = found[0].data
    return data


def notes_loss() -> tuple[Value, Value]:
    model = MLP(3, [2, 1], activation=None, seed=0)
    y_hat = model([0.5, -1.0, 2.0])
    assert isinstance(y_hat, Value)
    error = Value(1.0, label="y") - y_hat
    error.label = "y − ŷ"
    loss = error**2
    loss.label = "loss"
    loss.backward()
    return loss, model.parameters()[0]


@pytest.mark.usefixtures("dot")
def test_no_cell_fails(executed: list[Any]) -> None:
    assert [o for c in executed for o in c.outputs if o.output_type == "error"] == []
    assert len(executed) == 7


@pytest.mark.usefixtures("dot")
def test_the_stepper_displays_inline_in_a_sandboxed_frame(executed: list[Any]) -> None:
    html = result(executed[1])["text/html"]
    assert html.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in html and "chainrule-data" in html
    srcdoc = re.fullmatch(r'<iframe srcdoc="([^"]*)".*', html, re.S)
    assert srcdoc is not None, html[:200]
    assert_consistent(stepper_svg(unescape(srcdoc.group(1))), "the notebook's stepper page")


@pytest.mark.usefixtures("dot")
def test_an_explanation_displays_as_text_and_as_latex(executed: list[Any]) -> None:
    loss, w1 = notes_loss()
    text = result(executed[2])
    assert text == {"text/plain": str(explain(loss, w1))}  # its text, not a quoted repr
    assert text["text/plain"].startswith("∂loss/∂w1 = ∂loss/∂(y − ŷ) · ")
    latex = result(executed[3])
    assert latex["text/latex"] == str(explain(loss, w1, format="latex"))
    assert latex["text/latex"].startswith("$$\n\\begin{aligned}")


@pytest.mark.usefixtures("dot")
def test_a_value_displays_as_its_graph_and_an_mlp_as_its_weights(executed: list[Any]) -> None:
    value = result(executed[4])
    assert "<svg" in value["image/svg+xml"] and ">loss<" in value["image/svg+xml"]
    assert value["text/plain"].startswith("Value(data=")
    model = result(executed[5])
    assert "MLP 3 → 2 → 1" in model["text/html"] and "w8 = " in model["text/html"]


@pytest.mark.usefixtures("dot")
def test_fit_shows_the_notebook_bar(executed: list[Any]) -> None:
    outputs = executed[6].outputs
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in
               o.get("data", {})]
    assert len(widgets) == 1  # tqdm.auto's notebook bar, not a text bar on stderr
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert printed.startswith("loss ") and " -> " in printed
