"""The README's tour runs as written, and its two commands are the ones CI runs."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from ..helpers.pictures import assert_consistent

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def section(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    assert heading in text, f"README.md has no section {heading!r}"
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_tour_runs_as_written(dot: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", section("## A tour in 20 lines"), re.DOTALL)
    assert len(code.strip().splitlines()) <= 22
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "readme_tour"}
    exec(compile(code, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "∂loss/∂w1" in printed and "dL/dw7 = " in printed
    assert (tmp_path / "network.svg").read_text(encoding="utf-8") == namespace["svg"]
    assert_consistent(namespace["svg"], "the tour's network.svg")
    x = namespace["x"]
    assert namespace["d2x"] == pytest.approx(_second_derivative(x.data), rel=1e-6)


def _second_derivative(x0: float, h: float = 1e-4) -> float:
    import math

    def f(x: float) -> float:
        return math.tanh(3 * x + 1) ** 2 / x

    return (f(x0 + h) - 2 * f(x0) + f(x0 - h)) / h**2


def test_readme_commands_are_the_ones_ci_runs() -> None:
    (commands,) = re.findall(r"```bash\n(.*?)```", section("## Two commands"), re.DOTALL)
    install, test = commands.strip().splitlines()
    assert install.endswith("demos/seed_network.py") and '.[dev]' in install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines(), "the README's test command is the one .ci/run runs"


def test_several_classes_runs_as_written() -> None:
    (code,) = re.findall(r"```python\n(.*?)```",
                         section("## Several classes: softmax and cross entropy"), re.DOTALL)
    namespace: dict[str, Any] = {"__name__": "readme_classes"}
    exec(compile(code, "README.md", "exec"), namespace)
    p = [v.data for v in namespace["p"]]
    assert p[0] == pytest.approx(1 / (1 + math.exp(-1.0)), rel=1e-12) and p[2] == 0.0
    assert sum(p) == pytest.approx(1.0, rel=1e-12)
    log_p = [v.data for v in namespace["log_p"]]
    assert log_p[0] == pytest.approx(-math.log1p(math.exp(-1.0)), rel=1e-12)
    history = namespace["history"]
    assert len(history.loss) == 2 and history.loss[1] < history.loss[0]
    assert all(0.0 <= a <= 1.0 for a in history["accuracy"])
