"""The training bar: Start / Pause / Step / Reset / Stop, the preset chooser and the training settings.

The main window adds one `TrainingBar` as a toolbar and connects its `*_requested` signals to the controller; the
controller tells the bar what is going on with `set_state(...)`. The bar never changes its own state on a click:
it asks, the controller answers. Keyboard shortcuts (Space, Right, Ctrl+R) belong to the main window; the bar only
names them in its tooltips.
"""

from __future__ import annotations

from dataclasses import asdict, fields

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPoint, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)

from weightstudio.core.config import DEVICES, OPTIMIZERS, TrainSettings
from weightstudio.core.messages import translate as core_text
from weightstudio.core.presets import DEFAULT_PRESET, PRESETS
from weightstudio.core.tasks import LOSSES, RunState

from ..translation import TranslatedTable
from .widgets import ElidingComboBox, FloatSpinBox

OPTIMIZER_TITLES = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
STATE_HINTS = TranslatedTable("TrainingBar", {
    RunState.FINISHED: QT_TRANSLATE_NOOP("TrainingBar", "The run has finished. Raise Epochs to continue it, or Reset "
                                                        "(Ctrl+R) to train again from the same initial weights."),
    RunState.STOPPED: QT_TRANSLATE_NOOP("TrainingBar", "The run was stopped: Start continues it, Reset (Ctrl+R) "
                                                       "starts again from the same initial weights."),
    RunState.DIVERGED: QT_TRANSLATE_NOOP("TrainingBar", "The loss or a weight became NaN or infinite; the run holds. "
                                                        "Drag the timeline back to before the blow-up, lower the "
                                                        "learning rate and Start to train on from the weights shown, "
                                                        "or Reset (Ctrl+R)."),
    RunState.RUNNING: QT_TRANSLATE_NOOP("TrainingBar", "Training is running."),
    RunState.PAUSED: QT_TRANSLATE_NOOP("TrainingBar", "Training is paused."),
})
LR_RANGE = (1e-6, 1000.0)
COMPACT_WIDTH = 1280  # a bar narrower than this shows its run buttons as icons only
ACTIVE = (RunState.RUNNING, RunState.PAUSED)  # a run is training: its settings are locked
WATCH_SECONDS = 6.0  # the default pace spreads a run over about this long, as the seed's plt.pause did
# Epochs per second of the speed chooser: None is "as fast as the machine goes", 0 the watchable default.
SPEEDS = (0, None, 0.5, 1, 2, 5, 10, 20, 50, 100)


