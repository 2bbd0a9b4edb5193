"""The training worker: a parentless QObject moved to a QThread that runs the trainer's `run`
(a `Trainer` in this thread, or a `RemoteTrainer` that relays its child process's events here).

It turns the engine's event calls into Qt signals (queued to the GUI thread) and never touches a widget.
Data does not ride on these signals: views poll the history.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from ..core.control import Control

if TYPE_CHECKING:
    from ..core.engine import Trainer
    from ..core.remote import RemoteTrainer


class TrainingWorker(QObject):
    """Runs one `run` call of the trainer, owned by `TrainingController`; stops when its `Control` says so."""

    paused = Signal()
    resumed = Signal()
    epoch_finished = Signal(int, int)  # epoch, step
    diverged = Signal(str)  # message naming the step and the layer
    failed = Signal(str)  # an unexpected exception, with its message
    done = Signal(str)  # final status: finished | stopped | diverged | failed

    def __init__(self, trainer: Trainer | RemoteTrainer, control: Control):
        super().__init__()  # no parent: moveToThread refuses objects that have one
        self.trainer = trainer
        self.control = control

    def _event(self, name: str, **info) -> None:
        if name == "epoch_finished":
            self.epoch_finished.emit(info["epoch"], info["step"])
        elif name == "paused":
            self.paused.emit()
        elif name == "resumed":
            self.resumed.emit()
        elif name == "diverged":
            self.diverged.emit(info["message"])

    @Slot()
    def run(self) -> None:
        status = "failed"
        try:
            status = self.trainer.run(self.control, self._event)
        except Exception as e:  # the worker's boundary: any error of a run (a bug, torch's) is told; the app goes on
            traceback.print_exc()
            self.failed.emit(self.tr("training failed: {0}: {1}").format(type(e).__name__, e))
        finally:
            self.done.emit(status)
