"""Regression tests for engine bugs the property suite found."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def _plain_wsum(ws: list[float], xs: list[float], b: float) -> float:
    """w1*x1 + ... + wn*xn + b as Python writes it, left to right (b alone when n is 0)."""
    terms = [w * x for w, x in zip(ws, xs, strict=True)]
    r = terms[0] if terms else b
    for t in terms[1:]:
        r += t
    return r + b if terms else r


_small = st.one_of(st.sampled_from([0.0, -0.0]), st.floats(-4.0, 4.0, width=16))


@given(st.integers(0, 4).flatmap(lambda n: st.tuples(st.lists(_small, min_size=n, max_size=n),
                                                     st.lists(_small, min_size=n, max_size=n),
                                                     _small)),
       st.sampled_from(["numbers", "values", "mixed"]))
def test_weighted_sum_gives_the_bits_of_plain_float_arithmetic(
        wxb: tuple[list[float], list[float], float], kind: str) -> None:
    # Was: weighted_sum([-0.0], [x], -0.0) was +0.0 (the sum started from 0.0), where
    # -0.0 * x + -0.0 is -0.0 in IEEE arithmetic, and in the compiled program.
    ws, xs, b = wxb
    expected = _plain_wsum(ws, xs, b)
    args: list[Value | float] = [Value(v) if kind == "values" or (kind == "mixed" and i % 2)
                                 else v for i, v in enumerate([*ws, *xs, b])]
    n = len(ws)
    got = weighted_sum(args[:n], args[n:2 * n], args[-1]).data
    direct = OPS["wsum"](*[Value(v) for v in (*ws, *xs, b)]).data
    assert (math.copysign(1.0, got), got) == (math.copysign(1.0, expected), expected)
    assert (math.copysign(1.0, direct), direct) == (math.copysign(1.0, expected), expected)


def test_weighted_sum_of_negative_zeros_is_negative_zero() -> None:
    assert math.copysign(1.0, weighted_sum([-0.0], [Value(0.0)], -0.0).data) == -1.0
    assert math.copysign(1.0, weighted_sum([Value(-0.0)], [Value(0.0)], Value(-0.0)).data) == -1.0
