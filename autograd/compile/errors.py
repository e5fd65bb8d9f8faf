"""The compiler's own errors: what it refuses, and a graph that changed under a frozen trace."""

from __future__ import annotations


class CompileError(Exception):
    """``fn`` cannot be compiled as it is: it builds a different graph for the same arguments
    (random numbers, state that changes between calls), or returns something that is not a
    Value; the message says which node differs and how."""


class GraphChangedError(CompileError):
    """``check=`` found that ``fn``, run eagerly on this call's arguments, builds a different
    graph from the one traced: Python control flow read ``.data`` (an ``if`` on a value, a
    loop whose length depends on one), so the compiled program no longer computes ``fn``."""
