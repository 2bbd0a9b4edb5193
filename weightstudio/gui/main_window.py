"""The studio window: layout, menus and wiring. Panels edit the Qt-free `StudioModel` (the runs open, the current
one, the shown snapshot); views read it; the `TrainingController` trains the live run. Views are pulled on one
timer, one view per tick, so the worker never sends data through signals (docs/architecture.md).
"""

from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMessageBox, QTabBar, QWidget

from .. import __version__
from ..core.assemble import fit_to_data
from ..core.compare import vary
from ..core.health import HealthMonitor
from ..core.atomic import WriteError
from ..core.config import ConfigError, RunConfig, TrainSettings
from ..core.data import DataError
from ..core.io import load_run_config, write_json
from ..core.messages import translate as core_text
from ..core.presets import DEFAULT_PRESET, get_preset
from ..core.spec import SpecError
from ..core.studio import StudioEvent, StudioModel
from ..core.tasks import ENDED, RunState, get_loss
from . import exports
from .background import BackgroundJob, collect_garbage_on_gui_thread
from .controller import TrainingController
from .lessons import fill_lessons_menu
from .palette import palette_colour
from .panels.architecture import ArchitecturePanel
from .panels.data_panel import DataPanel
from .panels.health import HealthPanel
from .panels.runs import RunsPanel
from .panels.training_bar import TrainingBar
from .settings import app_settings
from .status_bar import StatusBar
from .timeline import TimelineBar
from .translation import LANGUAGE_KEY, LANGUAGE_NAMES, state_name
from .views.activations import ActivationsView
from .views.base import Frame
from .views.distributions import DistributionsView
from .views.fit import FitView
from .views.gradients import GradientsView
from .views.heatmaps import HeatmapView
from .views.loss import LossView
from .views.weights import WeightsView
from .widgets import AfterFirstPaint

# The views refresh in this order, spread over ticks so that no tick holds the GUI for long: the costliest tick is
# what the GUI's worst-case lateness is made of. Cheap views share a tick (TICK_BUDGET_MS). While a frame is pinned,
# every view draws its step once a round and a slot with nothing new is skipped; unpinned, fit and loss come round
# more often than the heavy weights and analysis views.
TICK_MS = 10
MAX_FRAMES_PER_S = 30  # while training streams, a round (one frame) begins at most this often
TICK_BUDGET_MS = 6  # a tick goes on to the round's next view while it has spent less than this: cheap views share one
FOLLOW_MS = 300  # how often followed folders are read: a recorder flushes about twice a second
EXPORT_WIDTHS = (800, 1600, 2400, 3200)  # the export sizes offered (pixels wide): a slide, print at 300 dpi
HEALTH_MS = 1000  # how often the health check looks at the current run (it reads only what is new), off the GUI thread
# "analysis" is the heatmap, gradients, distributions and activations views, which share a tab area: only the ones
# on screen are refreshed (Qt parks a tab behind another outside the window, still "visible"), so a hidden tab
# costs nothing until it is raised.
ROUND = ("fit", "loss", "fit", "loss", "weights", "fit", "loss", "analysis")


def _against(bar: QRect, dock: QRect) -> bool:
    """Whether a tab bar's rectangle lies against a dock's edge (within 3 px), not over the dock."""
    return bar.intersects(dock.adjusted(-3, -3, 3, 3)) and not bar.intersects(dock.adjusted(3, 3, -3, -3))


