"""Small editors shared by the panels: a float spin box that shows `1e-05` instead of `0.00001`, an init-scheme
editor, and the warning/error label style.

Used by `LayerEditor` (init arguments, slopes), `ArchitecturePanel` (the styles), `TrainingBar` (learning rate,
L2, L1) and `DataPanel` (noise, slope).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QPaintEvent, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from weightstudio.core.spec import INIT_SCHEMES, MATRIX_ONLY_SCHEMES, InitSpec

from ..translation import TranslatedTable

# One colour for every inline problem message, readable on light and dark palettes alike.
ERROR_STYLE = "QLabel { color: #c62828; }"
ERROR_BACKGROUND = "#f8d7da"
HINT_STYLE = "QLabel { color: palette(placeholder-text); }"

INIT_DESCRIPTIONS = TranslatedTable("InitEditor", {
    "default": QT_TRANSLATE_NOOP("InitEditor", "PyTorch's own initialisation for this layer (Kaiming-uniform with a "
                                               "= √5 for the weight)"),
    "normal": QT_TRANSLATE_NOOP("InitEditor", "Draw from a normal distribution N(mean, std²)"),
    "uniform": QT_TRANSLATE_NOOP("InitEditor", "Draw uniformly from [a, b]"),
    "zeros": QT_TRANSLATE_NOOP("InitEditor", "All zeros (every unit starts identical: symmetric, so hidden units "
                                             "learn the same thing)"),
    "constant": QT_TRANSLATE_NOOP("InitEditor", "Every entry set to one value"),
    "xavier_uniform": QT_TRANSLATE_NOOP("InitEditor", "Xavier/Glorot uniform: keeps the variance of activations "
                                                      "steady for tanh/sigmoid"),
    "xavier_normal": QT_TRANSLATE_NOOP("InitEditor", "Xavier/Glorot normal: keeps the variance of activations "
                                                     "steady for tanh/sigmoid"),
    "kaiming_uniform": QT_TRANSLATE_NOOP("InitEditor", "Kaiming/He uniform for ReLU networks (fan-in)"),
    "kaiming_normal": QT_TRANSLATE_NOOP("InitEditor", "Kaiming/He normal for ReLU networks (fan-in)"),
})
INIT_ARG_TIPS = TranslatedTable("InitEditor", {
    "mean": QT_TRANSLATE_NOOP("InitEditor", "Mean of the normal distribution"),
    "std": QT_TRANSLATE_NOOP("InitEditor", "Standard deviation of the normal distribution"),
    "a": QT_TRANSLATE_NOOP("InitEditor", "Lower bound of the uniform range"),
    "b": QT_TRANSLATE_NOOP("InitEditor", "Upper bound of the uniform range"),
    "value": QT_TRANSLATE_NOOP("InitEditor", "The value every entry starts at"),
    "gain": QT_TRANSLATE_NOOP("InitEditor", "Scaling factor (√2 for ReLU, 5/3 for tanh, 1 for linear/sigmoid)"),
})


class FloatSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox that shows the shortest exact form (`0.01`, `1e-05`) and accepts typed scientific notation.

    With `log_steps=True` the arrows walk a 1-2-5 ladder (…, 0.001, 0.002, 0.005, 0.01, …), which suits
    learning rates and regularisation strengths spanning many decades; otherwise they add `singleStep()`.
    Keyboard tracking is off: `valueChanged` fires on Enter, focus-out and arrow steps, not per keystroke.
    """

    clamped = Signal(float, float)  # a typed value out of range (typed, kept): the owner says so

    def __init__(self, parent: QWidget | None = None, *, minimum: float = 0.0, maximum: float = 1.0,
                 step: float = 0.1, value: float = 0.0, log_steps: bool = False):
        super().__init__(parent)
        self._log_steps = log_steps
        self.setDecimals(12)  # the value is never rounded to something the user did not type
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.setValue(value)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return f"{value:.12g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):  # noqa: D102
        s = text.strip()
        if s in ("", "-", "+", ".", "-.", "+.") or s.lower().endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate
        try:
            v = float(s)
        except ValueError:
            return QValidator.State.Invalid
        if not math.isfinite(v):
            return QValidator.State.Invalid
        if self.minimum() <= v <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate

    def fixup(self, text: str) -> str:
        try:
            v = float(text.strip())
        except ValueError:
            return self.textFromValue(self.value())
        kept = min(max(v, self.minimum()), self.maximum())
        if kept != v and math.isfinite(v):  # never silently: the user typed something else
            self.clamped.emit(v, kept)
        return self.textFromValue(kept)

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if not self._log_steps:
            super().stepBy(steps)
            return
        v = self.value()
        for _ in range(abs(steps)):
            v = _ladder(v, up=steps > 0)
        self.setValue(min(max(v, self.minimum()), self.maximum()))
        self.selectAll()


