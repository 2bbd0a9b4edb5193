"""Bands in the weights view: a translucent fill between the 10th and 90th percentile of some weights at each step,
and their median as a line. Large parameters are drawn this way by default (hundreds of lines read as a smear and
cost tens of milliseconds a paint), and compared runs always are.

* `quantiles`: the percentiles of each row of a block of weights;
* `DerivedRows`: a function of each row of a growing series, computed once per row, so a refresh costs the new
  rows, whatever the run's length;
* `BandItems`: the plot items that draw one band.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

BAND_QUANTILES = (10, 50, 90)  # the band's low edge, its median line and its high edge
BAND_ALPHA = 60


def quantiles(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """[n, 3]: the BAND_QUANTILES percentiles of each row of `rows[n, k]` (k ≥ 1). `weights[k]`: how many of the
    parameters' weights each column stands for. A sampled net traces a spread sample, as many weights of a small
    parameter as of a large one, so unweighted percentiles let a ResNet stage's 512 batch-norm scales (all near 1)
    count as much as its 221,000 convolution weights (near 0), and its band spanned 0 to 1."""
    if weights is None or np.all(weights == weights[0]):
        return np.percentile(rows, BAND_QUANTILES, axis=1).T.astype(np.float32)
    order = np.argsort(rows, axis=1)
    values = np.take_along_axis(rows, order, axis=1)
    share = np.cumsum(weights[order], axis=1)
    share /= share[:, -1:]
    out = np.empty((len(rows), len(BAND_QUANTILES)), np.float32)
    last, at_row = rows.shape[1] - 1, np.arange(len(rows))
    for i, q in enumerate(BAND_QUANTILES):  # the first value whose share of the weights reaches q %
        out[:, i] = values[at_row, np.minimum((share < q / 100).sum(axis=1), last)]
    return out


def band_columns(groups: list[np.ndarray], weights: list[np.ndarray] | None = None
                 ) -> Callable[[np.ndarray], np.ndarray]:
    """rows[n, k] → [n, 3 × len(groups)]: the quantiles of each group of columns (weighted by `weights`, one
    array a group, when given), side by side."""
    def of(rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), 3 * len(groups)), np.float32)
        for b, cols in enumerate(groups):
            out[:, 3 * b:3 * b + 3] = quantiles(rows[:, cols], None if weights is None else weights[b])
        return out
    return of


class DerivedRows:
    """`fn(rows)` (n rows in, n rows of `width` out) of a growing series, computed once per row: each `update`
    passes the new rows only. `key` records what it was computed for (see `derived_for`)."""

    def __init__(self, fn: Callable[[np.ndarray], np.ndarray], width: int, key):
        self.fn, self.key = fn, key
        self.n = 0
        self._out = np.empty((0, width), np.float32)

    def update(self, rows: np.ndarray) -> np.ndarray:
        """The derived rows of `rows` (the whole series so far; rows before those already derived are not read)."""
        n = len(rows)
        if n > self.n:
            if n > len(self._out):  # grow by doubling: updates stay amortised O(new rows)
                grown = np.empty((max(64, n, 2 * len(self._out)), self._out.shape[1]), np.float32)
                grown[:self.n] = self._out[:self.n]
                self._out = grown
            self._out[self.n:n] = self.fn(rows[self.n:n])
            self.n = n
        return self._out[:n]


def derived_for(current: DerivedRows | None, fn, width: int, key) -> DerivedRows:
    """`current` if it was computed for `key`, else a fresh, empty one computing `fn`."""
    return current if current is not None and current.key == key else DerivedRows(fn, width, key)


def band_path(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> QtGui.QPainterPath:
    """The closed polygon from `lo` up to `hi` over `x`, built in one vectorised call (see `BandItems`)."""
    path = pg.arrayToQPath(np.concatenate([x, x[::-1]]), np.concatenate([lo, hi[::-1]]), connect="all",
                           finiteCheck=False)
    path.closeSubpath()
    return path


class BandItems:
    """One band on a plot: a translucent fill from its low to its high edge and its median line (`pen`), both at
    `z` (the median over the fill), so medians drawn at one `z` lie over every band's fill.

    The fill is one closed polygon built in a single vectorised call: pyqtgraph's `FillBetweenItem` rebuilds its
    path from both edge curves on every change of either (measured ~7 ms per change for a band 1,400 points wide),
    and a streaming view changes both on every refresh."""

    def __init__(self, plot: pg.PlotItem, colour, z: float, pen: QtGui.QPen):
        self.fill = QtWidgets.QGraphicsPathItem()
        self.fill.setBrush(pg.mkBrush(*colour[:3], BAND_ALPHA))
        self.fill.setPen(pg.mkPen(None))
        self.median = pg.PlotCurveItem(pen=pen, antialias=False, skipFiniteCheck=True)
        self.fill.setZValue(z)
        self.median.setZValue(z + 0.5)
        plot.addItem(self.fill, ignoreBounds=True)
        plot.addItem(self.median)

    def items(self) -> tuple:
        return self.fill, self.median

    def set_data(self, x: np.ndarray, q: np.ndarray) -> None:
        """Draw `q[P, 3]` (low, median, high) at `x[P]`."""
        self.fill.setPath(band_path(x, q[:, 0], q[:, 2]))
        self.median.setData(x, q[:, 1])

    def set_visible(self, on: bool) -> None:
        for item in self.items():
            item.setVisible(on)

    def remove(self, plot: pg.PlotItem) -> None:
        for item in self.items():
            plot.removeItem(item)
