"""Regression tests for engine bugs the property suite found."""

from __future__ import annotations

import math

import pytest

from autograd import Value, weighted_sum
from autograd.ops import OPS


@pytest.mark.parametrize("count", [0, 2, 4])
def test_wsum_refuses_an_even_number_of_operands(count: int) -> None:
    # Was: wsum(w1, w2, x1, x2) read x2 twice (as x2 and as the bias): 15.0 for 1, 2, 3, 4,
    # with gradients that did not match that number.
    with pytest.raises(TypeError, match="odd number of operands"):
        OPS["wsum"](*[Value(float(i + 1)) for i in range(count)])


def test_wsum_with_an_odd_count_is_the_weighted_sum() -> None:
    w1, w2, x1, x2, b = (Value(float(v)) for v in (1, 2, 3, 4, 5))
    direct = OPS["wsum"](w1, w2, x1, x2, b)
    assert direct.data == weighted_sum([w1, w2], [x1, x2], b).data == 16.0


@pytest.mark.parametrize("name", ["sin", "cos"])
@pytest.mark.parametrize("x", [math.inf, -math.inf])
def test_sin_and_cos_of_infinity_name_the_op_and_operand(name: str, x: float) -> None:
    # Was: math's bare "math domain error".
    with pytest.raises(ValueError, match=rf"{name}: operand must be finite, got -?inf"):
        OPS[name](Value(x))
    with pytest.raises(ValueError, match=name):
        getattr(Value(x), name)()


def test_sin_and_cos_pass_nan_through() -> None:
    assert math.isnan(Value(math.nan).sin().data)
    assert math.isnan(Value(math.nan).cos().data)
