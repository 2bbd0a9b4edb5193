"""The gradients view: how much gradient reaches each parameter, and how much each step changes its weights.

Top: every parameter's gradient norm per step on a log axis, in depth order and in the weights view's colours, so
vanishing gradients show as the early layers' lines lying decades below the late ones. Bottom: each weight's update
ratio ‖ΔW‖/‖W‖ per step, with the usual 1e-3 guide line (CS231n: about 1e-3 is healthy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from weightstudio.core.series import BufferMirror, decimate, envelope_for
from weightstudio.core.stats import ratios_of_rows

from .base import RunView, is_growing
from .layout import header_row, make_layout_widget, small_label, view_layout
from .ranges import RangeKeeper, plot_width_px, zoom_window
from .style import (MUTED, curve, fit_legend_columns, marker_line, outside_legend, param_colors,
                    place_markers, style_plot)

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData

GUIDE_RATIO = 1e-3
LEGEND_PER_PARAM = 8  # up to this many parameters the legend names each, beyond it each layer
FLOOR = 1e-15  # a log axis has no 0: exact zeros (a dead layer's gradient) are drawn at this floor


class LogRows:
    """log10 of a `BufferMirror`'s rows, kept incrementally (only new rows are transformed).

    Values ≤ 0 go to log10(FLOOR); NaN (an update ratio not recorded: a zero-initialised bias's first step) takes
    the previous row's value, so the curves stay finite and unbroken.
    """

    def __init__(self):
        self.generation = None
        self.n = 0
        self._rows: np.ndarray | None = None

    @property
    def rows(self) -> np.ndarray:
        return self._rows[: self.n] if self._rows is not None else np.empty((0, 0), np.float32)

    def update(self, mirror: BufferMirror) -> np.ndarray:
        if mirror.generation != self.generation or mirror.n < self.n:
            self.generation, self.n, self._rows = mirror.generation, 0, None
        new = mirror.rows[self.n:]
        if len(new):
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.log10(np.where(new > 0, new, np.where(np.isnan(new), np.nan, FLOOR))).astype(np.float32)
            if np.isnan(t).any():
                seed = self._rows[self.n - 1] if self.n else np.full(t.shape[1], np.log10(FLOOR), np.float32)
                t = _fill_forward(np.vstack([seed[None], t]))[1:]
            self._append(t)
        return self.rows

    def _append(self, t: np.ndarray) -> None:
        need = self.n + len(t)
        if self._rows is None or need > len(self._rows):
            grown = np.empty((max(64, need, 2 * (0 if self._rows is None else len(self._rows))), t.shape[1]),
                             np.float32)
            if self._rows is not None:
                grown[: self.n] = self._rows[: self.n]
            self._rows = grown
        self._rows[self.n:need] = t
        self.n = need


class DecadeTicks:
    """Labels a plot's left axis, whose data are log10 values, at whole decades (1e-3, 0.01, …) with unlabelled
    2…9 minor ticks while few decades show: pyqtgraph's own log axis labels every minor tick of a short range, and
    in a short dock those labels overlap."""

    def __init__(self, plot: pg.PlotItem):
        self.axis = plot.getAxis("left")
        self.vb = plot.vb
        self.vb.sigYRangeChanged.connect(self.update)
        self._key = None

    def update(self, *_) -> None:
        lo, hi = self.vb.viewRange()[1]
        if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
            return
        height = max(40.0, float(self.vb.height()) or 200.0)
        k0, k1 = int(np.floor(lo)), int(np.ceil(hi))
        room = max(2.0, height / 28)  # a label needs about 28 pixels
        step = next(st for st in (1, 2, 3, 5, 10, 20, 50) if (k1 - k0) / st <= room or st == 50)
        key = (k0, k1, step)
        if key == self._key:
            return
        self._key = key
        major = [(float(k), decade_text(k)) for k in range(k0 - k0 % step, k1 + 1, step)]
        if sum(lo <= k <= hi for k, _ in major) < 2 and step > 1:  # keep two labels in view
            major = [(float(k), decade_text(k)) for k in range(k0, k1 + 1)]
        minor = [(float(k + np.log10(m)), "") for k in range(k0, k1 + 1) for m in range(2, 10)] \
            if step == 1 and k1 - k0 <= 4 else []
        self.axis.setTicks([major, minor])


def decade_text(k: int) -> str:
    """10^k as people write it on an axis: 0.001, 0.01, 0.1, 1, 10, 100, 1000, then 1e-4, 1e4 beyond."""
    return f"{10.0 ** k:g}" if -3 <= k <= 3 else f"1e{k}"


def _fill_forward(a: np.ndarray) -> np.ndarray:
    """Each NaN replaced by the last finite value above it in its column (row 0 must be finite)."""
    bad = np.isnan(a)
    idx = np.where(bad, 0, np.arange(len(a))[:, None])
    np.maximum.accumulate(idx, axis=0, out=idx)
    return a[idx, np.arange(a.shape[1])[None, :]]


class GradientsView(RunView):
    """Gradient norms and update ratios per step, one line per parameter.

    Owns a header row with the "Biases" check box (objectName `gradientsBiasCheck`: also draw the biases' lines;
    the gradient plot always has them, the ratio plot only when ticked, since a zero-initialised bias's ratio says
    little) and a read-out, and two plots sharing the epoch axis: gradient norms (log axis) and update ratios (log
    axis, dashed guide at 1e-3). The series come from the history's steps tier (read incrementally, reduced to about
    two points per pixel column); a run loaded from a file without recorded ratios gets them from consecutive traced
    weights instead (`ratio_source()` is then "traces"). Refreshed by the main window (~10 Hz).
    """

    title = QT_TRANSLATE_NOOP("Views", "Gradients")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.bias_check = QtWidgets.QCheckBox(self.tr("Biases"))
        self.bias_check.setObjectName("gradientsBiasCheck")
        self.bias_check.setToolTip(self.tr("Also draw the biases' update ratios (a bias initialised at 0 has a "
                                           "huge ratio at first)"))
        self.bias_check.toggled.connect(self._bias_toggled)
        self.status = small_label()
        self.status.setObjectName("gradientsStatus")
        self.plots = make_layout_widget()
        lay = view_layout(self)
        lay.addLayout(header_row(self.bias_check, fill=self.status))
        lay.addWidget(self.plots, 1)
        self.grad_plot: pg.PlotItem | None = None
        self.ratio_plot: pg.PlotItem | None = None
        self._build(None)

    # ---- public API: what is drawn ----
    def param_order(self) -> list[str]:
        """The parameters in legend order: by depth, input side first."""
        return list(self._names)

    def curve_color(self, name: str) -> tuple[int, int, int]:
        return self._colors[name]

    def grad_curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{parameter: (epoch, gradient norm)} as drawn (after decimation; norms, not their logarithms)."""
        return {n: (x, 10.0 ** y) for n, (x, y) in self._grad_drawn.items()}

    def ratio_curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{parameter: (epoch, ‖ΔW‖/‖W‖)} as drawn, for the parameters on show in the ratio plot."""
        return {n: (x, 10.0 ** y) for n, (x, y) in self._ratio_drawn.items()}

    def ratio_params(self) -> list[str]:
        return [n for n in self._names if self._ratio_visible(n)]

    def guide_value(self) -> float:
        return GUIDE_RATIO

    def ratio_source(self) -> str:
        """"recorded" (the engine's per-step ratios) or "traces" (from consecutive traced weights)."""
        return self._source

    def marker_epoch(self) -> float | None:
        return self._marker.value() if self._marker is not None and self._marker.isVisible() else None

    def show_biases(self, on: bool) -> None:
        self.bias_check.setChecked(on)

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        self.plots.clear()
        self.legend = None
        self._names: list[str] = []
        self._colors: dict[str, tuple] = {}
        self._grad_items: dict[str, pg.PlotCurveItem] = {}
        self._ratio_items: dict[str, pg.PlotCurveItem] = {}
        self._grad_drawn: dict[str, tuple] = {}
        self._ratio_drawn: dict[str, tuple] = {}
        self._mirror = None
        self._logs = LogRows()
        self._envelope = None
        self._source = "recorded"
        self._traced_ratio = None
        self._marker = self._ratio_marker = None
        self.status.setText("")
        title = self.tr("Gradient norm per step") if run is not None else self.tr("Gradients (no run)")
        self.grad_plot = style_plot(self.plots.addPlot(row=0, col=0), title, "", self.tr("‖gradient‖ (log scale)"),
                                    self.show_grid)
        self.ratio_plot = style_plot(self.plots.addPlot(row=1, col=0),
                                     self.tr("Update ratio ‖ΔW‖ / ‖W‖ per step"), self.tr("epoch"),
                                     self.tr("ratio (log scale)"), self.show_grid)
        self.ratio_plot.setXLink(self.grad_plot)
        # The data is log10'd here; the axes label decades. Kept: a signal does not keep its slot's object alive.
        self._ticks = [DecadeTicks(plot) for plot in (self.grad_plot, self.ratio_plot)]
        self._keeper = RangeKeeper(self.grad_plot)
        self._ratio_keeper = RangeKeeper(self.ratio_plot, x=False)
        self._keeper.watch(self.ratio_plot)
        self.grad_plot.vb.sigXRangeChanged.connect(self._range_changed)
        guide = pg.InfiniteLine(pos=np.log10(GUIDE_RATIO), angle=0, movable=False,
                                pen=pg.mkPen((90, 90, 90), width=1, style=QtCore.Qt.PenStyle.DashLine),
                                label=self.tr("1e-3"), labelOpts={"position": 0.99, "color": MUTED,
                                                                  "anchors": [(1, 0), (1, 0)]})
        guide.setZValue(-5)
        self.ratio_plot.addItem(guide, ignoreBounds=True)
        self._guide = guide
        if run is None:
            return
        h = run.history
        self._names = [p.name for p in h.params]  # named_parameters() order: input side first
        self._colors = param_colors(h.params)
        self._weights = {p.name for p in h.params if p.is_weight}
        n = len(h.params)
        self._mirror = BufferMirror("steps", np.concatenate([[0], h.grad_norm_columns(), h.update_columns()]))
        per_layer = n > LEGEND_PER_PARAM  # deep nets: one entry per layer, or the legend crowds out the plots
        legend = self.legend = outside_legend(self.plots.ci, 2, min(6 if per_layer else 4, max(2, n)))
        for p in h.params:
            name = p.name
            g = curve(self._colors[name])
            self.grad_plot.addItem(g)
            self._grad_items[name] = g
            r = curve(self._colors[name])
            self.ratio_plot.addItem(r)
            self._ratio_items[name] = r
            if not per_layer:
                legend.addItem(_Swatch(self._colors[name]), name)
            elif p.is_weight or not any(q.layer == p.layer and q.is_weight for q in h.params):
                legend.addItem(_Swatch(self._colors[name]), self.tr("layer {0}").format(p.layer))
        if per_layer:
            legend.addItem(_Swatch((60, 60, 60)), self.tr("bias: darker shade"))
        self.legend_max_columns = 6 if per_layer else 4
        self._marker = marker_line(self.grad_plot)
        self._ratio_marker = marker_line(self.ratio_plot, label=False)
        self.plots.ci.layout.setRowStretchFactor(0, 1)
        self.plots.ci.layout.setRowStretchFactor(1, 1)
        fit_legend_columns(legend, self.width() - 20)
        self._n = n

    # ---- drawing ----
    def _draw(self, run: RunData) -> None:
        h = run.history
        m = self._mirror
        m.sync(h)
        count = self._frame_count(run, m.keys)  # up to the frame's step: what the other views show
        rows, keys = m.rows[:count], m.keys[:count]
        n = self._n
        x = rows[:, 0].astype(np.float64) if len(rows) else np.empty(0)
        logs = self._logs.update(_NoEpochMirror(m))[:count]  # log10 of the norm and ratio columns
        self.drawn_step = int(keys[-1]) if len(keys) else None
        if len(rows) and not np.isfinite(rows[:, 1 + n:]).any():
            self._source = "traces"
        buckets = plot_width_px(self.grad_plot)
        growing = is_growing(run)
        if len(x) == 0:  # nothing stepped yet (or a reset): empty curves
            empty = np.empty(0)
            for name in self._names:
                self._grad_items[name].setData(empty, empty)
                self._ratio_items[name].setData(empty, empty)
                self._grad_drawn[name] = (empty, empty)
            self._ratio_drawn = {n: (empty, empty) for n in self._names if self._ratio_visible(n)}
            self.status.setText("")
            return
        self._envelope = envelope_for(self._envelope, 2 * n, buckets, m.generation)
        self._envelope.feed(x, logs)
        window = zoom_window(self.grad_plot, x, buckets, self._keeper.following)
        xd, vd = self._envelope.output(x, logs) if window is None else decimate(x[window], logs[window], buckets)
        self._draw_grads(xd, vd[:, :n], growing)
        if self._source == "traces":
            xr, vr = self._traced_ratios(run)
        else:
            xr, vr = xd, vd[:, n:]
        self._draw_ratios(xr, vr, growing)
        self._update_status(rows[self._shown_row(run, keys)], n)
        self._place_marker(run)

    def _draw_grads(self, xd: np.ndarray, vd: np.ndarray, growing: bool) -> None:
        for i, name in enumerate(self._names):
            y = vd[:, i]
            self._grad_items[name].setData(xd, y)
            self._grad_drawn[name] = (xd, y)
        if len(xd):
            self._keeper.update(0.0, float(xd[-1]), float(vd.min()), float(vd.max()), growing)

    def _draw_ratios(self, xr: np.ndarray, vr: np.ndarray, growing: bool) -> None:
        self._ratio_drawn = {}
        lo = hi = None
        for i, name in enumerate(self._names):
            item = self._ratio_items[name]
            on = self._ratio_visible(name) and len(xr) > 0
            item.setVisible(on)
            if not on:
                continue
            y = vr[:, i]
            item.setData(xr, y)
            self._ratio_drawn[name] = (xr, y)
            lo = y.min() if lo is None else min(lo, y.min())
            hi = y.max() if hi is None else max(hi, y.max())
        if lo is not None:
            g = np.log10(GUIDE_RATIO)  # the guide stays in view
            self._ratio_keeper.update(0.0, float(xr[-1]), float(min(lo, g)), float(max(hi, g)), growing)

    def _shown_row(self, run: RunData, keys: np.ndarray) -> int:
        """The row of the state on show (the timeline's snapshot, else the frame's step): what the status names."""
        i = self._resolved_snapshot(run)
        if i is None:
            return len(keys) - 1
        return max(0, int(np.searchsorted(keys, run.history.snapshot_steps()[i], side="right")) - 1)

    def _traced_ratios(self, run: RunData) -> tuple[np.ndarray, np.ndarray]:
        """Ratios between consecutive traced rows, for a run recorded without them (computed once per version and
        frame step)."""
        h = run.history
        frame = self._live_frame(run)
        key = (h.version, None if frame is None else frame.step)
        if self._traced_ratio is None or self._traced_ratio[0] != key:
            steps, values = h.trace_data()
            count = self._frame_count(run, steps)
            steps, values = steps[:count], values[:count]
            sizes = [len(t) for t in h.traced]
            r = ratios_of_rows(values, sizes)
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.log10(np.where(r > 0, r, FLOOR))
            logs = np.where(np.isfinite(logs), logs, np.log10(FLOOR)).astype(np.float32)
            x = steps[1:] / max(1, h.steps_per_epoch)
            x, logs = decimate(x.astype(np.float64), logs, plot_width_px(self.ratio_plot))
            self._traced_ratio = (key, x, logs)
        return self._traced_ratio[1], self._traced_ratio[2]

    def _ratio_visible(self, name: str) -> bool:
        return name in self._weights or self.bias_check.isChecked()

    def _update_status(self, last: np.ndarray, n: int) -> None:
        """What the row of the step on show says: the spread of the weights' gradient norms and update ratios."""
        norms = last[1:1 + n]
        ratios = last[1 + n:]
        weights = [i for i, name in enumerate(self._names) if name in self._weights]
        parts = []
        ok = norms[weights][np.isfinite(norms[weights])]
        if len(ok):
            parts.append(self.tr("gradient norms {0}–{1}").format(_fmt(ok.min()), _fmt(ok.max())))
        r = ratios[weights][np.isfinite(ratios[weights])]
        if len(r):
            parts.append(self.tr("weights' update ratios {0}–{1}").format(_fmt(r.min()), _fmt(r.max())))
        if self._source == "traces":
            parts.append(self.tr("ratios from the traced weights"))
        self.status.setText("   ".join(parts))
        self.status.setStyleSheet(f"color: {MUTED};")

    def _place_marker(self, run: RunData) -> None:
        place_markers((self._marker, self._ratio_marker), self._snapshot_epoch(run))

    def _snapshot_changed(self) -> None:
        if self._run is not None:
            self._place_marker(self._run)

    def _bias_toggled(self, _on: bool) -> None:
        self._ratio_keeper.reset()
        self._redraw()

    def _range_changed(self, *_) -> None:
        if not self._keeper.following:
            self._schedule_redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._schedule_redraw()


class _NoEpochMirror:
    """A mirror's view without its first (epoch) column, for `LogRows`."""

    def __init__(self, mirror: BufferMirror):
        self.generation, self.n = mirror.generation, mirror.n
        self.rows = mirror.rows[:, 1:]


class _Swatch(pg.PlotDataItem):
    def __init__(self, color):
        super().__init__(pen=pg.mkPen(color, width=2))


def _fmt(v: float) -> str:
    return f"{v:.2g}" if 1e-3 <= abs(v) < 1e4 else f"{v:.1e}"
