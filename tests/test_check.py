"""gradcheck and numerical_grad: what they accept, what they catch and how they say it."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from autograd import GradcheckError, Value, define_op, grad, gradcheck, no_grad, numerical_grad
from autograd.ops import data_of
from autograd.testing import expressions, values


def product_sin(x: Value, y: Value) -> Value:
    return x * y.sin()


# --- numerical_grad ---------------------------------------------------------------------------


def test_numerical_grad_of_a_product_is_the_other_factor() -> None:
    dx, dy = numerical_grad(lambda x, y: x * y, [3.0, -2.0])
    assert dx == pytest.approx(-2.0, abs=1e-8)
    assert dy == pytest.approx(3.0, abs=1e-8)


def test_numerical_grad_matches_the_closed_form_derivative() -> None:
    dx, dy = numerical_grad(product_sin, [1.5, 0.3])
    assert dx == pytest.approx(math.sin(0.3), abs=1e-8)
    assert dy == pytest.approx(1.5 * math.cos(0.3), abs=1e-8)


def test_numerical_grad_returns_plain_floats() -> None:
    result = numerical_grad(lambda x: x.exp(), [0.5])
    assert [type(d) for d in result] == [float]


# --- gradcheck passes correct derivatives, to any order ---------------------------------------


@pytest.mark.parametrize("order", [1, 2, 3])
def test_gradcheck_passes_a_correct_function(order: int) -> None:
    assert gradcheck(product_sin, [1.5, 0.3], order=order) is True


@pytest.mark.parametrize(
    "f", [lambda x, y: x, lambda x, y: x * 0 + 3, lambda x, y: y * y * y],
    ids=["returns-an-input", "constant", "ignores-x"],
)
def test_gradcheck_handles_leaves_constants_and_unused_inputs(f: Any) -> None:
    assert gradcheck(f, [0.5, -1.5], order=3) is True


def test_gradcheck_works_inside_no_grad() -> None:
    with no_grad():
        assert gradcheck(product_sin, [1.5, 0.3], order=2) is True


def test_gradcheck_does_not_print(capsys: pytest.CaptureFixture[str]) -> None:
    gradcheck(product_sin, [1.5, 0.3], order=2)
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: Value(x.data * 2), [1.0])
    assert capsys.readouterr() == ("", "")


def test_gradcheck_error_is_an_assertion_error() -> None:
    assert issubclass(GradcheckError, AssertionError)


# --- gradcheck catches wrong derivatives ------------------------------------------------------


def test_gradcheck_catches_a_wrong_partial_and_names_input_and_numbers() -> None:
    # d(x^3)/dx is 3x^2; this op claims 2x^2. At x1 = 2 (times x0 = 1.5): 12 against 18.
    bad_cube = define_op("bad_cube", lambda a: a**3, lambda a, out: (2 * a**2,))
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x, y: x * bad_cube(y), [1.5, 2.0])
    message = str(caught.value)
    assert "order 1" in message
    header, row = message.splitlines()[1:3]
    assert header.split() == ["order", "input", "value", "analytic", "numeric", "abs", "err",
                              "rel", "err"]
    assert row.split()[:5] == ["1", "x1", "2", "12", "18"]
    assert "x0" not in message.split("\n", 2)[2]  # the right partial is not reported


def test_gradcheck_at_order_2_catches_a_partial_cut_off_from_the_graph() -> None:
    # The partial is right as a number but computed from .data, so it is a constant to autograd
    # and the second derivative comes out 0 instead of 6x.
    cut_cube = define_op("cut_cube", lambda a: a**3, lambda a, out: (3 * data_of(a) ** 2,))
    assert gradcheck(cut_cube, [2.0]) is True
    with pytest.raises(GradcheckError) as caught:
        gradcheck(cut_cube, [2.0], order=2)
    message = str(caught.value)
    assert "order 2" in message
    assert message.splitlines()[2].split()[:5] == ["2", "x0,x0", "2,2", "0", "12"]


def test_gradcheck_at_order_3_catches_a_cut_second_derivative() -> None:
    # x^3 whose partial 3 * sq(x) is a graph, but sq's own partial 2x is cut off.
    sq = define_op("cut_sq", lambda a: a * a, lambda a, out: (2 * data_of(a),))
    cube = define_op("cube_via_cut_sq", lambda a: a**3, lambda a, out: (3 * sq(a),))
    assert gradcheck(cube, [1.5], order=2) is True
    with pytest.raises(GradcheckError, match="order 3"):
        gradcheck(cube, [1.5], order=3)


def test_gradcheck_reports_every_missed_pair_of_the_failing_order() -> None:
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x, y: Value(x.data * y.data), [1.0, 2.0])
    rows = str(caught.value).splitlines()[2:]
    assert [r.split()[1] for r in rows] == ["x0", "x1"]


def test_gradcheck_fails_a_nan_derivative() -> None:
    # A user op may no longer give a NaN partial for finite operands (define_op refuses it,
    # naming the op); a NaN carried in from a constant still reaches the comparison.
    with pytest.raises(GradcheckError, match="nan"):
        gradcheck(lambda x: x * Value(math.nan), [1.0])


def test_gradcheck_tolerance_is_atol_plus_rtol_times_numeric() -> None:
    # Off by 1% of the true slope 10: within rtol=2e-2, outside rtol=5e-3.
    off = define_op("one_percent_off", lambda a: 10 * a, lambda a, out: (10.1,))
    assert gradcheck(off, [1.0], rtol=2e-2) is True
    with pytest.raises(GradcheckError):
        gradcheck(off, [1.0], rtol=5e-3)
    assert gradcheck(off, [1.0], atol=0.11, rtol=0.0) is True


@settings(max_examples=30)
@given(x=values(0.5, 2.0), slip=values(1e-3, 1.0))
def test_gradcheck_catches_any_slip_larger_than_the_tolerance(x: float, slip: float) -> None:
    # sin's partial nudged by `slip` (relative): always more than rtol=1e-3 plus atol.
    wrong = define_op("slipped_sin", math.sin,
                      lambda a, out: (math.cos(data_of(a)) * (1 + slip) + slip,))
    with pytest.raises(GradcheckError):
        gradcheck(wrong, [x])


# --- bad arguments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "inputs", "kwargs", "error", "words"),
    [
        (42, [1.0], {}, TypeError, "f must be callable"),
        (product_sin, 1.0, {}, TypeError, "inputs must be a list"),
        (product_sin, "12", {}, TypeError, "inputs must be a list"),
        (product_sin, [], {}, ValueError, "inputs is empty"),
        (product_sin, [1.0, "2"], {}, TypeError, r"inputs\[1\] must be a float, got str"),
        (product_sin, [True, 2.0], {}, TypeError, r"inputs\[0\] must be a float, got bool"),
        (product_sin, [Value(1.0), 2.0], {}, TypeError, "pass numbers"),
        (product_sin, [1.0, math.nan], {}, ValueError, r"inputs\[1\] must be finite"),
        (product_sin, [1.0, math.inf], {}, ValueError, r"inputs\[1\] must be finite"),
        (product_sin, [1.0, 10**400], {}, OverflowError, r"inputs\[1\] is an int of 401 digits"),
        (product_sin, [1.0, 2.0], {"eps": 0.0}, ValueError, "eps must be finite and > 0"),
        (product_sin, [1.0, 2.0], {"eps": -1e-6}, ValueError, "eps must be finite and > 0"),
        (product_sin, [1.0, 2.0], {"eps": math.nan}, ValueError, "eps must be"),
        (product_sin, [1.0, 2.0], {"eps": "1e-6"}, TypeError, "eps must be a float"),
        (product_sin, [1.0, 2.0], {"order": 0}, ValueError, "order must be >= 1"),
        (product_sin, [1.0, 2.0], {"order": 1.0}, TypeError, "order must be an int"),
        (product_sin, [1.0, 2.0], {"order": True}, TypeError, "order must be an int"),
        (product_sin, [1.0, 2.0], {"atol": -1.0}, ValueError, "atol must be finite and >= 0"),
        (product_sin, [1.0, 2.0], {"rtol": math.inf}, ValueError, "rtol must be finite"),
        (product_sin, [1.0, 2.0], {"rtol": None}, TypeError, "rtol must be a float"),
        (lambda x: 2.0, [1.0], {}, TypeError, "f must return a Value, got float"),
    ],
)
def test_gradcheck_rejects_bad_arguments(f: Any, inputs: Any, kwargs: dict[str, Any],
                                         error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        gradcheck(f, inputs, **kwargs)


@pytest.mark.parametrize(
    ("f", "inputs", "eps", "error"),
    [(None, [1.0], 1e-6, TypeError), (product_sin, [1.0, "x"], 1e-6, TypeError),
     (product_sin, [1.0, 2.0], 0.0, ValueError), (lambda x: None, [1.0], 1e-6, TypeError)],
)
def test_numerical_grad_rejects_bad_arguments(f: Any, inputs: Any, eps: Any,
                                              error: type[Exception]) -> None:
    with pytest.raises(error):
        numerical_grad(f, inputs, eps)


def test_gradcheck_names_the_input_whose_step_leaves_the_domain() -> None:
    with pytest.raises(ValueError, match=r"inputs\[0\] - eps .*log: operand must be > 0"):
        gradcheck(lambda x: x.log(), [5e-7])


def test_gradcheck_lets_f_own_errors_through() -> None:
    with pytest.raises(ZeroDivisionError):
        gradcheck(lambda x: x / 0, [1.0])


# --- random expressions -----------------------------------------------------------------------


@settings(max_examples=40)
@given(expressions(max_inputs=2, max_ops=6))
def test_numerical_grad_agrees_with_autograd_on_random_expressions(
        case: tuple[Any, list[float]]) -> None:
    f, inputs = case
    leaves = [Value(x) for x in inputs]
    analytic = grad(f(*leaves), leaves)
    for a, n in zip(analytic, numerical_grad(f, inputs), strict=True):
        assert abs(a - n) <= 1e-5 + 1e-3 * abs(n)


# --- the import stays light -------------------------------------------------------------------


def test_importing_autograd_does_not_import_hypothesis() -> None:
    code = "import sys, autograd; print('hypothesis' in sys.modules)"
    root = Path(__file__).resolve().parent.parent  # "-c" puts the cwd first on sys.path
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "False"
