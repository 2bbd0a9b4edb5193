"""The loss view: training loss per step and validation loss per epoch, with accuracy below for classification."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from weightstudio.core.history import STEP_COLUMNS
from weightstudio.core.messages import translate as core_text
from weightstudio.core.series import BufferMirror, decimate, envelope_for

from weightstudio.core.tasks import RunState

from .base import RunView, is_growing
from .layout import Folding, header_row, label_x_ends, make_layout_widget, small_label, view_layout
from .ranges import RangeKeeper, plot_width_px, zoom_window
from .style import (FOREGROUND, TRAIN_COLOR, VAL_COLOR, curve, epoch_text, marker_line, outside_legend,
                    per_epoch_points, place_markers, style_plot)

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData

_TINY = 1e-12  # log scale: a loss of exactly 0 is drawn at this floor
# Pixels of plot area under which the plots drop their titles and the legend (the axis labels and the header say
# what is drawn): at 1024×640 the two titles and the legend took 116 of 224 px, leaving each plot 13 px.
COMPACT_BELOW = 300
SMALLER_LABEL_POINTS = (8, 7)  # a compact loss axis's label where the views' font is too large for the axis


class LossView(RunView):
    """Training loss per step and validation loss per epoch; accuracy (in %) below it for classification.

    Owns a header row with the "Log scale" check box (objectName `logScaleCheck`) and a plot area. The train
    series is read incrementally from the history's step buffer and reduced to about two points per pixel column;
    the timeline marker is a vertical line at the chosen snapshot's epoch. Refreshed by the main window (~30 Hz).
    """

    title = QT_TRANSLATE_NOOP("Views", "Loss")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.log_check = QtWidgets.QCheckBox(self.tr("Log scale"))
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setToolTip(self.tr("Show the loss on a logarithmic axis (useful once it has dropped by orders "
                                          "of magnitude)"))
        self.log_check.toggled.connect(self._log_toggled)
        self.status = small_label()
        self.plots = make_layout_widget(self)
        self.folding = Folding(self.plots, COMPACT_BELOW, self._label_axes)
        lay = view_layout(self)
        lay.addLayout(header_row(self.log_check, fill=self.status))
        lay.addWidget(self.plots, 1)
        self.loss_plot: pg.PlotItem | None = None
        self.acc_plot: pg.PlotItem | None = None
        self._overlay_runs: list[tuple[RunData, tuple[int, int, int], str]] = []
        self._run_colour: tuple[int, int, int] | None = None
        self._build(None)

    # ---- public API ----
    def set_log_scale(self, on: bool) -> None:
        self.log_check.setChecked(on)

    def log_scale(self) -> bool:
        return self.log_check.isChecked()

    def loss_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(epoch, loss) of the train curve as drawn (after decimation; in log mode, still in loss units)."""
        return self._train_drawn

    def val_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(epoch, validation loss) as drawn; empty when the run has no validation data."""
        return self._val_drawn

    def accuracy_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(epoch, train accuracy in %) as drawn; empty for regression."""
        return self._acc_drawn

    def marker_epoch(self) -> float | None:
        return self._marker.value() if self._marker is not None and self._marker.isVisible() else None

    def set_overlays(self, colour, overlays: list[tuple[RunData, tuple[int, int, int], str]]) -> None:
        """Compare runs: the bound run's curves in `colour`, and each of `overlays` (run, colour, label) as its own
        training-loss (and accuracy) curve in its colour. An empty list goes back to the one-run look."""
        self._overlay_runs = list(overlays)
        self._run_colour = colour if overlays else None
        self._rebuild_overlays()

    def overlay_curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{label: (epoch, loss)} of each overlaid run as drawn."""
        return {o.label: o.drawn for o in self._overlays}

    def refresh(self, force: bool = False) -> bool:
        redrawn = super().refresh(force)
        for overlay in self._overlays:  # other runs: redrawn only when their history changed
            if force or overlay.run.history.version != overlay.version:
                self._draw_overlay(overlay)
                redrawn = True
        return redrawn

    # ---- building ----
    def _rebuild_overlays(self) -> None:
        for overlay in self._overlays:
            for item, plot in ((overlay.loss_item, self.loss_plot), (overlay.acc_item, self.acc_plot)):
                if item is not None and plot is not None:
                    plot.removeItem(item)
            if self.legend is not None:
                self.legend.removeItem(overlay.loss_item)
        self._overlays: list[_Overlay] = []
        if self._run is None or self.loss_plot is None:
            return
        pen = pg.mkPen(self._run_colour or TRAIN_COLOR, width=1)
        self._train.setPen(pen)
        if self.acc_plot is not None:
            self._acc.setPen(pen)
        for run, colour, label in self._overlay_runs:
            overlay = _Overlay(run, label, curve(colour))
            self.loss_plot.addItem(overlay.loss_item)
            if self.legend is not None:
                self.legend.addItem(overlay.loss_item, label)
            if self.acc_plot is not None and run.classification:
                overlay.acc_item = curve(colour)
                self.acc_plot.addItem(overlay.acc_item)
            self._overlays.append(overlay)
        self.folding.fit(force=True)

    def _draw_overlay(self, overlay: _Overlay) -> None:
        h = overlay.run.history
        overlay.version = h.version
        steps = h.step_data()
        spe = max(1, h.steps_per_epoch)
        x = steps["step"] / spe if overlay.run.is_recorded else steps["epoch"]
        vals = np.column_stack([steps["loss"], steps["accuracy"]]) if len(x) else np.empty((0, 2))
        xd, vd = decimate(x, vals, plot_width_px(self.loss_plot))
        loss = vd[:, 0].astype(np.float64)
        overlay.drawn = (xd, loss)
        overlay.loss_item.setData(xd, self._y(loss))
        if overlay.acc_item is not None:
            acc = vd[:, 1].astype(np.float64) * 100
            ok = np.isfinite(acc)
            overlay.acc_item.setData(xd[ok], acc[ok])
        y = self._y(loss)
        y = y[np.isfinite(y)]
        overlay.extent = (float(xd[-1]), float(y.min()), float(y.max())) if len(y) else None
        if self._extent is not None:
            self._fit_range(*self._extent)

    def _build(self, run: RunData | None) -> None:
        self.plots.clear()
        self.folding.reset()
        self._overlays = []
        self._extent: tuple[float, float, float, bool] | None = None  # the bound run's, as last drawn
        self.legend = None
        self._mirror = None
        self._envelope = None
        self._val_key = None
        self._train_drawn = self._val_drawn = self._acc_drawn = (np.empty(0), np.empty(0))
        self._marker = self._acc_marker = None
        self._log_switched = False
        self._off_scale = None
        self.acc_plot = None
        self._unit = "epoch"
        self._title = self.tr("Loss ({0})").format(core_text(run.loss_label)) if run is not None else \
            self.tr("Loss (no run)")
        self._loss_name = core_text(run.loss.title) if run is not None and run.loss is not None else ""
        self.loss_plot = style_plot(self.plots.addPlot(row=0, col=0), "", self.tr("epoch"), self.tr("loss"),
                                    self.show_grid)
        self.folding.set_title(self.loss_plot, self._title)
        label_x_ends(self.loss_plot)
        self._axis_labels: dict[int, tuple[str, float]] = {}  # id(plot) → (text, points) of its y axis's label
        self._left_width: float | None = None  # the width both left axes share (with an accuracy plot)
        self.loss_plot.vb.sigResized.connect(self._label_axes)  # a compact label fits its axis's length
        self._keeper = RangeKeeper(self.loss_plot)
        self.loss_plot.vb.sigXRangeChanged.connect(self._range_changed)
        self.status.setText("")
        if run is None:
            return
        self._has_val = run.has_validation
        cols = [STEP_COLUMNS.index("epoch"), STEP_COLUMNS.index("loss"), STEP_COLUMNS.index("accuracy")]
        self._mirror = BufferMirror("steps", np.array(cols))
        legend = self.legend = self.folding.legend = outside_legend(self.plots.ci, 2, 2)
        self._train = curve(TRAIN_COLOR)
        self.loss_plot.addItem(self._train)
        legend.addItem(self._train, self.tr("train (per step)"))
        self._val = per_epoch_points(VAL_COLOR)
        if self._has_val:
            self.loss_plot.addItem(self._val)
            legend.addItem(self._val, self.tr("validation (per epoch)"))
        self._marker = marker_line(self.loss_plot)
        self._off_scale = pg.TextItem("", color=VAL_COLOR, anchor=(1, 0))  # left of and below the end
        self._off_scale.hide()
        self.loss_plot.addItem(self._off_scale, ignoreBounds=True)
        if run.classification:
            self._build_accuracy()
        self._apply_log_axes()
        self._rebuild_overlays()  # and the legend's columns and folding

    def compact(self) -> bool:
        """Whether the plots are too short for titles and a legend (`COMPACT_BELOW`): they go, the plots keep it,
        and the loss axis names the loss."""
        return self.folding.compact

    def _build_accuracy(self) -> None:
        """The accuracy plot under the loss plot, sharing its x axis."""
        self.acc_plot = style_plot(self.plots.addPlot(row=1, col=0), "", self.tr("epoch"), "", self.show_grid)
        self.folding.set_title(self.acc_plot, self.tr("Accuracy"))
        label_x_ends(self.acc_plot)
        self.acc_plot.vb.sigResized.connect(self._label_axes)
        self.acc_plot.setXLink(self.loss_plot)
        self.acc_plot.disableAutoRange()
        self.acc_plot.setYRange(-6, 106, padding=0)
        self._keeper.watch(self.acc_plot)
        self.loss_plot.setLabel("bottom", "")  # the shared x axis is labelled once, on the lower plot
        self._acc = curve(TRAIN_COLOR)
        self._val_acc = per_epoch_points(VAL_COLOR)
        self.acc_plot.addItem(self._acc)
        if self._has_val:
            self.acc_plot.addItem(self._val_acc)
        self._acc_marker = marker_line(self.acc_plot, label=False)
        self.plots.ci.layout.setRowStretchFactor(0, 3)
        self.plots.ci.layout.setRowStretchFactor(1, 2)

    # ---- drawing ----
    def _draw(self, run: RunData) -> None:
        h = run.history
        mirror = self._mirror
        mirror.sync(h)
        buckets = plot_width_px(self.loss_plot)
        n = self._frame_count(run, mirror.keys)  # up to the frame's step: what the other views show
        rows, keys = mirror.rows[:n], mirror.keys[:n]
        if run.is_recorded:  # steps / steps per epoch, which a recorded run may learn at its first epoch()
            spe = max(1, h.steps_per_epoch)
            self._envelope = envelope_for(self._envelope, 2, buckets, (mirror.generation, spe))
            x = keys / spe
            self._label_x(run.x_unit)
        else:
            self._envelope = envelope_for(self._envelope, 2, buckets, mirror.generation)
            x = rows[:, 0] if len(rows) else np.empty(0)
        vals = rows[:, 1:3] if len(rows) else np.empty((0, 2), np.float32)
        self._envelope.feed(x, vals)
        window = zoom_window(self.loss_plot, x, buckets, self._keeper.following)
        if window is None:
            xd, vd = self._envelope.output(x, vals)
        else:
            xd, vd = decimate(x[window], vals[window], buckets)
        loss = vd[:, 0].astype(np.float64)
        self._train_drawn = (xd, loss)
        self._train.setData(xd, self._y(loss))
        ep = h.epoch_data()
        k = self._frame_count(run, ep["step"])
        ep = {col: v[:k] for col, v in ep.items()}
        ys = [self._y(loss)]
        # The per-epoch series change once an epoch: only then (or on a log toggle) are their items fed again.
        val_key = (len(ep["epoch"]), self.log_scale())
        val_changed = val_key != self._val_key
        self._val_key = val_key
        if self._has_val and len(ep["epoch"]):
            ok = np.isfinite(ep["val_loss"])
            self._val_drawn = (ep["epoch"][ok], ep["val_loss"][ok])
            ys.append(self._y(self._val_drawn[1]))
            if val_changed:
                self._val.setData(self._val_drawn[0], ys[-1])
        if len(xd):
            ally = np.concatenate(ys)
            self._extent = (float(xd[-1]), float(ally.min()), float(ally.max()), is_growing(run))
            self._fit_range(*self._extent)
        if self.acc_plot is not None:
            self._draw_accuracy(xd, vd[:, 1], ep, val_changed)
            self._align_left_axes()
        self._auto_log(loss)
        self._update_status(run, keys, rows, ep)
        self._show_divergence(run, xd, loss)
        self._place_marker(run)

    def _fit_range(self, x1: float, y0: float, y1: float, growing: bool) -> None:
        """Keep every drawn run in view: the bound run's extent merged with the overlays'."""
        for extent in (o.extent for o in self._overlays if o.extent is not None):
            x1, y0, y1 = max(x1, extent[0]), min(y0, extent[1]), max(y1, extent[2])
        self._keeper.update(0.0, x1, y0, y1, growing)

    def _label_x(self, unit: str) -> None:
        if unit != getattr(self, "_unit", "epoch"):
            self._unit = unit
            (self.acc_plot or self.loss_plot).setLabel("bottom", {"epoch": self.tr("epoch"), "step": self.tr("step")}
                                                       .get(unit, unit), color=FOREGROUND)

    def _draw_accuracy(self, xd: np.ndarray, acc: np.ndarray, ep: dict, val_changed: bool) -> None:
        """Train accuracy (drawn at the loss's points), and the per-epoch validation accuracy when it changed."""
        acc = acc.astype(np.float64) * 100
        ok = np.isfinite(acc)
        self._acc_drawn = (xd[ok], acc[ok])
        self._acc.setData(*self._acc_drawn)
        if self._has_val and len(ep["epoch"]) and val_changed:
            okv = np.isfinite(ep["val_acc"])
            self._val_acc.setData(ep["epoch"][okv], ep["val_acc"][okv] * 100)

    def _update_status(self, run: RunData, keys: np.ndarray, rows: np.ndarray, ep: dict) -> None:
        """The header names the state on show: the timeline's snapshot, else the frame's (or the newest) step."""
        h = run.history
        i = self._resolved_snapshot(run)
        frame = self._live_frame(run)
        if i is not None:
            at = int(h.snapshot_steps()[i])
        elif frame is not None:
            at = frame.step
        else:
            at = int(keys[-1]) if len(keys) else None
        self.drawn_step = at
        if at is None:
            return self.status.setText("")
        parts = []
        j = int(np.searchsorted(keys, at, side="right")) - 1
        if j >= 0:
            parts.append(self.tr("train loss {0}").format(f"{float(rows[j, 1]):.4g}"))
        k = int(np.searchsorted(ep["step"], at, side="right"))
        last = {col: v[:k] for col, v in ep.items()}
        if self._has_val and k and np.isfinite(last["val_loss"][-1]):
            parts.append(self.tr("val loss {0}").format(f"{last['val_loss'][-1]:.4g}"))
        if run.classification and self._has_val and k and np.isfinite(last["val_acc"][-1]):
            parts.append(self.tr("val acc {0}%").format(f"{100 * last['val_acc'][-1]:.1f}"))
        parts.append(self.tr("epoch {0}").format(epoch_text(at / max(1, h.steps_per_epoch))))
        self.status.setText("   ".join(parts))

    def _auto_log(self, loss: np.ndarray) -> None:
        """Switch to a log axis, once per run, when the loss grows a thousandfold above where it began: on a
        linear axis a blow-up flattens everything before it into the floor. The user can switch it back."""
        if self._log_switched or self.log_scale() or len(loss) < 2:
            return
        finite = loss[np.isfinite(loss)]
        if len(finite) and finite.max() > 1e3 * max(abs(float(finite[0])), _TINY):
            self._log_switched = True
            self.log_check.setToolTip(self.log_check.toolTip() + "\n\n"
                                      + self.tr("Switched on by itself: the loss blew up."))
            self.set_log_scale(True)

    def _show_divergence(self, run: RunData, xd: np.ndarray, loss: np.ndarray) -> None:
        """A diverged run's curve ends where the loss stopped being finite: say so there."""
        h = run.history
        diverged = h.status == RunState.DIVERGED and len(xd) and self._snapshot is None
        if not diverged:
            self._off_scale.hide()
            return
        fact = h.divergence  # an older folder has only the English message
        headline = fact.headline() if fact is not None else h.message.split(":")[0]
        self._off_scale.setText(self.tr("off scale after here: {0}").format(headline))
        self._off_scale.setPos(float(xd[-1]), float(self._y(loss[-1:])[0]))
        self._off_scale.show()

    def off_scale_note(self) -> str:
        """The note at the end of a diverged run's curve ('' when none is shown)."""
        note = self._off_scale
        return note.toPlainText() if note is not None and note.isVisible() else ""

    def _y(self, y: np.ndarray) -> np.ndarray:
        return np.log10(np.maximum(y, _TINY)) if self.log_scale() else y

    def _place_marker(self, run: RunData) -> None:
        place_markers((self._marker, self._acc_marker), self._snapshot_epoch(run))

    def _snapshot_changed(self) -> None:
        if self._run is not None:
            self._place_marker(self._run)  # the redraw that follows moves the header to the state on show

    def _apply_log_axes(self) -> None:
        if self.loss_plot is None:
            return
        on = self.log_scale()
        # PlotCurveItem has no log mode of its own: the data is transformed here and only the axis is switched.
        for side in ("left", "right"):
            self.loss_plot.getAxis(side).setLogMode(False, on)
        self._label_axes()
        self._keeper.reset()

    def _label_axes(self, *_) -> None:
        """The y axes' labels: "loss" under a title that names it, and "accuracy (%)". Compact, with no titles, the
        loss axis names the loss ("MSE"; the ticked Log scale box and the ticks say when it is logarithmic) and the
        accuracy axis is "acc. (%)", each in the views' font or the largest of `SMALLER_LABEL_POINTS` that fits its
        axis's length. Set only when they changed: a new label re-lays out its plot."""
        compact = self.compact()
        if compact and self._loss_name:
            loss = self._loss_name
        else:
            loss = self.tr("loss (log scale)") if self.log_scale() else self.tr("loss")
        for plot, text in ((self.loss_plot, loss),
                           (self.acc_plot, self.tr("acc. (%)") if compact else self.tr("accuracy (%)"))):
            if plot is not None:
                self._label_axis(plot, text, compact)

    def _label_axis(self, plot: pg.PlotItem, text: str, shrink: bool) -> None:
        points = self.font().pointSizeF()
        if shrink:
            for size in (points, *SMALLER_LABEL_POINTS):
                points = size
                if _label_length(plot, text, size) <= plot.vb.height():
                    break
        if self._axis_labels.get(id(plot)) == (text, points):
            return
        self._axis_labels[id(plot)] = (text, points)
        plot.setLabel("left", text, color=FOREGROUND, **{"font-size": f"{points:g}pt"})

    def _align_left_axes(self) -> None:
        """One width for the loss and accuracy plots' left axes, the wider one's. pyqtgraph lines linked x axes up
        by screen position, so a narrower axis above (a smaller label, shorter tick texts) shifted the accuracy
        plot's range to the right: at 1024×640 its first epoch was out of view. Set only when it changes: a new
        width re-lays out the plots."""
        axes = [plot.getAxis("left") for plot in (self.loss_plot, self.acc_plot)]
        width = max(_self_sized_width(axis) for axis in axes)
        if width != self._left_width:
            self._left_width = width
            for axis in axes:
                axis.setWidth(width)

    def axis_labels(self) -> tuple[str, str]:
        """The loss axis's label and the accuracy axis's ('' without an accuracy plot)."""
        return tuple(plot.getAxis("left").labelText if plot is not None else "" for plot in (self.loss_plot,
                                                                                              self.acc_plot))

    def _range_changed(self, *_) -> None:
        # Zoomed or panned by the user: the decimated window must follow.
        if not self._keeper.following:
            self._schedule_redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._schedule_redraw()  # decimation follows the plot's width in pixels

    def _log_toggled(self, on: bool) -> None:
        self._apply_log_axes()
        self._redraw()
        for overlay in self._overlays:
            self._draw_overlay(overlay)


def _self_sized_width(axis: pg.AxisItem) -> float:
    """The width a vertical axis would give itself for its tick texts and label (pyqtgraph's `_updateWidth`, which a
    fixed width bypasses; its tick texts' width is still measured at every paint)."""
    width = axis.textWidth + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
    return width + (axis.label.boundingRect().height() * 0.8 if axis.label.isVisible() else 0)


def _label_length(plot: pg.PlotItem, text: str, points: float) -> float:
    """How long `plot`'s left axis label would be with `text` in `points`: measured as pyqtgraph lays it out (a
    text document of its own, margins and all), which font metrics alone underestimate by several pixels."""
    label = plot.getAxis("left").label
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(label.document().documentMargin())
    doc.setHtml(f"<span style='font-size: {points:g}pt'>{html.escape(text)}</span>")
    return doc.size().width()


@dataclass
class _Overlay:
    """Another run drawn over the bound one: its curves and what was last drawn of it."""

    run: RunData
    label: str
    loss_item: pg.PlotCurveItem
    acc_item: pg.PlotCurveItem | None = None
    version: int | None = None
    extent: tuple[float, float, float] | None = None  # last epoch, lowest and highest loss drawn
    drawn: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.empty(0), np.empty(0)))
