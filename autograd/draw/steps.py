"""The backward pass cut into steps, as the stepper page shows it: what each step adds where.

Step 0 is the forward pass alone; step 1 the seed, d(root)/d(root) = 1; then one step per
computed node, in the engine's own order (the walk ``grad()`` and ``backward()`` share, root
first): the node passes its grad to its inputs, each input receiving ``local partial × the
node's grad``, added to what it had. The partials come from the op table and are added in the
engine's order, so after the last step every grad is, bit for bit, what ``backward()`` leaves on
a graph whose grads start at zero. A node whose grad is 0 passes nothing: the engine skips it.
Nothing here changes the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.draw.structure import local_partials
from autograd.value import Value
from autograd.walk import _gradient_order

__all__ = ["Received", "Step", "backward_steps"]


@dataclass(frozen=True)
class Received:
    """What one operand slot of the passing node receives: ``partial × grad = amount``."""

    slot: int
    node: Value
    partial: float | None
    """The local partial d(passer)/d(node) at this slot; None when the passer is skipped."""
    amount: float
    before: float | None
    """The node's grad before this step; None when nothing had reached it yet."""
    after: float


@dataclass(frozen=True)
class Step:
    """One step of the backward pass. ``node`` is None for step 0 and for the seed (step 1)."""

    node: Value | None
    grad: float
    """The passing node's grad, whole by now (every node that uses it has passed already)."""
    received: tuple[Received, ...] = ()

    @property
    def skipped(self) -> bool:
        """True when the node's grad is 0: nothing flows back, and the engine skips it."""
        return self.node is not None and self.grad == 0.0


def backward_steps(root: Value) -> tuple[list[Step], dict[Value, float]]:
    """Every step of ``root``'s backward pass, and the grads after the last one.

    Raises what ``backward()`` raises when a local partial cannot be evaluated.
    """
    grads: dict[Value, float] = {root: 1.0}
    steps = [Step(None, 0.0), Step(None, 1.0)]
    for node in _gradient_order(root):
        g = grads.get(node, 0.0)
        # As the engine: a node whose grad is 0 is skipped, its partials never evaluated.
        parts: list[float | None] = [None] * len(node.inputs) if g == 0.0 else [
            *local_partials(node, "to_html")]
        received = []
        for slot, (inp, p) in enumerate(zip(node.inputs, parts, strict=True)):
            before = grads.get(inp)
            amount = 0.0 if p is None else p * g
            after = (0.0 if before is None else before)
            if p is not None:
                after += amount  # the engine's own sum: input.grad += partial * grad
            grads[inp] = after
            received.append(Received(slot, inp, p, amount, before, after))
        steps.append(Step(node, g, tuple(received)))
    return steps, grads
