"""``autograd.compile``: trace a graph once, run it as straight-line Python.

``prog = autograd.compile(fn, *example_args)`` calls ``fn`` on the example (numbers, or nested
lists of numbers, each made a leaf Value), reads the graph it builds, and writes it out as
Python: every node a local variable, every local partial an inline expression taken from the
op table's own rules, the forward pass then the backward pass. ``print(prog.source)`` shows it.

    prog = autograd.compile(lambda x, y: losses.mse(y, model(x)), [0.5, -1.0, 2.0], 1.0)
    loss = prog([0.5, -1.0, 2.0], 1.0)  # a Value: ONE node over the model's parameters
    loss.backward()                     # fills every parameter's .grad, as eagerly
    loss = prog.mean(X, Y)              # fn over all samples, averaged; the loop is compiled
    prog.values(X, Y)                   # the outputs as numbers (forward only)

``autograd.compile`` is this package, made callable: ``autograd.compile(fn, ...)`` calls the
function ``compile``, and ``from autograd.compile import Program`` or ``import
autograd.compile.trace`` reach the package and its modules. (To a type checker it is the
function.)

What is what
    Leaf Values ``fn`` reaches without being given them (a model's weights) are parameters:
    the program reads their ``.data`` at every call, so an optimizer's steps are seen. Leaves
    ``fn`` makes itself (the 1 in ``1 - y * s``) are constants. ``fn`` is traced twice to tell
    them apart: the same object both times is a parameter, a fresh one with equal data a
    constant; a graph that differs between the two traces is a ``CompileError``.

Same numbers, same errors
    Results equal the eager engine's to rounding: the forward pass is the same arithmetic;
    gradients and ``mean``'s sum over samples may add in another order, so a gradient whose
    terms cancel (large terms, a small sum) may differ by the rounding of those terms, which
    can be more than 1e-12 of the gradient itself. An error inside
    the compiled code (a domain error, an overflow of finite numbers), or a result that is not
    finite, reruns the call on the eager path, which raises the engine's own error (type and
    message) or returns its inf or nan. ``prog.fallbacks`` counts those reruns. The eager
    backward pass computes every partial of a node, those for constant operands too, and
    raises if one overflows; so the program also computes such a partial wherever it could
    overflow, to raise the same error (``x ** e`` with ``e`` a constant Value).

Honest limits
    Python control flow that reads ``.data`` (``if x.data > 0``, ``x > 0``) runs once, at trace
    time: the program always takes the branch the example took; likewise a Value that ``fn``
    makes from another's number (``Value(x.data)``, or under ``no_grad()``) is a constant.
    ``compile(..., check=n)`` runs ``fn`` eagerly beside the first n calls (``check=True``:
    every call) and raises ``GraphChangedError`` when its graph differs (another op, another
    constant, or another parameter, even one that holds the same number).
    The engine's own branches count too: when ``fn`` calls ``grad(..., create_graph=True)``,
    the slopes of relu and abs (and of ``x ** y`` in y) are picked by the sign of their
    operand and zero terms are left out, so a graph made that way through them keeps the
    example's slopes (``check=`` sees another graph); through smooth ops (the Newton step of
    ``demos/second_order.py``) it is exact.
    ``backward(create_graph=True)`` and ``grad(..., create_graph=True)`` through a compiled
    node work: its partials are then rebuilt as Values on the eager path (slowly), so second
    derivatives are right. ``fn`` runs twice at compile time (and twice per checked call),
    so it should have no side effects.
    The program runs only what the outputs depend on: a Value ``fn`` computes and drops
    (``x.log()`` of a negative ``x``, not returned) is not in the program, so its error is
    not raised where the eager ``fn`` raises it; ``check=`` runs ``fn`` eagerly beside the
    call, and so raises it. An argument's lists may nest at most 100 deep (the generated
    loop unpacks a sample with one pair of parentheses per level); deeper is a
    ``ValueError``.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

from autograd.compile.args import ArgSpec
from autograd.compile.emit import Codegen
from autograd.compile.program import Program
from autograd.compile.rules import Rules
from autograd.compile.trace import CompileError, GraphChangedError
from autograd.compile.trace import trace as _trace  # the name trace is the module's

__all__ = ["CompileError", "GraphChangedError", "Program", "compile"]


def compile(fn: Callable[..., Any], *example_args: Any, check: bool | int = False) -> Program:
    """Trace ``fn`` on ``example_args`` and return the compiled Program (the package's
    docstring, ``help(autograd.compile)``, tells the rest)."""
    if not callable(fn):
        raise TypeError(f"compile: fn must be callable, got {type(fn).__name__}")
    count = _check_count(check)
    spec = ArgSpec.from_example(fn, example_args)  # what fn takes: names, shapes (args.py)
    flat, _ = spec.flatten(example_args, "compile")
    rules = Rules()                  # 1. rules/: the op table's rules, read as ops are met
    traced = _trace(fn, spec, flat)  # 2. trace.py: fn's graph, traced twice, as items
    code = Codegen(traced, rules)    # 3. emit/: the forward and backward passes as Python
    return Program(fn, traced, code, count)  # 4. program/: run it, checked, eager if need be


def _check_count(check: object) -> int:
    if check is True:
        return -1
    if check is False:
        return 0
    if isinstance(check, bool) or not isinstance(check, int):
        raise TypeError(f"compile: check must be a bool or a number of calls, got "
                        f"{type(check).__name__}")
    if check < 0:
        raise ValueError(f"compile: check must be a number of calls >= 0, got {check}")
    return check


class _CallablePackage(types.ModuleType):
    """This package, callable: ``autograd.compile(fn, ...)`` is ``compile(fn, ...)``.

    So ``autograd.compile`` can be both the function users call and the package it lives
    in: ``from autograd.compile import Program`` and ``import autograd.compile.trace`` find
    the package and its modules, where a function of that name would hide them."""

    def __call__(self, fn: Callable[..., Any], *example_args: Any,
                 check: bool | int = False) -> Program:
        return compile(fn, *example_args, check=check)


sys.modules[__name__].__class__ = _CallablePackage
