"""Run chainrule's benchmarks: print a Markdown table of ratios and write them as JSON.

    python benchmarks/run.py [--quick] [--digits-only] [--json PATH]

Every figure is a median of several runs, and a ratio against a baseline measured in the same
run (plain floats), so the table means the same on a slow machine and a fast one.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import compile_bench, digits_bench, draw_bench, engine_bench, moons_bench, timing


def machine() -> str:
    import os

    return (f"{platform.python_implementation()} {platform.python_version()}, "
            f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform(terse=True)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"),
                        help="where to write the figures (default: %(default)s)")
    parser.add_argument("--digits-only", action="store_true",
                        help="run only the digits step; replace its figures in the JSON file")
    args = parser.parse_args(argv)
    if args.digits_only:
        return _digits_only(args.json, quick=args.quick)
    if args.quick:
        timing.REPEATS = 3
    length, width = (2_000, 20_000) if args.quick else (20_000, 200_000)

    results: dict[str, Any] = {"machine": machine()}
    print(f"Machine: {results['machine']}\n")
    blocks, micro_blocks = (1, 1) if args.quick else (8, 4)
    results["moons"] = moons_bench.run(blocks, micro_blocks)
    print(moons_bench.markdown(results["moons"]) + "\n")
    # micrograd takes seconds a digits step: one block of it, and none in a quick run
    results["digits"] = digits_bench.run(blocks, 0 if args.quick else 1)
    print(digits_bench.markdown(results["digits"]) + "\n")
    results["engine"] = engine_bench.run(length, width)
    print(engine_bench.markdown(results["engine"]))
    mem = results["bytes_per_node"] = engine_bench.memory(20_000)
    ours, theirs = mem["chainrule"], mem["micrograd"]
    assert ours is not None
    ratio = f" = {ours / theirs:.2f}× micrograd's ({theirs:.0f} B)" if theirs else ""
    print(f"\nBytes per node (chain y = y * x, tracemalloc): {ours:.0f} B{ratio}")
    results["render"] = draw_bench.run((100,) if args.quick else (100, 1_000))
    print("\n" + draw_bench.markdown(results["render"]))
    sums, chains = ((250, 4_000), (2_000, 20_000)) if args.quick else \
        ((500, 8_000), (10_000, 100_000))
    results["compile"] = compile_bench.run(sums, chains)
    print("\n" + compile_bench.markdown(results["compile"]))
    if not args.quick:
        results["million_chain_backward_s"] = engine_bench.million_chain_seconds()
        print(f"\nBackward through a 1,000,000-op chain: "
              f"{results['million_chain_backward_s']:.2f} s")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {args.json}")
    return 0


def _digits_only(path: Path, *, quick: bool) -> int:
    """The digits row alone, its figures put into the JSON file beside the others."""
    results: dict[str, Any] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    results["digits"] = digits_bench.run(1 if quick else 8, 0 if quick else 1)
    results["digits"]["machine"] = machine()
    print(digits_bench.markdown(results["digits"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
