"""Bad input gets a clear, typed error that names the op and the operand."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autograd import Value, grad, total, weighted_sum


@pytest.mark.parametrize("bad", [True, "1.0", None, 1j, [1.0], Value(1.0)])
def test_value_takes_only_int_or_float(bad: object) -> None:
    with pytest.raises(TypeError, match="Value"):
        Value(bad)  # type: ignore[arg-type]


def test_value_of_a_huge_int_is_an_overflow_error() -> None:
    with pytest.raises(OverflowError, match="Value"):
        Value(10**400)


CASES: list[tuple[type[Exception], str, Callable[[], object]]] = [
    (ValueError, "log", lambda: Value(0.0).log()),
    (ValueError, "log", lambda: Value(-2.0).log()),
    (ValueError, "sqrt", lambda: Value(-1e-9).sqrt()),
    (ValueError, "pow", lambda: Value(-8.0) ** (1 / 3)),
    (ValueError, "pow_value", lambda: Value(-8.0) ** Value(0.5)),
    (ZeroDivisionError, "div", lambda: Value(1.0) / 0),
    (ZeroDivisionError, "div", lambda: 1.0 / Value(0.0)),
    (ZeroDivisionError, "pow", lambda: Value(0.0) ** -1),
    (ZeroDivisionError, "pow_value", lambda: Value(0.0) ** Value(-2.0)),
    (OverflowError, "exp", lambda: Value(710.0).exp()),
    (OverflowError, "pow", lambda: Value(10.0) ** 400),
    (TypeError, "mul", lambda: Value(1.0) * "2"),  # type: ignore[operator]
    (TypeError, "add", lambda: None + Value(1.0)),  # type: ignore[operator]
    (TypeError, "sub", lambda: Value(1.0) - [1]),  # type: ignore[operator]
    (TypeError, "div", lambda: Value(1.0) / 1j),  # type: ignore[operator]
    (TypeError, "mul", lambda: Value(1.0) * True),
    (TypeError, "pow", lambda: Value(2.0) ** "x"),  # type: ignore[operator]
]


@pytest.mark.parametrize(("kind", "op", "action"), CASES)
def test_error_type_and_message_name_the_op(
    kind: type[Exception], op: str, action: Callable[[], object]
) -> None:
    with pytest.raises(kind) as info:
        action()
    assert str(info.value).startswith(f"{op}:")


def test_messages_name_the_operand() -> None:
    with pytest.raises(ValueError, match=r"-2\.0"):
        Value(-2.0).log()
    with pytest.raises(ZeroDivisionError, match=r"3\.0 / 0\.0"):
        Value(3.0) / 0.0
    with pytest.raises(TypeError, match="str"):
        Value(1.0) * "2"  # type: ignore[operator]


def test_no_complex_result_from_a_negative_base() -> None:
    assert (Value(-2.0) ** 3).data == -8.0
    assert isinstance((Value(-2.0) ** 2.0).data, float)


def test_infinite_slope_is_an_error_not_a_silent_inf() -> None:
    x = Value(0.0)
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        grad(x.sqrt(), [x])
    with pytest.raises(ZeroDivisionError, match="pow"):
        grad(x**0.5, [x])


def test_derivative_wrt_exponent_of_a_negative_base_is_refused() -> None:
    a, b = Value(-2.0), Value(2.0)
    y = a**b
    assert y.data == 4.0
    with pytest.raises(ValueError, match="pow_value"):
        grad(y, [b])


def test_an_int_exponent_too_large_for_a_float_is_named() -> None:
    with pytest.raises(OverflowError, match=r"^pow: the int exponent has 401 digits"):
        Value(0.5) ** 10**400


@pytest.mark.parametrize("bad", [[2], {}, {2}])
def test_an_unhashable_exponent_is_named_not_a_hashing_error(bad: object) -> None:
    with pytest.raises(TypeError, match=r"^pow: exponent must be a real number "
                                        r"\(int, float, \.\.\.\), got"):
        Value(2.0) ** bad  # type: ignore[operator]


def test_a_bool_exponent_is_refused_even_after_the_equal_float_exponent() -> None:
    # True == 1.0 and hash(True) == hash(1.0): a cache keyed on the exponent must not let the
    # bool through once x ** 1.0 has been built.
    x = Value(2.0)
    _ = x**1.0
    with pytest.raises(TypeError, match=r"^pow: exponent"):
        x**True


def test_value_of_a_huge_int_says_how_many_digits_not_all_of_them() -> None:
    with pytest.raises(OverflowError, match="Value") as info:
        Value(10**400)
    assert "401 digits" in str(info.value)
    assert len(str(info.value)) < 200


def test_ints_too_long_for_str_still_get_the_overflow_error() -> None:
    # Python refuses str() of an int above 4,300 digits: the message must not need it.
    with pytest.raises(OverflowError, match="5001 digits"):
        Value(10**5000)
    with pytest.raises(OverflowError, match=r"^pow: the int exponent has 5001 digits"):
        Value(2.0) ** 10**5000


OVERFLOWS: list[tuple[str, Callable[[], object]]] = [
    ("add", lambda: Value(1e308) + 1e308),
    ("add", lambda: 1e308 + Value(1e308)),
    ("sub", lambda: Value(1e308) - (-1e308)),
    ("sub", lambda: -1e308 - Value(1e308)),
    ("mul", lambda: Value(1e308) * 10),
    ("mul", lambda: 10 * Value(1e308)),
    ("div", lambda: Value(1e308) / 1e-10),
    ("wsum", lambda: weighted_sum([Value(1e308)], [Value(10.0)], 0.0)),
    ("sum", lambda: total([Value(1e308), Value(1e308)])),
]


@pytest.mark.parametrize(("op", "action"), OVERFLOWS)
def test_finite_operands_that_overflow_are_an_error_not_a_silent_inf(
    op: str, action: Callable[[], object]
) -> None:
    with pytest.raises(OverflowError, match=rf"^{op}: the result of finite operands"):
        action()


def test_infinite_data_is_carried_as_ieee_says() -> None:
    inf = float("inf")
    assert (Value(inf) * 2).data == inf
    assert math.isnan((Value(inf) - inf).data)


def test_relu_of_nan_is_nan_not_zero() -> None:
    x = Value(float("nan"))
    y = x.relu()
    assert math.isnan(y.data)
    y.backward()
    assert math.isnan(x.grad)
