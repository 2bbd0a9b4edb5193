"""The studio window: panels and views in docks, menus, the timeline, the status bar, saved layout.

It wires the panels to the `TrainingController` and pulls the views' data on two timers (fast for fit and loss,
slow for the heavy weights and heatmap views), so the worker never sends data through signals.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow,
                               QMessageBox, QProgressBar, QSlider, QToolBar, QWidget)

from .. import __version__
from ..core.config import ConfigError, RunConfig, TrainSettings
from ..core.data import DataError, output_size
from ..core.io import load_run_config, save_history_npz, save_model, write_json, write_trace_csv
from ..core.presets import DEFAULT_PRESET, get_preset
from ..core.spec import SpecError
from .controller import TrainingController
from .panels.architecture import ArchitecturePanel
from .panels.data_panel import DataPanel
from .panels.training_bar import TrainingBar
from .views.fit import FitView
from .views.heatmaps import HeatmapView
from .views.loss import LossView
from .views.weights import WeightsView

# The views refresh one per tick, in this order, so a frame never repaints more than one plot: the costliest frame
# is what the GUI's worst-case lateness is made of. Fit and loss come round four times as often as the heavy
# weights and heatmap views (about 30 and 10 frames/s while training streams); a view with nothing new is skipped.
TICK_MS = 10
ROUND = ("fit", "loss", "fit", "loss", "weights", "fit", "loss", "heatmaps")


def app_settings() -> QSettings:
    """The app's settings; tests point WEIGHTSTUDIO_SETTINGS_DIR at a temporary folder."""
    folder = os.environ.get("WEIGHTSTUDIO_SETTINGS_DIR")
    if folder:
        return QSettings(str(Path(folder) / "weightstudio.ini"), QSettings.IniFormat)
    return QSettings("WeightStudio", "WeightStudio")


