"""The table of operations: every op chainrule knows, each declared exactly once.

An entry gives the op's name, the symbol drawn for it, its forward rule on floats and its
*local partial derivatives*. The partials take the op's inputs and its output and return one
partial per input. They are written with arithmetic and with the table's own ops (``cos``,
``pw``, ...), which accept floats and Values alike: called with floats they give numbers for a
fast first-order backward pass; called with Values they build a graph, so the same rule gives
second and higher derivatives.

Forward rules check their domain and raise an error that names the op and the operand, so
no NaN and no complex number is ever produced from a finite input.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import mul
from typing import Any, Literal, get_args

Domain = Literal["real", "positive", "nonnegative", "nonzero", "kink"]
"""Where an op is smooth, so property tests can keep its operand there by construction.

``real``: everywhere; ``positive``: x > 0; ``nonnegative``: x >= 0 with an infinite slope at 0
(tests use x > 0); ``nonzero``: x != 0 (the divisor of div); ``kink``: a corner at 0 (relu, abs).
"""


@dataclass(frozen=True)
class Op:
    """One entry of the table; calling it applies the op to floats or to Values."""

    name: str
    symbol: str
    forward: Callable[..., float]
    partials: Callable[..., Sequence[Any]]
    arity: int | None
    """Number of inputs; ``None`` for an n-ary op (the sums)."""
    domain: Domain = "real"
    """Where the op's first operand is smooth (see ``Domain``)."""
    param: float | None = None
    """The constant that specialises a family (pow's exponent); ``None`` for plain ops."""
    accumulate: Callable[[Any, float], None] | None = None
    """Optional fused first-order rule for the n-ary ops: given the node's inputs and the
    node's gradient g, add ``partial * g`` to each input's ``.grad`` in one tight loop. It must
    agree with ``partials`` (the tests hold it to that); ``backward`` uses it, ``grad`` and
    every higher order use ``partials``."""

    def __call__(self, *args: Any) -> Any:
        for arg in args:
            apply = getattr(arg, "_apply_op", None)
            if apply is not None:
                return apply(self, args)
        return self.forward(*args)

    def __repr__(self) -> str:
        return f"Op({self.name!r}, symbol={self.symbol!r})"


OPS: dict[str, Op] = {}
"""Every op by name, built-ins first, then those added by ``define_op``."""

BUILTIN_NAMES: frozenset[str]  # set at the end of this module


def data_of(x: Any) -> float:
    """The number inside a Value, or the number itself: for partials that branch on sign."""
    return getattr(x, "data", x)  # type: ignore[no-any-return]


def _is_value(x: object) -> bool:
    """Whether x is a Value (``autograd.value`` imports this module, so no isinstance)."""
    return getattr(type(x), "_apply_op", None) is not None


def _fmt(x: float) -> str:
    return repr(x)


def _register(op: Op) -> Op:
    OPS[op.name] = op
    return op


# --- forward rules on floats, with the domain checks ------------------------------------


def overflowed(name: str, result: float, *operands: float) -> float:
    """``result`` if an operand was already inf or NaN (IEEE carries it on), else an
    ``OverflowError`` naming the op: finite operands must not give inf, or later NaN.

    Callers test ``result - result`` first (0.0 for every finite result), so the hot path
    pays one subtraction.
    """
    if all(map(math.isfinite, operands)):
        shown = ", ".join(_fmt(x) for x in operands[:4]) + (", ..." if len(operands) > 4 else "")
        raise OverflowError(f"{name}: the result of finite operands ({shown}) overflows "
                            f"a float")
    return result


def _add(a: float, b: float) -> float:
    r = a + b
    return overflowed("add", r, a, b) if r - r else r


def _sub(a: float, b: float) -> float:
    r = a - b
    return overflowed("sub", r, a, b) if r - r else r


def _mul(a: float, b: float) -> float:
    r = a * b
    return overflowed("mul", r, a, b) if r - r else r


def _div(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"div: division by zero: {_fmt(a)} / {_fmt(b)}")
    r = a / b
    return overflowed("div", r, a, b) if r - r else r


def _relu(a: float) -> float:
    return 0.0 if a <= 0 else a  # NaN stays NaN (NaN <= 0 is False)


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(
            f"exp: overflow for operand {_fmt(a)} (exp(x) exceeds the largest float for x > 709.78)"
        ) from None


