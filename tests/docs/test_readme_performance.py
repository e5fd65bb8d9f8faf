"""The README's Performance section shows the figures of ``benchmarks/results.json``.

The timings themselves are not rerun here (they take a quiet machine); what is checked is that
the table and the figures quoted around it are the ones the recorded run gave.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # `benchmarks` is a folder of the repository, not installed

from benchmarks.moons_bench import markdown  # noqa: E402


def performance() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Performance", 1)[1].split("\n## ", 1)[0]


def results() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((ROOT / "benchmarks" / "results.json").read_text("utf-8"))
    return found


def test_the_table_is_the_one_run_py_prints_from_results_json() -> None:
    printed = markdown(results()["moons"]).splitlines()
    table = [line for line in printed if line.startswith("|")]
    shown = [line for line in performance().splitlines() if line.startswith("|")]
    assert shown == table
    compile_line = printed[-1].rsplit(": ", 1)[1]  # "0.053 s"
    assert f"compile the code): {compile_line}" in " ".join(performance().split())


def test_the_loss_agreement_the_text_states_covers_every_row() -> None:
    # Was "(to 1e-15)" above a table whose rows differ from the floor's by up to 1.8e-15.
    (bound,) = re.findall(r"loss at every step \((?:here )?to ([0-9.e+-]+)",
                          " ".join(performance().split()))
    worst = max(row["max_rel_loss_diff_vs_floor"] for row in results()["moons"]["rows"].values()
                if row is not None)
    assert worst <= float(bound.rstrip(",")), (bound, worst)


def test_the_figures_beside_the_table_hold_the_recorded_ones() -> None:
    text = " ".join(performance().split())
    r = results()
    per_node = re.search(r"Memory: (\d+) bytes per node .*?, ([\d.]+)× micrograd's (\d+)", text)
    assert per_node is not None
    ours, micro = r["bytes_per_node"]["chainrule"], r["bytes_per_node"]["micrograd"]
    assert (int(per_node[1]), int(per_node[3])) == (round(ours), round(micro))
    assert float(per_node[2]) == round(ours / micro, 2)

    def within(pattern: str, value: float) -> None:
        found = re.search(pattern, text)
        assert found is not None, pattern
        low, high = float(found[1]), float(found[2])
        assert low <= round(value, 2) <= high, (pattern, value)

    within(r"chain of 1,000,000 ops: ([\d.]+)–([\d.]+) s", r["million_chain_backward_s"])
    small, large = r["render"]["rows"]
    assert f"graph of {small['nodes']} Values: {small['seconds']:.2f} s" in text
    within(rf"of {large['nodes']} Values: ([\d.]+)–([\d.]+) s", large["seconds"])
    chain = r["engine"]["chain"]
    for op in chain:
        within(r"on a long chain: ([\d.]+)–([\d.]+) µs", op["ns_per_op"] / 1000)
        within(r"µs \(([\d.]+)–([\d.]+)× the same expression", op["ratio"])
    wide = r["engine"]["wide_sum"]
    said = re.search(r"(\d+)× faster than a chain of binary", text)
    assert said is not None and int(said[1]) == int(wide["binary"] / wide["nary"])
