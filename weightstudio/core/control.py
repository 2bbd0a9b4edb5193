"""Steering of a training run, shared between whoever drives it and the loop: pause, resume, single steps, stop,
a new learning rate. Free of torch, so the GUI can make and steer one before torch has been imported."""

from __future__ import annotations

import math
import threading
from typing import Callable

from .config import ConfigError

Events = Callable[..., None]  # events(name, **info); names: epoch_finished, paused, diverged, finished, stopped


class Control:
    """Thread-safe steering of a running `Trainer`, shared with whoever drives it."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._epochs_left: int | None = None  # stepping: run this many epochs, then pause
        self._lr: float | None = None

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        with self._lock:
            self._epochs_left = None
        self._running.set()

    def step_epochs(self, n: int = 1) -> None:
        """Run `n` more epochs, then pause."""
        with self._lock:
            self._epochs_left = n
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can see the stop

    def set_lr(self, lr: float) -> None:
        with self._lock:
            self._lr = lr

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def take_lr(self) -> float | None:
        with self._lock:
            lr, self._lr = self._lr, None
        return lr

    def epoch_done(self) -> None:
        """Called by the trainer after each epoch: ends a single-step request."""
        with self._lock:
            if self._epochs_left is not None:
                self._epochs_left -= 1
                if self._epochs_left <= 0:
                    self._epochs_left = None
                    self._running.clear()

    def wait(self, events: Events) -> bool:
        """Block while paused. Returns False when a stop was asked for."""
        if not self._running.is_set() and not self._stop.is_set():
            events("paused")
            while not self._running.wait(0.05):
                pass
            if not self._stop.is_set():
                events("resumed")
        return not self._stop.is_set()


def no_events(name: str, **info) -> None:
    pass



def check_lr(lr: float) -> None:
    """Raise ConfigError unless `lr` can be a learning rate."""
    if not (math.isfinite(lr) and lr > 0):
        raise ConfigError(f"learning rate must be a positive number, got {lr!r}")
