"""chainrule's autograd: a scalar reverse-mode autograd engine you can read and draw.

Public API::

    from autograd import Value, grad, no_grad, define_op, gradcheck, numerical_grad
    from autograd import draw_graph, to_svg, explain, to_html
    from autograd import softmax, log_softmax, logsumexp      # over a list: a classifier's end
    import autograd; autograd.compile(fn, *example_args)   # trace once, run as Python

A first look::

    x = Value(2.0, label="x")
    y = (x * 3 + 1).tanh() ** 2 / x
    y.backward()                           # x.grad is dy/dx (a leaf's grad accumulates)
    dx, = grad(y, [x], create_graph=True)  # a Value, so grad(dx, [x]) is d2y/dx2
    print(explain(y, x))                   # the chain rule for x, factor by factor
    to_svg(y, "y.svg")                     # the graph, every node's data and grad
    to_html(y, "y.html")                   # a page: the backward pass, step by step

Importing this package loads only the standard library; Graphviz and hypothesis are imported
by the functions that need them (``autograd.testing`` holds the hypothesis strategies).
"""

from typing import TYPE_CHECKING

from autograd.check import GradcheckError, gradcheck, numerical_grad
from autograd.compile import CompileError, GraphChangedError, Program
from autograd.define import define_op
from autograd.derivatives import backward, grad
from autograd.draw import (
    Explanation,
    GraphvizNotFound,
    StepperPage,
    draw_graph,
    explain,
    to_html,
    to_svg,
)
from autograd.engine import backward_order, enable_grad, is_grad_enabled, no_grad, topological_order
from autograd.nary import sum_of_squares, total, weighted_sum
from autograd.ops import OPS, Op
from autograd.probabilities import log_softmax, logsumexp, softmax
from autograd.value import Value

if TYPE_CHECKING:  # to a type checker, autograd.compile is the function it calls
    from autograd.compile import compile as compile
else:  # the package, callable (see autograd/compile/__init__.py): its modules stay reachable
    from autograd import compile

__all__ = [
    "OPS",
    "CompileError",
    "Explanation",
    "GradcheckError",
    "GraphChangedError",
    "GraphvizNotFound",
    "Op",
    "Program",
    "StepperPage",
    "Value",
    "backward",
    "backward_order",
    "compile",
    "define_op",
    "draw_graph",
    "enable_grad",
    "explain",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "log_softmax",
    "logsumexp",
    "no_grad",
    "numerical_grad",
    "softmax",
    "sum_of_squares",
    "to_html",
    "to_svg",
    "topological_order",
    "total",
    "weighted_sum",
]
