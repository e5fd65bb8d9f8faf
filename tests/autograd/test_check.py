"""gradcheck and numerical_grad: what they accept, what they catch and how they say it."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import GradcheckError, Value, define_op, grad, gradcheck, no_grad, numerical_grad
from autograd.ops import OPS, data_of
from autograd.testing import Expression, Operand, Step, expressions, values


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


def test_gradcheck_never_passes_a_nan() -> None:
    # A NaN partial from a user op is refused by define_op (naming the op); a NaN carried in
    # by a constant makes f NaN at the point, which is no derivative to check.
    nan_slope = define_op("nan_slope", lambda a: 2 * a, lambda a, out: (math.nan,))
    with pytest.raises(ValueError, match="nan_slope: partial 0 is nan"):
        gradcheck(nan_slope, [1.0])
    with pytest.raises(ValueError, match="f is nan at the inputs"):
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


# --- the promise: a GradcheckError means a wrong derivative, not a bad point ------------------


def issue_13_program() -> Expression:
    """v0 = sum(x0 five times); v1 = sum(v0 five times); ... v6; out = sin(v6): 5**7 x0."""
    five = (Operand(0),) * 5
    steps = [Step(OPS["sum"], five)]
    steps += [Step(OPS["sum"], (Operand(k),) * 5) for k in range(1, 7)]
    steps.append(Step(OPS["sin"], (Operand(7),)))
    return Expression(1, tuple(steps), (Operand(8),))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_gradcheck_passes_a_steep_program_whose_plain_differences_miss(order: int) -> None:
    # Was: "gradcheck failed at order 1": 78125 against central differences' 78045.55
    # (relative error 1.02e-3 > rtol), though 78125 = 5**7 is exact.
    f = issue_13_program()
    (plain,) = numerical_grad(f, [0.0])
    assert abs(plain - 78125) > 1e-5 + 1e-3 * abs(plain)  # what gradcheck compared, alone
    assert gradcheck(f, [0.0], order=order)


def test_gradcheck_reports_the_refined_numeric_for_a_wrong_steep_derivative() -> None:
    # The same steep program with a 1% slip planted in sin's partial is still caught, and the
    # table shows the extrapolated 78125, not the coarse 78045.55.
    slipped = define_op("slipped_sin", math.sin, lambda a, out: (OPS["cos"](a) * 1.01,))
    f = issue_13_program()
    last = f.steps[-1]
    f = Expression(1, (*f.steps[:-1], Step(slipped, last.operands)), f.output)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(f, [0.0])
    assert caught.value.args[0].splitlines()[2].split()[:5] == ["1", "x0", "0", "78906.25",
                                                               "78125"]


STEEP = {"sin": lambda a: lambda x: (x * a).sin(), "exp": lambda a: lambda x: (x * a).exp(),
         "tanh": lambda a: lambda x: (x * a).tanh(),
         "bump": lambda a: lambda x: 1 / (x * x + 1 / a),
         "log": lambda a: lambda x: (x * x + 1 / a).log(),
         "pow": lambda a: lambda x: (x * x + 1 / a) ** -2.5}


@settings(max_examples=60)
@given(kind=st.sampled_from(sorted(STEEP)), a=st.floats(1.0, 1e9), x=values(-2.0, 2.0),
       eps=st.floats(1e-9, 1e-3), order=st.sampled_from([1, 2]))
def test_a_correct_derivative_is_never_called_wrong_however_fast_f_varies(
        kind: str, a: float, x: float, eps: float, order: int) -> None:
    # Differences that cannot resolve f at this eps give a ValueError that says so (or an
    # overflow of f itself), never a GradcheckError.
    try:
        assert gradcheck(STEEP[kind](a), [x], eps=eps, order=order)
    except (ValueError, OverflowError) as err:  # a GradcheckError fails the test
        assert "gradcheck: cannot check" in str(err) or "overflow" in str(err), err


@pytest.mark.parametrize(("a", "eps"), [(25048211.0, 0.0007223812803973389),
                                        ((2 * math.pi * 45 * 3**6 - 1.3) / 1e-4, 1e-4),
                                        ((2 * math.pi * 7 * 2**9 + 0.5) / 3e-5, 3e-5)],
                         ids=["found", "powers-of-3", "powers-of-2"])
def test_aliased_samples_of_a_fast_sine_are_not_taken_for_a_smooth_function(a: float,
                                                                            eps: float) -> None:
    # a * eps near 2*pi times a multiple of 2**k: sin(a*x) sampled at x +- eps/2**i (i <= k)
    # is exactly a slow sine, and steps that halve converged on its slope (1383.5 where the
    # true one is -2.06e7: a GradcheckError, found by a random-seed run). Steps shrinking by
    # sqrt(3) cannot stay aliased.
    with pytest.raises(ValueError, match="cannot check"):
        gradcheck(lambda x: (x * a).sin(), [1.0], eps=eps)


@settings(max_examples=60)
@given(kind=st.sampled_from(["sin", "exp", "log"]), slip=st.floats(2e-3, 1.0),
       x=values(-2.0, 2.0))
def test_a_slip_of_twice_the_tolerance_is_always_caught(kind: str, slip: float,
                                                        x: float) -> None:
    true: Callable[[float], float] = {"sin": math.cos, "exp": math.exp,
                                      "log": lambda a: 2 * a / (a * a + 1)}[kind]
    forward: Callable[[float], float] = {"sin": math.sin, "exp": math.exp,
                                         "log": lambda a: math.log(a * a + 1)}[kind]

    def slipped(a: Any, out: Any) -> tuple[float]:
        t = true(data_of(a))
        return (t * (1 + slip) + math.copysign(slip, t),)

    with pytest.raises(GradcheckError):
        gradcheck(define_op("slipped", forward, slipped), [x])


@pytest.mark.parametrize(("f", "x", "order"),
                         [(lambda x: x.relu(), 0.0, 1), (lambda x: (x - 1).relu() * 3, 1.0, 1),
                          (lambda x: x.relu() * x.exp(), 0.0, 1),
                          (lambda x: x * x.relu(), 0.0, 2)],
                         ids=["relu", "shifted-relu", "curved-relu", "x-relu-x-second"])
def test_a_kink_is_named_as_such_not_blamed_on_the_derivative(f: Any, x: float,
                                                              order: int) -> None:
    # Was: a GradcheckError (0 against 0.5 for relu at 0), as if the derivative were wrong.
    # (Where the op's convention at the kink equals the central difference, as abs's 0 does,
    # the pair simply passes.)
    with pytest.raises(ValueError, match=r"f('s first derivative)? is not differentiable "
                                         r"there \(the one-sided slopes .* stay apart"):
        gradcheck(f, [x], order=order)


def test_differences_swamped_by_rounding_ask_for_a_larger_eps() -> None:
    # At eps = 1e-300, f = x + 1 moves by nothing a float can hold: every difference is 0.
    with pytest.raises(ValueError, match=r"cannot check the first derivative df/dx0 at "
                                         r"x0 = 0: .*rounding swamps them: pass a larger eps"):
        gradcheck(lambda x: x + 1, [0.0], eps=1e-300)


def test_differences_too_coarse_for_f_ask_for_a_smaller_eps() -> None:
    with pytest.raises(ValueError, match=r"eps=0.001 down to 7.9e-07 do not settle .*"
                                         r"f varies too fast for this eps"):
        gradcheck(lambda x: (x * 1e9).sin(), [0.3], eps=1e-3)
    assert gradcheck(lambda x: (x * 1e9).sin(), [0.3], eps=1e-13, rtol=1e-2)


# --- bad arguments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "inputs", "kwargs", "error", "words"),
    [
        (42, [1.0], {}, TypeError, "f must be callable"),
        (product_sin, 1.0, {}, TypeError, "inputs must be a list"),
        (product_sin, "12", {}, TypeError, "inputs must be a list"),
        (product_sin, [], {}, ValueError, "inputs is empty"),
        (product_sin, [1.0, "2"], {}, TypeError, r"inputs\[1\] must be a real .*, got str"),
        (product_sin, [True, 2.0], {}, TypeError, r"inputs\[0\] must be a real .*, got bool"),
        (product_sin, [Value(1.0), 2.0], {}, TypeError, "pass numbers"),
        (product_sin, [1.0, math.nan], {}, ValueError, r"inputs\[1\] must be finite"),
        (product_sin, [1.0, math.inf], {}, ValueError, r"inputs\[1\] must be finite"),
        (product_sin, [1.0, 10**400], {}, OverflowError, r"inputs\[1\] is an int of 401 digits"),
        (product_sin, [1.0, 2.0], {"eps": 0.0}, ValueError, "eps must be finite and > 0"),
        (product_sin, [1.0, 2.0], {"eps": -1e-6}, ValueError, "eps must be finite and > 0"),
        (product_sin, [1.0, 2.0], {"eps": math.nan}, ValueError, "eps must be"),
        (product_sin, [1.0, 2.0], {"eps": "1e-6"}, TypeError, "eps must be a real number"),
        (product_sin, [1.0, 2.0], {"eps": 1e-17}, ValueError,
         r"eps=1e-17 is too small for inputs\[0\] = 1.0: x \+ eps rounds to x"),
        (product_sin, [1.0, 1e300], {}, ValueError, r"eps=1e-06 is too small for inputs\[1\]"),
        (product_sin, [1.0, 2.0], {"eps": 1e308}, ValueError,
         r"eps=1e\+308 is too large for inputs\[0\] = 1.0: x \+- eps overflows"),
        (product_sin, [1.0, 2.0], {"order": 0}, ValueError, "order must be >= 1"),
        (product_sin, [1.0, 2.0], {"order": 1.0}, TypeError, "order must be an int"),
        (product_sin, [1.0, 2.0], {"order": True}, TypeError, "order must be an int"),
        (product_sin, [1.0, 2.0], {"atol": -1.0}, ValueError, "atol must be finite and >= 0"),
        (product_sin, [1.0, 2.0], {"rtol": math.inf}, ValueError, "rtol must be finite"),
        (product_sin, [1.0, 2.0], {"rtol": None}, TypeError, "rtol must be a real number"),
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
     (product_sin, [1.0, 2.0], 0.0, ValueError), (lambda x: None, [1.0], 1e-6, TypeError),
     (product_sin, [1.0, 2.0], 1e-17, ValueError), (product_sin, [1.0, 2.0], 1e308, ValueError),
     (lambda x: x * Value(math.nan), [1.0], 1e-6, ValueError),
     (lambda x: x * 1e300, [1.0], 1e-300, ValueError)],
    ids=["f-none", "input-str", "eps-0", "f-returns-none", "eps-1e-17", "eps-1e308", "f-nan",
         "difference-overflows"],
)
def test_numerical_grad_rejects_bad_arguments(f: Any, inputs: Any, eps: Any,
                                              error: type[Exception]) -> None:
    with pytest.raises(error):
        numerical_grad(f, inputs, eps)


def test_gradcheck_and_numerical_grad_take_numbers_as_value_does() -> None:
    # Was: "inputs[0] must be a float, got Fraction", where Value(Fraction(3, 2)) is fine.
    for x in (Fraction(3, 2), Decimal("1.5"), 1.5):
        assert gradcheck(lambda v: v * v.sin(), [x])
        assert numerical_grad(lambda v: v * v, [x]) == pytest.approx([3.0])
        assert type(numerical_grad(lambda v: v * v, [x])[0]) is float
    assert gradcheck(lambda v: v * v, [1.5], eps=Fraction(1, 10**6), rtol=Decimal("1e-5"))
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a real number .*, got complex"):
        gradcheck(lambda v: v * v, [1j])  # type: ignore[list-item]  # refused at run time


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
    root = Path(__file__).resolve().parents[2]  # "-c" puts the cwd first on sys.path
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("who", ["numerical_grad", "gradcheck"])
@pytest.mark.parametrize(("f", "x", "says"), [
    (lambda a: (a - 1.0).sqrt(), 1.0 + 5e-7, r"f failed at inputs\[0\] - eps .*sqrt: operand"),
    (lambda a: a * (math.nan if a.data > 1.0 else 1.0), 1.0, r"f gave nan at inputs\[0\] \+ eps"),
])
def test_a_failure_within_eps_is_named_by_the_function_that_met_it(who: str, f: Any, x: float,
                                                                   says: str) -> None:
    # numerical_grad's messages began "f failed at ...", naming neither itself nor gradcheck.
    check = numerical_grad if who == "numerical_grad" else gradcheck
    with pytest.raises(ValueError, match=rf"^{who}: {says}"):
        check(f, [x])
