"""What compile refuses, with a typed error that says what and where, instead of an error from
inside the generated code (a SyntaxError) or from Python itself (a RecursionError)."""

from __future__ import annotations

from typing import Any

import pytest

import autograd
from autograd import Value
from autograd.compile.args import MAX_NESTING


def nested(depth: int) -> Any:
    x: Any = 1.5
    for _ in range(depth):
        x = [x]
    return x


def innermost(x: Any) -> Value:
    while isinstance(x, list):
        x = x[0]
    return x * 2  # type: ignore[no-any-return]


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 250, 1000])
def test_an_argument_nested_too_deep_is_a_value_error_naming_it_and_the_limit(depth: int
                                                                             ) -> None:
    # 250 deep was a SyntaxError from the generated loop (Python's parser nests at most 200
    # parentheses), 1000 deep a RecursionError while reading the example.
    def fn(deep: Any) -> Value:
        return innermost(deep)

    with pytest.raises(ValueError, match=rf"argument deep .*nested more than {MAX_NESTING}"):
        autograd.compile(fn, nested(depth))


def test_an_argument_nested_as_deep_as_the_limit_compiles_and_runs() -> None:
    deep = nested(MAX_NESTING)
    prog = autograd.compile(innermost, deep)
    assert prog(deep).data == 3.0
    assert prog.mean([deep, deep]).data == 3.0
    assert prog.values([deep]) == [3.0]
