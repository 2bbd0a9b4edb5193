"""Owns the current run: its trainer, the `Control`, the worker and its QThread.

The main window calls `start`, `pause`, `resume`, `step`, `reset`, `stop`, `set_lr`; the controller answers
with `state_changed` and, whenever a new history exists (new config, reset), `run_changed` with a `RunData`.

Two backends behind the same worker: "process" (the default) trains in a child process (`core.remote`), because
Qt paints while holding this process's GIL and would stall a training thread here; "thread" trains in the worker
thread itself (`WEIGHTSTUDIO_TRAINING=thread`, kept for comparison in the benchmark and as a fallback).
Either way the worker thread is where `run` is called, and the GUI thread never trains.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core.config import RunConfig
from ..core.control import Control
from ..core.remote import RemoteTrainer, TrainingProcessDied, training_backend
from ..core.tasks import RunState
from .worker import TrainingWorker

if TYPE_CHECKING:  # imported where used: the window is built and painted before torch has loaded
    from ..core.data import Dataset
    from ..core.engine import Trainer
    from ..core.run_data import RunData

LIVE_INTERVAL = 0.05  # seconds between full parameter copies for live views between epoch snapshots


class TrainingController(QObject):
    """The GUI's single handle on training. States: ready, running, paused, finished, stopped, diverged (held at
    the last finite weights while the worker waits: Start resumes, at the learning rate set meanwhile)."""

    state_changed = Signal(str)
    run_changed = Signal(object)  # RunData
    epoch_finished = Signal(int, int)
    diverged = Signal(str)
    failed = Signal(str)
    run_kept = Signal(object)  # RunData of a run whose training process died: its history up to then

    def __init__(self, parent: QObject | None = None, backend: str | None = None):
        super().__init__(parent)
        self.backend = backend or training_backend()
        # The child process starts now and imports torch while the window is built; it serves every run.
        self._remote = RemoteTrainer(live_interval=LIVE_INTERVAL) if self.backend == "process" else None
        self.trainer: Trainer | RemoteTrainer | None = None
        self.run_data: RunData | None = None
        self.state = "ready"
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._control: Control | None = None
        self.started_at: float | None = None
        self.steps_at_start = 0
        self.pace = 0.0  # steps per second the training keeps to; 0 for as fast as it goes
        # The snapshot a run held after divergence resumes from (the window's shown one; None: the last finite)
        self.rewind_to: Callable[[], int | None] = lambda: None

    # ---- configuration ----
    def load(self, config: RunConfig, dataset: Dataset) -> RunData:
        """A new run from `config` on `dataset` (stops a running one). Raises the core's errors on a bad config."""
        import torch

        from ..core.engine import Trainer, choose_threads

        self.shutdown()
        fallback = None
        if self._remote is not None:
            if not self._remote.alive:  # it died (killed, out of memory): a new one
                self._remote.close()
                self._remote = RemoteTrainer(live_interval=LIVE_INTERVAL)
            try:
                self._remote.load(config, dataset)  # on a bad config the previous run stays loaded there, as here
                self.trainer = self._remote
                # This process only predicts for the fit view: one torch thread, so it never contends for the
                # cores with the training process (two threads here made some predictions 40 times slower).
                torch.set_num_threads(1)
            except (TrainingProcessDied, OSError) as e:
                # No training process here (it cannot start, or no shared memory): train in this process instead.
                self._remote.close()
                self._remote, self.backend = None, "thread"
                fallback = self.tr("Training runs in the window's process: {0}").format(e)
        if self._remote is None:
            trainer = Trainer(config, dataset, live_interval=LIVE_INTERVAL)
            torch.set_num_threads(choose_threads(trainer.history.total_weights))
            self.trainer = trainer
        self._new_run_data()
        self._set_state("ready")
        if fallback:
            self.failed.emit(fallback)
        return self.run_data

    def _new_run_data(self) -> None:
        from ..core.run_data import RunData

        t = self.trainer
        self.run_data = RunData(t.config, t.dataset, t.history)
        self.run_changed.emit(self.run_data)

    def set_epochs(self, epochs: int) -> None:
        """Change the epoch budget; a finished run can continue when it grows."""
        if self.trainer is None:
            return
        self.trainer.config.train.epochs = epochs
        if self.state == "finished" and self.trainer.epoch < epochs:
            self._set_state("stopped")

    def set_lr(self, lr: float) -> None:
        """Takes effect at the next step, also while training runs."""
        if self.trainer is None:
            return
        self.trainer.config.train.lr = lr
        if self._control is not None and self.is_busy:
            self._control.set_lr(lr)
        else:
            self.trainer.set_lr(lr)

    def set_pace(self, steps_per_second: float) -> None:
        """Train at most this fast (0: max); takes effect at the next step, also while training runs."""
        self.pace = steps_per_second
        if self._control is not None:
            self._control.set_pace(steps_per_second)

    # ---- commands ----
    @property
    def is_busy(self) -> bool:
        return self._thread is not None

    @property
    def can_train(self) -> bool:
        return self.trainer is not None and self.trainer.epoch < self.trainer.config.train.epochs

    @property
    def held(self) -> bool:
        """Diverged and holding at the last finite weights: Start (or Step) trains on from there."""
        return self.state == RunState.DIVERGED and self._control is not None

    def start(self) -> None:
        if self.state == "paused" or self.held:
            self.resume()
        elif not self.is_busy and self.can_train:
            self._launch(self.trainer.new_control())

    def pause(self) -> None:
        if self.state == "running" and self._control is not None:
            self._control.pause()

    def resume(self) -> None:
        if self.state == "paused" and self._control is not None or self.held:
            if self.held:
                self._control.rewind_to(self.rewind_to())
            self._control.resume()
            self._set_state("running")

    def step(self) -> None:
        """Train exactly one epoch, then pause."""
        if self.state == "paused" and self._control is not None or self.held:
            if self.held:
                self._control.rewind_to(self.rewind_to())
            self._control.step_epochs(1)
            self._set_state("running")
        elif not self.is_busy and self.can_train:
            control = self.trainer.new_control()
            control.step_epochs(1)
            self._launch(control)

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop()

    def reset(self) -> None:
        """Back to the same initial weights (same seed) with an empty history."""
        if self.trainer is None:
            return
        self.shutdown()
        self.trainer.reset()
        self._new_run_data()
        self._set_state("ready")

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stop the worker and wait for its thread; True when nothing is left running."""
        if self._thread is None:
            return True
        self._control.stop()
        self._thread.quit()
        finished = self._thread.wait(timeout_ms)
        self._finish_thread()
        return finished

    def close(self) -> None:
        """Stop training and end the training process (the window is closing)."""
        self.shutdown()
        if self._remote is not None:
            self._remote.close()

    # ---- worker plumbing ----
    def _launch(self, control: Control) -> None:
        self._control = control
        control.set_pace(self.pace)
        control.set_hold_on_divergence(True)  # the studio pauses a diverged run: lower the rate and go on
        self._worker = TrainingWorker(self.trainer, control)
        self._thread = QThread()
        self._thread.setObjectName("trainingThread")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Bound slots of this GUI-thread object, so Qt queues every call onto the GUI thread.
        self._worker.paused.connect(self._on_paused)
        self._worker.resumed.connect(self._on_resumed)
        self._worker.epoch_finished.connect(self.epoch_finished)
        self._worker.diverged.connect(self._on_diverged)
        self._worker.failed.connect(self.failed)
        self._worker.done.connect(self._on_done)
        self.started_at, self.steps_at_start = time.monotonic(), self.trainer.step
        self._set_state("running")
        self._thread.start()

    @Slot()
    def _on_paused(self) -> None:
        if self.sender() is self._worker:
            self._set_state("paused")

    @Slot()
    def _on_resumed(self) -> None:
        if self.sender() is self._worker:
            self._set_state("running")

    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        if self.sender() is self._worker:
            self._set_state(RunState.DIVERGED)  # the worker goes on, holding at the last finite weights
            self.diverged.emit(message)

    @Slot(str)
    def _on_done(self, status: str) -> None:
        if self.sender() is not self._worker:
            return  # a worker already shut down by reset/load: its state no longer matters
        self._thread.quit()
        self._thread.wait()
        self._finish_thread()
        if self._remote is not None and not self._remote.alive:
            code, lost = self._remote.exitcode, self.run_data
            message = self.tr("The training process ended unexpectedly (exit code {0}). Its run is kept up to "
                              "step {1}; a new process was started, and the run is back at its initial weights.")
            steps = lost.history.step_data()["step"]
            text = message.format(code, f"{int(steps[-1]) if len(steps) else 0:,}")
            lost.history.set_status(RunState.STOPPED, text)
            self.load(self._remote.config, self._remote.dataset)
            self.run_kept.emit(lost)
            return self.failed.emit(text)
        self._set_state(status if status != "failed" else "stopped")

    def _finish_thread(self) -> None:
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = self._control = None
        self.started_at = None

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
