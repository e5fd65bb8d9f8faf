"""One run: a network training in a thread of its own, told what to do through an inbox.

The run's thread is the only one that touches its model. Everything else (the server's
threads, one per request) puts a command in the inbox and waits for its answer, or reads the
latest frame: JSON bytes the run's thread wrote between two steps. A browser that reads slowly
gets the newest frame when it asks and misses the ones between (frames are dropped, never
steps); a frame is written at most every ``frame_interval`` seconds, never more often than
four times the time one takes to build, so pictures cost training at most a fifth of its time.

Steps are fit's: the batches in the order fit takes them (full batch: the data in order;
minibatches: each epoch shuffled by ``random.Random(seed)``), each one fit's ``step``.
"""

from __future__ import annotations

import json
import math
import queue
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from mlp.lab import frame as frames
from mlp.lab.build import Setup, build
from mlp.lab.config import LabInputError, RunConfig, check_sample, configure
from mlp.metrics import accuracy

FRAME_INTERVAL = 1 / 30
"""Frames while playing: at most 30 a second."""
TEST_EVERY = 2.0
"""Seconds between two test-set accuracies while playing (digits: 360 forward passes)."""
LIVE = frozenset({"speed", "sample"})
"""Settings a run takes without starting again; any other change builds it anew, at step 0."""

Job = tuple[Callable[[], Any], "Future[Any]"]


