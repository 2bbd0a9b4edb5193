"""The timeline bar: a slider over the current run's recorded snapshots that moves the studio model's shown
snapshot, so every view shows the same moment, in the current run and at the same step in every compared run
shown beside it (a run that ended earlier shows its last state, and the label says so). At the right end it
follows the newest snapshot as it arrives.
The ▶ button replays the recorded epochs at the chosen speed, and catches up to live when the run still grows."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolBar, QToolButton, QWidget

from ..core.compare import snapshot_at_step
from ..core.studio import StudioModel
from .views.style import epoch_text
from .widgets import SteadyLabel


class TimelineBar(QToolBar):
    """Edits `model.shown` and labels what is shown; `sync()` (called by the window's refresh round) follows the
    current run's growing history."""

    def __init__(self, model: StudioModel, parent: QWidget | None = None):
        super().__init__(self.tr("Timeline"), parent)
        self.model = model
        self.setObjectName("timelineBar")
        self.setMovable(False)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(QLabel(self.tr("Timeline")))
        self.play_button = QToolButton()
        self.play_button.setObjectName("playButton")
        self.play_button.setCheckable(True)
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Replay the recorded epochs at the chosen speed (from the start when "
                                            "at the end); catches up to live while training"))
        self.play_button.toggled.connect(self._play_toggled)
        row.addWidget(self.play_button)
        self._replay = QTimer(self)
        self._replay.timeout.connect(self._replay_step)
        self.set_rate(None)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setToolTip(self.tr("Show any recorded epoch in every view; release at the right end to follow "
                                       "live"))
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(self._moved)
        row.addWidget(self.slider, 1)
        self.label = SteadyLabel(self.tr("live"))
        self.shown_step: int | None = None  # the step the label names
        self._frame_step: int | None = None
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("live · epoch 9,999.99 (step 99,999,999)"))
        row.addWidget(self.label)
        self.addWidget(holder)

    def set_rate(self, epochs_per_second: float | None) -> None:
        """Replay speed in snapshots (epochs) per second; None for as fast as frames go."""
        self._replay.setInterval(16 if epochs_per_second is None else max(16, round(1000 / epochs_per_second)))

    @property
    def playing(self) -> bool:
        return self._replay.isActive()

    def _play_toggled(self, on: bool) -> None:
        sp = QStyle.StandardPixmap
        self.play_button.setIcon(self.style().standardIcon(sp.SP_MediaPause if on else sp.SP_MediaPlay))
        if not on:
            return self._replay.stop()
        if self.model.shown is None:  # following the newest, or at the end: start over
            self.slider.setValue(0)
            self._moved()
        self._replay.start()

    def _replay_step(self) -> None:
        top = self.slider.maximum()
        index = (top if self.model.shown is None else self.model.shown) + 1
        if index >= top:  # the end: the newest snapshot, followed live if the run still grows
            self.slider.setValue(top)
            self._moved()
            self.play_button.setChecked(False)
            return
        self.slider.setValue(index)

    def reset(self) -> None:
        """A new current run: follow it from its start."""
        self.play_button.setChecked(False)
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self.sync()

    def sync(self, step: int | None = None) -> None:
        """Follow the current run's growth; `step` is the step the views draw this frame (None: the newest)."""
        self._frame_step = step
        run = self.model.current
        if run is None:
            return
        top = run.history.snapshot_count() - 1
        if top != self.slider.maximum():
            self.slider.blockSignals(True)
            if self.model.shown is not None and top < self.slider.maximum():
                # The snapshot tier thinned itself (it keeps every other one): the same moment has a new index.
                self.model.show(snapshot_at_step(run.history.snapshot_steps(), self.shown_step)[0])
            self.slider.setMaximum(top)
            self.slider.setValue(top if self.model.shown is None else self.model.shown)
            self.slider.blockSignals(False)
        self._label()

    def _moved(self, *_args) -> None:
        if self.slider.isSliderDown() and self.slider.value() == self.slider.maximum():
            return  # wait for the release to decide between "last snapshot" and "follow live"
        following = self.slider.value() >= self.slider.maximum()
        self.model.show(None if following else self.slider.value())
        self._label()

    def _label(self) -> None:
        run = self.model.current
        if run is None:
            return
        history = run.history
        if self.model.shown is None:
            step = self._frame_step
            if step is None:
                steps = history.snapshot_steps()
                step = int(steps[-1]) if len(steps) else 0
            self.shown_step = step
            text = self.tr("live · epoch {0} (step {1})") if run is self.model.live else \
                self.tr("last · epoch {0} (step {1})")
            self.label.setText(text.format(epoch_text(step / max(1, history.steps_per_epoch)), f"{step:,}"))
        else:
            steps = history.snapshot_steps()  # thinned since the index was chosen: sync() moves it, soon
            step = self.shown_step = int(steps[min(self.model.shown, len(steps) - 1)])
            text = self.tr("epoch {0} (step {1})").format(history.epoch_of_step(step), f"{step:,}")
            ended = self.ended_runs(step)
            if ended:
                text += " · " + self.tr("{0} compared run(s) ended earlier: last state shown").format(len(ended))
            self.label.setText(text)
        self.label.setToolTip(self.label.text())

    def ended_runs(self, step: int) -> list:
        """The shown runs besides the current one that ended before `step` (they show their last state)."""
        model = self.model
        return [run for run in model.runs if run is not model.current and model.meta(run).visible
                and snapshot_at_step(run.history.snapshot_steps(), step)[1]]
