"""The fit view: what the model currently predicts, drawn the way that suits the run (see fit_modes.py), and the
compared runs' predictions at the same step: their fit curves over the bound run's, their decision regions or
per-class accuracies under it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from .base import RunView, is_growing
from .fit_modes import ConfusionFit, CurveFit, FitMode, RegionsFit, SamplesFit, ScatterFit, class_names, fit_mode_for
from .layout import make_layout_widget, view_layout
from .overlays import Overlay, colour_hex, overlay_snapshot, overlays_of, short_labels
from .style import MUTED, curve, epoch_text, set_title, style_plot

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData

METRICS_INTERVAL = 0.5  # seconds between recomputations of the caption's loss/accuracy while a run streams
NO_DATA = QT_TRANSLATE_NOOP("Views", "No fit to draw: this run was recorded from\n"  # short lines: a narrow dock
                            "a training loop's own model (weightstudio.record()),\n"
                            "which the studio cannot rebuild, and its data\n"
                            "never reached the studio. Its weights, heatmaps\n"
                            "and losses are in the other views.")
DATA_GONE = QT_TRANSLATE_NOOP("Views", "No fit to draw: this run's training data\n"
                              "cannot be found where it was read from\n"
                              "(moved or changed since; the status bar\n"
                              "says which). Its weights, heatmaps and\n"
                              "losses are in the other views.")


class FitView(RunView):
    """The model's predictions at the state on show (live or a timeline snapshot), against the data.

    The drawing mode (`mode()`: "curve", "scatter", "regions", "samples" or "confusion") is a `FitMode` chosen
    from the run's loss and data when a run is bound (`fit_modes.FIT_MODES`); the view delegates drawing to it.
    Predictions go through `RunData.predict` (a private copy of the network), the caption's loss and accuracy
    through `RunData.evaluate`, and both are only recomputed when the state on show changed. Refreshed by the main
    window (~30 Hz).
    """

    title = QT_TRANSLATE_NOOP("Views", "Fit")

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.layout_widget = make_layout_widget()
        view_layout(self).addWidget(self.layout_widget, 1)
        self.plot: pg.PlotItem | None = None
        self._fit: FitMode | None = None
        self._overlays: list[Overlay] = []
        self._run_label = ""
        self._compared_curves: list[tuple[Overlay, pg.PlotCurveItem]] = []
        self._compared_regions: list[tuple[Overlay, RegionsFit]] = []
        self._accuracies: _ClassAccuracies | None = None  # compared classifiers' accuracy per class
        self._run_colour = None
        self._build(None)

    # ---- compared runs ----
    def set_overlays(self, colour, overlays, label: str = "") -> None:
        """Compare runs: each of `overlays` ((run, colour, label) or `Overlay`) at the bound run's step, as a fit
        curve in its colour over the bound run's (1-D regression), as its decision regions beside them
        (classification of two inputs) or as its accuracy per true class in bars beside the run's, on one
        0–100 % axis under the run's confusion matrix (classification of other inputs, e.g. flat digits). Other modes draw the bound run only. An empty list: the one-run view."""
        self._overlays = overlays_of(overlays)
        self._run_label, self._run_colour = label, colour
        self._build_compared()
        self._redraw()

    # Keyed by id(run), as the studio's model keys its runs: two compared runs may share a label.
    def compared_curves(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """{id(run): (x, prediction)} of each compared run's fit curve as drawn."""
        return {id(o.run): (item.xData, item.yData) for o, item in self._compared_curves if item.xData is not None}

    def compared_regions(self) -> dict[int, np.ndarray]:
        """{id(run): its decision image} of each compared run drawn beside the bound one."""
        return {id(o.run): fit.image for o, fit in self._compared_regions if isinstance(fit, RegionsFit)}

    def compared_confusions(self) -> dict[int, np.ndarray]:
        """{id(run): its confusion counts [true class, predicted class]} on the bound run's samples, of each
        compared run (confusion mode)."""
        return {} if self._accuracies is None else dict(self._accuracies.counts)

    def class_accuracies(self) -> dict[int, np.ndarray]:
        """{id(run): accuracy per true class in %} of the bound run and each compared one, as the bars show."""
        return {} if self._accuracies is None else {key: bars.opts["height"] for key, bars in
                                                    self._accuracies.bars.items()}

    def _build_compared(self) -> None:
        for _, item in self._compared_curves:
            self.plot.removeItem(item)
            if self._fit is not None and self._fit.legend is not None:
                self._fit.legend.removeItem(item)
        for _, fit in self._compared_regions:
            self.layout_widget.removeItem(fit.plot)
        if self._accuracies is not None:
            self.layout_widget.removeItem(self._accuracies.plot)
        self._compared_curves, self._compared_regions, self._accuracies = [], [], None
        self._shown_key = None
        fit = self._fit
        # Only runs whose network takes the same inputs can be drawn on the same axes.
        runs = [o for o in self._overlays if o.run.can_predict and o.run.dataset is not None
                and o.run.dataset.n_features == fit.ds.n_features] if fit is not None else []
        if isinstance(fit, CurveFit):
            for o in runs:
                item = curve(o.colour)
                item.setZValue(9)
                self.plot.addItem(item)
                fit.legend.addItem(item, o.label)
                self._compared_curves.append((o, item))
        elif isinstance(fit, RegionsFit):
            for i, o in enumerate(o for o in runs if o.run.dataset.n_classes == fit.ds.n_classes):
                other = _ComparedRegions(self.layout_widget.addPlot(row=0, col=i + 1), self.layout_widget.ci, o.run,
                                         self.show_grid)
                other.plot.setXLink(self.plot)
                other.plot.setYLink(self.plot)
                self._compared_regions.append((o, other))
        elif isinstance(fit, ConfusionFit):
            runs = [o for o in runs if o.run.dataset.n_classes == fit.ds.n_classes]
            if runs:  # four matrices side by side do not fit a dock: one bar chart under the run's matrix does
                self._accuracies = _ClassAccuracies(self.layout_widget.addPlot(row=1, col=0), fit,
                                                    [(self._run, self._run_colour)] + [(o.run, o.colour) for o in runs])

    def _draw_compared(self, params: dict[str, np.ndarray]) -> None:
        for o, item in self._compared_curves:
            params, _ = self._compared_params(o)
            pred = o.run.predict(params, self._fit.grid_x[:, None])[:, 0]
            item.setSkipFiniteCheck(bool(np.isfinite(pred).all()))
            item.setData(self._fit.grid_x, pred)
        if self._accuracies is not None:
            self._accuracies.draw(self._run, params,
                                  [(o.run, self._compared_params(o)[0]) for o in self._overlays
                                   if id(o.run) in self._accuracies.bars])
        shorts = dict(zip((id(o) for o in self._overlays),
                          short_labels([self._run_label] + [o.label for o in self._overlays])[1:]))
        for o, fit in self._compared_regions:
            params, at = self._compared_params(o)
            fit.picture(params)
            set_title(fit.plot, f"<span style='color:{colour_hex(o.colour)}'>■</span> {shorts[id(o)]}<br>{at}")

    def _compared_params(self, o: Overlay) -> tuple[dict[str, np.ndarray], str]:
        """(params, 'epoch …' text) of a compared run at the bound run's step (its last state when it ended)."""
        h = o.run.history
        index, ended = overlay_snapshot(self, o.run)
        if index is None:
            step, params = h.latest_params()
        else:
            snap = h.snapshot(index)
            step, params = snap.step, snap.params
        at = f"epoch {epoch_text(step / max(1, h.steps_per_epoch))}"
        return params, at + (self.tr(" (its last state: the run ended)") if ended else "")

    # ---- public API: what is drawn ----
    def mode(self) -> str:
        return "" if self._fit is None else self._fit.name

    @property
    def fit_mode(self) -> FitMode | None:
        """The mode drawing this run (None without a run)."""
        return self._fit

    def prediction_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the red prediction curve (1-D regression; empty otherwise)."""
        return self._fit.xy if isinstance(self._fit, CurveFit) else (np.empty(0), np.empty(0))

    def predicted_vs_true(self) -> tuple[np.ndarray, np.ndarray]:
        """(true, predicted) of the training points in "scatter" mode, targets flattened."""
        return self._fit.true_pred if isinstance(self._fit, ScatterFit) else (np.empty(0), np.empty(0))

    def decision_image(self) -> np.ndarray:
        """"regions" mode: the float32 image [GRID rows (y), GRID columns (x)]; the integer part is the predicted
        class, the fraction how sure the model is (0 = all classes equally likely)."""
        return self._fit.image if isinstance(self._fit, RegionsFit) else np.zeros((0, 0), np.float32)

    def decision_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """(xs, ys): the input coordinates of the decision image's columns and rows."""
        return self._fit.grid if isinstance(self._fit, RegionsFit) else (np.empty(0), np.empty(0))

    def sample_labels(self) -> list[tuple[str, str]]:
        """"samples" mode: (predicted, true) class names of the samples shown, in reading order."""
        return list(self._fit.pairs) if isinstance(self._fit, SamplesFit) else []

    def sample_indices(self) -> np.ndarray:
        return self._fit.indices if isinstance(self._fit, SamplesFit) else np.empty(0, int)

    def confusion_matrix(self) -> np.ndarray:
        """"confusion" mode: counts [true class, predicted class]."""
        return self._fit.counts if isinstance(self._fit, ConfusionFit) else np.zeros((0, 0), int)

    def metrics_text(self) -> str:
        """The loss text on show, e.g. 'Loss=0.0123 (epoch 12)'."""
        return self._metrics_text

    def shown_step(self) -> int | None:
        return None if self._shown_key is None else self._shown_key[1]

    def message(self) -> str:
        """What the view says instead of drawing (a run it cannot predict for), or ''."""
        return self._message

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        self.layout_widget.clear()
        self._shown_key = self._metrics_key = None
        self._metrics_time = -float("inf")
        self._metrics_pending = False
        self._caption_what = self._metrics_text = ""
        self.plot = style_plot(self.layout_widget.addPlot(row=0, col=0), self.tr("Fit (no run)"))
        self._message = ""
        if run is not None and not run.can_predict:
            self._fit = None
            self._show_message(QtCore.QCoreApplication.translate("Views", NO_DATA if run.config is None else DATA_GONE))
        else:
            self._fit = None if run is None else fit_mode_for(run)(self.plot, self.layout_widget.ci, run,
                                                                   self.show_grid)
        self.legend = None if self._fit is None else self._fit.legend
        self.legend_max_columns = 4 if self._fit is None else self._fit.legend_columns
        self._compared_curves, self._compared_regions, self._accuracies = [], [], None  # cleared with the layout
        self._build_compared()

    # ---- drawing ----
    # A mode draws in two parts: the picture (a few hundred predictions, every time the state on show changes) and
    # the numbers in the caption (loss and accuracy over up to MAX_EVAL samples). While a run streams, the numbers
    # are recomputed at most every METRICS_INTERVAL seconds: they run on the GUI thread, and a 30 Hz refresh would
    # otherwise spend much of its time there.
    def _show_message(self, text: str) -> None:
        """Say `text` in the middle of an empty plot (no axes: there is nothing to read off them)."""
        self._message = text
        set_title(self.plot, self.tr("Fit: no data"))
        for side in ("left", "bottom"):
            self.plot.hideAxis(side)
        label = pg.TextItem(text, color=MUTED, anchor=(0.5, 0.5))
        self.plot.addItem(label)
        label.setPos(0, 0)
        self.plot.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)
        self.plot.setMouseEnabled(False, False)

    def _draw(self, run: RunData) -> None:
        if self._fit is None:
            return
        step, epoch, params, index = self._shown_params(run)
        key = (index, step) + tuple(o.run.history.version for o in self._overlays)
        with np.errstate(all="ignore"):  # a diverging run predicts huge or non-finite values: show them, don't warn
            if key != self._shown_key:
                self._shown_key = key
                what = self._fit.picture(params)
                if self._compared_curves or self._compared_regions or self._accuracies:  # named as short as the runs beside it
                    label = short_labels([self._run_label] + [o.label for o in self._overlays])[0]
                    what = f"{label}<br>{what}" if label else what
                    self._draw_compared(params)
                self._set_caption(what=what)
            if key != self._metrics_key:
                wait = METRICS_INTERVAL - (time.monotonic() - self._metrics_time)
                # A pinned frame's numbers are those of its step, like every other view's (the round's pace
                # limits how often); unpinned, they are recomputed at most every METRICS_INTERVAL.
                if index is not None or wait <= 0 or not is_growing(run) or self._live_frame(run) is not None:
                    self._metrics_key, self._metrics_time = key, time.monotonic()
                    self._set_caption(numbers=self.tr("{0} (epoch {1})").format(self._fit.numbers(params),
                                                                                epoch_text(epoch)))
                elif not self._metrics_pending:  # catch up even if the run pauses and nothing else changes
                    self._metrics_pending = True
                    QtCore.QTimer.singleShot(int(wait * 1000) + 1, self, self._metrics_timeout)

    def _metrics_timeout(self) -> None:
        self._metrics_pending = False
        self._redraw()

    def _set_caption(self, what: str | None = None, numbers: str | None = None) -> None:
        """Two title lines: what the plot shows, then the numbers (kept for `metrics_text`)."""
        what = self._caption_what if what is None else what
        numbers = self._metrics_text if numbers is None else numbers
        if (what, numbers) != (self._caption_what, self._metrics_text):
            self._caption_what, self._metrics_text = what, numbers
            set_title(self.plot, f"{what}<br>{numbers}")


