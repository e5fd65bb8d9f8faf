"""How a Value meets the rest of Python: as a number, as micrograd's Value, in a notebook.

``Value`` inherits these mixins, so ``value.py`` shows only what a learner needs: the number,
its grad, the ops and the chain rule. ``label_of`` is a label as the readers of a graph (the
drawings, ``explain``, ``compile``) take it: a str, checked.

``AsNumber``: ``float(v)`` and ``f"{v:.3f}"`` read ``data``; ``< <= > >=`` compare ``data`` with
Values and real numbers and give a bool, so ``sorted()``, ``max()`` and ``loss < 0.01`` work;
numpy's operators defer to Value's. ``==`` and ``hash`` stay identity (object's): a Value is a
node of a graph, and graphs live in sets and dicts, where two nodes holding one number are
still two nodes. So ``v <= w`` and ``v >= w`` can both hold while ``v == w`` does not.

``MicrogradNames``: ``_prev`` and ``_op``, the names every copy of micrograd's ``draw_dot``
reads. (``_backward()`` is ``Value.backward_step``, beside ``backward()`` in ``value.py``.)

``InNotebook``: ``_repr_svg_``, the drawing Jupyter shows, through ``DISPLAY``, which
``autograd.draw.notebook`` sets when it is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, SupportsFloat, SupportsIndex

from autograd.reals import is_real, is_value

if TYPE_CHECKING:
    from autograd.ops import Op
    from autograd.value import Value


class _Node(Protocol):
    """What these mixins read of a Value (Value imports this module, so not Value itself)."""

    @property
    def data(self) -> float: ...
    @property
    def inputs(self) -> tuple[Value, ...]: ...
    @property
    def rule(self) -> Op | None: ...

Comparable = SupportsFloat | SupportsIndex
"""What a Value is ordered against: another Value (it has ``__float__``) or a real number."""


class AsNumber:
    """A Value as a Python number: float(), format specs, ordering; numpy defers to it."""

    __slots__ = ()

    __array_ufunc__ = None
    """numpy defers to Value: ``np.float64(2) * v`` calls ``v.__rmul__`` and gives a Value
    (not an object array), ``np.float32(1) < v`` gives a bool, and ``array * v`` is a
    ``TypeError`` (a Value is one number; make a list of Values for many)."""

    def __float__(self: _Node) -> float:
        """``float(v)`` is ``v.data``; so ``math.isclose(v, w)`` works. Note that ``math``'s
        functions take a Value this way and give a plain float, outside the graph: use
        ``v.exp()``, ``v.tanh()``... to differentiate."""
        return self.data

    def __bool__(self: _Node) -> bool:
        """``bool(v)`` is ``bool(v.data)``, as for a float: ``if loss:`` is False at 0.0. (An
        object without ``__bool__`` is always true, which would make that test silently
        wrong.)"""
        return self.data != 0.0

    def item(self: _Node) -> float:
        """The number, as a float (PyTorch's ``item()``; the same as ``float(v)``, ``v.data``)."""
        return self.data

    def __int__(self: _Node) -> int:
        """``int(v)`` is ``int(v.data)``: truncated toward zero, as for a float."""
        return int(self.data)

    def __format__(self: _Node, spec: str) -> str:
        """``f"{v:.3f}"`` formats ``v.data``; an empty spec (``f"{v}"``) gives ``str(v)``."""
        return format(self.data, spec) if spec else str(self)

    def __lt__(self: _Node, other: Comparable) -> bool:
        o = _comparable(other)
        return NotImplemented if o is None else bool(self.data < o)

    def __le__(self: _Node, other: Comparable) -> bool:
        o = _comparable(other)
        return NotImplemented if o is None else bool(self.data <= o)

    def __gt__(self: _Node, other: Comparable) -> bool:
        o = _comparable(other)
        return NotImplemented if o is None else bool(self.data > o)

    def __ge__(self: _Node, other: Comparable) -> bool:
        o = _comparable(other)
        return NotImplemented if o is None else bool(self.data >= o)


def _comparable(x: object) -> Any:
    """What a Value's data is compared with: a Value's data or a real number itself (Python
    compares a float with a huge int or a Fraction exactly); ``None`` for anything else."""
    if is_value(type(x)):
        return x.data  # type: ignore[attr-defined]
    return x if type(x) is float or type(x) is int or is_real(x) else None


class InNotebook:
    """How a Value shows in Jupyter: the drawing of its graph (``autograd.draw.notebook``)."""

    __slots__ = ()

    def _repr_svg_(self) -> str | None:
        """The drawing of a small graph, else None (the plain repr), by ``DISPLAY``, which
        ``autograd.draw.notebook`` sets when imported (so the core imports no drawing code)."""
        return None if DISPLAY is None else DISPLAY(self)


DISPLAY: Callable[[Any], str | None] | None = None
"""How Jupyter draws a Value: set by ``autograd.draw.notebook`` on import."""


class MicrogradNames:
    """micrograd's names for a node's inputs and op, for code written against micrograd."""

    __slots__ = ()

    @property
    def _prev(self: _Node) -> set[Value]:
        """micrograd's name for the inputs, as a set (``inputs`` keeps order and repeats)."""
        return set(self.inputs)

    @property
    def _op(self: _Node) -> str:
        """micrograd's name: the op's symbol ("+", "×", "tanh", "^2"...); "" for a leaf."""
        rule = self.rule
        return "" if rule is None else rule.symbol


def label_of(v: Value, who: str) -> str:
    """``v.label``, which must be a str: ``Value()`` checks it, but ``v.label = ...`` is a
    plain write, so what reads labels (drawings, ``explain``, ``compile``) checks it too."""
    label = v.label
    if not isinstance(label, str):
        kind = f"a {v.op} node" if v.inputs else "a leaf"
        raise TypeError(f"{who}: the label of {kind} must be a str, got "
                        f"{type(label).__name__} {label!r:.40} ('' for no label)")
    return label
