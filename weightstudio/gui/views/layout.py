"""Widgets that frame a view: its pyqtgraph drawing area, the row of controls above it, and read-out labels."""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .style import BACKGROUND, MUTED, fit_legend_columns, set_title

QWIDGETSIZE_MAX = 16777215  # Qt's "no maximum"
RIGHT_MARGIN = 8  # pixels right of a drawing area's plots: where the x axis's last label may reach
LEGEND_SHARE = 1 / 3  # the most of a drawing area's height a legend may take before it folds away


def make_layout_widget(parent: QtWidgets.QWidget | None = None) -> pg.GraphicsLayoutWidget:
    w = pg.GraphicsLayoutWidget(parent, show=False)
    w.setBackground(BACKGROUND)
    w.ci.setContentsMargins(4, 4, RIGHT_MARGIN, 4)
    return w


def label_x_ends(plot: pg.PlotItem) -> None:
    """Let the x axis's end labels reach into the area's margin: pyqtgraph drops a label that pokes out of its axis
    by a pixel, so at 1024 px the loss axis ended on the last epoch's tick with no number under it."""
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=RIGHT_MARGIN)


class Folding(QtCore.QObject):
    """What a drawing area folds away so that its plots keep their room, said on hover instead: the plots' titles
    when the area is under `titles_below` pixels tall, and the legend then too, or whenever the legend, in as many
    columns as the area's width holds, would take more than `LEGEND_SHARE` of its height. At 1024×640 the loss
    view's titles and legend took 116 of 224 px, and digits-cnn's six weight rows 120 of 221, leaving the plots a
    sliver.

    Decided when the area is resized, before it lays out its plots (so a folded legend never widens them past
    the area's edge), and when the view changes a title or the legend's entries (`set_title`, `fit`); never per
    refresh, since a title or a legend shown or hidden re-lays out the plots. `changed(compact)` is called after
    each fold or unfold (and each forced `fit`)."""

    def __init__(self, area: pg.GraphicsLayoutWidget, titles_below: int, changed=None):
        super().__init__(area)
        self.area = area
        self.titles_below = titles_below
        self._changed = changed
        self.compact = False
        self.legend_folded = False
        self.legend: pg.LegendItem | None = None
        self._titles: dict[pg.PlotItem, str] = {}
        area.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.Resize:
            self.fit()
        return False

    def reset(self) -> None:
        """A new set of plots (the area was cleared): their titles come through `set_title`; the view sets `legend`
        and a forced `fit` decides about it."""
        self._titles = {}
        self.legend = None
        self.legend_folded = False

    def set_title(self, plot: pg.PlotItem, title: str) -> None:
        """`plot`'s title where there is room for it (else on hover)."""
        self._titles[plot] = title
        set_title(plot, None if self.compact else title)
        self._say_on_hover()

    def fit(self, force: bool = False) -> None:
        """Fold or unfold for the area's size now; `force`: apply it again (the titles or the legend changed)."""
        area, legend = self.area, self.legend
        height = area.height()
        fit_legend_columns(legend, area.width() - 20)
        compact = 0 < height < self.titles_below
        folded = legend is not None and bool(legend.items) and height > 0 and (
            compact or legend_height(legend) > LEGEND_SHARE * height)
        if (compact, folded) == (self.compact, self.legend_folded) and not force:
            return
        self.compact, self.legend_folded = compact, folded
        for plot, title in self._titles.items():
            set_title(plot, None if compact else title)
        if legend is not None:
            legend.setVisible(not folded)
            # a hidden item keeps its place in a QGraphicsLayout: none, and no width, while folded
            legend.setMaximumSize(0 if folded else QWIDGETSIZE_MAX, 0 if folded else QWIDGETSIZE_MAX)
        if area.ci.geometry().width() > area.width() > 0:  # pyqtgraph sizes its layout only when the area resizes
            area.ci.setGeometry(QtCore.QRectF(0, 0, area.width(), area.height()))
        self._say_on_hover()
        if self._changed is not None:
            self._changed(compact)

    def hover_text(self) -> str:
        """What the area's tooltip says (rich text): the folded titles, and the folded legend's entries with their
        line samples; '' when nothing is folded."""
        return self.area.toolTip()

    def _say_on_hover(self) -> None:
        lines = [f"<b>{html.escape(t.replace('<br>', ' '))}</b>" for t in self._titles.values() if t] \
            if self.compact else []
        if self.legend_folded:
            lines += [f"{line_sample(sample.item)} {html.escape(label.text)}" for sample, label in self.legend.items]
        self.area.setToolTip("<br>".join(lines))


