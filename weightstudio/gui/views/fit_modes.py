"""The fit view's five ways of drawing predictions, one class each, and the table that picks one for a run.

* `CurveFit`: 1-D regression, the data as points and the prediction as a red curve (the seed's
  `plt.plot(x, prediction, 'r-')`);
* `ScatterFit`: other regression, predicted against true values, with the y = x line;
* `RegionsFit`: 2-D classification, decision regions under the points;
* `SamplesFit`: image inputs, a grid of samples labelled "predicted / true", wrong ones in red;
* `ConfusionFit`: other classification, a confusion matrix.

`FIT_MODES` maps the run's `Loss.fit` ("predictions" or "classes") and the data's shape to a class. A mode builds
its items on the fit view's plot once per run, then draws a state in two parts: `picture(params)` (a few hundred
predictions, whenever the state on show changes) and `numbers(params)` (loss and accuracy from `RunData.evaluate`,
at the pace `FitView` allows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from weightstudio.core.series import spread

from ..palette import palette_colour
from .style import FIT_COLOR, FOREGROUND, TRAIN_COLOR, VAL_COLOR, colour_bar, curve, outside_legend, style_plot

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.data import Dataset
    from weightstudio.core.run_data import RunData

MAX_POINTS = 5000  # points drawn per split in scatter plots
MAX_EVAL = 2000  # samples the shown loss/accuracy is computed on ...
MAX_EVAL_VALUES = 1_000_000  # ... and at most this many input values (CIFAR-sized inputs: ~300 samples)
GRID = 100  # decision regions: GRID × GRID predictions
CURVE_POINTS = 200
SAMPLE_COLUMNS, SAMPLE_ROWS = 6, 4
REGION_STRENGTH = 0.55  # how far a fully confident region goes from white towards its class colour
WRONG_COLOR = (210, 0, 0)
VALIDATION, TRAINING = "validation", "training"


def loss_text(loss: float) -> str:
    """A loss for a caption: four decimals, or scientific notation once it has blown up (a diverging run's loss
    in fixed notation is a 40-digit number that the title clips)."""
    return f"{loss:.4f}" if abs(loss) < 1e4 else f"{loss:.3g}"


def class_color(k: int) -> tuple[int, int, int]:
    return palette_colour(k)


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


def class_names(ds: Dataset, k: int) -> list[str]:
    return ds.class_names or [str(i) for i in range(k)]


@dataclass
class Label:
    """A text item and what it shows: it is changed only when its text or colour changed, because re-laying out
    rich text is not free."""

    item: pg.TextItem
    shown: tuple | None = None

    def set(self, text: str, color) -> None:
        if self.shown != (text, color):
            self.shown = (text, color)
            self.item.setText(text)
            self.item.setColor(color)


class CellNumbers(pg.GraphicsObject):
    """The counts in the cells of a k × k matrix (cell (r, c) centred on x = c, y = r), drawn in one paint at the
    screen's text size: a TextItem per cell would cost a paint each, a hundred for ten classes, every frame."""

    def __init__(self, k: int):
        super().__init__()
        self.k = k
        self._texts: list[str] = [""] * (k * k)
        self._light = np.zeros(k * k, bool)  # white text on a dark cell

    def texts(self) -> list[str]:
        """The cells' texts, row by row (true class), '' for an empty cell."""
        return list(self._texts)

    def set_cells(self, texts: list[str], light: np.ndarray) -> None:
        if texts != self._texts or not np.array_equal(light, self._light):
            self._texts, self._light = list(texts), np.asarray(light, bool).copy()
            self.update()

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt's name
        return QtCore.QRectF(-0.5, -0.5, self.k, self.k)

    def paint(self, p, *args) -> None:
        to_device = p.transform()
        p.save()
        p.resetTransform()  # text at its pixel size, wherever the cells are on screen
        colours = (pg.mkColor(FOREGROUND), pg.mkColor(255, 255, 255))
        for i, text in enumerate(self._texts):
            if text:
                r, c = divmod(i, self.k)
                centre = to_device.map(QtCore.QPointF(c, r))
                p.setPen(colours[int(self._light[i])])
                p.drawText(QtCore.QRectF(centre.x() - 40, centre.y() - 10, 80, 20),
                           int(QtCore.Qt.AlignmentFlag.AlignCenter), text)
        p.restore()


