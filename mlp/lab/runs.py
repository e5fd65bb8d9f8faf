"""The live runs of a server, by id: made, found, closed, and freed when their tab is gone."""

from __future__ import annotations

import threading
import time
import uuid
from http import HTTPStatus

from mlp.lab.config import RunConfig
from mlp.lab.run import Run

MAX_RUNS = 16
IDLE = 15.0
"""Seconds without a reader after which a run is freed (an open tab reads all the time)."""


class LabError(Exception):
    """An answer other than 200: its status and the text the page shows."""

    def __init__(self, status: HTTPStatus, text: str) -> None:
        super().__init__(text)
        self.status = status


class Runs:
    """The live runs by id, and the reaper that frees the idle ones."""

    def __init__(self) -> None:
        self._runs: dict[str, Run | None] = {}
        """None: a run being built (its place is held, so MAX_RUNS holds)."""
        self._lock = threading.Lock()

    def create(self, config: RunConfig) -> Run:
        with self._lock:
            self._reap()
            if len(self._runs) >= MAX_RUNS:
                raise LabError(HTTPStatus.SERVICE_UNAVAILABLE,
                               f"the lab runs at most {MAX_RUNS} networks at once: close a tab")
            run_id = uuid.uuid4().hex
            self._runs[run_id] = None
        try:
            run = Run(config, run_id)
        except BaseException:
            with self._lock:
                del self._runs[run_id]
            raise
        with self._lock:
            self._runs[run_id] = run
        return run

    def get(self, run_id: str) -> Run:
        with self._lock:
            run = self._runs.get(run_id)
        if run is None or run.closed:
            raise LabError(HTTPStatus.NOT_FOUND, "this run is gone (closed, or idle for "
                                                 f"{IDLE:g} s): reload the page for a new one")
        return run

    def close(self, run_id: str) -> None:
        with self._lock:
            run = self._runs.pop(run_id, None)
        if run is not None:
            run.close()

    def close_all(self) -> None:
        with self._lock:
            runs, self._runs = list(self._runs.values()), {}
        for run in runs:
            if run is not None:
                run.close()

    def count(self) -> int:
        with self._lock:
            return sum(run is not None for run in self._runs.values())

    def reap(self) -> None:
        with self._lock:
            self._reap()

    def _reap(self) -> None:
        now = time.monotonic()
        for run_id, run in list(self._runs.items()):
            if run is not None and now - run.last_seen > IDLE:
                del self._runs[run_id]
                run.close()
