"""The chain rule, run by itself: one walk, one loop, and the guarantees around them.

A graph is made of nodes. Each node has its ``inputs``, the ``rule`` (its entry in the op table,
``autograd.ops``) that computed its ``data`` from theirs, and a ``grad``. ``Value`` is such a
node; this module reads nothing else of it, so it does not import ``autograd.value``.

The backward pass is the notes' rule, applied from the output back to the leaves::

    d(out)/d(input) += d(node)/d(input) * d(out)/d(node)

``topological_order`` is the walk, ``backward_steps`` the loop; ``gradients`` runs the loop and
``backward`` wraps it in the three guarantees: all or nothing, no stale data, one pass at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from autograd.ops import Op

__all__ = ["Node", "backward", "backward_order", "backward_steps", "check_flag", "enable_grad",
           "gradients", "is_grad_enabled", "local_partials", "no_grad", "topological_order"]


class Node(Protocol):
    """What the engine reads of a node (a ``Value``)."""

    grad: Any

    @property
    def data(self) -> float: ...
    @property
    def inputs(self) -> Sequence[Node]: ...
    @property
    def rule(self) -> Op | None: ...
    def input_data(self) -> list[float]:
        """The numbers of the inputs, in order."""
    @staticmethod
    def constant(x: float) -> Any:
        """A new constant node holding ``x`` (a grad, with ``create_graph``)."""
    @staticmethod
    def grads_of(nodes: Sequence[Any]) -> list[Any]:
        """Many nodes' grads at once."""
    @staticmethod
    def set_grads(nodes: Sequence[Any], grads: Sequence[Any]) -> None:
        """Many nodes' grads written at once."""
    def check_recorded(self, who: str) -> None:
        """Raise ``RuntimeError`` if this node's data, or an input's, was written after the
        node was computed (its partials would mix two points)."""


# --- recording on or off ---------------------------------------------------------------

_GRAD_ENABLED: ContextVar[bool] = ContextVar("chainrule_grad_enabled", default=True)
is_grad_enabled = _GRAD_ENABLED.get
"""False inside ``no_grad()``: new nodes are then plain constants, with no inputs."""


@contextmanager
def no_grad() -> Iterator[None]:
    """Record no graph inside the block: results are plain leaves, and inference is fast.

    The switch is a ContextVar, so it holds for this thread or asyncio task only.
    """
    token = _GRAD_ENABLED.set(False)
    try:
        yield
    finally:
        _GRAD_ENABLED.reset(token)


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record graphs again inside the block, even within ``no_grad()``."""
    token = _GRAD_ENABLED.set(True)
    try:
        yield
    finally:
        _GRAD_ENABLED.reset(token)


# --- the walk ---------------------------------------------------------------------------

def topological_order(root: Node, *, leaves: bool = True) -> list[Any]:
    """Every node of ``root``'s graph, each after all of its inputs; ``root`` comes last.

    An iterative depth-first walk (no recursion: a chain of a million ops needs none), the first
    operand walked first, so the order reads left to right. It depends only on the graph's shape
    and operand order, never on ``id()``: the same graph gives the same order in any process.
    With ``leaves=False`` only the computed nodes are listed.
    """
    return _walk(root, leaves, True, "topological_order")


def backward_order(root: Node, who: str = "backward_order") -> list[Any]:
    """The computed nodes in the order the backward pass visits them: ``root`` first, each node
    before all of its inputs, and a node's first operand's branch before its second's (the notes'
    N1 before N2, as ``autograd.compile`` writes the pass). The same walk, the operands taken
    last to first, reversed. Every node is checked first: a graph whose data was written after
    it was recorded is a ``RuntimeError`` naming ``who``."""
    order = _walk(root, False, False, who)[::-1]
    for node in order:
        node.check_recorded(who)
    return order


def _walk(root: Node, leaves: bool, first_operand_first: bool, who: str) -> list[Any]:
    if getattr(type(root), "check_recorded", None) is None:
        raise TypeError(f"{who}: root must be a Value, got {type(root).__name__}")
    order: list[Node] = []
    seen: set[Node] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            # The last pushed is walked first.
            for x in reversed(node.inputs) if first_operand_first else node.inputs:
                if (leaves or x.inputs) and x not in seen:
                    stack.append((x, False))
    if not leaves and not root.inputs:
        order.remove(root)
    return order


# --- the loop ---------------------------------------------------------------------------

def local_partials(node: Node, create_graph: bool = False) -> Sequence[Any]:
    """d(node)/d(input) for each input, from the op table, at the numbers the node was made
    from; with ``create_graph``, computed on the Values themselves, so differentiable again."""
    rule: Any = node.rule
    if create_graph:
        partials = rule.partials(*node.inputs, node)
    else:
        partials = rule.partials(*node.input_data(), node.data)
    if len(partials) != len(node.inputs):
        raise ValueError(f"{rule.name}: its partials rule gave {len(partials)} partial(s) for "
                         f"{len(node.inputs)} operand(s)")
    return partials  # type: ignore[no-any-return]


def backward_steps(order: Sequence[Node], grads: dict[Any, Any],
                   create_graph: bool = False) -> Iterator[tuple[Any, Any, Sequence[Any]]]:
    """The backward pass, one node at a time: ``order`` is output first, ``grads`` holds the
    seed, d(out)/d(out). Yields each node with its grad and its local partials (empty when the
    grad is 0: nothing flows back, and the partials are not evaluated), then adds
    ``partial * grad`` to each input's entry in ``grads``."""
    for node in order:
        g = grads.get(node)
        if g is None or g == 0.0:  # nothing reached it, or nothing flows back (a dead ReLU)
            yield node, 0.0 if g is None else g, ()
            continue
        partials = local_partials(node, create_graph)
        yield node, g, partials
        for x, partial in zip(node.inputs, partials):  # noqa: B905 (one each: local_partials)
            if partial == 0.0:
                continue  # no dependence here: nothing to add
            contribution = g if partial == 1.0 else partial * g  # (1 passes g on as it is)
            old = grads.get(x)
            grads[x] = contribution if old is None else old + contribution


