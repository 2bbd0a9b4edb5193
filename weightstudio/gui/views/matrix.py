"""One parameter as an image: how a weight's array is laid out (conv weights as kernel grids), which part of a
large one is shown (a `Window`: the first channels of a conv, the first rows of an embedding), which PyTorch index
each pixel is, and `MatrixPlot`, the plot that shows it with a symmetric colour scale (sticky, or given)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from weightstudio.core.series import nice_ceiling

from .style import FOREGROUND, colour_bar, set_title, style_plot

translate = QCoreApplication.translate  # plain functions and classes: lupdate reads translate("Views", "...")

if TYPE_CHECKING:
    from weightstudio.core.builder import ParamInfo

COLORMAP = "CET-D1"  # blue – white – red, centred on 0: sign and size at a glance
SHRINK_BELOW = 0.2  # levels are re-fitted when the largest |value| falls below this share of them
# A window of a large parameter: at most this many kernels a side of a conv grid (the first channels; a chooser
# picks others), or this many rows and columns of a matrix. Keeps an image under ~300k pixels: drawn in
# milliseconds, and each pixel still a few screen pixels wide.
MAX_KERNELS = 16
MAX_ROWS, MAX_COLS = 256, 1024


@dataclass(frozen=True)
class Window:
    """The part of a parameter an image shows: indices [row0, row0 + rows) of its first dimension and
    [col0, col0 + cols) of its second (for a 1-D parameter, the columns are its only dimension; rows is 1). For a
    conv weight these are output and input channels; for other shapes the dimensions `matrix_shape` gives."""

    row0: int
    rows: int
    col0: int
    cols: int

    def crop(self, values: np.ndarray, shape: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, ...]]:
        """(the windowed values, their shape) of a parameter of `shape`."""
        v = np.asarray(values).reshape(shape)
        if len(shape) == 1:
            v = v[self.col0:self.col0 + self.cols]
        elif len(shape) in (2, 4):
            v = v[self.row0:self.row0 + self.rows, self.col0:self.col0 + self.cols]
        else:
            v = v.reshape(shape[0], -1)[self.row0:self.row0 + self.rows, self.col0:self.col0 + self.cols]
        return v, v.shape


def matrix_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    """(rows, columns) windows are taken over: (1, n) for a vector, (out, in) channels for a conv weight, the two
    dimensions of a matrix, (first dimension, the rest) otherwise."""
    if len(shape) == 1:
        return 1, shape[0]
    if len(shape) in (2, 4):
        return shape[0], shape[1]
    return shape[0], int(np.prod(shape[1:]))


def block_sizes(shape: tuple[int, ...]) -> tuple[int, int]:
    """Rows and columns of one window: kernels for a conv weight (a single-input conv wraps its kernels into a
    block, so it takes MAX_KERNELS² of them), rows and columns of a matrix."""
    if len(shape) == 4:
        return (MAX_KERNELS * MAX_KERNELS if shape[1] == 1 else MAX_KERNELS), MAX_KERNELS
    return MAX_ROWS, MAX_COLS


def window_starts(shape: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """The first row and the first column of every window of a parameter of `shape`."""
    (rows, cols), (br, bc) = matrix_shape(shape), block_sizes(shape)
    return list(range(0, rows, br)), list(range(0, cols, bc))


def window_at(shape: tuple[int, ...], row0: int = 0, col0: int = 0) -> Window:
    (rows, cols), (br, bc) = matrix_shape(shape), block_sizes(shape)
    row0, col0 = min(max(0, row0), rows - 1), min(max(0, col0), cols - 1)
    return Window(row0, min(br, rows - row0), col0, min(bc, cols - col0))


def axis_names(shape: tuple[int, ...], kind: str = "") -> tuple[str, str]:
    """What a parameter's window rows and columns are, in words: ("output channels", "input channels"),
    ("tokens", "dimensions") for an embedding, …"""
    if len(shape) == 4:
        return translate("Views", "output channels"), translate("Views", "input channels")
    if len(shape) == 1:
        return "", translate("Views", "units")
    if kind == "Embedding":
        return translate("Views", "tokens"), translate("Views", "dimensions")
    return translate("Views", "rows"), translate("Views", "columns")


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


def describe_pixel(name: str, shape: tuple[int, ...], row: int, col: int, window: Window | None = None,
                   full_shape: tuple[int, ...] | None = None, kind: str = "") -> str | None:
    """The PyTorch index of image pixel (row, col) for a parameter of `shape` (a window's shape: `window` and
    `full_shape` place it in the whole parameter), e.g. '0.weight[3, 1, 0, 2]' with its position spelled out; None
    for a gap or outside."""
    if row < 0 or col < 0:
        return None
    r0, c0 = (window.row0, window.col0) if window is not None else (0, 0)
    if len(shape) == 1:
        return translate("Views", "{0}[{1}]  (unit {1})").format(name, col + c0) if row == 0 and col < shape[0] \
            else None
    if len(shape) == 2 and (full_shape is None or len(full_shape) == 2):
        if row < shape[0] and col < shape[1]:
            r, c = row + r0, col + c0
            if kind == "Embedding":
                return translate("Views", "{0}[{1}, {2}]  (token {1}, dimension {2})").format(name, r, c)
            return translate("Views", "{0}[{1}, {2}]  (row {1} = output {1}, column {2} = input {2})").format(name, r,
                                                                                                               c)
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
        o, i = o + r0, i + c0
        return translate("Views", "{0}[{1}, {2}, {3}, {4}]  (out {1}, in {2}, kernel row {3}, column {4})").format(
            name, o, i, r, c)
    full = tuple(full_shape) if full_shape is not None else shape
    rest = int(np.prod(full[1:]))
    rows_here = shape[0]
    cols_here = int(np.prod(shape[1:]))
    if row < rows_here and col < cols_here and col + c0 < rest:
        idx = (row + r0,) + tuple(int(i) for i in np.unravel_index(col + c0, full[1:]))
        return f"{name}[{', '.join(map(str, idx))}]"
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
        self.bar = colour_bar(self.img, self.plot, diverging_colormap(), (-1, 1), translate("Views", "weight value"))
        self.message = pg.TextItem("", color=FOREGROUND, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 220))
        self.message.setZValue(10)
        self.message.hide()
        self.plot.addItem(self.message, ignoreBounds=True)
        self.level = None
        self.shape: tuple[int, ...] | None = None  # of the window shown
        self.full_shape: tuple[int, ...] | None = None
        self.window: Window | None = None
        self.kind = ""
        self.name = ""
        self.run_label = self.short_label = ""  # which compared run this image shows ('' when one run is shown)
        self.left_title = True  # False beside another run's image on the same rows: the row axis is named there
        self.data: np.ndarray = np.zeros((0, 0), np.float32)
        self._geometry = None
        self._tick_room = None
        self.plot.vb.sigResized.connect(self._resized)
        self.plot.vb.sigRangeChanged.connect(self._resized)  # the aspect lock settles the range after a resize

    # ---- state ----
    def reset_levels(self) -> None:
        self.level = None

    def levels(self) -> tuple[float, float] | None:
        return None if self.level is None else (-self.level, self.level)

    def set_bar_label(self, text: str) -> None:
        axis = self.bar.getAxis("left")
        if axis.labelText != text or not axis.label.isVisible():  # a new label re-lays out and redraws the axis
            axis.setLabel(text, color=FOREGROUND)

    def set_title(self, text: str) -> None:
        set_title(self.plot, text, size=self.title_size)

    # ---- drawing ----
    def show(self, info: ParamInfo, values: np.ndarray | None, message: str = "", window: Window | None = None,
             rows_only: bool = False, level: float | None = None) -> None:
        """Draw `values` (shape `info.shape`; with `rows_only`, only the window's rows of its first dimension) in
        `window` (default: the first one, all of a small parameter), or, with None, an empty image of that shape
        and `message`. `level` fixes the colour scale at ±level (a run's grown scale, or one shared by compared
        runs); without it the sticky levels above apply."""
        full = tuple(info.shape)
        window = window if window is not None else window_at(full)
        self.name, self.full_shape, self.window = info.name, full, window
        self.kind = getattr(info, "layer_kind", "")
        crop, given = window, full
        if rows_only and len(full) > 1:  # already cut to the window's rows: cut the columns
            crop = Window(0, window.rows, window.col0, window.cols)
            given = (window.rows,) + full[1:]
        if values is None:
            _, shape = crop.crop(np.zeros(given, np.float32), given)
            img = np.full(arrange(np.zeros(shape, np.float32), shape).shape, np.nan, np.float32)
        else:
            values, shape = crop.crop(values, given)
            img = arrange(values, shape)
        self.data = img
        self.shape = shape
        if level is None:
            self._fit_levels(img)
        elif level != self.level:
            self.level = level
            self.bar.setLevels((-level, level))
        self.img.setImage(img, autoLevels=False, levels=self.levels())
        self._fit_geometry(img.shape)
        if message:
            h, w = img.shape
            self.message.setText(message)
            self.message.setPos((w - 1) / 2, (h - 1) / 2)
            self.message.show()
        else:
            self.message.hide()

    def _fit_levels(self, img: np.ndarray) -> None:
        top = peak(img)
        if self.level is None or top > self.level or (top > 0 and top < SHRINK_BELOW * self.level):
            self.level = nice_ceiling(top) if top > 0 else (self.level or 1.0)
            self.bar.setLevels((-self.level, self.level))

    def _fit_geometry(self, size: tuple[int, int]) -> None:
        key = (self.name, self.full_shape, self.window, size)
        if key == self._geometry:
            return
        self._geometry = key
        h, w = size
        self.img.setPos(-0.5, -0.5)  # one data unit per pixel, pixel centres on integer coordinates
        self.plot.setAspectLocked(len(self.shape) == 4 or max(h, w) / max(1, min(h, w)) <= 4)
        self.plot.setRange(xRange=(-0.5, w - 0.5), yRange=(-0.5, h - 0.5), padding=0.02)
        self._label_axes(self.shape, h, w)
        self._drop_left_title()

    def _drop_left_title(self) -> None:
        if not self.left_title:
            self.plot.getAxis("left").setLabel("")

    def _resized(self, *_) -> None:
        """Ticks are thinned to the plot's size in pixels: relabel when that changes (a dock resized, runs added)."""
        room = self.tick_room()
        if self.shape is not None and room != self._tick_room:
            self._label_axes(self.shape, *self.data.shape)
            self._drop_left_title()

    def tick_room(self) -> tuple[int, int]:
        """How many ticks fit along the image's (left, bottom) edges on screen: one per ~28 px of height and ~45 px
        of width (tick labels are wider than tall), at least 2 and at most 16 (kernel indices; row and column
        indices take at most 10 of them)."""
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        rows, cols = self.data.shape if self.data.size else (1, 1)
        # An aspect-locked image may fill only part of its plot: what counts is the image's own extent.
        h = vb.height() * min(1.0, rows / max(1e-9, y1 - y0))
        w = vb.width() * min(1.0, cols / max(1e-9, x1 - x0))
        return (int(np.clip(h // 28, 2, 16)) if h > 0 else 16), (int(np.clip(w // 45, 2, 16)) if w > 0 else 16)

    def _label_axes(self, shape: tuple[int, ...], h: int, w: int) -> None:
        """Axis titles and ticks that say what rows and columns are: units, inputs, tokens, or channels of kernels;
        a window's ticks count from its first index, thinned to fit the plot."""
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        r0, c0 = self.window.row0, self.window.col0
        self._tick_room = rows_fit, cols_fit = self.tick_room()
        if len(shape) == 4:
            out, inp, kh, kw = shape
            if conv_grid(shape)[2]:  # wrapped: the grid's rows and columns are no channel
                left.setLabel("", color=FOREGROUND)
                bottom.setLabel(translate("Views", "output channels {0}–{1}, row by row ({2}×{3} kernels)").format(
                    r0, r0 + out - 1, kh, kw), color=FOREGROUND)
                left.setTicks([[]])
                bottom.setTicks([[]])
            else:
                left.setLabel(translate("Views", "output channel"), color=FOREGROUND)
                bottom.setLabel(translate("Views", "input channel ({0}×{1} kernels)").format(kh, kw), color=FOREGROUND)
                left.setTicks([_kernel_ticks(out, kh, r0, rows_fit)])
                bottom.setTicks([_kernel_ticks(inp, kw, c0, cols_fit)])
        elif len(shape) == 1:
            left.setLabel("", color=FOREGROUND)
            bottom.setLabel(translate("Views", "unit"), color=FOREGROUND)
            left.setTicks([[]])
            bottom.setTicks([_index_ticks(w, c0, min(10, cols_fit))])
        else:
            rows, cols = (translate("Views", "token (row)"), translate("Views", "embedding dimension (column)")) \
                if self.kind == "Embedding" else (translate("Views", "output (row)"),
                                                  translate("Views", "input (column)"))
            left.setLabel(rows, color=FOREGROUND)
            bottom.setLabel(cols, color=FOREGROUND)
            left.setTicks([_index_ticks(h, r0, min(10, rows_fit))])
            bottom.setTicks([_index_ticks(w, c0, min(10, cols_fit))])

    def describe_scene_pos(self, pos) -> str | None:
        """Hover text for a scene position over the image, e.g. '0.weight[3, 5] = 0.1234  (row 3 …)'."""
        if self.shape is None or not self.plot.vb.sceneBoundingRect().contains(pos):
            return None
        p = self.plot.vb.mapSceneToView(pos)
        return self.describe(int(math.floor(p.y() + 0.5)), int(math.floor(p.x() + 0.5)))

    def describe(self, row: int, col: int) -> str | None:
        if self.shape is None or not (0 <= row < self.data.shape[0] and 0 <= col < self.data.shape[1]):
            return None
        where = describe_pixel(self.name, self.shape, row, col, self.window, self.full_shape, self.kind)
        if where is None:
            return None
        v = self.data[row, col]
        index, _, spelled = where.partition("  ")
        value = translate("Views", "no value") if not np.isfinite(v) else f"{v:.4g}"
        return f"{index} = {value}  {spelled}".rstrip()


def _index_ticks(n: int, first: int = 0, most: int = 10) -> list[tuple[float, str]]:
    """Integer ticks, at most about `most`, on round steps; labels count from `first` (a window's first index)."""
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**4, 10**5, 10**6)
                if n / s <= most)
    return [(float(i), str(i + first)) for i in range(0, n, step)]


def _kernel_ticks(n: int, k: int, first: int = 0, most: int = 16) -> list[tuple[float, str]]:
    every = max(1, math.ceil(n / most))
    return [(i * (k + 1) + (k - 1) / 2, str(i + first)) for i in range(0, n, every)]


def peak(values: np.ndarray | None) -> float:
    """The largest finite |value| (0 when there is none): what a symmetric colour scale must reach."""
    if values is None:
        return 0.0
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0
