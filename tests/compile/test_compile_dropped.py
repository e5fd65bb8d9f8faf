"""A compiled program runs what fn's outputs depend on, nothing more: a Value fn computes and
drops is not in the program (as in any compiler that removes dead code), so its error is not
raised, and ``check=`` (fn run eagerly beside the call) is the way to see it. Documented in
``help(autograd.compile)`` and the README's compile section."""

from __future__ import annotations

from pathlib import Path

import pytest

import autograd
from autograd import Value

w = Value(2.0, label="w")


def drops_a_log(x: Value) -> Value:
    x.log()  # computed and dropped: eagerly this raises for x <= 0
    return w * x


def test_eager_fn_raises_on_the_dropped_log() -> None:
    with pytest.raises(ValueError, match="log"):
        drops_a_log(Value(-1.0))


def test_compiled_fn_runs_only_what_the_output_depends_on() -> None:
    prog = autograd.compile(drops_a_log, 1.0)
    assert prog(-1.0).data == -2.0
    assert prog.mean([-1.0, 3.0]).data == 2.0
    assert "log" not in prog.source.split("\n\n", 1)[1]  # past the header: no log in the code


@pytest.mark.parametrize("checked", [True, 1])
def test_check_raises_the_dropped_error_as_eager_does(checked: bool | int) -> None:
    prog = autograd.compile(drops_a_log, 1.0, check=checked)
    with pytest.raises(ValueError, match=r"log: operand must be > 0, got -1\.0"):
        prog(-1.0)
    with pytest.raises(ValueError, match=r"log: operand must be > 0, got -1\.0"):
        autograd.compile(drops_a_log, 1.0, check=True).mean([2.0, -1.0])


def test_the_docs_say_compile_drops_what_the_outputs_do_not_need() -> None:
    doc = autograd.compile.__doc__ or ""
    assert "runs only what the outputs depend on" in doc
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "runs only what\n`fn`'s outputs depend on" in readme
