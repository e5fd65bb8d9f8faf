"""Value: one float in a computation graph, and the operators that grow the graph.

Every operator looks its rule up in the op table (``autograd.ops``): a new node keeps the op
and its inputs, nothing else. In particular no closure captures the output, so a graph holds
no reference cycle and is freed by reference counting the moment it is dropped.

Writing a Value's ``data`` is noticed. Each write moves a clock (``_writes``), and every Value
keeps in ``_stamp`` the clock's reading when it was made or last written. A node whose inputs
were written after it was made would give partials that mix two points, so backward refuses
it (``autograd.engine``); as long as the clock has not moved since a node was made, nothing
needs checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any, SupportsFloat, SupportsIndex

from autograd import ops
from autograd._floats import overflowed as _overflowed
from autograd._numbers import named_real
from autograd.interop import AsNumber, MicrogradNames
from autograd.ops import Op
from autograd.torch_names import TorchNames

_GRAD_ENABLED: ContextVar[bool] = ContextVar("chainrule_grad_enabled", default=True)
"""False inside ``no_grad()``. A ContextVar, so threads and asyncio tasks each see their own."""

_recording = _GRAD_ENABLED.get

_writes = 0
"""How many times a Value's ``data`` has been written: the clock of every ``_stamp``."""
_STALE = float("inf")
"""The ``_stamp`` of a computed node whose own data was written: later than every node, so
no gradient flows through it any more (its data no longer follows from its inputs)."""


def _describe(x: object) -> str:
    text = repr(x)
    return f"{type(x).__name__} {text[:40] + '...' if len(text) > 40 else text}"


def _to_float(x: object, where: str) -> float:
    """A real number as a float (numpy's scalars too; see ``autograd._numbers``)."""
    number = named_real(x, where)
    if number is None:
        raise TypeError(f"{where}: expected a real number (int, float, ...), got {_describe(x)}")
    return number


def _data_to_float(x: object) -> float:
    """What ``Value.data = x`` stores: ``x`` as a float, or the reason it is not a number."""
    if isinstance(x, Value):  # micrograd's step after backward(create_graph=True), typically
        raise TypeError(f"Value.data: expected a real number "
                        f"(int, float, ...), got {_describe(x)}: after "
                        "backward(create_graph=True) a grad is a Value; step by its number, "
                        "p.grad_value.data, or call backward() without create_graph")
    return _to_float(x, "Value.data")


def _grad_to_store(x: object) -> Any:
    """What ``Value.grad = x`` stores: a Value as it is, None as 0.0, a number as a float."""
    if x is None:
        return 0.0
    if isinstance(x, Value):
        return x
    number = named_real(x, "Value.grad")
    if number is None:
        raise TypeError("Value.grad: expected a real number (int, float, ...), a Value or "
                        f"None, got {_describe(x)}")
    return number