class Run:
    """A run of ``config``: ``command(name, arg)`` steers it, ``frame_after(v)`` reads it."""

    def __init__(self, config: RunConfig, run_id: str = "") -> None:
        self.id = run_id
        self.last_seen = time.monotonic()
        self._inbox: queue.Queue[Job | None] = queue.Queue()
        self._changed = threading.Condition()
        self._frame = b""
        self._version = 0
        self._closed = False
        self._playing = False
        self._build_time = 0.0
        self._setup = self._start(config)
        self._publish()
        self._thread = threading.Thread(target=self._main, name=f"lab-run-{run_id}", daemon=True)
        self._thread.start()

    # --- what other threads call -----------------------------------------------------------
    def command(self, name: str, arg: Any = None, timeout: float = 60.0) -> Any:
        """Run a command in the run's thread and return its answer (or raise its error)."""
        handler = getattr(self, f"_do_{name}")
        if self._closed:
            raise RuntimeError("this run is closed")
        done: Future[Any] = Future()
        self._inbox.put((lambda: handler(arg), done))
        return done.result(timeout)

    def frame_after(self, version: int, timeout: float) -> tuple[int, bytes]:
        """The newest frame once it is newer than ``version`` (or after ``timeout`` s)."""
        self.last_seen = time.monotonic()
        with self._changed:
            self._changed.wait_for(lambda: self._version > version or self._closed, timeout)
            return self._version, self._frame

    def close(self) -> None:
        self._closed = True
        self._inbox.put(None)
        with self._changed:
            self._changed.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    # --- the run's own thread --------------------------------------------------------------
    def _main(self) -> None:
        next_frame = next_step = time.monotonic()
        while not self._closed:
            job = self._next_job(next_step if self._playing else None)
            if job is not None:
                self._answer(job)
                next_frame = time.monotonic()  # a command's effect is shown at once
                continue
            if self._playing and not self._closed:
                self._train(1)
                speed = self._setup.config.speed
                next_step = time.monotonic() + (1 / speed if speed else 0.0)
                if time.monotonic() >= next_frame or not self._playing:
                    self._publish()
                    next_frame = time.monotonic() + max(FRAME_INTERVAL, 4 * self._build_time)
        self._refuse_the_rest()

    def _refuse_the_rest(self) -> None:
        """Commands that came after close: each gets an error, none waits forever."""
        while True:
            try:
                job = self._inbox.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job[1].set_exception(RuntimeError("this run is closed"))

    def _next_job(self, until: float | None) -> Job | None:
        """The next command: waited for while paused; while playing, waited for only until
        the next step is due."""
        try:
            if until is None:
                return self._inbox.get()
            wait = until - time.monotonic()
            return self._inbox.get(timeout=wait) if wait > 0 else self._inbox.get_nowait()
        except queue.Empty:
            return None

    def _answer(self, job: Job | None) -> None:
        if job is None:
            return
        work, done = job
        try:
            done.set_result(work())
        except Exception as e:
            done.set_exception(e)

    # --- training --------------------------------------------------------------------------
    def _start(self, config: RunConfig) -> Setup:
        setup = build(config)
        self._step = self._epoch = self._at = 0
        self._loss: float | None = None
        self._history = frames.LossHistory()
        self._order = list(range(len(setup.X)))
        self._rng = random.Random(config.seed)
        self._error: str | None = None
        self._accuracy: float | None = None
        self._tested = -math.inf
        self._rate = _Rate()
        self._setup = setup
        return setup

    def _train(self, steps: int) -> None:
        setup = self._setup
        size = setup.config.batch_size or len(setup.X)
        for _ in range(steps):
            if self._at == 0 and setup.config.batch_size is not None:
                self._rng.shuffle(self._order)
            batch = self._order[self._at : self._at + size]
            try:
                loss, _ = setup.step([setup.X[i] for i in batch], [setup.y[i] for i in batch])
                if not math.isfinite(loss):
                    raise FloatingPointError(f"the loss is {loss}")
            except (ArithmeticError, ValueError) as e:
                self._stop(f"training stopped at step {self._step + 1}: {e}. The weights are "
                           "as that step left them; press reset, or try a smaller learning rate")
                return
            self._step += 1
            self._loss = loss
            self._history.add(self._step, loss)
            self._rate.tick()
            self._at += size
            if self._at >= len(self._order):
                self._at, self._epoch = 0, self._epoch + 1

    def _stop(self, message: str) -> None:
        self._playing = False
        self._error = message

    def _measure(self) -> None:
        """The accuracy: on the training set every frame, on digits' test set every 2 s."""
        setup = self._setup
        if not setup.classifies:
            return
        now = time.monotonic()
        if setup.X_test is not None and setup.y_test is not None:
            if not self._playing or now - self._tested >= TEST_EVERY:
                self._accuracy = accuracy(setup.y_test, setup.scores.values(setup.X_test))
                self._tested = now
            return
        self._accuracy = accuracy(setup.y, setup.scores.values(setup.X))

    # --- frames ----------------------------------------------------------------------------
    def _publish(self) -> None:
        began = time.perf_counter()
        body = self._frame_dict()
        with self._changed:
            body["version"] = self._version + 1
            try:
                text = json.dumps(body, ensure_ascii=False, allow_nan=False)
            except ValueError:  # an inf or a nan: JSON has none, the page shows null
                text = json.dumps(_finite(body), ensure_ascii=False, allow_nan=False)
            self._frame = text.encode()
            self._version += 1
            self._changed.notify_all()
        self._build_time = time.perf_counter() - began

    def _frame_dict(self) -> dict[str, Any]:
        setup = self._setup
        sample = None
        try:
            self._measure()
            sample = frames.sample_view(setup, setup.config.sample)
        except (ArithmeticError, ValueError) as e:  # weights that diverged: no forward pass
            self._stop(self._error or f"the network cannot be evaluated: {e}")
            self._accuracy = None
        return {
            "run": self.id, "step": self._step, "epoch": self._epoch, "playing": self._playing,
            "config": setup.config.to_json(), "loss": self._loss,
            "history": self._history.points, "stride": self._history.stride,
            "accuracy": self._accuracy,
            "accuracy_on": "test" if setup.X_test is not None else "train",
            "classifies": setup.classifies, "samples": len(setup.X),
            "steps_per_second": self._rate.per_second(),
            "model": frames.model_view(setup),
            "sample": sample,
            "points": frames.points_view(setup), "error": self._error,
        }

    # --- commands (each runs in the run's thread; an error goes back to the page) ----------
    def _do_play(self, _: None) -> None:
        self._error = None
        self._playing = True

    def _do_pause(self, _: None) -> None:
        self._playing = False
        self._publish()

    def _do_step(self, steps: int) -> None:
        self._playing = False
        self._error = None
        self._train(steps)
        self._publish()

    def _do_reset(self, _: None) -> None:
        self._playing = False
        self._start(self._setup.config)
        self._publish()

    def _do_set(self, changes: object) -> None:
        config = configure(self._setup.config, changes)
        if isinstance(changes, dict) and "sample" not in changes \
                and config.sample >= _samples(config, self._setup):
            config = replace(config, sample=0)  # another data set: its first sample
        check_sample(config.sample, _samples(config, self._setup))
        if {k for k in RunConfig.__dataclass_fields__
                if getattr(config, k) != getattr(self._setup.config, k)} <= LIVE:
            self._setup.config = config
        else:
            self._playing = False
            self._start(config)
        self._publish()

    def _do_sample(self, index: object) -> None:
        sample = check_sample(index, len(self._setup.X))
        self._setup.config = replace(self._setup.config, sample=sample)
        self._publish()

    def _do_call(self, work: Callable[[Setup], Any]) -> Any:
        """Anything that reads the model (explain, the stepper), between two steps."""
        return work(self._setup)


def _finite(item: Any) -> Any:
    """``item`` with every inf and nan as None."""
    if isinstance(item, float):
        return item if math.isfinite(item) else None
    if isinstance(item, dict):
        return {k: _finite(v) for k, v in item.items()}
    if isinstance(item, list):
        return [_finite(v) for v in item]
    return item


def _samples(config: RunConfig, setup: Setup) -> int:
    """How many training samples ``config`` makes (without building it, where it can)."""
    if config.dataset == setup.config.dataset and config.points == setup.config.points:
        return len(setup.X)
    return {"xor": 4, "digits": 1437}.get(config.dataset, config.points)


class _Rate:
    """Steps per second over the last second or so."""

    def __init__(self) -> None:
        self._times: list[float] = []

    def tick(self) -> None:
        now = time.monotonic()
        self._times.append(now)
        if len(self._times) > 4096 or now - self._times[0] > 2.0:
            cut = next(i for i, t in enumerate(self._times) if now - t <= 1.0)
            del self._times[:cut]

    def per_second(self) -> float:
        if len(self._times) < 2 or time.monotonic() - self._times[-1] > 1.0:
            return 0.0
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0


__all__ = ["LabInputError", "Run"]
