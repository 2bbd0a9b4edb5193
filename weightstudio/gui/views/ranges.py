"""Plot ranges while a run streams: keep them still until the data leaves them, and follow the user's zoom."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from weightstudio.core.series import StickyRange, zoom_slice

DEFAULT_PLOT_WIDTH = 800  # pixels assumed for decimation before a view has been laid out


class RangeKeeper:
    """Fixed ranges while streaming: the view range of a plot changes only when the data leaves it.

    pyqtgraph's auto-range refits on every `setData`, so a growing series changes the range, and repaints both axes
    with their text, every frame. `StickyRange` decides when and where the range moves; this applies it to the
    plot. Once the user pans or zooms the plot is left alone (`following` False) until the plot's "A" (auto-range)
    button is pressed.
    """

    def __init__(self, plot: pg.PlotItem, x: bool = True, y: bool = True):
        self.vb = plot.vb
        self.fit_x, self.fit_y = x, y
        self.following = True
        self._range = StickyRange()
        self.vb.disableAutoRange()
        self.vb.sigRangeChangedManually.connect(self._manual)

    def watch(self, plot: pg.PlotItem) -> None:
        """Also stop following when the user pans or zooms `plot` (a plot whose x axis is linked to this one)."""
        plot.vb.sigRangeChangedManually.connect(self._manual)

    def _manual(self, *_) -> None:
        self.following = False

    def reset(self) -> None:
        self.following = True
        self._range.reset()

    def update(self, x0: float, x1: float, y0: float, y1: float, growing: bool = True) -> None:
        """Fit the range to data spanning [x0, x1] × [y0, y1] if it left the range (or shrank to under half of it).
        `growing`: the run is still adding data (time runs towards +x), so leave room ahead."""
        vb = self.vb
        if any(vb.autoRangeEnabled()):  # "A" pressed (or a fresh plot): follow the data again, our way
            vb.disableAutoRange()
            self.reset()
        if not self.following:
            return
        new = self._range.update(x0, x1, y0, y1, growing)
        if new is None:
            return
        kw = {}
        if self.fit_x:
            kw["xRange"] = new[:2]
        if self.fit_y:
            kw["yRange"] = new[2:]
        if kw:
            vb.setRange(padding=0, **kw)


def zoom_window(plot: pg.PlotItem, x: np.ndarray, buckets: int, following: bool) -> slice | None:
    """The rows of `x` inside the plot's x range when the user has zoomed in far enough for the full-range
    envelope to look coarse (then the window is decimated on its own); None otherwise."""
    if plot is None or following:
        return None
    lo, hi = plot.vb.viewRange()[0]
    return zoom_slice(x, lo, hi, buckets)


def plot_width_px(plot: pg.PlotItem) -> int:
    """The plot's width in pixels: decimation keeps about two points per pixel column."""
    w = plot.vb.width() if plot is not None else 0
    return int(w) if w and w > 50 else DEFAULT_PLOT_WIDTH
