"""The heatmap views: a weight matrix as an image, in one of three `HeatmapMode`s (its values, its change since
initialisation, its gradient). `HeatmapView` shows one parameter with choosers (and, for a large one, which
channels or rows: a `Window`); `HeatmapGridView` all of them, each from its first window."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .base import RunView
from .layout import header_row, make_layout_widget, small_label, view_layout
from .matrix import MatrixPlot, Window, axis_names, block_sizes, matrix_shape, window_at, window_starts
from .style import epoch_text, shape_text

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData


class HeatmapMode(str, Enum):
    """What a heatmap shows; the value is the text of the mode chooser."""

    VALUE = QT_TRANSLATE_NOOP("Views", "Value")
    CHANGE = QT_TRANSLATE_NOOP("Views", "Change since init (W − W₀)")
    GRADIENT = QT_TRANSLATE_NOOP("Views", "Gradient")

    __str__ = str.__str__

    @property
    def bar_label(self) -> str:
        return QCoreApplication.translate("Views", _BAR_LABEL[self])

    @property
    def title_word(self) -> str:
        return QCoreApplication.translate("Views", _TITLE_WORD[self])

    @property
    def text(self) -> str:
        """The chooser's text in the UI's language."""
        return QCoreApplication.translate("Views", self.value)

    @classmethod
    def named(cls, mode: str) -> HeatmapMode:
        """The mode whose chooser text is `mode`; KeyError naming the known ones otherwise."""
        try:
            return cls(mode)
        except ValueError:
            raise KeyError(f"unknown heatmap mode '{mode}' (known: {', '.join(m.value for m in cls)})") from None


_BAR_LABEL = {HeatmapMode.VALUE: QT_TRANSLATE_NOOP("Views", "weight value"), HeatmapMode.CHANGE: "W − W₀",
              HeatmapMode.GRADIENT: QT_TRANSLATE_NOOP("Views", "gradient")}
_TITLE_WORD = {HeatmapMode.VALUE: QT_TRANSLATE_NOOP("Views", "value"),
               HeatmapMode.CHANGE: QT_TRANSLATE_NOOP("Views", "change since init"),
               HeatmapMode.GRADIENT: QT_TRANSLATE_NOOP("Views", "gradient")}
NO_GRADIENT = QT_TRANSLATE_NOOP("Views", "no gradient yet")  # the message over a gradient image before the first step


class _MatrixView(RunView):
    """What both heatmap views share: the parameter values to show in a mode at the chosen time."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._w0: dict[str, np.ndarray] | None = None

    def _initial(self, run: RunData, name: str, rows) -> np.ndarray:
        key = (name, rows)
        if self._w0 is None:
            self._w0 = {}
        if key not in self._w0:
            self._w0[key] = run.param_values(name, 0, rows=rows)[1]  # the first snapshot is always kept
        return self._w0[key]

    def _values(self, run: RunData, name: str, mode: HeatmapMode, window: Window | None = None
                ) -> tuple[np.ndarray | None, str, tuple]:
        """(values or None, the 'at …' text, a cache key) for parameter `name` in `mode`: the rows `window`
        shows (all with None), shaped as `window.crop` expects them. Values and changes are those of the chosen
        snapshot, or the newest recorded (the live copy between epochs); the gradient is that of the chosen
        snapshot, or of the last one (gradients are only kept with snapshots). Only those rows of that parameter
        are read (`RunData.param_values`): a net of millions of weights costs what its shown channels cost."""
        h = run.history
        spe = max(1, h.steps_per_epoch)
        i = self._resolved_snapshot(run)
        rows = None
        if window is not None and len(h.shapes[name]) > 1:
            rows = (window.row0, window.row0 + window.rows)
        if mode is HeatmapMode.GRADIENT:
            j = h.snapshot_count() - 1 if i is None else i
            step, g = run.param_values(name, j, grad=True, rows=rows)
            at = QCoreApplication.translate("Views", "epoch {0}").format(epoch_text(step / spe)) + (
                QCoreApplication.translate("Views", " (last snapshot)") if i is None else "")
            return (g if np.isfinite(g).any() else None), at, (mode, j, step)
        step, v = run.param_values(name, i, rows=rows)
        if mode is HeatmapMode.CHANGE:
            v = v - self._initial(run, name, rows)
        return v, QCoreApplication.translate("Views", "epoch {0}").format(epoch_text(step / spe)), (mode, i, step)