class MainWindow(QMainWindow):
    """The studio. Constructible without showing it; `model` holds the runs, `controller` trains the live one,
    `views` are the docked views."""

    run_finished = Signal(str)  # final state: finished, stopped or diverged (tests wait on it)
    run_loaded = Signal()  # a run is ready to train (after a preset, config or edit was applied)
    frame_drawn = Signal()  # a refresh round ended: every view, the status bar and the timeline show one step

    def __init__(self, preset: str = DEFAULT_PRESET, settings: QSettings | None = None, defer_load: bool = False,
                 run_path: str | Path | None = None):
        super().__init__()
        collect_garbage_on_gui_thread()  # before any thread starts: the torch import, the training thread, jobs
        self.setObjectName("mainWindow")
        self.setWindowTitle("WeightStudio")
        self.settings = settings or app_settings()
        self.model = StudioModel()
        self.controller = TrainingController(self)
        self.problem: str | None = None
        self._loading = False

        self.training_bar = TrainingBar(self)
        self.addToolBar(Qt.TopToolBarArea, self.training_bar)
        self.arch_panel, self.data_panel = ArchitecturePanel(), DataPanel()
        self.runs_panel = RunsPanel(self.model)
        self._vary_queue: list[RunConfig] = []
        self._lesson_note = ""  # shown when the lesson's last run ends
        self.fit_view, self.loss_view = FitView(), LossView()
        self.weights_view, self.heatmap_view = WeightsView(), HeatmapView()
        self.gradients_view, self.distributions_view = GradientsView(), DistributionsView()
        self.activations_view = ActivationsView()
        self.health_panel = HealthPanel()
        self._health: HealthMonitor | None = None
        # The check takes tens of milliseconds (activation statistics of recorded states): a worker thread runs it.
        self.health_job = BackgroundJob("health-check", self)
        self.health_job.done.connect(self._health_checked)
        self.health_job.failed.connect(self._health_failed)
        self.views = [self.fit_view, self.loss_view, self.weights_view, self.heatmap_view, self.gradients_view,
                      self.distributions_view, self.activations_view]
        self.docks: dict[str, QDockWidget] = {}
        self._build_docks()
        self.timeline_bar = TimelineBar(self.model, self)
        self.timeline = self.timeline_bar.slider
        self.addToolBar(Qt.BottomToolBarArea, self.timeline_bar)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.state_label = self.status.state_label
        self._build_menus()
        self._connect()

        analysis = (self.heatmap_view, self.gradients_view, self.distributions_view, self.activations_view)
        by_name = {"fit": (self.fit_view,), "loss": (self.loss_view,), "weights": (self.weights_view,),
                   "analysis": analysis}
        self._round = [by_name[name] for name in ROUND]
        self._turn = 0
        self._round_started = 0.0  # perf_counter() when the current round began
        self.frame: Frame | None = None  # what this round's views draw while following the newest state
        self._frozen: list[QWidget] = []  # views that go on screen when the round ends
        self.refresh_timer = QTimer(self, interval=TICK_MS, timeout=self._refresh_next)
        self.refresh_timer.start()
        self._followers: list = []  # RunFollowers of opened folders a writer is still adding to
        self.follow_timer = QTimer(self, interval=FOLLOW_MS, timeout=self._poll_followers)
        self.health_timer = QTimer(self, interval=HEALTH_MS, timeout=self._check_health)
        self.health_timer.start()

        self.resize(1360, 840)
        self._restore_layout()

        def first() -> None:  # the run the studio trains, then the folder asked for (shown over it)
            self.load_preset(preset)
            if run_path is not None:
                self.open_run(run_path)

        if defer_load:
            # Nothing imported so far loads torch (seconds): paint the window first, import torch beside the event
            # loop so the window stays live, then load the first run.
            self.show_message(self.tr("Loading PyTorch…"))
            self._after_first_paint = AfterFirstPaint(self, lambda: self._load_after_torch(first))
        else:
            self._load_first_run(first)

    def _load_first_run(self, load) -> None:
        self.training_bar.disable_missing_devices()
        load()

    def _load_after_torch(self, load) -> None:
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
                self._load_first_run(load)

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
        specs = [
            ("architectureDock", self.tr("Architecture"), self.arch_panel, left,
             self.tr("Layers, sizes, activations and initialisation of the network")),
            ("dataDock", self.tr("Data"), self.data_panel, left, self.tr("The data set the network learns from")),
            ("runsDock", self.tr("Runs"), self.runs_panel, left,
             self.tr("Every run open in the studio: show, compare, rename, remove")),
            ("fitDock", self.tr("Fit"), self.fit_view, right, self.tr("The data and the model's predictions")),
            ("lossDock", self.tr("Loss"), self.loss_view, right, self.tr("Training and validation loss per step")),
            ("weightsDock", self.tr("Weights"), self.weights_view, right,
             self.tr("One line per weight over the epochs")),
            ("heatmapDock", self.tr("Heatmaps"), self.heatmap_view, right,
             self.tr("Each layer's weight matrix; conv layers as kernel grids")),
            ("gradientsDock", self.tr("Gradients"), self.gradients_view, right,
             self.tr("Gradient norm and update-to-weight ratio of every layer, per step")),
            ("distributionsDock", self.tr("Distributions"), self.distributions_view, right,
             self.tr("A parameter's weights or gradients over time: percentile bands and a histogram image")),
            ("activationsDock", self.tr("Activations"), self.activations_view, right,
             self.tr("What each layer outputs at the state on show: units, feature maps, dead and saturated units")),
            ("healthDock", self.tr("Health"), self.health_panel, left,
             self.tr("Problems the health check names: vanishing or exploding gradients, learning rate, dead units")),
        ]
        arch, data, runs, fit, loss, weights, heat, grads, dists, acts, health = (self._dock(*s) for s in specs)
        self.tabifyDockWidget(arch, data)
        self.tabifyDockWidget(data, runs)
        self.tabifyDockWidget(runs, health)
        arch.raise_()
        self.splitDockWidget(fit, weights, Qt.Vertical)
        self.splitDockWidget(fit, loss, Qt.Horizontal)
        self.splitDockWidget(weights, heat, Qt.Horizontal)
        for dock in (grads, dists, acts):
            self.tabifyDockWidget(heat, dock)
        heat.raise_()
        self.setCentralWidget(None)
        self._hide_stale_tab_bars()

    def _hide_stale_tab_bars(self) -> None:
        """Hide the dock tab bars Qt left behind. Tabifying docks one at a time leaves its intermediate bar
        ("Heatmaps | Gradients") as a child of the window, hidden only once the window is shown: a window drawn
        before that (figures, screenshots, tests) painted it over the Fit view. `restoreState` lays the docks out
        with new bars and leaves the old ones shown where they were, over the views once the layout moves. A bar in
        use holds every tab of its dock group and lies against the dock it shows; of two such, the newer."""
        by_title = {dock.windowTitle(): dock for dock in self.docks.values()}
        kept: dict[tuple, QTabBar] = {}
        for bar in self.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly):  # oldest first
            tabs = tuple(bar.tabText(i) for i in range(bar.count()))
            dock = by_title.get(bar.tabText(bar.currentIndex())) if tabs else None
            placed = dock is not None and (not self.isVisible() or _against(bar.geometry(), dock.geometry()))
            if not placed or len(tabs) < 1 + len(self.tabifiedDockWidgets(dock)):
                bar.hide()
            elif bar.isVisible():
                if tabs in kept:
                    kept[tabs].hide()
                kept[tabs] = bar

    def _apply_default_sizes(self) -> None:
        # Only takes once the window has its size; the panels need ~340 px, the views share the rest.
        d = self.docks
        panels = 340 if self.width() >= 1280 else 260  # a projector's 1024 px: the views need the room more
        half = max(300, (self.width() - panels) // 2)
        self.resizeDocks([d["architectureDock"], d["fitDock"], d["lossDock"]], [panels, half, half], Qt.Horizontal)
        self.resizeDocks([d["weightsDock"], d["heatmapDock"]], [half, half], Qt.Horizontal)
        self.resizeDocks([d["fitDock"], d["weightsDock"]], [1, 1], Qt.Vertical)

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
        self._build_file_menu(self.menuBar().addMenu(self.tr("&File")))
        t = self.menuBar().addMenu(self.tr("&Train"))
        self.start_action = self._action(t, self.tr("Start / Pause"), self.toggle_run, Qt.Key_Space,
                                         self.tr("Start or pause (Space)"))
        self._action(t, self.tr("Step one epoch"), self.controller.step, Qt.Key_Right,
                     self.tr("Train one epoch, then pause (Right)"))
        self._action(t, self.tr("Reset"), self.controller.reset, "Ctrl+R",
                     self.tr("Back to the same initial weights (Ctrl+R)"))
        self._action(t, self.tr("Stop"), self.controller.stop, "Ctrl+.", self.tr("Stop training (Ctrl+.)"))
        self._action(t, self.tr("New seed"), self.new_seed, "Ctrl+N",
                     self.tr("New initial weights and data: seed + 1 (Ctrl+N)"))
        self.runs_menu = self.menuBar().addMenu(self.tr("&Runs"))
        self._runs_group = QActionGroup(self)
        self.duplicate_action = self._action(self.runs_menu, self.tr("&Duplicate with a change"), self.duplicate_run,
                                             "Ctrl+D", self.tr("Keep this run and start a copy with the same seed, "
                                                               "data and initial weights: change a setting, then train"))
        self.duplicate_action.setObjectName("duplicateRunAction")
        self.vary_action = self._action(self.runs_menu, self.tr("&Vary…"), self.ask_vary, "Ctrl+Shift+V",
                                        self.tr("Train one run per value of a setting and compare them"))
        self.vary_action.setObjectName("varyAction")
        self._fill_runs_menu()
        self.lessons_menu = self.menuBar().addMenu(self.tr("&Lessons"))
        self.lessons_menu.setObjectName("lessonsMenu")
        self.lesson_actions = fill_lessons_menu(self.lessons_menu, self.start_lesson)
        v = self.menuBar().addMenu(self.tr("&View"))
        for dock in self.docks.values():
            v.addAction(dock.toggleViewAction())
        v.addSeparator()
        self._action(v, self.tr("Restore default layout"), self.restore_default_layout)
        self._build_language_menu(v.addMenu(self.tr("&Language")))
        h = self.menuBar().addMenu(self.tr("&Help"))
        self._action(h, self.tr("&About WeightStudio"), self.about)

    def _build_language_menu(self, menu) -> None:
        """System default, English, 简体中文: saved in the settings, applied at the next start."""
        group = QActionGroup(self)
        saved = str(self.settings.value(LANGUAGE_KEY, "") or "")
        self.language_actions = {}
        for code, name in [("", self.tr("System default")), *LANGUAGE_NAMES.items()]:
            act = menu.addAction(name, lambda c=code: self.choose_language(c))
            act.setCheckable(True)
            act.setChecked(code == saved)
            act.setStatusTip(self.tr("Show WeightStudio in this language from the next start"))
            group.addAction(act)
            self.language_actions[code] = act

    def choose_language(self, code: str) -> None:
        self.settings.setValue(LANGUAGE_KEY, code)
        self.settings.sync()
        self.language_actions[code].setChecked(True)
        self.show_message(self.tr("The language changes when WeightStudio is started again."))

    def _build_file_menu(self, f) -> None:
        self._action(f, self.tr("&Open run…"), self.open_run, QKeySequence.Open,
                     self.tr("Open a run folder (its run.json): with a history every view shows the recorded run"))
        self._action(f, self.tr("&Save run configuration…"), self.save_run_config, QKeySequence.Save,
                     self.tr("Save model, data and training settings as run.json"))
        f.addSeparator()
        exp = f.addMenu(self.tr("Export view as PNG/SVG"))
        for view in self.views:
            title = QCoreApplication.translate("Views", view.title)
            self._action(exp, f"{title}…", lambda _=False, v=view: self.export_view(v),
                         tip=self.tr("Save the {0} view as an image").format(title))
        self._action(f, self.tr("Export weight &history…"), self.export_history,
                     tip=self.tr("Traced weights and snapshots (NPZ or CSV)"))
        self._action(f, self.tr("Export trained &model…"), self.export_model,
                     tip=self.tr("The latest weights as a state_dict (.pt)"))
        self._action(f, self.tr("Export as PyTorch &script…"), self.export_script, "Ctrl+Shift+E",
                     tip=self.tr("A standalone torch + numpy script that trains this run again, bit for bit"))
        f.addSeparator()
        self._action(f, self.tr("&Quit"), self.close, QKeySequence.Quit)

    def _fill_runs_menu(self) -> None:
        """Duplicate and Vary, then one checkable entry per open run (the current one checked), then Close run."""
        self.runs_menu.clear()
        self.runs_menu.addActions([self.duplicate_action, self.vary_action])
        self.runs_menu.addSeparator()
        for action in self._runs_group.actions():
            self._runs_group.removeAction(action)
        for i, run in enumerate(self.model.runs):
            text = self.tr("{0} (training here)").format(run.name) if run is self.model.live else \
                self.tr("{0} ({1})").format(run.name, state_name(run.history.status))
            act = self.runs_menu.addAction(text)
            act.setCheckable(True)
            act.setChecked(run is self.model.current)
            act.setToolTip(str(run.origin) if run.origin else self.tr("The run the studio trains"))
            act.triggered.connect(lambda _=False, r=run: self.model.set_current(r))
            self._runs_group.addAction(act)
        self.runs_menu.addSeparator()
        close = self.runs_menu.addAction(self.tr("Close run"))
        close.setShortcut(QKeySequence("Ctrl+W"))
        close.setEnabled(self.model.current is not None and self.model.current is not self.model.live)
        close.triggered.connect(lambda: self.model.close(self.model.current))

    def _connect(self) -> None:
        bar, c = self.training_bar, self.controller
        for name in ("start", "pause", "resume", "step", "reset", "stop"):
            getattr(bar, f"{name}_requested").connect(getattr(c, name))
        bar.preset_chosen.connect(self.load_preset)
        bar.lr_changed.connect(c.set_lr)
        bar.settings_changed.connect(self._settings_changed)
        bar.speed_changed.connect(self._apply_speed)
        bar.problem.connect(lambda msg: self.show_message(msg, error=True))
        self.arch_panel.spec_changed.connect(lambda _spec: self.rebuild())
        self.data_panel.data_changed.connect(lambda _spec, _dataset: self.rebuild())
        self.data_panel.error_occurred.connect(lambda msg: self.show_message(msg, error=True))
        self.runs_panel.duplicate_requested.connect(self.duplicate_run)
        self.runs_panel.vary_requested.connect(self.ask_vary)
        c.rewind_to = lambda: self.model.shown if self.model.current is self.model.live else None
        c.state_changed.connect(self._state_changed)
        c.run_changed.connect(self.model.set_live)
        c.run_kept.connect(self.model.open)  # a crashed training process's run stays, with its history
        c.diverged.connect(lambda msg: self.show_message(
            self.tr("Paused: {0}. Drag the timeline back to before it blew up, lower the learning rate (LR) and "
                    "press Start: training goes on from the weights shown. Or Reset (Ctrl+R).").format(msg),
            error=True))
        c.failed.connect(lambda msg: self.show_message(msg, error=True))
        events = self.model.events
        events.connect(StudioEvent.CURRENT_CHANGED, self._current_changed)
        events.connect(StudioEvent.RUNS_CHANGED, self._fill_runs_menu)
        events.connect(StudioEvent.RUNS_CHANGED, self._update_overlays)
        events.connect(StudioEvent.SHOWN_CHANGED, self._shown_changed)

    # ---- building runs from the panels ----
    def load_preset(self, name: str) -> None:
        """Put a preset's model, data and settings into the panels and make it the current run."""
        try:
            preset = get_preset(name)
        except KeyError as e:
            self.show_message(e.args[0], error=True)
            return
        self.apply_config(preset.config())
        self.show_message(core_text(preset.description))

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
        """Assemble a new live run from what the panels say; on a problem, block Start and say why."""
        if self._loading or (self.controller.is_busy and not self.controller.held):
            return  # a run held after divergence gives way to the edited one
        dataset = self.data_panel.dataset()
        if dataset is None:
            return self._block(self.tr("no data loaded: choose a data set in the Data panel"))
        try:
            assembled = self.model.assemble(self.current_config(), dataset)
        except ConfigError as e:  # show the network as the data sees it, its problem marked at the layer
            self._show_fitted(fit_to_data(self.current_config(), dataset, new_data=False).config, dataset)
            return self._block(self.arch_panel.problem() or str(e))
        self._show_fitted(assembled.config, dataset)
        try:
            self.controller.load(assembled.config, dataset)
        except (ConfigError, DataError, SpecError, ValueError) as e:
            return self._block(str(e))
        self._block(None)
        self._apply_speed()
        if assembled.notes:
            self.show_message(" ".join(assembled.notes))
        self.run_loaded.emit()

    def _show_fitted(self, config: RunConfig, dataset) -> None:
        """The panels show what assembling fitted to the data (loss, output layer), without a second rebuild."""
        self._loading = True
        try:
            if config.train.loss != self.training_bar.settings()["loss"]:
                self.training_bar.set_settings(config.train)
            if config.model.layers != self.arch_panel.spec().layers:
                self.arch_panel.set_spec(config.model)
            self.arch_panel.set_data_shape(dataset.feature_shape, get_loss(config.train.loss).n_outputs(dataset))
        finally:
            self._loading = False

    def _block(self, reason: str | None) -> None:
        self.problem = reason
        self.training_bar.set_start_blocked(reason)
        self._show_notice()
        if reason:
            self.show_message(self.tr("Cannot train yet: {0}").format(reason), error=True)

    def _show_notice(self) -> None:
        """While the panels describe a network that does not build, the live run's views would go on drawing the
        last one built (3×3 kernels while the editor says 11×11): they say so instead."""
        reason = self.problem
        notice = None if reason is None or self.model.current is not self.model.live else self.tr(
            "Network changed, not built yet:\n{0}\n\nFix it in the panels; the views show the new network once it "
            "builds.").format(reason)
        for view in self.views:
            view.set_notice(notice)

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
            self._apply_speed()
            self._show_status(None if self.frame is None else self.frame.step)
        else:
            self.rebuild()

    def _apply_speed(self) -> None:
        """The speed chooser paces training (in the training process) and the timeline's replay."""
        t = self.controller.trainer
        if t is None:
            return
        eps = self.training_bar.epochs_per_second(t.config.train.epochs)
        self.controller.set_pace(0.0 if eps is None else eps * t.steps_per_epoch)
        self.timeline_bar.set_rate(eps)

    def new_seed(self) -> None:
        if not self.controller.is_busy:
            settings = self.training_bar.settings()
            settings["seed"] += 1
            self.training_bar.set_settings(settings)
            self._settings_changed()

    # ---- state ----
    def toggle_run(self) -> None:
        c = self.controller
        if c.state == RunState.RUNNING:
            c.pause()
        else:
            c.start()

    def _current_changed(self, run) -> None:
        self._health = None  # the check of the run shown before holds it: let it go with the run
        for view in self.views:
            view.set_run(run)
        self._show_notice()
        self._update_overlays()
        self.timeline_bar.reset()
        self._fill_runs_menu()
        self._refresh_all(force=True)

    def _shown_changed(self, index: int | None) -> None:
        for view in self.views:
            view.show_snapshot(index)
        # The views redrew at once: the timeline's label and the status bar name their step now, not at the round's end.
        step = None if index is not None or self.frame is None else self.frame.step
        self.timeline_bar.sync(step)
        self._show_status(step)

    def _state_changed(self, state: str) -> None:
        self.training_bar.set_state(state)
        editable = state not in (RunState.RUNNING, RunState.PAUSED)
        self.arch_panel.set_editable(editable)
        self.data_panel.set_editable(editable)
        if state in ENDED:
            self._refresh_all(force=True)
            self.runs_panel.refresh()
            if state != RunState.DIVERGED:
                self.show_message({RunState.FINISHED: self.tr("Training finished."),
                                   RunState.STOPPED: self.tr("Training stopped.")}.get(state)
                                  or self.tr("Training {0}.").format(state))
            self.run_finished.emit(state)
            self._vary_next(state)
        elif state == RunState.RUNNING:
            self.model.set_current(self.model.live)  # Start trains the studio's run, whichever was shown
            self.show_message(self.tr("Training…"))
        elif state == RunState.PAUSED:
            self.show_message(self.tr("Paused. Space resumes, Right steps one epoch."))
        elif state == RunState.READY and not self.problem:
            self.show_message(self.tr("Ready: press Start (Space)."))

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.show_message(text, error)

    # ---- comparing runs ----
    def _update_overlays(self) -> None:
        """The loss, weights, heatmap and fit views draw every shown run besides the current one, each in its
        colour, at the timeline's step."""
        current = self.model.current
        if not self.model.is_open(current):  # mid-replacement: the current-changed event follows
            return
        others = [(run, palette_colour(self.model.meta(run).colour), self.model.meta(run).label)
                  for run in self.model.runs if run is not current and self.model.meta(run).visible]
        colour, label = palette_colour(self.model.meta(current).colour), self.model.meta(current).label
        self.loss_view.set_overlays(colour, others)
        for view in (self.weights_view, self.heatmap_view, self.fit_view):
            view.set_overlays(colour, others, label=label)
        for view in (self.loss_view, self.weights_view, self.heatmap_view, self.fit_view):
            view.refresh(force=True)

    def duplicate_run(self) -> None:
        """Keep the live run as it is and start a copy (same seed, data, initial weights) to change and train."""
        if self.controller.is_busy:
            return self.show_message(self.tr("Pause or stop training before duplicating the run."), error=True)
        kept = self.model.keep_live()
        if kept is None:
            return
        self.rebuild()
        if self.model.live is not None:
            self.model.rename(self.model.live, self.tr("{0} (copy)").format(self.model.meta(kept).label))
        self.show_message(self.tr("Duplicated {0}: change a setting, then Start. The original stays in Runs.").format(
            self.model.meta(kept).label))

    def ask_vary(self) -> None:
        from .panels.vary_dialog import VaryDialog

        if self.controller.is_busy:
            return self.show_message(self.tr("Pause or stop training before starting a comparison."), error=True)
        dialog = VaryDialog(lambda v: vary(self.current_config(), v), self)
        if dialog.exec() and dialog.variation is not None:
            self.vary_runs(dialog.variation)

    def start_lesson(self, lesson) -> None:
        """Lessons ▸ …: the lesson's base run in the panels, then one run per value through Vary, trained one
        after another; the runs open before are hidden so the views compare the lesson's runs only."""
        if self.controller.is_busy:
            return self.show_message(self.tr("Pause or stop training before starting a lesson."), error=True)
        for run in list(self.model.runs):
            self.model.set_visible(run, False)
        self.apply_config(lesson.config())
        if self.problem or self.model.live is None:
            return
        self.model.set_visible(self.model.live, True)  # the lesson's first run takes the live run's place
        self._lesson_note = core_text(lesson.look_for)
        self.vary_runs(lesson.variation(), lesson.config())

    def vary_runs(self, variation, base: RunConfig | None = None) -> None:
        """Train one run per value of `base` (default: what the panels say), one after another, each kept in
        Runs; the live run, if trained, is kept first."""
        configs = vary(base or self.current_config(), variation)  # ConfigError: the dialog has shown it already
        live = self.model.live
        if live is not None and len(live.history.epoch_data()["epoch"]):
            self.model.keep_live()
        self._vary_queue = configs
        self._vary_next(None)

    def _vary_next(self, ended: str | None) -> None:
        if ended is not None and not self._vary_queue:
            if self._lesson_note:  # the lesson's runs are all trained: what to look for
                self.show_message(self._lesson_note)
                self._lesson_note = ""
            return
        if ended == RunState.DIVERGED:
            self.controller.shutdown()  # a comparison does not wait for a held run: it goes on to the next value
        if ended == RunState.STOPPED:  # the user stopped it: the rest of the comparison is off
            self._vary_queue = []
            return self.show_message(self.tr("Comparison stopped; the runs trained so far stay in Runs."))
        if ended is not None:
            self.model.keep_live()
        config = self._vary_queue.pop(0)
        self.apply_config(config)
        if self.problem or self.model.live is None:
            self._vary_queue = []
            return
        self.model.rename(self.model.live, config.name)
        self.controller.start()

    # ---- refreshing ----
    def _refresh_all(self, force: bool = False) -> None:
        """Every view now; a hidden one (a closed dock, a tab behind another) only goes stale when forced."""
        self._pin_frame()
        for view in self.views:
            if not view.is_hidden():
                view.refresh(force)
            elif force:
                view.mark_stale()
        self._show_progress()

    def _refresh_next(self) -> None:
        """The next slots in ROUND with something new on screen, as many as fit in TICK_BUDGET_MS of this tick (at
        least one). Each round draws one frame: the newest step when it began, pinned for every view; progress and
        timeline follow at its end."""
        started = time.perf_counter()
        if self._turn == 0 and self.controller.state == RunState.RUNNING and \
                started - self._round_started < 1 / MAX_FRAMES_PER_S:
            return  # frames faster than the eye needs would only take CPU from the training process
        for _ in range(len(self._round)):
            if self._turn == 0:
                self._round_started = started
                self._pin_frame()
            views = self._round[self._turn]
            self._turn = (self._turn + 1) % len(self._round)
            drawn = [view for view in views if view.on_screen() and self._draw_held(view)]
            if self._turn == 0:
                self._show_progress()
                return  # the frame goes on screen now: the next round begins at the next tick
            if drawn and time.perf_counter() - started > TICK_BUDGET_MS / 1000:
                return

    def _pin_frame(self) -> None:
        """The step every view draws this round while following the newest state (only copied when it moved)."""
        run = self.model.current
        if run is None or run.history.snapshot_count() == 0:
            self.frame = None
        elif self.frame is None or self.frame.history is not run.history or self.frame.version != run.history.version:
            self.frame = Frame.newest(run.history)
        for view in self.views:
            view.pin(self.frame)

    def _draw_held(self, view) -> bool:
        """Refresh `view` in the round; True when it drew. The views draw one a tick but go on screen together, with
        the status bar and the timeline, when the round ends: no painted frame mixes two steps. Only a view about to
        change is held (`holds_frame`): releasing a view repaints all of it, and one with nothing new would repaint
        for nothing. A frame pinned anew within the round (a timeline move, a forced redraw) draws every view at
        once and releases them all."""
        if view.updatesEnabled() and view.holds_frame():
            view.setUpdatesEnabled(False)
            self._frozen.append(view)
        return view.refresh()

    def _show_progress(self) -> None:
        step = None if self.frame is None or self.model.shown is not None else self.frame.step
        self.timeline_bar.sync(step)
        self._show_status(step)
        self._release_frame()
        self.frame_drawn.emit()

    def _show_status(self, step: int | None = None) -> None:
        """The status bar names the step the views show: the frame's while following, else the timeline's (a replay
        or a scrubbed-back state), with the step training has reached beside it."""
        replayed = self.model.shown is not None
        if replayed:
            step = self.timeline_bar.shown_step
        self.status.update_progress(self.controller, self.model.current, self.is_following(self.model.current), step,
                                    replayed=replayed)

    def _release_frame(self) -> None:
        """Let the views held for this round's frame paint (a held widget renders nothing, not even into a file)."""
        for view in self._frozen:
            view.setUpdatesEnabled(True)  # repaints it
        self._frozen = []

    def _check_health(self) -> None:
        """Start a check of the current run on the worker (skipped while one still runs: the next tick comes)."""
        run = self.model.current
        if run is None or self.health_job.busy:
            return
        if self._health is None or self._health.run is not run:
            self._health = HealthMonitor(run)
        self.health_job.submit(run, self._health.check)

    def _health_checked(self, run, findings) -> None:
        if run is self.model.current:  # not the findings of a run shown before
            self.health_panel.show_findings(findings)

    def _health_failed(self, run, message: str) -> None:
        if run is self.model.current:
            self.show_message(self.tr("The health check failed: {0}").format(message), error=True)

    # ---- files ----
    def _ask_save(self, title: str, name: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, filters)
        return Path(path) if path else None

    def open_run(self, path: str | Path | None = None) -> None:
        """Open a run folder (or its run.json, or any run.json): with a history, every view shows the recorded run
        and its settings fill the panels; with settings only, they fill the panels."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open run"), "",
                                                  self.tr("Run folder's run.json (run.json *.json)"))
            if not path:
                return
        from ..core.run_folder import RUN_FILE, open_run

        path = Path(path)
        try:
            opened = open_run(path) if (path / RUN_FILE).exists() or path.name == RUN_FILE else \
                load_run_config(path)
        except ConfigError as e:
            return self.show_message(str(e), error=True)
        if isinstance(opened, RunConfig):
            self.apply_config(opened)
            return self.show_message(self.tr("Loaded the settings of {0}").format(path))
        if opened.config is not None:  # a run the studio can build trains again from its settings
            self.apply_config(opened.config)
        self.model.open(opened)
        follower = opened.follow()
        if follower.following:
            self._followers.append(follower)
            self.follow_timer.start()
        h = opened.history
        if opened.data_problem:  # the views that need the data say they have none
            text = self.tr("Opened {0} without its training data: {1}").format(opened.origin, opened.data_problem)
        else:
            text = self.tr("Opened {0}: {1} epochs, {2} steps recorded ({3})").format(
                opened.origin, len(h.epoch_data()["epoch"]), f"{int(h.snapshot_steps()[-1]):,}", follower.state)
        if opened.problems:  # damage skipped, each line saying so: the rest opened (docs/reliability.md)
            text = " · ".join([text, *opened.problems])
        self.show_message(text, error=bool(opened.data_problem or opened.problems))

    def _poll_followers(self) -> None:
        """Take in what the writers of followed folders have added; a folder that is gone or damaged stops being
        followed, and the views keep what they had."""
        from ..core.run_folder import RunFolderError

        for follower in list(self._followers):
            try:
                if not follower.folder.is_dir():
                    raise RunFolderError(self.tr("{0}: the folder is gone; the views keep what was read").format(
                        follower.folder))
                seen = len(follower.run.problems)
                follower.poll()
                if len(follower.run.problems) > seen:  # a damaged chunk, skipped: following goes on
                    self.show_message(" · ".join(follower.run.problems[seen:]), error=True)
            except RunFolderError as e:
                self._followers.remove(follower)
                self.show_message(str(e), error=True)
                continue
            if not follower.following:
                self._followers.remove(follower)
                self.show_message(self.tr("{0}: the recording {1}").format(follower.folder, state_name(follower.state)))
        if not self._followers:
            self.follow_timer.stop()

    def is_following(self, run) -> bool:
        return any(f.run is run for f in self._followers)

    def save_run_config(self, path: str | Path | None = None) -> None:
        path = path or self._ask_save(self.tr("Save run configuration"), "run.json", self.tr("JSON (*.json)"))
        if path:
            self._write(self._save_config_to, Path(path), self.tr("Saved {0}"))

    def _save_config_to(self, path: Path) -> Path:
        write_json(path, self.current_config().to_dict())
        return path

    def export_view(self, view, path: str | Path | None = None, width: int | None = None) -> None:
        """The view's figure (no controls) as PNG or SVG, `width` pixels wide (asked for when no path is given)."""
        if path is None:
            path = self._ask_save(self.tr("Export {0}").format(QCoreApplication.translate("Views", view.title)),
                                  f"{view.title.lower()}.png", self.tr("PNG (*.png);;SVG (*.svg)"))
            width, ok = (None, bool(path)) if not path else self._ask_width(view)
            if not ok:
                return
        if path:
            self._release_frame()
            self._write(lambda p: exports.export_view(view, view.title, p, width), Path(path))

    def _ask_width(self, view) -> tuple[int | None, bool]:
        from PySide6.QtWidgets import QInputDialog

        figure = exports.figure_of(view)
        choices = [(self.tr("As on screen ({0} × {1} px)").format(figure.width(), figure.height()), None)]
        choices += [(self.tr("{0} px wide (height in proportion)").format(w), w) for w in EXPORT_WIDTHS]
        text, ok = QInputDialog.getItem(self, self.tr("Export size"), self.tr("Image size:"),
                                        [c[0] for c in choices], 2, False)
        return dict(choices).get(text), ok

    def export_history(self, path: str | Path | None = None) -> None:
        run = self.model.current
        path = run and (path or self._ask_save(self.tr("Export weight history"), "history.npz",
                                               self.tr("NumPy archive (*.npz);;CSV (*.csv)")))
        if path:
            self._write(lambda p: exports.export_history(run, p), Path(path))

    def export_model(self, path: str | Path | None = None) -> None:
        run = self.model.current
        path = run and (path or self._ask_save(self.tr("Export trained model"), "model.pt",
                                               self.tr("PyTorch state_dict (*.pt)")))
        if path:
            self._write(lambda p: exports.export_model(run, p), Path(path))

    def _write(self, write, path: Path, done: str | None = None) -> None:
        """Run `write(path)` (which returns the path written); a file that cannot be written (a full disk, no
        permission) is said in the status bar, and the app goes on with nothing lost."""
        try:
            written = write(path)
        except OSError as e:
            return self.show_message(str(e) if isinstance(e, WriteError) else f"{path}: {e.strerror or e}",
                                     error=True)
        self.show_message((done or self.tr("Exported {0}")).format(written))

    def export_script(self, path: str | Path | None = None) -> None:
        """The current run's configuration as a training script (comments in the UI's language)."""
        from ..core.export import ExportError
        from ..core.export import export_script as write_script

        run = self.model.current
        path = run and (path or self._ask_save(self.tr("Export as PyTorch script"), "train_run.py",
                                               self.tr("Python script (*.py)")))
        if not path:
            return
        try:
            written = write_script(run.config, Path(path), dataset=run.dataset)
        except ExportError as e:
            return self.show_message(str(e), error=True)
        self.show_message(self.tr("Exported {0}: run it with python {1} --out DIR").format(
            ", ".join(str(p) for p in written), Path(path).name))

    # ---- layout, about, closing ----
    def _restore_layout(self) -> None:
        self._default_state = self.saveState()
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
            QTimer.singleShot(0, self._hide_stale_tab_bars)  # once the restored layout is in place
        else:
            QTimer.singleShot(0, self._apply_default_sizes)

    def restore_default_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
        self._apply_default_sizes()
        QTimer.singleShot(0, self._hide_stale_tab_bars)

    def about(self) -> None:
        import pyqtgraph
        import PySide6
        import torch

        QMessageBox.about(self, self.tr("About WeightStudio"), self.tr(
            "<b>WeightStudio {0}</b><p>Watch a neural network's weights move while it learns.</p>"
            "<p>PyTorch {1} · Qt {2} · PySide6 {3} · pyqtgraph {4}</p><p>MIT licence.</p>").format(
            __version__, torch.__version__, PySide6.QtCore.qVersion(), PySide6.__version__, pyqtgraph.__version__))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.refresh_timer.stop()
        self.follow_timer.stop()
        self.health_timer.stop()
        self.health_job.close()
        self.controller.close()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        super().closeEvent(event)