class _ClassAccuracies:
    """Compared classifiers (confusion mode): each run's accuracy per true class (the diagonal of its confusion
    matrix over the row) as grouped bars in the run's colour, on one 0–100 % axis, on the bound run's samples."""

    def __init__(self, plot: pg.PlotItem, fit: ConfusionFit, runs: list[tuple[RunData, tuple]]):
        self.plot, self.fit = plot, fit
        translate = QtCore.QCoreApplication.translate
        style_plot(plot, translate("Views", "Accuracy per true class, each run in its colour"),
                   translate("Views", "true class"), translate("Views", "accuracy (%)"))
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(False, False)
        k, width = fit.k, 0.8 / len(runs)
        plot.setRange(xRange=(-0.5, k - 0.5), yRange=(0, 100), padding=0.02)
        names = class_names(fit.ds, k)
        plot.getAxis("bottom").setTicks([[(i, names[i]) for i in range(k)]])
        self.bars: dict[int, pg.BarGraphItem] = {}
        self.counts: dict[int, np.ndarray] = {}
        for i, (run, colour) in enumerate(runs):
            bars = pg.BarGraphItem(x=np.arange(k) - 0.4 + width * (i + 0.5), height=np.zeros(k), width=width,
                                   brush=pg.mkBrush(*colour[:3]), pen=pg.mkPen(None))
            plot.addItem(bars)
            self.bars[id(run)] = bars
        fit.layout.layout.setRowStretchFactor(0, 3)
        fit.layout.layout.setRowStretchFactor(1, 2)

    def draw(self, run: RunData, params, others: list[tuple[RunData, dict]]) -> None:
        for r, p in [(run, params)] + others:
            counts = self.fit.counts_for(r, p)
            if r is not run:
                self.counts[id(r)] = counts
            self.bars[id(r)].setOpts(height=100 * np.diag(counts) / np.maximum(counts.sum(1), 1))


class _ComparedRegions(RegionsFit):
    """A compared run's decision regions in a plot of their own; the bound run's legend names the classes."""

    def add_legend(self, columns: int) -> pg.LegendItem:
        self.legend = pg.LegendItem()  # not placed: one legend under the row is enough
        return self.legend
