"""Optimizers: move each parameter against its gradient, ``w(t+1) = w(t) − η dL/dw``.

``lr`` is a number or a schedule: a callable given the step number t (0 for the first
``step()``, then 1, 2, ...) that returns the learning rate for that step.

A step moves every parameter or none: one that overflows a float from finite numbers (a new
weight, or Adam's running mean of g², which would make its step 0 and freeze the weight)
raises ``DivergedError`` (an ``OverflowError``) naming the parameter before anything changes;
``fit`` reports it as divergence. A grad that is already inf or nan carries on, as IEEE floats do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import SupportsFloat, SupportsIndex

from autograd import Value
from autograd.reals import is_real, named_real
from autograd.write import subtract_data
from mlp.checks import zero_grads

Real = SupportsFloat | SupportsIndex
"""A real number: an int, a float, numpy's scalars, a Fraction (see ``autograd.reals``)."""
LearningRate = Real | Callable[[int], Real]


class DivergedError(OverflowError):
    """An optimizer's step that would take a parameter (or its step) past the float range from
    finite numbers: training diverged. An ``OverflowError``, so code that catches that still
    does; ``fit`` reports it as divergence, naming the epoch."""


class Optimizer:
    """What SGD and Adam share: the parameters, the step count and the learning rate."""

    def __init__(self, params: Iterable[Value], lr: LearningRate) -> None:
        name = type(self).__name__
        if isinstance(params, Value) or not isinstance(params, Iterable):
            raise TypeError(f"{name}: params must be an iterable of Values, e.g. "
                            f"model.parameters(), got {type(params).__name__}")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{name}: got no parameters to optimize")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{name}: params[{i}] must be a Value, got {type(p).__name__}")
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(f"{name}: a parameter is listed twice (it would be stepped twice)")
        self.lr: LearningRate = lr if callable(lr) else _check_rate(lr, f"{name}: lr")
        self.steps = 0
        """How many times ``step()`` has run."""

    def rate(self) -> float:
        """The learning rate of the next step: ``lr``, or ``lr(steps)`` for a schedule."""
        lr = self.lr
        if callable(lr):
            return _check_rate(lr(self.steps), f"{type(self).__name__}: lr({self.steps})")
        return lr if type(lr) is float else _check_rate(lr, f"{type(self).__name__}: lr")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's ``.grad`` to 0.0 before the next backward pass; ``set_to_none``
        is PyTorch's switch, taken and the same here (see ``mlp.checks.zero_grads``)."""
        zero_grads(self.params, set_to_none)

    def step(self) -> None:
        """Update every parameter from its ``.grad``, then count the step."""
        self._update(self.rate())
        self.steps += 1

    def _update(self, lr: float) -> None:
        raise NotImplementedError

    def _grads(self) -> list[float]:
        grads = Value.grads_of(self.params)  # every parameter's, at once
        if set(map(type, grads)) <= {float}:  # the usual case, checked in one C-level pass
            return grads
        return [self._grad_number(g) for g in grads]

    @staticmethod
    def _grad_number(g: object) -> float:
        """A grad as the number to step by: after backward(create_graph=True) it is a Value,
        whose number counts. ``Value.grad`` holds nothing else but floats: its setter refuses
        anything that is not a number where it is written."""
        return g.data if isinstance(g, Value) else float(g)  # type: ignore[arg-type]

    def _move(self, amounts: list[float], grads: list[float], lr: float) -> None:
        """``w ← w − amount`` for every parameter, in one ``subtract_data``, or for none: a
        step or a new weight that overflows a float from finite numbers is an
        ``OverflowError`` naming the parameter, raised before any parameter moves."""
        params = self.params
        if _any_not_finite(amounts):  # lr * g overflowed? (an inf or nan grad carries on)
            for i, a in enumerate(amounts):
                self._check_finite(i, a, grads[i], "the step", lr)
        try:
            subtract_data(params, amounts)
        except OverflowError:  # a finite step took a weight past the float range: which?
            for i, (p, a) in enumerate(zip(params, amounts, strict=True)):
                self._check_finite(i, p.data - a, grads[i], "the step", lr)
            raise

    def _check_finite(self, i: int, x: float, g: float, what: str,
                      lr: float | None = None) -> None:
        """Raise ``DivergedError`` if ``x`` is inf or nan while parameter ``i`` and its grad
        ``g`` are finite (an inf or nan grad carries on, as IEEE floats do)."""
        p = self.params[i]
        if math.isfinite(x) or not (math.isfinite(g) and math.isfinite(p.data)):
            return
        label = f" ({p.label!r:.40})" if p.label else ""
        more = "" if lr is None else f", lr {lr:.4g}"
        raise DivergedError(f"{type(self).__name__}: {what} of params[{i}]{label} overflows a "
                            f"float (its grad is {g:.4g}{more}): "
                            "training diverged; try a smaller learning rate")


