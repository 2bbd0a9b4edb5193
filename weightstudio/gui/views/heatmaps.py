"""The heatmap views: a weight matrix as an image, in one of three `HeatmapMode`s (its values, its change since
initialisation, its gradient). `HeatmapView` shows one parameter with choosers (and, for a large one, which
channels or rows: a `Window`), and the same parameter of every compared run beside it on one colour scale;
`HeatmapGridView` all of them, each from its first window.

Colour scales (issue 9, finding 3): by default one scale per parameter and mode for the whole run, ±the largest
|value| recorded so far, growing only, so scrubbing the timeline compares like with like and untrained kernels do
not look more saturated than trained ones. "Per step" refits to the state on show."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from weightstudio.core.series import nice_ceiling

from .base import RunView
from .layout import header_row, make_layout_widget, small_label, view_layout
from .matrix import MatrixPlot, Window, axis_names, block_sizes, matrix_shape, peak, window_at, window_starts
from .overlays import Overlay, colour_hex, overlay_snapshot, overlays_of, short_labels
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


MIN_CELL = 270  # pixels a compared run's image needs across, with its axis, title and colour bar
COMBO_MIN_WIDTH = 90  # pixels: how narrow the mode and scale choosers may get in a narrow dock


class HeatmapScale(str, Enum):
    """How a heatmap's colour scale is chosen; the value is the text of the scale chooser."""

    RUN = QT_TRANSLATE_NOOP("Views", "Scale: whole run")
    STEP = QT_TRANSLATE_NOOP("Views", "Scale: per step")

    __str__ = str.__str__

    @property
    def text(self) -> str:
        """The chooser's text in the UI's language."""
        return QCoreApplication.translate("Views", self.value)


