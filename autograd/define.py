"""define_op: a user's op, added to the same table as the built-ins.

An op is a forward rule on floats and its local partials; once defined it works like a
built-in: on Values and floats, in backward and grad to any order, in drawings, and in the
property tests' random expressions (which draw from the table).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any, get_args

from autograd.op import Domain, Op, data_of, is_value, register
from autograd.ops import BUILTIN_NAMES
from autograd.reals import describe_large, real_number


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
    derivatives come for free. A partial computed on numbers (``math.cos(a)``, ``float(a)``:
    a Value's number) is a constant to the engine: first derivatives stay right, higher ones
    silently miss its slope (``gradcheck(op, [x], order=2)`` reports it). Branching on a
    number is fine (``1.0 if a.data > 0 else 0.0``). The arity is read from ``forward``'s
    signature unless given.
    Redefining a user op replaces it; a built-in's name is refused with ``ValueError``.
    """
    n = _check_definition(name, forward, partials, symbol=symbol, arity=arity, domain=domain)
    return register(Op(name, symbol or name, _checked_forward(name, n, forward),
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
    """The user's forward, with its operands and its result checked; every error names the op."""
    def checked_forward(*args: float) -> float:
        if n is not None and len(args) != n:
            raise TypeError(f"{name}: takes {n} operand(s), got {len(args)}")
        for a in args:  # numbers only: Value operands were turned into their data already
            if isinstance(a, bool) or not isinstance(a, (int, float)):
                raise TypeError(f"{name}: operand must be a real number "
                                "(int, float, ...) or a Value, "
                                f"got {type(a).__name__} {a!r:.40}")
        try:
            result = forward(*args)
        except Exception as err:
            raise _naming(err, name, "forward") from err
        try:
            out = real_number(result)
        except OverflowError:
            raise OverflowError(f"{name}: forward returned {describe_large(result)}, too large "
                                f"for a float ({_shown(args)})") from None
        if out is None:
            raise TypeError(f"{name}: forward must return a float, got {type(result).__name__}")
        if out - out and _all_finite(args):  # out - out is 0.0 for every finite out
            raise (OverflowError if math.isinf(out) else ValueError)(
                f"{name}: forward returned {out} for finite operands ({_shown(args)}); an op "
                "gives a finite float, or raises ValueError where it has none")
        return out

    return checked_forward


def _checked_partials(name: str,
                      partials: Callable[..., Sequence[Any]]) -> Callable[..., Sequence[Any]]:
    """The user's partials, with their count, types and finiteness checked; every error names
    the op."""
    def checked_partials(*args: Any) -> Sequence[Any]:
        try:
            returned = partials(*args)
        except Exception as err:
            raise _naming(err, name, "partials") from err
        if isinstance(returned, (str, bytes)) or not isinstance(returned, Sequence):
            raise TypeError(f"{name}: partials must return a sequence with one partial per "
                            f"input, got {type(returned).__name__}")
        result = tuple(returned)
        if len(result) != len(args) - 1:
            raise ValueError(
                f"{name}: partials returned {len(result)} value(s) for {len(args) - 1} input(s)"
            )
        return tuple(_checked_partial(name, i, p, args) for i, p in enumerate(result))

    return checked_partials


def _checked_partial(name: str, i: int, p: Any, args: Sequence[Any]) -> Any:
    """Partial ``i``: a Value, or a real number as a float (numpy's too); finite wherever the
    operands are."""
    if not is_value(p) and type(p) is not float:
        try:
            number = real_number(p)
        except OverflowError:  # an int too large for a float: an infinite partial
            number = math.inf
        if number is None:
            raise TypeError(f"{name}: partial {i} must be a number or a Value, "
                            f"got {type(p).__name__} {p!r:.40}")
        p = number
    d = data_of(p)
    if (not math.isfinite(d)) and _all_finite(args[:-1]):
        raise (ValueError if math.isnan(d) else OverflowError)(
            f"{name}: partial {i} is {d!r:.40} for finite operands "
            f"({_shown(args[:-1])}); a partial is a finite number, or the partials "
            "raise where the derivative is undefined")
    return p


def _finite(x: float) -> bool:
    try:
        return math.isfinite(x)
    except OverflowError:  # an int partial too large for a float
        return False


def _all_finite(args: Sequence[Any]) -> bool:
    return all(_finite(data_of(a)) for a in args)


def _shown(args: Sequence[Any]) -> str:
    shown = ", ".join(f"{data_of(a)!r:.30}" for a in args[:4])
    return shown + (", ..." if len(args) > 4 else "")


def _naming(err: Exception, name: str, where: str) -> Exception:
    """``err`` again, as the same type, with a message that names the op and where it failed
    (the original stays attached as the cause)."""
    message = f"{name}: {where} raised {type(err).__name__}: {err}"
    if str(err).startswith(f"{name}: "):
        return err  # said already (a check of this module, or of the op itself)
    try:
        renamed = type(err)(message)
    except Exception:
        renamed = None
    if type(renamed) is type(err) and renamed.args == (message,):
        return renamed
    # A type that cannot be rebuilt from a message keeps its own arguments; the op's name
    # goes into a note, which the traceback shows (Python 3.11 and later).
    add_note = getattr(err, "add_note", None)
    if add_note is not None:
        add_note(f"(raised by the {where} of the op {name!r})")
    return err