def _any_not_finite(xs: list[float]) -> bool:
    """Whether an inf or a nan is among ``xs`` (or their sum is past the float range: a
    closer look then finds nothing). ``sum`` runs in C: one step checks hundreds of weights."""
    total = sum(xs)
    return bool(total - total)


def _real(x: object, what: str, more: str = "") -> float:
    """A hyperparameter as a float: any real number, as ``Value()`` takes one (numpy's
    scalars, ``Fraction``...); a bool, a str or a complex number is a ``TypeError``."""
    number = named_real(x, what)
    if number is None:
        raise TypeError(f"{what} must be a number{more}, got {type(x).__name__}")
    return number


def _check_rate(lr: object, what: str) -> float:
    rate = _real(lr, what, " or a callable of the step")
    if not math.isfinite(rate) or rate < 0:
        raise ValueError(f"{what} must be finite and >= 0, got {lr!r}")
    return rate


class SGD(Optimizer):
    """Gradient descent: ``w ← w − lr·dL/dw`` exactly, as in the notes; PyTorch's options.

    ``weight_decay`` λ adds λ·w to the gradient: g = dL/dw + λ·w. With ``momentum`` μ > 0 a
    velocity is kept, ``v ← g`` on the first step and ``v ← μ·v + (1 − dampening)·g`` after,
    then ``w ← w − lr·v``; ``nesterov=True`` steps by ``g + μ·v`` instead (it needs μ > 0 and
    no dampening), as ``torch.optim.SGD`` does.
    """

    def __init__(  # noqa: PLR0917 (PyTorch's positional order)
            self, params: Iterable[Value], lr: LearningRate, momentum: Real = 0.0,
            dampening: Real = 0.0, weight_decay: Real = 0.0, nesterov: bool = False) -> None:
        super().__init__(params, lr)
        mu = _real(momentum, "SGD: momentum")
        if not 0.0 <= mu < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        d = _real(dampening, "SGD: dampening")
        if not 0.0 <= d <= 1.0:
            raise ValueError(f"SGD: dampening must be in [0, 1], got {dampening!r}")
        if not isinstance(nesterov, bool):
            raise TypeError(f"SGD: nesterov must be True or False, got {type(nesterov).__name__}")
        if nesterov and (mu == 0.0 or d != 0.0):
            raise ValueError(f"SGD: nesterov needs momentum > 0 and dampening 0 (as PyTorch's), "
                             f"got momentum {momentum!r}, dampening {dampening!r}")
        self.momentum, self.dampening, self.nesterov = mu, d, nesterov
        self.weight_decay = _check_decay(weight_decay, "SGD: weight_decay")
        self.velocity = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        grads = self._grads()
        wd, mu = self.weight_decay, self.momentum
        g = grads if wd == 0.0 else [
            gi + wd * p.data for gi, p in zip(grads, self.params, strict=True)]
        if mu == 0.0:
            self._move([lr * gi for gi in g], grads, lr)
            return
        if self.steps == 0:  # PyTorch starts the velocity at g itself, undamped
            velocity = list(g)
        else:
            keep = 1.0 - self.dampening
            velocity = [mu * v + keep * gi for v, gi in zip(self.velocity, g, strict=True)]
        step = [gi + mu * v for gi, v in zip(g, velocity, strict=True)] if self.nesterov \
            else velocity
        self._move([lr * si for si in step], grads, lr)
        self.velocity = velocity