class MainWindow(QMainWindow):
    """The studio. Constructible without showing it; `controller` holds the run, `views` the docked views."""

    run_finished = Signal(str)  # final state: finished, stopped or diverged (tests wait on it)
    run_loaded = Signal()  # a run is ready to train (after a preset, config or edit was applied)

    def __init__(self, preset: str = DEFAULT_PRESET, settings: QSettings | None = None, defer_load: bool = False):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("WeightStudio")
        self.settings = settings or app_settings()
        self.controller = TrainingController(self)
        self.problem: str | None = None
        self._loading = False

        self.training_bar = TrainingBar(self)
        self.addToolBar(Qt.TopToolBarArea, self.training_bar)
        self.arch_panel = ArchitecturePanel()
        self.data_panel = DataPanel()
        self.fit_view, self.loss_view = FitView(), LossView()
        self.weights_view, self.heatmap_view = WeightsView(), HeatmapView()
        self.views = [self.fit_view, self.loss_view, self.weights_view, self.heatmap_view]
        self.docks: dict[str, QDockWidget] = {}
        self._build_docks()
        self._build_timeline()
        self._build_status_bar()
        self._build_menus()
        self._connect()

        self._round = [{"fit": self.fit_view, "loss": self.loss_view, "weights": self.weights_view,
                        "heatmaps": self.heatmap_view}[name] for name in ROUND]
        self._turn = 0
        self.refresh_timer = QTimer(self, interval=TICK_MS, timeout=self._refresh_next)
        self.refresh_timer.start()

        self.resize(1360, 840)
        self._restore_layout()
        if defer_load:
            # Nothing imported so far loads torch (seconds): paint the window first, import torch beside the event
            # loop so the window stays live, then load the first run.
            self.show_message("Loading PyTorch…")
            self._after_first_paint = AfterFirstPaint(self, lambda: self._load_after_torch(preset))
        else:
            self._load_first_run(preset)

    def _load_first_run(self, preset: str) -> None:
        self.training_bar.disable_missing_devices()
        self.load_preset(preset)

    def _load_after_torch(self, preset: str) -> None:
        imported = threading.Event()

        def import_torch() -> None:
            try:
                importlib.import_module("weightstudio.core.engine")  # torch and everything a run needs
            finally:
                imported.set()  # on failure the load below raises the import error where it can be shown

        # Not a daemon: an interpreter that exits (the window closed at once) waits for the import to finish
        # instead of tearing torch down half-imported, which crashes.
        threading.Thread(target=import_torch, name="import-torch").start()
        poll = QTimer(self, interval=30)

        def load_when_imported() -> None:
            if imported.is_set():
                poll.stop()
                poll.deleteLater()
                self._load_first_run(preset)

        poll.timeout.connect(load_when_imported)
        poll.start()

    # ---- construction ----
    def _dock(self, name: str, title: str, widget: QWidget, area, tip: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState needs it
        dock.setWidget(widget)
        dock.setToolTip(tip)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    def _build_docks(self) -> None:
        self.setDockNestingEnabled(True)
        left, right = Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea
        arch = self._dock("architectureDock", "Architecture", self.arch_panel, left,
                          "Layers, sizes, activations and initialisation of the network")
        data = self._dock("dataDock", "Data", self.data_panel, left, "The data set the network learns from")
        self.tabifyDockWidget(arch, data)
        arch.raise_()
        fit = self._dock("fitDock", "Fit", self.fit_view, right, "The data and the model's predictions")
        loss = self._dock("lossDock", "Loss", self.loss_view, right, "Training and validation loss per step")
        weights = self._dock("weightsDock", "Weights", self.weights_view, right, "One line per weight over the epochs")
        heat = self._dock("heatmapDock", "Heatmaps", self.heatmap_view, right,
                          "Each layer's weight matrix; conv layers as kernel grids")
        self.splitDockWidget(fit, weights, Qt.Vertical)
        self.splitDockWidget(fit, loss, Qt.Horizontal)
        self.splitDockWidget(weights, heat, Qt.Horizontal)
        self.setCentralWidget(None)

    def _apply_default_sizes(self) -> None:
        # Only takes once the window has its size; the panels need ~340 px, the views share the rest.
        d = self.docks
        half = max(300, (self.width() - 340) // 2)
        self.resizeDocks([d["architectureDock"], d["fitDock"], d["lossDock"]], [340, half, half], Qt.Horizontal)
        self.resizeDocks([d["weightsDock"], d["heatmapDock"]], [half, half], Qt.Horizontal)
        self.resizeDocks([d["fitDock"], d["weightsDock"]], [1, 1], Qt.Vertical)

    def _build_timeline(self) -> None:
        bar = QToolBar("Timeline", self)
        bar.setObjectName("timelineBar")
        bar.setMovable(False)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(QLabel("Timeline"))
        self.timeline = QSlider(Qt.Horizontal)
        self.timeline.setObjectName("timelineSlider")
        self.timeline.setToolTip("Show any recorded epoch in every view; release at the right end to follow live")
        self.timeline.setRange(0, 0)
        self.timeline.valueChanged.connect(self._timeline_moved)
        self.timeline.sliderReleased.connect(self._timeline_moved)
        row.addWidget(self.timeline, 1)
        self.timeline_label = QLabel("live")
        self.timeline_label.setMinimumWidth(150)
        row.addWidget(self.timeline_label)
        bar.addWidget(holder)
        self.addToolBar(Qt.BottomToolBarArea, bar)
        self.timeline_bar = bar
        self._following = True

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.state_label = ElidedLabel("ready")
        self.state_label.setObjectName("stateLabel")
        self.progress = QProgressBar()
        self.progress.setObjectName("progressBar")
        self.progress.setMinimumWidth(170)
        self.progress.setMaximumWidth(260)
        self.progress.setFormat("epoch %v / %m")
        self.progress.setToolTip("Epochs done out of the epochs asked for")
        self.speed_label = QLabel("")
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setToolTip("Training steps per second and time left")
        sb.addWidget(self.state_label, 1)
        sb.addPermanentWidget(self.speed_label)
        sb.addPermanentWidget(self.progress)

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.WindowShortcut)
        act.setStatusTip(tip)
        act.setToolTip(tip)
        act.triggered.connect(slot)
        menu.addAction(act)
        self.addAction(act)  # shortcuts work even when the menu bar is hidden
        return act

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self._action(f, "&Open run…", self.open_run, QKeySequence.Open, "Load a run.json written by the app or the CLI")
        self._action(f, "&Save run configuration…", self.save_run_config, QKeySequence.Save,
                     "Save model, data and training settings as run.json")
        f.addSeparator()
        exp = f.addMenu("Export view as PNG/SVG")
        for view in self.views:
            self._action(exp, f"{view.title}…", lambda _=False, v=view: self.export_view(v),
                         tip=f"Save the {view.title} view as an image")
        self._action(f, "Export weight &history…", self.export_history, tip="Traced weights and snapshots (NPZ or CSV)")
        self._action(f, "Export trained &model…", self.export_model, tip="The latest weights as a state_dict (.pt)")
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.Quit)

        t = mb.addMenu("&Train")
        self.start_action = self._action(t, "Start / Pause", self.toggle_run, Qt.Key_Space, "Start or pause (Space)")
        self._action(t, "Step one epoch", self.controller.step, Qt.Key_Right, "Train one epoch, then pause (Right)")
        self._action(t, "Reset", self.controller.reset, "Ctrl+R", "Back to the same initial weights (Ctrl+R)")
        self._action(t, "Stop", self.controller.stop, "Ctrl+.", "Stop training (Ctrl+.)")
        self._action(t, "New seed", self.new_seed, "Ctrl+N", "New initial weights and data: seed + 1 (Ctrl+N)")

        v = mb.addMenu("&View")
        for dock in self.docks.values():
            v.addAction(dock.toggleViewAction())
        v.addSeparator()
        self._action(v, "Restore default layout", self.restore_default_layout)

        h = mb.addMenu("&Help")
        self._action(h, "&About WeightStudio", self.about)

    def _connect(self) -> None:
        bar, c = self.training_bar, self.controller
        bar.start_requested.connect(c.start)
        bar.pause_requested.connect(c.pause)
        bar.resume_requested.connect(c.resume)
        bar.step_requested.connect(c.step)
        bar.reset_requested.connect(c.reset)
        bar.stop_requested.connect(c.stop)
        bar.preset_chosen.connect(self.load_preset)
        bar.lr_changed.connect(c.set_lr)
        bar.settings_changed.connect(self._settings_changed)
        self.arch_panel.spec_changed.connect(lambda _spec: self.rebuild())
        self.data_panel.data_changed.connect(self._data_changed)
        self.data_panel.error_occurred.connect(lambda msg: self.show_message(msg, error=True))
        c.state_changed.connect(self._state_changed)
        c.run_changed.connect(self._run_changed)
        c.diverged.connect(lambda msg: self.show_message(
            f"Training stopped: {msg}. Lower the learning rate, then Reset (Ctrl+R).", error=True))
        c.failed.connect(lambda msg: self.show_message(msg, error=True))

    # ---- building runs from the panels ----
    def load_preset(self, name: str) -> None:
        """Put a preset's model, data and settings into the panels and make it the current run."""
        try:
            preset = get_preset(name)
        except KeyError as e:
            self.show_message(e.args[0], error=True)
            return
        self.apply_config(preset.config())
        self.show_message(preset.description)

    def apply_config(self, config: RunConfig) -> None:
        self._loading = True  # one rebuild at the end, not one per panel signal
        try:
            self.training_bar.set_preset(config.name)
            self.training_bar.set_settings(config.train)
            self.data_panel.set_data_spec(config.data, config.train.seed)
            self.arch_panel.set_spec(config.model)
        finally:
            self._loading = False
        self.rebuild()

    def current_config(self) -> RunConfig:
        return RunConfig(self.arch_panel.spec(), self.data_panel.data_spec(),
                         TrainSettings(**self.training_bar.settings()), self.training_bar.preset())

    def rebuild(self) -> None:
        """Make a new run from what the panels say; on a problem, block Start and say why."""
        if self._loading or self.controller.is_busy:
            return
        dataset = self.data_panel.dataset()
        if dataset is None:
            return self._block("no data loaded: choose a data set in the Data panel")
        config = self.current_config()
        config.model.input_shape = dataset.feature_shape
        self.arch_panel.set_data_shape(dataset.feature_shape, output_size(config.train.loss, dataset))
        problem = self.arch_panel.problem()
        if problem:
            return self._block(problem)
        try:
            self.controller.load(config, dataset)
        except (ConfigError, DataError, SpecError, ValueError) as e:
            return self._block(str(e))
        self._block(None)
        self.run_loaded.emit()

    def _block(self, reason: str | None) -> None:
        self.problem = reason
        self.training_bar.set_start_blocked(reason)
        if reason:
            self.show_message(f"Cannot train yet: {reason}", error=True)

    def _data_changed(self, spec: dict, dataset) -> None:
        # A classification set needs a classification loss (and the other way round): switch it for the user.
        settings = self.training_bar.settings()
        if dataset.task == "classification" and settings["loss"] == "mse":
            settings["loss"] = "cross_entropy"
        elif dataset.task == "regression" and settings["loss"] != "mse":
            settings["loss"] = "mse"
        self.training_bar.set_settings(settings)
        if not self._loading:
            self._fit_output_layer(output_size(settings["loss"], dataset))
        self.rebuild()

    def _fit_output_layer(self, n_outputs: int) -> None:
        """New data with another number of targets or classes: resize the network's last Linear to match."""
        spec = self.arch_panel.spec()
        weighted = [layer for layer in spec.layers if layer.has_weights]
        if weighted and weighted[-1].kind == "Linear" and weighted[-1].params["out_features"] != n_outputs:
            weighted[-1].params["out_features"] = n_outputs
            self.arch_panel.set_spec(spec)
            self.show_message(f"The last Linear layer now has {n_outputs} output(s), as the new data needs.")

    def _settings_changed(self) -> None:
        c = self.controller
        if c.trainer is None:
            return self.rebuild()
        new, old = TrainSettings(**self.training_bar.settings()), c.trainer.config.train
        if new.seed != old.seed:
            self._loading = True  # a new seed draws new data too (generators are seeded): rebuild once, after it
            try:
                self.data_panel.set_seed(new.seed)
            finally:
                self._loading = False
            return self.rebuild()
        live = {"lr", "epochs"}
        if all(getattr(new, k) == getattr(old, k) for k in vars(new) if k not in live):
            c.set_epochs(new.epochs)
            c.set_lr(new.lr)
            self._update_progress()
        else:
            self.rebuild()

    def new_seed(self) -> None:
        if not self.controller.is_busy:
            settings = self.training_bar.settings()
            settings["seed"] += 1
            self.training_bar.set_settings(settings)
            self._settings_changed()

    # ---- state ----
    def toggle_run(self) -> None:
        c = self.controller
        if c.state == "running":
            c.pause()
        else:
            c.start()

    def _run_changed(self, run) -> None:
        for view in self.views:
            view.set_run(run)
        self._following = True
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, 0)
        self.timeline.blockSignals(False)
        self._refresh_all(force=True)

    def _state_changed(self, state: str) -> None:
        self.training_bar.set_state(state)
        self.arch_panel.set_editable(state not in ("running", "paused"))
        self.data_panel.set_editable(state not in ("running", "paused"))
        if state in ("finished", "stopped", "diverged"):
            self._refresh_all(force=True)
            if state != "diverged":
                self.show_message(f"Training {state}.")
            self.run_finished.emit(state)
        elif state == "running":
            self.show_message("Training…")
        elif state == "paused":
            self.show_message("Paused. Space resumes, Right steps one epoch.")
        elif state == "ready" and not self.problem:
            self.show_message("Ready: press Start (Space).")

    def show_message(self, text: str, error: bool = False) -> None:
        self.state_label.setText(text)
        self.state_label.setToolTip(text)
        self.state_label.setStyleSheet("color: #b00020; font-weight: bold;" if error else "")

    # ---- refreshing ----
    def _refresh_all(self, force: bool = False) -> None:
        for view in self.views:
            view.refresh(force)
        self._update_progress()
        self._update_timeline()

    def _refresh_next(self) -> None:
        """The next view in ROUND with something new (at most one a tick); progress once a round."""
        for _ in range(len(self._round)):
            view = self._round[self._turn]
            self._turn = (self._turn + 1) % len(self._round)
            if self._turn == 0:
                self._update_progress()
                self._update_timeline()
            if view.refresh():
                return

    def _update_progress(self) -> None:
        t = self.controller.trainer
        if t is None:
            return
        epochs = t.config.train.epochs
        self.progress.setMaximum(epochs)
        self.progress.setValue(min(t.epoch, epochs))
        c = self.controller
        if c.started_at is not None and c.state == "running":
            elapsed = time.monotonic() - c.started_at
            steps = t.step - c.steps_at_start
            if elapsed > 0.5 and steps > 0:
                rate = steps / elapsed
                left = (epochs * t.steps_per_epoch - t.step) / rate
                self.speed_label.setText(f"step {t.step:,} · {rate:,.0f} steps/s · {_duration(left)} left")
        else:
            self.speed_label.setText(f"step {t.step:,}")

    def _update_timeline(self) -> None:
        run = self.controller.run_data
        if run is None:
            return
        top = run.history.snapshot_count() - 1
        if top != self.timeline.maximum():
            self.timeline.blockSignals(True)
            self.timeline.setMaximum(top)
            if self._following:
                self.timeline.setValue(top)
            self.timeline.blockSignals(False)
        self._label_timeline()

    def _timeline_moved(self, *_args) -> None:
        if self.timeline.isSliderDown() and self.timeline.value() == self.timeline.maximum():
            return  # wait for the release to decide between "last snapshot" and "follow live"
        self._following = self.timeline.value() >= self.timeline.maximum()
        index = None if self._following else self.timeline.value()
        for view in self.views:
            view.show_snapshot(index)
        self._label_timeline()

    def _label_timeline(self) -> None:
        run = self.controller.run_data
        if run is None:
            return
        if self._following:
            self.timeline_label.setText(f"live · epoch {self.controller.trainer.epoch}")
        else:
            step = int(run.history.snapshot_steps()[self.timeline.value()])
            self.timeline_label.setText(f"epoch {run.history.epoch_of_step(step)} (step {step:,})")

    # ---- files ----
    def _ask_save(self, title: str, name: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, filters)
        return Path(path) if path else None

    def open_run(self, path: str | Path | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open run", "", "Run configuration (run.json *.json)")
            if not path:
                return
        try:
            config = load_run_config(path)
        except ConfigError as e:
            self.show_message(str(e), error=True)
            return
        self.apply_config(config)
        self.show_message(f"Loaded {path}")

    def save_run_config(self, path: str | Path | None = None) -> None:
        path = path or self._ask_save("Save run configuration", "run.json", "JSON (*.json)")
        if path:
            write_json(Path(path), self.current_config().to_dict())
            self.show_message(f"Saved {path}")

    def export_view(self, view, path: str | Path | None = None) -> None:
        path = path or self._ask_save(f"Export {view.title}", f"{view.title.lower()}.png", "PNG (*.png);;SVG (*.svg)")
        if not path:
            return
        path = Path(path)
        if path.suffix.lower() == ".svg":
            # Qt's own SVG painter: pyqtgraph's SVGExporter cannot parse the paths Qt 6.11 writes.
            from PySide6.QtGui import QPainter
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(view.size())
            generator.setViewBox(view.rect())
            generator.setTitle(f"WeightStudio {view.title}")
            painter = QPainter(generator)
            view.render(painter, QPoint(0, 0))
            painter.end()
        else:
            view.grab().save(str(path.with_suffix(".png") if not path.suffix else path))
        self.show_message(f"Exported {path}")

    def export_history(self, path: str | Path | None = None) -> None:
        run = self.controller.run_data
        if run is None:
            return
        path = path or self._ask_save("Export weight history", "history.npz", "NumPy archive (*.npz);;CSV (*.csv)")
        if not path:
            return
        path = Path(path)
        (write_trace_csv if path.suffix.lower() == ".csv" else save_history_npz)(path, run.history)
        self.show_message(f"Exported {path}")

    def export_model(self, path: str | Path | None = None) -> None:
        run = self.controller.run_data
        if run is None:
            return
        path = path or self._ask_save("Export trained model", "model.pt", "PyTorch state_dict (*.pt)")
        if not path:
            return
        import torch

        _, params = run.history.latest_params()  # the history, not the model the worker may be updating
        save_model(path, {k: torch.from_numpy(v.copy()) for k, v in params.items()})
        self.show_message(f"Exported {path}")

    # ---- layout, about, closing ----
    def _restore_layout(self) -> None:
        self._default_state = self.saveState()
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        else:
            QTimer.singleShot(0, self._apply_default_sizes)

    def restore_default_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
        self._apply_default_sizes()

    def about(self) -> None:
        import pyqtgraph
        import PySide6
        import torch

        QMessageBox.about(self, "About WeightStudio",
                          f"<b>WeightStudio {__version__}</b><p>Watch a neural network's weights move while it "
                          f"learns.</p><p>PyTorch {torch.__version__} · Qt {PySide6.QtCore.qVersion()} · "
                          f"PySide6 {PySide6.__version__} · pyqtgraph {pyqtgraph.__version__}</p><p>MIT licence.</p>")

    def closeEvent(self, event) -> None:
        self.refresh_timer.stop()
        self.controller.close()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        super().closeEvent(event)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when its text is wider than the room the status bar gives it (the whole
    text is in the tooltip), instead of being cut off mid-word or pushing the progress bar aside."""

    def minimumSizeHint(self):  # noqa: N802 - Qt's name
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        text = self.fontMetrics().elidedText(self.text(), Qt.ElideRight, self.contentsRect().width())
        painter.drawText(self.contentsRect(), int(self.alignment()), text)


class AfterFirstPaint(QObject):
    """Calls `then` once, from the event loop, after the first paint of any widget of `window`. A zero timer set
    before `show()` would fire before the window is exposed, and the user would look at the splash instead."""

    def __init__(self, window: QMainWindow, then):
        super().__init__(window)
        self.window, self.then = window, then
        QApplication.instance().installEventFilter(self)  # only until that first paint

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Paint and obj.isWidgetType() and obj.window() is self.window:
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after the rest of this frame has painted
        return False


def _duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"
