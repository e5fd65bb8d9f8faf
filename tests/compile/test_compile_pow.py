"""autograd.compile writes a power with a whole-number exponent as the notes do, ``x ** 2`` and
its slope ``2.0 * x``, read from the op table's own rules, with the eager engine's numbers
(exactly) and its errors: an overflow is the engine's OverflowError, never a silent inf."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, no_grad
from mlp import MLP, losses


def outcome(run: Callable[[], list[float]]) -> Any:
    """The numbers as reprs (so nan is nan, and -0.0 is not 0.0), or the error as (type,
    message)."""
    try:
        return [repr(x) for x in run()]
    except Exception as e:
        return (type(e), str(e))


def value_and_grad(f: Callable[[Value], Value], w0: float) -> list[float]:
    w = Value(w0, "w")
    out = f(w)
    return [out.data, *grad(out, [w])]


def parameter_program(f: Callable[[Value], Value], w0: float
                      ) -> tuple[Value, autograd.Program]:
    """``f`` of a parameter w, compiled at w0; the program takes no arguments."""
    w = Value(w0, "w")
    return w, autograd.compile(lambda: f(w))


def compiled_value_and_grad(w: Value, prog: autograd.Program, w0: float) -> list[float]:
    w.data = w0
    out = prog()
    return [out.data, *grad(out, [w])]


def test_the_notes_square_and_its_slope_read_as_the_notes_write_them() -> None:
    model = MLP(3, [2, 1], activation=None, seed=0)
    prog = autograd.compile(lambda x, y: losses.mse(y, model(x)), [0.5, -1.0, 2.0], 1.0)
    lines = [line.strip() for line in prog.source.splitlines()]
    assert "pow_t1 = t1 ** 2  # (y − ŷ)²" in lines
    assert "dL_dt1 = dL_dpow_t1 * (2.0 * t1)" in lines
    for source in prog.sources.values():
        assert not re.search(r"\bpow_\w*\(", source), source  # no call of a pow rule left


@pytest.mark.parametrize(("k", "forward", "partial"), [
    (2, "L = t1 ** 2", "(2.0 * t1)"),
    (2.0, "L = t1 ** 2", "(2.0 * t1)"),
    (3, "L = t1 ** 3", "(3.0 * t1 ** 2)"),
    (4.0, "L = t1 ** 4", "(4.0 * t1 ** 3)"),
    (1, "L = t1", "dL_dt1 = dL_dL"),
    (0, "L = 1.0", "dL_dL * 0.0"),
    (-1, "L = t1 ** -1", "-1.0 * t1 ** -2"),
    (-2, "L = t1 ** -2", "-2.0 * t1 ** -3"),
])
def test_a_whole_number_exponent_is_written_x_to_the_k_in_the_forward_and_the_partial(
        k: float, forward: str, partial: str) -> None:
    def f(w: Value) -> Value:
        return (w * 1.5) ** k

    _, prog = parameter_program(f, 0.7)
    lines = [line.strip() for line in prog.sources["gradient"].splitlines()]
    assert forward in lines
    assert any(partial in line for line in lines)
    # The table's pow rule is called only where Python's ** raises anyway (0 ** -1): where
    # the rule itself says it raises, its own error message is kept.
    calls = [line for line in lines if re.search(r"\bpow_\w*\(", line)]
    assert all(line.startswith("if t1 == 0.0: ") for line in calls), calls
    assert len(calls) == (2 if k < 0 else 0)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5, -1, -2, -3, 2.0, 3.0, -1.0])
def test_x_to_a_whole_number_compiled_gives_the_eager_numbers_bit_for_bit(k: float) -> None:
    def f(w: Value) -> Value:
        return ((w * 1.5) ** k).tanh() + w ** k

    w, prog = parameter_program(f, 0.7)
    for w0 in (0.7, -0.7, 1e-3, -3.0, 12.5, 1e30, -1e-30, 3.3e-9):
        assert outcome(lambda: compiled_value_and_grad(w, prog, w0)) == outcome(  # noqa: B023
            lambda: value_and_grad(f, w0))  # noqa: B023
    assert prog.fallbacks == 0


def test_a_square_that_overflows_raises_the_engines_error_not_pythons() -> None:
    # 1e200 ** 2 on floats raises Python's bare OverflowError "(34, 'Numerical result out of
    # range')"; the compiled code reruns the call eagerly, which raises the engine's own.
    prog = autograd.compile(lambda x: x ** 2, 3.0)
    message = r"^pow: 1e\+200 \*\* 2 overflows$"
    with pytest.raises(OverflowError, match=message):
        prog(1e200)
    with pytest.raises(OverflowError, match=message):
        prog(Value(1e200))
    with no_grad(), pytest.raises(OverflowError, match=message):
        prog(1e200)
    with pytest.raises(OverflowError, match=message):
        prog.values([3.0, 1e200])
    with pytest.raises(OverflowError, match=message):
        prog.mean([3.0, 1e200])
    assert prog.fallbacks == 5
    assert prog(3.0).data == 9.0


@pytest.mark.parametrize(("f", "x0", "points"), [
    # The square overflows: a tanh, a relu or an exp after it would absorb the inf.
    (lambda x: (x ** 2).tanh(), 2.0, [1e200, -1e155, 1e154]),
    (lambda x: (-(x ** 2)).relu() + x, 2.0, [1e200, 3.0]),
    (lambda x: (-(x ** 2)).exp(), 2.0, [1e200, 1e-3]),
    (lambda x: 1 / (1 + x ** 4), 2.0, [1e100, 1e-100]),
    # x ** -1 at 0 and at the smallest subnormal (1/5e-324 overflows).
    (lambda x: (x ** -1).tanh(), 2.0, [0.0, -0.0, 5e-324, -5e-324, 2.0]),
    # x ** 1000 is finite at 2.032 but its slope 1000 * x ** 999 is not.
    (lambda x: (x ** 1000).tanh(), 1.5, [2.032, -2.032, 1.5]),
    (lambda x: x ** 1000 * 0.0 + x, 1.5, [2.032]),
])
def test_an_overflow_in_a_power_or_its_slope_is_the_engines_error_everywhere(
        f: Callable[[Value], Value], x0: float, points: list[float]) -> None:
    prog = autograd.compile(f, x0)
    for p in points:
        eager = outcome(lambda: value_and_grad(f, p))  # noqa: B023
        assert outcome(lambda: value_and_grad(prog, p)) == eager  # noqa: B023
        with no_grad():
            assert outcome(lambda: [prog(p).data]) == outcome(  # noqa: B023
                lambda: [f(Value(p)).data])  # noqa: B023
        assert outcome(lambda: prog.values([p])) == outcome(  # noqa: B023
            lambda: [f(Value(p)).data])  # noqa: B023


EXPONENTS = st.one_of(st.integers(-6, 6), st.integers(-6, 6).map(float),
                      st.sampled_from([7, 16, 99, 300, 1000, -300]))
FINITE = st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                   st.sampled_from([0.0, -0.0, 1e-300, 5e-324, 1e154, 1e155, 2.032, -1.0]))
WRAPPERS: list[Callable[[Value], Value]] = [
    lambda y: y, lambda y: y.tanh(), lambda y: (-y).relu(), lambda y: (-abs(y)).exp(),
    lambda y: 1 / (1 + abs(y)), lambda y: y * 0.0,
]


@settings(max_examples=150)
@given(EXPONENTS, FINITE, FINITE, st.sampled_from(range(len(WRAPPERS))))
def test_a_power_of_a_finite_number_never_slips_out_an_inf_and_matches_eager(
        k: float, x0: float, x: float, wrap: int) -> None:
    def f(w: Value) -> Value:
        return WRAPPERS[wrap](w ** k)

    prog = autograd.compile(f, x0) if _traceable(f, x0) else autograd.compile(f, 1.5)
    compiled = outcome(lambda: value_and_grad(prog, x))
    assert compiled == outcome(lambda: value_and_grad(f, x)), (k, x0, x)
    if isinstance(compiled, list):  # numbers: finite, as the operand was
        assert all(math.isfinite(float(v)) for v in compiled)


def _traceable(f: Callable[[Value], Value], x0: float) -> bool:
    try:
        f(Value(x0))
    except (OverflowError, ZeroDivisionError, ValueError):
        return False
    return True


def test_pows_partial_compiles_as_written_and_an_unreadable_callee_stays_a_call() -> None:
    # pow's partial, n * x ** (n - 1), is arithmetic on the placeholder: 3.0 * x ** 2 for
    # x ** 3. sin's partial calls cos, whose rule is math.cos: that stays a call.
    def f(v: Value) -> Value:
        return v ** 3 + v.sin()

    w, prog = parameter_program(f, 0.8)
    lines = [line.strip() for line in prog.sources["gradient"].splitlines()]
    assert "dL_dw = dL_dpow_w * (3.0 * w ** 2)" in lines
    assert "dL_dw += dL_dsin_w * cos(w)" in lines
    for w0 in (0.8, -2.5, 1e-200, 1e200):
        assert outcome(lambda: compiled_value_and_grad(w, prog, w0)) == outcome(  # noqa: B023
            lambda: value_and_grad(f, w0))  # noqa: B023


def test_a_condition_the_rule_and_its_callee_both_test_is_tested_once() -> None:
    # x ** -1's partial tests x == 0 and computes x ** -2, whose forward tests it again.
    _, prog = parameter_program(lambda w: w ** -1, 2.0)
    guards = [line.strip() for line in prog.sources["gradient"].splitlines() if "if " in line]
    assert guards and all(line.count("w == 0.0") == 1 for line in guards), guards

