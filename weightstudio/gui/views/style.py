"""The look every view and saved figure shares: colours, plot styling, titles, legends, timeline markers, curves,
and how epochs and shapes read in titles."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

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


def style_axis(axis: pg.AxisItem) -> None:
    axis.setPen(pg.mkPen(AXIS_PEN, width=1))
    axis.setTextPen(pg.mkPen(FOREGROUND))
    axis.enableAutoSIPrefix(False)  # "(x0.001)" on a label without units only confuses


def style_plot(plot: pg.PlotItem, title: str = "", x: str = "", y: str = "", grid: bool = False) -> pg.PlotItem:
    """Dark text on white, pen width 1, titled and labelled: one look for every view and every saved figure.

    Grid lines are off in live views: pyqtgraph draws them as part of the axes, so with a grid every data update
    repaints both axes and their text (measured ~4 ms a frame per plot, offscreen). Saved figures turn them on.
    """
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


def set_title(plot: pg.PlotItem, title: str, size: str = TITLE_SIZE) -> None:
    """Title a plot; lines split by "<br>" get the room they need (pyqtgraph fixes the title row at 30 px). The same
    title again changes nothing: setting it re-lays out the plot and repaints its axes, which views redrawn many
    times a second must not pay for."""
    multi = "<br>" in title
    if multi:
        title = f"<div align='center'>{title}</div>"
    room = int(plot.vb.width()) - 8  # a title wider than its plot (its column: the data area's) wraps inside it
    key = (title, size, room if multi else None)
    if getattr(plot, "_shown_title", None) == key and plot.titleLabel.text == title:
        return
    plot._shown_title = key
    plot.setTitle(title, color=FOREGROUND, size=size)
    height = 12 + 18 * (title.count("<br>") + 1)
    if multi:  # Qt centres lines only within a set text width
        item = plot.titleLabel.item
        item.setTextWidth(-1)
        ideal = item.document().idealWidth()
        item.setTextWidth(min(ideal, room) if room > MIN_TITLE_WIDTH else ideal)
        height = max(height, int(item.document().size().height()) + 8)
    if height > 30:
        plot.titleLabel.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, height)


def colour_bar(image: pg.ImageItem, plot: pg.PlotItem | None, cmap: pg.ColorMap, values: tuple[float, float],
               label: str) -> pg.ColorBarItem:
    """A fixed (not draggable) colour bar for `image`, inserted to the right of `plot`, in the views' look. With
    `plot` None the caller places it (in a layout column of its own, so plots stacked above keep their width)."""
    bar = pg.ColorBarItem(values=values, colorMap=cmap, interactive=False, width=14, colorMapMenu=False, label=label)
    bar.setImageItem(image, insert_in=plot)
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
