"""SGD's weight_decay, dampening and nesterov, and AdamW: PyTorch's rules, by hand and by torch."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from mlp import optim

small = st.floats(-10, 10)
rates = st.floats(1e-3, 0.5)
unit = st.floats(0.0, 0.95)


def stepped(opt: optim.Optimizer, grads: list[list[float]]) -> list[float]:
    for gs in grads:
        for p, g in zip(opt.params, gs, strict=True):
            p.grad = g
        opt.step()
    return [p.data for p in opt.params]


@given(small, rates, st.floats(0.0, 1.0), st.integers(1, 6))
def test_weight_decay_alone_shrinks_a_weight_geometrically(w: float, lr: float, wd: float,
                                                           k: int) -> None:
    p = Value(w)
    (data,) = stepped(optim.SGD([p], lr=lr, weight_decay=wd), [[0.0]] * k)
    assert data == pytest.approx(w * (1 - lr * wd) ** k, rel=1e-12, abs=1e-300)


@given(small, small, rates, st.floats(0.0, 1.0))
def test_weight_decay_adds_wd_times_w_to_the_gradient(w: float, g: float, lr: float,
                                                      wd: float) -> None:
    (data,) = stepped(optim.SGD([Value(w)], lr=lr, weight_decay=wd), [[g]])
    assert data == w - lr * (g + wd * w)


@given(small, rates, st.floats(0.05, 0.95), st.integers(1, 6))
def test_nesterov_steps_by_g_plus_momentum_times_the_velocity(g: float, lr: float, mu: float,
                                                              k: int) -> None:
    (data,) = stepped(optim.SGD([Value(0.0)], lr=lr, momentum=mu, nesterov=True), [[g]] * k)
    # with a constant g the velocity after t steps is g(1 + mu + ... + mu^(t-1))
    expected = 0.0
    for t in range(1, k + 1):
        velocity = g * sum(mu**j for j in range(t))
        expected -= lr * (g + mu * velocity)
    assert data == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(small, rates, st.floats(0.05, 0.95), unit, st.integers(1, 6))
def test_dampening_scales_the_new_gradient_after_the_first_step(g: float, lr: float, mu: float,
                                                                d: float, k: int) -> None:
    (data,) = stepped(optim.SGD([Value(0.0)], lr=lr, momentum=mu, dampening=d), [[g]] * k)
    velocity, expected = g, -lr * g  # PyTorch: the first velocity is g itself, undamped
    for _ in range(k - 1):
        velocity = mu * velocity + (1 - d) * g
        expected -= lr * velocity
    assert data == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(st.lists(st.tuples(small, small), min_size=1, max_size=4), rates, st.integers(1, 4))
def test_adamw_without_weight_decay_is_adam(pairs: list[tuple[float, float]], lr: float,
                                            k: int) -> None:
    grads = [[g for _, g in pairs]] * k
    a = stepped(optim.AdamW([Value(w) for w, _ in pairs], lr=lr, weight_decay=0.0), grads)
    b = stepped(optim.Adam([Value(w) for w, _ in pairs], lr=lr), grads)
    assert a == b


@given(small, rates, st.floats(0.0, 1.0), st.integers(1, 6))
def test_adamw_decay_is_decoupled_from_the_gradient(w: float, lr: float, wd: float,
                                                    k: int) -> None:
    # a zero gradient: Adam's step is 0, and only the decay w <- w(1 - lr wd) is left
    (data,) = stepped(optim.AdamW([Value(w)], lr=lr, weight_decay=wd), [[0.0]] * k)
    assert data == pytest.approx(w * (1 - lr * wd) ** k, rel=1e-12, abs=1e-300)


def test_adamw_has_pytorchs_defaults() -> None:
    opt = optim.AdamW([Value(1.0)])
    assert (opt.lr, opt.betas, opt.eps, opt.weight_decay) == (1e-3, (0.9, 0.999), 1e-8, 1e-2)


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), ValueError,
     "SGD: nesterov needs momentum > 0 and dampening 0"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
     "SGD: nesterov needs momentum > 0 and dampening 0"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=1), TypeError,  # type: ignore[arg-type]
     "SGD: nesterov must be True or False, got int"),
    (lambda p: optim.SGD(p, lr=0.1, weight_decay=-0.1), ValueError,
     r"SGD: weight_decay must be finite and >= 0, got -0.1"),
    (lambda p: optim.SGD(p, lr=0.1, weight_decay="0.1"), TypeError,  # type: ignore[arg-type]
     "SGD: weight_decay must be a number, got str"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=0.5, dampening=1.5), ValueError,
     r"SGD: dampening must be in \[0, 1\], got 1.5"),
    (lambda p: optim.AdamW(p, weight_decay=math.inf), ValueError,
     "AdamW: weight_decay must be finite and >= 0, got inf"),
    (lambda p: optim.AdamW(p, betas=(0.9, 1.0)), ValueError, "AdamW: betas must be two numbers"),
])
def test_bad_hyperparameters_are_typed_errors_naming_them(make: Any, error: type,
                                                          message: str) -> None:
    with pytest.raises(error, match=message):
        make([Value(1.0)])


CONFIGS: list[tuple[str, dict[str, Any]]] = [
    ("SGD", {"lr": 0.1, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
]


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS)
def test_the_steps_match_torch_optim(name: str, kwargs: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    rng = random.Random(0)
    start = [rng.uniform(-2, 2) for _ in range(5)]
    grads = [[rng.uniform(-3, 3) for _ in start] for _ in range(8)]
    mine = stepped(getattr(optim, name)([Value(w) for w in start], **kwargs), grads)
    t = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, name)([t], **kwargs)
    for gs in grads:
        t.grad = torch.tensor(gs, dtype=torch.float64)
        opt.step()
    assert mine == pytest.approx(t.detach().tolist(), rel=1e-12, abs=1e-14)
