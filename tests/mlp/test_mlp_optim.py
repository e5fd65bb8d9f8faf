"""Optimizers: the notes' update rule exactly, momentum, Adam, learning-rate schedules."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autograd import Value
from mlp import optim


def with_grads(*pairs: tuple[float, float]) -> list[Value]:
    params = []
    for data, g in pairs:
        p = Value(data)
        p.grad = g
        params.append(p)
    return params


def test_sgd_step_is_w_minus_lr_times_the_gradient_exactly() -> None:
    params = with_grads((0.7, 0.3), (-1.1, -2.5), (3.0, 0.0))
    optim.SGD(params, lr=0.1).step()
    assert [p.data for p in params] == [0.7 - 0.1 * 0.3, -1.1 - 0.1 * -2.5, 3.0]


def test_sgd_does_not_touch_the_gradients_and_zero_grad_clears_them() -> None:
    params = with_grads((1.0, 0.5), (2.0, -0.5))
    opt = optim.SGD(params, lr=0.1)
    opt.step()
    assert [p.grad for p in params] == [0.5, -0.5]
    opt.zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_sgd_momentum_keeps_a_velocity() -> None:
    (p,) = with_grads((1.0, 2.0))
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # v = 2
    assert p.data == 1.0 - 0.1 * 2.0
    opt.step()  # v = 0.9 * 2 + 2
    assert p.data == (1.0 - 0.1 * 2.0) - 0.1 * (0.9 * 2.0 + 2.0)


def test_adam_first_step_moves_each_parameter_by_about_lr_against_its_gradient() -> None:
    params = with_grads((0.0, 5.0), (0.0, -0.001))
    optim.Adam(params, lr=0.01).step()
    assert math.isclose(params[0].data, -0.01, rel_tol=1e-6)
    assert math.isclose(params[1].data, 0.01, rel_tol=1e-4)


def test_adam_converges_on_a_quadratic() -> None:
    x, y = Value(4.0), Value(-3.0)
    opt = optim.Adam([x, y], lr=0.1)
    for _ in range(500):
        loss = (x - 1.0) ** 2 + 10 * (y + 2.0) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert abs(x.data - 1.0) < 1e-3 and abs(y.data + 2.0) < 1e-3


def test_a_schedule_is_called_with_the_step_number_and_its_rate_is_used() -> None:
    calls: list[int] = []

    def schedule(t: int) -> float:
        calls.append(t)
        return 1.0 / (t + 1)

    (p,) = with_grads((0.0, 1.0))
    opt = optim.SGD([p], lr=schedule)
    for _ in range(3):
        opt.step()
    assert calls == [0, 1, 2]
    assert p.data == ((0.0 - 1.0) - 0.5) - 1.0 / 3
    assert opt.steps == 3


def test_adam_accepts_a_schedule_too() -> None:
    (p,) = with_grads((0.0, 1.0))
    opt = optim.Adam([p], lr=lambda t: 0.0 if t == 0 else 0.1)
    opt.step()
    assert p.data == 0.0
    opt.step()
    assert p.data < 0.0


def test_a_gradient_that_is_a_value_steps_by_its_number() -> None:
    (p,) = with_grads((1.0, 0.0))
    p.grad = Value(2.0)
    optim.SGD([p], lr=0.5).step()
    assert p.data == 0.0


def test_bad_arguments_raise_clear_errors() -> None:
    (p,) = with_grads((1.0, 1.0))
    with pytest.raises(ValueError, match="SGD: got no parameters"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="listed twice"):
        optim.SGD([p, p], lr=0.1)
    with pytest.raises(TypeError, match=r"SGD: params\[0\] must be a Value, got float"):
        optim.SGD([1.0], lr=0.1)  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"SGD: lr must be finite and >= 0, got -0\.1"):
        optim.SGD([p], lr=-0.1)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        optim.SGD([p], lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="Adam: betas"):
        optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match=r"lr\(0\) must be finite and >= 0, got nan"):
        optim.SGD([p], lr=lambda t: math.nan).step()


@pytest.mark.parametrize(("kwargs", "kind", "words"), [
    ({"betas": 0.9}, TypeError, r"Adam: betas must be a pair of numbers, got float"),
    ({"betas": ("a", "b")}, TypeError, r"Adam: betas must be a pair of numbers, got \('a', 'b'\)"),
    ({"betas": (0.9, True)}, TypeError, r"Adam: betas must be a pair of numbers"),
    ({"eps": "1e-8"}, TypeError, r"Adam: eps must be a number, got str"),
    ({"eps": math.inf}, ValueError, r"Adam: eps must be finite and > 0, got inf"),
])
def test_adam_names_bad_betas_and_eps(kwargs: dict[str, object], kind: type[Exception],
                                      words: str) -> None:
    with pytest.raises(kind, match=words):
        optim.Adam([Value(1.0)], **kwargs)  # type: ignore[arg-type]


def test_passing_the_model_instead_of_its_parameters_says_so() -> None:
    from mlp import MLP

    for make in (optim.SGD, optim.Adam):
        with pytest.raises(TypeError, match=r"params must be an iterable of Values, e\.g\. "
                                            r"model\.parameters\(\), got MLP"):
            make(MLP(2, [1], seed=0), lr=0.1)  # type: ignore[arg-type]


# --- a step that overflows: said, never a silent inf or a silent zero step ------------------


OVERFLOWING: dict[str, tuple[Callable[[list[Value]], optim.Optimizer], float, str]] = {
    # g * g overflows in v: Adam's step became 1e300 / inf = 0, and the weight froze for good
    "Adam, g squared": (lambda ps: optim.Adam(ps, lr=0.1), 1e300, r"Adam: the running mean "
                        r"of g² of params\[1\] \('w2'\) overflows a float \(its grad is 1e\+300\)"),
    "SGD": (lambda ps: optim.SGD(ps, lr=1e300), 1e10, r"SGD: the step of params\[1\] \('w2'\) "
            r"overflows a float \(its grad is 1e\+10, lr 1e\+300\)"),
    "SGD, momentum": (lambda ps: optim.SGD(ps, lr=1e300, momentum=0.5), 1e10,
                      r"SGD: the step of params\[1\]"),
    "Adam, lr": (lambda ps: optim.Adam(ps, lr=1e308), 1.0, r"Adam: the step of params\[1\]"),
}


@pytest.mark.parametrize("case", OVERFLOWING)
def test_a_step_that_overflows_raises_naming_the_parameter_and_moves_nothing(case: str) -> None:
    make, g, message = OVERFLOWING[case]
    params = with_grads((0.5, 1.0), (-1e308, g), (3.0, -1.0))
    params[1].label = "w2"
    opt = make(params)
    state = [list(getattr(opt, name, [])) for name in ("velocity", "m", "v")]
    with pytest.raises(optim.DivergedError, match=message + ".*training diverged"):
        opt.step()
    assert [p.data for p in params] == [0.5, -1e308, 3.0]  # none moved: all or nothing
    assert [list(getattr(opt, name, [])) for name in ("velocity", "m", "v")] == state
    assert opt.steps == 0
    assert issubclass(optim.DivergedError, OverflowError)  # code catching OverflowError still does


def test_a_gradient_that_is_already_inf_or_nan_carries_on_as_ieee_says() -> None:
    params = with_grads((0.5, math.inf), (1.0, math.nan))
    optim.SGD(params, lr=0.1).step()
    assert params[0].data == -math.inf and math.isnan(params[1].data)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1),
                                  lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adam(ps, lr=0.1)],
                         ids=["SGD", "SGD momentum", "Adam"])
def test_grads_that_are_values_step_as_their_numbers_do(
        make: Callable[[list[Value]], optim.Optimizer]) -> None:
    # After backward(create_graph=True) each grad is a Value: a step moves the weights exactly
    # as the same grads as floats would, and the weights stay floats.
    def run(create_graph: bool) -> list[float]:
        w, b = Value(0.7), Value(-0.2)
        opt = make([w, b])
        for _ in range(3):
            opt.zero_grad()
            ((w * 1.5 + b).tanh() ** 2).backward(create_graph=create_graph)
            assert isinstance(w.grad, Value) == create_graph
            opt.step()
        assert type(w.data) is float and type(b.data) is float
        return [w.data, b.data]

    assert run(create_graph=True) == run(create_graph=False)


def test_hyperparameters_take_real_numbers_as_value_does() -> None:
    # lr=np.float32(0.1) was refused ("must be a number ... got float32") while Value takes it.
    from fractions import Fraction

    np = pytest.importorskip("numpy")
    (p,) = with_grads((1.0, 2.0))
    sgd = optim.SGD([p], lr=np.float32(0.5), momentum=np.float64(0.0))
    assert type(sgd.lr) is float  # so a step is float arithmetic, not float32's
    sgd.step()
    assert p.data == 0.0 and type(p.data) is float
    opt = optim.Adam([p], lr=Fraction(1, 10), betas=(np.float32(0.5), 0.25), eps=np.float64(1e-8))
    assert opt.betas == (0.5, 0.25) and type(opt.eps) is float
    opt.step()
    assert optim.SGD([p], lr=lambda t: np.float64(0.25)).rate() == 0.25
    for bad in (True, "0.1", 1j, np.bool_(True)):
        with pytest.raises(TypeError, match="SGD: lr must be a number"):
            optim.SGD([p], lr=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("grad", ["1.5", [1.0], True])
def test_a_grad_that_is_not_a_number_is_refused_when_written(grad: object) -> None:
    # p.grad = "1.5" used to be stored and stepped by 1.5 (float("1.5")); now the write fails.
    b = Value(2.0, label="b")
    with pytest.raises(TypeError, match=r"Value.grad: expected a real number"):
        b.grad = grad  # type: ignore[assignment]
    assert b.grad == 0.0


def test_a_grad_set_to_none_steps_as_no_gradient() -> None:
    # PyTorch's zero_grad idiom: p.grad = None. The step moves nothing (momentum aside).
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    a.grad, b.grad = 0.5, 3.0
    b.grad = None
    optim.SGD([a, b], lr=0.1).step()
    assert (a.data, b.data) == (1.0 - 0.1 * 0.5, 2.0)
