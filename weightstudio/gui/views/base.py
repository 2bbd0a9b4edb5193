"""What every run view shares: binding to a run, version-gated refresh, the timeline, and cheap drawing helpers.

A view is created once, bound to a run with `set_run`, and then polled by the main window's QTimer through
`refresh()`. A refresh that finds `history.version` unchanged does nothing and returns False, so an idle or paused
run costs nothing. Drawing follows ARCHITECTURE.md ("Patterns worth copying"): items are created once per run and
fed with `setData`; long series are read incrementally (`BufferMirror`) and reduced to about two points per pixel
column (`Envelope`, `decimate`) before they reach Qt, because every millisecond spent painting is taken from the
training thread (PySide6 holds the GIL while Qt paints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData


# ---- look ----------------------------------------------------------------------------------------------------

BACKGROUND = "w"
FOREGROUND = "#202020"
AXIS_PEN = "#606060"
MUTED = "#707070"
TITLE_SIZE = "10pt"
# Tableau 10: distinct on white, one colour per layer.
PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
TRAIN_COLOR = (31, 119, 180)
VAL_COLOR = (255, 127, 14)
FIT_COLOR = (220, 0, 0)
MARKER_PEN = pg.mkPen((90, 90, 90), width=1, style=QtCore.Qt.PenStyle.DashLine)
DEFAULT_PLOT_WIDTH = 800  # pixels assumed for decimation before a view has been laid out


def layer_color(index: int) -> tuple[int, int, int]:
    return PALETTE[index % len(PALETTE)]


def param_colors(params) -> dict[str, tuple[int, int, int]]:
    """A colour per parameter: one hue per layer that has parameters (in order: blue, orange, green, …), the bias a
    darker shade of its layer's hue, so a layer's lines read as one family."""
    layers = sorted({p.layer for p in params})
    order = {layer: i for i, layer in enumerate(layers)}
    out = {}
    for p in params:
        r, g, b = layer_color(order[p.layer])
        out[p.name] = (int(r * 0.55), int(g * 0.55), int(b * 0.55)) if p.name.endswith(".bias") else (r, g, b)
    return out


def shape_text(shape) -> str:
    return "×".join(str(int(s)) for s in shape)


def make_layout_widget(parent: QtWidgets.QWidget | None = None) -> pg.GraphicsLayoutWidget:
    w = pg.GraphicsLayoutWidget(parent, show=False)
    w.setBackground(BACKGROUND)
    w.ci.setContentsMargins(4, 4, 8, 4)
    return w


def style_axis(axis: pg.AxisItem) -> None:
    axis.setPen(pg.mkPen(AXIS_PEN, width=1))
    axis.setTextPen(pg.mkPen(FOREGROUND))
    axis.enableAutoSIPrefix(False)  # "(x0.001)" on a label without units only confuses


def style_plot(plot: pg.PlotItem, title: str = "", x: str = "", y: str = "", grid: bool = False) -> pg.PlotItem:
    """Dark text on white, pen width 1, titled and labelled: one look for every view and every saved figure.

    Grid lines are off in live views: pyqtgraph draws them as part of the axes, so with a grid every data update
    repaints both axes and their text (measured ~4 ms a frame per plot, offscreen). Saved figures turn them on.
    """
    set_title(plot, title)
    for side in ("left", "bottom", "top", "right"):
        style_axis(plot.getAxis(side))
    if x:
        plot.setLabel("bottom", x, color=FOREGROUND)
    if y:
        plot.setLabel("left", y, color=FOREGROUND)
    if grid:
        plot.showGrid(x=True, y=True, alpha=0.15)
    return plot


def set_title(plot: pg.PlotItem, title: str, size: str = TITLE_SIZE) -> None:
    """Title a plot; lines split by "<br>" get the room they need (pyqtgraph fixes the title row at 30 px)."""
    multi = "<br>" in title
    if multi:
        title = f"<div align='center'>{title}</div>"
    plot.setTitle(title, color=FOREGROUND, size=size)
    if multi:  # Qt centres lines only within a set text width
        item = plot.titleLabel.item
        item.setTextWidth(-1)
        item.setTextWidth(item.document().idealWidth())
    height = 12 + 18 * (title.count("<br>") + 1)
    if height > 30:
        plot.titleLabel.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, height)


def outside_legend(layout: pg.GraphicsLayout, row: int, columns: int, col: int = 0) -> pg.LegendItem:
    """A legend in its own row of `layout`, under the plots: it never hides data, whatever the dock's size."""
    legend = pg.LegendItem(colCount=columns, labelTextColor=FOREGROUND, verSpacing=-6, horSpacing=24)
    layout.addItem(legend, row=row, col=col)
    legend.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
    return legend


