"""Walks of a graph: the orders the engine and the drawings visit its nodes in.

Every walk is an iterative depth-first search (no recursion: a chain of a million ops needs
none), and every order depends only on the graph's shape and operand order, never on
``id()``: the same graph gives the same order in any process.
"""

from __future__ import annotations

from typing import Any

from autograd.value import Value


def check_root(root: object, who: str) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"{who}: root must be a Value, got {type(root).__name__}")


def label_of(v: Value, who: str) -> str:
    """``v.label``, which must be a str: ``Value()`` checks it, but ``v.label = ...`` is a
    plain write, so what reads labels (drawings, ``explain``, ``compile``) checks it too."""
    label = v.label
    if not isinstance(label, str):
        kind = f"a {v.op} node" if v.inputs else "a leaf"
        raise TypeError(f"{who}: the label of {kind} must be a str, got "
                        f"{type(label).__name__} {label!r:.40} ('' for no label)")
    return label


def topological_order(root: Value, *, leaves: bool = True) -> list[Value]:
    """Every node of ``root``'s graph, each after all of its inputs; ``root`` comes last.

    An iterative depth-first walk (no recursion). The order depends only on the graph's
    shape and operand order, never on ``id()``: the same graph gives the same order in any
    process. With ``leaves=False`` only the computed nodes are listed.
    """
    check_root(root, "topological_order")
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        # Reversed, so the first operand is walked first and the order reads left to right.
        for inp in reversed(node.inputs):
            if inp not in seen and (leaves or inp.inputs):
                stack.append((inp, False))
    if not leaves and not root.inputs:
        order.remove(root)
    return order


class _ZeroMark(float):
    """A 0.0 that ``_backward_order`` leaves in the ``.grad`` of each node and leaf it visits.

    Being a distinct object, it tells the walk which nodes it has seen; being 0.0, it is
    already the zero that this pass's sums start from, and whatever is added to it is a plain
    float. So no pass is needed to zero the grads, and no set to hold the visited nodes.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[float], tuple[float]]:
        return (float, (0.0,))  # copied or pickled, it is the plain 0.0 it stands for


def _backward_order(root: Value, done: Any, kept: dict[Value, Any], leaves: list[Value],
                    olds: list[Any]) -> list[Value]:
    """The computed nodes of ``root``'s graph, each before all of its inputs: root first.

    A depth-first walk that colours the nodes in their ``.grad``, with two fresh
    ``_ZeroMark``s: ``entered`` while a node's inputs are walked, ``done`` once they are (a
    leaf is done when reached). A node popped while entered has all its inputs done, so it
    goes on the order. So that a failed pass can put back the grads it replaces, a computed
    node's goes in ``kept`` (unless it is 0.0, the grad a fresh node has), and the leaves go
    on ``leaves`` with their grads on ``olds``. Operands are walked last-first (no
    ``reversed()`` per node, unlike ``topological_order``'s reading order): this walk runs on
    every training step. ``_gradient_order`` is the same walk for ``grad()``, which must not
    touch ``.grad``.
    """
    entered: Any = _ZeroMark()
    order: list[Value] = []
    stack: list[Value] = [root]
    push, pop, emit = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        g = node._grad
        if g is entered:  # back from its inputs
            node._grad = done
            emit(node)
            continue
        if g is done:  # pushed twice, walked once
            continue
        if g != 0.0:
            kept[node] = g
        node._grad = entered
        push(node)
        for inp in node.inputs:
            if inp._grad is not done:  # never entered: that would be a cycle
                if inp.inputs:
                    push(inp)
                else:  # a leaf has no inputs to walk: done here, once
                    leaves.append(inp)
                    olds.append(inp._grad)
                    inp._grad = done
    order.reverse()
    return order


def _gradient_order(root: Value) -> list[Value]:
    """``_backward_order`` with the colours in a dict: the same order, ``.grad`` untouched.

    ``grad()`` and ``backward()`` visit the nodes in the same order, so they add the same
    contributions in the same order and agree to the last bit.
    """
    order: list[Value] = []
    done: dict[Value, bool] = {}  # False while a node's inputs are walked, then True
    stack: list[Value] = [root] if root.inputs else []
    push, pop, emit = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        state = done.get(node)
        if state is False:
            done[node] = True
            emit(node)
            continue
        if state:
            continue
        done[node] = False
        push(node)
        for inp in node.inputs:
            if inp.inputs and not done.get(inp):
                push(inp)
    order.reverse()
    return order
