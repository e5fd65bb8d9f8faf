"""The engine's derivatives as properties: every op, random graphs, and the laws of grad.

Expressions come from ``autograd.testing.expressions``, which draws ops from the table, shares
nodes between later ops and keeps operands off singular points, so any failure here is a
wrong derivative (or a broken law), never an unlucky input.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from autograd import Value, grad, gradcheck, no_grad, topological_order
from autograd.ops import OPS
from autograd.testing import Expression, expressions, values

Case = tuple[Expression, list[float]]


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 + 1e-9 * max(abs(a), abs(b))


# --- derivatives against finite differences ---------------------------------------------------


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=25)
@given(data=st.data())
def test_every_op_in_the_table_matches_finite_differences(
        name: str, order: int, data: st.DataObject) -> None:
    # One op (the pow family: one drawn power), its operands moved into its domain.
    f, inputs = data.draw(expressions(max_inputs=2, max_ops=1, ops=[name]))
    assert gradcheck(f, inputs, order=order)


@settings(max_examples=150)
@given(expressions(max_inputs=3, max_ops=12))
def test_random_expressions_first_order(case: Case) -> None:
    f, inputs = case
    assert gradcheck(f, inputs)


@settings(max_examples=100)
@given(expressions(max_inputs=3, max_ops=8))
def test_random_expressions_second_order(case: Case) -> None:
    f, inputs = case
    assert gradcheck(f, inputs, order=2)


@settings(max_examples=20)
@given(expressions(max_inputs=2, max_ops=4))
def test_random_expressions_third_order(case: Case) -> None:
    f, inputs = case
    assert gradcheck(f, inputs, order=3)


# --- laws -------------------------------------------------------------------------------------


def build(case: Case) -> tuple[list[Value], Value]:
    f, inputs = case
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    return leaves, f(*leaves)


@settings(max_examples=60)
@given(expressions())
def test_grad_equals_what_backward_writes_on_every_node(case: Case) -> None:
    _, y = build(case)
    nodes = topological_order(y)
    expected = grad(y, nodes)
    y.backward()
    assert [n.grad for n in nodes] == expected


@settings(max_examples=40)
@given(expressions(max_ops=8))
def test_backward_with_create_graph_writes_the_same_numbers_as_grad(case: Case) -> None:
    leaves, y = build(case)
    expected = grad(y, leaves)
    y.backward(create_graph=True)
    got = [g.data if isinstance(g, Value) else g for g in (x.grad for x in leaves)]
    assert all(close(a, b) for a, b in zip(got, expected, strict=True))


@settings(max_examples=60)
@given(expressions())
def test_backward_twice_doubles_leaf_grads_and_repeats_inner_grads(case: Case) -> None:
    leaves, y = build(case)
    inner = topological_order(y, leaves=False)
    y.backward()
    first_leaves = [x.grad for x in leaves]
    first_inner = [n.grad for n in inner]
    y.backward()
    assert all(close(x.grad, 2 * g) for x, g in zip(leaves, first_leaves, strict=True))
    assert [n.grad for n in inner] == first_inner


@settings(max_examples=60)
@given(expressions(), st.data())
def test_gradient_is_linear(case: Case, data: st.DataObject) -> None:
    f, inputs = case
    g, g_inputs = data.draw(expressions(max_inputs=len(inputs)))
    a, b = data.draw(values(-3.0, 3.0)), data.draw(values(-3.0, 3.0))
    leaves = [Value(x) for x in inputs]
    m = len(g_inputs)  # g reads the first m of f's inputs
    try:
        combined = grad(a * f(*leaves) + b * g(*leaves[:m]), leaves)
    except OverflowError:
        # g keeps its operands small for the inputs it was drawn with, not for f's.
        reject()
    df = grad(f(*leaves), leaves)
    dg = grad(g(*leaves[:m]), leaves)
    for c, u, v in zip(combined, df, dg, strict=True):
        expected = a * u + b * v
        assert abs(c - expected) <= 1e-9 * (1 + abs(a * u) + abs(b * v))


@settings(max_examples=60)
@given(expressions())
def test_no_grad_records_nothing(case: Case) -> None:
    f, inputs = case
    leaves = [Value(x) for x in inputs]
    recorded = f(*leaves)
    with no_grad():
        bare = f(*leaves)
    assert (bare.inputs, bare.op) == ((), "")
    assert bare.data == recorded.data
    bare.backward()
    assert all(x.grad == 0.0 for x in leaves)


@settings(max_examples=60)
@given(expressions())
def test_expressions_give_the_same_number_on_floats_and_on_values(case: Case) -> None:
    # Every op's forward is the same rule whether it builds a node or not.
    f, inputs = case
    on_floats: Any = f(*inputs)
    assert f(*[Value(x) for x in inputs]).data == getattr(on_floats, "data", on_floats)


@settings(max_examples=40)
@given(expressions(max_ops=8))
def test_second_derivatives_are_symmetric(case: Case) -> None:
    leaves, y = build(case)
    first = grad(y, leaves, create_graph=True)
    hessian = [grad(d, leaves) for d in first]
    n = len(leaves)
    for i in range(n):
        for j in range(i + 1, n):
            h_ij, h_ji = hessian[i][j], hessian[j][i]
            assert abs(h_ij - h_ji) <= 1e-9 * (1 + abs(h_ij))
