"""The distributions view: one parameter's weights (or gradients) over training, drawn as TensorBoard draws them.

Top, its "distributions": percentile bands over time (min–max, 7–93%, 16–84%, 31–69%: a normal's ±1.5σ, ±σ,
±0.5σ) around the median. Bottom, its "histograms": a time × value image whose colour is how many values fall in
each bin. Both read the history's sketches tier (core.stats), or sketch the recorded snapshots when those are the finer
record: a full-batch net has one every step, and a run opened from a folder has no sketches tier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from weightstudio.core.series import BufferMirror, spread
from weightstudio.core.stats import MEDIAN, SKETCH_QUANTILES, Sketcher, histogram_image

from .base import RunView, is_growing
from .layout import header_row, make_layout_widget, small_label, view_layout
from .ranges import RangeKeeper, plot_width_px
from .style import (colour_bar, curve, image_lut, marker_line, param_colors, place_markers, shape_text,
                    style_plot)
from .weight_bands import band_path

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData

VALUE_BINS = 64  # rows of the histogram image
MIN_COUNT = 0.2  # the colour scale's low end, in values per bin
MAX_COLUMNS = 400  # time columns of the image (and points of the bands) at most
SNAPSHOT_SKETCHES = 300  # snapshots sketched at most (steps that are multiples of 2^k: stable as a run grows)
SNAPSHOT_SOURCE_LIMIT = 20_000  # weights up to which snapshots, when more numerous, are sketched instead
COLORMAP = "CET-L17"  # white → yellow → red → blue-black: empty bins read as paper
_BAND_PAIRS = [(0, 8), (1, 7), (2, 6), (3, 5)]  # quantile columns, outermost band first
_BAND_ALPHA = [45, 75, 110, 150]


class DistributionsView(RunView):
    """One parameter's distribution over training: percentile bands and a histogram image, sharing the epoch axis.

    Owns the parameter chooser (QComboBox `distributionsParamCombo`, every parameter with its shape), the
    weights/gradients chooser (QComboBox `distributionsKindCombo`), a note (objectName `distributionsNote`) saying
    what the sketches read (a sample, the snapshots), and two plots with the timeline marker. Gradients exist only
    after the first step, so their series starts there. Refreshed by the main window (~10 Hz).
    """

    title = QT_TRANSLATE_NOOP("Views", "Distributions")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        small = QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        self.param_combo = QtWidgets.QComboBox()
        self.param_combo.setObjectName("distributionsParamCombo")
        self.param_combo.setToolTip(self.tr("Which parameter's distribution to show"))
        self.param_combo.setSizeAdjustPolicy(small)
        self.param_combo.setMinimumContentsLength(16)
        self.param_combo.currentIndexChanged.connect(self._selection_changed)
        self.kind_combo = QtWidgets.QComboBox()
        self.kind_combo.setObjectName("distributionsKindCombo")
        self.kind_combo.addItems([self.tr("Weights"), self.tr("Gradients")])
        self.kind_combo.setToolTip(self.tr("The parameter's values, or the gradient of the step that produced them"))
        self.kind_combo.currentIndexChanged.connect(self._selection_changed)
        self.note = small_label()
        self.note.setObjectName("distributionsNote")
        self.plots = make_layout_widget()
        lay = view_layout(self)
        lay.addLayout(header_row(self.param_combo, self.kind_combo, fill=self.note))
        lay.addWidget(self.plots, 1)
        self.band_plot: pg.PlotItem | None = None
        self.hist_plot: pg.PlotItem | None = None
        self._build(None)

    # ---- public API ----
    def param(self) -> str:
        return self.param_combo.currentData() or ""

    def set_param(self, name: str) -> None:
        i = self.param_combo.findData(name)
        if i < 0:
            raise KeyError(f"no parameter {name!r}")
        self.param_combo.setCurrentIndex(i)

    def gradient(self) -> bool:
        return self.kind_combo.currentIndex() == 1

    def set_gradient(self, on: bool) -> None:
        self.kind_combo.setCurrentIndex(1 if on else 0)

    def source(self) -> str:
        """"sketches" (the history's tier) or "snapshots" (sketched here from the recorded snapshots)."""
        return self._source

    def bands(self) -> tuple[np.ndarray, np.ndarray]:
        """(epoch[t], quantiles[t, 9]) as drawn: the SKETCH_QUANTILES (min, 6.68%, …, median, …, max) over time."""
        return self._bands

    def histogram(self) -> tuple[np.ndarray, tuple[float, float], tuple[float, float]]:
        """(counts[VALUE_BINS (value, low first), columns (time)], (first, last epoch), (low, high value))."""
        return self._hist

    def marker_epoch(self) -> float | None:
        return self._marker.value() if self._marker is not None and self._marker.isVisible() else None

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        self.plots.clear()
        self._mirror = None
        self._source = "sketches"
        self._snap_cache: dict[int, np.ndarray] = {}
        self._sketcher = None
        self._bands = (np.empty(0), np.empty((0, len(SKETCH_QUANTILES))))
        self._hist = (np.zeros((VALUE_BINS, 0), np.float32), (0.0, 0.0), (0.0, 0.0))
        self._marker = self._hist_marker = None
        self._drawn_key = None
        self.band_plot = style_plot(self.plots.addPlot(row=0, col=0),
                                    self.tr("Distribution (no run)") if run is None else "", "", "", self.show_grid)
        self.hist_plot = style_plot(self.plots.addPlot(row=1, col=0), "", self.tr("epoch"), "", self.show_grid)
        self.hist_plot.setXLink(self.band_plot)
        self._keeper = RangeKeeper(self.band_plot)
        self._hist_keeper = RangeKeeper(self.hist_plot, x=False)
        self._keeper.watch(self.hist_plot)
        self._fills: list[QtWidgets.QGraphicsPathItem] = []  # outermost band first
        self._image = pg.ImageItem(np.zeros((1, 1), np.float32), axisOrder="row-major")
        self.hist_plot.addItem(self._image)
        self._cmap = pg.colormap.get(COLORMAP)
        # The bar in a column of its own: both plots keep one width, so their linked epoch axes line up.
        self._bar = colour_bar(self._image, None, self._cmap, (0, 1), self.tr("values per bin (log scale)"))
        self.plots.addItem(self._bar, row=1, col=1)
        self._levels = None
        self.param_combo.blockSignals(True)
        self.param_combo.clear()
        if run is not None:
            for p in run.history.params:
                self.param_combo.addItem(f"{p.name} ({shape_text(p.shape)})", p.name)
        self.param_combo.blockSignals(False)
        self.note.setText("")
        if run is None:
            return
        h = run.history
        self._colors = param_colors(h.params)
        self._build_items()
        self._marker = marker_line(self.band_plot)
        self._hist_marker = marker_line(self.hist_plot, label=False)
        self._select(run)

    def _build_items(self) -> None:
        for _ in _BAND_PAIRS:  # polygons, not FillBetweenItem: that rebuilds its path on each change of either edge
            fill = QtWidgets.QGraphicsPathItem()
            self.band_plot.addItem(fill, ignoreBounds=True)
            self._fills.append(fill)
        self._median = curve((0, 0, 0))
        self._median.setZValue(10)
        self.band_plot.addItem(self._median)

    def _select(self, run: RunData) -> None:
        """Bind the mirror and the colours to the chosen parameter and kind."""
        h = run.history
        name = self.param()
        cols = h.sketch_columns(name, self.gradient())
        self._mirror = BufferMirror("sketches", np.arange(cols.start, cols.stop), with_latest=True)
        color = self._colors[name]
        for fill, alpha in zip(self._fills, _BAND_ALPHA):
            fill.setBrush(pg.mkBrush(*color, alpha))
            fill.setPen(pg.mkPen(None))
        self._median.setPen(pg.mkPen(tuple(int(c * 0.6) for c in color), width=2))
        what = self.tr("gradient") if self.gradient() else self.tr("weights")
        unit = self.tr("gradient value") if self.gradient() else self.tr("weight value")
        p = next(q for q in h.params if q.name == name)
        self.band_plot.setTitle(self.tr("{0} {1}: percentiles over training").format(name, what),
                                color="#202020", size="10pt")
        self.hist_plot.setTitle(self.tr("{0} {1}: histogram over training").format(name, what),
                                color="#202020", size="10pt")
        self.band_plot.setLabel("left", unit, color="#202020")
        self.hist_plot.setLabel("left", unit, color="#202020")
        self._bar.getAxis("left").setLabel(self.tr("values per bin (log scale)"), color="#202020")
        self._keeper.reset()
        self._hist_keeper.reset()
        self._levels = None
        self._drawn_key = None
        n = len(h.sketched[h.names.index(name)]) if h.sketched is not None else p.count
        note = []
        if n < p.count:
            note.append(self.tr("sketched from a fixed sample of {0} of its {1} values").format(f"{n:,}",
                                                                                               f"{p.count:,}"))
        self._base_note = note

    # ---- drawing ----
    def _draw(self, run: RunData) -> None:
        h = run.history
        m = self._mirror
        m.sync(h)
        keys, rows = m.all_keys(), m.all_rows()
        n_snap = h.snapshot_count()
        if n_snap > len(keys) and (len(keys) <= 1 or h.total_weights <= SNAPSHOT_SOURCE_LIMIT):
            keys, rows = self._snapshot_sketches(run)
            self._source = "snapshots"
        else:
            self._source = "sketches"
        count = self._frame_count(run, keys)  # up to the frame's step: what the other views show
        keys, rows = keys[:count], rows[:count]
        ok = np.isfinite(rows).all(1) if len(rows) else np.zeros(0, bool)
        keys, rows = keys[ok], rows[ok]  # gradients: none before the first step
        self.drawn_step = int(keys[-1]) if len(keys) else None
        note = list(self._base_note)
        if self._source == "snapshots":
            note.append(self.tr("from the recorded snapshots"))
        self.note.setText("; ".join(note))
        if len(keys) == 0:
            self._bands = (np.empty(0), np.empty((0, len(SKETCH_QUANTILES))))
            for fill in self._fills:
                fill.setPath(QtGui.QPainterPath())
            self._median.setData([], [])
            self._image.setImage(np.full((1, 1), np.nan, np.float32), autoLevels=False)
            return
        x = keys / max(1, h.steps_per_epoch)
        width = min(MAX_COLUMNS, max(16, plot_width_px(self.band_plot) // 2))
        self._draw_bands(x, rows, width, is_growing(run))
        self._draw_histogram(x, rows, width, is_growing(run))
        self._place_marker(run)

    def _draw_bands(self, x: np.ndarray, rows: np.ndarray, width: int, growing: bool) -> None:
        pick = spread(len(x), 2 * width)
        xs, q = x[pick], rows[pick, :len(SKETCH_QUANTILES)].astype(np.float64)
        self._bands = (xs, q)
        for fill, (a, b) in zip(self._fills, _BAND_PAIRS):
            fill.setPath(band_path(xs, q[:, a], q[:, b]))
        self._median.setData(xs, q[:, MEDIAN])
        self._keeper.update(float(xs[0]), float(xs[-1]), float(q[:, 0].min()), float(q[:, -1].max()), growing)

    def _draw_histogram(self, x: np.ndarray, rows: np.ndarray, width: int, growing: bool) -> None:
        """Columns on a uniform time grid (the nearest sketch to each), all on one value grid."""
        x0, x1 = float(x[0]), float(x[-1])
        cols = int(min(width, len(x)))
        grid = np.linspace(x0, x1, cols) if cols > 1 else np.array([x0])
        idx = np.clip(np.searchsorted(x, grid), 0, len(x) - 1)
        prev = np.clip(idx - 1, 0, len(x) - 1)
        idx = np.where(np.abs(x[prev] - grid) < np.abs(x[idx] - grid), prev, idx)
        lo, hi = float(rows[:, 0].min()), float(rows[:, len(SKETCH_QUANTILES) - 1].max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        img = histogram_image(rows[idx], lo, hi, VALUE_BINS)
        self._hist = (img, (x0, x1), (lo, hi))
        # Counts on a log scale: a distribution's tails hold a few values where its centre holds hundreds. The
        # scale starts at MIN_COUNT (resampling onto the grid spreads a value over neighbouring bins), so a bin
        # holding one value is clearly coloured; emptier bins stay transparent: white paper.
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.where(img >= MIN_COUNT, np.log10(img), np.nan).astype(np.float32)
        finite = shown[np.isfinite(shown)]
        top = max(1.0, float(np.ceil(finite.max() * 4) / 4)) if len(finite) else 1.0
        levels = (float(np.log10(MIN_COUNT)), top)
        if self._levels != levels:
            self._levels = levels
            self._bar.setLevels(levels)
            ticks = [(float(k), f"{10 ** k:,}") for k in range(int(np.floor(top)) + 1)]
            self._bar.axis.setTicks([ticks, []])  # the bar's value axis: counts, not their logarithms
        self._image.setImage(shown, autoLevels=False, levels=self._levels)
        self._image.setLookupTable(image_lut(self._cmap))
        dx = (x1 - x0) / max(1, cols - 1) if cols > 1 else 1.0
        self._image.setRect(QtCore.QRectF(x0 - dx / 2, lo, (x1 - x0) + dx, hi - lo))
        self._hist_keeper.update(x0, x1, lo, hi, growing)

    def _snapshot_sketches(self, run: RunData) -> tuple[np.ndarray, np.ndarray]:
        """Sketches of up to SNAPSHOT_SKETCHES snapshots spread over the run, each computed once."""
        h = run.history
        steps = h.snapshot_steps()
        name, grad = self.param(), self.gradient()
        j = h.names.index(name)
        idx = None if h.sketched is None else h.sketched[j]
        if self._sketcher is None or self._sketcher[0] != (name, grad):
            n = h.params[j].count if idx is None else len(idx)
            self._sketcher = ((name, grad), Sketcher([n]))
            self._snap_cache = {}
        sketch = self._sketcher[1]
        out_keys, out_rows = [], []
        # Chosen by step, not by position: the history thins its snapshots as the run grows, which moves the
        # positions, and a choice by position then sketched tens of snapshots anew at every draw.
        stride = 1
        while np.count_nonzero(steps % stride == 0) > SNAPSHOT_SKETCHES:
            stride *= 2
        cache = {}
        for i in sorted(set(np.flatnonzero(steps % stride == 0).tolist()) | {len(steps) - 1}):
            step = int(steps[i])
            row = self._snap_cache.get(step)
            if row is None:
                snap = h.snapshot(int(i))
                v = (snap.grads if grad else snap.params)[name].reshape(-1)
                row = sketch(v if idx is None else v[idx])[0]
            cache[step] = row
            out_keys.append(step)
            out_rows.append(row)
        self._snap_cache = cache  # only the snapshots on show: the newest one changes at every draw
        return np.array(out_keys, np.int64), np.array(out_rows, np.float32)

    def _place_marker(self, run: RunData) -> None:
        place_markers((self._marker, self._hist_marker), self._snapshot_epoch(run))

    def _snapshot_changed(self) -> None:
        if self._run is not None:
            self._place_marker(self._run)

    def _selection_changed(self, *_) -> None:
        if self._run is not None and self.param():
            self._select(self._run)
            self._redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._schedule_redraw()
