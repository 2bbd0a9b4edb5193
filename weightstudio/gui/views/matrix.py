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


@dataclass(frozen=True)
class KernelGrid:
    """How a conv weight's (out, in, kh, kw) kernels are laid out: each output channel is a strip of its `in`
    kernels side by side, and `per_row` strips share a grid row (STRIP_GAP more pixels between strips when they
    hold several kernels). One strip a row is the plain out × in grid; a single-input conv (the first conv on grey
    images) wraps its kernels row by row. `kernel_grid` chooses `per_row` for the plot's shape."""

    out: int
    inp: int
    kh: int
    kw: int
    per_row: int

    @property
    def rows(self) -> int:
        return -(-self.out // self.per_row)

    @property
    def gap(self) -> int:
        return STRIP_GAP if self.inp > 1 else 0

    @property
    def strip_width(self) -> int:
        """Pixels from one strip's start to the next's (its kernels, their gaps, the gap between strips)."""
        return self.inp * (self.kw + 1) + self.gap

    def size(self) -> tuple[int, int]:
        """(height, width) of the image in pixels."""
        return self.rows * (self.kh + 1) - 1, self.per_row * self.strip_width - 1 - self.gap

    def kernel_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """(output, input, kernel row, kernel column) under image pixel (row, col); None for a gap."""
        if row < 0 or col < 0:
            return None
        gr, r = divmod(row, self.kh + 1)
        s, rest = divmod(col, self.strip_width)
        i, c = divmod(rest, self.kw + 1)
        o = gr * self.per_row + s
        if s >= self.per_row or i >= self.inp or r >= self.kh or c >= self.kw or o >= self.out:
            return None
        return o, i, r, c


STRIP_GAP = 2  # extra pixels between two output channels' strips sharing a row: where one channel ends
SWITCH_GAIN = 1.1  # a new layout must draw the kernels this much larger to replace the one shown (no flicker)


def kernel_grid(shape: tuple[int, ...], width: float = 4, height: float = 3,
                current: int | None = None) -> KernelGrid:
    """The layout that draws the kernels of a conv weight of `shape` largest in a `width` × `height` area (in any
    unit): as many output channels a row as that takes, e.g. 16×8 kernels as 2 strips a row (16 columns, 8 rows)
    in a wide dock, 1 (8 columns, 16 rows) in a tall one. `current` (the per_row shown) stays unless another draws
    the kernels SWITCH_GAIN times larger, so a plot whose axes change width by a few pixels does not flip."""
    out, inp, kh, kw = shape
    width, height = max(width, 1.0), max(height, 1.0)

    def scale(p: int) -> float:
        h, w = KernelGrid(out, inp, kh, kw, p).size()
        return min(width / w, height / h)

    # Among layouts as large: fewer empty cells, then fewer strips a row.
    best = max(range(1, out + 1), key=lambda p: (round(scale(p), 6), -(-(-out // p) * p - out), -p))
    if current is not None and 1 <= current <= out and scale(best) < SWITCH_GAIN * scale(current):
        best = current
    return KernelGrid(out, inp, kh, kw, best)


def arrange(values: np.ndarray, shape: tuple[int, ...], grid: KernelGrid | None = None) -> np.ndarray:
    """A parameter as a C-contiguous float32 image.

    Linear weight (out, in): rows = out, columns = in. Bias (n,): one row. Conv weight (out, in, kh, kw): its
    kernels, each kh × kw, laid out as `grid` says (default: `kernel_grid` of a 4:3 area), separated by 1-pixel
    NaN gaps (pyqtgraph draws NaN transparent). Anything else: (first dimension, the rest).
    """
    v = np.asarray(values, np.float32).reshape(shape)
    if v.ndim == 1:
        img = v.reshape(1, -1)
    elif v.ndim == 2:
        img = v
    elif v.ndim == 4:
        g = grid or kernel_grid(v.shape)
        out, inp, kh, kw = v.shape
        cells = np.full((g.rows * g.per_row, inp, kh + 1, kw + 1), np.nan, np.float32)
        cells[:out, :, :kh, :kw] = v
        # (grid row, kernel row, strip, input, kernel column): each pixel row runs through the strips side by side
        strips = cells.reshape(g.rows, g.per_row, inp, kh + 1, kw + 1).transpose(0, 3, 1, 2, 4)
        strips = strips.reshape(g.rows, kh + 1, g.per_row, inp * (kw + 1))
        if g.gap:
            strips = np.concatenate([strips, np.full(strips.shape[:3] + (g.gap,), np.nan, np.float32)], axis=3)
        h, w = g.size()
        img = strips.reshape(g.rows * (kh + 1), g.per_row * g.strip_width)[:h, :w]
    else:
        img = v.reshape(v.shape[0], -1)
    return np.ascontiguousarray(img, np.float32)


def describe_pixel(name: str, shape: tuple[int, ...], row: int, col: int, window: Window | None = None,
                   full_shape: tuple[int, ...] | None = None, kind: str = "",
                   grid: KernelGrid | None = None) -> str | None:
    """The PyTorch index of image pixel (row, col) for a parameter of `shape` (a window's shape: `window` and
    `full_shape` place it in the whole parameter; `grid` lays a conv weight's kernels out, as in `arrange`), e.g.
    '0.weight[3, 1, 0, 2]' with its position spelled out; None for a gap or outside."""
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
        at = (grid or kernel_grid(shape)).kernel_at(row, col)
        if at is None:
            return None
        o, i, r, c = at
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
    A conv weight's kernels are laid out (`kernel_grid`) to draw them largest in the plot's area, again whenever
    the plot is resized. Used by `HeatmapView` (one, with choosers) and `HeatmapGridView` (one per layer, for
    figures).
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
        self.grid: KernelGrid | None = None  # how a conv weight's kernels are laid out
        self._values: np.ndarray | None = None
        self._message = ""
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
        else:
            values, shape = crop.crop(values, given)
        self.shape = shape
        self._values, self._message = values, message  # laid out again when the plot's shape asks for another grid
        self.grid = self._fitting_grid()
        img = self._arranged()
        if level is None:
            self._fit_levels(img)
        elif level != self.level:
            self.level = level
            self.bar.setLevels((-level, level))
        self._paint(img)

    def _arranged(self) -> np.ndarray:
        shape = self.shape
        if self._values is None:
            return np.full(arrange(np.zeros(shape, np.float32), shape, self.grid).shape, np.nan, np.float32)
        return arrange(self._values, shape, self.grid)

    def _paint(self, img: np.ndarray) -> None:
        self.data = img
        self.img.setImage(img, autoLevels=False, levels=self.levels())
        self._fit_geometry(img.shape)
        if self._message:
            h, w = img.shape
            self.message.setText(self._message)
            self.message.setPos((w - 1) / 2, (h - 1) / 2)
            self.message.show()
        else:
            self.message.hide()

    def _fitting_grid(self) -> KernelGrid | None:
        """The kernel layout of a conv weight that draws its kernels largest in the plot's data area as it is now
        (a 4:3 one before the plot is laid out), keeping the one shown unless another is clearly larger."""
        if self.shape is None or len(self.shape) != 4:
            return None
        vb = self.plot.vb
        width, height = (vb.width(), vb.height()) if vb.width() > 20 and vb.height() > 20 else (4, 3)
        g = self.grid
        shown = g.per_row if g is not None and (g.out, g.inp, g.kh, g.kw) == self.shape else None
        return kernel_grid(self.shape, width, height, shown)

    def _fit_levels(self, img: np.ndarray) -> None:
        top = peak(img)
        if self.level is None or top > self.level or (top > 0 and top < SHRINK_BELOW * self.level):
            self.level = nice_ceiling(top) if top > 0 else (self.level or 1.0)
            self.bar.setLevels((-self.level, self.level))

    def _fit_geometry(self, size: tuple[int, int]) -> None:
        key = (self.name, self.full_shape, self.window, size, self.grid)
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
        """Kernels are laid out and ticks thinned to the plot's size in pixels: lay out and relabel when that
        changes (a dock resized, runs added)."""
        grid = self._fitting_grid()
        if grid != self.grid:
            self.grid = grid
            self._paint(self._arranged())
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
            g = self.grid
            if g.per_row == 1:
                left.setLabel(translate("Views", "output channel"), color=FOREGROUND)
                bottom.setLabel(translate("Views", "input channel ({0}×{1} kernels)").format(kh, kw), color=FOREGROUND)
                left.setTicks([_kernel_ticks(out, kh, r0, rows_fit)])
                bottom.setTicks([_kernel_ticks(inp, kw, c0, cols_fit)])
            elif inp == 1:  # wrapped: the grid's rows and columns are no channel
                left.setLabel("", color=FOREGROUND)
                bottom.setLabel(translate("Views", "output channels {0}–{1}, row by row ({2}×{3} kernels)").format(
                    r0, r0 + out - 1, kh, kw), color=FOREGROUND)
                left.setTicks([[]])
                bottom.setTicks([[]])
            else:  # several output channels a row, each a strip of its input channels' kernels
                left.setLabel(translate("Views", "output channels"), color=FOREGROUND)
                bottom.setLabel(translate("Views", "input channel ({0}×{1} kernels), {2} output channels a row")
                                .format(kh, kw, g.per_row), color=FOREGROUND)
                left.setTicks([_strip_row_ticks(g, r0, rows_fit)])
                bottom.setTicks([_strip_input_ticks(g, c0, cols_fit)])
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
        where = describe_pixel(self.name, self.shape, row, col, self.window, self.full_shape, self.kind, self.grid)
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


def _strip_row_ticks(g: KernelGrid, first: int, most: int) -> list[tuple[float, str]]:
    """A tick per grid row (thinned to `most`) naming the output channels in it: '0–1', '2–3', …"""
    every = max(1, math.ceil(g.rows / most))
    ticks = []
    for r in range(0, g.rows, every):
        lo, hi = first + r * g.per_row, first + min(g.out, (r + 1) * g.per_row) - 1
        ticks.append((r * (g.kh + 1) + (g.kh - 1) / 2, f"{lo}–{hi}" if hi > lo else str(lo)))
    return ticks


def _strip_input_ticks(g: KernelGrid, first: int, most: int) -> list[tuple[float, str]]:
    """The input channels of every strip along a row, thinned to about `most` ticks in all."""
    every = max(1, math.ceil(g.inp * g.per_row / most))
    return [(s * g.strip_width + i * (g.kw + 1) + (g.kw - 1) / 2, str(i + first))
            for s in range(g.per_row) for i in range(0, g.inp, every)]


def _kernel_ticks(n: int, k: int, first: int = 0, most: int = 16) -> list[tuple[float, str]]:
    every = max(1, math.ceil(n / most))
    return [(i * (k + 1) + (k - 1) / 2, str(i + first)) for i in range(0, n, every)]


def peak(values: np.ndarray | None) -> float:
    """The largest finite |value| (0 when there is none): what a symmetric colour scale must reach."""
    if values is None:
        return 0.0
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0
