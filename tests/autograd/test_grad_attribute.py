"""``Value.grad`` as a user writes it: numbers and Values in, None as "no gradient yet",
anything else refused where it is written (issue 19's PyTorch idiom, issue 20's silent str)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from autograd import Value


@pytest.mark.parametrize("bad", ["abc", "1.5", True, 1j, [1.0], (), b"1", object()])
def test_a_grad_that_is_no_number_is_a_type_error_naming_what_was_given(bad: object) -> None:
    x = Value(1.0, label="x")
    x.grad = 2.0
    with pytest.raises(TypeError, match=rf"Value.grad: .* got {type(bad).__name__}"):
        x.grad = bad  # type: ignore[assignment]
    assert x.grad == 2.0  # left as it was


@pytest.mark.parametrize("number", [3, Fraction(1, 4), 2.5, -0.0, float("inf")])
def test_any_real_number_is_stored_as_a_float(number: object) -> None:
    x = Value(1.0)
    x.grad = number  # type: ignore[assignment]
    assert type(x.grad) is float and x.grad == float(number)  # type: ignore[arg-type]


def test_numpy_scalars_are_real_numbers_too() -> None:
    np = pytest.importorskip("numpy")
    x = Value(1.0)
    x.grad = np.float32(0.5)
    assert type(x.grad) is float and x.grad == 0.5
    with pytest.raises(TypeError, match=r"expected a real number"):
        x.grad = np.bool_(True)


def test_a_value_is_stored_as_itself() -> None:
    x, g = Value(1.0), Value(0.25)
    x.grad = g
    assert x.grad_value is g  # as backward(create_graph=True) leaves it; x.grad reads it too


def test_grad_set_to_none_reads_zero_and_the_next_backward_writes_the_gradient() -> None:
    x = Value(3.0, label="x")
    (x * x).backward()
    assert x.grad == 6.0
    x.grad = None  # PyTorch's zero_grad(set_to_none=True)
    assert x.grad == 0.0
    (x * x).backward()
    assert x.grad == 6.0  # not 12.0: None cleared the accumulation; no NoneType error


def test_grad_set_to_none_on_a_computed_node_then_backward() -> None:
    x = Value(2.0)
    y = x * 3
    y.grad = None
    (y + 1).backward()
    assert (x.grad, y.grad) == (3.0, 1.0)


def test_zero_grad_takes_pytorchs_set_to_none() -> None:
    from mlp import MLP, optim

    model = MLP(2, [1], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    for zero in (model.zero_grad, opt.zero_grad):
        for flag in (True, False):
            model([1.0, 2.0]).backward()
            zero(set_to_none=flag)
            assert all(p.grad == 0.0 for p in model.parameters())
        with pytest.raises(TypeError, match="set_to_none must be True or False, got str"):
            zero(set_to_none="yes")  # type: ignore[arg-type]