def _log(a: float) -> float:
    if a <= 0:
        raise ValueError(f"log: operand must be > 0, got {_fmt(a)}")
    return math.log(a)


def _sqrt(a: float) -> float:
    if a < 0:
        raise ValueError(f"sqrt: operand must be >= 0, got {_fmt(a)}")
    return math.sqrt(a)


def _sin(a: float) -> float:
    try:
        return math.sin(a)
    except ValueError:  # math's "math domain error" names neither the op nor the operand
        raise ValueError(f"sin: operand must be finite, got {_fmt(a)}") from None


def _cos(a: float) -> float:
    try:
        return math.cos(a)
    except ValueError:
        raise ValueError(f"cos: operand must be finite, got {_fmt(a)}") from None


def _sigmoid(a: float) -> float:
    # Two forms, so exp never sees a large positive argument: finite in both tails.
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _power(a: float, b: float, name: str) -> float:
    if a < 0 and not float(b).is_integer():
        raise ValueError(
            f"{name}: negative base {_fmt(a)} to the fractional power {_fmt(b)} has no real value"
        )
    if a == 0 and b < 0:
        raise ZeroDivisionError(f"{name}: zero base {_fmt(a)} to the negative power {_fmt(b)}")
    try:
        return float(a**b)
    except OverflowError:
        raise OverflowError(f"{name}: {_fmt(a)} ** {_fmt(b)} overflows") from None


def _wsum(*args: float) -> float:
    n = len(args) // 2
    if len(args) % 2 == 0:  # else the last x would be read again as the bias
        raise TypeError(f"wsum: takes (w1..wn, x1..xn, b), an odd number of operands, "
                        f"got {len(args)}")
    r: float = sum(map(mul, args[:n], args[n : 2 * n])) + args[-1]
    return overflowed("wsum", r, *args) if r - r else r


def _sum(*args: float) -> float:
    r = sum(args) + 0.0
    return overflowed("sum", r, *args) if r - r else r


# --- partials: generic over float and Value ---------------------------------------------


def _sign(x: Any) -> float:
    d = data_of(x)
    return 1.0 if d > 0 else -1.0 if d < 0 else 0.0


def _pow_partials(n: float) -> Callable[..., tuple[Any, ...]]:
    def partials(a: Any, out: Any) -> tuple[Any, ...]:
        if n == 0:
            return (0.0,)
        if n == 1:
            return (1.0,)
        if n < 1 and data_of(a) == 0:
            raise ZeroDivisionError(f"pow: the slope of x ** {_fmt(n)} is infinite at x = 0")
        return (n * pw(a, n - 1),)

    return partials


def _powv_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    base = data_of(a)
    if base > 0:
        d_exponent: Any = out * log(a)
    elif base == 0:
        d_exponent = 0.0  # the limit of a**b * log(a) as a -> 0+, for b > 0
    else:
        raise ValueError(
            f"pow_value: the derivative with respect to the exponent needs a base > 0, "
            f"got {_fmt(base)}"
        )
    if data_of(b) == 0:
        return (0.0, d_exponent)
    if data_of(b) < 1 and base == 0:
        raise ZeroDivisionError("pow_value: the slope of x ** b is infinite at x = 0 for b < 1")
    return (b * a ** (b - 1), d_exponent)


def _sqrt_partials(a: Any, out: Any) -> tuple[Any]:
    if data_of(out) == 0:
        raise ZeroDivisionError("sqrt: the slope is infinite at 0")
    return (0.5 / out,)


def _wsum_partials(*args: Any) -> tuple[Any, ...]:
    n = (len(args) - 2) // 2
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1: the inputs swapped, which is the chain rule of N1.
    return (*args[n : 2 * n], *args[:n], 1.0)


def _wsum_accumulate(inputs: Any, g: float) -> None:
    # The same partials as _wsum_partials, in the same order, without building them.
    n = len(inputs) // 2
    ws, xs = inputs[:n], inputs[n : 2 * n]
    for w, x in zip(ws, xs, strict=True):
        w.grad += x.data * g
    for w, x in zip(ws, xs, strict=True):
        x.grad += w.data * g
    inputs[-1].grad += g


def _sum_accumulate(inputs: Any, g: float) -> None:
    for v in inputs:
        v.grad += g


# --- the table ---------------------------------------------------------------------------

