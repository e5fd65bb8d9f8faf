"""The engine's contract: backward semantics, grad(), no_grad(), define_op, graph hygiene."""

from __future__ import annotations

import asyncio
import gc
import math
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, backward_order, define_op, grad, no_grad, ops, topological_order


def test_shared_subexpression_counts_every_path() -> None:
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0


def test_backward_twice_doubles_the_leaf_gradient_exactly() -> None:
    x = Value(3.0)
    y = x * x * x
    y.backward()
    assert x.grad == 27.0
    y.backward()
    assert x.grad == 54.0  # micrograd gives 72: it also re-accumulates the inner nodes


def test_non_leaf_grad_shows_the_latest_pass_only() -> None:
    x = Value(3.0)
    h = x * x
    y = h * 2
    y.backward()
    y.backward()
    assert h.grad == 2.0
    assert y.grad == 1.0


def test_backward_of_a_leaf_accumulates_one() -> None:
    x = Value(5.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_grad_leaves_dot_grad_untouched() -> None:
    x = Value(2.0)
    y = x * x
    assert grad(y, [x]) == [4.0]
    assert x.grad == 0.0 and y.grad == 0.0


def test_grad_of_an_input_not_in_the_graph_is_zero() -> None:
    x, z = Value(2.0), Value(7.0)
    assert grad(x * 3, [x, z]) == [3.0, 0.0]


def test_grad_to_third_order() -> None:
    x = Value(0.7)
    y = x.sin() * x
    d1, = grad(y, [x], create_graph=True)
    d2, = grad(d1, [x], create_graph=True)
    d3, = grad(d2, [x])
    assert d3 == pytest.approx(-3 * math.sin(0.7) - 0.7 * math.cos(0.7), rel=1e-12)


def test_backward_create_graph_gives_value_grads() -> None:
    x = Value(3.0)
    y = x * x * x
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 27.0
    (d2,) = grad(x.grad, [x])
    assert d2 == 18.0


def test_grad_takes_any_iterable_of_inputs_without_losing_them() -> None:
    x, z = Value(2.0), Value(7.0)
    y = x * z
    assert grad(y, iter([x, z])) == [7.0, 2.0]  # an iterator is read once, not emptied
    assert grad(y, (v for v in [z])) == [2.0]


def test_grad_and_backward_name_a_root_that_is_not_a_value() -> None:
    from autograd import backward

    with pytest.raises(TypeError, match=r"^backward: root must be a Value or a list of Values, "
                                        r"got float"):
        backward(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^topological_order: root must be a Value, got str"):
        topological_order("y")  # type: ignore[arg-type]


def test_create_graph_pass_zeroes_a_stale_inner_grad_behind_a_dead_relu() -> None:
    # A float zero partial (relu's, below 0) sends nothing back, but the inner node is still
    # in this pass's graph: its grad must show this pass (0), as backward() without
    # create_graph does, not the value an earlier pass left.
    for create_graph in (False, True):
        x = Value(-1.0)
        h = x * 2
        y = h.relu() * 3
        h.grad = 7.0  # as an earlier pass over another graph could leave it
        y.backward(create_graph=create_graph)
        g = h.grad
        assert (g.data if isinstance(g, Value) else g) == 0.0, create_graph
        assert isinstance(g, Value) == create_graph


def test_create_graph_pass_gives_value_grads_to_every_computed_node() -> None:
    x = Value(-1.0)
    h = x * 2
    y = h.relu() * 3
    y.backward(create_graph=True)
    assert all(isinstance(v.grad, Value) for v in topological_order(y, leaves=False))


def test_a_million_op_chain_backpropagates_without_recursion() -> None:
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0 and y.data == 1_000_001.0


def test_dropped_graph_is_freed_by_reference_counting() -> None:
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        y = x
        for i in range(1000):
            y = (y * 1.0001 + i).tanh() if i % 2 else y.sigmoid() + x
        y.backward()
        del y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_topological_order_puts_inputs_first_and_is_deterministic() -> None:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    position = {v: i for i, v in enumerate(order)}
    for node in order:
        assert all(position[i] < position[node] for i in node.inputs)
    assert [v.label or v.op for v in order] == ["a", "b", "mul", "add", "mul"]


def test_no_grad_records_nothing() -> None:
    x = Value(2.0)
    with no_grad():
        z = x * 2 + 1
    assert z.inputs == () and z.op == "" and z.data == 5.0


def test_no_grad_is_per_thread() -> None:
    seen: list[tuple[Value, ...]] = []
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        inside.wait()
        seen.append((Value(1.0) * 2).inputs)
        release.set()

    t = threading.Thread(target=other)
    t.start()
    with no_grad():
        inside.set()
        release.wait()
    t.join()
    assert len(seen[0]) == 2


def test_no_grad_is_per_asyncio_task() -> None:
    async def recorded() -> int:
        await asyncio.sleep(0)
        return len((Value(1.0) * 2).inputs)

    async def main() -> int:
        task = asyncio.ensure_future(recorded())  # created outside the block: its own context
        with no_grad():
            await asyncio.sleep(0)
            return await task

    assert asyncio.run(main()) == 2


def test_define_op_goes_through_the_table() -> None:
    cube = define_op("cube_t", forward=lambda a: a**3, partials=lambda a, out: (3 * a**2,))
    assert ops.OPS["cube_t"] is cube
    x = Value(2.0)
    y = cube(x)
    assert y.op == "cube_t" and y.inputs == (x,) and y.data == 8.0
    (d1,) = grad(y, [x], create_graph=True)
    assert d1.data == 12.0 and grad(d1, [x]) == [12.0]
    assert cube(2.0) == 8.0


def test_define_op_refuses_a_builtin_name() -> None:
    with pytest.raises(ValueError, match="built-in"):
        define_op("mul", forward=lambda a, b: a * b, partials=lambda a, b, out: (b, a))


def test_define_op_checks_the_partials_count() -> None:
    bad = define_op("bad_count", forward=lambda a: a, partials=lambda a, out: (1.0, 2.0))
    with pytest.raises(ValueError, match="bad_count"):
        bad(Value(1.0)).backward()


def test_define_op_checks_the_operand_count() -> None:
    two = define_op("two_args", forward=lambda a, b: a + b, partials=lambda a, b, out: (1, 1))
    with pytest.raises(TypeError, match="two_args"):
        two(Value(1.0))


def _square_partials(a: object, out: object) -> tuple[float]:
    return (1.0,)


@pytest.mark.parametrize(("kwargs", "kind", "words"), [
    ({"name": 3}, TypeError, "name must be a str"),
    ({"domain": "posative"}, ValueError, "domain"),
    ({"symbol": 2}, TypeError, "symbol must be a str"),
])
def test_define_op_names_a_bad_argument(kwargs: dict[str, object], kind: type[Exception],
                                        words: str) -> None:
    args: dict[str, object] = {"name": "sq_t", "forward": lambda a: a * a,
                               "partials": _square_partials, **kwargs}
    with pytest.raises(kind, match=words):
        define_op(**args)  # type: ignore[arg-type]
    assert "sq_t" not in ops.OPS


@pytest.mark.parametrize("bad", ["2", True, None])
def test_a_user_op_on_numbers_refuses_a_non_number(bad: object) -> None:
    cube = define_op("cube_n", forward=lambda a: a**3, partials=lambda a, out: (3 * a**2,))
    with pytest.raises(TypeError, match=r"^cube_n: operand must be a real number "
                                        r"\(int, float, \.\.\.\) or a Value"):
        cube(bad)


@pytest.mark.parametrize(("partials", "words"), [
    (lambda a, out: 2.0, "partials must return a sequence with one partial per input, got float"),
    (lambda a, out: ("2",), "partial 0 must be a number or a Value, got str"),
    (lambda a, out: (None,), "partial 0 must be a number or a Value, got NoneType"),
])
def test_a_user_ops_partials_of_the_wrong_kind_are_named(partials: object, words: str) -> None:
    op = define_op("odd_partials", forward=lambda a: 2 * a, partials=partials)  # type: ignore[arg-type]
    for run in (lambda: op(Value(1.0)).backward(), lambda: grad(op(Value(1.0)), [Value(0.0)]),
                lambda: grad(op(x := Value(1.0)), [x], create_graph=True)):
        with pytest.raises(TypeError, match=f"^odd_partials: {words}"):
            run()


def test_engine_imports_only_the_standard_library() -> None:
    # Every module loaded by the import, by its top-level name: the standard library's own,
    # or chainrule's two packages. Nothing else (not only the four dependencies we know of).
    code = (
        "import sys; before = set(sys.modules); import autograd, mlp; "
        "tops = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(tops - set(sys.stdlib_module_names) - {'autograd', 'mlp'})); "
        "print(sorted(tops & {'autograd', 'mlp'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "['autograd', 'mlp']"]


def _layered_graph() -> Value:
    from autograd import total, weighted_sum

    ws = [[Value(0.1 * (i - j)) for i in range(3)] for j in range(3)]
    bs = [Value(0.05 * j) for j in range(3)]
    x = [Value(1.0), Value(-2.0), Value(0.5)]
    h = [weighted_sum(w, x, b).tanh() for w, b in zip(ws, bs, strict=True)]
    h2 = [weighted_sum(w, h, b).relu() for w, b in zip(ws, bs, strict=True)]
    return total([v * v for v in h2 + h]) + h[0] * x[1]


def test_the_backward_loop_visits_each_node_after_every_node_that_uses_it() -> None:
    from autograd.engine import backward_steps

    root = _layered_graph()
    order = backward_order(root)
    grads: dict[Value, object] = {root: 1.0}
    visited = [node for node, _, _ in backward_steps(order, grads)]
    assert visited == order and set(visited) == set(topological_order(root, leaves=False))
    position = {v: i for i, v in enumerate(visited)}
    for node in visited:  # a node's grad is whole when it is passed on
        assert all(position[i] > position[node] for i in node.inputs if i.inputs)


def test_backward_stores_exactly_what_grad_returns() -> None:
    root = _layered_graph()
    leaves = [v for v in topological_order(root) if not v.inputs]
    by_grad = grad(root, leaves)  # partials, in a dict
    root.backward()  # the same loop, its sums then stored in .grad
    assert [v.grad for v in leaves] == by_grad


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), max_size=20),
       st.floats(-1e6, 1e6))
