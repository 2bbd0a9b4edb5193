"""Weight matrices as images: values, change since initialisation, or gradients; conv weights as kernel grids."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from weightstudio.core.series import nice_ceiling

from .base import RunView
from .layout import header_row, make_layout_widget, small_label, view_layout
from .style import FOREGROUND, epoch_text, set_title, shape_text, style_axis, style_plot

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData
    from weightstudio.core.builder import ParamInfo

MODES = ("Value", "Change since init (W − W₀)", "Gradient")
MODE_VALUE, MODE_CHANGE, MODE_GRADIENT = MODES
_BAR_LABEL = {MODE_VALUE: "weight value", MODE_CHANGE: "W − W₀", MODE_GRADIENT: "gradient"}
_TITLE_WORD = {MODE_VALUE: "value", MODE_CHANGE: "change since init", MODE_GRADIENT: "gradient"}
COLORMAP = "CET-D1"  # blue – white – red, centred on 0: sign and size at a glance
SHRINK_BELOW = 0.2  # levels are re-fitted when the largest |value| falls below this share of them


def diverging_colormap() -> pg.ColorMap:
    return pg.colormap.get(COLORMAP)


def conv_grid(shape: tuple[int, ...]) -> tuple[int, int, bool]:
    """(kernel rows, kernel columns, wrapped) of a conv weight's kernel grid: out × in, except that a layer with
    one input channel (the first conv on grey images) wraps its kernels into a near-square block, which reads far
    better than one tall column of them."""
    out, inp = shape[0], shape[1]
    if inp == 1 and out > 4:
        cols = math.ceil(math.sqrt(out))
        return math.ceil(out / cols), cols, True
    return out, inp, False


def arrange(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A parameter as a C-contiguous float32 image.

    Linear weight (out, in): rows = out, columns = in. Bias (n,): one row. Conv weight (out, in, kh, kw): a grid of
    out × in kernels, each kh × kw, separated by 1-pixel NaN gaps (pyqtgraph draws NaN transparent); with a single
    input channel the kernels wrap row by row (see `conv_grid`). Anything else: (first dimension, the rest).
    """
    v = np.asarray(values, np.float32).reshape(shape)
    if v.ndim == 1:
        img = v.reshape(1, -1)
    elif v.ndim == 2:
        img = v
    elif v.ndim == 4:
        out, inp, kh, kw = v.shape
        rows, cols, wrapped = conv_grid(v.shape)
        if wrapped:
            kernels = np.full((rows * cols, kh, kw), np.nan, np.float32)
            kernels[:out] = v[:, 0]
            v = kernels.reshape(rows, cols, kh, kw)
        grid = np.full((rows, kh + 1, cols, kw + 1), np.nan, np.float32)
        grid[:, :kh, :, :kw] = v.transpose(0, 2, 1, 3)
        img = grid.reshape(rows * (kh + 1), cols * (kw + 1))[:-1, :-1]
    else:
        img = v.reshape(v.shape[0], -1)
    return np.ascontiguousarray(img, np.float32)


def describe_pixel(name: str, shape: tuple[int, ...], row: int, col: int) -> str | None:
    """The PyTorch index of image pixel (row, col) for a parameter of `shape`, e.g. '0.weight[3, 1, 0, 2]'
    with its position spelled out; None for a gap or outside."""
    if row < 0 or col < 0:
        return None
    if len(shape) == 1:
        return f"{name}[{col}]  (unit {col})" if row == 0 and col < shape[0] else None
    if len(shape) == 2:
        if row < shape[0] and col < shape[1]:
            return f"{name}[{row}, {col}]  (row {row} = output {row}, column {col} = input {col})"
        return None
    if len(shape) == 4:
        out, inp, kh, kw = shape
        rows, cols, wrapped = conv_grid(shape)
        gr, r = divmod(row, kh + 1)
        gc, c = divmod(col, kw + 1)
        if gr >= rows or gc >= cols or r >= kh or c >= kw:
            return None
        o, i = (gr * cols + gc, 0) if wrapped else (gr, gc)
        if o >= out:
            return None
        return f"{name}[{o}, {i}, {r}, {c}]  (out {o}, in {i}, kernel row {r}, column {c})"
    rest = int(np.prod(shape[1:]))
    if row < shape[0] and col < rest:
        idx = (row,) + tuple(int(i) for i in np.unravel_index(col, shape[1:]))
        return f"{name}[{', '.join(map(str, idx))}]"
    return None


