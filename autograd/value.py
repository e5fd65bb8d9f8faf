"""Value: one float in a computation graph, and the operators that grow the graph.

Every operator is one line: it looks its rule up in the op table (``autograd.ops``) and makes a
node that keeps the rule and its inputs, nothing else (``_apply``). In particular no closure
captures the output, so a graph holds no reference cycle and is freed by reference counting the
moment it is dropped. ``backward()`` hands the graph to the engine (``autograd.engine``).

Writing a Value's ``data`` is noticed. Each write moves a clock (``_writes``), and every Value
keeps in ``_stamp`` the clock's reading when it was made or last written. A node whose inputs
were written after it was made would give partials that mix two points, so ``check_recorded``
refuses it, and with it ``backward()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, SupportsFloat, SupportsIndex

from autograd import engine, ops
from autograd.engine import is_grad_enabled
from autograd.interop import AsNumber, InNotebook, MicrogradNames
from autograd.ops import Op
from autograd.reals import data_number, describe, grad_number, named_real, seed_number, to_float
from autograd.torch_names import TorchNames

_writes = 0
"""How many times a Value's ``data`` has been written: the clock of every ``_stamp``."""
_grad_overridden = False
"""Whether some subclass of Value has a ``grad`` property of its own: only then do the reads and
writes of many grads at once (``grads_of``, ``set_grads``) look for one to go through."""
_STALE = float("inf")
"""The ``_stamp`` of a computed node whose own data was written: later than every node, so
no gradient flows through it any more (its data no longer follows from its inputs)."""


