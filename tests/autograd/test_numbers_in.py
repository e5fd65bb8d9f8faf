"""Numbers in, like Python's: any real number where chainrule takes one, never a bool or complex.

numpy is used here for real (it is in the test extra), because fakes alone do not prove that
numpy's scalars, arrays and reflected operators behave; the engine itself never imports it.
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, grad, ops
from mlp import MLP, Neuron, fit, losses, optim

NUMPY_REALS = [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8]
BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
}


class OnlyFloat:
    """Not registered anywhere: a number only by its __float__."""

    def __float__(self) -> float:
        return 2.5


class OnlyIndex:
    """Not registered anywhere: a number only by its __index__ (an int, to Python)."""

    def __index__(self) -> int:
        return 3


@pytest.mark.parametrize("x", [np.float32(1.5), np.float64(1.5), np.int64(3), np.uint8(3),
                               np.array(1.5), Fraction(3, 2), Decimal("1.5"), OnlyFloat(),
                               OnlyIndex()], ids=repr)
def test_value_takes_any_real_number_and_keeps_a_plain_float(x: Any) -> None:
    v = Value(x)
    assert type(v.data) is float
    assert v.data == float(x)


@pytest.mark.parametrize("x", [np.bool_(True), True, np.complex128(1), 1j, np.array([1.5]),
                               np.array([[1.0]]), np.array(True), np.array(1j),
                               np.array(Value(1.0), dtype=object), "1.5", None, [1.5],
                               Value(1.0)], ids=repr)
def test_value_refuses_what_is_not_one_real_number(x: Any) -> None:
    with pytest.raises(TypeError, match=r"^Value: expected a real number "
                                        r"\(int, float, \.\.\.\), got "):
        Value(x)


@pytest.mark.parametrize("x", [np.float32(0.1), np.int64(3), Fraction(1, 3), Decimal("0.1"),
                               OnlyFloat(), 3], ids=repr)
def test_writing_data_takes_a_real_number_as_a_plain_float(x: Any) -> None:
    # Was: a float32 written to .data stayed one, so the forward pass ran in float32 (an MLP's
    # output differed from its compiled program's by 2e-8) and save() refused the weight.
    v = Value(1.0)
    v.data = x
    assert type(v.data) is float
    assert v.data == float(x)
    assert type((v * 3.0).data) is float
    assert (v * 3.0).data == float(x) * 3.0


@pytest.mark.parametrize("x", [True, np.bool_(False), 1j, "0.5", None, [1.5], np.array([1.5])],
                         ids=repr)
def test_writing_data_refuses_what_is_not_one_real_number(x: Any) -> None:
    v = Value(1.0)
    with pytest.raises(TypeError, match=r"^Value\.data: expected a real number "
                                        r"\(int, float, \.\.\.\), got "):
        v.data = x
    assert v.data == 1.0
    with pytest.raises(OverflowError, match=r"^Value\.data: an int of 401 digits is too large"):
        v.data = 10**400


def test_a_create_graph_grad_written_to_data_is_refused_with_what_to_do() -> None:
    # Was: micrograd's step after backward(create_graph=True) made p.data a Value, and the next
    # forward pass raised "mul: the result of finite operands ... overflows a float".
    w = Value(2.0)
    (w * w).backward(create_graph=True)
    with pytest.raises(TypeError, match=r"^Value\.data: expected a real number "
                                        r"\(int, float, \.\.\.\), got Value "
                                        r".*backward\(create_graph=True\).*grad_value\.data"):
        w.data -= 0.1 * w.grad
    assert w.data == 2.0


def test_a_finite_number_too_large_for_a_float_is_refused_not_made_inf() -> None:
    with pytest.raises(OverflowError, match=r"^Value: Decimal Decimal\('1E\+400'\) is too large"):
        Value(Decimal("1e400"))
    with pytest.raises(OverflowError, match=r"^mul: an int of 401 digits is too large"):
        Value(1.0) * 10**400
    assert Value(Decimal("Infinity")).data == math.inf  # inf itself is a float, as in float()


@pytest.mark.parametrize("dtype", NUMPY_REALS, ids=lambda t: t.__name__)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_numpy_scalars_on_either_side_of_an_operator_give_a_value(dtype: Any, name: str) -> None:
    f = BINARY[name]
    x = Value(2.0)
    for out, expected in ((f(x, dtype(4)), f(2.0, 4.0)), (f(dtype(4), x), f(4.0, 2.0))):
        assert type(out) is Value  # not a numpy object array holding a Value
        assert type(out.data) is float and out.data == expected
        assert out.op == name and x in out.inputs


def test_the_issues_examples() -> None:
    assert Value(np.float32(1.5)).data == 1.5
    assert (Value(2.0) * np.int64(3)).data == 6.0
    assert (Value(2.0) + np.float32(1)).data == 3.0
    y = np.float64(2) * Value(3.0)
    assert type(y) is Value and y.data == 6.0


def test_numpy_exponents_and_bases() -> None:
    x = Value(3.0)
    square = x ** np.int64(2)
    assert square.data == 9.0 and square.rule is not None and square.rule.param == 2
    assert type(square.rule.param) is int  # drawn "^2", as x ** 2 is
    assert (x ** np.float32(0.5)).data == pytest.approx(math.sqrt(3.0))
    power = np.int64(2) ** x
    assert type(power) is Value and power.data == 8.0
    (d,) = grad(power, [x])
    assert d == pytest.approx(8.0 * math.log(2.0))
    with pytest.raises(TypeError, match=r"^pow: exponent must be a real number "
                                        r"\(int, float, \.\.\.\), got bool"):
        x ** np.bool_(True)  # type: ignore[operator]  # refused by mypy too


def test_the_op_table_called_on_numbers_takes_numpy_scalars() -> None:
    assert ops.TANH(np.float32(0.5)) == math.tanh(0.5)
    assert type(ops.MUL(np.int64(2), np.float32(1.5))) is float
    with pytest.raises(TypeError, match=r"^relu: operand"):
        ops.RELU(np.bool_(False))


def test_an_array_times_a_value_is_a_clear_type_error_not_an_object_array() -> None:
    with pytest.raises(TypeError, match=r"^mul: operand must be a real number "
                                        r"\(int, float, \.\.\.\) or a Value, "
                                        r"got ndarray"):
        np.array([1.0, 2.0]) * Value(2.0)
    with pytest.raises(TypeError, match=r"^add: operand must be .* got ndarray"):
        Value(2.0) + np.array([1.0])


def outcome(compute: Callable[[], Value]) -> tuple[str, float]:
    """The result's data, or the error's type: a numpy operand must give both alike."""
    try:
        return "ok", compute().data
    except (ZeroDivisionError, OverflowError) as e:
        return type(e).__name__, 0.0


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from(sorted(BINARY)),
       st.sampled_from([np.float32, np.float64, np.int64]))
def test_a_numpy_operand_gives_what_its_float_gives(a: float, b: float, name: str,
                                                    dtype: Any) -> None:
    f = BINARY[name]
    other = dtype(b)
    assert outcome(lambda: f(Value(a), other)) == outcome(lambda: f(Value(a), float(other)))
    assert outcome(lambda: f(other, Value(a))) == outcome(lambda: f(float(other), Value(a)))


# --- mlp: inputs and targets ---------------------------------------------------------------


def test_models_take_numpy_arrays_and_give_what_lists_give() -> None:
    model = MLP(2, [3, 1], seed=0)
    row = np.array([0.5, -1.0])
    out, expected = model(row), model([0.5, -1.0])
    assert isinstance(out, Value) and isinstance(expected, Value)
    assert out.data == expected.data
    assert Neuron(2, rng=None)(np.array([np.float32(1), np.int64(2)])).op == "wsum"


@pytest.mark.parametrize(("x", "message"), [
    (np.array(1.0), r"^MLP: x must be a list of numbers or Values, got ndarray"),
    (np.array([[1.0], [2.0]]), r"^MLP: x is a batch of 2 sample\(s\) \(a 2-D input\)"),
    (np.array([True, False]), r"^MLP: x\[0\] must be a real number "
                              r"\(int, float, \.\.\.\) or a Value, got bool"),
    ({"a": 1.0, "b": 2.0}, r"^MLP: x must be a list of numbers or Values, got dict"),
])
def test_models_refuse_arrays_that_are_not_one_row_of_numbers(x: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        MLP(2, [1], seed=0)(x)


def test_losses_take_numpy_targets_and_predictions() -> None:
    preds = [Value(0.5), Value(-2.0)]
    assert losses.mse(np.array([1.0, -1.0]), preds).data == losses.mse([1.0, -1.0], preds).data
    assert losses.hinge(np.array([1, -1]), preds).data == losses.hinge([1, -1], preds).data
    assert losses.mse(np.float32(1.0), Value(0.5)).data == 0.25
    assert losses.mse([np.float32(1.0)], [np.float64(0.5)]).data == 0.25
    with pytest.raises(ValueError, match=r"^hinge: targets must be -1 or 1"):
        losses.hinge(np.array([2, -1]), preds)


def test_fit_trains_on_numpy_arrays_as_on_lists() -> None:
    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    y = [0.0, 1.0, 1.0, 2.0]
    runs = []
    for data, targets in ((X, y), (np.array(X), np.array(y))):
        model = MLP(2, [1], activation=None, seed=1)
        history = fit(model, data, targets, losses.mse, optim.SGD(model.parameters(), lr=0.1),
                      epochs=20, progress=False)
        runs.append((history.loss, model.state_dict()))
    assert runs[0] == runs[1]


def test_sizes_and_counts_take_numpys_ints_but_not_its_bools() -> None:
    # Was: "MLP: nin must be an int, got int64", where numpy's numbers count everywhere else.
    model = MLP(np.int64(2), [np.int32(3), np.int64(1)], seed=0)
    assert [len(layer.neurons) for layer in model.layers] == [3, 1]
    assert type(model.nin) is int
    for bad in (np.bool_(True), True, np.float64(2.0), 2.0):
        with pytest.raises(TypeError, match="MLP: nin must be an int"):
            MLP(bad, [1])  # type: ignore[arg-type]  # refused at run time


def test_a_numpy_bool_count_is_refused_without_numpy_being_asked_for_its_index() -> None:
    # Was, with numpy 2.2: a DeprecationWarning ("np.bool scalars ... interpreted as an index")
    # before the TypeError, operator.index being tried on the bool before it was refused.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="MLP: nin must be an int, got bool"):
            MLP(np.bool_(True), [1])  # type: ignore[arg-type]  # refused at run time
