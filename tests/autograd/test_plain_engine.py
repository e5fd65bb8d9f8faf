"""The plain engine (issue 21): one walk, one loop, the guarantees around it.

What an adversarial review of the rewrite found, each pinned here: an op whose rule gives the
wrong number of partials, the order a pass adds its contributions in (the compiled program's
and the replayed steps'), the constants a pass with ``create_graph`` makes, and the flags.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings

from autograd import Op, Value, backward_order, engine, grad, topological_order, total
from autograd.testing import expressions


@pytest.mark.parametrize("partials", [lambda a, b, out: (b,), lambda a, b, out: (b, a, 1.0)],
                         ids=["too few", "too many"])
def test_a_rule_giving_the_wrong_number_of_partials_is_an_error_not_a_lost_gradient(
        partials: object) -> None:
    op = Op("lopsided", "?", lambda a, b: a * b, partials, 2)  # type: ignore[arg-type]
    x, w = Value(2.0), Value(3.0)
    y = op(x, w)
    with pytest.raises(ValueError, match=r"^lopsided: its partials rule gave \d partial\(s\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"^lopsided: its partials rule gave"):
        grad(y, [x, w])
    assert (x.grad, w.grad) == (0.0, 0.0)  # all or nothing


def test_the_backward_order_is_each_node_before_its_inputs_first_operand_first() -> None:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    n1, n2 = (a * b).tanh(), (a + b).tanh()
    root = n1 * n2
    order = backward_order(root)
    assert order[0] is root and set(order) == set(topological_order(root, leaves=False))
    # n1's branch (the first operand's) is taken before n2's, as the notes take N1 before N2
    assert order.index(n1) < order.index(n1.inputs[0]) < order.index(n2)
    position = {v: i for i, v in enumerate(order)}
    assert all(position[x] > position[v] for v in order for x in v.inputs if x.inputs)


@settings(max_examples=80, deadline=None)
@given(expressions(max_ops=12))
def test_replaying_backward_step_in_the_backward_order_gives_backward_s_grads_exactly(
        case: tuple[object, list[float]]) -> None:
    f, inputs = case
    leaves = [Value(x) for x in inputs]
    root = f(*leaves)  # type: ignore[operator]
    try:
        root.backward()
    except (ArithmeticError, ValueError):
        return  # a partial out of its domain: nothing to replay
    expected = [v.grad for v in leaves]
    for v in topological_order(root):
        v.grad = 0.0
    root.grad = 1.0
    for node in backward_order(root):
        node.backward_step()
    assert [v.grad for v in leaves] == expected or any(map(math.isnan, expected))


def test_a_partial_of_one_passes_the_grad_on_with_no_node_more() -> None:
    x = Value(1.5)
    y = x
    for _ in range(100):
        y = y + 1.0
    (dx,) = grad(y, [x], create_graph=True)
    assert dx.data == 1.0
    assert len(topological_order(dx)) == 1  # d/dx of x + 1 + ... + 1 is the seed itself


class Named(Value):
    """A subclass whose constructor needs more than a number: the engine must not call it."""

    __slots__ = ("name",)

    def __init__(self, data: float, name: str) -> None:
        super().__init__(data)
        self.name = name


class Doubling(Value):
    """A subclass that changes the number it is given: the engine's constants must not."""

    __slots__ = ()

    def __init__(self, data: float) -> None:
        super().__init__(2.0 * data)


def test_a_subclass_root_gets_the_engine_s_own_constants() -> None:
    q = Named(3.0, "q")
    (dq,) = grad(q, [q], create_graph=True)
    assert type(dq) is Value and dq.data == 1.0
    q.backward(create_graph=True)
    assert q.grad_value.data == 1.0
    d = Doubling(3.0)
    assert grad(d, [d], create_graph=True)[0].data == 1.0
    d.backward(create_graph=True)
    assert d.grad_value.data == 1.0


def test_every_node_nothing_reached_gets_a_zero_of_its_own() -> None:
    x = Value(-1.0)
    dead1, dead2 = x * 2.0, x * 3.0
    y = total([(dead1 + dead2).relu(), x])  # the relu is dead: nothing reaches dead1, dead2
    y.backward(create_graph=True)
    g1, g2 = dead1.grad_value, dead2.grad_value
    assert g1.data == g2.data == 0.0 and g1 is not g2


def test_the_engine_s_own_backward_checks_its_flag() -> None:
    x = Value(2.0)
    y = x * x
    with pytest.raises(TypeError, match="create_graph must be True or False"):
        engine.backward(y, 2.0)  # type: ignore[arg-type]
    assert x.grad == 0.0


class Watched(Value):
    """A subclass with ``data`` and ``grad`` properties of its own, which count their use."""

    __slots__ = ("seen",)

    def __init__(self, data: float) -> None:
        super().__init__(data)
        self.seen: list[str] = []

    @property
    def data(self) -> float:
        self.seen.append("data")
        return Value.data.fget(self)  # type: ignore[attr-defined, no-any-return]

    @data.setter
    def data(self, x: float) -> None:
        Value.data.fset(self, x)  # type: ignore[attr-defined]

    @property
    def grad(self) -> float:
        self.seen.append("grad")
        return Value.grad.fget(self)  # type: ignore[attr-defined, no-any-return]

    @grad.setter
    def grad(self, g: float | Value | None) -> None:
        self.seen.append(f"grad={g}")
        Value.grad.fset(self, g)  # type: ignore[attr-defined]


def test_the_reads_and_writes_of_many_values_go_through_a_subclass_s_own_properties() -> None:
    from autograd.write import subtract_data
    from mlp import optim

    p = Watched(1.0)
    opt = optim.SGD([p], lr=0.5)
    opt.zero_grad()
    assert p.seen[-1] == "grad=0.0"  # written through the subclass's setter
    p.grad = 2.0
    p.seen.clear()
    opt.step()
    assert "grad" in p.seen and "data" in p.seen and p.data == 0.0
    p.seen.clear()
    subtract_data([p], [0.25])
    assert p.seen == ["data"] and Value.data.fget(p) == -0.25  # type: ignore[attr-defined]
