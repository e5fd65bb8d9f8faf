"""tape(): backward over the recorded nodes gives the grads that a walk of the graph gives."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings

from autograd import Value, enable_grad, grad, no_grad, tape, topological_order
from autograd.testing import expressions
from mlp import MLP, losses

Case = tuple[object, list[float]]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=60)
@given(expressions())
def test_tape_backward_equals_backward_on_random_expressions(case: Case) -> None:
    f, inputs = case
    leaves = [Value(x) for x in inputs]
    with tape() as t:
        y = f(*leaves)  # type: ignore[operator]
    nodes = topological_order(y)
    expected = grad(y, nodes)
    t.backward(y)
    assert all(close(n.grad, e) for n, e in zip(nodes, expected, strict=True))


def test_tape_backward_on_an_mlp_matches_backward_and_skips_the_walk() -> None:
    model = MLP(2, [8, 8, 1], seed=3)
    X = [[0.5, -1.0], [1.5, 0.25], [-0.3, 0.7]]
    with tape() as t:
        loss = losses.mse([1.0, -1.0, 0.5], model.forward_batch(X)) + losses.l2(
            model.parameters())
    assert t.complete and len(t) == len(topological_order(loss, leaves=False))
    expected = grad(loss, model.parameters())
    t.backward(loss)
    assert all(close(p.grad, e) for p, e in zip(model.parameters(), expected, strict=True))


def test_leaf_grads_accumulate_and_inner_grads_refresh_as_with_backward() -> None:
    x = Value(3.0)
    with tape() as t:
        h = x * x
        y = h * x
    t.backward(y)
    t.backward(y)
    assert x.grad == 54.0 and h.grad == 3.0 and y.grad == 1.0


def test_a_node_made_before_the_tape_makes_it_fall_back_to_the_walk() -> None:
    x = Value(2.0)
    outside = x * x  # a computed node the tape never saw
    with tape() as t:
        y = (outside * 3).tanh()
    assert not t.complete
    t.backward(y)  # must still reach x through `outside`
    assert x.grad == pytest.approx(3 * (1 - math.tanh(12.0) ** 2) * 4.0, rel=1e-12)


@pytest.mark.parametrize("inner", ["enable_grad", "tape"])
def test_nodes_recorded_elsewhere_inside_the_block_make_it_fall_back(inner: str) -> None:
    x = Value(0.5)
    with tape() as t:
        if inner == "enable_grad":
            with enable_grad():
                h = x.exp()
        else:
            with tape():
                h = x.exp()
        y = h * h
    assert not t.complete
    t.backward(y)
    assert x.grad == pytest.approx(2 * math.exp(1.0), rel=1e-12)


def test_no_grad_inside_the_tape_records_nothing() -> None:
    x = Value(1.0)
    with tape() as t:
        with no_grad():
            c = x * 2
        y = c * x
    assert len(t) == 1 and t.complete and c.inputs == ()
    t.backward(y)
    assert x.grad == 2.0


def test_a_root_not_on_the_tape_is_backpropagated_by_a_walk() -> None:
    x = Value(2.0)
    with tape() as t:
        h = x * 3
    y = h * h  # made after the block
    t.backward(y)
    assert x.grad == 2 * 6.0 * 3


def test_recorded_nodes_outside_the_roots_graph_get_their_zero_derivative() -> None:
    x = Value(2.0)
    with tape() as t:
        before = x * 5
        y = x * x
        after = x * 7
    before.grad = after.grad = 9.0
    t.backward(y)
    assert x.grad == 4.0
    assert before.grad == 0.0  # d(y)/d(before) is 0: it is not in y's graph
    assert after.grad == 9.0  # made after y, so certainly not in its graph: left alone


def test_tape_backward_needs_a_value() -> None:
    with tape() as t:
        pass
    with pytest.raises(TypeError, match=r"Tape\.backward"):
        t.backward(1.0)  # type: ignore[arg-type]