class _SettingsPopup(QFrame):
    """The "More…" settings: a small popup window (keyboard friendly, unlike widgets inside a QMenu)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("moreSettingsPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(10, 8, 10, 8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def add_field(self, label: str, widget: QWidget) -> None:
        lab = QLabel(label, self)
        lab.setBuddy(widget)
        lab.setToolTip(widget.toolTip())
        self.form.addRow(lab, widget)
        widget.setMinimumWidth(110)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close()
            return
        super().keyPressEvent(event)


class TrainingBar(QToolBar):
    """Run controls and training settings for the main window's toolbar area.

    Owns no run: clicks become `start_requested`, `pause_requested`, `resume_requested`, `step_requested`,
    `reset_requested`, `stop_requested`; picking a preset emits `preset_chosen(name)`. Any user change of a
    setting emits `settings_changed()`; a learning-rate change also emits `lr_changed(lr)`, and the learning rate
    stays editable while training runs so the controller can pass it on live. `set_settings` and `set_preset`
    emit nothing.
    """

    start_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    step_requested = Signal()
    reset_requested = Signal()
    stop_requested = Signal()
    preset_chosen = Signal(str)
    lr_changed = Signal(float)
    settings_changed = Signal()
    speed_changed = Signal()  # training pace and replay speed; read `epochs_per_second`
    problem = Signal(str)  # a value typed out of range, said in one line

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Training"), parent)
        self.setObjectName("trainingBar")
        self.setIconSize(QSize(16, 16))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._state = RunState.READY
        self._blocked: str | None = None
        self._build_run_buttons()
        self.speed_combo = self._build_speed_combo()
        self.addSeparator()
        self.preset_combo = self._build_preset_combo()
        self.addWidget(self.preset_combo)
        self.addSeparator()
        self._build_settings()
        self._build_more()
        self._settings_widgets = [self.epochs_spin, self.optimizer_combo, self.loss_combo, self.batch_spin,
                                  self.seed_spin, self.momentum_spin, self.nesterov_check, self.weight_decay_spin,
                                  self.l1_spin, self.device_combo]
        self.set_settings(TrainSettings())
        self.set_preset(DEFAULT_PRESET)
        self.set_state(RunState.READY)

    # ------------------------------------------------------------------ public API
    def settings(self) -> dict:
        """The TrainSettings fields as the widgets show them (batch "all" → None)."""
        optimizer = self.optimizer_combo.currentData()
        momentum = self.momentum_spin.value()
        return {
            "loss": self.loss_combo.currentData(),
            "optimizer": optimizer,
            "lr": self.lr_spin.value(),
            "momentum": momentum,
            # Nesterov is only valid for SGD with momentum; the check box may stay ticked for later.
            "nesterov": self.nesterov_check.isChecked() and optimizer == "sgd" and momentum > 0,
            "weight_decay": self.weight_decay_spin.value(),
            "l1": self.l1_spin.value(),
            "batch_size": self.batch_spin.value() or None,
            "epochs": self.epochs_spin.value(),
            "seed": self.seed_spin.value(),
            "device": self.device_combo.currentData(),
        }

    def train_settings(self) -> TrainSettings:
        """`settings()` as a TrainSettings."""
        return TrainSettings(**self.settings())

    def set_settings(self, ts: TrainSettings | dict) -> None:
        """Show `ts` in the widgets without emitting any signal."""
        if isinstance(ts, dict):
            ts = TrainSettings(**{f.name: ts[f.name] for f in fields(TrainSettings) if f.name in ts})
        values = asdict(ts)
        blockers = [QSignalBlocker(w) for w in (*self._settings_widgets, self.lr_spin)]
        try:
            self.epochs_spin.setValue(int(values["epochs"]))
            self.lr_spin.setValue(float(values["lr"]))
            self._select(self.optimizer_combo, values["optimizer"])
            self._select(self.loss_combo, values["loss"])
            self.batch_spin.setValue(0 if values["batch_size"] is None else int(values["batch_size"]))
            self.seed_spin.setValue(int(values["seed"]))
            self.momentum_spin.setValue(float(values["momentum"]))
            self.nesterov_check.setChecked(bool(values["nesterov"]))
            self.weight_decay_spin.setValue(float(values["weight_decay"]))
            self.l1_spin.setValue(float(values["l1"]))
            self._select(self.device_combo, values["device"])
        finally:
            for blocker in blockers:
                blocker.unblock()
        self._update_dependent()

    def set_preset(self, name: str) -> None:
        """Show preset `name` as chosen, without emitting `preset_chosen`."""
        i = self.preset_combo.findData(name)
        if i >= 0:
            with QSignalBlocker(self.preset_combo):
                self.preset_combo.setCurrentIndex(i)
            self._update_preset_tip()

    def preset(self) -> str:
        return self.preset_combo.currentData()

    def set_speed(self, speed: float | None) -> None:
        """Choose a speed of SPEEDS (0 the watchable default, None max); emits `speed_changed`."""
        self.speed_combo.setCurrentIndex(SPEEDS.index(speed))

    def epochs_per_second(self, epochs: int) -> float | None:
        """The chosen speed for a run of `epochs` epochs: epochs per second, None for as fast as possible."""
        speed = self.speed_combo.currentData()
        return max(epochs, 1) / WATCH_SECONDS if speed == 0 else speed

    def set_state(self, state: str) -> None:
        """Enable what makes sense in `state` (a `RunState`: "ready", "running", "paused", "finished", "stopped",
        "diverged"). Reset is available in every state but "ready" (the controller stops a running run first)."""
        try:
            state = RunState(state)
        except ValueError:
            raise ValueError(f"unknown state {state!r}; known: {', '.join(RunState)}") from None
        self._state = state
        active = state in ACTIVE
        ready = state == RunState.READY
        # A stopped run (or a finished one given more epochs) goes on, and so does a diverged one, from its last
        # finite weights.
        resumable = ready or state in (RunState.STOPPED, RunState.DIVERGED)
        self.start_button.setEnabled(resumable and self._blocked is None)
        self.pause_button.setEnabled(active)
        self._show_pause(state == RunState.PAUSED)
        self.step_button.setEnabled(state == RunState.PAUSED or (resumable and self._blocked is None))
        self.reset_button.setEnabled(not ready)
        self.stop_button.setEnabled(active)
        for w in self._settings_widgets:
            w.setEnabled(not active)
        self.preset_combo.setEnabled(not active)
        self._update_start_tip()
        self._update_dependent()

    def _show_pause(self, paused: bool) -> None:
        """The pause button is a Resume button while paused."""
        self.pause_button.setChecked(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause))
        self.pause_button.setToolTip(self.tr("Resume training (Space)") if paused else
                                     self.tr("Pause training (Space)"))

    def set_start_blocked(self, reason: str | None) -> None:
        """Disable Start (and Step from "ready") with `reason` in the tooltip; None unblocks."""
        self._blocked = reason or None
        self.set_state(self._state)

    def show_more(self) -> None:
        """Open the "More…" settings popup under its button."""
        self.more_popup.adjustSize()
        pos = self.more_button.mapToGlobal(QPoint(0, self.more_button.height()))
        self.more_popup.move(pos)
        self.more_popup.show()
        self.momentum_spin.setFocus() if self.momentum_spin.isEnabled() else self.weight_decay_spin.setFocus()

    # ------------------------------------------------------------------ building
    def _build_run_buttons(self) -> None:
        sp = QStyle.StandardPixmap
        self.start_button = self._button("startButton", self.tr("Start"), sp.SP_MediaPlay, self.start_requested.emit)
        self.pause_button = self._button("pauseButton", self.tr("Pause"), sp.SP_MediaPause, self._pause_clicked)
        self.pause_button.setCheckable(True)
        self.pause_button.setText(self.tr("Resume"))  # wide enough for both texts, so the bar does not jump
        self._pause_width = self.pause_button.sizeHint().width()
        self.pause_button.setMinimumWidth(self._pause_width)
        self.step_button = self._button("stepButton", self.tr("Step"), sp.SP_MediaSkipForward,
                                        self.step_requested.emit)
        self.reset_button = self._button("resetButton", self.tr("Reset"), sp.SP_BrowserReload,
                                         self.reset_requested.emit)
        self.stop_button = self._button("stopButton", self.tr("Stop"), sp.SP_MediaStop, self.stop_requested.emit)
        self.step_button.setToolTip(self.tr("Step: train one epoch, then pause (Right)"))
        self.reset_button.setToolTip(self.tr("Reset: back to the same initial weights for this seed, history cleared "
                                             "(Ctrl+R)"))
        self.stop_button.setToolTip(self.tr("Stop: end the run (its history stays for inspection; Reset to train "
                                            "again)"))

    def _build_speed_combo(self) -> QComboBox:
        """How fast training (and the timeline's replay) goes: watchable by default, Max one click away."""
        combo = QComboBox(self)
        combo.setObjectName("speedCombo")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for speed in SPEEDS:
            if speed == 0:
                text = self.tr("Watch")
            elif speed is None:
                text = self.tr("Max")
            else:
                text = self.tr("{0} epoch/s").format(f"{speed:g}")
            combo.addItem(text, speed)
        combo.setToolTip(self.tr("Speed of training and of replay: Watch spreads a run over about {0:g} s, Max "
                                 "trains as fast as the machine can; the others are epochs per second").format(
            WATCH_SECONDS))
        combo.setAccessibleName(self.tr("Speed"))
        combo.currentIndexChanged.connect(lambda _index: self.speed_changed.emit())
        self.addWidget(combo)
        return combo

    def _build_preset_combo(self) -> ElidingComboBox:
        combo = ElidingComboBox(self)
        combo.setObjectName("presetCombo")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)  # with the speed chooser, the bar fits a 1366-pixel window
        widest = 0
        for name, preset in PRESETS.items():
            combo.addItem(core_text(preset.title), name)
            combo.setItemData(combo.count() - 1, core_text(preset.description), Qt.ItemDataRole.ToolTipRole)
            widest = max(widest, combo.fontMetrics().horizontalAdvance(core_text(preset.title)))
        combo.view().setMinimumWidth(widest + 40)  # the drop-down shows whole titles
        combo.activated.connect(self._preset_activated)
        combo.currentIndexChanged.connect(self._update_preset_tip)
        return combo

    def _build_settings(self) -> None:
        """Epochs, learning rate, optimizer, loss, batch and seed, each with its label, on the bar itself."""
        self.epochs_spin = self._spin("epochsSpin", 1, 1_000_000, self.tr("Epochs"),
                                      self.tr("Number of passes over the training set"))
        # Up to 1000: what a far too high rate does (5, 50, 500) is a classic exercise.
        self.lr_spin = FloatSpinBox(self, minimum=LR_RANGE[0], maximum=LR_RANGE[1], value=0.01, log_steps=True)
        self.lr_spin.setObjectName("lrSpin")
        self.lr_spin.clamped.connect(lambda typed, kept: self.problem.emit(self.tr(
            "LR: {0:g} is out of range ({1:g} … {2:g}); the learning rate is {3:g}").format(typed, *LR_RANGE, kept)))
        self._compact(self.lr_spin, 7)
        self._field(self.tr("LR"), self.lr_spin, self.tr("Learning rate (1e-6 … 1000). Arrows step 1-2-5 (0.01 → "
                                                         "0.02 → 0.05); type scientific notation such as 3e-4. Can "
                                                         "be changed while training."))
        self.lr_spin.valueChanged.connect(self._lr_edited)
        self.optimizer_combo = self._combo("optimizerCombo", self.tr("Optimizer"),
                                           [(k, OPTIMIZER_TITLES.get(k, k), core_text(d))
                                            for k, d in OPTIMIZERS.items()])
        self.loss_combo = self._combo("lossCombo", self.tr("Loss"),
                                      [(loss.name, core_text(loss.title), core_text(loss.description))
                                       for loss in LOSSES.values()])
        self.batch_spin = self._spin("batchSpin", 0, 10_000_000, self.tr("Batch"),
                                     self.tr("Samples per step; “all” = the whole training set in one batch "
                                             "(one step per epoch)"))
        self.batch_spin.setSpecialValueText(self.tr("all"))
        self.seed_spin = self._spin("seedSpin", 0, 2**31 - 1, self.tr("Seed"),
                                    self.tr("Random seed: the same seed gives the same initial weights, data and "
                                            "batches"),
                                    chars=7)

    def _build_more(self) -> None:
        """The "More…" button and its popup: momentum, Nesterov, L2, L1, device."""
        self.more_button = QToolButton(self)
        self.more_button.setObjectName("moreButton")
        self.more_button.setText(self.tr("More…"))
        self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.more_button.clicked.connect(self.show_more)
        self.addWidget(self.more_button)
        self.more_popup = _SettingsPopup(self)
        popup = self.more_popup
        self.momentum_spin = self._popup_spin("momentumSpin", 0.999,
                                              self.tr("SGD momentum (0 = plain SGD; 0.9 is common)"), step=0.05)
        self.nesterov_check = QCheckBox(self.tr("Nesterov momentum"), popup)
        self.nesterov_check.setObjectName("nesterovCheck")
        self.nesterov_check.setToolTip(self.tr("Nesterov's look-ahead momentum (SGD with momentum > 0 only)"))
        self.nesterov_check.toggled.connect(self._setting_edited)
        self.weight_decay_spin = self._popup_spin("weightDecaySpin", 1.0, self.tr("L2 weight decay: pulls every weight "
                                                  "towards 0 (1e-4 is common)"), log_steps=True)
        self.l1_spin = self._popup_spin("l1Spin", 1.0, self.tr("L1 penalty on the weights: drives small weights to "
                                        "exactly 0 (sparsity)"), log_steps=True)
        self.device_combo = QComboBox(popup)
        self.device_combo.setObjectName("deviceCombo")
        for device in DEVICES:
            self.device_combo.addItem(device, device)
        self.device_combo.setToolTip(self.tr("Where the network trains (cuda needs an NVIDIA GPU and a CUDA build of "
                                             "torch)"))
        self.device_combo.currentIndexChanged.connect(self._setting_edited)
        for label, w in ((self.tr("Momentum"), self.momentum_spin), ("", self.nesterov_check),
                         (self.tr("Weight decay (L2)"), self.weight_decay_spin), ("L1", self.l1_spin),
                         (self.tr("Device"), self.device_combo)):
            popup.add_field(label, w)

    def _popup_spin(self, name: str, maximum: float, tip: str, **kwargs) -> FloatSpinBox:
        spin = FloatSpinBox(self.more_popup, minimum=0.0, maximum=maximum, **kwargs)
        spin.setObjectName(name)
        spin.setToolTip(tip)
        spin.valueChanged.connect(self._setting_edited)
        return spin

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_width(event.size().width())

    def _fit_width(self, width: int) -> None:
        """Below COMPACT_WIDTH (a projector's 1024 px) the run buttons drop their text (icon and tooltip stay), so
        Batch, Seed and More… stay on the bar instead of behind its » menu."""
        style = Qt.ToolButtonStyle.ToolButtonIconOnly if width < COMPACT_WIDTH else \
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        for b in (self.start_button, self.pause_button, self.step_button, self.reset_button, self.stop_button):
            if b.toolButtonStyle() != style:
                b.setToolButtonStyle(style)
        self.pause_button.setMinimumWidth(0 if width < COMPACT_WIDTH else self._pause_width)
        # The combos' texts elide (their tooltips have them whole): the room goes to the settings.
        for combo, narrow in ((self.preset_combo, 100), (self.speed_combo, 80), (self.loss_combo, 100)):
            combo.setMaximumWidth(narrow if width < COMPACT_WIDTH else 16_777_215)

    def _button(self, name: str, text: str, icon, slot) -> QToolButton:
        b = QToolButton(self)
        b.setObjectName(name)
        b.setText(text)
        b.setIcon(self.style().standardIcon(icon))
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        b.setAutoRaise(True)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        b.setAccessibleName(text)
        b.clicked.connect(slot)
        self.addWidget(b)
        return b

    def _field(self, label: str, widget: QWidget, tip: str) -> None:
        lab = QLabel(label, self)
        lab.setBuddy(widget)
        lab.setToolTip(tip)
        lab.setContentsMargins(4, 0, 2, 0)
        widget.setToolTip(tip)
        widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.addWidget(lab)
        self.addWidget(widget)

    def _compact(self, widget: QWidget, chars: int) -> None:
        """Room for `chars` digits plus the arrows: the bar must fit a 1366-pixel-wide window."""
        widget.setFixedWidth(widget.fontMetrics().horizontalAdvance("0" * chars) + 26)

    def _spin(self, name: str, lo: int, hi: int, label: str, tip: str, chars: int = 5) -> QSpinBox:
        spin = QSpinBox(self)
        self._compact(spin, chars)
        spin.setObjectName(name)
        spin.setRange(lo, hi)
        spin.setKeyboardTracking(False)
        spin.setAccelerated(True)
        spin.valueChanged.connect(self._setting_edited)
        self._field(label, spin, tip)
        return spin

    def _combo(self, name: str, label: str, choices: list[tuple[str, str, str]]) -> QComboBox:
        """A combo of (key, title, description) choices; its tooltip lists them all."""
        combo = QComboBox(self)
        combo.setObjectName(name)
        for key, title, description in choices:
            combo.addItem(title, key)
            combo.setItemData(combo.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        combo.currentIndexChanged.connect(self._setting_edited)
        combo.setToolTip(f"{label}: " + "; ".join(f"{title}: {description}" for _key, title, description in choices))
        combo.setAccessibleName(label)
        self.addWidget(combo)
        return combo

    def disable_missing_devices(self) -> None:
        """Grey out `cuda` where torch has no GPU. Called by the window once torch has loaded (it takes seconds)."""
        try:
            import torch

            has_cuda = torch.cuda.is_available()
        except (ImportError, OSError, RuntimeError):  # a broken CUDA setup (driver, libraries) must not stop the GUI
            has_cuda = False
        if not has_cuda:
            i = self.device_combo.findData("cuda")
            if i >= 0:
                item = self.device_combo.model().item(i)
                item.setEnabled(False)
                item.setToolTip(self.tr("No CUDA GPU available to this torch build"))

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        i = combo.findData(key)
        if i < 0:
            raise ValueError(f"{combo.objectName()}: unknown value {key!r}")
        combo.setCurrentIndex(i)

    # ------------------------------------------------------------------ reactions
    def _pause_clicked(self) -> None:
        # The controller decides the state; until it answers, the button shows what it showed before.
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(self._state == RunState.PAUSED)
        if self._state == RunState.PAUSED:
            self.resume_requested.emit()
        elif self._state == RunState.RUNNING:
            self.pause_requested.emit()

    def _preset_activated(self, index: int) -> None:
        self.preset_chosen.emit(self.preset_combo.itemData(index))

    def _update_preset_tip(self, *_args) -> None:
        i = self.preset_combo.currentIndex()
        desc = self.preset_combo.itemData(i, Qt.ItemDataRole.ToolTipRole) if i >= 0 else ""
        self.preset_combo.setToolTip(self.tr("Preset: a ready-made model, data set and settings.\n\n{0}").format(desc))

    def _lr_edited(self, value: float) -> None:
        self.lr_changed.emit(float(value))
        self.settings_changed.emit()

    def _setting_edited(self, *_args) -> None:
        self._update_dependent()
        self.settings_changed.emit()

    def _update_dependent(self) -> None:
        """Momentum and Nesterov only mean something for SGD; show that instead of silently ignoring them."""
        unlocked = self._state not in ACTIVE
        sgd = self.optimizer_combo.currentData() == "sgd"
        self.momentum_spin.setEnabled(unlocked and sgd)
        self.nesterov_check.setEnabled(unlocked and sgd and self.momentum_spin.value() > 0)
        changed = [text for text, on in (
            (self.tr("momentum {0}").format(f"{self.momentum_spin.value():g}"), sgd and self.momentum_spin.value() > 0),
            ("Nesterov", self.settings()["nesterov"]),
            (f"L2 {self.weight_decay_spin.value():g}", self.weight_decay_spin.value() > 0),
            (f"L1 {self.l1_spin.value():g}", self.l1_spin.value() > 0),
            (self.device_combo.currentData(), self.device_combo.currentData() != "cpu"),
        ) if on]
        font = self.more_button.font()
        font.setBold(bool(changed))
        self.more_button.setFont(font)
        now = ", ".join(changed) if changed else self.tr("all off, cpu")
        self.more_button.setToolTip(self.tr("More settings: momentum, Nesterov, weight decay (L2), L1, device.\nNow: "
                                            "{0}").format(now))

    def _update_start_tip(self) -> None:
        if self._blocked:
            tip = self.tr("Cannot start: {0}").format(self._blocked)
        elif self._state == RunState.READY:
            tip = self.tr("Start training (Space)")
        else:
            tip = self.tr("Start training (Space). {0}").format(STATE_HINTS.get(self._state, ""))
        self.start_button.setToolTip(tip)
        if self._blocked and self._state == RunState.READY:
            self.step_button.setToolTip(self.tr("Cannot step: {0}").format(self._blocked))
        else:
            self.step_button.setToolTip(self.tr("Step: train one epoch, then pause (Right)"))
