"""Timing helpers shared by the benchmarks: medians of repeated runs."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

REPEATS = 5
"""Runs per figure; the median is reported. ``run.py --quick`` lowers it."""


def median_seconds(fn: Callable[[], object], repeats: int | None = None) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs, after one warm-up run.

    The collector runs before each timed run, so garbage left by one run is not paid for by
    the next; it stays enabled during the run, as it is for a user.
    """
    fn()
    times = []
    for _ in range(repeats or REPEATS):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