def value_at(name: str, shape: tuple[int, ...], values: np.ndarray, row: int, col: int) -> float | None:
    img = arrange(values, shape)
    if 0 <= row < img.shape[0] and 0 <= col < img.shape[1] and describe_pixel(name, shape, row, col) is not None:
        return float(img[row, col])
    return None


class MatrixPlot:
    """One parameter's image in a pyqtgraph PlotItem, with a diverging colour bar and symmetric, sticky levels.

    Levels are ±L with L a round number ≥ max|v| (see `nice_ceiling`). They stay fixed while values stream in (so
    colours mean the same from frame to frame), and are re-fitted when `reset_levels()` is called (the layer,
    the mode, the run or the timeline position changed), when a value leaves ±L, or when max|v| falls below
    `SHRINK_BELOW`·L (e.g. gradients fading as training converges) so the picture does not wash out.
    Used by `HeatmapView` (one, with choosers) and `HeatmapGridView` (one per layer, for figures).
    """

    def __init__(self, layout: pg.GraphicsLayout, row: int = 0, col: int = 0, title_size: str = "10pt"):
        self.plot: pg.PlotItem = style_plot(layout.addPlot(row=row, col=col), "")
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.title_size = title_size
        self.img = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.img)
        cmap = diverging_colormap()
        self.bar = pg.ColorBarItem(values=(-1, 1), colorMap=cmap, interactive=False, label="weight value",
                                   width=14, colorMapMenu=False)
        self.bar.setImageItem(self.img, insert_in=self.plot)
        for side in ("left", "right", "top", "bottom"):
            style_axis(self.bar.getAxis(side))
        self.bar.getAxis("left").setLabel("weight value", color=FOREGROUND)
        self.message = pg.TextItem("", color=FOREGROUND, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 220))
        self.message.setZValue(10)
        self.message.hide()
        self.plot.addItem(self.message, ignoreBounds=True)
        self.level = None
        self.shape: tuple[int, ...] | None = None
        self.name = ""
        self.data: np.ndarray = np.zeros((0, 0), np.float32)
        self._geometry = None

    # ---- state ----
    def reset_levels(self) -> None:
        self.level = None

    def levels(self) -> tuple[float, float] | None:
        return None if self.level is None else (-self.level, self.level)

    def set_bar_label(self, text: str) -> None:
        self.bar.getAxis("left").setLabel(text, color=FOREGROUND)

    def set_title(self, text: str) -> None:
        set_title(self.plot, text, size=self.title_size)

    # ---- drawing ----
    def show(self, info: ParamInfo, values: np.ndarray | None, message: str = "") -> None:
        """Draw `values` (shape `info.shape`), or, with None, an empty image of that shape and `message`."""
        shape = tuple(info.shape)
        self.name = info.name
        if values is None:
            img = np.full(arrange(np.zeros(shape, np.float32), shape).shape, np.nan, np.float32)
        else:
            img = arrange(values, shape)
        self.data = img
        self.shape = shape
        self._fit_levels(img)
        self.img.setImage(img, autoLevels=False, levels=self.levels())
        self._fit_geometry(info, img.shape)
        if message:
            h, w = img.shape
            self.message.setText(message)
            self.message.setPos((w - 1) / 2, (h - 1) / 2)
            self.message.show()
        else:
            self.message.hide()

    def _fit_levels(self, img: np.ndarray) -> None:
        finite = img[np.isfinite(img)]
        peak = float(np.abs(finite).max()) if finite.size else 0.0
        if self.level is None or peak > self.level or (peak > 0 and peak < SHRINK_BELOW * self.level):
            self.level = nice_ceiling(peak) if peak > 0 else (self.level or 1.0)
            self.bar.setLevels((-self.level, self.level))

    def _fit_geometry(self, info: ParamInfo, size: tuple[int, int]) -> None:
        key = (info.name, tuple(info.shape), size)
        if key == self._geometry:
            return
        self._geometry = key
        h, w = size
        self.img.setPos(-0.5, -0.5)  # one data unit per pixel, pixel centres on integer coordinates
        self.plot.setAspectLocked(len(info.shape) == 4 or max(h, w) / max(1, min(h, w)) <= 4)
        self.plot.setRange(xRange=(-0.5, w - 0.5), yRange=(-0.5, h - 0.5), padding=0.02)
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        shape = tuple(info.shape)
        if len(shape) == 4:
            out, inp, kh, kw = shape
            rows, cols, wrapped = conv_grid(shape)
            if wrapped:
                left.setLabel("", color=FOREGROUND)
                bottom.setLabel(f"output channels 0–{out - 1}, row by row ({kh}×{kw} kernels)", color=FOREGROUND)
                left.setTicks([[]])
                bottom.setTicks([[]])
            else:
                left.setLabel("output channel", color=FOREGROUND)
                bottom.setLabel(f"input channel ({kh}×{kw} kernels)", color=FOREGROUND)
                left.setTicks([_kernel_ticks(out, kh)])
                bottom.setTicks([_kernel_ticks(inp, kw)])
        elif len(shape) == 1:
            left.setLabel("", color=FOREGROUND)
            bottom.setLabel("unit", color=FOREGROUND)
            left.setTicks([[]])
            bottom.setTicks([_index_ticks(w)])
        else:
            left.setLabel("output (row)", color=FOREGROUND)
            bottom.setLabel("input (column)", color=FOREGROUND)
            left.setTicks([_index_ticks(h)])
            bottom.setTicks([_index_ticks(w)])

    def describe_scene_pos(self, pos) -> str | None:
        """Hover text for a scene position over the image, e.g. '0.weight[3, 5] = 0.1234  (row 3 …)'."""
        if self.shape is None or not self.plot.vb.sceneBoundingRect().contains(pos):
            return None
        p = self.plot.vb.mapSceneToView(pos)
        return self.describe(int(math.floor(p.y() + 0.5)), int(math.floor(p.x() + 0.5)))

    def describe(self, row: int, col: int) -> str | None:
        if self.shape is None or not (0 <= row < self.data.shape[0] and 0 <= col < self.data.shape[1]):
            return None
        where = describe_pixel(self.name, self.shape, row, col)
        if where is None:
            return None
        v = self.data[row, col]
        index, _, spelled = where.partition("  ")
        value = "no value" if not np.isfinite(v) else f"{v:.4g}"
        return f"{index} = {value}  {spelled}".rstrip()