def test_weighted_sum_computes_the_tables_forward_to_the_last_bit(
        pairs: list[tuple[float, float]], b: float) -> None:
    from autograd import weighted_sum

    w, x = [Value(p[0]) for p in pairs], [Value(p[1]) for p in pairs]
    n = weighted_sum(w, x, b)  # summed from the Values, as a neuron does
    assert n.data == ops.WSUM.forward(*[p[0] for p in pairs], *[p[1] for p in pairs], b)
    assert weighted_sum([p[0] for p in pairs], x, b).data == n.data  # numbers lifted


def test_grads_behind_a_zero_gradient_are_plain_floats() -> None:
    x = Value(1.0)
    a = x * 1.0
    y = (a * -1.0).relu() * 3.0  # a dead relu: nothing flows back to a
    y.backward()
    assert type(a.grad) is float and a.grad == 0.0
    assert type(grad(y, [a])[0]) is float


def test_backward_create_graph_in_no_grad_keeps_the_leaf_grads_graph() -> None:
    x = Value(3.0)
    y = x * x * x
    y.backward(create_graph=True)
    with no_grad():
        y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 54.0
    assert grad(x.grad, [x]) == [36.0]  # d(2 · 3x²)/dx at 3


def test_ops_called_on_numbers_take_what_value_takes() -> None:
    assert ops.ADD(1, 2) == 3.0 and type(ops.ADD(1, 2)) is float
    with pytest.raises(TypeError, match=r"^relu: operand"):
        ops.RELU(True)
    with pytest.raises(TypeError, match=r"^add: operand"):
        ops.ADD(1.0, "a")
    with pytest.raises(TypeError, match=r"^add: takes 2"):
        ops.ADD(1.0)
    with pytest.raises(OverflowError, match=r"^add: the int operand has 401 digits"):
        ops.ADD(1.0, 10**400)


SPECIAL_FLOATS = st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, -1e308]) \
    | st.floats(allow_nan=True, allow_infinity=True)
OPERATORS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
             "relu": lambda a, b: a.relu()}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(OPERATORS)), SPECIAL_FLOATS, SPECIAL_FLOATS)
def test_the_inline_operators_compute_the_tables_forward(name: str, a: float, b: float) -> None:
    """Value's +, -, * and relu() compute inline: the same result (NaN, sign of zero) or the
    same error as the op table's forward on floats."""
    table = ops.OPS[name].forward
    args = (a,) if name == "relu" else (a, b)
    try:
        expected: object = table(*args)
    except OverflowError as e:
        with pytest.raises(OverflowError, match=f"^{name}: "):
            OPERATORS[name](Value(a), Value(b))
        assert str(e).startswith(name)
        return
    got = OPERATORS[name](Value(a), Value(b)).data
    assert repr(got) == repr(expected)  # nan == nan, and 0.0 is not -0.0