def gradients(root: Node, create_graph: bool = False, seed: float = 1.0) -> dict[Any, Any]:
    """d(root)/d(node) for every node reached, in a dict; no ``.grad`` is touched, so threads
    may call this at once. ``seed`` is d(L)/d(root) (1 unless the caller says otherwise)."""
    return _run(root, create_graph, seed, "grad")[1]


def _run(root: Node, create_graph: bool, seed: float,
         who: str) -> tuple[list[Any], dict[Any, Any]]:
    """The computed nodes of ``root``'s graph (output first) and their grads, after the loop."""
    order = backward_order(root, who)  # data written since the graph was recorded? refused
    grads: dict[Any, Any] = {root: root.constant(seed) if create_graph else seed}
    with enable_grad() if create_graph else nullcontext():
        for _ in backward_steps(order, grads, create_graph):
            pass
    return order, grads


def check_flag(create_graph: object, who: str) -> None:
    """``create_graph`` must be a bool: a number there is a seed passed in the wrong place."""
    if not isinstance(create_graph, bool):
        hint = ""
        if isinstance(create_graph, (int, float)):
            hint = f"; to seed the pass with d/dy = {create_graph!r:.20}, pass gradient="
        raise TypeError(f"{who}: create_graph must be True or False, got "
                        f"{type(create_graph).__name__} {create_graph!r:.40}{hint}")


# --- backward(): the loop, with its guarantees around it ---------------------------------

_LOCK = threading.RLock()
"""One ``backward()`` at a time in a process: a leaf's grad is read, added to, written back."""


def backward(root: Node, create_graph: bool = False, seed: float = 1.0) -> None:
    """Fill ``.grad`` of every node in ``root``'s graph; see ``Value.backward``.

    All or nothing: every grad is computed (``gradients``) before any is written, and the writes
    are undone if interrupted. A computed node's grad shows this pass (0 where nothing reached
    it); a leaf's grows by this pass's, so it accumulates across calls until zeroed.
    """
    check_flag(create_graph, "backward")
    with _LOCK:
        order, grads = _run(root, create_graph, seed, "backward")
        leaves = [x for x in grads if not x.inputs]
        olds = root.grads_of(order + leaves)
        # Every computed node shows this pass: 0 where nothing reached it (a Value 0 of its own,
        # with create_graph); every leaf its old grad plus this pass's.
        news = [grads[x] if x in grads else root.constant(0.0) if create_graph else 0.0
                for x in order]
        with enable_grad():  # with create_graph, a leaf's old grad plus this pass's is a graph
            news += [new if old == 0.0 else old + new  # (0.0 + a Value would be a node more)
                     for old, new in zip(olds[len(order):], [grads[x] for x in leaves],
                                         strict=True)]
        try:
            root.set_grads(order + leaves, news)
        except BaseException:  # interrupted while writing: every grad as it was
            root.set_grads(order + leaves, olds)
            raise
