"""define_op: a user's op, added to the same table as the built-ins.

An op is a forward rule on floats and its local partials; once defined it works like a
built-in: on Values and floats, in backward and grad to any order, in drawings, and in the
property tests' random expressions (which draw from the table).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, get_args

from autograd.ops import BUILTIN_NAMES, Domain, Op, _is_value, _register


def _positional_arity(fn: Callable[..., Any]) -> int | None:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty:
            count += 1
    return count


def define_op(
    name: str,
    forward: Callable[..., float],
    partials: Callable[..., Sequence[Any]],
    *,
    symbol: str | None = None,
    arity: int | None = None,
    domain: Domain = "real",
) -> Op:
    """Add an op to the table and return it; call it on Values (or floats) like a built-in.

    ``forward`` maps floats to a float. ``partials(*inputs, out)`` returns one local partial
    per input; write it with arithmetic and table ops so it works on Values too, and higher
    derivatives come for free. The arity is read from ``forward``'s signature unless given.
    Redefining a user op replaces it; a built-in's name is refused with ``ValueError``.
    """
    n = _check_definition(name, forward, partials, symbol=symbol, arity=arity, domain=domain)
    return _register(Op(name, symbol or name, _checked_forward(name, n, forward),
                        _checked_partials(name, partials), n, domain))


def _check_definition(name: object, forward: object, partials: object, *, symbol: object,
                      arity: object, domain: object) -> int | None:
    """define_op's arguments, checked; returns the arity (None for an n-ary op)."""
    if not isinstance(name, str):
        raise TypeError(f"define_op: name must be a str, got {type(name).__name__}")
    if not name.isidentifier():
        raise ValueError(f"define_op: name must be an identifier, got {name!r}")
    if name in BUILTIN_NAMES:
        raise ValueError(f"define_op: {name!r} is a built-in op and cannot be redefined")
    if not callable(forward) or not callable(partials):
        raise TypeError(f"define_op: forward and partials of {name!r} must be callable")
    if symbol is not None and not isinstance(symbol, str):
        raise TypeError(f"define_op: symbol must be a str, got {type(symbol).__name__}")
    if domain not in get_args(Domain):
        raise ValueError(f"define_op: domain of {name!r} must be one of "
                         f"{', '.join(get_args(Domain))}; got {domain!r}")
    n = _positional_arity(forward) if arity is None else arity
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"define_op: arity of {name!r} must be a positive int, got {n!r}")
    return n


def _checked_forward(name: str, n: int | None,
                     forward: Callable[..., float]) -> Callable[..., float]:
    """The user's forward, with its operands and its result checked."""
    def checked_forward(*args: float) -> float:
        if n is not None and len(args) != n:
            raise TypeError(f"{name}: takes {n} operand(s), got {len(args)}")
        for a in args:  # numbers only: Value operands were turned into their data already
            if isinstance(a, bool) or not isinstance(a, (int, float)):
                raise TypeError(f"{name}: operand must be an int, a float or a Value, "
                                f"got {type(a).__name__} {a!r:.40}")
        result = forward(*args)
        if isinstance(result, bool) or not isinstance(result, (int, float)):
            raise TypeError(f"{name}: forward must return a float, got {type(result).__name__}")
        return float(result)

    return checked_forward


def _checked_partials(name: str,
                      partials: Callable[..., Sequence[Any]]) -> Callable[..., Sequence[Any]]:
    """The user's partials, with their count and types checked."""
    def checked_partials(*args: Any) -> Sequence[Any]:
        returned = partials(*args)
        if isinstance(returned, (str, bytes)) or not isinstance(returned, Sequence):
            raise TypeError(f"{name}: partials must return a sequence with one partial per "
                            f"input, got {type(returned).__name__}")
        result = tuple(returned)
        if len(result) != len(args) - 1:
            raise ValueError(
                f"{name}: partials returned {len(result)} value(s) for {len(args) - 1} input(s)"
            )
        for i, p in enumerate(result):
            if isinstance(p, bool) or (not isinstance(p, (int, float)) and not _is_value(p)):
                raise TypeError(f"{name}: partial {i} must be a number or a Value, "
                                f"got {type(p).__name__} {p!r:.40}")
        return result

    return checked_partials