class Value(AsNumber, MicrogradNames, TorchNames, InNotebook):
    """A scalar that remembers how it was computed, so its gradient can be found.

    ``data`` is the number, ``grad`` the derivative of the last ``backward()``'s output with
    respect to it (a float; a Value after ``backward(create_graph=True)``), ``label`` a name
    for drawings, ``inputs`` the operands in order (empty for a leaf) and ``op`` the op's name
    (``""`` for a leaf).

    ``Value(data)`` takes any real number, as ``float()`` would (numpy's scalars too; a bool,
    complex, str, None, array or Value is a ``TypeError``). Operators ``+ - * / **``, unary
    ``-`` and ``abs()`` take Values or numbers on either side; methods ``exp log tanh sigmoid
    relu sqrt sin cos`` and PyTorch's names (``autograd.torch_names``) give one node each, by
    their entry in ``autograd.ops.OPS``. ``float(v)``, ``f"{v:.3f}"`` and ``< <= > >=`` read
    ``data``; ``==`` and ``hash`` are identity, as nodes of a graph (``autograd.interop``).
    """

    __slots__ = ("_data", "_grad", "_stamp", "inputs", "label", "rule")

    _data: float
    _stamp: float
    _grad: Any
    label: str
    inputs: tuple[Value, ...]
    rule: Op | None
    """The op-table entry that computed this Value from its inputs; None for a leaf."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.grad is not Value.grad:  # a grad property of its own: see _grad_overridden
            global _grad_overridden  # noqa: PLW0603
            _grad_overridden = True

    def __init__(self, data: SupportsFloat | SupportsIndex, label: str = "") -> None:
        if type(data) is not float:
            data = to_float(data, "Value")
        if type(label) is not str and not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {describe(label)}")
        self._data = data
        self._stamp = _writes
        self._grad = 0.0
        self.label = label
        self.inputs = ()
        self.rule = None

    @property
    def grad(self) -> float:
        """d(output)/d(self) from the last ``backward()``: a float, 0.0 until a pass reaches
        this Value (a Value after ``backward(create_graph=True)``: read it as one with
        ``grad_value``). Write a number or a Value; ``None`` is stored as 0.0 (PyTorch's
        ``p.grad = None``); anything else is a ``TypeError``."""
        return self._grad  # type: ignore[no-any-return]

    @grad.setter
    def grad(self, value: float | Value | None) -> None:
        if type(value) is not float:
            value = grad_number(value)
        self._grad = value

    @property
    def op(self) -> str:
        """The name of the op that computed this Value (``"mul"``, ``"wsum"``); ``""`` for a
        leaf. Read from its rule in the op table, so a node stores one field fewer."""
        rule = self.rule
        return "" if rule is None else rule.name

    @property
    def data(self) -> float:
        """The number. Write a leaf's (``p.data -= lr * p.grad``) freely; a graph recorded
        before the write then refuses ``backward()`` until the forward pass runs again."""
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        if type(value) is not float:  # a number as Value() takes one, kept a plain float
            value = data_number(value)
        global _writes  # noqa: PLW0603 (the one clock every node reads)
        _writes += 1
        self._data = value
        self._stamp = _STALE if self.inputs else _writes

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self._data!r}, grad={self.grad!r}{label})"

    @staticmethod
    def constant(x: float) -> Value:
        """``Value(x)``: the constants the engine makes (a grad, with ``create_graph``)."""
        return Value(x)

    @staticmethod
    def grads_of(values: Sequence[Value]) -> list[Any]:
        """``[v.grad for v in values]`` without a property call per Value (backward, optimizers);
        a subclass's own ``grad`` property, if it has one, is read through."""
        if _grad_overridden and not _JUST_VALUES.issuperset(map(type, values)):
            return [v.grad for v in values]
        return [v._grad for v in values]

    @staticmethod
    def set_grads(values: Sequence[Value], grads: Sequence[Any]) -> None:
        """``v.grad = g`` for each pair, unchecked (a pass's grads, zero_grad's 0.0s), without
        a property call per Value; a subclass's own ``grad`` property, if any, is written
        through."""
        if _grad_overridden and not _JUST_VALUES.issuperset(map(type, values)):
            for v, g in zip(values, grads, strict=True):
                v.grad = g
        else:
            for v, g in zip(values, grads, strict=True):
                v._grad = g

    # --- graph building: each operator one node, its rule from the table ---------------

    @staticmethod
    def apply_op(rule: Op, args: Sequence[object]) -> Value:
        """Apply any table op to operands (Values or numbers); ``Op.__call__`` calls this when
        an operand is a Value, so the table's rules work on Values and floats alike."""
        if rule.arity is not None and len(args) != rule.arity:
            raise TypeError(f"{rule.name}: takes {rule.arity} operand(s), got {len(args)}")
        return _apply(rule, tuple(args))

    def __add__(self, other: Value | float) -> Value:
        return _apply(ops.ADD, (self, other))

    def __radd__(self, other: float) -> Value:
        return _apply(ops.ADD, (other, self))

    def __sub__(self, other: Value | float) -> Value:
        return _apply(ops.SUB, (self, other))

    def __rsub__(self, other: float) -> Value:
        return _apply(ops.SUB, (other, self))

    def __mul__(self, other: Value | float) -> Value:
        return _apply(ops.MUL, (self, other))

    def __rmul__(self, other: float) -> Value:
        return _apply(ops.MUL, (other, self))

    def __truediv__(self, other: Value | float) -> Value:
        return _apply(ops.DIV, (self, other))

    def __rtruediv__(self, other: float) -> Value:
        return _apply(ops.DIV, (other, self))

    def __pow__(self, other: Value | float) -> Value:
        """``x ** y`` for a Value y is the op pow_value; ``x ** n`` for a number n is the op
        ``power(n)``, with the exponent part of the op (so ``x ** 2`` is drawn "^2")."""
        if isinstance(other, Value):
            return _apply(ops.POW_VALUE, (self, other))
        return _apply(ops.power(other), (self,))

    def __rpow__(self, other: float) -> Value:
        return _apply(ops.POW_VALUE, (other, self))

    def __neg__(self) -> Value:
        return _apply(ops.NEG, (self,))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _apply(ops.ABS, (self,))

    def exp(self) -> Value:
        return _apply(ops.EXP, (self,))

    def log(self) -> Value:
        return _apply(ops.LOG, (self,))

    def tanh(self) -> Value:
        return _apply(ops.TANH, (self,))

    def sigmoid(self) -> Value:
        return _apply(ops.SIGMOID, (self,))

    def relu(self) -> Value:
        return _apply(ops.RELU, (self,))

    def sqrt(self) -> Value:
        return _apply(ops.SQRT, (self,))

    def sin(self) -> Value:
        return _apply(ops.SIN, (self,))

    def cos(self) -> Value:
        return _apply(ops.COS, (self,))

    # --- differentiation (the engine does the work) -------------------------------------

    def backward(self, create_graph: bool = False, *, gradient: float | None = None) -> None:
        """Fill ``.grad`` of every node in this Value's graph with d(self)/d(node).

        ``gradient=k`` (PyTorch's name, keyword-only) seeds the pass with d(L)/d(self) = k, so
        every node gets k · d(self)/d(node). A leaf's grad accumulates across calls until
        zeroed; a non-leaf's shows this pass. All or nothing: if the pass raises, every
        ``.grad`` is as it was; a graph whose data was written after it was recorded raises
        ``RuntimeError``; passes run one at a time (``grad()``, which stores nothing, does not
        wait). With ``create_graph=True`` the grads are Values, differentiable again; they
        refer back to the graph, which then has reference cycles and is freed by the cycle
        collector (``grad(y, xs, create_graph=True)`` stores none and makes no cycle).
        """
        engine.check_flag(create_graph, "backward")
        seed = 1.0 if gradient is None else seed_number(gradient, "backward", "gradient")
        engine.backward(self, create_graph, seed)

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
        ``root.grad = 1.0``, then call ``backward_step()`` on every node of
        ``backward_order(root)``, and the grads are backward()'s. Each call adds, as ``+=`` does, so
        a node stepped twice passes its grad on twice. On float grads (first order).
        """
        g = self.grad
        if isinstance(g, Value):
            raise TypeError("backward_step: this node's grad is a Value (from "
                            "backward(create_graph=True)); the step works on float grads")
        if not self.inputs or g == 0.0:
            return  # a leaf has no inputs; from a grad of 0, nothing flows back
        self.check_recorded("backward_step")
        for x, partial in zip(self.inputs, engine.local_partials(self), strict=True):
            x.grad += partial * g

    def input_data(self) -> list[float]:
        """The numbers of this node's inputs, in order: what its partials are evaluated at."""
        return data_of_all(self.inputs)

    def check_recorded(self, who: str) -> None:
        """Raise ``RuntimeError`` if this node's data, or an input's, was written after this
        node was computed: its partials would then mix the point it was recorded at with a
        new one. (While the clock has not moved since the node was made, nothing can have.)"""
        made = self._stamp
        if made == _writes:
            return
        for i, v in enumerate((self, *self.inputs)):
            if v._stamp == _STALE:
                raise RuntimeError(
                    f"{who}: the data of {_name(v)} was set by hand after it was computed, so "
                    "no gradient flows through it (its data no longer follows from its "
                    "inputs); run the forward pass again")
            if v._stamp > made:
                raise RuntimeError(
                    f"{who}: the data of {_name(v)} (operand {i} of {self.op}) was changed "
                    "after the graph was recorded, so its gradient would mix two points; run "
                    "the forward pass again (e.g. a new loss after optimizer.step())")

    _backward = backward_step


