"""autograd.testing: the strategies draw what they promise, and find planted bugs."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from hypothesis.vendor.pretty import pretty

from autograd import GradcheckError, Value, define_op, grad, gradcheck
from autograd.ops import OPS, data_of
from autograd.testing import SLOPE_MAX, Expression, Operand, Step, expressions, values

Case = tuple[Expression, list[float]]
FIND = settings(max_examples=500, database=None)


def fails_gradcheck(case: Case, order: int = 1) -> bool:
    f, inputs = case
    try:
        gradcheck(f, inputs, order=order)
    except GradcheckError:
        return True
    return False


def replay(case: Case) -> list[tuple[str, str, list[Any]]]:
    """(op name, domain, operand values) of every step, evaluated on floats."""
    f, inputs = case
    nodes: list[Any] = list(inputs)
    seen: list[tuple[str, str, list[Any]]] = []
    for step in f.steps:
        args = [o.apply(nodes) for o in step.operands]
        seen.append((step.op.name, step.op.domain, args))
        nodes.append(step.op(*args))
    return seen


# --- values() -------------------------------------------------------------------------------


@settings(max_examples=100)
@given(st.data(), st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_values_are_finite_floats_in_the_range(data: st.DataObject, low: float,
                                               width: float) -> None:
    x = data.draw(values(low, low + width))
    assert math.isfinite(x)
    assert low <= x <= low + width


def test_values_rejects_an_empty_range() -> None:
    with pytest.raises(ValueError, match="min_value <= max_value"):
        values(1.0, 0.0)


# --- expressions(): what is drawn -----------------------------------------------------------


@settings(max_examples=100)
@given(expressions())
def test_operands_stay_bounded_and_off_singular_points(case: Case) -> None:
    for name, domain, args in replay(case):
        for v in args:
            if domain == "open_unit":
                assert abs(v) <= 0.9, (name, args)
                continue
            if domain == "jumps":
                assert abs(args[1]) >= 0.25, (name, args)
                assert abs(args[0] / args[1] % 1 - 0.5) < 1e-6, (name, args)
                continue
            assert abs(v) <= 1.5**2 + 2.0, (name, args)
            if domain != "real":
                assert abs(v) >= 0.25, (name, args)
            if domain in ("positive", "nonnegative"):
                assert v > 0, (name, args)


@settings(max_examples=100)
@given(expressions())
def test_operands_are_bounded_in_slope_too(case: Case) -> None:
    # The slope of each operand before its shift (its partials with respect to the inputs,
    # summed in absolute value), found by autograd on the program replayed on Values.
    f, inputs = case
    leaves = [Value(x) for x in inputs]
    nodes: list[Any] = list(leaves)
    for step in f.steps:
        for o in (o for o in step.operands if isinstance(o.source, int)):
            slope = sum(map(abs, grad(o.bounded(nodes), leaves)))
            assert slope <= SLOPE_MAX * (1 + 1e-9), (f, o, slope)
        nodes.append(step.op(*[o.apply(nodes) for o in step.operands]))


def test_a_chain_that_multiplies_slopes_is_drawn_scaled_and_checks() -> None:
    # Sums of five copies multiply slopes by 5 at each step (issue 13's program is
    # sum(x0 x5), sum(v0 x5), ... with every value 0 at x0 = 0: nothing to squash, slope 5**7).
    # Scaled operands keep each operand's slope at SLOPE_MAX.
    def scaled(c: Case) -> bool:
        return any(o.scale is not None for s in c[0].steps for o in s.operands)

    first_found = settings(max_examples=500, database=None, phases=[Phase.generate])
    f, inputs = find(expressions(max_inputs=1, ops=["sum"]), scaled, settings=first_found)
    assert re.search(r"\(v\d+\*0\.\d+\)", repr(f)), f  # the scale is in the printed program
    x = Value(inputs[0])
    (slope,) = grad(f(x), [x])
    assert 0 < abs(slope) <= SLOPE_MAX * len(f.output) * (1 + 1e-9)
    assert gradcheck(f, inputs, order=2)


@settings(max_examples=50)
@given(expressions(max_inputs=2, max_ops=5))
def test_an_expression_returns_a_value_and_has_the_drawn_input_count(case: Case) -> None:
    f, inputs = case
    assert 1 <= len(inputs) <= 2
    assert 1 <= len(f.steps) <= 5
    assert isinstance(f(*[Value(x) for x in inputs]), Value)


def test_expressions_share_subexpressions() -> None:
    # A drawn node (not an input) used by two later operands, as in v1 = v0 * v0 or
    # v1 = sin(v0); v2 = v1 + v0. Counted on the program, not on the squash and guard nodes.
    def shared_steps(case: Case) -> list[int]:
        f, _ = case
        sources = [o.source for s in f.steps for o in s.operands if isinstance(o.source, int)]
        return [i for i in set(sources) if i >= f.n_inputs and sources.count(i) > 1]

    case = find(expressions(), lambda c: bool(shared_steps(c)), settings=FIND)
    f, inputs = case
    assert len(f.steps) >= 2
    assert gradcheck(f, inputs, order=2)


def test_expressions_draw_ops_defined_after_the_strategy_was_made() -> None:
    strategy = expressions()
    define_op("late_op", lambda a: 2 * a + 1, lambda a, out: (2.0,))
    f, _ = find(strategy, lambda c: any(s.op.name == "late_op" for s in c[0].steps),
                settings=FIND)
    assert any(s.op is OPS["late_op"] for s in f.steps)


def test_expressions_draw_members_of_the_pow_family() -> None:
    f, _ = find(expressions(ops=["pow", "add"]),
                lambda c: any(s.op.param == -0.5 for s in c[0].steps), settings=FIND)
    assert [s.op.symbol for s in f.steps if s.op.param == -0.5] == ["^-0.5"]


def test_expressions_handle_a_user_n_ary_op() -> None:
    mean = define_op("mean", lambda *a: sum(a) / len(a),
                     lambda *a: (1 / (len(a) - 1),) * (len(a) - 1))

    @settings(max_examples=30)
    @given(expressions(ops=[mean, "mul"]))
    def check(case: Case) -> None:
        f, inputs = case
        assert gradcheck(f, inputs, order=2)

    check()


# --- planted bugs are found, and shrunk --------------------------------------------------------


def test_a_wrong_user_partial_is_found_and_shrunk_to_one_step() -> None:
    define_op("bad_sin", math.sin, lambda a, out: (OPS["sin"](a),))  # should be cos
    f, _ = find(expressions(ops=["bad_sin", "add", "mul"]), fails_gradcheck,
                settings=FIND)
    assert [s.op.name for s in f.steps] == ["bad_sin"]


def test_a_cut_off_partial_is_found_at_order_2_only() -> None:
    define_op("cut_cube", lambda a: a**3, lambda a, out: (3 * data_of(a) ** 2,))
    strategy = expressions(ops=["cut_cube", "add", "mul"])
    with pytest.raises(NoSuchExample):
        find(strategy, fails_gradcheck, settings=settings(max_examples=100, database=None))
    f, _ = find(strategy, lambda c: fails_gradcheck(c, order=2), settings=FIND)
    assert "cut_cube" in [s.op.name for s in f.steps]


# --- the Expression object --------------------------------------------------------------------


def test_expression_repr_is_the_program() -> None:
    f = Expression(1, (Step(OPS["log"], (Operand(0, shift=1.0),)),
                       Step(OPS["mul"], (Operand(1), Operand(1)))), (Operand(2),))
    assert repr(f) == "Expression(x0: v0 = log((x0*x0 + 1.0)); v1 = mul(v0, v0); out = v1)"
    assert pretty(f) == repr(f)  # what hypothesis prints for a failing example
    assert f(Value(0.0)).data == 0.0


def test_expression_refuses_the_wrong_number_of_inputs() -> None:
    f = Expression(2, (Step(OPS["add"], (Operand(0), Operand(1))),), (Operand(2),))
    with pytest.raises(TypeError, match="takes 2 input"):
        f(Value(1.0))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"max_inputs": 0}, ValueError), ({"max_ops": 0}, ValueError),
     ({"max_ops": 2.0}, TypeError), ({"max_inputs": True}, TypeError),
     ({"ops": []}, ValueError), ({"ops": ["no_such_op"]}, ValueError),
     ({"ops": "add"}, TypeError), ({"ops": [42]}, TypeError)],
)
def test_expressions_rejects_bad_arguments(kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        expressions(**kwargs)


# --- without hypothesis -------------------------------------------------------------------------


def test_without_hypothesis_the_import_error_names_the_test_extra() -> None:
    # sys.modules[name] = None makes "import name" fail as if it were not installed.
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "try:\n"
            "    import autograd.testing\n"
            "except ImportError as e:\n"
            "    print(type(e).__name__, e.name, '|', e)\n")
    root = Path(__file__).resolve().parents[2]  # "-c" puts the cwd first on sys.path
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    kind, name, _, message = out.stdout.split(" ", 3)
    assert kind == "ModuleNotFoundError" and name == "hypothesis", out.stdout  # an ImportError
    assert 'pip install "chainrule[test]"' in message
    assert "autograd.testing" in message


def test_without_hypothesis_autograd_itself_still_imports_and_works() -> None:
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "from autograd import Value, gradcheck\n"
            "x = Value(2.0); (x * x).backward(); print(x.grad, gradcheck(lambda a: a * a, [2.0]))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.split() == ["4.0", "True"]