class FitMode:
    """One way of drawing the fit: builds its items on `plot` for `run` once, then draws any state of the run."""

    name: ClassVar[str] = ""

    def __init__(self, plot: pg.PlotItem, layout: pg.GraphicsLayout, run: RunData, grid: bool = False):
        self.plot, self.layout, self.run, self.ds = plot, layout, run, run.dataset
        self.legend: pg.LegendItem | None = None
        self.legend_columns = 4
        # Predictions run on the GUI thread whenever the state on show changes: keep them to a few milliseconds.
        n_eval = max(200, min(MAX_EVAL, MAX_EVAL_VALUES // max(1, self.ds.n_features)))
        self.eval_idx = {TRAINING: spread(len(self.ds.x_train), n_eval), VALIDATION: spread(len(self.ds.x_val), n_eval)}
        self.build(grid)

    def build(self, grid: bool) -> None:
        raise NotImplementedError

    def picture(self, params: dict[str, np.ndarray]) -> str:
        """Draw what `params` predict; returns the caption's first line (what the plot shows)."""
        raise NotImplementedError

    def numbers(self, params: dict[str, np.ndarray]) -> str:
        """The caption's second line (loss, accuracy) for `params`, without the epoch."""
        raise NotImplementedError

    # ---- for the modes ----
    def tr(self, text: str) -> str:
        """Qt's tr() for a plain class: `text` in the context of the class holding the call, as lupdate files it."""
        for cls in type(self).__mro__:
            translated = QtCore.QCoreApplication.translate(cls.__name__, text)
            if translated != text:
                return translated
        return text

    def split_text(self, split: str) -> str:
        return {TRAINING: self.tr("training"), VALIDATION: self.tr("validation")}.get(split, split)

    def train_and_validation(self, params, train, validation) -> str:
        """The caption's numbers: `train(loss, accuracy)` on the training sample, then `validation(loss,
        accuracy)` when the run has validation data."""
        text = train(*self.evaluate(params, TRAINING))
        if len(self.eval_idx[VALIDATION]):
            text += validation(*self.evaluate(params, VALIDATION))
        return text

    def evaluate(self, params, split: str) -> tuple[float, float]:
        """(loss, accuracy) on the evaluation sample of `split`, with the loss training uses."""
        x, y = (self.ds.x_val, self.ds.y_val) if split == VALIDATION else (self.ds.x_train, self.ds.y_train)
        idx = self.eval_idx[split]
        return self.run.evaluate(params, x[idx], y[idx])

    def has_val(self) -> bool:
        return len(self.ds.x_val) > 0

    def add_legend(self, columns: int) -> pg.LegendItem:
        self.legend = outside_legend(self.layout, 1, columns)
        self.legend_columns = columns  # RunView.resizeEvent fits the columns to the width
        return self.legend

    def scatter(self, x, y, color, symbol="o", size=6) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(x=x, y=y, symbol=symbol, size=size, pen=pg.mkPen((60, 60, 60, 160), width=1),
                                  brush=pg.mkBrush(*color, 200), antialias=False)
        self.plot.addItem(item)
        return item

    def fix_range(self, x: tuple[float, float], y: tuple[float, float], padding: float = 0.0) -> None:
        """Fixed ranges while streaming: the data decides them, not a prediction that may shoot off early on."""
        self.plot.setXRange(*x, padding=padding)
        self.plot.setYRange(*y, padding=0)
        self.plot.disableAutoRange()


# ---- regression ----


class _RegressionFit(FitMode):
    def numbers(self, params) -> str:
        return self.train_and_validation(params, lambda loss, _acc: self.tr("Loss={0}").format(loss_text(loss)),
                                         lambda loss, _acc: self.tr(", validation {0}").format(loss_text(loss)))


class CurveFit(_RegressionFit):
    """One input, one target: the data as points, the prediction on a grid over the inputs as a red curve."""

    name = "curve"

    def build(self, grid: bool) -> None:
        ds = self.ds
        style_plot(self.plot, "", "x", "y", grid)
        legend = self.add_legend(3)
        tr = spread(len(ds.x_train), MAX_POINTS)
        legend.addItem(self.scatter(ds.x_train[tr, 0], ds.y_train[tr, 0], TRAIN_COLOR), self.tr("training data"))
        if self.has_val():
            va = spread(len(ds.x_val), MAX_POINTS)
            legend.addItem(self.scatter(ds.x_val[va, 0], ds.y_val[va, 0], VAL_COLOR, "t"), self.tr("validation data"))
        xs_all = np.concatenate([ds.x_train[:, 0], ds.x_val[:, 0]])
        ys_all = np.concatenate([ds.y_train[:, 0], ds.y_val[:, 0]])
        lo, hi = float(xs_all.min()), float(xs_all.max())
        self.grid_x = np.linspace(lo, hi, CURVE_POINTS, dtype=np.float32)
        self.xy = (np.empty(0), np.empty(0))
        self.fit = curve(FIT_COLOR)
        self.fit.setZValue(10)
        self.plot.addItem(self.fit)
        legend.addItem(self.fit, self.tr("model prediction"))
        ylo, yhi = float(ys_all.min()), float(ys_all.max())
        pad = 0.1 * (yhi - ylo or 1.0)
        self.fix_range((lo, hi), (ylo - pad, yhi + pad), padding=0.04)

    def picture(self, params) -> str:
        pred = self.run.predict(params, self.grid_x[:, None])[:, 0]
        self.xy = (self.grid_x, pred)
        self.fit.setSkipFiniteCheck(bool(np.isfinite(pred).all()))
        self.fit.setData(self.grid_x, pred)
        return self.tr("Model fit: data and prediction")


class ScatterFit(_RegressionFit):
    """Any other regression: each point at (true, predicted), beside the y = x line of a perfect fit."""

    name = "scatter"

    def build(self, grid: bool) -> None:
        ds = self.ds
        n_in, n_out = ds.n_features, ds.y_train.shape[1]
        style_plot(self.plot, "", self.tr("true y"), self.tr("predicted y"), grid)
        legend = self.add_legend(3)
        self.tr_idx = spread(len(ds.x_train), MAX_POINTS)
        self.va_idx = spread(len(ds.x_val), MAX_POINTS)
        self.true_pred = (np.empty(0), np.empty(0))
        self.pts_train = self.scatter([], [], TRAIN_COLOR)
        legend.addItem(self.pts_train, self.tr("training data"))
        if self.has_val():
            self.pts_val = self.scatter([], [], VAL_COLOR, "t")
            legend.addItem(self.pts_val, self.tr("validation data"))
        ys = np.concatenate([ds.y_train.ravel(), ds.y_val.ravel()])
        lo, hi = float(ys.min()), float(ys.max())
        pad = 0.15 * (hi - lo or 1.0)
        lo, hi = lo - pad, hi + pad
        ideal = pg.PlotCurveItem([lo, hi], [lo, hi], pen=pg.mkPen((120, 120, 120), width=1,
                                                                   style=QtCore.Qt.PenStyle.DashLine))
        self.plot.addItem(ideal)
        legend.addItem(ideal, self.tr("perfect fit (y = x)"))
        self.fix_range((lo, hi), (lo, hi))
        inputs = self.tr("1 input") if n_in == 1 else self.tr("{0} inputs").format(n_in)
        outputs = self.tr("1 output") if n_out == 1 else self.tr("{0} outputs").format(n_out)
        self.caption = self.tr("Predicted vs true ({0} → {1})").format(inputs, outputs)

    def picture(self, params) -> str:
        ds = self.ds
        t = ds.y_train[self.tr_idx]
        pt = self.run.predict(params, ds.x_train[self.tr_idx])
        self.true_pred = (t.ravel(), pt.ravel())
        self.pts_train.setData(*self.true_pred)
        if self.has_val():
            pv = self.run.predict(params, ds.x_val[self.va_idx])
            self.pts_val.setData(ds.y_val[self.va_idx].ravel(), pv.ravel())
        return self.caption


# ---- classification ----


class RegionsFit(FitMode):
    """Two inputs, classes: the predicted class over a grid of the plane, shaded by how sure the model is."""

    name = "regions"

    def build(self, grid: bool) -> None:
        ds = self.ds
        style_plot(self.plot, "", self.tr("x₁ (feature 0)"), self.tr("x₂ (feature 1)"))
        self.k = max(2, ds.n_classes)
        pts = np.concatenate([ds.x_train, ds.x_val])
        lo, hi = pts.min(0), pts.max(0)
        span = np.where(hi - lo > 0, hi - lo, 1.0)
        lo, hi = lo - 0.1 * span, hi + 0.1 * span
        self._build_image(np.linspace(lo[0], hi[0], GRID, dtype=np.float32),
                          np.linspace(lo[1], hi[1], GRID, dtype=np.float32))
        self._build_points()
        self.fix_range((float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))

    def _build_image(self, xs: np.ndarray, ys: np.ndarray) -> None:
        self.grid = (xs, ys)
        gx, gy = np.meshgrid(xs, ys)  # row = y, column = x: row-major image
        self.grid_points = np.stack([gx.ravel(), gy.ravel()], 1)
        self.image = np.zeros((0, 0), np.float32)
        self.regions = pg.ImageItem(np.zeros((GRID, GRID), np.float32), axisOrder="row-major")
        self.regions.setLookupTable(region_lut(self.k))
        self.regions.setLevels((0, self.k))
        dx, dy = (xs[1] - xs[0]), (ys[1] - ys[0])
        self.regions.setRect(QtCore.QRectF(float(xs[0] - dx / 2), float(ys[0] - dy / 2), float(dx * GRID),
                                           float(dy * GRID)))
        self.regions.setZValue(-10)
        self.plot.addItem(self.regions)

    def _build_points(self) -> None:
        """The data over the regions in its class's colour: training as dots, validation as triangles."""
        ds, k = self.ds, self.k
        legend = self.add_legend(min(6, k + 1))
        names = class_names(ds, k)
        for c in range(k):
            m = ds.y_train == c
            item = self.scatter(ds.x_train[m, 0], ds.x_train[m, 1], class_color(c), "o", 7)
            legend.addItem(item, self.tr("class {0}").format(names[c]))
            if self.has_val():
                mv = ds.y_val == c
                self.scatter(ds.x_val[mv, 0], ds.x_val[mv, 1], class_color(c), "t", 8)
        if self.has_val():
            legend.addItem(pg.ScatterPlotItem(symbol="t", size=8, brush=pg.mkBrush(200, 200, 200),
                                              pen=pg.mkPen(60, 60, 60)), self.tr("validation (triangles)"))

    def picture(self, params) -> str:
        prob = self.run.predict(params, self.grid_points)
        self.image = np.ascontiguousarray(region_values(prob).reshape(GRID, GRID))
        self.regions.setImage(self.image, autoLevels=False, levels=(0, self.k))
        return self.tr("Decision regions (shade: how sure the model is)")

    def numbers(self, params) -> str:
        return self.train_and_validation(
            params, lambda loss, acc: self.tr("Loss={0}, accuracy {1}%").format(loss_text(loss), f"{100 * acc:.1f}"),
            lambda _loss, acc: self.tr(", validation {0}%").format(f"{100 * acc:.1f}"))


class SamplesFit(FitMode):
    """Image inputs: a montage of validation (else training) samples, each labelled "predicted / true"."""

    name = "samples"

    def build(self, grid: bool) -> None:
        ds = self.ds
        self.split = VALIDATION if self.has_val() else TRAINING
        x, y = (ds.x_val, ds.y_val) if self.split == VALIDATION else (ds.x_train, ds.y_train)
        n = SAMPLE_COLUMNS * SAMPLE_ROWS
        self.indices = spread(len(x), n)[:n]
        self.x, self.y = x[self.indices], y[self.indices]
        self.pairs: list[tuple[str, str]] = []
        self.names = class_names(ds, ds.n_classes)
        c, h, w = ds.feature_shape
        gap, band = max(1, w // 4), max(3, round(0.5 * h))  # band: room under each tile for its label
        montage = _montage(self.x, (float(x.min()), float(x.max())), h + band, w + gap)
        for side in ("left", "bottom"):
            self.plot.hideAxis(side)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        img = pg.ImageItem(montage, axisOrder="row-major", levels=(0, 1))
        if c != 3:
            lut = np.linspace(255, 0, 256).astype(np.uint8)  # ink dark on white paper
            img.setLookupTable(np.stack([lut, lut, lut], 1))
        self.plot.addItem(img)
        self.labels = []
        for i in range(len(self.indices)):
            r, col = divmod(i, SAMPLE_COLUMNS)
            t = pg.TextItem("", color=FOREGROUND, anchor=(0.5, 0))
            t.setPos(col * (w + gap) + w / 2, r * (h + band) + h + 0.05 * band)
            self.plot.addItem(t)
            self.labels.append(Label(t))
        H, W = montage.shape[:2]
        self.plot.setRange(xRange=(-gap / 2, W + gap / 2), yRange=(-gap / 2, H), padding=0)

    def picture(self, params) -> str:
        pred = self.run.predict(params, self.x).argmax(1)
        self.pairs = []
        wrong = 0
        for label, p, y in zip(self.labels, pred, self.y):
            pn, yn = self.names[int(p)], self.names[int(y)]
            self.pairs.append((pn, yn))
            ok = int(p) == int(y)
            wrong += not ok
            label.set(f"{pn} / {yn}", FOREGROUND if ok else WRONG_COLOR)
        return self.tr("{0} {1} samples, predicted / true: {2} wrong (red)").format(
            len(self.labels), self.split_text(self.split), wrong)

    def numbers(self, params) -> str:
        loss, acc = self.evaluate(params, self.split)
        return self.tr("Loss={0}, accuracy {1}%").format(loss_text(loss), f"{100 * acc:.1f}")


def _montage(images: np.ndarray, value_range: tuple[float, float], cell_h: int, cell_w: int) -> np.ndarray:
    """Images [n, c, h, w] scaled from `value_range` to [0, 1] and tiled SAMPLE_COLUMNS to a row in cells of
    cell_h × cell_w pixels, the tile at each cell's top left: RGB on white for 3 channels, else one channel on NaN
    (transparent)."""
    n, c, h, w = images.shape
    rows = -(-n // SAMPLE_COLUMNS)
    H, W = rows * cell_h, SAMPLE_COLUMNS * cell_w - (cell_w - w)  # no gap after the last column
    lo, hi = value_range
    scale = (hi - lo) or 1.0
    montage = np.ones((H, W, 3), np.float32) if c == 3 else np.full((H, W), np.nan, np.float32)
    for i in range(n):
        r, col = divmod(i, SAMPLE_COLUMNS)
        y0, x0 = r * cell_h, col * cell_w
        tile = (images[i] - lo) / scale
        montage[y0:y0 + h, x0:x0 + w] = tile.transpose(1, 2, 0) if c == 3 else tile[0]
    return np.ascontiguousarray(montage)


class ConfusionFit(FitMode):
    """Any other classification: counts of true against predicted class, shaded by the share of the true class."""

    name = "confusion"

    def build(self, grid: bool) -> None:
        self.k = k = self.ds.n_classes
        names = class_names(self.ds, k)
        self.split = VALIDATION if self.has_val() else TRAINING
        self.counts = np.zeros((0, 0), int)
        style_plot(self.plot, "", self.tr("predicted class"), self.tr("true class"))
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.img = pg.ImageItem(axisOrder="row-major")
        self.img.setPos(-0.5, -0.5)
        self.plot.addItem(self.img)
        cmap = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (8, 48, 107)])
        colour_bar(self.img, self.plot, cmap, (0, 1), self.tr("share of the true class"))
        ticks = [(i, names[i]) for i in range(k)]
        self.plot.getAxis("left").setTicks([ticks])
        self.plot.getAxis("bottom").setTicks([ticks])
        self.cells = CellNumbers(k) if k <= 12 else None  # more cells than that have no room for their counts
        if self.cells is not None:
            self.plot.addItem(self.cells)
        self.plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0.02)

    def picture(self, params) -> str:
        # The matrix is all numbers: `numbers` draws it, at the numbers' pace.
        return self.tr("Confusion matrix on {0} {1} samples").format(len(self.eval_idx[self.split]),
                                                                      self.split_text(self.split))

    def _samples(self) -> tuple[np.ndarray, np.ndarray]:
        """(inputs, true classes) of this mode's samples."""
        x, y = (self.ds.x_val, self.ds.y_val) if self.split == VALIDATION else (self.ds.x_train, self.ds.y_train)
        idx = self.eval_idx[self.split]
        return x[idx], y[idx]

    def _counts(self, prob: np.ndarray, true: np.ndarray) -> np.ndarray:
        k = self.k
        return np.bincount(true * k + prob.argmax(1), minlength=k * k).reshape(k, k)

    def counts_for(self, run: RunData, params) -> np.ndarray:
        """Counts [true class, predicted class] of `run`'s network with `params` on this mode's samples (another
        run of a comparison: the same data)."""
        x, true = self._samples()
        return self._counts(run.predict(params, x), true)

    def numbers(self, params) -> str:
        x, true = self._samples()
        prob, loss, acc = self.run.assess(params, x, true)  # the matrix and the caption from one forward pass
        self.counts = self._counts(prob, true)
        share = self.counts / np.maximum(self.counts.sum(1, keepdims=True), 1)
        self.img.setImage(np.ascontiguousarray(share, np.float32), autoLevels=False, levels=(0, 1))
        if self.cells is not None:
            self.cells.set_cells([str(int(c)) if c else "" for c in self.counts.ravel()], share.ravel() > 0.5)
        return self.tr("Loss={0}, accuracy {1}%").format(loss_text(loss), f"{100 * acc:.1f}")


# ---- which mode for which run ----

ONE_TO_ONE, PLANE, IMAGES, OTHER = "one input, one target", "two inputs", "images", "other"


def data_shape(ds: Dataset) -> str:
    """The shape of the data as the fit view tells them apart."""
    if ds.feature_shape == (1,) and ds.y_train.ndim == 2 and ds.y_train.shape[1] == 1:
        return ONE_TO_ONE
    if ds.feature_shape == (2,):
        return PLANE
    if len(ds.feature_shape) == 3:
        return IMAGES
    return OTHER


# (Loss.fit, data shape) → mode; a shape not listed for a `fit` falls back to its OTHER entry.
FIT_MODES: dict[tuple[str, str], type[FitMode]] = {
    ("predictions", ONE_TO_ONE): CurveFit,
    ("predictions", OTHER): ScatterFit,
    ("classes", PLANE): RegionsFit,
    ("classes", IMAGES): SamplesFit,
    ("classes", OTHER): ConfusionFit,
}


def fit_mode_for(run: RunData) -> type[FitMode]:
    fit = run.loss.fit
    return FIT_MODES.get((fit, data_shape(run.dataset))) or FIT_MODES[(fit, OTHER)]
