"""The window's status bar: the latest message (errors in red), training speed and time left, epoch progress."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QProgressBar, QStatusBar, QWidget

from ..core.tasks import RunState
from .views.layout import ElidedLabel
from .widgets import SteadyLabel, duration_text

if TYPE_CHECKING:
    from ..core.run_data import RunData
    from .controller import TrainingController


class StatusBar(QStatusBar):
    """Shows what `show_message` says and, on `update_progress`, where the controller's run stands."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.state_label = ElidedLabel(self.tr("ready"))
        self.state_label.setObjectName("stateLabel")
        self.progress = QProgressBar()
        self.progress.setObjectName("progressBar")
        self.progress.setMinimumWidth(170)
        self.progress.setMaximumWidth(260)
        self.progress.setFormat(self.tr("epoch %v / %m"))
        self.progress.setToolTip(self.tr("Epochs done out of the epochs asked for"))
        self.speed_label = SteadyLabel("")
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setToolTip(self.tr("The step the views show (and, while the timeline shows an earlier one, "
                                            "the newest step), training steps per second and time left"))
        self.addWidget(self.state_label, 1)
        self.addPermanentWidget(self.speed_label)
        self.addPermanentWidget(self.progress)
        self.shown_step: int | None = None  # the frame's step the readout names (None: the newest)

    def show_message(self, text: str, error: bool = False) -> None:
        self.state_label.setText(text)
        self.state_label.setToolTip(text)
        self.state_label.setStyleSheet("color: #b00020; font-weight: bold;" if error else "")

    def _set_progress(self, maximum: int, value: int) -> None:
        """QProgressBar.setValue repaints the bar at once, and the status bar under it (~4 ms a frame): held, the
        bar paints with the frame's other widgets."""
        bar = self.progress
        if bar.maximum() == maximum and bar.value() == value:
            return
        bar.setUpdatesEnabled(False)
        bar.setMaximum(maximum)
        bar.setValue(value)
        bar.setUpdatesEnabled(True)

    def update_progress(self, c: TrainingController, shown: RunData | None = None, following: bool = False,
                        step: int | None = None, replayed: bool = False) -> None:
        """Where the controller's run stands, or, when `shown` is another (opened) run, where that one is: still
        growing (`following`) or ended. `step` is the step the views draw this frame (None: the newest), which the
        readout and the bar name too, so the status bar never runs ahead of the views; `replayed`: that step is a
        recorded state the timeline went back to (a replay, a scrub), and the readout names the newest one beside
        it."""
        self.shown_step = step
        if shown is not None and shown is not c.run_data:
            h = shown.history
            done = len(h.epoch_data()["epoch"])
            if step is not None:
                done = min(done, step // max(1, h.steps_per_epoch))
            self._set_progress(max(shown.planned_epochs, done, 1), done)
            newest = int(h.steps.latest_key or 0)  # not step_data(): a whole-tier copy
            steps = newest if step is None else step
            if replayed:
                text = self.tr("step {0} of {1} · following") if following else self.tr("step {0} of {1} · recorded")
                self.speed_label.setText(text.format(f"{steps:,}", f"{newest:,}"))
            else:
                text = self.tr("step {0} · following") if following else self.tr("step {0} · recorded")
                self.speed_label.setText(text.format(f"{steps:,}"))
            return
        t = c.trainer
        if t is None:
            return
        epochs = t.config.train.epochs
        at = t.step if step is None else step
        self._set_progress(epochs, min(t.epoch if step is None else step // max(1, t.steps_per_epoch), epochs))
        running = c.state == RunState.RUNNING
        if not replayed:
            text = self.tr("step {0}").format(f"{at:,}")
        elif running or c.state == RunState.PAUSED:
            text = self.tr("step {0} shown · live: step {1}").format(f"{at:,}", f"{t.step:,}")
        else:
            text = self.tr("step {0} of {1}").format(f"{at:,}", f"{t.step:,}")
        if c.started_at is not None and running:
            elapsed = time.monotonic() - c.started_at
            steps = t.step - c.steps_at_start
            if elapsed > 0.5 and steps > 0:
                rate = steps / elapsed
                left = (epochs * t.steps_per_epoch - t.step) / rate
                text = self.tr("{0} · {1} steps/s · {2} left").format(text, f"{rate:,.0f}", duration_text(left))
        self.speed_label.setText(text)