class Value(AsNumber, MicrogradNames, TorchNames):
    """A scalar that remembers how it was computed, so its gradient can be found.

    ``data`` is the number, ``grad`` the derivative of the last ``backward()``'s output with
    respect to it (a float; a Value after ``backward(create_graph=True)``), ``label`` a name
    for drawings, ``inputs`` the operands in order (empty for a leaf) and ``op`` the op's name
    (``""`` for a leaf).

    ``Value(data)`` takes any real number, as ``float()`` would: int, float, numpy's scalars,
    ``Fraction``... (a bool, complex, str, None, array or Value is a ``TypeError``).
    Operators ``+ - * / **`` take Values or numbers on either side, with unary ``-`` and
    ``abs()``; methods ``exp log tanh sigmoid relu sqrt sin cos`` and PyTorch's names
    (``log1p tan gelu clamp atan2 % ...``, in ``autograd.torch_names``) give one node each. Each
    looks its rule up in ``autograd.ops.OPS``; an operand outside an op's domain is a
    ``ValueError`` or ``ZeroDivisionError`` naming the op and the operand.

    Out as a number: ``float(v)``, ``f"{v:.3f}"``, and ``< <= > >=``, which compare ``data``
    and give a bool. ``==`` and ``hash`` are identity: a Value is a node of a graph, kept in
    sets and dicts, where two nodes holding one number are still two. So ``v <= w`` and
    ``v >= w`` can both be True while ``v == w`` is False; compare ``v.data == w.data``.
    """

    __slots__ = ("_data", "_grad", "_rule", "_stamp", "inputs", "label")

    _data: float
    _stamp: float
    _grad: Any
    """The slot behind ``grad``: the engine reads and writes it directly (no check, no
    property call on the hot path); users go through ``grad``."""
    label: str
    inputs: tuple[Value, ...]
    _rule: Op | None

    def __init__(self, data: SupportsFloat | SupportsIndex, label: str = "") -> None:
        if type(data) is not float:
            data = _to_float(data, "Value")
        if not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {_describe(label)}")
        self._data = data
        self._stamp = _writes
        self._grad = 0.0
        self.label = label
        self.inputs = ()
        self._rule = None

    @property
    def grad(self) -> float:
        """d(output)/d(self) from the last ``backward()``: a float, 0.0 until a pass reaches
        this Value. After ``backward(create_graph=True)`` it holds a Value (read it typed as
        one with ``grad_value``); typed as a float, so ``p.data -= lr * p.grad`` checks.

        Write a real number or a Value; ``None`` means "no gradient yet" and is stored as 0.0
        (PyTorch's ``p.grad = None`` idiom for zeroing), so the next backward simply writes
        its gradient. Anything else (a str, a bool, a list) is a ``TypeError``."""
        return self._grad  # type: ignore[no-any-return]

    @grad.setter
    def grad(self, value: float | Value | None) -> None:
        if type(value) is not float:
            value = _grad_to_store(value)
        self._grad = value

    @property
    def op(self) -> str:
        """The name of the op that computed this Value (``"mul"``, ``"wsum"``); ``""`` for a
        leaf. Read from its rule in the op table, so a node stores one field fewer."""
        rule = self._rule
        return "" if rule is None else rule.name

    @property
    def data(self) -> float:
        """The number. Write a leaf's (``p.data -= lr * p.grad``) freely; a graph recorded
        before the write then refuses ``backward()`` until the forward pass runs again."""
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        if type(value) is not float:  # a number as Value() takes one, kept a plain float
            value = _data_to_float(value)
        global _writes  # noqa: PLW0603 (the one clock every node reads)
        _writes += 1
        self._data = value
        self._stamp = _STALE if self.inputs else _writes

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self._data!r}, grad={self.grad!r}{label})"

    def _repr_svg_(self) -> str | None:
        """Jupyter's display: the drawing of a small graph, else None (the plain repr). The
        drawing code (and graphviz) is imported only when a notebook asks; see
        ``autograd.draw.notebook``."""
        from autograd.draw.notebook import value_svg

        return value_svg(self)

    # --- graph building -----------------------------------------------------------------

    @staticmethod
    def _apply_op(rule: Op, args: Sequence[object]) -> Value:
        """Apply any table op to operands (Values or numbers); used by ``Op.__call__``."""
        if rule.arity is not None and len(args) != rule.arity:
            raise TypeError(f"{rule.name}: takes {rule.arity} operand(s), got {len(args)}")
        inputs = tuple(_lift(a, rule.name) for a in args)
        return _node(rule.forward(*[v._data for v in inputs]), rule, inputs)

    # add, sub, mul and relu compute inline rather than through the table's forward (the same
    # arithmetic and the same overflow check, minus a call): they are most of a graph.
    def __add__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "add")
        r = self._data + o._data
        return _node(_overflowed("add", r, self._data, o._data) if r - r else r, _ADD, (self, o))

    def __radd__(self, other: float) -> Value:
        o = _lift(other, "add")
        r = o._data + self._data
        return _node(_overflowed("add", r, o._data, self._data) if r - r else r, _ADD, (o, self))

    def __sub__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "sub")
        r = self._data - o._data
        return _node(_overflowed("sub", r, self._data, o._data) if r - r else r, _SUB, (self, o))

    def __rsub__(self, other: float) -> Value:
        o = _lift(other, "sub")
        r = o._data - self._data
        return _node(_overflowed("sub", r, o._data, self._data) if r - r else r, _SUB, (o, self))

    def __mul__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "mul")
        r = self._data * o._data
        return _node(_overflowed("mul", r, self._data, o._data) if r - r else r, _MUL, (self, o))

    def __rmul__(self, other: float) -> Value:
        o = _lift(other, "mul")
        r = o._data * self._data
        return _node(_overflowed("mul", r, o._data, self._data) if r - r else r, _MUL, (o, self))

    def __truediv__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "div")
        return _node(_div(self._data, o._data), _DIV, (self, o))

    def __rtruediv__(self, other: float) -> Value:
        o = _lift(other, "div")
        return _node(_div(o._data, self._data), _DIV, (o, self))

    def __pow__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return _node(_powv(self._data, other._data), _POW_VALUE, (self, other))
        rule = ops.power(other)
        return _node(rule.forward(self._data), rule, (self,))

    def __rpow__(self, other: float) -> Value:
        o = _lift(other, "pow_value")
        return _node(_powv(o._data, self._data), _POW_VALUE, (o, self))

    def __neg__(self) -> Value:
        return _node(-self._data, _NEG, (self,))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _node(abs(self._data), _ABS, (self,))

    def exp(self) -> Value:
        return _node(_exp(self._data), _EXP, (self,))

    def log(self) -> Value:
        return _node(_log(self._data), _LOG, (self,))

    def tanh(self) -> Value:
        return _node(_tanh(self._data), _TANH, (self,))

    def sigmoid(self) -> Value:
        return _node(_sigmoid(self._data), _SIGMOID, (self,))

    def relu(self) -> Value:
        a = self._data
        return _node(0.0 if a <= 0 else a, _RELU, (self,))  # NaN stays NaN, as in the table

    def sqrt(self) -> Value:
        return _node(_sqrt(self._data), _SQRT, (self,))

    def sin(self) -> Value:
        return _node(_sin(self._data), _SIN, (self,))

    def cos(self) -> Value:
        return _node(_cos(self._data), _COS, (self,))

    # --- differentiation (the engine does the work) -------------------------------------

    def backward(self, create_graph: bool = False, *, gradient: float | None = None) -> None:
        """Fill ``.grad`` of every node in this Value's graph with d(self)/d(node).

        ``gradient=k`` (PyTorch's name) seeds the pass with d(L)/d(self) = k instead of 1, so
        every node gets k · d(self)/d(node): the step of a chain rule whose outer factor was
        computed elsewhere. Keyword-only: chainrule's first positional is ``create_graph``.

        A leaf's grad accumulates across calls until zeroed; a non-leaf's grad shows this
        pass's value. A pass is all or nothing: if it raises, every ``.grad`` is as it was.
        A graph whose data was written after it was recorded raises ``RuntimeError``. Passes
        from several threads run one at a time (``grad()``, which writes no ``.grad``, runs
        in parallel).

        With ``create_graph=True`` the grads are Values, differentiable again. They refer back
        to the graph (a leaf's grad holds the leaf), so the graph then has reference cycles
        and is freed by Python's cycle collector, not the moment it is dropped. To
        differentiate again without cycles, use ``grad(y, xs, create_graph=True)``: it
        returns the derivative Values and stores none.
        """
        from autograd.engine import backward

        backward(self, create_graph=create_graph, gradient=gradient)

    def detach(self) -> Value:
        """A new leaf holding this Value's number and label, cut from the graph (PyTorch's
        ``detach()``): nothing flows back through it. A copy, not a view: writing its data
        leaves this Value as it was."""
        return Value(self._data, self.label)

    def item(self) -> float:
        """The number, as a float (PyTorch's ``item()``; the same as ``float(v)``, ``v.data``)."""
        return self._data

    def __int__(self) -> int:
        """``int(v)`` is ``int(v.data)``: truncated toward zero, as for a float."""
        return int(self._data)

    @property
    def grad_value(self) -> Value:
        """``.grad`` as a Value, typed as one: what ``backward(create_graph=True)`` leaves there,
        to differentiate again. A float grad (an ordinary ``backward()``'s, or none yet) is a
        ``TypeError``: there is no graph behind it to differentiate."""
        g: object = self.grad
        if not isinstance(g, Value):
            raise TypeError(f"grad_value: this node's grad is a {type(g).__name__}, not a Value; "
                            "call backward(create_graph=True) first, or use grad(..., "
                            "create_graph=True)")
        return g

    def backward_step(self) -> None:
        """One step of the chain rule, at this node only: ``inp.grad += partial * self.grad``
        for each input (nothing for a leaf). A teaching API, and micrograd's ``_backward()``.

        ``backward()`` is these steps over the whole graph, output first: set
        ``root.grad = 1.0``, then call ``backward_step()`` on every computed node in reverse
        topological order, and the grads are backward()'s. Each call adds, as ``+=`` does, so
        a node stepped twice passes its grad on twice. On float grads (first order).
        """
        if not self.inputs:
            return
        if isinstance(self.grad, Value):
            raise TypeError("backward_step: this node's grad is a Value (from "
                            "backward(create_graph=True)); the step works on float grads")
        from autograd.engine import propagate

        propagate([self])

    _backward = backward_step


