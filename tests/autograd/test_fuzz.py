"""Fuzzed bad input: any float as data, any Python object as an operand.

Only the documented exceptions may come out (TypeError, ValueError, ZeroDivisionError,
OverflowError), an error raised by an op names that op, and nothing that comes back is
complex (or any type but float).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad
from autograd.ops import OPS, Op, clamp, power
from autograd.testing import CLAMP_BOUNDS, EXPONENTS, Expression, expressions

DOCUMENTED = (TypeError, ValueError, ZeroDivisionError, OverflowError)

SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, -5e-324, 1e-308, 1e308, -1e308,
           709.8, -745.2, 1.0, -1.0]
any_float = st.sampled_from(SPECIAL) | st.floats(allow_nan=True, allow_infinity=True)

any_object = st.one_of(
    any_float,
    st.integers() | st.sampled_from([10**400, -(10**400)]),
    st.none(), st.booleans(), st.complex_numbers(), st.text(max_size=5), st.binary(max_size=5),
    st.decimals(), st.fractions(), st.lists(st.integers(), max_size=3),
    st.tuples(st.floats()), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.builds(object), st.just(Ellipsis), st.just(NotImplemented), st.just(print),
)

BINARY: list[Callable[[Any, Any], Any]] = [
    operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
]


def table_ops() -> list[Op]:
    """Every applicable op: the table, with the pow and clamp families as drawn members."""
    family = [power(n) for n in EXPONENTS] + [clamp(*bounds) for bounds in CLAMP_BOUNDS]
    return [op for op in OPS.values() if op.name not in ("pow", "clamp")] + family


def expect_real(result: Any) -> None:
    assert isinstance(result, Value), f"expected a Value, got {type(result).__name__}"
    assert type(result.data) is float


def expect_real_grads(y: Value, leaves: list[Value], order: int) -> None:
    """d y / d leaf (and, at order 2, the second partials) are floats, or a documented error."""
    try:
        if order == 1:
            grads: list[Any] = grad(y, leaves)
        else:
            grads = [g for d in grad(y, leaves, create_graph=True) for g in grad(d, leaves)]
    except DOCUMENTED:
        return
    assert all(type(g) is float for g in grads)


# --- any float as data --------------------------------------------------------------------


@settings(max_examples=200)
@given(x=any_float)
def test_any_float_is_kept_exactly_as_data(x: float) -> None:
    v = Value(x)
    assert type(v.data) is float
    assert v.data == x or (math.isnan(x) and math.isnan(v.data))


def op_id(op: Op) -> str:
    return op.name if op.param is None else f"{op.name}{op.param}"


@pytest.mark.parametrize("op", table_ops(), ids=op_id)
@settings(max_examples=100)
@given(data=st.data())
def test_every_op_on_any_floats_gives_a_real_or_a_documented_error(op: Op,
                                                                   data: st.DataObject) -> None:
    n = op.arity if op.arity is not None else data.draw(st.sampled_from([1, 3, 5]))
    leaves = [Value(data.draw(any_float)) for _ in range(n)]
    try:
        y = op(*leaves)
    except DOCUMENTED as err:
        assert op.name in str(err), f"the error does not name the op: {err!r}"
        return
    expect_real(y)
    expect_real_grads(y, leaves, order=1)
    expect_real_grads(y, leaves, order=2)


@settings(max_examples=60)
@given(expressions(), st.lists(any_float, min_size=3, max_size=3))
def test_random_expressions_at_any_floats_give_reals_or_documented_errors(
        case: tuple[Expression, list[float]], xs: list[float]) -> None:
    f, inputs = case
    leaves = [Value(x) for x in xs[: len(inputs)]]
    try:
        y = f(*leaves)
    except DOCUMENTED:
        return
    expect_real(y)
    expect_real_grads(y, leaves, order=1)
    expect_real_grads(y, leaves, order=2)


# --- any object as an operand ---------------------------------------------------------------


@settings(max_examples=150)
@given(obj=any_object, x=any_float)
def test_operators_with_any_object_give_a_value_or_a_documented_error(obj: Any,
                                                                       x: float) -> None:
    v = Value(x)
    for op in BINARY:
        for args in ((v, obj), (obj, v)):
            try:
                result = op(*args)
            except DOCUMENTED:
                continue
            expect_real(result)


@settings(max_examples=60)
@given(obj=any_object, x=any_float)
def test_table_ops_with_any_object_beside_a_value_give_a_value_or_an_error(obj: Any,
                                                                          x: float) -> None:
    for op in table_ops():
        n = op.arity if op.arity is not None else 3
        for where in range(n):
            args = [Value(x)] * n
            args[where] = obj
            if n == 1:
                args.append(Value(x))  # a unary op given an extra operand
            try:
                result = op(*args)
            except DOCUMENTED:
                continue
            expect_real(result)


@settings(max_examples=100)
@given(obj=any_object)
def test_value_of_any_object_is_a_float_or_a_type_error(obj: Any) -> None:
    try:
        v = Value(obj)
    except (TypeError, OverflowError):
        return
    assert type(v.data) is float


@pytest.mark.parametrize("obj", [None, "2", 2j, True, [1.0], Value])
def test_non_numbers_are_refused_with_a_type_error(obj: Any) -> None:
    with pytest.raises(TypeError):
        Value(1.0) + obj
    with pytest.raises(TypeError):
        obj * Value(1.0)
    with pytest.raises(TypeError):
        Value(obj)
