"""A local partial that overflows from finite operands (issue 13): one error, in every order.

1/b at a tiny b, x ** -2 at x = 1e-200, log's 1/x at a subnormal x: the derivative is real but
larger than any float. On floats a division gave -inf silently and ``**`` a bare
``OverflowError: (34, 'Numerical result out of range')``; on Values (create_graph) the table's
ops raised an error about their result. Now each raises ``OverflowError`` naming the op and
saying it is the local partial, the same message whichever way the partials are taken.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad
from autograd.ops import BUILTIN_NAMES, OPS, Op, clamp, elu, leaky_relu, power
from autograd.testing import CLAMP_BOUNDS, EXPONENTS

CASES: list[tuple[str, str, Callable[[Value, Value], Value], float, float]] = [
    ("pow_value", "a local partial", lambda a, b: a ** b, 1e-200, -1.0),
    ("pow_value", "with respect to b", lambda a, b: a ** b, 1e300, 1.02),
    ("div", "with respect to b", lambda a, b: a / b, 1.0, 1e-200),
    ("div", "a local partial", lambda a, b: a / b, 1e-300, 5e-324),
    ("log", "with respect to x", lambda a, b: a.log(), 5e-324, 0.0),
    ("pow", "with respect to x", lambda a, b: a ** -1, 1e-200, 0.0),
    ("pow", "with respect to x", lambda a, b: a ** 308, 10.0, 0.0),  # 308 * 1e307 in a float mul
]
IDS = ["pow_value-base", "pow_value-exponent", "div-b", "div-both", "log", "pow-1", "pow308"]


def error_of(action: Callable[[], object]) -> str:
    with pytest.raises(OverflowError) as info:
        action()
    return str(info.value)


@pytest.mark.parametrize(("op", "which", "f", "a", "b"), CASES, ids=IDS)
def test_an_overflowing_partial_is_the_same_named_error_in_backward_and_grad_at_any_order(
        op: str, which: str, f: Callable[[Value, Value], Value], a: float, b: float) -> None:
    def backward(create_graph: bool) -> None:
        f(Value(a), Value(b)).backward(create_graph=create_graph)

    def gradient(create_graph: bool) -> None:
        x, y = Value(a), Value(b)
        grad(f(x, y), [x, y], create_graph=create_graph)

    messages = {error_of(lambda: backward(False)), error_of(lambda: backward(True)),
                error_of(lambda: gradient(False)), error_of(lambda: gradient(True))}
    (message,) = messages  # was: -inf or a bare errno tuple first order, another error after
    assert message.startswith(f"{op}: "), message
    assert which in message and "overflows a float at" in message, message


def test_a_second_derivative_that_overflows_names_the_partial_it_came_from() -> None:
    # log's first derivative 1/x is fine at 1e-160; the second, -1/x², is -1e320.
    x = Value(1e-160)
    (d1,) = grad(x.log(), [x], create_graph=True)
    assert d1.data == 1e160
    message = error_of(lambda: grad(d1, [x]))
    assert message.startswith("div: the local partial with respect to b overflows"), message


def test_partials_of_infinite_operands_still_carry_on_as_ieee_says() -> None:
    x = Value(1.0)
    y = x / Value(math.inf)
    y.backward()
    assert x.grad == 0.0
    z = Value(math.inf)
    (Value(2.0) / z).backward()
    assert z.grad == 0.0 or math.isnan(z.grad)


def outcome(action: Callable[[], Any]) -> tuple[str, str] | list[float]:
    """The partials as floats, or the type and message of the error they raise."""
    try:
        parts = action()
    except (ArithmeticError, ValueError) as err:
        return type(err).__name__, str(err)
    return [float(getattr(p, "data", p)) for p in parts]


def builtin_ops() -> list[Op]:
    """The built-in ops (user ops make no promise about overflow), the families (pow, clamp,
    elu, leaky_relu) as some members."""
    family = [power(n) for n in (*EXPONENTS, 308, -3, 2.5)]
    family += [clamp(*bounds) for bounds in CLAMP_BOUNDS]
    family += [elu(2.5), leaky_relu(0.2), leaky_relu(1e300)]
    return [OPS[name] for name in sorted(BUILTIN_NAMES) if name not in ("pow", "clamp")] + family


finite = st.sampled_from([5e-324, -5e-324, 1e-308, 1e-200, 1e-160, 1.0, 10.0, 1e154, 1e300,
                          1e308, -1e308, 0.0, -0.0, 0.5, 709.0]) | st.floats(
    allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("op", builtin_ops(), ids=lambda op: f"{op.name}{op.param or ''}")
@settings(max_examples=100)
@given(data=st.data())
def test_the_partials_on_floats_and_on_values_agree_finite_or_the_same_error(
        op: Op, data: st.DataObject) -> None:
    n = op.arity if op.arity is not None else data.draw(st.sampled_from([1, 3, 5]))
    xs = [data.draw(finite) for _ in range(n)]
    try:
        out = op(*xs)
    except (ArithmeticError, ValueError):
        return  # the forward refuses: no partials to take
    on_floats = outcome(lambda: op.partials(*xs, out))
    values = [Value(x) for x in xs]
    on_values = outcome(lambda: op.partials(*values, op(*values)))
    assert on_floats == on_values
    if isinstance(on_floats, list):
        assert all(math.isfinite(p) for p in on_floats), (op, xs, on_floats)
    elif on_floats[0] == "OverflowError":
        assert on_floats[1].startswith(f"{op.name}: ") and "local partial" in on_floats[1]
