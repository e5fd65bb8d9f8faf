"""Numbers and names as the drawings and the chain-rule text show them.

Numbers keep 4 significant digits, a compact exponent (``1.235e4``, ``2e−7``) and a true minus
sign. A node is named by its label; an unlabelled node by its op's name and its position in
``topological_order`` (``mul₇``), an unlabelled leaf ``const₃``: the same name in a drawing and
in ``explain``, the same in every process. A drawing shows any text a user gave (labels, op
symbols) through ``shown``: what cannot be drawn is written as an escape, and a very long text
is cut.
"""

from __future__ import annotations

import math
import re
import unicodedata

from autograd.value import Value

MINUS = "\u2212"
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_FROM_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_PLAIN_NAME = re.compile(r"[\w\u0302\u0303'₀-₉\[\]]+")
_NAME_PART = re.compile(r"([^\W\d_][\u0302\u0303]?|ŷ)([^\W_]*?)([0-9₀-₉]*)(?=\W|_|$)")
# (An underscore is never a subscript mark: "w_1" is written w\_1, so it differs from w1.)
_LATEX_SYMBOLS = {
    "−": "-", "×": r"\times ", "·": r"\cdot ", "σ": r"\sigma ", "Σ": r"\Sigma ", "∂": r"\partial ",
    "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&", "_": r"\_",
    "^": r"\hat{}", "~": r"\sim ", "\\": r"\backslash ",
}
_HATS = {"ŷ": r"\hat{y}", "ỹ": r"\tilde{y}"}
_GREEK = dict(zip("αβγδεηθλμνπρστφχψωΓΔΘΛΠΣΦΨΩ", [
    "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "nu", "pi",
    "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Pi", "Sigma", "Phi", "Psi", "Omega"], strict=True))


LABEL_LIMIT = 80
"""The most characters of one label or symbol a drawing shows: longer ones are cut."""
_UNDRAWABLE = frozenset({"Cc", "Cs"})  # control characters, lone surrogates


def shown(text: str) -> str:
    """``text`` as a drawing shows it, so that any ``str`` a label can hold can be drawn.

    A text longer than ``LABEL_LIMIT`` (80) characters is cut to its first 79 and ``…``.
    Control characters (``\\x00``-``\\x1f``, ``\\x7f``-``\\x9f``: invisible, and most not
    allowed in SVG), lone surrogates (no UTF-8 for them) and U+FFFE/U+FFFF (not allowed in
    XML) are written as Python writes them in a ``repr``: ``a\\x01b``, ``\\n``, ``\\ud800``.
    Everything else, backslashes and ``<&>`` included, is shown as it is.
    """
    if len(text) > LABEL_LIMIT:
        text = text[: LABEL_LIMIT - 1] + "…"
    if text.isprintable():
        return text
    return "".join(repr(ch)[1:-1] if _undrawable(ch) else ch for ch in text)


def _undrawable(ch: str) -> bool:
    return unicodedata.category(ch) in _UNDRAWABLE or ch in "\ufffe\uffff"


def fmt_number(x: float, *, latex: bool = False) -> str:
    """``x`` with 4 significant digits and a compact exponent; LaTeX with ``latex=True``."""
    if math.isnan(x):
        return r"\mathrm{NaN}" if latex else "NaN"
    if math.isinf(x):
        sign = "-" if latex else MINUS
        return (sign if x < 0 else "") + (r"\infty" if latex else "∞")
    if x == 0:
        return "0"
    mantissa, _, exponent = f"{x:.4g}".partition("e")
    if latex:
        return mantissa if not exponent else rf"{mantissa} \times 10^{{{int(exponent)}}}"
    text = mantissa + (f"e{int(exponent)}" if exponent else "")
    return text.replace("-", MINUS)


def describe(v: Value) -> str:
    """A Value as error messages name it: its label and its repr."""
    return f"{v.label!r} ({v!r})" if v.label else repr(v)


def subscript(n: int) -> str:
    """``n`` in Unicode subscript digits: 7 -> ``₇``."""
    return str(n).translate(_SUBSCRIPTS)


def node_name(node: Value, index: int) -> str:
    """The node's label, or a fallback built from its op and topological index (``mul₇``)."""
    if node.label:
        return node.label
    return f"{node.op or 'const'}{subscript(index)}"


def drawn_name(node: Value, index: int) -> str:
    """``node_name`` as a drawing shows it (``shown``): what the stepper page and ``explain``
    call the node, so a name read off the page is the name seen in the drawing."""
    return shown(node_name(node, index))


def text_name(name: str) -> str:
    """A name ready to stand after ``∂``: wrapped in parentheses unless it is one word."""
    return name if _PLAIN_NAME.fullmatch(name) else f"({name})"


def latex_name(name: str) -> str:
    """A name in LaTeX: ``w1`` -> ``w_{1}``, ``ŷ`` -> ``\\hat{y}``, ``loss`` -> ``\\mathrm{loss}``.

    Not a one-word name (``y − ŷ``) is wrapped in parentheses, as ``text_name`` does.
    """
    out: list[str] = []
    pos = 0
    for match in _NAME_PART.finditer(name):
        out.append(_latex_symbols(name[pos : match.start()]))
        out.append(_latex_word(*match.groups()))
        pos = match.end()
    out.append(_latex_symbols(name[pos:]))
    text = "".join(out).strip()
    return text if _PLAIN_NAME.fullmatch(name) else f"\\left({text}\\right)"


def _latex_word(head: str, rest: str, digits: str) -> str:
    word = head + rest
    if len(head) == 2 and head[1] in "\u0302\u0303":
        base = (r"\hat{%s}" if head[1] == "\u0302" else r"\tilde{%s}") % head[0]
        word = base + rest
    elif head in _HATS:
        word = _HATS[head] + rest
    elif head in _GREEK and not rest:
        word = f"\\{_GREEK[head]} "
    elif rest:
        word = rf"\mathrm{{{word}}}"
    sub = digits.translate(_FROM_SUBSCRIPTS)
    return word + (f"_{{{sub}}}" if sub else "")


def _latex_symbols(text: str) -> str:
    return "".join(_LATEX_SYMBOLS.get(ch, ch) for ch in text)