def legend_height(legend: pg.LegendItem) -> float:
    """The height `legend` takes in its current columns, shown or folded."""
    return legend.layout.effectiveSizeHint(QtCore.Qt.SizeHint.MinimumSize).height()


def line_sample(item) -> str:
    """A legend entry's line in rich text: its colour, dashed for a dashed pen, with a dot for a line of points."""
    pen = pg.mkPen(item.opts["pen"])
    dashed = pen.style() != QtCore.Qt.PenStyle.SolidLine
    line = "╍╍" if dashed else "━━"
    if item.opts.get("symbol") is not None:
        line = line[0] + "●" + line[1]
    return f"<span style='color: {pen.color().name()}'>{line}</span>"


def header_row(*widgets: QtWidgets.QWidget, fill: QtWidgets.QLabel | None = None) -> QtWidgets.QHBoxLayout:
    """The small row of controls above a view's plots, left-aligned; `fill` (a read-out label) takes the rest of
    the row and is cut short rather than widening the dock."""
    row = QtWidgets.QHBoxLayout()
    row.setContentsMargins(6, 2, 6, 0)
    row.setSpacing(10)
    for w in widgets:
        row.addWidget(w)
    if fill is not None:
        row.addWidget(_ReadoutHolder(fill), 1)
    else:
        row.addStretch(1)
    return row


class _ReadoutHolder(QtWidgets.QWidget):
    """Holds a read-out label outside any layout, sized to the holder: a label's new text asks its parent for a new
    layout, and through a layout that request climbs to the dock and the main window, which then re-lays out every
    dock each frame. Here it stops at the holder, whose size the row alone decides."""

    def __init__(self, label: QtWidgets.QLabel):
        super().__init__()
        self.label = label
        label.setParent(self)
        label.setMinimumWidth(0)
        m = label.contentsMargins()
        self._height = max(label.sizeHint().height(), label.fontMetrics().height() + m.top() + m.bottom())
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(0, self._height)

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.label.setGeometry(self.rect())


def view_layout(widget: QtWidgets.QWidget) -> QtWidgets.QVBoxLayout:
    lay = QtWidgets.QVBoxLayout(widget)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    return lay


class ElidedLabel(QtWidgets.QLabel):
    """A one-line read-out that ends in "…" when its row is too narrow (a QLabel cuts the text off mid-word at the
    dock's edge, and a status bar's pushes its neighbours aside); hovering it shows the whole text. `text()` stays
    the whole text."""

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(0, super().minimumSizeHint().height())

    def is_elided(self) -> bool:
        text = self.text()
        if self.wordWrap() or "<" in text:  # wrapped or rich text: QLabel lays it out itself
            return False
        return self.fontMetrics().horizontalAdvance(text) > self.contentsRect().width()

    def paintEvent(self, event) -> None:
        if not self.is_elided():
            return super().paintEvent(event)
        rect = self.contentsRect()
        painter = QtGui.QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(self.text(), QtCore.Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), shown)

    def event(self, event) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip and self.is_elided() and not self.toolTip():
            QtWidgets.QToolTip.showText(event.globalPos(), self.text(), self)
            return True
        return super().event(event)


def small_label(text: str = "", muted: bool = True) -> QtWidgets.QLabel:
    label = ElidedLabel(text)
    if muted:
        label.setStyleSheet(f"color: {MUTED};")
    return label
