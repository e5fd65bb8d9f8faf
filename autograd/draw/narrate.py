"""The stepper page's side panel: each step's chain rule in words and numbers.

Written as ``explain`` writes it, with the same names (a label, or ``mul₇`` for an unlabelled
node) and the same numbers (4 significant digits, a true minus sign). Each line is a pair
``(kind, text)``: "say" for prose, "math" for a formula, "sum" for a grad's running total. The
page puts the text in with ``textContent``, so no string here is ever read as markup.
"""

from __future__ import annotations

from autograd.draw.format import drawn_name, fmt_number, text_name
from autograd.draw.steps import Received, Step
from autograd.value import Value

Line = tuple[str, str]



class Narrator:
    """Names the nodes of one graph and writes what each of its steps does."""

    def __init__(self, root: Value, index: dict[Value, int], steps: list[Step]) -> None:
        self.root, self.index, self.steps = root, index, steps
        self.count: dict[Value, int] = {}
        """How many contributions each node has received so far, while writing in order."""

    def name(self, node: Value) -> str:
        return drawn_name(node, self.index[node])

    def d(self, top: Value, bottom: Value) -> str:
        return f"∂{text_name(self.name(top))}/∂{text_name(self.name(bottom))}"

    def write(self) -> list[tuple[str, list[Line]]]:
        """(title, lines) for every step, in order."""
        last = len(self.steps) - 1
        out = [self.forward(), self.seed(last == 1)]
        for k, step in enumerate(self.steps[2:], start=2):
            out.append(self.passing(k, step, k == last))
        return out

    def forward(self) -> tuple[str, list[Line]]:
        root = self.name(self.root)
        passers = [self.name(s.node) for s in self.steps[2:] if s.node is not None]
        lines = [("say", "The forward pass is done: every node shows its data, computed from "
                         "its inputs. No node has a gradient yet.")]
        if passers:
            lines.append(("say", f"Backward starts at {root} with the seed, then each computed "
                                 "node in turn passes its gradient to its inputs, in the "
                                 "engine's order: " + ", ".join(passers) + "."))
        else:
            lines.append(("say", f"{root} is a leaf: backward only seeds its gradient."))
        return "Step 0: the forward pass", lines

    def seed(self, done: bool) -> tuple[str, list[Line]]:
        root = self.name(self.root)
        lines = [("math", f"{self.d(self.root, self.root)} = 1"),
                 ("say", f"The seed: a change in {root} changes {root} one for one, so "
                         f"backward() sets {root}.grad = 1 and walks back from there.")]
        if done:
            lines.append(self.finished())
        return "Step 1: the seed", lines

    def passing(self, k: int, step: Step, done: bool) -> tuple[str, list[Line]]:
        node = step.node
        assert node is not None
        name, whole = self.name(node), self.d(self.root, node)
        title = f"Step {k}: {name} passes its gradient back"
        lines: list[Line] = [("math", f"{whole} = {fmt_number(step.grad)}")]
        if step.skipped:
            lines.append(("say", f"Its gradient is 0, so nothing flows back from {name}: "
                                 "backward() skips it, and each input gets 0 from it."))
            for r in step.received:
                self.count[r.node] = self.count.get(r.node, 0) + 1
                lines.append(self.total(r))
        else:
            if node is not self.root:
                lines.append(("say", f"That is {name}'s whole gradient: every node that uses "
                                     f"{name} has passed its share already."))
            lines.append(("say", f"The chain rule, for each input u of {name}: "
                                 f"∂{text_name(self.name(self.root))}/∂u += "
                                 f"∂{text_name(name)}/∂u × {whole}"))
            for r in step.received:
                lines.extend(self.contribution(node, step.grad, r))
        if done:
            lines.append(self.finished())
        return title, lines

    def contribution(self, node: Value, grad: float, r: Received) -> list[Line]:
        assert r.partial is not None
        self.count[r.node] = self.count.get(r.node, 0) + 1
        slot = f" (operand {r.slot + 1})" if node.inputs.count(r.node) > 1 else ""
        formula = (f"{self.d(node, r.node)}{slot} × {self.d(self.root, node)} = "
                   f"({fmt_number(r.partial)}) × ({fmt_number(grad)}) = {fmt_number(r.amount)}")
        return [("math", formula), self.total(r)]

    def total(self, r: Received) -> Line:
        """The receiving node's grad so far: ``old + new = total`` from its 2nd on."""
        name = self.name(r.node)
        n = self.count[r.node]
        if r.before is None:
            return ("sum", f"{name}.grad = {fmt_number(r.after)}")
        added = fmt_number(r.amount) if r.amount >= 0 else f"({fmt_number(r.amount)})"
        nth = _ordinal(n)
        return ("sum", f"{name}.grad = {fmt_number(r.before)} + {added} = "
                       f"{fmt_number(r.after)}  ({nth} contribution)")

    def finished(self) -> Line:
        return ("say", "That was the last step: every grad shown is now the one backward() "
                       "leaves (from grads at zero).")


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
