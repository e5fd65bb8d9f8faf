"""A program's arguments: their shapes (numbers and nested lists) from the example, their
names from ``fn``'s signature, and the checks every call and every batch of columns pass.

An argument is a number (what ``Value()`` takes: an int, a float, numpy's scalars, not a
bool) or a Value, or a list of them (a tuple, a numpy array: any sequence but a string),
nested as in the example. A Value's number is used, and its ``.grad`` is
filled by backward. Anything else is refused with a ``TypeError`` (a wrong type) or a
``ValueError`` (a list of the wrong length) that names the argument and the place in it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from autograd.reals import describe_large, real_number
from autograd.value import Value

Shape = tuple["Shape", ...] | None
"""None for a number; a tuple of the items' shapes for a list."""

MAX_NESTING = 100
"""How deep an argument's lists may nest: the generated loop unpacks a sample with one pair
of parentheses per level, and Python's parser takes at most 200 nested (a margin is kept)."""

_FLOATS = {float}
_ROWS = {list, tuple}


@dataclass(frozen=True)
class ArgSpec:
    """The arguments' names (one per argument), shapes, and leaf names (one per number)."""

    names: tuple[str, ...]
    shapes: tuple[Shape, ...]
    leaf_names: tuple[str, ...]

    @classmethod
    def from_example(cls, fn: Callable[..., Any], args: Sequence[Any]) -> ArgSpec:
        names = _parameter_names(fn, len(args))
        shapes = tuple(_shape(a, name, "compile", name) for a, name in zip(args, names,
                                                                           strict=True))
        leaf_names = tuple(chain.from_iterable(
            _leaf_names(s, name) for s, name in zip(shapes, names, strict=True)))
        return cls(names, shapes, leaf_names)

    @property
    def size(self) -> int:
        return len(self.leaf_names)

    def describe(self) -> str:
        return ", ".join(self.names) or "no arguments"

    def flatten(self, args: Sequence[Any], who: str) -> tuple[list[float], list[tuple[int, Value]]]:
        """The numbers of a call's arguments, in leaf order, and the Values among them
        (leaf position, Value); raises naming the first bad argument."""
        if len(args) != len(self.shapes):
            raise TypeError(f"{who}: takes {len(self.shapes)} argument(s) ({self.describe()}), "
                            f"got {len(args)}")
        flat: list[float] = []
        values: list[tuple[int, Value]] = []
        for a, shape, name in zip(args, self.shapes, self.names, strict=True):
            _flatten(a, shape, name, who, flat=flat, values=values)
        return flat, values

    def columns(self, columns: Sequence[Any], who: str) -> tuple[list[Any], int,
                                                                 list[tuple[int, int, Value]]]:
        """Columns of samples (one column per argument), checked: the columns as the
        compiled loop reads them (numbers only), the number of samples, and the Values among
        them as (sample, leaf position, Value)."""
        if len(columns) != len(self.shapes):
            raise TypeError(f"{who}: takes {len(self.shapes)} column(s), one per argument "
                            f"({self.describe()}), got {len(columns)}")
        sizes = set()
        for col, name in zip(columns, self.names, strict=True):
            if not is_sequence(col):
                raise TypeError(f"{who}: the column of {name} must be a list of samples, got "
                                f"{type(col).__name__}")
            sizes.add(len(col))
        if len(sizes) > 1:
            raise ValueError(f"{who}: the columns have different lengths: "
                             + ", ".join(f"{n} {len(c)}" for n, c in zip(self.names, columns,
                                                                          strict=True)))
        n = sizes.pop() if sizes else 0
        if n == 0:
            raise ValueError(f"{who}: needs at least one sample")
        clean = [col if _is_clean(col, shape) else None
                 for col, shape in zip(columns, self.shapes, strict=True)]
        if all(c is not None for c in clean):
            return clean, n, []
        return self._slow_columns(columns, clean, who, n)

    def _slow_columns(self, columns: Sequence[Any], clean: list[Any], who: str,
                      n: int) -> tuple[list[Any], int, list[tuple[int, int, Value]]]:
        values: list[tuple[int, int, Value]] = []
        offsets = _offsets(self.shapes)
        out = []
        for k, (col, shape, name) in enumerate(zip(columns, self.shapes, self.names,
                                                    strict=True)):
            if clean[k] is not None:
                out.append(col)
                continue
            rows = []
            for i, sample in enumerate(col):
                flat: list[float] = []
                found: list[tuple[int, Value]] = []
                _flatten(sample, shape, f"{name}[{i}]", who, flat=flat, values=found)
                rows.append(_nest(shape, iter(flat)))
                values.extend((i, offsets[k] + pos, v) for pos, v in found)
            out.append(rows)
        values.sort(key=lambda t: (t[0], t[1]))
        return out, n, values

    def leaves(self, flat: Sequence[float]) -> list[Value]:
        """Fresh leaf Values for tracing, labelled with the leaf names."""
        return [Value(x, label) for x, label in zip(flat, self.leaf_names, strict=True)]

    def nest(self, leaves: Sequence[Any]) -> list[Any]:
        """The arguments rebuilt from flat leaves (as ``fn`` receives them)."""
        it = iter(leaves)
        return [_nest(shape, it) for shape in self.shapes]


