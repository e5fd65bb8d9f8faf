"""``grad()`` and ``backward()`` as functions: their arguments checked, the seeds, the engine.

Seeds: backward from several outputs, or from an output with dL/dy = k instead of 1.

PyTorch's ``y.backward(gradient=k)``, ``autograd.backward([y1, y2], [g1, g2])`` and
``grad(..., grad_outputs=k)`` are one chain-rule step more: they differentiate the weighted
sum ``R = g1*y1 + g2*y2`` (one ``wsum`` node), whose partial with respect to each ``yi`` is
exactly its seed ``gi``. So the engine runs its usual pass from ``R``, and every node gets
``Σ gi · dyi/dnode``, each ``yi`` its seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal, overload

from autograd import engine
from autograd.nary import weighted_sum
from autograd.reals import describe, seed_number
from autograd.value import Value


def backward(root: Value | Sequence[Value], create_graph: bool = False, *,
             gradient: object = None) -> None:
    """Fill ``.grad`` of every node in ``root``'s graph; see ``Value.backward``.

    ``root`` may be a list of outputs, as in ``torch.autograd.backward``: one pass, each node
    gets the sum over the outputs. ``gradient`` seeds the pass: dL/droot = gradient (a
    number; a list of numbers for a list of outputs) instead of 1.
    """
    engine.check_flag(create_graph, "backward")
    engine.backward(seeded_root(root, gradient, "backward", "gradient"), create_graph)


@overload
def grad(output: Value | Sequence[Value], inputs: Iterable[Value],
         create_graph: Literal[False] = ..., *, grad_outputs: object = ...) -> list[float]: ...
@overload
def grad(output: Value | Sequence[Value], inputs: Iterable[Value], create_graph: Literal[True],
         *, grad_outputs: object = ...) -> list[Value]: ...
@overload
def grad(output: Value | Sequence[Value], inputs: Iterable[Value], create_graph: bool,
         *, grad_outputs: object = ...) -> list[Any]: ...
def grad(output: Value | Sequence[Value], inputs: Iterable[Value], create_graph: bool = False,
         *, grad_outputs: object = None) -> list[Any]:
    """d(output)/d(input) for each input, leaving every ``.grad`` untouched.

    Returns floats; with ``create_graph=True`` returns Values that can be differentiated
    again (``grad(dx, [x])`` is then the second derivative), to any order, and no reference
    cycles. Thread-safe: it keeps its sums in a dict of its own, so threads may call it at
    once, on graphs that share nodes, and while another thread runs ``backward()``. A graph
    whose data was written after it was recorded raises ``RuntimeError``.
    """
    if isinstance(inputs, Value) or not isinstance(inputs, Iterable):
        raise TypeError(f"grad: inputs must be a list of Values, e.g. grad(y, [x]); got "
                        f"{type(inputs).__name__}")
    engine.check_flag(create_graph, "grad")
    inputs = list(inputs)  # an iterator is read once: here, not again below
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__}")
    root = seeded_root(output, grad_outputs, "grad", "grad_outputs", "output")
    grads = engine.gradients(root, create_graph)
    # An input nothing reached gets 0 (a Value 0 of its own, with create_graph).
    return [grads[x] if x in grads else Value(0.0) if create_graph else 0.0 for x in inputs]


def seeded_root(outputs: object, seeds: object, who: str, seed_name: str,
                what: str = "root") -> Value:
    """The Value to run the pass from: ``outputs`` itself when it is one Value with no seed,
    else the weighted sum of the outputs by their seeds (each 1.0 when ``seeds`` is None)."""
    if isinstance(outputs, Value) and seeds is None:
        return outputs
    outs = _outputs(outputs, who, what)
    if seeds is None:
        numbers = [1.0] * len(outs)
    elif isinstance(outputs, Value):
        numbers = [seed_number(seeds, who, seed_name)]
    else:
        numbers = _seed_list(seeds, len(outs), who, seed_name)
    with engine.enable_grad():  # the root is recorded even inside no_grad()
        return weighted_sum([Value(g) for g in numbers], outs, 0.0)


def _outputs(outputs: object, who: str, what: str) -> list[Value]:
    if isinstance(outputs, Value):
        return [outputs]
    if not isinstance(outputs, (list, tuple)):
        raise TypeError(f"{who}: {what} must be a Value or a list of Values, got "
                        f"{type(outputs).__name__} {outputs!r:.40}")
    if not outputs:
        raise ValueError(f"{who}: the list of outputs is empty")
    for i, y in enumerate(outputs):
        if not isinstance(y, Value):
            raise TypeError(f"{who}: {what}[{i}] must be a Value, got {describe(y)}")
    return list(outputs)


def _seed_list(seeds: object, n: int, who: str, name: str) -> list[float]:
    if not isinstance(seeds, (list, tuple)):
        raise TypeError(f"{who}: with a list of outputs, {name} must be a list of {n} "
                        f"number(s), got {describe(seeds)}")
    if len(seeds) != n:
        raise ValueError(f"{who}: {n} output(s) but {len(seeds)} {name}")
    return [seed_number(g, who, f"{name}[{i}]") for i, g in enumerate(seeds)]
