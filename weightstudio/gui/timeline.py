"""The timeline bar: a slider over the current run's recorded snapshots that moves the studio model's shown
snapshot, so every view shows the same moment. At the right end it follows the newest snapshot as it arrives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QToolBar, QWidget

from ..core.studio import StudioModel


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
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setToolTip(self.tr("Show any recorded epoch in every view; release at the right end to follow "
                                       "live"))
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(self._moved)
        row.addWidget(self.slider, 1)
        self.label = QLabel(self.tr("live"))
        self.label.setMinimumWidth(150)
        row.addWidget(self.label)
        self.addWidget(holder)

    def reset(self) -> None:
        """A new current run: follow it from its start."""
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self.sync()

    def sync(self) -> None:
        run = self.model.current
        if run is None:
            return
        top = run.history.snapshot_count() - 1
        if top != self.slider.maximum():
            self.slider.blockSignals(True)
            self.slider.setMaximum(top)
            if self.model.shown is None:
                self.slider.setValue(top)
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
            epochs = len(history.epoch_data()["epoch"])
            text = self.tr("live · epoch {0}") if run is self.model.live else self.tr("last · epoch {0}")
            self.label.setText(text.format(epochs))
        else:
            step = int(history.snapshot_steps()[self.model.shown])
            self.label.setText(self.tr("epoch {0} (step {1})").format(history.epoch_of_step(step), f"{step:,}"))
