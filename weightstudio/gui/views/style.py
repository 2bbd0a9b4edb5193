"""The look every view and saved figure shares: colours, plot styling, titles, legends, timeline markers, curves,
and how epochs and shapes read in titles."""

from __future__ import annotations

import math
import weakref
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ..palette import palette_colour

BACKGROUND = "w"
FOREGROUND = "#202020"
AXIS_PEN = "#606060"
MUTED = "#707070"
TITLE_SIZE = "10pt"
MIN_TITLE_WIDTH = 120  # pixels: a plot narrower than this (not laid out yet) keeps its title on its own lines
TRAIN_COLOR = (31, 119, 180)
VAL_COLOR = (255, 127, 14)
FIT_COLOR = (220, 0, 0)
MARKER_PEN = pg.mkPen((90, 90, 90), width=1, style=QtCore.Qt.PenStyle.DashLine)


def layer_color(index: int) -> tuple[int, int, int]:
    return palette_colour(index)  # one colour per layer


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


def group_colors(params, groups: dict[str, list[str]]) -> dict[str, tuple[int, int, int]]:
    """A colour per parameter of a recorded module: one hue per top-level module (layer1, layer2, fc), lighter
    for each deeper module within it so its blocks stay apart, biases darker, as `param_colors` does per layer."""
    out = {}
    for i, names in enumerate(groups.values()):
        base = layer_color(i)
        modules = list(dict.fromkeys(n.rpartition(".")[0] for n in names))
        for n in names:
            j = modules.index(n.rpartition(".")[0])
            light = 0.35 * (j / max(1, len(modules) - 1)) if len(modules) > 1 else 0.0
            r, g, b = (int(c + (255 - c) * light) for c in base)
            out[n] = (int(r * 0.55), int(g * 0.55), int(b * 0.55)) if n.endswith(".bias") else (r, g, b)
    return out


def shape_text(shape) -> str:
    return "×".join(str(int(s)) for s in shape)


def epoch_text(epoch: float) -> str:
    return f"{epoch:.0f}" if abs(epoch - round(epoch)) < 1e-6 else f"{epoch:.2f}"