_new = Value.__new__
_ADD, _SUB, _MUL, _DIV, _NEG = ops.ADD, ops.SUB, ops.MUL, ops.DIV, ops.NEG
_EXP, _LOG, _TANH, _SIGMOID, _RELU = ops.EXP, ops.LOG, ops.TANH, ops.SIGMOID, ops.RELU
_SQRT, _SIN, _COS, _ABS, _POW_VALUE = ops.SQRT, ops.SIN, ops.COS, ops.ABS, ops.POW_VALUE
_div, _exp, _log, _tanh, _sigmoid = _DIV.forward, _EXP.forward, _LOG.forward, _TANH.forward, \
    _SIGMOID.forward
_sqrt, _sin, _cos, _powv = _SQRT.forward, _SIN.forward, _COS.forward, _POW_VALUE.forward


def _node(data: float, rule: Op, inputs: tuple[Value, ...]) -> Value:
    """A new Value computed by ``rule`` from ``inputs``; a bare constant under ``no_grad``."""
    out = _new(Value)
    out._data = data
    out._stamp = _writes
    out._grad = 0.0
    out.label = ""
    if _recording():
        out.inputs = inputs
        out._rule = rule
    else:
        out.inputs = ()
        out._rule = None
    return out


def _lift(x: Any, name: str) -> Value:
    """A Value for an operand: itself if it is one, a constant leaf if it is a number (any
    real number: numpy's scalars too)."""
    if isinstance(x, Value):
        return x
    if type(x) is float:
        return Value(x)
    number = named_real(x, name)
    if number is None:
        raise TypeError(f"{name}: operand must be a real number "
                        f"(int, float, ...) or a Value, got {_describe(x)}")
    return Value(number)
