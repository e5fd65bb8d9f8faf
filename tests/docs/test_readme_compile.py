"""The README's autograd.compile section runs as written and shows the source it prints."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## The backward pass as a program: `autograd.compile`"


def blocks() -> tuple[list[str], list[str]]:
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, f"README.md has no section {HEADING!r}"
    body = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    fenced = re.findall(r"```(\w*)\n(.*?)```", body, re.DOTALL)
    return [b for kind, b in fenced if kind == "python"], [b for kind, b in fenced if not kind]


def test_the_readme_shows_exactly_what_print_prog_source_prints(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, shown = blocks()
    namespace: dict[str, Any] = {"__name__": "readme_compile"}
    exec(compile(code[0], "README.md", "exec"), namespace)
    assert capsys.readouterr().out.rstrip("\n") == shown[0].rstrip("\n")


def test_the_readme_compile_examples_run_and_mean_is_the_mean(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = blocks()
    namespace: dict[str, Any] = {"__name__": "readme_compile"}
    for block in code:
        exec(compile(block, "README.md", "exec"), namespace)
    model, prog, X, y = (namespace[k] for k in ("model", "prog", "X", "y"))
    printed = capsys.readouterr().out.splitlines()[-1]
    per_sample = [(t - model(x).data) ** 2 for x, t in zip(X, y, strict=True)]
    assert printed == repr(prog.values(X, y))
    assert prog.values(X, y) == pytest.approx(per_sample, rel=1e-12)