def fit_legend_columns(legend: pg.LegendItem | None, width: float, max_columns: int = 4) -> None:
    """As many legend columns as fit `width` pixels: a legend wider than its dock would push the plot out of view."""
    if legend is None or not legend.items or width <= 0:
        return
    entry = max(label.item.boundingRect().width() for _, label in legend.items) + 20 + 24 + 8  # text, sample, gaps
    cols = max(1, min(max_columns, len(legend.items), int(width // entry)))
    if cols != legend.columnCount:
        legend.setColumnCount(cols)


def marker_line(plot: pg.PlotItem, label: bool = True) -> pg.InfiniteLine:
    """The timeline's vertical marker: hidden while following live, at the chosen snapshot's epoch otherwise."""
    opts = {"position": 0.9, "color": FOREGROUND, "fill": pg.mkBrush(255, 255, 255, 200)}
    line = pg.InfiniteLine(angle=90, movable=False, pen=MARKER_PEN,
                           label="epoch {value:g}" if label else None, labelOpts=opts if label else None)
    line.setZValue(50)
    line.hide()
    plot.addItem(line, ignoreBounds=True)
    return line


def curve(color, alpha: int = 255, **kw) -> pg.PlotCurveItem:
    """A cheap line: width 1, no antialiasing, finite data assumed (callers guarantee it)."""
    kw.setdefault("skipFiniteCheck", True)
    return pg.PlotCurveItem(pen=pg.mkPen((*color[:3], alpha), width=1), antialias=False, **kw)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ value (value > 0): a round colour-bar
    end that wastes at most a quarter of the colour range."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10**exp >= value * (1 - 1e-6):  # float32 inputs: 0.3 must stay 0.3
            return float(f"{m * 10**exp:.3g}")
    return 10 ** (exp + 1)


def plot_width_px(plot: pg.PlotItem) -> int:
    w = plot.vb.width() if plot is not None else 0
    return int(w) if w and w > 50 else DEFAULT_PLOT_WIDTH


def is_growing(run: RunData) -> bool:
    """Whether the run may still add data (ranges then keep room ahead)."""
    return run.history.status in ("running", "paused")


def epoch_text(epoch: float) -> str:
    return f"{epoch:.0f}" if abs(epoch - round(epoch)) < 1e-6 else f"{epoch:.2f}"


# ---- data in: incremental mirrors of history buffers ---------------------------------------------------------


class BufferMirror:
    """An incremental copy of selected columns of one `DecimatingBuffer` of a `History`.

    `History.trace_data()`/`step_data()` copy the whole buffer on each call (up to the tier's byte budget, 128 MiB
    for traces) while holding the lock the training thread writes under. A view polling at 10–30 Hz would spend
    most of its time copying, and stall the trainer. The mirror instead copies only the rows appended since the
    last sync (one `row(i)` each), using the buffer's public API under `history.lock`, and reloads everything only
    when the buffer has decimated itself (its stride changed), which happens a few times per run at most.

    `generation` increments on every full reload, so reducers built on the mirror know to start over.
    """

    def __init__(self, buffer_name: str, columns: np.ndarray | None = None, with_latest: bool = False):
        self.buffer_name = buffer_name
        self.columns = None if columns is None else np.asarray(columns, np.intp)
        self.with_latest = with_latest
        self.generation = 0
        self._buffer = None
        self._reset()

    def _reset(self) -> None:
        self.n = 0
        self.stride = None
        self._keys = np.empty(0, np.int64)
        self._rows: np.ndarray | None = None
        self.tail: tuple[int, np.ndarray] | None = None  # newest row when the buffer did not store it (stride > 1)
        self.generation += 1

    @property
    def keys(self) -> np.ndarray:
        return self._keys[: self.n]

    @property
    def rows(self) -> np.ndarray:
        if self._rows is None:
            return np.empty((0, 0 if self.columns is None else len(self.columns)), np.float32)
        return self._rows[: self.n]

    def all_keys(self) -> np.ndarray:
        """Stored keys plus the tail's."""
        return self.keys if self.tail is None else np.append(self.keys, self.tail[0])

    def all_rows(self) -> np.ndarray:
        return self.rows if self.tail is None else np.concatenate([self.rows, self.tail[1][None]])

    def _select(self, rows: np.ndarray) -> np.ndarray:
        return rows if self.columns is None else rows[..., self.columns]

    def _append(self, keys: np.ndarray, rows: np.ndarray) -> None:
        need = self.n + len(keys)
        if self._rows is None or need > len(self._rows):
            cap = max(64, need, 2 * (0 if self._rows is None else len(self._rows)))
            new_rows = np.empty((cap, rows.shape[1]), rows.dtype)
            new_keys = np.empty(cap, np.int64)
            if self._rows is not None and self.n:
                new_rows[: self.n] = self._rows[: self.n]
                new_keys[: self.n] = self._keys[: self.n]
            self._rows, self._keys = new_rows, new_keys
        self._rows[self.n:need] = rows
        self._keys[self.n:need] = keys
        self.n = need

    def sync(self, history) -> bool:
        """Bring the mirror up to date with `history`; True when anything changed."""
        buf = getattr(history, self.buffer_name)
        with history.lock:
            size, stride = buf.size, buf.stride
            if buf is not self._buffer or stride != self.stride or size < self.n:
                self._buffer = buf
                self._reset()
                self.stride = stride
                keys, rows = buf.keys(False), self._select(buf.rows(False))
                changed = True
            elif size > self.n:
                keys = buf.keys(False)[self.n:]
                if size - self.n > max(512, size // 4):
                    rows = self._select(buf.rows(False)[self.n:])
                else:
                    rows = np.stack([self._select(buf.row(i)) for i in range(self.n, size)])
                changed = True
            else:
                keys = rows = None
                changed = False
            tail = None
            if self.with_latest and len(buf) > buf.size:
                tail = (int(buf.latest_key), self._select(buf.row(-1)))
        if keys is not None and len(keys):
            self._append(keys, rows)
        if (tail is None) != (self.tail is None) or (tail is not None and tail[0] != self.tail[0]):
            changed = True
        self.tail = tail
        return changed


# ---- data out: about two points per pixel column -------------------------------------------------------------


def _pairs(x0, x1, mins, maxs, first, last) -> tuple[np.ndarray, np.ndarray]:
    """Two points per bucket: (x0, ·) and (x1, ·), the extremes in the order the series visited them (a falling
    bucket draws max then min), so a coarse bucket does not zig-zag."""
    b = len(x0)
    xo = np.empty(2 * b, np.float64)
    xo[0::2], xo[1::2] = x0, x1
    falling = first > last
    vo = np.empty((2 * b,) + mins.shape[1:], np.float32)
    vo[0::2] = np.where(falling, maxs, mins)
    vo[1::2] = np.where(falling, mins, maxs)
    return xo, vo


def decimate(x: np.ndarray, v: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """Min/max ("peak") reduction of rows `v[n, k]` at positions `x[n]` to at most `2 * buckets` rows.

    Each bucket (about one pixel column) contributes its minimum and maximum, so spikes survive. Returns the input
    untouched when it is already small enough.
    """
    n = len(x)
    if n <= 2 * buckets:
        return x, v
    starts = np.unique(np.linspace(0, n, buckets + 1).astype(np.intp)[:-1])
    ends = np.append(starts[1:], n) - 1
    mins = np.minimum.reduceat(v, starts, axis=0)
    maxs = np.maximum.reduceat(v, starts, axis=0)
    return _pairs(x[starts], x[ends], mins, maxs, v[starts], v[ends])


class Envelope:
    """Streaming min/max reduction of a growing series `v[n, k]` (k lines sharing x) to ≤ `buckets` buckets.

    Rows are folded into buckets of `m` rows once `m` rows are available; when more than `buckets` buckets exist,
    neighbours merge and `m` doubles. Each refresh therefore costs O(new rows × k + buckets × k) instead of a pass
    over the whole history, whatever the run's length. The rows not yet forming a full bucket are reduced on output.
    """

    def __init__(self, k: int, buckets: int):
        self.k = k
        self.buckets = max(8, int(buckets))
        self.m = 1
        self.nb = 0
        self.consumed = 0  # always nb * m: bucket i holds rows [i*m, (i+1)*m)
        cap = self.buckets + 1
        self.mins = np.empty((cap, k), np.float32)
        self.maxs = np.empty((cap, k), np.float32)
        self.first = np.empty((cap, k), np.float32)
        self.last = np.empty((cap, k), np.float32)
        self.x0 = np.empty(cap, np.float64)
        self.x1 = np.empty(cap, np.float64)

    def suits(self, buckets: int) -> bool:
        """Whether this envelope's resolution still fits `buckets` (a plot's width in pixels, or the share of a
        vertex budget) within ±25%."""
        return 0.8 <= max(8, int(buckets)) / self.buckets <= 1.25

    def feed(self, x: np.ndarray, v: np.ndarray) -> None:
        """Fold in the rows of `x`, `v` (the whole series so far; rows before `consumed` are not read again)."""
        n = len(x)
        while True:
            q = (n - self.consumed) // self.m
            if q == 0:
                return
            room = self.buckets - self.nb
            if room == 0:
                self._merge()
                continue
            q = min(q, room)
            s, m = self.consumed, self.m
            e = s + q * m
            blk = v[s:e].reshape(q, m, self.k)
            i = self.nb
            self.first[i:i + q] = blk[:, 0]
            self.last[i:i + q] = blk[:, -1]
            if m == 1:
                self.mins[i:i + q] = blk[:, 0]
                self.maxs[i:i + q] = blk[:, 0]
            else:
                self.mins[i:i + q] = blk.min(1)
                self.maxs[i:i + q] = blk.max(1)
            self.x0[i:i + q] = x[s:e:m]
            self.x1[i:i + q] = x[s + m - 1:e:m]
            self.nb += q
            self.consumed = e

    def _merge(self) -> None:
        if self.nb % 2:
            self.nb -= 1
            self.consumed -= self.m  # the odd bucket out is re-read at the new size
        nb, h = self.nb, self.nb // 2
        self.mins[:h] = np.minimum(self.mins[0:nb:2], self.mins[1:nb:2])
        self.maxs[:h] = np.maximum(self.maxs[0:nb:2], self.maxs[1:nb:2])
        self.first[:h] = self.first[0:nb:2]
        self.last[:h] = self.last[1:nb:2]
        self.x0[:h] = self.x0[0:nb:2]
        self.x1[:h] = self.x1[1:nb:2]
        self.nb = h
        self.m *= 2

    def output(self, x: np.ndarray, v: np.ndarray, max_points: int | None = None,
               extra: tuple[float, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(x[P], y[P, k]) to draw: the buckets as min/max pairs, then the rows of `x`, `v` not folded yet, then
        `extra` (x, row), a newest row that is not part of the stored series. At most about `max_points` rows."""
        nb = self.nb
        tail_x, tail_v = x[self.consumed:], v[self.consumed:]
        if extra is not None:
            tail_x = np.append(tail_x, extra[0])
            tail_v = np.concatenate([tail_v, np.asarray(extra[1], tail_v.dtype).reshape(1, -1)])
        if self.m == 1:
            xo = np.concatenate([self.x0[:nb], tail_x])
            vo = np.concatenate([self.mins[:nb], tail_v.astype(np.float32, copy=False)])
            if max_points is not None and len(xo) > max_points:
                return decimate(xo, vo, max(1, max_points // 2))
            return xo, vo
        sl = slice(0, nb)
        mins, maxs, first, last = self.mins[sl], self.maxs[sl], self.first[sl], self.last[sl]
        x0, x1 = self.x0[sl], self.x1[sl]
        if max_points is not None and 2 * nb > max_points:  # many lines share a vertex budget: coarser buckets
            g = math.ceil(2 * nb / max_points)
            full = nb // g * g
            parts = [(x0[:full:g], x1[g - 1:full:g], mins[:full].reshape(-1, g, self.k).min(1),
                      maxs[:full].reshape(-1, g, self.k).max(1), first[:full:g], last[g - 1:full:g])]
            if full < nb:  # the leftover buckets make one more
                parts.append((x0[full:full + 1], x1[nb - 1:nb], mins[full:].min(0, keepdims=True),
                              maxs[full:].max(0, keepdims=True), first[full:full + 1], last[nb - 1:nb]))
            x0, x1, mins, maxs, first, last = (np.concatenate(c) for c in zip(*parts))
        xo, vo = _pairs(x0, x1, mins, maxs, first, last)
        if len(tail_x):
            if len(tail_x) <= 3:
                tx, tv = np.asarray(tail_x, np.float64), tail_v.astype(np.float32)
            else:  # less than a bucket: its range, then the newest value, so the line ends where the weight is
                tx = np.array([tail_x[0], tail_x[len(tail_x) // 2], tail_x[-1]], np.float64)
                tv = np.stack([tail_v.min(0), tail_v.max(0), tail_v[-1]]).astype(np.float32)
            xo, vo = np.concatenate([xo, tx]), np.concatenate([vo, tv])
        return xo, vo


class RangeKeeper:
    """Fixed ranges while streaming: the view range of a plot changes only when the data leaves it.

    pyqtgraph's auto-range refits on every `setData`, so a growing series changes the range, and repaints both axes
    with their text, every frame. Here the range grows in steps (25% headroom on the side time grows towards, 10%
    elsewhere) and is refitted when the data shrinks to under half of it (a falling loss). Once the user pans or
    zooms the plot is left alone (`following` False) until the plot's "A" (auto-range) button is pressed.
    """

    def __init__(self, plot: pg.PlotItem, x: bool = True, y: bool = True):
        self.vb = plot.vb
        self.fit_x, self.fit_y = x, y
        self.following = True
        self.range: tuple[float, float, float, float] | None = None
        self._growing = True
        self.vb.disableAutoRange()
        self.vb.sigRangeChangedManually.connect(self._manual)

    def watch(self, plot: pg.PlotItem) -> None:
        """Also stop following when the user pans or zooms `plot` (a plot whose x axis is linked to this one)."""
        plot.vb.sigRangeChangedManually.connect(self._manual)

    def _manual(self, *_) -> None:
        self.following = False

    def reset(self) -> None:
        self.following = True
        self.range = None

    def update(self, x0: float, x1: float, y0: float, y1: float, growing: bool = True) -> None:
        """Fit the range to data spanning [x0, x1] × [y0, y1] if it left the range (or shrank to under half of it).
        `growing`: the run is still adding data (time runs towards +x), so leave room ahead."""
        vb = self.vb
        if any(vb.autoRangeEnabled()):  # "A" pressed (or a fresh plot): follow the data again, our way
            vb.disableAutoRange()
            self.reset()
        if not self.following or not all(map(math.isfinite, (x0, x1, y0, y1))):
            return
        r = self.range
        xs = (x1 - x0) or 1.0
        ys = (y1 - y0) or (abs(y1) * 0.1 or 1.0)
        refit = (r is None or growing != self._growing or x0 < r[0] or x1 > r[1] or y0 < r[2] or y1 > r[3]
                 or (y1 - y0) < 0.5 * (r[3] - r[2]) or (x1 - x0) < 0.5 * (r[1] - r[0]))
        if not refit:
            return
        self._growing = growing
        self.range = (x0 - 0.02 * xs, x1 + (0.25 if growing else 0.02) * xs, y0 - 0.08 * ys, y1 + 0.08 * ys)
        kw = {}
        if self.fit_x:
            kw["xRange"] = self.range[:2]
        if self.fit_y:
            kw["yRange"] = self.range[2:]
        if kw:
            vb.setRange(padding=0, **kw)


def zoom_window(plot: pg.PlotItem, x: np.ndarray, buckets: int, following: bool) -> slice | None:
    """The rows of `x` inside the plot's x range when the user has zoomed in far enough for the full-range
    envelope to look coarse (then the window is decimated on its own); None otherwise."""
    if plot is None or len(x) <= 2 * buckets or following:
        return None
    lo, hi = plot.vb.viewRange()[0]
    span = float(x[-1] - x[0])
    if span <= 0 or hi - lo > 0.5 * span:
        return None
    i0 = max(0, int(np.searchsorted(x, lo)) - 1)
    i1 = min(len(x), int(np.searchsorted(x, hi)) + 1)
    return slice(i0, i1) if i1 - i0 >= 2 else None


def flatten_lines(x: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """k lines v[P, k] sharing x[P] → one (x, y, connect) triple for a single `PlotCurveItem`."""
    p, k = v.shape
    xs = np.tile(x, k)
    ys = np.ascontiguousarray(v.T).reshape(-1)
    connect = np.ones(p * k, bool)
    connect[p - 1::p] = False
    return xs, ys, connect


# ---- the common base -----------------------------------------------------------------------------------------


class RunView(QtWidgets.QWidget):
    """Base of the docked views. Owns the binding to one `RunData`, the version gate and the timeline position.

    The main window calls `set_run` when a run is created, loaded or reset, `refresh` from its QTimer, and
    `show_snapshot` from the timeline. Subclasses implement `_build(run)` (create plot items for this run's shapes,
    once) and `_draw(run)` (update them with `setData`), and may override `_snapshot_changed()`.
    """

    title = ""
    show_grid = False  # grid lines cost a repaint of the axes per frame; figures.py turns them on for still images

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._run: RunData | None = None
        self._history = None
        self._drawn_version: int | None = None
        self._snapshot: int | None = None
        self._redraw_pending = False
        self.draw_count = 0  # redraws done, for benchmarks

    # ---- public API ----
    @property
    def run(self) -> RunData | None:
        return self._run

    def set_run(self, run: RunData | None) -> None:
        """Bind to `run` (None clears) and build its plot items; the next `refresh` draws."""
        self._run = run
        self._history = None if run is None else run.history
        self._drawn_version = None
        self._snapshot = None
        self._build(run)

    def refresh(self, force: bool = False) -> bool:
        """Redraw from the history if it changed since the last draw (or `force`); True when redrawn."""
        run = self._run
        if run is None:
            return False
        if run.history is not self._history:  # the run was reset: a fresh History
            self._history = run.history
            self._drawn_version = None
            self._build(run)
        version = run.history.version  # read before pulling, so a write during the pull triggers the next draw
        if not force and version == self._drawn_version:
            return False
        self._drawn_version = version
        self._draw(run)
        self.draw_count += 1
        return True

    def show_snapshot(self, index: int | None) -> None:
        """Show snapshot `index` of the history (None: follow the live, newest state)."""
        self._snapshot = None if index is None else int(index)
        self._snapshot_changed()
        if self._run is not None:
            self.refresh(force=True)

    def snapshot_index(self) -> int | None:
        return self._snapshot

    # ---- for subclasses ----
    def _build(self, run: RunData | None) -> None:
        raise NotImplementedError

    def _draw(self, run: RunData) -> None:
        raise NotImplementedError

    def _snapshot_changed(self) -> None:
        pass

    def _redraw(self) -> None:
        """Redraw now after a user action (a toggle, a chooser) rather than on the next timer tick."""
        if self._run is not None:
            self.refresh(force=True)

    def _schedule_redraw(self) -> None:
        """Redraw once the event loop is free, however many times this is called before (zoom, pan, resize)."""
        if self._run is not None and not self._redraw_pending:
            self._redraw_pending = True
            QtCore.QTimer.singleShot(0, self, self._scheduled_redraw)  # dropped if this view is deleted first

    def _scheduled_redraw(self) -> None:
        self._redraw_pending = False
        self._redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        fit_legend_columns(getattr(self, "legend", None), self.width() - 20, getattr(self, "legend_max_columns", 4))

    def _resolved_snapshot(self, run: RunData) -> int | None:
        """The chosen snapshot index clamped to what exists (the buffer may have thinned itself), or None."""
        if self._snapshot is None:
            return None
        count = run.history.snapshot_count()
        if count == 0:
            return None
        i = self._snapshot if self._snapshot >= 0 else count + self._snapshot
        return min(max(i, 0), count - 1)

    def _snapshot_epoch(self, run: RunData) -> float | None:
        """Fractional epoch of the chosen snapshot (step / steps per epoch), or None when following live."""
        i = self._resolved_snapshot(run)
        if i is None:
            return None
        step = int(run.history.snapshot_steps()[i])
        return step / max(1, run.history.steps_per_epoch)

    def _shown_params(self, run: RunData) -> tuple[int, float, dict[str, np.ndarray], int | None]:
        """(step, epoch, params, snapshot index or None) of the state on show: the chosen snapshot or the newest."""
        h = run.history
        i = self._resolved_snapshot(run)
        if i is None:
            step, params = h.latest_params()
            return step, step / max(1, h.steps_per_epoch), params, None
        snap = h.snapshot(i)
        return snap.step, snap.step / max(1, h.steps_per_epoch), snap.params, i


def header_row(*widgets: QtWidgets.QWidget, fill: QtWidgets.QLabel | None = None) -> QtWidgets.QHBoxLayout:
    """The small row of controls above a view's plots, left-aligned; `fill` (a read-out label) takes the rest of
    the row and is cut short rather than widening the dock."""
    row = QtWidgets.QHBoxLayout()
    row.setContentsMargins(6, 2, 6, 0)
    row.setSpacing(10)
    for w in widgets:
        row.addWidget(w)
    if fill is not None:
        fill.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        fill.setMinimumWidth(0)
        row.addWidget(fill, 1)
    else:
        row.addStretch(1)
    return row


def view_layout(widget: QtWidgets.QWidget) -> QtWidgets.QVBoxLayout:
    lay = QtWidgets.QVBoxLayout(widget)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    return lay


def small_label(text: str = "", muted: bool = True) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    if muted:
        label.setStyleSheet(f"color: {MUTED};")
    return label

