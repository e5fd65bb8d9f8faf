"""Backward never mixes two points: data written after a graph was recorded is refused.

Issue 13.1: ``y.backward()`` after ``w.data = 3.0`` used to read some partials at the old
point (the stored output) and others at the new one (the live inputs), and gave a number
that is the derivative at neither.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, explain, grad, to_html, to_svg, topological_order
from autograd.testing import Expression, expressions
from mlp import MLP, losses, optim

PASSES: dict[str, Callable[[Value, Value], Any]] = {
    "backward": lambda y, x: y.backward(),
    "backward(create_graph=True)": lambda y, x: y.backward(create_graph=True),
    "grad": lambda y, x: grad(y, [x]),
    "grad(create_graph=True)": lambda y, x: grad(y, [x], create_graph=True),
}


@pytest.mark.parametrize("how", PASSES)
def test_a_leaf_written_after_the_forward_pass_is_refused_by_name(how: str) -> None:
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    y = (w * x).tanh()
    y.backward()
    w.data = 3.0  # the example: the mix gave 0.2120, neither 0.1413 nor 0.0296
    x.grad = 0.0
    with pytest.raises(RuntimeError, match=r"data of 'w' \(operand 1 of mul\) was changed"):
        PASSES[how](y, x)
    assert x.grad == 0.0


def test_after_a_new_forward_pass_the_gradient_is_the_new_points() -> None:
    x, w = Value(1.0), Value(2.0)
    (w * x).tanh().backward()
    w.data = 3.0
    x.grad = 0.0
    (w * x).tanh().backward()  # recorded after the write: fine
    assert x.grad == pytest.approx(3.0 * (1 - math.tanh(3.0) ** 2), rel=1e-15)


def test_backward_again_after_an_optimizer_step_is_refused() -> None:
    """The everyday trigger: loss.backward() after opt.step() without a new forward pass."""
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    loss = losses.mse([1.0], [model([0.5, -0.5])])
    loss.backward()
    opt.step()
    opt.zero_grad()
    with pytest.raises(RuntimeError, match="run the forward pass again"):
        loss.backward()
    assert all(p.grad == 0.0 for p in model.parameters())
    losses.mse([1.0], [model([0.5, -0.5])]).backward()  # a new forward pass: fine
    assert any(p.grad != 0.0 for p in model.parameters())


def test_writing_a_computed_nodes_data_stops_gradients_through_it() -> None:
    x = Value(0.5)
    h = x.tanh()
    y = h * 2.0
    h.data = 5.0  # no longer tanh(x): its partial 1 - h*h would be garbage
    with pytest.raises(RuntimeError, match="set by hand after it was computed"):
        y.backward()
    with pytest.raises(RuntimeError, match="set by hand"):
        (h + 1.0).backward()  # a graph made later still runs through h's own partial


def test_writes_that_do_not_touch_the_graph_change_nothing() -> None:
    x, unrelated = Value(0.3), Value(1.0)
    y = (x * x).sin()
    unrelated.data = 7.0  # the clock moves; y's graph is checked and found unchanged
    y.backward()
    assert x.grad == pytest.approx(math.cos(0.09) * 0.6, rel=1e-15)


def test_a_write_before_the_graph_is_recorded_is_fine() -> None:
    x = Value(1.0)
    x.data = 2.0
    y = x * x
    y.backward()
    assert x.grad == 4.0


@settings(max_examples=150, deadline=None)
@given(expressions(max_inputs=3, max_ops=8), st.data())
def test_a_pass_after_a_write_is_refused_or_is_the_recorded_points(
        case: tuple[Expression, list[float]], data: st.DataObject) -> None:
    """Never a mix: after writing a leaf, each pass either raises RuntimeError or (when
    nothing flows through the written leaf's nodes) gives the recorded point's gradient."""
    f, inputs = case
    xs = [Value(v) for v in inputs]
    y = f(*xs)
    leaves = [v for v in topological_order(y) if not v.inputs]
    recorded = grad(y, leaves)
    written = data.draw(st.sampled_from(leaves))
    written.data = written.data + data.draw(st.floats(0.1, 1.0))
    for how in ("backward", "grad"):
        for leaf in leaves:
            leaf.grad = 0.0
        try:
            got = grad(y, leaves) if how == "grad" else (y.backward(), [v.grad for v in leaves])[1]
        except RuntimeError as e:
            assert "run the forward pass again" in str(e)
            assert all(v.grad == 0.0 for v in leaves)  # a refused pass leaves grads as they were
        else:
            assert got == recorded


# --- the pictures compute partials too: the same refusal, never a mixed number ------------


def _written_after_recording() -> tuple[Value, Value, Value]:
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    y = (w * x).tanh()
    y.label = "y"
    y.backward()
    w.data = 3.0  # explain(y, x) said 0.212 here: 1 - tanh(2)^2 times the new w
    return y, x, w


def test_explain_after_a_write_is_refused_as_backward_is() -> None:
    y, x, _ = _written_after_recording()
    with pytest.raises(RuntimeError, match=r"^explain: the data of 'w' \(operand 1 of mul\)"):
        explain(y, x)


def test_the_stepper_page_after_a_write_is_refused_as_backward_is(dot: None) -> None:
    y, _, _ = _written_after_recording()
    with pytest.raises(RuntimeError, match=r"^to_html: the data of 'w' \(operand 1 of mul\)"):
        to_html(y)


@pytest.mark.parametrize("collapse", [None, "neurons"])
def test_partials_drawn_after_a_write_are_refused_and_a_plain_drawing_is_not(
        dot: None, collapse: str | None) -> None:
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    loss = losses.mse([1.0], [model([0.5, -0.5])])
    loss.backward()
    optim.SGD(model.parameters(), lr=0.1).step()  # each weight's new data, the graph's old
    with pytest.raises(RuntimeError, match=r"^draw_graph: the data of '[wb]\d'"):
        to_svg(loss, show_partials=True, collapse=collapse)
    assert "</svg>" in to_svg(loss, collapse=collapse)  # data and grads, no partial: fine


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1),
                                  lambda ps: optim.SGD(ps, lr=0.1, momentum=0.5),
                                  lambda ps: optim.Adam(ps, lr=0.1)],
                         ids=["SGD", "SGD momentum", "Adam"])
def test_an_optimizer_step_is_seen_as_p_data_writes_are(make: Callable[[list[Value]], Any]
                                                         ) -> None:
    """The optimizers write all the parameters at once (``subtract_data``), not through the
    property one by one: the recorded-point check must see those writes all the same."""
    w, x = Value(2.0, label="w"), Value(1.0, label="x")
    h = (w * x).tanh()  # a computed node handed to the optimizer too: written, it is stale
    y, z = h * w, w * x
    y.backward()
    make([w, h]).step()
    with pytest.raises(RuntimeError, match="run the forward pass again"):
        y.backward()
    with pytest.raises(RuntimeError, match="data of 'w'"):
        grad(z, [x])  # recorded before the step
    with pytest.raises(RuntimeError, match="set by hand after it was computed"):
        (h * 3.0).backward()  # made after the step, but through h, whose data was written
    x.grad = 0.0
    (w * x).backward()  # recorded after the step: fine
    assert x.grad == w.data


def test_subtract_data_is_v_data_minus_amount_for_each_pair() -> None:
    from autograd.write import subtract_data

    a, b = Value(1.5), Value(-2.0)
    y = a * b
    subtract_data([a, b], [0.25, 3])  # any real number, as Value.data takes
    assert (a.data, b.data) == (1.25, -5.0)
    assert type(b.data) is float
    with pytest.raises(RuntimeError, match="run the forward pass again"):
        y.backward()
    with pytest.raises(ValueError, match="subtract_data: 2 Values but 1 amount"):
        subtract_data([a, b], [1.0])
    with pytest.raises(TypeError, match=r"subtract_data: amounts\[0\]"):
        subtract_data([a], [Value(1.0)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"subtract_data: values\[1\] must be a Value"):
        subtract_data([a, 2.0], [1.0, 1.0])  # type: ignore[list-item]
    assert (a.data, b.data) == (1.25, -5.0)  # a refused call writes nothing


def test_subtract_data_refuses_an_overflow_of_finite_numbers_and_writes_nothing() -> None:
    from autograd.write import subtract_data

    a, b = Value(1.0), Value(-1e308)
    with pytest.raises(OverflowError, match=r"^subtract_data: values\[1\] - amounts\[1\] "
                                            r"overflows a float \(-1e\+308 - 1e\+308\)$"):
        subtract_data([a, b], [0.5, 1e308])
    assert (a.data, b.data) == (1.0, -1e308)
    subtract_data([a, b], [math.inf, math.nan])  # an inf or nan operand carries on, as IEEE's
    assert a.data == -math.inf and math.isnan(b.data)


def test_subtract_data_refuses_a_value_listed_twice_and_writes_nothing() -> None:
    # Was: subtract_data([a, a], [1.0, 2.0]) left a at -1.0: the second difference, taken from
    # the old data, overwrote the first, where `a.data -= 1.0; a.data -= 2.0` gives -2.0.
    from autograd.write import subtract_data

    a, b = Value(1.0), Value(5.0)
    with pytest.raises(ValueError, match=r"subtract_data: values\[2\] is values\[0\] again"):
        subtract_data([a, b, a], [1.0, 1.0, 2.0])
    assert (a.data, b.data) == (1.0, 5.0)


class _Clamped(Value):
    """A parameter kept in [-1, 1] by a data property of its own."""

    __slots__ = ()

    @property
    def data(self) -> float:
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        Value.data.fset(self, max(-1.0, min(1.0, float(value))))  # type: ignore[attr-defined]


def test_subtract_data_writes_through_a_subclass_s_own_data_property() -> None:
    # Was: the slot was written directly, so a subclass's setter never ran: an SGD step left a
    # clamped weight at -9.5, where the per-parameter `p.data -= lr * g` left it at -1.0.
    from autograd.write import subtract_data

    c, v = _Clamped(0.5), Value(0.5)
    y = c * v
    subtract_data([c, v], [10.0, 10.0])
    assert (c.data, v.data) == (-1.0, -9.5)
    with pytest.raises(RuntimeError, match="run the forward pass again"):
        y.backward()
    p = _Clamped(0.5)
    p.grad = 10.0
    optim.SGD([p], lr=1.0).step()
    assert p.data == -1.0
