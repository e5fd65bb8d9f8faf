"""The README's "Coming from micrograd" example runs as written and prints what it says."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .test_readme_tour import section


def test_the_coming_from_micrograd_example_runs_and_its_comments_are_right(
        capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", section("## Coming from micrograd"), re.DOTALL)
    namespace: dict[str, Any] = {"__name__": "readme_micrograd"}
    exec(compile(code, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["6.0 -4.0 -2.0", "× [-2.0, 4.0]"]
    # "what L.backward() gives": the same graph, differentiated by the engine
    from autograd import Value

    a, b, c = Value(2.0), Value(-3.0), Value(10.0)
    (((a * b) + c) * Value(-2.0)).backward()
    assert printed[0] == f"{a.grad} {b.grad} {c.grad}"
    assert namespace["neuron"].activation == "relu"
    assert [layer.activation for layer in namespace["model"].layers] == ["relu", "relu", None]
