"""Numbers out, like Python's: float(), format specs, ordering comparisons that give bools.

``==`` and ``hash`` stay identity: Values are nodes of a graph and live in sets and dicts
(the engine's walks, ``grad()``'s results), where two nodes with equal data are still two.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, total
from mlp import losses

finite = st.floats(allow_nan=False, allow_infinity=False)
numbers = st.floats(allow_nan=True, allow_infinity=True)


def test_float_of_a_value_is_its_data() -> None:
    v = Value(2.5) * 2
    assert float(v) == 5.0 and type(float(v)) is float
    assert math.isclose(v, 5.0) and math.isclose(Value(1.0), Value(1.0 + 1e-12))


def test_a_format_spec_formats_the_data() -> None:
    loss = Value(0.123456, label="loss")
    assert f"{loss:.3f}" == "0.123"
    assert f"{loss:>10.2e}" == "  1.23e-01"
    assert format(Value(2.0), "g") == "2"


def test_an_empty_format_spec_keeps_str() -> None:
    v = Value(1.5, label="x")
    assert f"{v}" == str(v) == repr(v)
    assert format(v) == str(v)


def test_comparisons_compare_data_and_give_bools() -> None:
    v, w = Value(1.0), Value(2.0)
    results = [v < w, v <= w, w > v, w >= v, v > 0, v < 1.5, v >= 1, v <= 1,
               0 < v, 3 > w]  # noqa: SIM300 (the reflected forms, on purpose)
    assert all(type(r) is bool for r in results)
    assert all(results)
    assert not (w < v or w <= v or v > w or v >= w or v > 1 or v < 1)


def test_sorted_max_and_min_order_values_by_data() -> None:
    values = [Value(3.0, label="c"), Value(-1.0, label="a"), Value(2.0, label="b")]
    assert [v.label for v in sorted(values)] == ["a", "b", "c"]
    assert max(values).label == "c" and min(values).label == "a"
    assert max(values, key=float).label == "c"


def test_equality_and_hashing_stay_identity() -> None:
    v = Value(2.0)
    same, twin, number = v, Value(2.0), 2.0
    assert v == same
    assert v != twin
    assert v != number  # type: ignore[comparison-overlap]  # == is identity: compare .data
    assert v <= twin and v >= twin  # while ordering compares the data
    assert v <= same and v >= same
    assert len({v, twin}) == 2 and {v: 1, twin: 2}[twin] == 2


def test_nan_compares_false_as_floats_do() -> None:
    nan = Value(math.nan)
    same = nan
    assert not (nan < 1 or nan > 1 or nan <= same or nan >= same)


@pytest.mark.parametrize("other", ["1", None, [1.0], 1j, True, np.array([1.0])], ids=repr)
def test_ordering_against_a_non_number_is_a_type_error(other: Any) -> None:
    with pytest.raises(TypeError, match="not supported between instances of 'Value' and"):
        _ = Value(1.0) < other


def test_comparisons_with_numpy_scalars_give_python_bools() -> None:
    v = Value(2.0)
    results = [np.float64(1) < v, np.int64(3) > v, v <= np.float32(2), v >= np.int8(2)]
    assert [type(r) for r in results] == [bool] * 4
    assert results == [True, True, True, True]


@given(numbers, numbers)
def test_each_ordering_is_that_of_the_data(a: float, b: float) -> None:
    v, w = Value(a), Value(b)
    assert (v < w, v <= w, v > w, v >= w) == (a < b, a <= b, a > b, a >= b)
    assert (v < b, v <= b, v > b, v >= b) == (a < b, a <= b, a > b, a >= b)
    assert (a < w, a <= w, a > w, a >= w) == (a < b, a <= b, a > b, a >= b)


@given(st.lists(finite, max_size=8))
def test_sorted_values_have_sorted_data(xs: list[float]) -> None:
    values = [Value(x) for x in xs]
    assert [v.data for v in sorted(values)] == sorted(xs)
    if xs:
        assert max(values).data == max(xs) and min(values).data == min(xs)


@given(finite, st.sampled_from(["", ".3f", "e", "+.2g", ">12.4f", "%"]))
def test_format_is_the_datas_format_or_str(x: float, spec: str) -> None:
    v = Value(x, label="v")
    assert format(v, spec) == (format(x, spec) if spec else str(v))


def test_an_empty_sum_is_zero_like_l2_and_pythons_sum() -> None:
    empty = total([])
    assert isinstance(empty, Value) and empty.data == 0.0 == sum([])
    assert losses.l2([]).data == empty.data
    empty.backward()  # a constant: nothing to fill, and no error


def test_truth_is_the_datas_as_for_a_float() -> None:
    # Was: bool(Value(0.0)) is True (no __bool__), so `if loss:` was silently always true.
    assert [bool(Value(v)) for v in (0.0, -0.0, 1e-300, -2.0, math.nan)] == \
        [False, False, True, True, True]
    loss = Value(1.0) - 1.0
    assert not loss and (loss or "zero") == "zero"
