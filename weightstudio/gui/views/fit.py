"""What the model currently predicts, drawn the way that suits the data.

* 1-D regression: the data as points and the prediction as a red curve (the seed's `plt.plot(x, prediction, 'r-')`);
* other regression: predicted against true values, with the y = x line;
* 2-D classification: decision regions under the points;
* image inputs: a grid of samples labelled "predicted / true", wrong ones in red;
* other classification: a confusion matrix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from weightstudio.core.series import spread as _spread

from .base import RunView, is_growing
from .layout import make_layout_widget, view_layout
from .style import (FIT_COLOR, FOREGROUND, PALETTE, TRAIN_COLOR, VAL_COLOR, curve, epoch_text, outside_legend,
                    set_title, style_axis, style_plot)

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData

MAX_POINTS = 5000  # points drawn per split in scatter plots
MAX_EVAL = 2000  # samples the shown loss/accuracy is computed on ...
MAX_EVAL_VALUES = 1_000_000  # ... and at most this many input values (CIFAR-sized inputs: ~300 samples)
METRICS_INTERVAL = 0.5  # seconds between recomputations of the caption's loss/accuracy while a run streams
GRID = 100  # decision regions: GRID × GRID predictions
CURVE_POINTS = 200
SAMPLE_COLUMNS, SAMPLE_ROWS = 6, 4
REGION_STRENGTH = 0.55  # how far a fully confident region goes from white towards its class colour
WRONG_COLOR = (210, 0, 0)


def class_color(k: int) -> tuple[int, int, int]:
    return PALETTE[k % len(PALETTE)]


def region_values(prob: np.ndarray) -> np.ndarray:
    """Decision-image values from class probabilities [n, K]: predicted class k plus how sure the model is, kept
    over one LUT entry inside the band [k, k+1) so that no pixel can take a neighbouring class's colour."""
    k = prob.shape[1]
    cls = prob.argmax(1)
    sure = np.clip((prob.max(1) - 1 / k) / (1 - 1 / k), 0, 1)
    margin = 1.01 * k / 256
    return (cls + margin + (1 - 2 * margin) * sure).astype(np.float32)


def region_lut(n_classes: int) -> np.ndarray:
    """256 colours: class k's band runs from white (unsure) to its colour (certain); image value = k + certainty."""
    lut = np.empty((256, 3), np.uint8)
    for i in range(256):
        v = (i + 0.5) * n_classes / 256
        k = min(int(v), n_classes - 1)
        a = REGION_STRENGTH * (v - k)
        c = np.array(class_color(k), float)
        lut[i] = np.round(255 * (1 - a) + c * a)
    return lut


