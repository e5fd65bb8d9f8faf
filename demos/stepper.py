"""The backward pass of the notes' network as a page you step through, node by node.

Builds the notes' 3-2-1 network, MLP(3, [2, 1], activation=None), on one sample with the loss
L = (y − ŷ)², and writes ``backprop.html`` with ``to_html(loss, "backprop.html")``: one
self-contained page (open it in any browser, no network needed). Step 0 shows the forward
values; step 1 the seed dL/dL = 1; then loss, y − ŷ, ŷ, N1 and N2 in turn pass their gradient
to their inputs, each edge showing ``local partial × grad = contribution``, a side panel
writing the chain rule out. → and ← step; ``backprop.html#step=4`` opens at step 4.

It prints the steps' order, then checks the page against the engine: one step per computed
node after the seed, and after the last step exactly the grads ``backward()`` leaves. It exits 1
if a check fails.

    python demos/stepper.py [--out DIR] [--quick]
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from _common import NO_GRAPHVIZ, arguments, draw, parse, verdict

from autograd import Value, to_html, topological_order
from autograd.draw.format import fmt_number
from autograd.draw.structure import grad_of
from mlp import MLP


def notes_loss() -> Value:
    """The notes' network on the sample x = (0.5, −1, 2), y = 1: L = (y − ŷ)²."""
    model = MLP(3, [2, 1], activation=None, seed=0)
    y_hat = model([0.5, -1.0, 2.0])
    assert isinstance(y_hat, Value)
    error = Value(1.0, label="y") - y_hat
    error.label = "y − ŷ"
    loss = error**2
    loss.label = "L"
    return loss


def page_steps(page: str) -> list[dict[str, Any]]:
    """The steps written into the page, as its script reads them."""
    found = re.search(r'<script type="application/json" id="chainrule-data">(.*?)</script>',
                      page, re.S)
    assert found is not None
    steps: list[dict[str, Any]] = json.loads(found.group(1))["steps"]
    return steps


def main(argv: list[str] | None = None) -> int:
    args = parse(arguments(__doc__, "the same page (it is quick already)",
                           out="folder for backprop.html"), argv)
    loss = notes_loss()
    path = args.out / "backprop.html"
    page = draw(path, lambda path: to_html(loss, path))  # to_html(loss, path) makes the page
    if page is None:
        print(f"No {path.name}: {NO_GRAPHVIZ}\nWithout the page there is nothing to check.")
        return 0
    steps = page_steps(page)
    print(f"Wrote {path}: the backward pass of L = (y − ŷ)² in {page.steps} steps.")
    for step in steps:
        print(f"  {step['title']}")

    order = topological_order(loss)
    shown: dict[int, str] = {}
    for step in steps:
        for i, text in step.get("set", []):
            shown[i] = text
    loss.backward()  # now the engine itself: the grads the last step must show
    engine = {i: fmt_number(grad_of(v)) for i, v in enumerate(order)}
    computed = sum(1 for v in order if v.inputs)
    checks = {
        "one step per computed node, after the forward pass and the seed":
            page.steps == 2 + computed,
        "the last step shows exactly the grads backward() leaves": shown == engine,
    }
    print("\nOpen it in a browser; → and ← step, Home and End jump.")
    for what, passed in checks.items():
        print(f"  [{'ok' if passed else 'FAILED'}] {what}")
    return verdict(all(checks.values()))


if __name__ == "__main__":
    sys.exit(main())
