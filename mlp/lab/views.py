"""The lab's two views asked for one at a time: ``explain()`` for a weight, and the stepper.

Both are the chosen sample's own loss, recorded afresh from the current weights
(``frame.sample_graph``), then handed to autograd's ``explain`` and ``to_html`` as a user
would: the text and the page are theirs, with the run's numbers in them.
"""

from __future__ import annotations

from typing import Any

from autograd import explain, to_html
from mlp.lab.build import Setup
from mlp.lab.config import LabInputError
from mlp.lab.frame import sample_graph

STEPPER_NODES = 1000
"""The stepper page's limit (``to_html``'s ``max_nodes``): larger graphs are refused."""


def explain_text(setup: Setup, name: str) -> dict[str, Any]:
    """``explain(loss, w)`` for the parameter labelled ``name`` (``w3``, ``b2``, ...)."""
    params = {p.label: p for p in setup.model.parameters()}
    if name not in params:
        shown = repr(name[:20])
        raise LabInputError(f"param: no weight or bias is labelled {shown}; they are "
                            f"w1..., b1... (this network has {len(params)})")
    loss, _ = sample_graph(setup, setup.config.sample)
    found = explain(loss, params[name])
    return {"param": name, "sample": setup.config.sample, "text": str(found),
            "total": found.total, "paths": found.paths}


def stepper_page(setup: Setup) -> str:
    """The stepper page of the chosen sample's loss: its backward pass, one node at a time."""
    loss, _ = sample_graph(setup, setup.config.sample)
    try:
        return str(to_html(loss, max_nodes=STEPPER_NODES))
    except ValueError as e:
        raise LabInputError(f"the stepper: {e}. Try a smaller network (e.g. hidden [4, 4])") \
            from None
