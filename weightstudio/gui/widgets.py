"""Small widgets and helpers of the window that belong to no panel or view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class SteadyLabel(QLabel):
    """A label whose text changes every frame (a step counter) without re-laying out the window each time: its size
    is fixed, and grows (one layout) only when a text needs more room. A QLabel of free size asks its parents for a
    new layout on every `setText`, up to the main window and its docks."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self.setFixedHeight(self.sizeHint().height())
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        m = self.contentsMargins()
        need = self.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 2 * self.margin() + 4
        if need > self.maximumWidth() or self.minimumWidth() != self.maximumWidth():
            self.setFixedWidth(max(need, self.minimumWidth()))
        super().setText(text)


class AfterFirstPaint(QObject):
    """Calls `then` once, from the event loop, after the first paint of any widget of `window`. A zero timer set
    before `show()` would fire before the window is exposed, and the user would look at the splash instead."""

    def __init__(self, window: QMainWindow, then):
        super().__init__(window)
        self.window, self.then = window, then
        QApplication.instance().installEventFilter(self)  # only until that first paint

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Paint and obj.isWidgetType() and obj.window() is self.window:
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after the rest of this frame has painted
        return False


def duration_text(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` from an hour on."""
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"