class FittedAxis(pg.AxisItem):
    """A vertical axis that labels only as many ticks as its height holds: pyqtgraph puts at least two or three
    labels on any axis, which in a short plot (the loss view's at 1024×640) print over each other."""

    LINE_GAP = 4  # pixels between two tick labels

    def label_room(self, size: float) -> int:
        """How many tick labels fit along `size` pixels."""
        font = self.style["tickFont"] or QtWidgets.QApplication.font()
        return max(1, int(size // (QtGui.QFontMetricsF(font).height() + self.LINE_GAP)))

    def tickSpacing(self, minVal: float, maxVal: float, size: float):
        levels = super().tickSpacing(minVal, maxVal, size)
        dif = abs(maxVal - minVal)
        if self.orientation not in ("left", "right") or self._tickSpacing is not None or not levels or dif == 0:
            return levels
        room = self.label_room(size)
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        majors = _multiples(low, high, levels[0][0])
        if majors <= room:  # minor ticks (and maybe their labels) only where they have room between the majors
            return levels if 2 * majors <= room else levels[:1]
        # The smallest round step that leaves at most `room` labels (at least two where two fit), on its multiples
        # (0 and 100), else halfway between them (-1 and 1 rather than 0 alone); no minor labels between.
        least = min(2, room)
        for half in (False, True):
            step = nice_step(dif / (room + 1))
            while step <= 2 * dif:
                offset = step / 2 if half else 0.0
                count = _multiples(low - offset, high - offset, step)
                if least <= count <= room:
                    return [(step, offset)]
                if count < least:
                    break
                step = nice_step(step * 1.5)
        return [(nice_step(dif), 0.0)]


def _multiples(low: float, high: float, step: float) -> int:
    """How many multiples of `step` lie in [low, high]: the labels an axis with that spacing prints."""
    return math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9) + 1


def nice_step(at_least: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ not below `at_least` (> 0)."""
    base = 10.0 ** math.floor(math.log10(at_least))
    return next(f * base for f in (1, 2, 5, 10) if f * base >= at_least * (1 - 1e-9))


def style_axis(axis: pg.AxisItem) -> None:
    # A frame repaints each plot whole, and an axis replays its text (~0.5–1.5 ms an axis, a dozen to three dozen
    # axes a frame): as a cached pixmap it is one blit until its ticks change.
    axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
    axis.setPen(pg.mkPen(AXIS_PEN, width=1))
    axis.setTextPen(pg.mkPen(FOREGROUND))
    axis.enableAutoSIPrefix(False)  # "(x0.001)" on a label without units only confuses


def style_plot(plot: pg.PlotItem, title: str = "", x: str = "", y: str = "", grid: bool = False) -> pg.PlotItem:
    """Dark text on white, pen width 1, titled and labelled: one look for every view and every saved figure. The
    left axis labels only the ticks its height holds (`FittedAxis`).

    Grid lines are off in live views: pyqtgraph draws them as part of the axes, so with a grid every data update
    repaints both axes and their text (measured ~4 ms a frame per plot, offscreen). Saved figures turn them on.
    """
    if not isinstance(plot.getAxis("left"), FittedAxis):
        plot.setAxisItems({"left": FittedAxis("left")})
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


def set_title(plot: pg.PlotItem, title: str | None, size: str = TITLE_SIZE) -> None:
    """Title a plot (None: no title, and no title row). Lines split by "<br>", and a title wider than its plot (its
    column: the data area's), wrap inside it and get the room they need: pyqtgraph fixes the title row at 30 px,
    and a title's width is the least its plot takes, so an unwrapped one pushed the plot and its colour bar past
    the dock's edge. The title is wrapped again whenever the plot's width changes. The same title again changes
    nothing: setting it re-lays out the plot and repaints its axes, which views redrawn many times a second must
    not pay for."""
    if getattr(plot, "_title_args", None) is None:
        plot.vb.sigResized.connect(partial(_title_again, weakref.ref(plot)))
    plot._title_args = (title, size)
    if getattr(plot, "_titling", False):  # resized by this very call (the layout follows the new title)
        plot._title_stale = True
        return
    plot._titling = True
    try:
        _set_title(plot, title, size)
    finally:
        plot._titling = False
    if getattr(plot, "_title_stale", False):
        plot._title_stale = False
        QtCore.QTimer.singleShot(0, partial(_title_again, weakref.ref(plot)))


def _set_title(plot: pg.PlotItem, title: str | None, size: str) -> None:
    room = int(plot.vb.width()) - 8
    if room > MIN_TITLE_WIDTH:
        plot._laid_out = True
    elif getattr(plot, "_laid_out", False):
        room = MIN_TITLE_WIDTH  # a plot this narrow wraps at this width: unwrapping would widen it again
    wraps = room >= MIN_TITLE_WIDTH  # else not laid out yet: lines as they come
    key = (title, size, room if wraps else None)
    shown = getattr(plot, "_shown_title", None)
    if shown is not None and shown[0] == key and plot.titleLabel.text == shown[1]:
        return
    if title is None:
        plot.setTitle(None)
        plot._shown_title = (key, plot.titleLabel.text)
        return
    multi = "<br>" in title
    text = f"<div align='center'>{title}</div>" if multi else title
    plot.setTitle(text, color=FOREGROUND, size=size)
    item = plot.titleLabel.item
    item.setTextWidth(-1)  # setTitle keeps the width the last title was wrapped at
    if not multi and wraps and item.document().idealWidth() > room:
        # Qt centres lines only within a set text width; "what: when" titles break after the colon first
        multi, text = True, f"<div align='center'>{title.replace(': ', ':<br>', 1)}</div>"
        plot.setTitle(text, color=FOREGROUND, size=size)
    plot._shown_title = (key, text)
    height = 12 + 18 * (text.count("<br>") + 1)
    if multi:
        item.setTextWidth(-1)
        ideal = item.document().idealWidth()
        item.setTextWidth(min(ideal, room) if wraps else ideal)
        item.setTextWidth(item.document().idealWidth())  # its widest line: the least width the plot must keep
        plot.titleLabel.updateMin()
        height = max(height, int(item.document().size().height()) + 8)
        _fit_scene(plot)
    if height > 30:
        plot.titleLabel.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, height)


def _fit_scene(plot: pg.PlotItem) -> None:
    """A layout that was wider than its view while a title held it open: give it the view's width again (pyqtgraph
    sizes the layout only when the view is resized)."""
    for view in plot.scene().views() if plot.scene() is not None else ():
        central = getattr(view, "centralWidget", None)
        if central is not None and central.geometry().width() > view.range.width():
            central.setGeometry(view.range)


def _title_again(plot_ref, *_) -> None:
    plot = plot_ref()
    if plot is not None:
        set_title(plot, *plot._title_args)


# Colours in an image's lookup table. pyqtgraph turns a table of up to 256 into a QImage colour table with one Python
# call per entry (about 2 ms, every time the image changes); a longer one it applies to the pixels in numpy.
IMAGE_LUT_POINTS = 512


def image_lut(cmap: pg.ColorMap) -> np.ndarray:
    return cmap.getLookupTable(nPts=IMAGE_LUT_POINTS)


def colour_bar(image: pg.ImageItem, plot: pg.PlotItem | None, cmap: pg.ColorMap, values: tuple[float, float],
               label: str) -> pg.ColorBarItem:
    """A fixed (not draggable) colour bar for `image`, inserted to the right of `plot`, in the views' look. With
    `plot` None the caller places it (in a layout column of its own, so plots stacked above keep their width)."""
    bar = pg.ColorBarItem(values=values, colorMap=cmap, interactive=False, width=14, colorMapMenu=False, label=label)
    bar.setImageItem(image, insert_in=plot)
    image.setLookupTable(image_lut(cmap))  # the bar gave it 256 colours
    for side in ("left", "right", "top", "bottom"):
        style_axis(bar.getAxis(side))
    bar.getAxis("left").setLabel(label, color=FOREGROUND)
    return bar


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
                           label=QtCore.QCoreApplication.translate("Views", "epoch {value:g}") if label else None,
                           labelOpts=opts if label else None)
    line.setZValue(50)
    line.hide()
    plot.addItem(line, ignoreBounds=True)
    return line


def place_markers(markers, epoch: float | None) -> None:
    """Show `markers` (`marker_line`s; None entries skipped) at `epoch`, or hide them when it is None (live)."""
    for m in markers:
        if m is None:
            continue
        if epoch is None:
            m.hide()
        else:
            m.show()  # first: pyqtgraph's line label ignores moves while the line is hidden
            m.setValue(epoch)
            if getattr(m, "label", None) is not None:
                m.label.valueChanged()  # and a shown line put back at the same value keeps the old text


def curve(color, alpha: int = 255, **kw) -> pg.PlotCurveItem:
    """A cheap line: width 1, no antialiasing, finite data assumed (callers guarantee it)."""
    kw.setdefault("skipFiniteCheck", True)
    return pg.PlotCurveItem(pen=pg.mkPen((*color[:3], alpha), width=1), antialias=False, **kw)


def per_epoch_points(color) -> pg.PlotDataItem:
    """A line with a dot per point: the per-epoch (validation) series."""
    return pg.PlotDataItem(pen=pg.mkPen(color, width=1), symbol="o", symbolSize=5, symbolBrush=pg.mkBrush(color),
                           symbolPen=None, antialias=False)