class HeatmapView(_MatrixView):
    """One parameter at a time as an image: its values, its change since initialisation, or its gradient.

    Owns the layer chooser (QComboBox `heatmapLayerCombo`, every parameter with its shape), the mode chooser
    (QComboBox `heatmapModeCombo`: "Value", "Change since init (W − W₀)", "Gradient"), a `MatrixPlot` with its
    colour bar, and a hover label (objectName `heatmapHover`) naming the pixel under the mouse. In live mode the
    values are the newest recorded (the live copy between epochs), the gradient that of the last snapshot.
    Refreshed by the main window (~10 Hz); nothing is re-read when the shown state has not changed.
    """

    title = QT_TRANSLATE_NOOP("Views", "Heatmaps")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.layer_combo = QtWidgets.QComboBox()
        self.layer_combo.setObjectName("heatmapLayerCombo")
        self.layer_combo.setToolTip(self.tr("Which parameter to show"))
        small = QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon  # narrow docks: elide
        self.layer_combo.setSizeAdjustPolicy(small)
        self.layer_combo.setMinimumContentsLength(16)
        self.mode_combo = QtWidgets.QComboBox()
        self.mode_combo.setObjectName("heatmapModeCombo")
        for m in HeatmapMode:
            self.mode_combo.addItem(m.text, m.value)
        self.mode_combo.setSizeAdjustPolicy(small)
        self.mode_combo.setMinimumContentsLength(12)
        self.mode_combo.setToolTip(self.tr("Value: the weights. Change since init: W − W₀, what training has done. "
                                           "Gradient: ∂loss/∂W of the last step before the snapshot."))
        # Which part of a large parameter: output channels / rows, input channels / columns (hidden when all fit).
        self.rows_combo = QtWidgets.QComboBox()
        self.rows_combo.setObjectName("heatmapRowsCombo")
        self.cols_combo = QtWidgets.QComboBox()
        self.cols_combo.setObjectName("heatmapColsCombo")
        for combo in (self.rows_combo, self.cols_combo):
            combo.setSizeAdjustPolicy(small)
            combo.setMinimumContentsLength(18)
            combo.hide()
        self.hover_label = small_label()
        self.hover_label.setObjectName("heatmapHover")
        self.layout_widget = make_layout_widget()
        lay = view_layout(self)
        lay.addLayout(header_row(self.layer_combo, self.mode_combo, self.rows_combo, self.cols_combo,
                                 fill=self.hover_label))
        lay.addWidget(self.layout_widget, 1)
        self.matrix = MatrixPlot(self.layout_widget.ci)
        self.layout_widget.scene().sigMouseMoved.connect(self._mouse_moved)
        self.layer_combo.currentIndexChanged.connect(self._layer_changed)
        self.mode_combo.currentIndexChanged.connect(self._choice_changed)
        self.rows_combo.currentIndexChanged.connect(self._choice_changed)
        self.cols_combo.currentIndexChanged.connect(self._choice_changed)
        self._shown_key = None
        self._build(None)

    # ---- public API ----
    def current_param(self) -> str | None:
        return self.layer_combo.currentData()

    def set_param(self, name: str) -> None:
        i = self.layer_combo.findData(name)
        if i < 0:
            raise KeyError(f"no parameter '{name}' in this run")
        self.layer_combo.setCurrentIndex(i)

    def mode(self) -> HeatmapMode:
        return HeatmapMode(self.mode_combo.currentData())

    def set_mode(self, mode: HeatmapMode | str) -> None:
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(HeatmapMode.named(mode).value))

    def image(self) -> np.ndarray:
        """The float32 array currently shown (NaN in conv grid gaps and where there is no value)."""
        return self.matrix.data

    def window(self) -> Window | None:
        """The part of the parameter on show (all of a small one; the first channels or rows of a large one)."""
        return self.matrix.window

    def window_choices(self) -> tuple[list[str], list[str]]:
        """The texts of the rows and columns choosers (an empty list for one the parameter does not need)."""
        return tuple([c.itemText(i) for i in range(c.count())] if c.count() > 1 else []
                     for c in (self.rows_combo, self.cols_combo))

    def set_window(self, row0: int = 0, col0: int = 0) -> None:
        """Show the window starting at output channel / row `row0` and input channel / column `col0`; KeyError
        when no window starts there."""
        for combo, start in ((self.rows_combo, row0), (self.cols_combo, col0)):
            i = combo.findData(start)
            if i < 0:
                starts = [combo.itemData(j) for j in range(combo.count())]
                raise KeyError(f"no window starts at {start} (windows start at {starts})")
            combo.setCurrentIndex(i)

    def levels(self) -> tuple[float, float] | None:
        return self.matrix.levels()

    def message(self) -> str:
        """The text over the image ('no gradient yet'), or ''."""
        return self.matrix.message.toPlainText() if self.matrix.message.isVisible() else ""

    def describe(self, row: int, col: int) -> str | None:
        """Hover text for image pixel (row, col)."""
        return self.matrix.describe(row, col)

    def hover_text(self) -> str:
        return self.hover_label.text()

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        previous = self.current_param()
        self._w0 = None
        self._shown_key = None
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        if run is not None:
            for p in run.history.params:
                self.layer_combo.addItem(f"{p.name} ({shape_text(p.shape)})", p.name)
            i = self.layer_combo.findData(previous)
            self.layer_combo.setCurrentIndex(i if i >= 0 else 0)
        self.layer_combo.blockSignals(False)
        self._infos = {} if run is None else {p.name: p for p in run.history.params}
        self._fill_windows()
        self.matrix.reset_levels()
        if run is None:
            self.matrix.set_title(self.tr("Heatmap (no run)"))

    def _draw(self, run: RunData) -> None:
        name = self.current_param()
        if name is None:
            return
        info = self._infos[name]
        mode = self.mode()
        window = window_at(tuple(info.shape), self.rows_combo.currentData() or 0, self.cols_combo.currentData() or 0)
        values, at, key = self._values(run, name, mode, window)
        key = (name, window, key)
        if key == self._shown_key:
            return
        self._shown_key = key
        self.matrix.set_bar_label(mode.bar_label)
        self.matrix.set_title(self.tr("{0} ({1}): {2} at {3}").format(name, shape_text(info.shape), mode.title_word, at)
                              + _window_text(info.shape, window, getattr(info, "layer_kind", "")))
        no_gradient = values is None and mode is HeatmapMode.GRADIENT
        self.matrix.show(info, values, QCoreApplication.translate("Views", NO_GRADIENT) if no_gradient else "", window,
                         rows_only=True)

    def _fill_windows(self) -> None:
        """The rows and columns choosers for the current parameter, shown only when it needs more than one image."""
        info = self._infos.get(self.current_param())
        shape = tuple(info.shape) if info is not None else (1,)
        kind = getattr(info, "layer_kind", "") if info is not None else ""
        (rows, cols), starts, sizes = matrix_shape(shape), window_starts(shape), block_sizes(shape)
        for combo, first, size, total, what in zip((self.rows_combo, self.cols_combo), starts, sizes, (rows, cols),
                                                   axis_names(shape, kind)):
            combo.blockSignals(True)
            combo.clear()
            for start in first:
                combo.addItem(f"{what} {start}–{min(start + size, total) - 1}", start)
            combo.setToolTip(self.tr("Which {0} to show ({1} in all)").format(what, f"{total:,}"))
            combo.setVisible(len(first) > 1)
            combo.blockSignals(False)

    def _snapshot_changed(self) -> None:
        self.matrix.reset_levels()

    def _choice_changed(self, *_) -> None:
        self.matrix.reset_levels()
        self._shown_key = None
        self.hover_label.setText("")
        self._redraw()

    def _layer_changed(self, *_) -> None:
        self._fill_windows()
        self._choice_changed()

    def _mouse_moved(self, pos) -> None:
        self.hover_label.setText(self.matrix.describe_scene_pos(pos) or "")