ADD = _register(Op("add", "+", _add, lambda a, b, out: (1.0, 1.0), 2))
MUL = _register(Op("mul", "×", _mul, lambda a, b, out: (b, a), 2))
NEG = _register(Op("neg", "−", lambda a: -a, lambda a, out: (-1.0,), 1))
SUB = _register(Op("sub", "−", _sub, lambda a, b, out: (1.0, -1.0), 2))
DIV = _register(Op("div", "÷", _div, lambda a, b, out: (1 / b, -out / b), 2, "nonzero"))
EXP = _register(Op("exp", "exp", _exp, lambda a, out: (out,), 1))
LOG = _register(Op("log", "log", _log, lambda a, out: (1 / a,), 1, "positive"))
TANH = _register(Op("tanh", "tanh", math.tanh, lambda a, out: (1 - out * out,), 1))
SIGMOID = _register(
    Op("sigmoid", "σ", _sigmoid, lambda a, out: (out * (1 - out),), 1)
)
def _relu_partials(a: Any, out: Any) -> tuple[float]:
    d = getattr(a, "data", a)
    return (1.0 if d > 0 else 0.0 if d <= 0 else math.nan,)


RELU = _register(Op("relu", "ReLU", _relu, _relu_partials, 1, "kink"))
SQRT = _register(Op("sqrt", "√", _sqrt, _sqrt_partials, 1, "nonnegative"))
SIN = _register(Op("sin", "sin", _sin, lambda a, out: (cos(a),), 1))
COS = _register(Op("cos", "cos", _cos, lambda a, out: (-sin(a),), 1))
ABS = _register(Op("abs", "|·|", abs, lambda a, out: (_sign(a),), 1, "kink"))
def _family_only(*args: Any) -> Any:
    raise TypeError("pow: the exponent is part of the op: use power(n), or x ** n on a Value")


POW = _register(Op("pow", "^", _family_only, _family_only, 1, "positive"))
"""The family ``x ** n`` for a number n; a node holds the member ``power(n)``."""
POW_VALUE = _register(
    Op("pow_value", "^", lambda a, b: _power(a, b, "pow_value"), _powv_partials, 2, "positive")
)
WSUM = _register(Op("wsum", "Σ", _wsum, _wsum_partials, None, accumulate=_wsum_accumulate))
"""The weighted sum w1*x1 + ... + wn*xn + b as one node; inputs are (w1..wn, x1..xn, b)."""
SUM = _register(
    Op("sum", "+", _sum, lambda *args: (1.0,) * (len(args) - 1), None, accumulate=_sum_accumulate)
)



# Generic helpers for partials: each takes a float or a Value, through the table's ops.
def sin(x: Any) -> Any:
    return SIN(x)


def cos(x: Any) -> Any:
    return COS(x)


def log(x: Any) -> Any:
    return LOG(x)


def power(n: float) -> Op:
    """The op ``x ** n`` for a fixed number n: the exponent is part of the op, as in x²."""
    # Checked before the cache: an unhashable n must get this error, and True (equal to 1.0,
    # with the same hash) must not find x ** 1.0's op there.
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise TypeError(f"pow: exponent must be an int or float, got {type(n).__name__}")
    try:
        float(n)
    except OverflowError:
        raise OverflowError(
            f"pow: the int exponent has {int_digits(int(n))} digits, too large for a float"
        ) from None
    return _power_op(n)


@lru_cache(maxsize=512, typed=True)  # typed: x ** 2 and x ** 2.0 are drawn "^2" and "^2.0"
def _power_op(n: float) -> Op:
    return replace(
        POW,
        symbol=f"^{_fmt(n)}" if isinstance(n, float) else f"^{n}",
        forward=lambda a: _power(a, n, "pow"),
        partials=_pow_partials(n),
        arity=1,
        param=n,
    )


def int_digits(n: int) -> int:
    """The decimal digits of ``abs(n)``, without ``str()`` (which refuses huge ints)."""
    n = abs(n)
    d = int(n.bit_length() * 0.30102999566398120) + 1  # log10(2): exact, or one too many
    return max(1, d - 1 if n < 10 ** (d - 1) else d)


def pw(x: Any, n: float) -> Any:
    """``x ** n`` for a float or a Value x, through the table's pow op."""
    return power(n)(x)


BUILTIN_NAMES = frozenset(OPS)


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

    return _register(Op(name, symbol or name, checked_forward, checked_partials, n, domain))