class FitView(RunView):
    """The model's predictions at the state on show (live or a timeline snapshot), against the data.

    The drawing mode (`mode()`: "curve", "scatter", "regions", "samples" or "confusion") follows from the data set
    when a run is bound. Predictions go through `RunData.predict` (a private copy of the network), and are only
    recomputed when the state on show changed. Refreshed by the main window (~30 Hz).
    """

    title = "Fit"

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.layout_widget = make_layout_widget()
        view_layout(self).addWidget(self.layout_widget, 1)
        self.plot: pg.PlotItem | None = None
        self._mode = ""
        self._build(None)

    # ---- public API: what is drawn ----
    def mode(self) -> str:
        return self._mode

    def prediction_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the red prediction curve (1-D regression; empty otherwise)."""
        return self._curve_xy

    def predicted_vs_true(self) -> tuple[np.ndarray, np.ndarray]:
        """(true, predicted) of the training points in "scatter" mode, targets flattened."""
        return self._scatter_tp

    def decision_image(self) -> np.ndarray:
        """"regions" mode: the float32 image [GRID rows (y), GRID columns (x)]; the integer part is the predicted
        class, the fraction how sure the model is (0 = all classes equally likely)."""
        return self._region_img

    def decision_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """(xs, ys): the input coordinates of the decision image's columns and rows."""
        return self._grid

    def sample_labels(self) -> list[tuple[str, str]]:
        """"samples" mode: (predicted, true) class names of the samples shown, in reading order."""
        return list(self._sample_pt)

    def sample_indices(self) -> np.ndarray:
        return self._sample_idx

    def confusion_matrix(self) -> np.ndarray:
        """"confusion" mode: counts [true class, predicted class]."""
        return self._confusion

    def metrics_text(self) -> str:
        """The loss text on show, e.g. 'Loss=0.0123 (epoch 12)'."""
        return self._metrics_text

    def shown_step(self) -> int | None:
        return None if self._shown_key is None else self._shown_key[1]

    # ---- building ----
    def _build(self, run: RunData | None) -> None:
        self.layout_widget.clear()
        self._shown_key = self._metrics_key = None
        self._metrics_time = -float("inf")
        self._metrics_pending = False
        self._caption_what = ""
        self._curve_xy = (np.empty(0), np.empty(0))
        self._scatter_tp = (np.empty(0), np.empty(0))
        self._region_img = np.zeros((0, 0), np.float32)
        self._grid = (np.empty(0), np.empty(0))
        self._sample_pt: list[tuple[str, str]] = []
        self._sample_idx = np.empty(0, int)
        self._confusion = np.zeros((0, 0), int)
        self._metrics_text = ""
        self.legend = None
        self.plot = style_plot(self.layout_widget.addPlot(row=0, col=0), "Fit (no run)")
        if run is None:
            self._mode = ""
            return
        ds = run.dataset
        self._mode = self._choose_mode(run)
        # Predictions run on the GUI thread whenever the state on show changes: keep them to a few milliseconds.
        n_eval = max(200, min(MAX_EVAL, MAX_EVAL_VALUES // max(1, ds.n_features)))
        self._eval_idx = _spread(len(ds.x_train), n_eval)
        self._eval_val_idx = _spread(len(ds.x_val), n_eval)
        getattr(self, f"_build_{self._mode}")(run)

    @staticmethod
    def _choose_mode(run: RunData) -> str:
        ds = run.dataset
        if not run.classification:
            if ds.feature_shape == (1,) and ds.y_train.shape[1] == 1:
                return "curve"
            return "scatter"
        if ds.feature_shape == (2,):
            return "regions"
        if len(ds.feature_shape) == 3:
            return "samples"
        return "confusion"

    def _add_outside_legend(self, columns: int) -> pg.LegendItem:
        self.legend = outside_legend(self.layout_widget.ci, 1, columns)
        self.legend_max_columns = columns  # RunView.resizeEvent fits the columns to the width
        return self.legend

    def _scatter(self, x, y, color, symbol="o", size=6, name=None) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(x=x, y=y, symbol=symbol, size=size, pen=pg.mkPen((60, 60, 60, 160), width=1),
                                  brush=pg.mkBrush(*color, 200), antialias=False, name=name)
        self.plot.addItem(item)
        return item

    def _build_curve(self, run: RunData) -> None:
        ds = run.dataset
        style_plot(self.plot, "", "x", "y", self.show_grid)
        legend = self._add_outside_legend(3)
        xs_all = np.concatenate([ds.x_train[:, 0], ds.x_val[:, 0]])
        ys_all = np.concatenate([ds.y_train[:, 0], ds.y_val[:, 0]])
        tr = _spread(len(ds.x_train), MAX_POINTS)
        legend.addItem(self._scatter(ds.x_train[tr, 0], ds.y_train[tr, 0], TRAIN_COLOR), "training data")
        if len(ds.x_val):
            va = _spread(len(ds.x_val), MAX_POINTS)
            legend.addItem(self._scatter(ds.x_val[va, 0], ds.y_val[va, 0], VAL_COLOR, "t"), "validation data")
        lo, hi = float(xs_all.min()), float(xs_all.max())
        self._xgrid = np.linspace(lo, hi, CURVE_POINTS, dtype=np.float32)
        self._fit = curve(FIT_COLOR)
        self._fit.setZValue(10)
        self.plot.addItem(self._fit)
        legend.addItem(self._fit, "model prediction")
        ylo, yhi = float(ys_all.min()), float(ys_all.max())
        pad = 0.1 * (yhi - ylo or 1.0)
        # Fixed ranges while streaming: the data decides them, not a prediction that may shoot off early on.
        self.plot.setXRange(lo, hi, padding=0.04)
        self.plot.setYRange(ylo - pad, yhi + pad, padding=0)
        self.plot.disableAutoRange()

    def _build_scatter(self, run: RunData) -> None:
        ds = run.dataset
        n_in, n_out = ds.n_features, ds.y_train.shape[1]
        style_plot(self.plot, "", "true y", "predicted y", self.show_grid)
        legend = self._add_outside_legend(3)
        self._tr_idx = _spread(len(ds.x_train), MAX_POINTS)
        self._va_idx = _spread(len(ds.x_val), MAX_POINTS)
        self._pts_train = self._scatter([], [], TRAIN_COLOR)
        legend.addItem(self._pts_train, "training data")
        if len(ds.x_val):
            self._pts_val = self._scatter([], [], VAL_COLOR, "t")
            legend.addItem(self._pts_val, "validation data")
        ys = np.concatenate([ds.y_train.ravel(), ds.y_val.ravel()])
        lo, hi = float(ys.min()), float(ys.max())
        pad = 0.15 * (hi - lo or 1.0)
        lo, hi = lo - pad, hi + pad
        ideal = pg.PlotCurveItem([lo, hi], [lo, hi], pen=pg.mkPen((120, 120, 120), width=1,
                                                                   style=QtCore.Qt.PenStyle.DashLine))
        self.plot.addItem(ideal)
        legend.addItem(ideal, "perfect fit (y = x)")
        self.plot.setXRange(lo, hi, padding=0)
        self.plot.setYRange(lo, hi, padding=0)
        self.plot.disableAutoRange()
        self._scatter_caption = f"predicted vs true ({n_in} input{'s' if n_in != 1 else ''} → {n_out} " \
                                f"output{'s' if n_out != 1 else ''})"

    def _build_regions(self, run: RunData) -> None:
        ds = run.dataset
        style_plot(self.plot, "", "x₁ (feature 0)", "x₂ (feature 1)")
        k = max(2, ds.n_classes)
        pts = np.concatenate([ds.x_train, ds.x_val])
        lo, hi = pts.min(0), pts.max(0)
        span = np.where(hi - lo > 0, hi - lo, 1.0)
        lo, hi = lo - 0.1 * span, hi + 0.1 * span
        xs = np.linspace(lo[0], hi[0], GRID, dtype=np.float32)
        ys = np.linspace(lo[1], hi[1], GRID, dtype=np.float32)
        self._grid = (xs, ys)
        gx, gy = np.meshgrid(xs, ys)  # row = y, column = x: row-major image
        self._grid_points = np.stack([gx.ravel(), gy.ravel()], 1)
        self._regions = pg.ImageItem(np.zeros((GRID, GRID), np.float32), axisOrder="row-major")
        self._regions.setLookupTable(region_lut(k))
        self._regions.setLevels((0, k))
        dx, dy = (xs[1] - xs[0]), (ys[1] - ys[0])
        self._regions.setRect(QtCore.QRectF(float(xs[0] - dx / 2), float(ys[0] - dy / 2), float(dx * GRID),
                                            float(dy * GRID)))
        self._regions.setZValue(-10)
        self.plot.addItem(self._regions)
        legend = self._add_outside_legend(min(6, k + 1))
        names = ds.class_names or [str(i) for i in range(k)]
        for c in range(k):
            m = ds.y_train == c
            item = self._scatter(ds.x_train[m, 0], ds.x_train[m, 1], class_color(c), "o", 7)
            legend.addItem(item, f"class {names[c]}")
            if len(ds.x_val):
                mv = ds.y_val == c
                self._scatter(ds.x_val[mv, 0], ds.x_val[mv, 1], class_color(c), "t", 8)
        if len(ds.x_val):
            legend.addItem(pg.ScatterPlotItem(symbol="t", size=8, brush=pg.mkBrush(200, 200, 200),
                                              pen=pg.mkPen(60, 60, 60)), "validation (triangles)")
        self.plot.setXRange(float(lo[0]), float(hi[0]), padding=0)
        self.plot.setYRange(float(lo[1]), float(hi[1]), padding=0)
        self.plot.disableAutoRange()
        self._k = k

    def _build_samples(self, run: RunData) -> None:
        ds = run.dataset
        x, y, split = (ds.x_val, ds.y_val, "validation") if len(ds.x_val) else (ds.x_train, ds.y_train, "training")
        self._sample_split = split
        n = SAMPLE_COLUMNS * SAMPLE_ROWS
        idx = _spread(len(x), n)[:n]
        self._sample_idx = idx
        self._sample_x, self._sample_y = x[idx], y[idx]
        c, h, w = ds.feature_shape
        gap = max(1, w // 4)
        band = max(3, round(0.5 * h))  # room under each tile for its label
        cell_w, cell_h = w + gap, h + band
        rows = -(-len(idx) // SAMPLE_COLUMNS)
        H, W = rows * cell_h, SAMPLE_COLUMNS * cell_w - gap
        imgs = self._sample_x
        lo, hi = float(x.min()), float(x.max())
        scale = (hi - lo) or 1.0
        if c == 3:
            montage = np.ones((H, W, 3), np.float32)
        else:
            montage = np.full((H, W), np.nan, np.float32)
        for i in range(len(idx)):
            r, col = divmod(i, SAMPLE_COLUMNS)
            y0, x0 = r * cell_h, col * cell_w
            tile = (imgs[i] - lo) / scale
            if c == 3:
                montage[y0:y0 + h, x0:x0 + w] = tile.transpose(1, 2, 0)
            else:
                montage[y0:y0 + h, x0:x0 + w] = tile[0]
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        img = pg.ImageItem(np.ascontiguousarray(montage), axisOrder="row-major", levels=(0, 1))
        if c != 3:
            lut = np.linspace(255, 0, 256).astype(np.uint8)  # ink dark on white paper
            img.setLookupTable(np.stack([lut, lut, lut], 1))
        self.plot.addItem(img)
        self._texts = []
        for i in range(len(idx)):
            r, col = divmod(i, SAMPLE_COLUMNS)
            t = pg.TextItem("", color=FOREGROUND, anchor=(0.5, 0))
            t.setPos(col * cell_w + w / 2, r * cell_h + h + 0.05 * band)
            self.plot.addItem(t)
            self._texts.append(t)
        self.plot.setRange(xRange=(-gap / 2, W + gap / 2), yRange=(-gap / 2, H), padding=0)
        self._names = ds.class_names or [str(i) for i in range(ds.n_classes)]

    def _build_confusion(self, run: RunData) -> None:
        ds = run.dataset
        k = ds.n_classes
        names = ds.class_names or [str(i) for i in range(k)]
        style_plot(self.plot, "", "predicted class", "true class")
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self._conf_img = pg.ImageItem(axisOrder="row-major")
        self._conf_img.setPos(-0.5, -0.5)
        self.plot.addItem(self._conf_img)
        cmap = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (8, 48, 107)])
        bar = pg.ColorBarItem(values=(0, 1), colorMap=cmap, interactive=False, width=14, colorMapMenu=False,
                              label="share of the true class")
        bar.setImageItem(self._conf_img, insert_in=self.plot)
        for side in ("left", "right", "top", "bottom"):
            style_axis(bar.getAxis(side))
        bar.getAxis("left").setLabel("share of the true class", color=FOREGROUND)
        ticks = [(i, names[i]) for i in range(k)]
        self.plot.getAxis("left").setTicks([ticks])
        self.plot.getAxis("bottom").setTicks([ticks])
        self._cells = []
        if k <= 12:
            for r in range(k):
                for c in range(k):
                    t = pg.TextItem("", color=FOREGROUND, anchor=(0.5, 0.5))
                    t.setPos(c, r)
                    self.plot.addItem(t)
                    self._cells.append(t)
        self.plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0.02)
        self._k = k
        self._conf_split = "validation" if len(ds.x_val) else "training"

    # ---- drawing ----
    # Each mode draws in two parts: the picture (`_draw_<mode>`: a few hundred predictions, every time the state on
    # show changes) and the numbers in the caption (`_metrics_<mode>`: loss and accuracy over up to MAX_EVAL
    # samples). While a run streams, the numbers are recomputed at most every METRICS_INTERVAL seconds: they run on
    # the GUI thread, and a 30 Hz refresh would otherwise spend much of its time there.
    def _draw(self, run: RunData) -> None:
        step, epoch, params, index = self._shown_params(run)
        key = (index, step)
        with np.errstate(all="ignore"):  # a diverging run predicts huge or non-finite values: show them, don't warn
            if key != self._shown_key:
                self._shown_key = key
                getattr(self, f"_draw_{self._mode}")(run, params, epoch)
            if key != self._metrics_key:
                wait = METRICS_INTERVAL - (time.monotonic() - self._metrics_time)
                if index is not None or wait <= 0 or not is_growing(run):
                    self._metrics_key, self._metrics_time = key, time.monotonic()
                    getattr(self, f"_metrics_{self._mode}")(run, params, epoch)
                elif not self._metrics_pending:  # catch up even if the run pauses and nothing else changes
                    self._metrics_pending = True
                    QtCore.QTimer.singleShot(int(wait * 1000) + 1, self, self._metrics_timeout)

    def _metrics_timeout(self) -> None:
        self._metrics_pending = False
        self._redraw()

    def _loss(self, run: RunData, params, x, y) -> tuple[float, float]:
        """(loss, accuracy) of `params` on (x, y); accuracy NaN for regression."""
        if len(x) == 0:
            return float("nan"), float("nan")
        out = run.predict(params, x)
        if not run.classification:
            return float(np.mean(np.square(out.astype(np.float64) - y))), float("nan")
        p = out[np.arange(len(y)), y]
        return float(-np.mean(np.log(np.maximum(p, 1e-12)))), float(np.mean(out.argmax(1) == y))

    def _set_caption(self, what: str | None = None, numbers: str | None = None) -> None:
        """Two title lines: what the plot shows, then the numbers (kept for `metrics_text`)."""
        what = self._caption_what if what is None else what
        numbers = self._metrics_text if numbers is None else numbers
        if (what, numbers) != (self._caption_what, self._metrics_text):
            self._caption_what, self._metrics_text = what, numbers
            set_title(self.plot, f"{what}<br>{numbers}")

    def _split_eval(self, run: RunData, split: str):
        ds = run.dataset
        return ((ds.x_val, ds.y_val, self._eval_val_idx) if split == "validation"
                else (ds.x_train, ds.y_train, self._eval_idx))

    def _metrics_regression(self, run, params, epoch) -> None:
        ds = run.dataset
        i, iv = self._eval_idx, self._eval_val_idx
        loss, _ = self._loss(run, params, ds.x_train[i], ds.y_train[i])
        text = f"Loss={loss:.4f}"
        if len(iv):
            vloss, _ = self._loss(run, params, ds.x_val[iv], ds.y_val[iv])
            text += f", validation {vloss:.4f}"
        self._set_caption(numbers=text + f" (epoch {epoch_text(epoch)})")

    _metrics_curve = _metrics_scatter = _metrics_regression

    def _draw_curve(self, run: RunData, params, epoch: float) -> None:
        pred = run.predict(params, self._xgrid[:, None])[:, 0]
        self._curve_xy = (self._xgrid, pred)
        self._fit.setSkipFiniteCheck(bool(np.isfinite(pred).all()))
        self._fit.setData(self._xgrid, pred)
        self._set_caption(what="Model fit: data and prediction")

    def _draw_scatter(self, run: RunData, params, epoch: float) -> None:
        ds = run.dataset
        pt = run.predict(params, ds.x_train[self._tr_idx])
        t = ds.y_train[self._tr_idx]
        self._scatter_tp = (t.ravel(), pt.ravel())
        self._pts_train.setData(t.ravel(), pt.ravel())
        if len(ds.x_val):
            pv = run.predict(params, ds.x_val[self._va_idx])
            self._pts_val.setData(ds.y_val[self._va_idx].ravel(), pv.ravel())
        self._set_caption(what=self._scatter_caption.capitalize())

    def _draw_regions(self, run: RunData, params, epoch: float) -> None:
        prob = run.predict(params, self._grid_points)
        self._region_img = np.ascontiguousarray(region_values(prob).reshape(GRID, GRID))
        self._regions.setImage(self._region_img, autoLevels=False, levels=(0, self._k))
        self._set_caption(what="Decision regions (shade: how sure the model is)")

    def _metrics_regions(self, run: RunData, params, epoch: float) -> None:
        ds = run.dataset
        i, iv = self._eval_idx, self._eval_val_idx
        loss, acc = self._loss(run, params, ds.x_train[i], ds.y_train[i])
        text = f"Loss={loss:.4f}, accuracy {100 * acc:.1f}%"
        if len(iv):
            _, vacc = self._loss(run, params, ds.x_val[iv], ds.y_val[iv])
            text += f", validation {100 * vacc:.1f}%"
        self._set_caption(numbers=text + f" (epoch {epoch_text(epoch)})")

    def _draw_samples(self, run: RunData, params, epoch: float) -> None:
        pred = run.predict(params, self._sample_x).argmax(1)
        self._sample_pt = []
        wrong = 0
        for t, p, y in zip(self._texts, pred, self._sample_y):
            pn, yn = self._names[int(p)], self._names[int(y)]
            self._sample_pt.append((pn, yn))
            ok = int(p) == int(y)
            wrong += not ok
            _set_text(t, f"{pn} / {yn}", FOREGROUND if ok else WRONG_COLOR)
        self._set_caption(what=f"{len(self._texts)} {self._sample_split} samples, predicted / true: "
                               f"{wrong} wrong (red)")

    def _metrics_samples(self, run: RunData, params, epoch: float) -> None:
        x, y, idx = self._split_eval(run, self._sample_split)
        loss, acc = self._loss(run, params, x[idx], y[idx])
        self._set_caption(numbers=f"Loss={loss:.4f}, accuracy {100 * acc:.1f}% (epoch {epoch_text(epoch)})")

    def _draw_confusion(self, run: RunData, params, epoch: float) -> None:
        pass  # the matrix is all numbers: drawn by _metrics_confusion, at the metrics' pace

    def _metrics_confusion(self, run: RunData, params, epoch: float) -> None:
        x, y, idx = self._split_eval(run, self._conf_split)
        prob = run.predict(params, x[idx])
        pred, true = prob.argmax(1), y[idx]
        k = self._k
        counts = np.bincount(true * k + pred, minlength=k * k).reshape(k, k)
        self._confusion = counts
        share = counts / np.maximum(counts.sum(1, keepdims=True), 1)
        self._conf_img.setImage(np.ascontiguousarray(share, np.float32), autoLevels=False, levels=(0, 1))
        for t, c, s in zip(self._cells, counts.ravel(), share.ravel()):
            _set_text(t, str(int(c)) if c else "", (255, 255, 255) if s > 0.5 else FOREGROUND)
        p = prob[np.arange(len(true)), true]
        loss = float(-np.mean(np.log(np.maximum(p, 1e-12)))) if len(true) else float("nan")
        acc = float(np.mean(pred == true)) if len(true) else float("nan")
        self._set_caption(f"Confusion matrix on {len(idx)} {self._conf_split} samples",
                          f"Loss={loss:.4f}, accuracy {100 * acc:.1f}% (epoch {epoch_text(epoch)})")


def _set_text(item: pg.TextItem, text: str, color) -> None:
    """Change a TextItem only when its text or colour changed: re-laying out rich text is not free."""
    if getattr(item, "_ws_state", None) != (text, color):
        item._ws_state = (text, color)
        item.setText(text)
        item.setColor(color)
