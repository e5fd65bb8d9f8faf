"""Every script in demos/ runs in quick mode, passes its own checks, writes its files, twice alike.

The scripts are found with a glob, so a new demo is run too; it must then be listed in
EXPECTED with the files it writes, or its test fails (the table stays complete). Every graph
picture a demo writes must agree with the chain rule, number by number: each ``.svg``, and the
graph inlined in each stepper page (``.html``), drawn with its last step's grads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..helpers.pictures import assert_consistent, stepper_svg

ROOT = Path(__file__).resolve().parents[2]
DEMOS = sorted(p for p in (ROOT / "demos").glob("*.py") if not p.name.startswith("_"))
"""Every demo script; demos/_common.py, what they share, is not one."""

EXPECTED: dict[str, set[str]] = {
    "digits.py": {"digits_confusion.png"},
    "layer_formulas.py": {"layer_formulas.txt"},
    "moons.py": {"moons_boundary.png", "moons_loss.png"},
    "second_order.py": {"second_order.txt"},
    "stepper.py": {"backprop.html"},
    "seed_network.py": {"seed_network.svg"},
    "xor.py": {"xor_loss.png"},
}


GRAPHVIZ_PICTURES = (".svg", ".html")
"""Files drawn by Graphviz's dot: a demo finishes without them when dot is missing."""
DRAWING = [d for d in DEMOS if any(f.endswith(GRAPHVIZ_PICTURES) for f in EXPECTED.get(d.name, ()))]
WITHOUT_GRAPHVIZ: dict[str, list[str]] = {
    "seed_network.py": ["2. Backward pass", "3. Gradient descent", "4. The chain rule",
                        "No seed_network.svg", "All checks passed."],
    "stepper.py": ["No backprop.html", "nothing to check"],
}
"""What a drawing demo still prints without dot: its text up to the end."""


def run_quick(script: Path, out: Path, cwd: Path,
              **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p), PYTHONIOENCODING="utf-8",
        **env_vars)
    return subprocess.run([sys.executable, str(script), "--quick", "--out", str(out)],
                          cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False)


def test_the_demos_folder_has_scripts() -> None:
    assert DEMOS, f"no scripts found in {ROOT / 'demos'}"


@pytest.mark.parametrize("script", DEMOS, ids=[d.name for d in DEMOS])
def test_demo_runs_quick_and_writes_its_files_deterministically(
        script: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if script.name not in EXPECTED:
        pytest.fail(f"{script.name} is not in EXPECTED: add it with the files it writes")
    if script in DRAWING:
        request.getfixturevalue("dot")  # its pictures need Graphviz: a skip, or in CI a failure
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    outputs: list[dict[str, bytes]] = []
    for run in ("first", "second"):
        out = tmp_path / run
        result = run_quick(script, out, cwd)
        assert result.returncode == 0, (
            f"{script.name} --quick exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}")
        written = {p.name for p in out.iterdir()} if out.exists() else set()
        assert EXPECTED[script.name] <= written, f"missing {EXPECTED[script.name] - written}"
        outputs.append({name: (out / name).read_bytes() for name in EXPECTED[script.name]})
    assert not list(cwd.iterdir()), f"{script.name} wrote into the working directory, not --out"
    changed = sorted(name for name in outputs[0] if outputs[0][name] != outputs[1][name])
    assert not changed, f"{script.name}: two runs wrote different bytes to {changed}"
    for name, content in outputs[0].items():
        if name.endswith(".svg"):
            assert_consistent(content.decode("utf-8"), f"{script.name}'s {name}")
        elif name.endswith(".html"):
            assert_consistent(stepper_svg(content.decode("utf-8")), f"{script.name}'s {name}")


@pytest.mark.parametrize("script", DRAWING, ids=[d.name for d in DRAWING])
def test_demo_without_graphviz_finishes_and_says_how_to_get_the_picture(script: Path,
                                                                        tmp_path: Path) -> None:
    no_dot = tmp_path / "bin"  # a PATH with nothing on it: no dot (python is run by full path)
    no_dot.mkdir()
    out = tmp_path / "out"
    result = run_quick(script, out, tmp_path, PATH=str(no_dot))
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    for text in WITHOUT_GRAPHVIZ[script.name]:
        assert text in result.stdout, f"{text!r} not printed without dot:\n{result.stdout}"
    assert "apt-get install graphviz" in result.stdout and "brew install graphviz" in result.stdout
    pictures = {f for f in EXPECTED[script.name] if f.endswith(GRAPHVIZ_PICTURES)}
    assert not pictures & {p.name for p in out.iterdir()}, "a picture was written without dot"
