"""Steering of a training run, shared between whoever drives it and the loop: pause, resume, single steps, stop,
a new learning rate. Free of torch, so the GUI can make and steer one before torch has been imported.

One class serves in-process training and the training process alike: `Control(ctx)` made with a multiprocessing
context keeps its state in primitives that cross into a child spawned after it (docs/architecture.md,
"Processes and threads").
"""

from __future__ import annotations

import math
import threading
from typing import Callable

from .config import check_lr
from .tasks import Event

Events = Callable[..., None]  # events(name, **info); names: core.tasks.Event


class _ProcessFlag:
    """The part of `threading.Event` that `Control` uses, across processes. The flag is a shared byte read without
    a lock, because the training loop checks it every step; a multiprocessing Event only wakes waiters."""

    def __init__(self, ctx):
        self._value = ctx.RawValue("b", 0)
        self._wake = ctx.Event()
        self._lock = ctx.Lock()  # keeps the byte and the Event in agreement when both sides flip the flag

    def set(self) -> None:
        with self._lock:
            self._value.value = 1
            self._wake.set()

    def clear(self) -> None:
        with self._lock:
            self._value.value = 0
            self._wake.clear()

    def is_set(self) -> bool:
        return self._value.value != 0

    def wait(self, timeout: float | None = None) -> bool:
        if not self._value.value:
            self._wake.wait(timeout)
        return self._value.value != 0


# Slots of the request array; NaN stands for "none", pace 0 for "max", hold 1 for "pause on divergence", rewind
# the snapshot index a held run resumes from.
_EPOCHS_LEFT, _LR, _PACE, _HOLD, _REWIND = range(5)


class Control:
    """Thread-safe steering of a running `Trainer`, shared with whoever drives it. Made once per trainer (or per
    training process, with `ctx`) and `rearm`ed for each run."""

    def __init__(self, ctx=None):
        if ctx is None:
            self._running, self._stop, self._lock = threading.Event(), threading.Event(), threading.Lock()
            self._pending = [math.nan, math.nan, 0.0, 0.0, math.nan]
        else:
            self._running, self._stop, self._lock = _ProcessFlag(ctx), _ProcessFlag(ctx), ctx.Lock()
            self._pending = ctx.RawArray("d", 5)
        self.rearm()

    def rearm(self) -> None:
        """Fresh for a new run: running, no stop, no step request, no pending learning rate (pace and hold stay)."""
        with self._lock:
            self._pending[_EPOCHS_LEFT] = self._pending[_LR] = self._pending[_REWIND] = math.nan
        self._stop.clear()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        with self._lock:
            self._pending[_EPOCHS_LEFT] = math.nan
        self._running.set()

    def rewind_to(self, snapshot: int | None) -> None:
        """A run held after divergence goes on from the weights of this snapshot of its history (None: from the
        last finite weights). Asked for before the resume."""
        with self._lock:
            self._pending[_REWIND] = math.nan if snapshot is None else int(snapshot)

    def take_rewind(self) -> int | None:
        with self._lock:
            i, self._pending[_REWIND] = self._pending[_REWIND], math.nan
        return None if math.isnan(i) else int(i)

    def step_epochs(self, n: int = 1) -> None:
        """Run `n` more epochs, then pause."""
        with self._lock:
            self._pending[_EPOCHS_LEFT] = n
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can see the stop

    def set_lr(self, lr: float) -> None:
        """Ask for a new learning rate at the next step (validated here, where it is asked for)."""
        check_lr(lr)
        with self._lock:
            self._pending[_LR] = lr

    def set_pace(self, steps_per_second: float) -> None:
        """Train at most this many steps a second (0: as fast as the machine goes), from the next step on."""
        if not (math.isfinite(steps_per_second) and steps_per_second >= 0):
            raise ValueError(f"pace must be a number of steps per second ≥ 0, got {steps_per_second!r}")
        self._pending[_PACE] = steps_per_second

    def set_hold_on_divergence(self, on: bool) -> None:
        """On divergence, pause at the last finite weights until resumed (the studio), instead of ending the run
        (the CLI, scripts)."""
        self._pending[_HOLD] = 1.0 if on else 0.0

    @property
    def holds_on_divergence(self) -> bool:
        return self._pending[_HOLD] == 1.0

    @property
    def pace(self) -> float:
        """Steps per second asked for; 0 for no limit. Read without the lock: the loop reads it every step."""
        return self._pending[_PACE]

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def take_lr(self) -> float | None:
        with self._lock:
            lr, self._pending[_LR] = self._pending[_LR], math.nan
        return None if math.isnan(lr) else lr

    def epoch_done(self) -> None:
        """Called by the trainer after each epoch: ends a single-step request."""
        with self._lock:
            left = self._pending[_EPOCHS_LEFT]
            if not math.isnan(left):
                left -= 1
                self._pending[_EPOCHS_LEFT] = math.nan if left <= 0 else left
                if left <= 0:
                    self._running.clear()

    def wait(self, events: Events) -> bool:
        """Block while paused. Returns False when a stop was asked for."""
        if not self._running.is_set() and not self._stop.is_set():
            events(Event.PAUSED)
            while not self._running.wait(0.05):
                pass
            if not self._stop.is_set():
                events(Event.RESUMED)
        return not self._stop.is_set()


def no_events(name: str, **info) -> None:
    pass
