"""Seeded passes and several outputs (PyTorch's ``backward(gradient)``, ``grad_outputs``,
``autograd.backward([y1, y2])``), and ``detach``, ``item``, ``int()``."""

from __future__ import annotations

import pytest

import autograd
from autograd import Value, grad, no_grad


def _graph() -> tuple[Value, Value, Value, Value]:
    x, w = Value(1.5, label="x"), Value(-2.0, label="w")
    y1 = (x * w).tanh()
    y2 = x * x + w
    return x, w, y1, y2


def test_a_seed_scales_every_gradient_of_the_pass() -> None:
    x, w, y1, _ = _graph()
    plain = grad(y1, [x, w])
    y1.backward(gradient=2.5)
    assert (x.grad, w.grad) == (2.5 * plain[0], 2.5 * plain[1])
    assert y1.grad == 2.5  # the output holds its seed, dL/dy1


def test_a_seed_on_a_leaf_adds_the_seed() -> None:
    x = Value(3.0)
    x.backward(gradient=-4)
    assert x.grad == -4.0


def test_a_list_of_outputs_is_one_pass_summing_over_them() -> None:
    x, w, y1, y2 = _graph()
    expected = [a + b for a, b in zip(grad(y1, [x, w]), grad(y2, [x, w]), strict=True)]
    autograd.backward([y1, y2])
    assert [x.grad, w.grad] == pytest.approx(expected, rel=1e-15)
    assert (y1.grad, y2.grad) == (1.0, 1.0)


def test_a_list_of_outputs_with_seeds() -> None:
    x, _, y1, y2 = _graph()
    g1, g2 = grad(y1, [x]), grad(y2, [x])
    autograd.backward([y1, y2], gradient=[0.5, -3.0])
    assert x.grad == pytest.approx(0.5 * g1[0] - 3.0 * g2[0], rel=1e-15)
    assert grad([y1, y2], [x], grad_outputs=[0.5, -3.0]) == [x.grad]


def test_grad_outputs_seeds_grad_and_keeps_grad_untouched() -> None:
    x, _, y1, _ = _graph()
    (d,) = grad(y1, [x])
    assert grad(y1, [x], grad_outputs=3.0) == [3.0 * d]
    assert x.grad == 0.0


def test_a_seeded_pass_with_create_graph_differentiates_again() -> None:
    x = Value(2.0)
    y = x * x * x
    y.backward(create_graph=True, gradient=2.0)
    assert x.grad_value.data == 2.0 * 12.0
    (d2,) = grad(x.grad_value, [x])
    assert d2 == 2.0 * 12.0  # d/dx of 2 * 3x^2 at 2


def test_a_seeded_pass_inside_no_grad_still_works() -> None:
    x = Value(2.0)
    y = x * 5
    with no_grad():
        y.backward(gradient=2.0)
    assert x.grad == 10.0


def test_a_failed_list_pass_changes_no_grad() -> None:
    x = Value(-1.0)
    good, bad = x * 2, Value(4.0) * x
    x.data = 0.5  # the graphs were recorded at -1.0: the pass must refuse, all or nothing
    x.grad = 7.0
    with pytest.raises(RuntimeError):
        autograd.backward([good, bad])
    assert x.grad == 7.0


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda y: y.backward(gradient="2"), TypeError,
     r"^backward: gradient must be a real number \(int, float, \.\.\.\), got str"),
    (lambda y: y.backward(gradient=True), TypeError, r"gradient must be a real number"),
    (lambda y: y.backward(gradient=float("nan")), ValueError, r"gradient must be finite"),
    (lambda y: y.backward(gradient=Value(1.0)), TypeError,
     r"gradient must be a number, got a Value"),
    (lambda y: y.backward(2.0), TypeError, r"create_graph must be True or False, got float 2.0; "
     r"to seed the pass .* pass gradient="),
    (lambda y: autograd.backward([y, 1.0]), TypeError,  # type: ignore[list-item]
     r"^backward: root\[1\] must be a Value, got float"),
    (lambda y: autograd.backward([]), ValueError, r"the list of outputs is empty"),
    (lambda y: autograd.backward([y, y], gradient=[1.0]), ValueError,
     r"2 output\(s\) but 1 gradient"),
    (lambda y: autograd.backward([y], gradient=1.0), TypeError,
     r"gradient must be a list of 1 number"),
    (lambda y: autograd.backward("y"), TypeError,  # type: ignore[arg-type]
     r"^backward: root must be a Value or a list"),
    (lambda y: grad(y, [y], grad_outputs="x"), TypeError, r"^grad: grad_outputs must be a real"),
    (lambda y: grad(1.0, [y]), TypeError,  # type: ignore[call-overload]
     r"^grad: output must be a Value"),
])
def test_bad_seeds_and_outputs_get_typed_errors(call: object, error: type[Exception],
                                                message: str) -> None:
    x = Value(1.0)
    y = x * 2
    with pytest.raises(error, match=message):
        call(y)  # type: ignore[operator]
    assert x.grad == 0.0


def test_detach_is_a_new_leaf_with_the_number_and_label() -> None:
    x = Value(2.0, label="x")
    y = x * 3
    d = y.detach()
    assert (d.data, d.inputs, d.op, d.label) == (6.0, (), "", y.label)
    z = d * x
    z.backward()
    assert x.grad == 6.0 and y.grad == 0.0  # nothing flowed back through the detached copy
    d.data = 1.0
    assert y.data == 6.0


def test_item_and_int_are_the_number() -> None:
    v = Value(-2.75)
    assert v.item() == -2.75 and type(v.item()) is float
    assert int(v) == -2 and type(int(v)) is int
    assert int(Value(3.99)) == 3
    with pytest.raises(ValueError, match="NaN"):
        int(Value(float("nan")))