class _MatrixView(RunView):
    """What both heatmap views share: the parameter values to show in a mode at the chosen time."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._w0: dict[tuple, np.ndarray] | None = None
        self._peaks: dict[tuple, tuple[int, float]] = {}  # (run id, name, mode, rows) → (snapshots seen, peak)

    def _initial(self, run: RunData, name: str, rows) -> np.ndarray:
        key = (id(run), name, rows)  # id: RunData is a dataclass, so not hashable; cleared with the runs
        if self._w0 is None:
            self._w0 = {}
        if key not in self._w0:
            self._w0[key] = run.param_values(name, 0, rows=rows)[1]  # the first snapshot is always kept
        return self._w0[key]

    def _grown_peak(self, run: RunData, name: str, mode: HeatmapMode, window: Window | None,
                    shown: np.ndarray | None) -> float:
        """The largest |value| of `name` in `mode` over every snapshot recorded so far and `shown` (the state on
        show, maybe the live copy between snapshots); only snapshots new since the last call are read, and it never
        shrinks (a buffer that thinned itself kept snapshots already seen)."""
        rows = self._rows(run, name, window)
        key = (id(run), name, mode, rows)
        seen, top = self._peaks.get(key, (0, 0.0))
        count = run.history.snapshot_count()
        for j in range(min(seen, count), count):
            _, v = run.param_values(name, j, grad=mode is HeatmapMode.GRADIENT, rows=rows)
            top = max(top, peak(v - self._initial(run, name, rows) if mode is HeatmapMode.CHANGE else v))
        top = max(top, peak(shown))
        self._peaks[key] = (count, top)
        return top

    @staticmethod
    def _rows(run: RunData, name: str, window: Window | None) -> tuple[int, int] | None:
        if window is not None and len(run.history.shapes[name]) > 1:
            return window.row0, window.row0 + window.rows
        return None

    def _values(self, run: RunData, name: str, mode: HeatmapMode, window: Window | None = None,
                index: int | None = None) -> tuple[np.ndarray | None, str, tuple]:
        """(values or None, the 'at …' text, a cache key) for parameter `name` in `mode`: the rows `window`
        shows (all with None), shaped as `window.crop` expects them. Values and changes are those of snapshot
        `index`, or the newest recorded (the live copy between epochs); the gradient is that of snapshot `index`,
        or of the last one (gradients are only kept with snapshots). Only those rows of that parameter are read
        (`RunData.param_values`): a net of millions of weights costs what its shown channels cost."""
        h = run.history
        spe = max(1, h.steps_per_epoch)
        i = index
        rows = self._rows(run, name, window)
        if mode is HeatmapMode.GRADIENT:
            j = h.snapshot_count() - 1 if i is None else i
            step, g = run.param_values(name, j, grad=True, rows=rows)
            at = QCoreApplication.translate("Views", "epoch {0}").format(epoch_text(step / spe)) + (
                QCoreApplication.translate("Views", " (last snapshot)") if i is None else "")
            return (g if np.isfinite(g).any() else None), at, (mode, j, step)
        step, v = self._param_values(run, name, i, rows)
        self.drawn_step = step
        if mode is HeatmapMode.CHANGE:
            v = v - self._initial(run, name, rows)
        return v, QCoreApplication.translate("Views", "epoch {0}").format(epoch_text(step / spe)), (mode, i, step)


class HeatmapView(_MatrixView):
    """One parameter at a time as an image: its values, its change since initialisation, or its gradient.

    Owns the layer chooser (QComboBox `heatmapLayerCombo`, every parameter with its shape), the mode chooser
    (QComboBox `heatmapModeCombo`: "Value", "Change since init (W − W₀)", "Gradient"), the scale chooser
    (`heatmapScaleCombo`: `HeatmapScale`), one `MatrixPlot` with its colour bar per shown run (the bound run first,
    then the compared runs of `set_overlays`, each titled with its label in its colour, all on one colour scale and
    at the timeline's step), and a hover label (objectName `heatmapHover`) naming the pixel under the mouse. In
    live mode the values are the newest recorded (the live copy between epochs), the gradient that of the last
    snapshot. Refreshed by the main window (~10 Hz); nothing is re-read when the shown state has not changed.
    """

    title = QT_TRANSLATE_NOOP("Views", "Heatmaps")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.layer_combo = QtWidgets.QComboBox()
        self.layer_combo.setObjectName("heatmapLayerCombo")
        self.layer_combo.setToolTip(self.tr("Which parameter to show"))
        small = QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon  # narrow docks: elide
        self.layer_combo.setSizeAdjustPolicy(small)
        self.layer_combo.setMinimumContentsLength(12)
        self.mode_combo = QtWidgets.QComboBox()
        self.mode_combo.setObjectName("heatmapModeCombo")
        for m in HeatmapMode:
            self.mode_combo.addItem(m.text, m.value)
        self.scale_combo = QtWidgets.QComboBox()
        self.scale_combo.setObjectName("heatmapScaleCombo")
        for scale in HeatmapScale:
            self.scale_combo.addItem(scale.text, scale.value)
        # Whole texts where the dock has room; in a narrow one (1024 px) the choosers may shrink to COMBO_MIN_WIDTH,
        # eliding their text, and the popup list still shows it whole.
        for combo in (self.mode_combo, self.scale_combo):
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumWidth(COMBO_MIN_WIDTH)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        self.scale_combo.setToolTip(self.tr("Whole run: one colour scale per parameter and mode, ±the largest value "
                                            "recorded so far, so colours mean the same at every timeline position. "
                                            "Per step: refit to the state on show."))
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
        lay.addLayout(header_row(self.layer_combo, self.mode_combo, self.scale_combo, self.rows_combo,
                                 self.cols_combo, fill=self.hover_label))
        lay.addWidget(self.layout_widget, 1)
        self._overlays: list[Overlay] = []
        self.columns_follow_width = True  # figures lay their images out at a size of their own
        self._columns = 1
        self._colour: tuple[int, int, int] | None = None
        self._label = ""
        self.matrices: list[MatrixPlot] = []
        self._layout_matrices()
        self.layout_widget.scene().sigMouseMoved.connect(self._mouse_moved)
        self.layer_combo.currentIndexChanged.connect(self._layer_changed)
        self.mode_combo.currentIndexChanged.connect(self._choice_changed)
        self.scale_combo.currentIndexChanged.connect(self._choice_changed)
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

    def scale(self) -> HeatmapScale:
        return HeatmapScale(self.scale_combo.currentData())

    def set_scale(self, scale: HeatmapScale | str) -> None:
        self.scale_combo.setCurrentIndex(self.scale_combo.findData(HeatmapScale(scale).value))

    def set_overlays(self, colour, overlays, label: str = "") -> None:
        """Compare runs: the bound run (in `colour`, titled `label`) and each of `overlays` ((run, colour, label)
        or `Overlay`) side by side, the same parameter at the same step, on one colour scale. An empty list goes
        back to the one-run view."""
        self._overlays = overlays_of(overlays)
        self._colour, self._label = colour, label
        self._peaks = {}
        self._w0 = None
        self._layout_matrices()
        self._choice_changed()

    def image(self) -> np.ndarray:
        """The float32 array currently shown (NaN in conv grid gaps and where there is no value)."""
        return self.matrix.data

    def images(self) -> list[tuple[str, np.ndarray]]:
        """(run label, its image) of every run on show, the bound run first (labelled '' when not comparing); a
        list, as two runs may bear the same label."""
        return [(m.run_label, m.data) for m in self.matrices]

    def run_levels(self) -> list[tuple[float, float] | None]:
        """The colour levels of each run's image, the bound run first: all equal when comparing."""
        return [m.levels() for m in self.matrices]

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
    def grid_shape(self) -> tuple[int, int]:
        """(rows, columns) of the runs' images: as many columns as fit the view's width at MIN_CELL pixels each
        (with `columns_follow_width`), else a row of up to three, then a near-square grid."""
        n = 1 + len(self._overlays)
        cols = n if n <= 3 else int(np.ceil(np.sqrt(n)))
        if self.columns_follow_width and self.width() > 0:
            cols = int(np.clip(self.width() // MIN_CELL, 1, n))
        return -(-n // cols), cols

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._overlays and self.grid_shape()[1] != self._columns:
            self._layout_matrices()
            self._choice_changed()

    def _layout_matrices(self) -> None:
        """One MatrixPlot per shown run, laid out as `grid_shape` says."""
        self.layout_widget.clear()
        labels = [self._label] + [o.label for o in self._overlays] if self._overlays else [""]
        cols = self._columns = self.grid_shape()[1]
        self.matrices = []
        for i, (label, short) in enumerate(zip(labels, short_labels(labels, words=True))):
            m = MatrixPlot(self.layout_widget.ci, *divmod(i, cols))
            m.run_label, m.short_label = label, short
            # One scale for all: the last image's colour bar says it, the others leave their room; the row axis'
            # title is said once at the start of each row.
            m.bar.setVisible(i == len(labels) - 1)
            m.left_title = i % cols == 0
            self.matrices.append(m)
        self.matrix = self.matrices[0]
        self._shown_key = None

    def _build(self, run: RunData | None) -> None:
        previous = self.current_param()
        self._w0 = None
        self._peaks = {}
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
        for m in self.matrices:
            m.reset_levels()
        if run is None:
            self.matrix.set_title(self.tr("Heatmap (no run)"))

    def refresh(self, force: bool = False) -> bool:
        # A compared run still training (a comparison trains its runs one after another) redraws the row too.
        changed = any(o.run.history.version != o.drawn_version for o in self._overlays)
        return super().refresh(force or changed)

    def _draw(self, run: RunData) -> None:
        name = self.current_param()
        if name is None:
            return
        info = self._infos[name]
        mode = self.mode()
        window = window_at(tuple(info.shape), self.rows_combo.currentData() or 0, self.cols_combo.currentData() or 0)
        shown = [self._shown_state(run, None, name, mode, window)]
        for o in self._overlays:
            o.drawn_version = o.run.history.version
            shown.append(self._shown_state(o.run, o, name, mode, window))
        key = (name, window, tuple(s[3] for s in shown))
        if key == self._shown_key:
            return
        self._shown_key = key
        level = None  # one run, per step: the sticky levels of MatrixPlot
        if self.scale() is HeatmapScale.RUN:
            top = max(self._grown_peak(r, name, mode, window, v) for r, _, v, k, _ in shown if k is not None)
            level = nice_ceiling(top) if top > 0 else 1.0
        elif self._overlays:
            top = max(peak(v) for _, _, v, _, _ in shown)
            level = nice_ceiling(top) if top > 0 else 1.0
        for m, (r, o, values, k, at) in zip(self.matrices, shown):
            m.set_bar_label(mode.bar_label)
            title = self.tr("{0} ({1}): {2} at {3}").format(name, shape_text(info.shape), mode.title_word, at) \
                + _window_text(info.shape, window, getattr(info, "layer_kind", ""))
            if self._overlays:  # the parameter and mode are in the choosers; the title says which run and when
                colour = self._colour if o is None else o.colour
                title = f"<span style='color:{colour_hex(colour or (0, 0, 0))}'>■</span> {m.short_label} · {at}"
            m.set_title(title)
            no_gradient = values is None and mode is HeatmapMode.GRADIENT
            message = QCoreApplication.translate("Views", NO_GRADIENT) if no_gradient else ""
            if k is None:
                message = self.tr("no {0} ({1}) in this run").format(name, shape_text(info.shape))
            m.show(info, values, message, window, rows_only=True, level=level)

    def _shown_state(self, run: RunData, overlay: Overlay | None, name: str, mode: HeatmapMode, window: Window):
        """(run, overlay, values, cache key or None when the run has no such parameter, 'at …' text) of one run
        at the timeline's step: the bound run's chosen snapshot, the same step (or its last state) in another."""
        if tuple(run.history.shapes.get(name, ())) != tuple(self._infos[name].shape):
            return run, overlay, None, None, "—"
        if overlay is None:
            values, at, key = self._values(run, name, mode, window, self._resolved_snapshot(run))
            return run, overlay, values, key, at
        index, ended = overlay_snapshot(self, run)
        values, at, key = self._values(run, name, mode, window, index)
        return run, overlay, values, (id(run),) + key, at + (self.tr(" (its last state: the run ended)") if ended
                                                               else "")

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
        for m in self.matrices:
            m.reset_levels()
        self._shown_key = None  # the levels were dropped: draw again even when the same state is chosen

    def _choice_changed(self, *_) -> None:
        for m in self.matrices:
            m.reset_levels()
        self._shown_key = None
        self.hover_label.setText("")
        self._redraw()

    def _layer_changed(self, *_) -> None:
        self._fill_windows()
        self._choice_changed()

    def _mouse_moved(self, pos) -> None:
        texts = [(m.run_label, m.describe_scene_pos(pos)) for m in self.matrices]
        label, text = next(((label, t) for label, t in texts if t), ("", None))
        self.hover_label.setText(f"{label}: {text}" if text and label else text or "")


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
            values, at, _ = self._values(run, name, self._mode, window, self._resolved_snapshot(run))
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
