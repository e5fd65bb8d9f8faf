"""Value: one float in a computation graph, and the operators that grow the graph.

Every operator looks its rule up in the op table (``autograd.ops``): a new node keeps the op
and its inputs, nothing else. In particular no closure captures the output, so a graph holds
no reference cycle and is freed by reference counting the moment it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from operator import attrgetter
from typing import TYPE_CHECKING, Any, SupportsFloat, SupportsIndex

from autograd import ops
from autograd._floats import overflowed as _overflowed
from autograd._numbers import describe_large, real_number
from autograd.interop import AsNumber, MicrogradNames
from autograd.ops import Op

_GRAD_ENABLED: ContextVar[Any] = ContextVar("chainrule_grad_enabled", default=True)
"""False inside ``no_grad()``; inside ``tape()``, the Tape that records each new node (a true
value). A ContextVar, so threads and asyncio tasks each see their own."""

_recording = _GRAD_ENABLED.get


def _describe(x: object) -> str:
    text = repr(x)
    return f"{type(x).__name__} {text[:40] + '...' if len(text) > 40 else text}"


def _to_float(x: object, where: str) -> float:
    """A real number as a float (numpy's scalars too; see ``autograd._numbers``)."""
    try:
        number = real_number(x)
    except OverflowError:
        raise OverflowError(f"{where}: {describe_large(x)} is too large for a float") from None
    if number is None:
        raise TypeError(f"{where}: expected an int or a float, got {_describe(x)}")
    return number


class Value(AsNumber, MicrogradNames):
    """A scalar that remembers how it was computed, so its gradient can be found.

    ``data`` is the number, ``grad`` the derivative of the last ``backward()``'s output with
    respect to it (a float; a Value after ``backward(create_graph=True)``), ``label`` a name
    for drawings, ``inputs`` the operands in order (empty for a leaf) and ``op`` the op's name
    (``""`` for a leaf).

    ``Value(data)`` takes any real number, as ``float()`` would: int, float, numpy's scalars,
    ``Fraction``... (a bool, complex, str, None, array or Value is a ``TypeError``).
    Operators ``+ - * / **`` take Values or numbers on either side, with unary ``-`` and
    ``abs()``; methods ``exp log tanh sigmoid relu sqrt sin cos`` give one node each. Each
    looks its rule up in ``autograd.ops.OPS``; an operand outside an op's domain is a
    ``ValueError`` or ``ZeroDivisionError`` naming the op and the operand.

    Out as a number: ``float(v)``, ``f"{v:.3f}"``, and ``< <= > >=``, which compare ``data``
    and give a bool. ``==`` and ``hash`` are identity: a Value is a node of a graph, kept in
    sets and dicts, where two nodes holding one number are still two. So ``v <= w`` and
    ``v >= w`` can both be True while ``v == w`` is False; compare ``v.data == w.data``.
    """

    __slots__ = ("_rule", "data", "grad", "inputs", "label", "op")

    data: float
    label: str
    inputs: tuple[Value, ...]
    op: str
    _rule: Op | None

    if TYPE_CHECKING:
        # To a type checker, reading .grad gives a float and writing takes a float or a Value.
        # It is a float except after backward(create_graph=True), which stores Values; typing
        # that as `float | Value` would fail every `p.data -= lr * p.grad` under mypy --strict.
        # So the everyday read is a float, and `grad_value` reads a create_graph grad, typed
        # and checked. At run time .grad is a plain slot: this block is never executed.
        @property
        def grad(self) -> float: ...
        @grad.setter
        def grad(self, value: float | Value) -> None: ...

    def __init__(self, data: SupportsFloat | SupportsIndex, label: str = "") -> None:
        if type(data) is not float:
            data = _to_float(data, "Value")
        if not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {_describe(label)}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.inputs = ()
        self.op = ""
        self._rule = None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- graph building -----------------------------------------------------------------

    @staticmethod
    def _apply_op(rule: Op, args: Sequence[object]) -> Value:
        """Apply any table op to operands (Values or numbers); used by ``Op.__call__``."""
        if rule.arity is not None and len(args) != rule.arity:
            raise TypeError(f"{rule.name}: takes {rule.arity} operand(s), got {len(args)}")
        inputs = tuple(_lift(a, rule.name) for a in args)
        return _node(rule.forward(*[v.data for v in inputs]), rule, inputs)

    # add, sub and mul compute inline rather than through the table's forward (the same
    # arithmetic and the same overflow check, minus a call): they are most of a graph.
    def __add__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "add")
        r = self.data + o.data
        return _node(_overflowed("add", r, self.data, o.data) if r - r else r, _ADD, (self, o))

    def __radd__(self, other: float) -> Value:
        o = _lift(other, "add")
        r = o.data + self.data
        return _node(_overflowed("add", r, o.data, self.data) if r - r else r, _ADD, (o, self))

    def __sub__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "sub")
        r = self.data - o.data
        return _node(_overflowed("sub", r, self.data, o.data) if r - r else r, _SUB, (self, o))

    def __rsub__(self, other: float) -> Value:
        o = _lift(other, "sub")
        r = o.data - self.data
        return _node(_overflowed("sub", r, o.data, self.data) if r - r else r, _SUB, (o, self))

    def __mul__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "mul")
        r = self.data * o.data
        return _node(_overflowed("mul", r, self.data, o.data) if r - r else r, _MUL, (self, o))

    def __rmul__(self, other: float) -> Value:
        o = _lift(other, "mul")
        r = o.data * self.data
        return _node(_overflowed("mul", r, o.data, self.data) if r - r else r, _MUL, (o, self))

    def __truediv__(self, other: Value | float) -> Value:
        o = other if type(other) is Value else _lift(other, "div")
        return _node(_div(self.data, o.data), _DIV, (self, o))

    def __rtruediv__(self, other: float) -> Value:
        o = _lift(other, "div")
        return _node(_div(o.data, self.data), _DIV, (o, self))

    def __pow__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return _node(_powv(self.data, other.data), _POW_VALUE, (self, other))
        rule = ops.power(other)
        return _node(rule.forward(self.data), rule, (self,))

    def __rpow__(self, other: float) -> Value:
        o = _lift(other, "pow_value")
        return _node(_powv(o.data, self.data), _POW_VALUE, (o, self))

    def __neg__(self) -> Value:
        return _node(-self.data, _NEG, (self,))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _node(abs(self.data), _ABS, (self,))

    def exp(self) -> Value:
        return _node(_exp(self.data), _EXP, (self,))

    def log(self) -> Value:
        return _node(_log(self.data), _LOG, (self,))

    def tanh(self) -> Value:
        return _node(_tanh(self.data), _TANH, (self,))

    def sigmoid(self) -> Value:
        return _node(_sigmoid(self.data), _SIGMOID, (self,))

    def relu(self) -> Value:
        return _node(_relu(self.data), _RELU, (self,))

    def sqrt(self) -> Value:
        return _node(_sqrt(self.data), _SQRT, (self,))

    def sin(self) -> Value:
        return _node(_sin(self.data), _SIN, (self,))

    def cos(self) -> Value:
        return _node(_cos(self.data), _COS, (self,))

    # --- differentiation (the engine does the work) -------------------------------------

    def backward(self, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node in this Value's graph with d(self)/d(node).

        A leaf's grad accumulates across calls until zeroed; a non-leaf's grad shows this
        pass's value. With ``create_graph=True`` the grads are Values, differentiable again.
        """
        from autograd.engine import backward

        backward(self, create_graph=create_graph)

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
_relu = _RELU.forward
_WSUM, _SUM = ops.WSUM, ops.SUM
_get_data = attrgetter("data")
_JUST_VALUE = {Value}


def _node(data: float, rule: Op, inputs: tuple[Value, ...]) -> Value:
    """A new Value computed by ``rule`` from ``inputs``; a bare constant under ``no_grad``."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    recording = _recording()
    if recording:
        out.inputs = inputs
        out.op = rule.name
        out._rule = rule
        if recording is not True:
            recording.record(out)
    else:
        out.inputs = ()
        out.op = ""
        out._rule = None
    return out


def _lift(x: Any, name: str) -> Value:
    """A Value for an operand: itself if it is one, a constant leaf if it is a number (any
    real number: numpy's scalars too)."""
    if isinstance(x, Value):
        return x
    if type(x) is float:
        return Value(x)
    try:
        number = real_number(x)
    except OverflowError:
        raise OverflowError(f"{name}: {describe_large(x)} is too large for a float") from None
    if number is None:
        raise TypeError(f"{name}: operand must be an int, a float or a Value, got {_describe(x)}")
    return Value(number)


def weighted_sum(weights: Sequence[Value | float], inputs: Sequence[Value | float],
                 bias: Value | float) -> Value:
    """``w1*x1 + ... + wn*xn + b`` as ONE node (the notes' N1); inputs are (w..., x..., b).

    Numbers among the operands become constant leaves; anything else is a ``TypeError``.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"wsum: {len(weights)} weight(s) for {len(inputs)} input(s)")
    args = (*weights, *inputs, bias)
    if _JUST_VALUE.issuperset(map(type, args)):
        return wsum_node(args)  # type: ignore[arg-type]  # all Values: just checked
    return wsum_node(tuple(_lift(a, "wsum") for a in args))  # numbers become constants


def wsum_node(args: tuple[Value, ...]) -> Value:
    """The wsum node for ``args = (w1..wn, x1..xn, b)``, all of them already Values.

    The unchecked core of ``weighted_sum``, for layer code that has checked its operands
    once (``mlp.Layer`` calls it once per neuron on every forward pass). An operand without
    ``.data`` still gets a ``TypeError``; the count must be odd.
    """
    try:
        data = _WSUM.forward(*map(_get_data, args))  # checks the count and for overflow
    except AttributeError:
        bad = next(a for a in args if not isinstance(a, Value))
        raise TypeError(f"wsum: operand must be a Value, got {_describe(bad)}") from None
    return _node(data, _WSUM, args)


def total(values: Iterable[Value | float]) -> Value:
    """``x1 + ... + xn`` as ONE node (n-ary, so a long sum is not a long chain).

    An empty sum is ``Value(0.0)``, a constant, as Python's ``sum([])`` is 0.
    """
    args = tuple(_lift(v, "sum") for v in values)
    if not args:
        return Value(0.0)
    return _node(_SUM.forward(*[a.data for a in args]), _SUM, args)
