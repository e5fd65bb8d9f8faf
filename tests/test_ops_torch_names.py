"""Issue 19's ops named as in PyTorch (log1p, expm1, square, reciprocal, atan so far): values,
derivatives to order 3 against closed forms and against PyTorch float64, typed domain errors."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from autograd import ops as e

# op, closed-form f, f', f'', f'''
CLOSED = {
    "log1p": (e.LOG1P, math.log1p, lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2,
              lambda x: 2 / (1 + x) ** 3),
    "expm1": (e.EXPM1, math.expm1, math.exp, math.exp, math.exp),
    "square": (e.SQUARE, lambda x: x * x, lambda x: 2 * x, lambda x: 2.0, lambda x: 0.0),
    "reciprocal": (e.RECIPROCAL, lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3,
                   lambda x: -6 / x**4),
    "atan": (e.ATAN, math.atan, lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2,
             lambda x: (6 * x * x - 2) / (1 + x * x) ** 3),
}
POINTS = (0.3, 0.7, 1.9)


def derivatives(op: object, x: float) -> list[float]:
    """The value and derivatives 1..3 of op at x, through create_graph backward passes."""
    v = Value(x)
    out = op(v)  # type: ignore[operator]
    found = [out.data]
    f = out
    while len(found) < 4:
        if not isinstance(f, Value):  # a constant derivative: every later one is 0
            found.append(0.0)
            continue
        v.grad = 0.0
        f.backward(create_graph=True)
        f = v.grad if isinstance(v.grad, Value) else float(v.grad)
        found.append(f.data if isinstance(f, Value) else f)
    return found


@pytest.mark.parametrize("name", sorted(CLOSED))
@pytest.mark.parametrize("x", POINTS)
def test_closed_forms_to_order_3(name: str, x: float) -> None:
    op, *forms = CLOSED[name]
    for got, want in zip(derivatives(op, x), (f(x) for f in forms), strict=True):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-14)


def test_domain_errors_name_the_op() -> None:
    with pytest.raises(ValueError, match=r"log1p: .* > -1, got -1\.0"):
        e.LOG1P(Value(-1.0))
    with pytest.raises(ZeroDivisionError, match="reciprocal"):
        e.RECIPROCAL(Value(0.0))


def test_against_torch_to_order_3() -> None:
    torch = pytest.importorskip("torch")
    fns = {"log1p": torch.log1p, "expm1": torch.expm1, "square": torch.square,
           "reciprocal": torch.reciprocal, "atan": torch.atan}
    for name, (op, *_rest) in CLOSED.items():
        for x in POINTS:
            t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            f = fns[name](t)
            want = [f.item()]
            for _ in range(3):
                (f,) = torch.autograd.grad(f, t, create_graph=True)
                want.append(f.item())
            for got, w in zip(derivatives(op, x), want, strict=True):
                assert got == pytest.approx(w, rel=1e-12, abs=1e-14), (name, x)