def _index_ticks(n: int) -> list[tuple[float, str]]:
    """Integer ticks, at most about 10, on round steps."""
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**4, 10**5, 10**6)
                if n / s <= 10)
    return [(float(i), str(i)) for i in range(0, n, step)]


def _kernel_ticks(n: int, k: int) -> list[tuple[float, str]]:
    every = max(1, math.ceil(n / 16))
    return [(i * (k + 1) + (k - 1) / 2, str(i)) for i in range(0, n, every)]


class _ParamImages:
    """What a heatmap shows for a parameter in a mode at the chosen time; shared by both heatmap views."""

    @staticmethod
    def values(view: RunView, run: RunData, name: str, mode: str) -> tuple[np.ndarray | None, str, int | None]:
        """(values or None, the 'at …' text, a cache key) for parameter `name` in `mode`."""
        h = run.history
        spe = max(1, h.steps_per_epoch)
        i = view._resolved_snapshot(run)
        if mode == MODE_GRADIENT:
            count = h.snapshot_count()
            j = count - 1 if i is None else i
            snap = h.snapshot(j)
            g = snap.grads[name]
            at = f"epoch {epoch_text(snap.step / spe)}" + (" (last snapshot)" if i is None else "")
            if not np.isfinite(g).any():
                return None, at, ("g", j, snap.step)
            return g, at, ("g", j, snap.step)
        if i is None:
            step, params = h.latest_params()
        else:
            snap = h.snapshot(i)
            step, params = snap.step, snap.params
        at = f"epoch {epoch_text(step / spe)}"
        v = params[name]
        if mode == MODE_CHANGE:
            v = v - view._initial(run)[name]
        return v, at, (mode, i, step)


