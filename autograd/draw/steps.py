"""The backward pass cut into steps, as the stepper page shows it: what each step adds where.

Step 0 is the forward pass alone; step 1 the seed, d(root)/d(root) = 1; then one step per
computed node: the node passes its grad to its inputs, each input receiving ``local partial ×
the node's grad``, added to what it had. The steps are the engine's own: this module runs
``autograd.engine.backward_steps``, the loop of ``grad()`` and ``backward()``, and records what
each step added where, so after the last step every grad is the engine's, bit for bit. A node
whose grad is 0 passes nothing: the engine skips it. Nothing here changes the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.engine import backward_order, topological_order
from autograd.engine import backward_steps as engine_steps
from autograd.value import Value

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

    Raises what ``backward()`` raises when a local partial cannot be evaluated, or when data
    was written after the graph was recorded.
    """
    order = backward_order(root, "to_html")  # the engine's order, output first: checked
    grads: dict[Value, float] = {root: 1.0}
    steps = [Step(None, 0.0), Step(None, 1.0)]
    for node, g, partials in engine_steps(order, grads):
        # Read before the engine adds this step's amounts; a Value used twice (x * x) gets
        # them one slot after the other, as the engine adds them.
        received, now = [], {inp: grads.get(inp) for inp in node.inputs}
        for slot, inp in enumerate(node.inputs):
            p = float(partials[slot]) if partials else None
            before = now[inp]
            amount = 0.0 if p is None else p * g
            if p is not None and p != 0.0:
                now[inp] = amount if before is None else before + amount
            after = now[inp]
            received.append(Received(slot, inp, p, amount, before,
                                     0.0 if after is None else after))
        steps.append(Step(node, g, tuple(received)))
    for v in topological_order(root):
        grads.setdefault(v, 0.0)  # reached by nothing: 0, as backward() leaves a fresh graph
    return steps, grads