def _check_decay(weight_decay: object, what: str) -> float:
    wd = _real(weight_decay, what)
    if not (math.isfinite(wd) and wd >= 0.0):
        raise ValueError(f"{what} must be finite and >= 0, got {weight_decay!r}")
    return wd


class Adam(Optimizer):
    """Adam (Kingma & Ba): steps by bias-corrected running means of the gradient and its square.

    ``m ← β1·m + (1−β1)·g``, ``v ← β2·v + (1−β2)·g²``, then
    ``w ← w − lr·m̂ / (√v̂ + eps)`` with ``m̂ = m/(1−β1ᵗ)``, ``v̂ = v/(1−β2ᵗ)``, t = 1, 2, ...
    """

    def __init__(self, params: Iterable[Value], lr: LearningRate = 1e-3,
                 betas: tuple[Real, Real] = (0.9, 0.999), eps: Real = 1e-8) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        if (not isinstance(betas, (tuple, list)) or len(betas) != 2
                or not all(is_real(b) for b in betas)):
            shown = repr(betas) if isinstance(betas, (tuple, list)) else type(betas).__name__
            raise TypeError(f"{name}: betas must be a pair of numbers, got {shown:.60}")
        b1, b2 = _real(betas[0], f"{name}: betas[0]"), _real(betas[1], f"{name}: betas[1]")
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"{name}: betas must be two numbers in [0, 1), got {betas!r}")
        self.eps = _real(eps, f"{name}: eps")
        if not (math.isfinite(self.eps) and self.eps > 0):
            raise ValueError(f"{name}: eps must be finite and > 0, got {eps!r}")
        self.betas = (b1, b2)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        grads = self._grads()
        steps, m, v = self._adam_steps(lr, grads)
        self._move(steps, grads, lr)
        self.m, self.v = m, v  # after the move: a step that raises changes nothing

    def _adam_steps(self, lr: float,
                    grads: list[float]) -> tuple[list[float], list[float], list[float]]:
        """Each parameter's Adam step ``lr·m̂/(√v̂ + eps)``, and the new m and v."""
        b1, b2 = self.betas
        t = self.steps + 1
        c1, c2 = 1.0 - b1**t, 1.0 - b2**t
        eps = self.eps
        m = [b1 * mi + (1.0 - b1) * g for mi, g in zip(self.m, grads, strict=True)]
        v = [b2 * vi + (1.0 - b2) * g * g for vi, g in zip(self.v, grads, strict=True)]
        if _any_not_finite(v):  # g * g overflowed? Then the step would be m / inf = 0
            for i, (vi, old) in enumerate(zip(v, self.v, strict=True)):
                if math.isfinite(old):  # an inf that was there already carries on
                    self._check_finite(i, vi, grads[i], "the running mean of g²")
        return [lr * (mi / c1) / (math.sqrt(vi / c2) + eps)
                for mi, vi in zip(m, v, strict=True)], m, v


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), as ``torch.optim.AdamW``: each
    step first shrinks every weight, ``w ← w·(1 − lr·λ)``, then takes Adam's step, which sees
    only the loss's gradient. PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
    weight_decay λ = 1e-2.
    """

    def __init__(self, params: Iterable[Value], lr: LearningRate = 1e-3,
                 betas: tuple[Real, Real] = (0.9, 0.999), eps: Real = 1e-8,
                 weight_decay: Real = 1e-2) -> None:
        super().__init__(params, lr, betas, eps)
        self.weight_decay = _check_decay(weight_decay, "AdamW: weight_decay")

    def _update(self, lr: float) -> None:
        grads = self._grads()
        steps, m, v = self._adam_steps(lr, grads)
        shrink = lr * self.weight_decay
        self._move([p.data * shrink + s for p, s in zip(self.params, steps, strict=True)],
                   grads, lr)
        self.m, self.v = m, v
