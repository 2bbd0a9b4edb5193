"""Widgets that frame a view: its pyqtgraph drawing area, the row of controls above it, and read-out labels."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .style import BACKGROUND, MUTED


def make_layout_widget(parent: QtWidgets.QWidget | None = None) -> pg.GraphicsLayoutWidget:
    w = pg.GraphicsLayoutWidget(parent, show=False)
    w.setBackground(BACKGROUND)
    w.ci.setContentsMargins(4, 4, 8, 4)
    return w


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