class HeatmapGridView(_MatrixView):
    """Every weight matrix of a run at once (conv weights as kernel grids), one `MatrixPlot` per parameter.

    Used for the headless `heatmaps.png` figure (and usable as a dock). `include_biases` adds the bias rows.
    """

    title = QT_TRANSLATE_NOOP("Views", "All layers")

    def __init__(self, parent: QtWidgets.QWidget | None = None, include_biases: bool = False,
                 mode: HeatmapMode | str = HeatmapMode.VALUE, max_columns: int = 3):
        super().__init__(parent)
        self.include_biases = include_biases
        self.max_columns = max_columns
        self._mode = HeatmapMode.named(mode)
        self.layout_widget = make_layout_widget()
        lay = view_layout(self)
        lay.addWidget(self.layout_widget, 1)
        self.matrices: dict[str, MatrixPlot] = {}
        self._build(None)

    def set_mode(self, mode: HeatmapMode | str) -> None:
        self._mode = HeatmapMode.named(mode)
        for m in self.matrices.values():
            m.reset_levels()
        self._redraw()

    def images(self) -> dict[str, np.ndarray]:
        return {n: m.data for n, m in self.matrices.items()}

    def _build(self, run: RunData | None) -> None:
        self.layout_widget.clear()
        self.matrices = {}
        self._w0 = None
        if run is None:
            return
        params = [p for p in run.history.params if self.include_biases or not p.name.endswith(".bias")]
        cols = max(1, min(self.max_columns, len(params)))
        for i, p in enumerate(params):
            r, c = divmod(i, cols)
            self.matrices[p.name] = MatrixPlot(self.layout_widget.ci, r, c, title_size="10pt")

    def _draw(self, run: RunData) -> None:
        info = {p.name: p for p in run.history.params}
        for name, m in self.matrices.items():
            p = info[name]
            window = window_at(tuple(p.shape))
            values, at, _ = self._values(run, name, self._mode, window)
            m.set_bar_label(self._mode.bar_label)
            m.set_title(self.tr("{0} ({1}): {2}, {3}").format(name, shape_text(p.shape), self._mode.title_word, at)
                        + _window_text(p.shape, window, getattr(p, "layer_kind", "")))
            m.show(p, values, QCoreApplication.translate("Views", NO_GRADIENT) if values is None else "", window,
                   rows_only=True)

    def _snapshot_changed(self) -> None:
        for m in self.matrices.values():
            m.reset_levels()


def _window_text(shape, window: Window, kind: str) -> str:
    """' — output channels 0–15 of 512, input channels 0–15 of 256' when the image shows part of the parameter."""
    shape = tuple(shape)
    rows, cols = matrix_shape(shape)
    rows_name, cols_name = axis_names(shape, kind)
    parts = []
    if window.rows < rows:
        parts.append(QCoreApplication.translate("Views", "{0} {1}–{2} of {3}").format(
            rows_name, window.row0, window.row0 + window.rows - 1, f"{rows:,}"))
    if window.cols < cols:
        parts.append(QCoreApplication.translate("Views", "{0} {1}–{2} of {3}").format(
            cols_name, window.col0, window.col0 + window.cols - 1, f"{cols:,}"))
    return (" — " + ", ".join(parts)) if parts else ""
