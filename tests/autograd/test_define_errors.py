"""Errors from a user's op (issue 13): each names the op, and no NaN or inf comes out of one.

``define_op`` used to accept a forward returning NaN or inf for finite operands, and an error
raised inside the user's forward or partials came out as it was (``division by zero``),
naming nothing. Now every error a user op gives names it, keeps its type (so ``except
ValueError`` and gradcheck's domain handling still work), and carries the original as its
cause; a non-finite forward result or partial from finite operands is refused.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value, define_op, grad, gradcheck


def runs(op: Any) -> list[Callable[[], object]]:
    """Every way an op's forward and partials get called: on numbers, on Values, backward,
    grad, and grad with create_graph."""
    def backward() -> None:
        op(Value(1.0)).backward()

    def gradient(create_graph: bool) -> None:
        x = Value(1.0)
        grad(op(x), [x], create_graph=create_graph)

    return [lambda: op(1.0), lambda: op(Value(1.0)), backward, lambda: gradient(False),
            lambda: gradient(True)]


class TwoArgError(Exception):
    def __init__(self, code: int, detail: str) -> None:
        super().__init__(code, detail)


@pytest.mark.parametrize("kind", [ZeroDivisionError, ValueError, OverflowError, TypeError,
                                  KeyError, RuntimeError, ArithmeticError])
def test_an_error_raised_in_a_user_forward_keeps_its_type_and_names_the_op(
        kind: type[Exception]) -> None:
    def forward(a: float) -> float:
        raise kind("went wrong")

    op = define_op("fails_forward", forward, lambda a, out: (1.0,))
    for run in runs(op)[:2]:
        with pytest.raises(kind) as info:
            run()
        assert "fails_forward: forward raised" in str(info.value)
        assert "went wrong" in str(info.value)
        assert type(info.value.__cause__) is kind  # the user's own error, traceback and all


@pytest.mark.parametrize("kind", [ZeroDivisionError, ValueError, TypeError, IndexError])
def test_an_error_raised_in_user_partials_keeps_its_type_and_names_the_op(
        kind: type[Exception]) -> None:
    def partials(a: Any, out: Any) -> tuple[Any]:
        raise kind("bad slope")

    op = define_op("fails_partials", lambda a: 2 * a, partials)
    for run in runs(op)[2:]:
        with pytest.raises(kind, match=r"fails_partials: partials raised \w+: .*bad slope"):
            run()


def test_the_division_by_zero_from_the_issue_names_the_op() -> None:
    # Was: "ZeroDivisionError: division by zero", with no word of which op.
    raiser = define_op("raiser", lambda a: 1 / 0, lambda a, out: (1.0,))
    with pytest.raises(ZeroDivisionError, match=r"^raiser: forward raised ZeroDivisionError: "
                                                r"division by zero$"):
        raiser(Value(1.0))


def test_an_error_type_that_cannot_be_rebuilt_keeps_its_arguments_and_gets_a_note() -> None:
    def forward(a: float) -> float:
        raise TwoArgError(7, "custom")

    op = define_op("odd_error", forward, lambda a, out: (1.0,))
    with pytest.raises(TwoArgError) as info:
        op(Value(1.0))
    assert info.value.args == (7, "custom")
    if sys.version_info >= (3, 11):
        assert info.value.__notes__ == ["(raised by the forward of the op 'odd_error')"]


def test_an_op_error_that_names_the_op_already_is_not_named_twice() -> None:
    def forward(a: float) -> float:
        raise ValueError(f"own_words: operand must be > 1, got {a}")

    op = define_op("own_words", forward, lambda a, out: (1.0,))
    with pytest.raises(ValueError, match=r"^own_words: operand must be > 1, got 0.5$"):
        op(Value(0.5))


@pytest.mark.parametrize(("result", "kind"),
                         [(math.nan, ValueError), (math.inf, OverflowError),
                          (-math.inf, OverflowError), (10**400, OverflowError)],
                         ids=["nan", "inf", "-inf", "huge-int"])
def test_a_forward_that_returns_nan_or_inf_for_finite_operands_is_refused(
        result: float, kind: type[Exception]) -> None:
    # Was: Value(data=nan) for nan; the huge int gave "int too large to convert to float".
    op = define_op("non_finite", lambda a: result, lambda a, out: (1.0,))
    for run in runs(op)[:2]:
        with pytest.raises(kind, match=r"^non_finite: forward returned .* \(1\.0\)"):
            run()


def test_a_forward_may_carry_inf_and_nan_operands_on_as_ieee_does() -> None:
    double = define_op("double_it", lambda a: 2 * a, lambda a, out: (2.0,))
    assert double(Value(math.inf)).data == math.inf
    assert math.isnan(double(Value(math.nan)).data)


@pytest.mark.parametrize(("partial", "kind"), [(math.nan, ValueError), (math.inf, OverflowError),
                                               (10**400, OverflowError)],
                         ids=["nan", "inf", "huge-int"])
def test_a_partial_that_is_nan_or_inf_for_finite_operands_is_refused(
        partial: float, kind: type[Exception]) -> None:
    op = define_op("bad_slope", lambda a: 2 * a, lambda a, out: (partial,))
    for run in runs(op)[2:]:
        with pytest.raises(kind, match=r"^bad_slope: partial 0 is .* for finite operands"):
            run()


def test_a_nan_partial_built_as_a_value_is_refused_too() -> None:
    op = define_op("nan_value_slope", lambda a: 2 * a, lambda a, out: (a * 0 + math.nan,))
    x = Value(1.0)
    with pytest.raises(ValueError, match=r"^nan_value_slope: partial 0 is nan"):
        grad(op(x), [x], create_graph=True)


def test_gradcheck_reports_a_user_ops_error_as_it_is() -> None:
    op = define_op("nan_slope", lambda a: 2 * a, lambda a, out: (math.nan,))
    with pytest.raises(ValueError, match=r"^nan_slope: partial 0 is nan for finite operands"):
        gradcheck(op, [1.0])


def test_a_user_op_may_compute_with_numpy_and_gives_floats_back() -> None:
    # Was: "forward must return a float, got float64", where Value(np.float64(2.0)) is fine.
    import numpy as np  # in the test extra
    square = define_op("np_square", lambda x: np.float64(x) ** 2,
                       lambda x, out: (np.float64(2.0) * np.float64(x),))
    x = Value(1.5)
    y = square(x)
    y.backward()
    assert (y.data, x.grad) == (2.25, 3.0)
    assert type(y.data) is float and type(x.grad) is float  # no numpy type leaks into grads
    with pytest.raises(TypeError, match=r"np_square2: partial 0 must be a number or a Value, "
                                        r"got ndarray"):
        define_op("np_square2", lambda x: x * x, lambda x, out: (np.array([2 * x]),))(x).backward()


def test_partials_computed_on_numbers_miss_higher_derivatives_and_gradcheck_says_so() -> None:
    """The documented limit: ``math.cos(a)`` turns a Value into a float, so on Values the
    partial is a constant and the second derivative misses its slope (0, not -sin). The first
    derivative is right; gradcheck at order 2 reports the second."""
    numeric = define_op("numeric_sin", math.sin, lambda a, out: (math.cos(a),))
    x = Value(0.5)
    (d1,) = grad(numeric(x), [x], create_graph=True)
    assert d1.data == math.cos(0.5) and grad(d1, [x]) == [0.0]  # -sin(0.5) is the truth
    assert gradcheck(numeric, [0.5], order=1)
    with pytest.raises(AssertionError, match="gradcheck failed at order 2"):
        gradcheck(numeric, [0.5], order=2)
    assert "math.cos(a)" in (define_op.__doc__ or "")
