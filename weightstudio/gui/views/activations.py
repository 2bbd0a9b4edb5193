"""The activations view: what each layer computes, at the state on show (live, or the timeline's snapshot).

Top, each hidden stage's units, drawn the way that suits the input: over the input plane for 2-D inputs (the
neurons of TensorFlow Playground), along the input for 1-D inputs, as feature maps of a chosen sample for images,
and over a fixed set of samples otherwise. Below, each layer's activation histogram with its dead-ReLU share or its
saturation. Everything is computed by `core.activations.ActivationProbe` from recorded parameters, in this process:
the training loop is never asked for activations. While a run streams the network is evaluated on a worker thread
(`gui.background.BackgroundJob`) and drawn when the result is back, so the GUI thread only draws; a still state
(the timeline's snapshot, a run that has ended) is evaluated at once.
"""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from ..background import BackgroundJob
from .base import RunView, is_growing
from .layout import header_row, make_layout_widget, small_label, view_layout
from .matrix import diverging_colormap
from .ranges import RangeKeeper
from ..palette import palette_colour
from .style import FOREGROUND, MUTED, epoch_text, image_lut, set_title, shape_text, style_plot

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.activations import ActivationProbe, LayerStats
    from weightstudio.core.run_data import RunData

INTERVAL = 0.5  # seconds between recomputations while a run streams (the slow view rate)
STAGE_COLUMNS = 4  # stage plots per row at most
HIST_COLUMNS = 6  # histogram plots per row at most
CELL_WIDTH = 190  # pixels a stage or histogram plot needs (its title); fewer columns in a narrower dock
STAGE_ROW_HEIGHT = 140  # below these heights per row the plots scroll rather than shrink past reading
HIST_ROW_HEIGHT = 100
MATRIX_SAMPLES = 64  # samples drawn as rows in "matrix" mode
GAP = 1  # pixels (NaN, transparent) between tiles of a montage
DEAD_COLOR = (214, 39, 40)
HIST_COLOR = (31, 119, 180)


def tile(maps: np.ndarray, columns: int | None = None) -> tuple[np.ndarray, int]:
    """Maps [n, h, w] → (one image with GAP-pixel NaN gaps, columns used), near-square overall."""
    n, h, w = maps.shape
    if columns is None:
        columns = max(1, min(n, math.ceil(math.sqrt(n * h / max(1, w)))))
    rows = -(-n // columns)
    out = np.full((rows * (h + GAP) - GAP, columns * (w + GAP) - GAP), np.nan, np.float32)
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * (h + GAP):r * (h + GAP) + h, c * (w + GAP):c * (w + GAP) + w] = maps[i]
    return out, columns