def _apply(rule: Op, operands: tuple[object, ...]) -> Value:
    """The node ``rule(operands)``: its data from the table's forward rule, and, while graphs
    are recorded, its rule and inputs (under ``no_grad()`` a plain constant)."""
    if not _JUST_VALUES.issuperset(map(type, operands)):  # numbers among them: constants
        operands = tuple(x if isinstance(x, Value) else _lift(x, rule.name) for x in operands)
    out = Value(rule.forward(*[x._data for x in operands]))  # type: ignore[attr-defined]
    if is_grad_enabled():
        out.inputs = operands  # type: ignore[assignment]  # all Values by now
        out.rule = rule
    return out


_JUST_VALUES = frozenset({Value})


def _lift(x: object, name: str) -> Value:
    """A number operand as a constant leaf (any real number: numpy's scalars too)."""
    number = named_real(x, name)
    if number is None:
        raise TypeError(f"{name}: operand must be a real number "
                        f"(int, float, ...) or a Value, got {describe(x)}")
    return Value(number)


def _name(v: Value) -> str:
    if v.label:
        return repr(v.label)
    return f"a {v.op} node" if v.inputs else "an unlabelled leaf"


def data_of_all(values: Iterable[Value]) -> list[float]:
    """``[v.data for v in values]``, read straight from each Value (no property call): the
    engine reads every node's inputs, a compiled program every parameter, at every step."""
    return [v._data for v in values]


def write_data(values: Sequence[Value], numbers: Sequence[float]) -> None:
    """``v.data = x`` for each pair, as ONE write of the clock: an optimizer's step writes every
    parameter at once. The numbers must be floats and each Value listed once; the checks are
    the caller's (``autograd.write.subtract_data``)."""
    global _writes  # noqa: PLW0603 (the one clock every node reads)
    _writes += 1
    for v, x in zip(values, numbers, strict=True):
        v._data = x
        v._stamp = _STALE if v.inputs else _writes
