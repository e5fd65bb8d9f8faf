"""Writing many Values' data at once: an optimizer's step, ``w ← w − η·dL/dw``.

``v.data = x`` moves the clock of ``autograd.value`` (so that a graph recorded before the write
is refused by backward) through a property call; an optimizer writes every parameter at every
step, so ``subtract_data`` makes the same writes with one tick of that clock and no property
call per Value.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.reals import describe, to_float
from autograd.value import Value, data_of_all, write_data


def subtract_data(values: Sequence[Value], amounts: Sequence[float]) -> None:
    """``v.data -= amount`` for each pair: an optimizer's step, ``w ← w − η·dL/dw``.

    The same writes as the ``data`` property's, seen the same way by backward (a graph
    recorded before them is refused), but as one tick of the clock and no property call per
    Value: an optimizer writes every parameter at every step. All or nothing: a bad argument,
    a Value listed twice, or a difference of finite numbers that overflows a float
    (``OverflowError``), is refused before anything is written. A subclass of Value with a
    ``data`` property of its own is written through it, as ``v.data -= amount`` would be.
    """
    if len(values) != len(amounts):
        raise ValueError(f"subtract_data: {len(values)} Values but {len(amounts)} amount(s)")
    own = _check_values(values)
    if not set(map(type, amounts)) <= {float}:
        amounts = [a if type(a) is float else to_float(a, f"subtract_data: amounts[{i}]")
                   for i, a in enumerate(amounts)]
    olds = [v.data for v in values] if own else data_of_all(values)
    new = [d - a for d, a in zip(olds, amounts)]  # noqa: B905 (lengths checked)
    total = sum(new)  # in C: an inf or a nan among them makes it one too
    if total - total:
        _refuse_overflow(values, amounts, new)
    if own:
        for v, d in zip(values, new):  # noqa: B905
            v.data = d
        return
    write_data(values, new)


_DATA = vars(Value)["data"]
"""Value's own ``data`` property, to tell a subclass that has one of its own."""


def _check_values(values: Sequence[Value]) -> bool:
    """Refuse what is not a Value, or a Value listed twice; say whether a subclass with a
    ``data`` property of its own is among them."""
    if set(map(type, values)) <= {Value}:  # the usual case checked in one C-level pass
        if len(set(values)) == len(values):  # a Value's hash is its identity
            return False
    else:
        for i, v in enumerate(values):
            if not isinstance(v, Value):
                raise TypeError(f"subtract_data: values[{i}] must be a Value, got {describe(v)}")
    first: dict[int, int] = {}  # by id(): a subclass may hash as it likes
    for i, v in enumerate(values):
        j = first.setdefault(id(v), i)
        if j != i:
            raise ValueError(f"subtract_data: values[{i}] is values[{j}] again; each Value is "
                             "written once, so its amounts would not add up")
    return any(type(v).data is not _DATA for v in values)


def _refuse_overflow(values: Sequence[Value], amounts: Sequence[float],
                     new: list[float]) -> None:
    """Raise if a difference of finite numbers overflowed (an inf or nan operand carries on)."""
    for i, (v, a, d) in enumerate(zip(values, amounts, new, strict=True)):
        old = v.data
        if d - d and not old - old and not a - a:
            raise OverflowError(f"subtract_data: values[{i}] - amounts[{i}] overflows a float "
                                f"({old!r} - {a!r})")
