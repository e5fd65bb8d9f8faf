"""How an MLP shows in Jupyter: its shape, then a table of every neuron's weights and bias.

An MLP has no graph until it is called, so it shows what it is made of: ``MLP 3 → 2 → 1``,
the activations, the parameter count, and per neuron its name (N1 ...), its weights and bias
with their labels and values, 4 significant digits, as the drawings write them. The work is
bounded: at most ``MAX_NEURONS`` rows and ``MAX_WEIGHTS`` weights a row, the rest counted.
Every label goes in escaped. ``MLP._repr_html_`` calls ``mlp_html``, so a notebook shows it
without anything registered (see ``autograd.draw.notebook``).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from autograd.draw.format import fmt_number

if TYPE_CHECKING:  # only named in annotations: layers.py imports this module
    from mlp.layers import MLP, Neuron

__all__ = ["MAX_NEURONS", "MAX_WEIGHTS", "mlp_html"]

MAX_NEURONS = 32
MAX_WEIGHTS = 8


def mlp_html(model: MLP[Any]) -> str:
    """The HTML a notebook shows for ``model``."""
    sizes = " → ".join(str(n) for n in (model.nin, *model.nouts))
    count = len(model.parameters())
    head = (f"<p><b>MLP {sizes}</b>: hidden {escape(_name(model.activation))}, output "
            f"{escape(_name(model.output_activation))}; {count:,} parameters "
            f"<code>{escape(repr(model))}</code></p>")
    rows = []
    shown = 0
    for depth, layer in enumerate(model.layers, start=1):
        for neuron in layer.neurons:
            if shown == MAX_NEURONS:
                break
            rows.append(_row(depth, neuron))
            shown += 1
    total = sum(layer.nout for layer in model.layers)
    if total > shown:
        rows.append(f'<tr><td colspan="4">… and {total - shown:,} more neurons</td></tr>')
    table = ('<table><thead><tr><th>layer</th><th>neuron</th><th>weights</th><th>bias</th>'
             f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return f'<div class="chainrule-mlp">{head}{table}</div>'


def _row(depth: int, neuron: Neuron) -> str:
    weights = [_pair(w.label, w.data) for w in neuron.w[:MAX_WEIGHTS]]
    if len(neuron.w) > MAX_WEIGHTS:
        weights.append(f"… {len(neuron.w) - MAX_WEIGHTS:,} more")
    name = neuron.output_label
    return (f"<tr><td>{depth}</td><td>{escape(name)}</td><td>{', '.join(weights)}</td>"
            f"<td>{_pair(neuron.b.label, neuron.b.data)}</td></tr>")


def _pair(label: str, value: float) -> str:
    return f"{escape(label)} = {escape(fmt_number(value))}"


def _name(activation: str | None) -> str:
    return activation or "linear"
