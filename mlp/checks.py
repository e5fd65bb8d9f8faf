"""Argument checks for Neuron, Layer and MLP: sizes, configs and inputs, each refused by name."""

from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol, SupportsFloat, SupportsIndex, TypeVar

from autograd import Value
from autograd.reals import describe_large, is_int_like, is_real, real_number

T_co = TypeVar("T_co", covariant=True)


class SequenceLike(Protocol[T_co]):
    """Items in order, with ``len()`` and ``x[i]``: a list, a tuple, a numpy array (a row of
    one, or the rows of a 2-D one). What a model takes as a sample and ``fit`` as X and y."""

    def __len__(self) -> int: ...
    def __getitem__(self, i: int, /) -> T_co: ...
    def __iter__(self) -> Iterator[T_co]: ...


Number = Value | SupportsFloat | SupportsIndex
"""A Value or a real number: an int, a float, numpy's scalars (see ``autograd.reals``)."""


def zero_grads(params: Sequence[Value], set_to_none: object) -> None:
    """``p.grad = 0.0`` for every parameter: ``zero_grad`` of a module and of an optimizer.

    ``set_to_none`` is PyTorch's switch, taken so its code runs: here a grad is always a
    number and ``p.grad = None`` stores 0.0, so both settings give 0.0."""
    if not isinstance(set_to_none, bool):
        raise TypeError(f"zero_grad: set_to_none must be True or False, got "
                        f"{type(set_to_none).__name__}")
    Value.set_grads(params, [0.0] * len(params))  # all at once (an optimizer's every step)


def check_count(n: object, what: str) -> int:
    """A positive int; numpy's ints count (they say so by ``__index__``), bools do not."""
    if not (is_real(n) and is_int_like(n)):  # is_real refuses bools (numpy's too) first
        raise TypeError(f"{what} must be an int, got {type(n).__name__}")
    n = operator.index(n)  # type: ignore[arg-type]  # is_int_like said it has __index__
    if n < 1:
        raise ValueError(f"{what} must be at least 1, got {n}")
    return n


def check_rng(rng: object, who: str) -> None:
    """``rng`` is None or a generator with ``uniform(a, b)`` (``random.Random``, say)."""
    if rng is not None and not callable(getattr(rng, "uniform", None)):
        raise TypeError(f"{who}: rng must be a random.Random (anything with .uniform(a, b)) or "
                        f"None, got {type(rng).__name__} {rng!r:.40}")


def as_inputs(x: SequenceLike[Number], labels: tuple[str, ...], who: str) -> list[Value]:
    """The inputs as Values, shared by every neuron; floats become leaves x1, x2, ..."""
    if not isinstance(x, list) and not is_sequence(x):  # a set, say: its order is arbitrary
        raise TypeError(f"{who}: x must be a list of numbers or Values, got "
                        f"{type(x).__name__}")
    if len(x) and not isinstance(x[0], Value) and is_sequence(x[0]):
        raise TypeError(f"{who}: x is a batch of {len(x)} sample(s) (a 2-D input); {who} takes "
                        f"one sample, a list of {len(labels)} numbers: map over the samples, "
                        "[model(x) for x in X]")
    if len(x) != len(labels):
        raise ValueError(f"{who}: expected {len(labels)} inputs, got {len(x)}")
    try:
        return [v if isinstance(v, Value) else Value(v, lab)
                for v, lab in zip(x, labels, strict=True)]
    except (TypeError, OverflowError):
        raise _bad_item(x, who, "x") from None


def is_sequence(x: object) -> bool:
    """An ordered collection of items: a list or another Sequence, or an array-like with
    ``len()`` and indexing (a numpy array); never a str, bytes, a mapping or a set."""
    if isinstance(x, (str, bytes, Mapping)):
        return False
    if isinstance(x, Sequence):
        return True
    return hasattr(type(x), "__len__") and hasattr(type(x), "__getitem__") \
        and getattr(x, "ndim", 1) >= 1  # a 0-d numpy array has no items


def _bad_item(x: SequenceLike[object], who: str, where: str) -> Exception:
    """The error for the first item of ``x`` that ``Value()`` refuses."""
    for i, v in enumerate(x):
        if isinstance(v, Value):
            continue
        try:
            number = real_number(v)
        except OverflowError:
            return OverflowError(f"{who}: {where}[{i}] is {describe_large(v)}, too large for a "
                                 "float")
        if number is None:
            return TypeError(f"{who}: {where}[{i}] must be a real number "
                             f"(int, float, ...) or a Value, got "
                             f"{type(v).__name__} {v!r:.40}")
    return TypeError(f"{who}: {where} holds an item that is not a number")


def config_values(config: Mapping[str, Any], keys: tuple[str, ...]) -> list[Any]:
    if not isinstance(config, Mapping):
        raise ValueError(f"config must be a mapping, got {type(config).__name__}")
    if set(config) != set(keys):
        raise ValueError(f"config must have exactly the keys {', '.join(keys)}; "
                         f"got {', '.join(sorted(map(str, config))) or 'none'}")
    return [config[k] for k in keys]


def check_sizes(nouts: object) -> list[int]:
    """MLP's layer sizes, checked: a non-empty list of positive ints."""
    if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence):
        raise TypeError(f"MLP: nouts must be a list of layer sizes, got {type(nouts).__name__}")
    if not nouts:
        raise ValueError("MLP: nouts must name at least one layer")
    return [check_count(n, f"MLP: nouts[{i}]") for i, n in enumerate(nouts)]