class HeatmapView(RunView):
    """One parameter at a time as an image: its values, its change since initialisation, or its gradient.

    Owns the layer chooser (QComboBox `heatmapLayerCombo`, every parameter with its shape), the mode chooser
    (QComboBox `heatmapModeCombo`: "Value", "Change since init (W − W₀)", "Gradient"), a `MatrixPlot` with its
    colour bar, and a hover label (objectName `heatmapHover`) naming the pixel under the mouse. In live mode the
    values are the newest recorded (the live copy between epochs), the gradient that of the last snapshot.
    Refreshed by the main window (~10 Hz); nothing is re-read when the shown state has not changed.
    """

    title = "Heatmaps"

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.layer_combo = QtWidgets.QComboBox()
        self.layer_combo.setObjectName("heatmapLayerCombo")
        self.layer_combo.setToolTip("Which parameter to show")
        small = QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon  # narrow docks: elide
        self.layer_combo.setSizeAdjustPolicy(small)
        self.layer_combo.setMinimumContentsLength(16)
        self.mode_combo = QtWidgets.QComboBox()
        self.mode_combo.setObjectName("heatmapModeCombo")
        self.mode_combo.addItems(MODES)
        self.mode_combo.setSizeAdjustPolicy(small)
        self.mode_combo.setMinimumContentsLength(12)
        self.mode_combo.setToolTip("Value: the weights. Change since init: W − W₀, what training has done. "
                                   "Gradient: ∂loss/∂W of the last step before the snapshot.")
        self.hover_label = small_label()
        self.hover_label.setObjectName("heatmapHover")
        self.layout_widget = make_layout_widget()
        lay = view_layout(self)
        lay.addLayout(header_row(self.layer_combo, self.mode_combo, fill=self.hover_label))
        lay.addWidget(self.layout_widget, 1)
        self.matrix = MatrixPlot(self.layout_widget.ci)
        self.layout_widget.scene().sigMouseMoved.connect(self._mouse_moved)
        self.layer_combo.currentIndexChanged.connect(self._choice_changed)
        self.mode_combo.currentIndexChanged.connect(self._choice_changed)
        self._w0 = None
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

    def mode(self) -> str:
        return self.mode_combo.currentText()

    def set_mode(self, mode: str) -> None:
        i = self.mode_combo.findText(mode)
        if i < 0:
            raise KeyError(f"unknown heatmap mode '{mode}' (known: {', '.join(MODES)})")
        self.mode_combo.setCurrentIndex(i)

    def image(self) -> np.ndarray:
        """The float32 array currently shown (NaN in conv grid gaps and where there is no value)."""
        return self.matrix.data

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
        self.matrix.reset_levels()
        if run is None:
            self.matrix.set_title("Heatmap (no run)")

    def _initial(self, run: RunData) -> dict[str, np.ndarray]:
        if self._w0 is None:
            self._w0 = run.history.snapshot(0).params  # the first snapshot is always kept
        return self._w0

    def _draw(self, run: RunData) -> None:
        name = self.current_param()
        if name is None:
            return
        info = {p.name: p for p in run.history.params}[name]
        mode = self.mode()
        values, at, key = _ParamImages.values(self, run, name, mode)
        key = (name, key)
        if key == self._shown_key:
            return
        self._shown_key = key
        self.matrix.set_bar_label(_BAR_LABEL[mode])
        self.matrix.set_title(f"{name} ({shape_text(info.shape)}): {_TITLE_WORD[mode]} at {at}")
        msg = "no gradient yet" if values is None and mode == MODE_GRADIENT else ""
        self.matrix.show(info, values, msg)

    def _snapshot_changed(self) -> None:
        self.matrix.reset_levels()

    def _choice_changed(self, *_) -> None:
        self.matrix.reset_levels()
        self._shown_key = None
        self.hover_label.setText("")
        self._redraw()

    def _mouse_moved(self, pos) -> None:
        self.hover_label.setText(self.matrix.describe_scene_pos(pos) or "")


class HeatmapGridView(RunView):
    """Every weight matrix of a run at once (conv weights as kernel grids), one `MatrixPlot` per parameter.

    Used for the headless `heatmaps.png` figure (and usable as a dock). `include_biases` adds the bias rows.
    """

    title = "All layers"

    def __init__(self, parent: QtWidgets.QWidget | None = None, include_biases: bool = False,
                 mode: str = MODE_VALUE, max_columns: int = 3):
        super().__init__(parent)
        self.include_biases = include_biases
        self.max_columns = max_columns
        self._mode = mode
        self.layout_widget = make_layout_widget()
        lay = view_layout(self)
        lay.addWidget(self.layout_widget, 1)
        self.matrices: dict[str, MatrixPlot] = {}
        self._w0 = None
        self._build(None)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise KeyError(f"unknown heatmap mode '{mode}' (known: {', '.join(MODES)})")
        self._mode = mode
        for m in self.matrices.values():
            m.reset_levels()
        self._redraw()

    def images(self) -> dict[str, np.ndarray]:
        return {n: m.data for n, m in self.matrices.items()}

    def _initial(self, run: RunData) -> dict[str, np.ndarray]:
        if self._w0 is None:
            self._w0 = run.history.snapshot(0).params
        return self._w0

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
            values, at, _ = _ParamImages.values(self, run, name, self._mode)
            m.set_bar_label(_BAR_LABEL[self._mode])
            m.set_title(f"{name} ({shape_text(info[name].shape)}): {_TITLE_WORD[self._mode]}, {at}")
            m.show(info[name], values, "no gradient yet" if values is None else "")

    def _snapshot_changed(self) -> None:
        for m in self.matrices.values():
            m.reset_levels()
