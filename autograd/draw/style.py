"""How a drawing looks: the colour-blind-safe palette and the HTML-like labels of Graphviz.

Roles are told apart by the Okabe–Ito colours (readable with every common colour-vision
deficiency) and, for the output, by a heavier border too; the legend under the drawing names
them. Values are records ``label | data | grad``. Every text a user gave (a label, an op's
symbol) goes into a label through ``drawn``: shown as ``format.shown`` says, then HTML-escaped,
so no string can break Graphviz's HTML-like labels or the SVG.
"""

from __future__ import annotations

from html import escape

from autograd.draw.format import fmt_number, shown
from autograd.draw.structure import (
    CONSTANT,
    INPUT,
    INTERMEDIATE,
    NEURON,
    OUTPUT,
    PARAMETER,
    TARGET,
)

FONT = "Helvetica"
HIGHLIGHT = "#0072B2"  # Okabe–Ito blue
EDGE = "#555555"
OP_FILL = "#EEEEEE"
_MUTED = "#666666"
# role -> (fill of the label cell, text colour on it, legend text)
PALETTE: dict[str, tuple[str, str, str]] = {
    INPUT: ("#56B4E9", "#000000", "input"),  # sky blue
    TARGET: ("#CC79A7", "#000000", "target"),  # reddish purple
    PARAMETER: ("#E69F00", "#000000", "parameter (weight, bias)"),  # orange
    CONSTANT: ("#D9D9D9", "#000000", "constant"),
    INTERMEDIATE: ("#FFFFFF", "#000000", "intermediate"),
    NEURON: ("#009E73", "#FFFFFF", "neuron (weights and bias folded in)"),  # bluish green
    OUTPUT: ("#D55E00", "#FFFFFF", "output / loss"),  # vermillion
}


def drawn(user_text: str) -> str:
    """A user's text ready for an HTML-like label: drawable (``format.shown``), escaped."""
    return label_text(shown(user_text))


def label_text(plain: str) -> str:
    """Plain text escaped for Graphviz's HTML-like labels, to be drawn exactly as it is.

    Besides ``& < > " '``: Graphviz reads ``\\\\`` in a label as one backslash, so each
    backslash is doubled; and Graphviz 2.43 cannot parse a text that is only ``]``, so ``]``
    is written as a character reference.
    """
    return escape(plain).replace("\\", "\\\\").replace("]", "&#93;")


def record(name: str, data: float, grad: float, role: str, *, fallback: bool,
           highlighted: bool, note: str = "") -> str:
    """A Value as a one-row table: its name on the role's colour, then data, then grad."""
    if highlighted:
        frame = f'BORDER="2" COLOR="{HIGHLIGHT}"'
    elif role == OUTPUT:
        frame = 'BORDER="2" COLOR="#333333"'
    else:
        frame = 'BORDER="0" COLOR="#333333"'
    cells = record_cells(name, data, grad, role, fallback=fallback, note=note)
    table = f'<TABLE {frame} CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
    return f"<{table}<TR>{cells}</TR></TABLE>>"


def record_cells(name: str, data: float, grad: float, role: str, *, fallback: bool,
                 note: str = "", port: str = "", port_first: bool = False,
                 highlighted: bool = False) -> str:
    """The three cells ``name | data | grad``; ``port`` names the last cell for edges (the
    first with ``port_first``: where edges leave westwards, as in rankdir RL)."""
    fill, ink, _ = PALETTE[role]
    title = f"<B>{drawn(name)}</B>" if not fallback else f"<I>{drawn(name)}</I>"
    if note:
        title += f'<BR/><FONT POINT-SIZE="8">{label_text(note)}</FONT>'
    lit = f' BORDER="2" COLOR="{HIGHLIGHT}"' if highlighted else ""
    named = f' PORT="{port}"' if port else ""
    first, last = (named, "") if port_first else ("", named)
    return (
        f'<TD BGCOLOR="{fill}"{lit}{first}><FONT COLOR="{ink}">{title}</FONT></TD>'
        f"<TD{lit}>{_tagged('data', data)}</TD><TD{lit}{last}>{_tagged('grad', grad)}</TD>"
    )


def stack(rows: list[str]) -> str:
    """Several records' cells (``record_cells``) stacked as the rows of one table."""
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#333333">'
        f"{body}</TABLE>>"
    )


def _tagged(tag: str, x: float) -> str:
    return f'<FONT POINT-SIZE="8" COLOR="{_MUTED}">{tag} </FONT>{escape(fmt_number(x))}'


def op_attrs(symbol: str, highlighted: bool) -> dict[str, str]:
    """The small node that stands for an op: its symbol from the op table."""
    return {
        "label": f"<{drawn(symbol)}>",  # HTML-like, so "\\" or "<<B>b</B>>" is just text
        "shape": "circle" if len(shown(symbol)) <= 2 else "ellipse",
        "style": "filled",
        "fillcolor": OP_FILL,
        "color": HIGHLIGHT if highlighted else _MUTED,
        "penwidth": "2.5" if highlighted else "1",
        "fontsize": "11",
        "width": "0.3",
        "height": "0.3",
        "margin": "0.02",
    }


def edge_attrs(partial: str | None, highlighted: bool) -> dict[str, str]:
    """An edge, with the local partial as its label when asked for."""
    attrs = {"color": HIGHLIGHT, "penwidth": "2.5"} if highlighted else {}
    if partial is not None:
        attrs |= {"label": partial, "fontsize": "9", "fontcolor": "#333333"}
    return attrs


def entry_node(highlighted: bool) -> dict[str, str]:
    """Where an edge from outside comes into a neuron's box: a small dot, the joint of the
    edge's two halves (outside, and inside the box on to its Σ)."""
    return {"shape": "point", "width": "0.04", "color": HIGHLIGHT if highlighted else EDGE}


def entry_attrs(highlighted: bool) -> dict[str, str]:
    """The outer half of an edge into a neuron's box, up to its entry dot. Its partial goes
    on the inner half, where the edges into the box are apart and in order (mid-way
    outside they cross, and their labels would be mixed up)."""
    attrs = {"arrowhead": "none", "headclip": "false"}  # the halves meet at the dot's centre
    return attrs | ({"color": HIGHLIGHT, "penwidth": "2.5"} if highlighted else {})


def legend(roles: list[str], *, partials: bool, highlight: str | None) -> str:
    """The graph's label: one swatch per role drawn, and what edge labels and blue mean."""
    cells = []
    for role in roles:
        fill, ink, text = PALETTE[role]
        border = ' BORDER="2"' if role == OUTPUT else ""
        cells.append(f'<TD BGCOLOR="{fill}"{border}><FONT COLOR="{ink}">{escape(text)}</FONT></TD>')
    notes = []
    if partials:
        notes.append("edge label: the local partial ∂(result)/∂(operand) of the op or neuron "
                     "it enters")
    if highlight is not None:
        notes.append(f"blue: every path from {shown(highlight)} to the output")
    rows = f"<TR>{''.join(cells)}</TR>"
    if notes:
        span = f' COLSPAN="{len(cells)}"' if cells else ""
        rows += f'<TR><TD{span} BORDER="0">{label_text("; ".join(notes))}</TD></TR>'
    return (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="4" CELLPADDING="3">'
        f"{rows}</TABLE>>"
    )