def _parameter_names(fn: Callable[..., Any], n: int) -> tuple[str, ...]:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][:n]
    names += [f"a{i + 1}" for i in range(len(names), n)]
    return tuple(names)


def _shape(a: Any, where: str, who: str, name: str, depth: int = 0) -> Shape:
    if isinstance(a, Value):
        return None
    if is_sequence(a):
        if depth == MAX_NESTING:
            raise ValueError(f"{who}: argument {name} has lists nested more than "
                             f"{MAX_NESTING} deep; compile takes at most {MAX_NESTING} levels")
        return tuple(_shape(x, f"{where}[{i}]", who, name, depth + 1) for i, x in enumerate(a))
    try:
        _number(a, where, who)
    except TypeError:
        raise TypeError(f"{who}: argument {where} must be a number, a Value or a list of them, "
                        f"got {type(a).__name__}") from None
    return None


def _leaf_names(shape: Shape, name: str) -> list[str]:
    if shape is None:
        return [name]
    sep = "_" if name[-1:].isdigit() else ""
    return [leaf for i, s in enumerate(shape) for leaf in _leaf_names(s, f"{name}{sep}{i + 1}")]


def is_sequence(x: object) -> bool:
    """A list, a tuple, any other Sequence or an array-like with ``len()`` and indexing (a
    numpy array of one dimension or more); never a str, bytes, a mapping or a set. The same
    test as ``mlp``'s for a model's inputs."""
    if isinstance(x, (str, bytes, Mapping)):
        return False
    if isinstance(x, Sequence):
        return True
    return hasattr(type(x), "__len__") and hasattr(type(x), "__getitem__") \
        and getattr(x, "ndim", 1) >= 1


def _number(x: Any, where: str, who: str) -> float:
    """``x`` as a float, as ``Value(x)`` takes it, or the error naming ``where`` it is."""
    try:
        number = real_number(x)
    except OverflowError:
        raise OverflowError(f"{who}: {where} is {describe_large(x)}, too large for a "
                            "float") from None
    if number is None:
        raise TypeError(f"{who}: {where} must be a real number (int, float, ...) or a "
                        f"Value, got {type(x).__name__} {x!r:.40}")
    return number


def _flatten(a: Any, shape: Shape, where: str, who: str, *, flat: list[float],
             values: list[tuple[int, Value]]) -> None:
    if shape is None:
        if type(a) is float:
            flat.append(a)
        elif isinstance(a, Value):
            values.append((len(flat), a))
            flat.append(a.data)
        else:
            flat.append(_number(a, where, who))
        return
    if not is_sequence(a):
        raise TypeError(f"{who}: {where} must be a list of {len(shape)}, got "
                        f"{type(a).__name__}")
    if len(a) != len(shape):
        raise ValueError(f"{who}: {where} must be a list of {len(shape)}, got {len(a)} items")
    for i, (x, s) in enumerate(zip(a, shape, strict=True)):
        _flatten(x, s, f"{where}[{i}]", who, flat=flat, values=values)


def _is_clean(col: Sequence[Any], shape: Shape) -> bool:
    """Whether the loop can read the column as it is: floats, or lists of floats (fast)."""
    if shape is None:
        return set(map(type, col)) <= _FLOATS
    if any(s is not None for s in shape):
        return False
    return (set(map(type, col)) <= _ROWS and set(map(len, col)) <= {len(shape)}
            and set(map(type, chain.from_iterable(col))) <= _FLOATS)


def _offsets(shapes: Sequence[Shape]) -> list[int]:
    offsets, total = [], 0
    for s in shapes:
        offsets.append(total)
        total += _count(s)
    return offsets


def _count(shape: Shape) -> int:
    return 1 if shape is None else sum(_count(s) for s in shape)


def _nest(shape: Shape, it: Any) -> Any:
    if shape is None:
        return next(it)
    return [_nest(s, it) for s in shape]
