"""Adversarial tape() graphs: Tape.backward gives root.backward()'s grads whatever the mix.

Graphs mix nodes made before the tape, inside nested no_grad / enable_grad / tape blocks,
batch-built nodes (weighted_sums, apply_each, MLP.forward_batch), leaf roots, roots made after
the block, repeated backward, and backward from another thread.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    Value,
    apply_each,
    enable_grad,
    grad,
    no_grad,
    ops,
    tape,
    topological_order,
    total,
    weighted_sum,
    weighted_sums,
)
from mlp import MLP, losses

Step = tuple[str, str, int, int, int]  # (context, op, three operand picks)
CONTEXTS = ("tape", "tape", "tape", "no_grad", "enable_grad", "inner_tape", "no_grad_enable")
OPS = ("add", "sub", "mul_tanh", "relu", "sigmoid", "wsum", "sum", "batch", "each")


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _context(name: str) -> AbstractContextManager[object]:
    if name == "no_grad":
        return no_grad()
    if name == "enable_grad":
        return enable_grad()
    if name == "inner_tape":
        return tape()
    if name == "no_grad_enable":
        return _nested()
    return nullcontext()


class _nested:  # noqa: N801 (used like a context-manager function)
    """no_grad() with enable_grad() inside it: graphs recorded, but not on the outer tape."""

    def __enter__(self) -> None:
        self._outer, self._inner = no_grad(), enable_grad()
        self._outer.__enter__()
        self._inner.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(None, None, None)
        self._outer.__exit__(None, None, None)


def _batch(a: Value, b: Value, c: Value) -> Value:
    rows = weighted_sums([[a, b], [c, c]], [b, Value(0.1)], [[c, a], [0.5, b]])
    return total(apply_each(ops.TANH, [v for row in rows for v in row]))


APPLY: dict[str, Callable[[Value, Value, Value], Value]] = {
    "add": lambda a, b, c: a + b,
    "sub": lambda a, b, c: a - b,
    "mul_tanh": lambda a, b, c: (a * b).tanh(),
    "relu": lambda a, b, c: (a - 0.25).relu(),
    "sigmoid": lambda a, b, c: ops.SIGMOID(a),
    "wsum": lambda a, b, c: weighted_sum([a, b], [c, a], 0.5).tanh(),
    "sum": lambda a, b, c: total([a, b, c, 1.0]).tanh(),
    "batch": _batch,
    "each": lambda a, b, c: apply_each(ops.TANH, [a, b, c])[1] * c,
}


def _apply(op: str, a: Value, b: Value, c: Value) -> Value:
    return APPLY[op](a, b, c)


steps = st.lists(st.tuples(st.sampled_from(CONTEXTS), st.sampled_from(OPS), st.integers(0, 99),
                           st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=12)


def _build(inputs: list[float], before: list[Step], during: list[Step],
           root_pick: int) -> tuple[Value, object, list[Value]]:
    """The graph drawn: its root, the tape that recorded it, and every node made."""
    nodes = [Value(x) for x in inputs]
    for _, op, i, j, k in before:
        nodes.append(_apply(op, nodes[i % len(nodes)], nodes[j % len(nodes)],
                            nodes[k % len(nodes)]))
    with tape() as t:
        for context, op, i, j, k in during:
            with _context(context):
                nodes.append(_apply(op, nodes[i % len(nodes)], nodes[j % len(nodes)],
                                    nodes[k % len(nodes)]))
    root = nodes[-1 - root_pick % len(nodes)]
    return root, t, nodes


def _run_twice(backward: Callable[[], None], root: Value) -> None:
    """Backward twice: leaves accumulate twice d(root)/d(leaf), inner grads show one pass."""
    everything = topological_order(root)
    expected = grad(root, everything)
    for v in everything:
        if not v.inputs:
            v.grad = 0.0
    for times in (1, 2):
        backward()
        for v, e in zip(everything, expected, strict=True):
            want = e * times if not v.inputs or (v is root and not root.inputs) else e
            assert close(v.grad, want), (v, want)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1.5, 1.5), min_size=1, max_size=3),
       st.lists(st.tuples(st.just("tape"), st.sampled_from(OPS), st.integers(0, 99),
                          st.integers(0, 99), st.integers(0, 99)), max_size=3),
       steps, st.integers(0, 3))
def test_tape_backward_is_backward_on_mixed_graphs(inputs: list[float], before: list[Step],
                                                   during: list[Step], root_pick: int) -> None:
    root, t, _ = _build(inputs, before, during, root_pick)
    _run_twice(lambda: t.backward(root), root)  # type: ignore[attr-defined]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-1.5, 1.5), min_size=1, max_size=3), steps)
def test_tape_backward_from_another_thread_is_backward(inputs: list[float],
                                                       during: list[Step]) -> None:
    root, t, _ = _build(inputs, [], during, 0)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            t.backward(root)  # type: ignore[attr-defined]
        except BaseException as e:  # re-raised in the test's thread
            errors.append(e)

    def in_thread() -> None:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
        if errors:
            raise errors[0]

    _run_twice(in_thread, root)


def test_a_recorded_node_reached_only_through_an_unrecorded_one_is_backpropagated() -> None:
    x, w = Value(0.7), Value(-1.3)
    with tape() as t:
        recorded = x * w  # on the tape
        with enable_grad():
            hidden = recorded.tanh()  # not on the tape: the only path to `recorded`
        root = hidden * 2.0 + w
    assert not t.complete
    expected = grad(root, [x, w, recorded, hidden])
    t.backward(root)
    assert [x.grad, w.grad, recorded.grad, hidden.grad] == expected


def test_a_root_made_after_the_block_and_a_leaf_root_are_walked() -> None:
    x = Value(0.3)
    with tape() as t:
        y = (x * x).tanh()
    after = y * 3.0
    t.backward(after)
    assert (x.grad, y.grad) == tuple(grad(after, [x, y]))
    x.grad = 0.0
    t.backward(x)  # a leaf: its grad grows by one, as with x.backward()
    t.backward(x)
    assert x.grad == 2.0


def test_tape_backward_on_forward_batch_with_a_model_made_outside_matches_grad() -> None:
    model = MLP(3, [5, 4, 2], seed=11)
    X = [[0.1, -0.4, 0.9], [1.2, 0.3, -0.8]]
    with tape() as t:
        preds = model.forward_batch(X)
        loss = losses.mse([[1.0, 0.0], [0.0, 1.0]], preds) + losses.l2(model.parameters())
    assert t.complete
    params = model.parameters()
    expected = grad(loss, params)
    for p in params:
        p.grad = 0.0
    t.backward(loss)
    assert all(close(p.grad, e) for p, e in zip(params, expected, strict=True))