def _ladder(v: float, up: bool) -> float:
    """The next value on the 1-2-5 ladder above (or below) `v`."""
    if v <= 0:
        return 1e-6 if up else 0.0
    exp = math.floor(math.log10(v))
    candidates = [m * 10.0 ** e for e in (exp - 1, exp, exp + 1) for m in (1, 2, 5)]
    candidates = [float(f"{c:.6g}") for c in candidates]
    if up:
        return min(c for c in candidates if c > v * (1 + 1e-9))
    return max(c for c in candidates if c < v * (1 - 1e-9))


class ElidingComboBox(QComboBox):
    """A combo box that ends a long current text with "…" instead of cutting it mid-letter; the drop-down list
    still shows whole texts (give its view a minimum width)."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        room = field.width() - (opt.iconSize.width() + 4 if not opt.currentIcon.isNull() else 0)
        opt.currentText = self.fontMetrics().elidedText(opt.currentText, Qt.TextElideMode.ElideRight, room)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)


class InitEditor(QWidget):
    """Edits one `InitSpec`: a scheme combo and a spin box per argument of that scheme. Emits `changed` on user edits.

    `for_bias=True` leaves out the schemes that need a matrix (Xavier, Kaiming), which PyTorch refuses for a
    1-D bias.
    """

    changed = Signal()

    def __init__(self, what: str, for_bias: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._what = what
        self._what_text = {"weight": self.tr("weight"), "bias": self.tr("bias")}.get(what, what)
        self._spins: dict[str, FloatSpinBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"{what}InitCombo")
        for scheme in INIT_SCHEMES:
            if for_bias and scheme in MATRIX_ONLY_SCHEMES:
                continue
            self.combo.addItem(scheme, scheme)
            self.combo.setItemData(self.combo.count() - 1, INIT_DESCRIPTIONS.get(scheme, scheme),
                                   Qt.ItemDataRole.ToolTipRole)
        self.combo.setToolTip(self.tr("How the {0} starts before training (same seed → same initial weights)").format(
            self._what_text))
        self.combo.currentIndexChanged.connect(self._scheme_changed)
        layout.addWidget(self.combo)
        self._args_row = QWidget(self)
        self._args_layout = QHBoxLayout(self._args_row)
        self._args_layout.setContentsMargins(0, 0, 0, 0)
        self._args_layout.setSpacing(4)
        layout.addWidget(self._args_row)
        self._rebuild_args(InitSpec())

    def set_init(self, init: InitSpec) -> None:
        """Show `init` without emitting `changed`."""
        self.blockSignals(True)
        try:
            i = self.combo.findData(init.scheme)
            if i < 0:  # a scheme this editor does not offer (a hand-written file): show it anyway
                self.combo.addItem(init.scheme, init.scheme)
                i = self.combo.count() - 1
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(i)
            self.combo.blockSignals(False)
            self._rebuild_args(init)
        finally:
            self.blockSignals(False)

    def init(self) -> InitSpec:
        scheme = self.combo.currentData()
        return InitSpec(scheme, {name: spin.value() for name, spin in self._spins.items()})

    def _scheme_changed(self) -> None:
        scheme = self.combo.currentData()
        self.combo.setToolTip(self.tr("{0} init: {1}").format(self._what_text.capitalize(),
                                                              INIT_DESCRIPTIONS.get(scheme, scheme)))
        self._rebuild_args(InitSpec(scheme, dict(INIT_SCHEMES.get(scheme, {}))))
        self.changed.emit()

    def _rebuild_args(self, init: InitSpec) -> None:
        while self._args_layout.count():
            item = self._args_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self._spins = {}
        args = {**INIT_SCHEMES.get(init.scheme, {}), **init.args}
        for name, value in args.items():
            label = QLabel(name, self._args_row)
            spin = FloatSpinBox(self._args_row, minimum=-1e6 if name != "std" else 0.0, maximum=1e6,
                                step=0.01 if name != "gain" else 0.1, value=float(value))
            spin.setObjectName(f"{self._what}Init_{name}")
            spin.setToolTip(INIT_ARG_TIPS.get(name, name))
            spin.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            spin.setMinimumWidth(56)
            label.setBuddy(spin)
            label.setToolTip(spin.toolTip())
            spin.valueChanged.connect(self.changed)
            self._args_layout.addWidget(label)
            self._args_layout.addWidget(spin, 1)
            self._spins[name] = spin
        self._args_row.setVisible(bool(args))
        self.combo.setToolTip(self.tr("{0} init: {1}").format(self._what_text.capitalize(),
                                                              INIT_DESCRIPTIONS.get(init.scheme, init.scheme)))