class ActivationsView(RunView):
    """Each stage's units and each layer's activation statistics at the state on show.

    `mode()` follows the input: "plane" (2 features), "line" (1 feature), "maps" (images: the sample chosen with the
    QSpinBox `activationsSampleSpin`, from the validation set when there is one) or "matrix" (any other input: the
    units over MATRIX_SAMPLES training samples). Dead ReLU units are marked with a red ×. A note (objectName
    `activationsNote`) says which state is shown. The network is evaluated at most every INTERVAL seconds while a
    run streams, and at once when the timeline moves or a run is not growing. Refreshed by the main window.
    """

    title = QT_TRANSLATE_NOOP("Views", "Activations")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.sample_label = QtWidgets.QLabel(self.tr("Sample"))
        self.sample_spin = QtWidgets.QSpinBox()
        self.sample_spin.setObjectName("activationsSampleSpin")
        self.sample_spin.setToolTip(self.tr("Which input sample's feature maps to show"))
        self.sample_spin.valueChanged.connect(self._sample_changed)
        self.note = small_label()
        self.note.setObjectName("activationsNote")
        self.units_widget = make_layout_widget()
        self.stats_widget = make_layout_widget()
        # A deep net's stages and histograms scroll in a small dock instead of shrinking to unreadable strips.
        body = QtWidgets.QWidget()
        body_lay = QtWidgets.QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        body_lay.setSpacing(2)
        body_lay.addWidget(self.units_widget, 3)
        body_lay.addWidget(self.stats_widget, 2)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setObjectName("activationsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        lay = view_layout(self)
        lay.addLayout(header_row(self.sample_label, self.sample_spin, fill=self.note))
        lay.addWidget(self.scroll, 1)
        self._probe: ActivationProbe | None = None
        self._probe_lock = threading.Lock()  # the probe's hooks hold one evaluation at a time
        self._job = BackgroundJob("activations", self)
        self._job.done.connect(self._evaluated)
        self._job.failed.connect(self._failed)
        self._columns = self._fit_columns()
        self._relayout_pending = False
        self._build(None)

    # ---- public API: what is shown ----
    def mode(self) -> str:
        return self._mode

    def stage_labels(self) -> list[str]:
        return [self._label(s) for s in self._probe.stages] if self._probe is not None else []

    def _label(self, stage) -> str:
        return self.tr("layer {0} ({1})").format(stage.layer, stage.kind)

    def stage_values(self) -> list[np.ndarray]:
        """Per stage, the outputs drawn: "plane" [units, G, G] (rows = the second input), "line" [units, points],
        "maps" [C, H, W] or [units], "matrix" [samples, units]."""
        return list(self._values)

    def stage_images(self) -> list[np.ndarray]:
        """The images handed to each stage's ImageItem (tiled units; empty in "line" mode)."""
        return list(self._images)

    def layer_stats(self) -> list[LayerStats]:
        return list(self._stats)

    def dead_units(self) -> dict[int, np.ndarray]:
        """{ReLU layer index: indices of its dead units} at the state on show."""
        return {s.layer: s.dead_units for s in self._stats if s.dead_units is not None}

    def shown_step(self) -> int | None:
        return None if self._shown_key is None else self._shown_key[1]

    def sample_index(self) -> int:
        return self.sample_spin.value()

    def set_sample(self, i: int) -> None:
        self.sample_spin.setValue(i)

    def input_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """"plane" mode: (xs, ys) of the grid the units are evaluated on."""
        return None if self._probe is None else self._probe.grid

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        self._mode = ""
        self._values: list[np.ndarray] = []
        self._images: list[np.ndarray] = []
        self._stats: list = []
        self._computed_at = -float("inf")
        self._pending = False
        self._clear_plots()
        if run is None or not run.can_predict:  # no run, a model the studio cannot rebuild, or no data to feed it
            self._probe = None
            self._show_sample_chooser(False)
            style_plot(self.units_widget.addPlot(), self.tr("Activations (no run)") if run is None else
                       self.tr("Activations: the studio cannot rebuild this recorded model to run it")
                       if run.config is None else
                       self.tr("Activations: this run's training data cannot be found, so there is nothing to feed it"))
            return
        from weightstudio.core.activations import ActivationProbe  # torch is loaded once a run exists

        self._probe = probe = ActivationProbe(run)
        kind = probe.input_kind
        self._mode = {"plane": "plane", "line": "line", "image": "maps"}.get(kind, "matrix")
        self._show_sample_chooser(self._mode == "maps")
        if self._mode == "maps":
            ds = run.dataset
            self._samples = (ds.x_val, ds.y_val) if len(ds.x_val) else (ds.x_train, ds.y_train)
            self.sample_spin.blockSignals(True)
            self.sample_spin.setRange(0, max(0, len(self._samples[0]) - 1))
            self.sample_spin.blockSignals(False)
        self._build_plots()

    def _build_plots(self) -> None:
        """The stage and histogram plots, in as many columns as the width holds."""
        self._build_stages()
        self._build_histograms()
        stage_cols, hist_cols = self._columns
        n_stages = len(self._probe.stages) + (1 if self._mode == "maps" else 0)
        self.units_widget.setMinimumHeight(STAGE_ROW_HEIGHT * -(-n_stages // stage_cols))
        self.stats_widget.setMinimumHeight(HIST_ROW_HEIGHT * -(-len(self._probe.stat_layers) // hist_cols))

    def _clear_plots(self) -> None:
        self.units_widget.clear()
        self.stats_widget.clear()
        self.units_widget.setMinimumHeight(0)
        self.stats_widget.setMinimumHeight(0)
        self._shown_key = None
        self._stage_plots: list[pg.PlotItem] = []
        self._stage_items: list = []
        self._dead_marks: list[pg.ScatterPlotItem] = []
        self._hist_plots: list[pg.PlotItem] = []
        self._hist_items: list[pg.PlotCurveItem] = []
        self._line_ranges: dict[int, RangeKeeper] = {}  # line mode's plots, by stage: as the histograms' x
        self._hist_ranges: list[RangeKeeper] = []  # x still until a histogram leaves it: its axis text not redrawn
        self._input_plot = self._input_item = None
        self.note.setText("")

    def _fit_columns(self) -> tuple[int, int]:
        width = max(1, self.width() - 20)
        return (max(1, min(STAGE_COLUMNS, width // CELL_WIDTH)), max(1, min(HIST_COLUMNS, width // CELL_WIDTH)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        columns = self._fit_columns()
        if columns != self._columns:
            self._columns = columns
            if self._probe is not None and not self._relayout_pending:
                self._relayout_pending = True
                QtCore.QTimer.singleShot(0, self, self._relayout)

    def _relayout(self) -> None:
        self._relayout_pending = False
        if self._probe is None:
            return
        self._clear_plots()
        self._build_plots()
        self._computed_at = -float("inf")  # the new plots are empty: fill them now, not at the next slow tick
        self._redraw()

    def _show_sample_chooser(self, on: bool) -> None:
        self.sample_label.setVisible(on)
        self.sample_spin.setVisible(on)

    def _build_stages(self) -> None:
        stages = self._probe.stages
        columns = self._columns[0]
        offset = 0
        if self._mode == "maps":  # the input sample first, so the maps read against it
            self._input_plot = self._image_plot(0, 0)
            self._input_item = pg.ImageItem(axisOrder="row-major")
            lut = np.linspace(255, 0, 256).astype(np.uint8)  # ink dark on white paper, as the fit view's samples
            self._input_item.setLookupTable(np.stack([lut, lut, lut], 1))
            self._input_plot.addItem(self._input_item)
            offset = 1
        cmap = diverging_colormap()
        for i, stage in enumerate(stages):
            r, c = divmod(i + offset, columns)
            if self._mode == "line":
                plot = style_plot(self.units_widget.addPlot(row=r, col=c), "", self.tr("input"),
                                  self.tr("unit output"))
                self._line_ranges[i] = RangeKeeper(plot)
                items = []
                for u in range(stage.units):
                    item = pg.PlotCurveItem(pen=pg.mkPen(palette_colour(u), width=1), antialias=False)
                    plot.addItem(item)
                    items.append(item)
                self._stage_items.append(items)
            else:
                plot = self._image_plot(r, c)
                item = pg.ImageItem(axisOrder="row-major")
                item.setLookupTable(image_lut(cmap))
                plot.addItem(item)
                self._stage_items.append(item)
            marks = pg.ScatterPlotItem(symbol="x", size=9, pen=pg.mkPen(DEAD_COLOR, width=2), brush=None)
            marks.setZValue(10)
            plot.addItem(marks)
            self._dead_marks.append(marks)
            self._stage_plots.append(plot)

    def _image_plot(self, r: int, c: int) -> pg.PlotItem:
        plot = style_plot(self.units_widget.addPlot(row=r, col=c))
        for side in ("left", "bottom"):
            plot.hideAxis(side)
        plot.setMouseEnabled(x=False, y=False)
        plot.invertY(True)  # tiles read from the top left; a plane's tiles are flipped to keep its y axis up
        plot.setAspectLocked(True)
        return plot

    def _build_histograms(self) -> None:
        for j, _ in enumerate(self._probe.stat_layers):
            r, c = divmod(j, self._columns[1])
            plot = style_plot(self.stats_widget.addPlot(row=r, col=c), "")
            plot.getAxis("left").setStyle(showValues=False)  # counts: the shape is what reads
            plot.setMouseEnabled(x=False, y=False)
            item = pg.PlotCurveItem(np.zeros(2), np.zeros(1), stepMode="center", fillLevel=0,
                                    brush=pg.mkBrush(*HIST_COLOR, 120), pen=pg.mkPen(HIST_COLOR, width=1))
            plot.addItem(item)
            self._hist_plots.append(plot)
            self._hist_items.append(item)
            self._hist_ranges.append(RangeKeeper(plot, y=False))

    # ---- drawing ----
    def holds_frame(self) -> bool:
        # While a run streams, the network is evaluated on the worker and drawn when it is back, outside the round.
        return super().holds_frame() and not is_growing(self._run)

    def _draw(self, run: RunData) -> None:
        if self._probe is None:
            return
        step, epoch, params, index = self._shown_params(run)
        key = (index, step, self.sample_spin.value())
        if key == self._shown_key:
            return
        wait = INTERVAL - (time.monotonic() - self._computed_at)
        if index is None and wait > 0 and is_growing(run):
            if not self._pending:  # catch up even if nothing else changes
                self._pending = True
                QtCore.QTimer.singleShot(int(wait * 1000) + 1, self, self._timeout)
            return
        self._computed_at = time.monotonic()
        self._shown_key = key
        probe, mode, sample = self._probe, self._mode, self._chosen_sample()
        if index is None and is_growing(run):  # streaming: evaluated on the worker, drawn when it is back
            self._job.submit((probe, key, epoch), lambda: self._evaluate(probe, mode, params, sample))
        else:
            self._show(self._evaluate(probe, mode, params, sample), epoch, step, index)

    def _evaluated(self, key, result) -> None:
        probe, shown, epoch = key
        # Only the state last asked for: not a network built before (a reset), nor a state overtaken by a newer one
        # (asked for meanwhile, or evaluated at once when the run ended).
        if probe is self._probe and shown == self._shown_key:
            self._show(result, epoch, shown[1], shown[0])

    def _failed(self, key, message: str) -> None:
        if key[0] is self._probe and self._probe is not None:
            self.note.setText(self.tr("Could not evaluate the network: {0}").format(message))

    def _show(self, result: tuple, epoch: float, step: int, index: int | None) -> None:
        self._stats, self._values, self._sample = result
        self._draw_stages()
        self._draw_histograms()
        where = (self.tr("At epoch {0} (step {1})") if index is not None else
                 self.tr("Live at epoch {0} (step {1})")).format(epoch_text(epoch), f"{step:,}")
        self.note.setText(f"{where}; {self._summary()}")

    def _timeout(self) -> None:
        self._pending = False
        self._redraw()

    def _chosen_sample(self) -> np.ndarray | None:
        """"maps" mode: the input sample chosen with the spin box."""
        if self._mode != "maps":
            return None
        x, _ = self._samples
        return x[min(self.sample_spin.value(), len(x) - 1)]

    def _evaluate(self, probe: ActivationProbe, mode: str, params: dict[str, np.ndarray], sample) -> tuple:
        """(layer stats, stage values, the sample) at `params`. Touches no widget: runs on the worker too."""
        with self._probe_lock, np.errstate(all="ignore"):  # a diverging net's outputs: show them, don't warn
            outs = probe.outputs(params, probe.x)
            stats = probe.stats(params, outs)
            if mode == "plane":
                values = probe.plane(params)
            elif mode == "line":
                values = probe.line(params)
            elif mode == "maps":
                values = probe.feature_maps(params, sample)
            else:
                values = [v[:MATRIX_SAMPLES] for v in probe.matrix(params, outs)]
        return stats, values, sample

    def _dead_of_stage(self, stage) -> np.ndarray:
        for s in self._stats:
            if s.layer == stage.layer and s.dead_units is not None:
                return s.dead_units
        return np.zeros(0, np.intp)

    def _draw_stages(self) -> None:
        self._images = []
        stages = self._probe.stages
        if self._mode == "maps":
            _, y = self._samples
            img = self._sample[0] if self._sample.shape[0] != 3 else self._sample.mean(0)
            self._input_item.setImage(np.ascontiguousarray(img, np.float32), autoLevels=True)
            names = self._run.dataset.class_names
            i = min(self.sample_spin.value(), len(y) - 1)
            label = names[int(y[i])] if len(names) > int(y[i]) else str(int(y[i]))
            set_title(self._input_plot, self.tr("input: sample {0} ({1})").format(i, label), size="9pt")
        for i, (stage, values, plot, item, marks) in enumerate(zip(stages, self._values, self._stage_plots,
                                                                   self._stage_items, self._dead_marks)):
            dead = self._dead_of_stage(stage)
            limit = self._levels(stage, values)
            title = (self.tr("{0}: 1 unit").format(self._label(stage)) if stage.units == 1 else
                     self.tr("{0}: {1} units").format(self._label(stage), stage.units))
            if len(dead):
                title += self.tr(", {0} dead").format(len(dead))
            set_title(plot, title, size="9pt")
            if self._mode == "line":  # a dead unit is a flat line at 0: dashed red, drawn over the others
                dead_set = set(dead.tolist())
                for u, line in enumerate(item):
                    is_dead = u in dead_set
                    line.setPen(pg.mkPen(DEAD_COLOR, width=2, style=QtCore.Qt.PenStyle.DashLine) if is_dead else
                                pg.mkPen(palette_colour(u), width=1))
                    line.setZValue(5 if is_dead else 0)
                    line.setData(self._probe.xs, values[u])
                xs, finite = self._probe.xs, values[np.isfinite(values)]
                if len(finite):
                    self._line_ranges[i].update(float(xs[0]), float(xs[-1]), float(finite.min()), float(finite.max()),
                                                growing=False)
                marks.clear()
                continue
            maps, h, w = self._as_maps(values)
            image, cols = tile(maps)
            self._images.append(image)
            item.setImage(image, autoLevels=False, levels=limit)
            if len(dead) and self._mode != "matrix":
                r, c = np.divmod(dead, cols)
                marks.setData((c * (w + GAP) + w / 2).astype(float), (r * (h + GAP) + h / 2).astype(float))
            elif len(dead):  # matrix: a unit is a column
                marks.setData(dead.astype(float), np.full(len(dead), -1.5))
            else:
                marks.clear()
            plot.setRange(xRange=(-0.5, image.shape[1] + 0.5), yRange=(-2.5 if self._mode == "matrix" else -0.5,
                                                                        image.shape[0] + 0.5), padding=0)

    def _as_maps(self, values: np.ndarray) -> tuple[np.ndarray, int, int]:
        """A stage's values as tiles [n, h, w]: one per unit, or the whole sample × unit matrix as one tile."""
        if self._mode == "matrix":
            return values[None].astype(np.float32), values.shape[0], values.shape[1]
        if values.ndim == 1:  # a flat layer of an image net: one pixel per unit, in a row
            v = values.reshape(1, 1, -1)
            return v.astype(np.float32), 1, v.shape[2]
        if self._mode == "plane":  # grid rows run up the y axis; drawn top down, the highest y comes first
            values = values[:, ::-1]
        return np.ascontiguousarray(values, np.float32), values.shape[1], values.shape[2]

    @staticmethod
    def _levels(stage, values: np.ndarray) -> tuple[float, float]:
        """Colour levels: sigmoid 0…1 and tanh −1…1 (their full ranges, centred on the diverging map's white);
        anything else symmetric about 0 up to its largest |value|."""
        if stage.kind == "Sigmoid":
            return 0.0, 1.0
        if stage.kind == "Tanh":
            return -1.0, 1.0
        finite = values[np.isfinite(values)]
        top = float(np.abs(finite).max()) if len(finite) else 1.0
        top = top if top > 0 else 1.0
        return -top, top

    def _draw_histograms(self) -> None:
        for stats, plot, item, keeper in zip(self._stats, self._hist_plots, self._hist_items, self._hist_ranges):
            item.setData(stats.edges, stats.counts.astype(np.float64))
            top = float(max(1, stats.counts.max()))
            keeper.update(float(stats.edges[0]), float(stats.edges[-1]), 0.0, top, growing=False)
            plot.setYRange(0, top * 1.05, padding=0)  # counts: no axis text to redraw
            set_title(plot, self._stats_title(stats), size="9pt")

    def _stats_title(self, s) -> str:
        """'layer 1 ReLU: 12% dead', in red past the health check's threshold (half the layer)."""
        head = self.tr("layer {0} {1}").format(s.layer, s.kind)
        alarm = "rgb({0}, {1}, {2})".format(*DEAD_COLOR)
        if s.dead_fraction is not None:
            text = self.tr("{0}: {1:.0f}% dead").format(head, 100 * s.dead_fraction)
            color = alarm if s.dead_fraction > 0.5 else FOREGROUND
        elif s.saturated_fraction is not None:
            text = self.tr("{0}: {1:.0f}% saturated").format(head, 100 * s.saturated_fraction)
            color = alarm if s.saturated_fraction > 0.5 else FOREGROUND
        else:
            text, color = self.tr("{0} (output {1})").format(head, shape_text(s.shape)), MUTED
        return f"<span style='color: {color}'>{text}</span>"

    def _summary(self) -> str:
        dead = sum(len(s.dead_units) for s in self._stats if s.dead_units is not None)
        relu = sum(s.units for s in self._stats if s.dead_units is not None)
        parts = []
        if relu:
            parts.append(self.tr("{0} of {1} ReLU units dead").format(dead, relu))
        sat = [s for s in self._stats if s.saturated_fraction is not None]
        if sat:
            worst = max(sat, key=lambda s: s.saturated_fraction)
            parts.append(self.tr("most saturated: layer {0} ({1:.0f}%)").format(worst.layer,
                                                                              100 * worst.saturated_fraction)
                         if worst.saturated_fraction > 0 else self.tr("no saturated outputs"))
        if self._mode == "plane":
            parts.append(self.tr("each tile: a unit over the input plane"))
        elif self._mode == "matrix":
            parts.append(self.tr("each image: {0} samples (rows) × units (columns)").format(
                len(self._values[0]) if self._values else 0))
        return "; ".join(parts)

    def _snapshot_changed(self) -> None:
        self._shown_key = None  # the timeline moved: compute at once

    def _sample_changed(self, _i: int) -> None:
        self._redraw()
