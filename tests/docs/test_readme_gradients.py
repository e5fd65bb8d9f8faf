"""The README's "Property-test your own gradients" example runs, and it can fail."""

from __future__ import annotations

import linecache
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from autograd import GradcheckError

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## Property-test your own gradients"


def example_code() -> str:
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, f"README.md has no section {HEADING!r}"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section should hold exactly one python block"
    return str(blocks[0])


def run_tests_in(code: str) -> list[str]:
    # Not the file name "README.md": hypothesis reads a test's source (inspect.getsource)
    # and, from Python 3.13 on, tokenising the Markdown file there fails. Registered with
    # linecache, so tracebacks and hypothesis see the example's own lines.
    filename = "<README.md: Property-test your own gradients>"
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, filename, "exec"), namespace)
    tests: list[tuple[str, Callable[[], None]]] = [
        (name, fn) for name, fn in namespace.items() if name.startswith("test_")
    ]
    for _, test in tests:
        test()  # hypothesis runs each @given test in full
    return [name for name, _ in tests]


def test_readme_example_runs_its_property_tests() -> None:
    assert run_tests_in(example_code()) == [
        "test_logcosh_matches_finite_differences",
        "test_logcosh_inside_random_graphs",
    ]


def test_readme_example_catches_a_wrong_partial() -> None:
    code = example_code()
    assert "(TANH(a),)" in code
    broken = code.replace("(TANH(a),)", "(TANH(a) * 1.01,)")
    with pytest.raises(GradcheckError):
        run_tests_in(broken)
