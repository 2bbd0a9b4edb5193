"""`RunView`, the base of every docked view: binding to a run, the version-gated refresh, and the timeline position.

A view is created once, bound to a run with `set_run`, and then polled by the main window's QTimer through
`refresh()`. A refresh that finds `history.version` unchanged does nothing and returns False, so an idle or paused
run costs nothing. Drawing follows docs/architecture.md: items are created once per run and fed with `setData`;
long series are read incrementally and reduced to about two points per pixel column (weightstudio/core/series.py)
before they reach Qt, because every millisecond spent painting is taken from training (PySide6 holds the GIL while
Qt paints).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtCore, QtWidgets

from weightstudio.core.tasks import RunState

from .style import fit_legend_columns

if TYPE_CHECKING:  # torch-free at import: the window paints before torch has loaded
    from weightstudio.core.run_data import RunData


@dataclass(frozen=True)
class Frame:
    """What every view draws in one refresh round while following the newest state: one recorded step of one
    history (the newest parameters when the round began, and the history's version then). Views refreshed later in
    the round draw this step too, not whatever arrived meanwhile, so every view names the same step in every frame
    (docs/architecture.md, "The model under the window")."""

    history: object
    version: int
    step: int
    params: dict[str, np.ndarray]

    @classmethod
    def newest(cls, history) -> Frame:
        version = history.version  # before the pull, as in RunView.refresh
        step, params = history.latest_params()
        return cls(history, version, step, params)


def is_growing(run: RunData) -> bool:
    """Whether the run may still add data (ranges then keep room ahead)."""
    return run.history.status in (RunState.RUNNING, RunState.PAUSED)


class RunView(QtWidgets.QWidget):
    """Base of the docked views. Owns the binding to one `RunData`, the version gate and the timeline position.

    The main window calls `set_run` when a run is created, loaded or reset, `refresh` from its QTimer, and
    `show_snapshot` from the timeline. Subclasses implement `_build(run)` (create plot items for this run's shapes,
    once) and `_draw(run)` (update them with `setData`), and may override `_snapshot_changed()`.
    """

    title = ""
    show_grid = False  # grid lines cost a repaint of the axes per frame; figures.py turns them on for still images

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._run: RunData | None = None
        self._history = None
        self._drawn_version: int | None = None
        self._snapshot: int | None = None
        self._redraw_pending = False
        self._frame: Frame | None = None
        self.drawn_step: int | None = None  # the step the view drew last (what a frame's views must agree on)
        self.draw_count = 0  # redraws done, for benchmarks and the soak test
        self.legend = None  # a legend under the plots, whose columns follow the view's width
        self.legend_max_columns = 4
        # Covers the view while what it draws is not the network the panels describe (an edit not built yet).
        self._notice = QtWidgets.QLabel(self)
        self._notice.setObjectName("viewNotice")
        self._notice.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self._notice.setWordWrap(True)
        self._notice.setStyleSheet("background: rgba(255, 255, 255, 235); color: #505050; padding: 12px;")
        self._notice.hide()

    # ---- public API ----
    @property
    def run(self) -> RunData | None:
        return self._run

    def set_run(self, run: RunData | None) -> None:
        """Bind to `run` (None clears) and build its plot items; the next `refresh` draws."""
        self._run = run
        self._history = None if run is None else run.history
        self._drawn_version = None
        self._snapshot = None
        self._frame = None
        self.drawn_step = None
        self._build(run)

    def set_notice(self, text: str | None) -> None:
        """Say `text` over the view instead of showing its drawing (None: show the drawing again)."""
        self._notice.setText(text or "")
        self._notice.setVisible(bool(text))
        if text:
            self._notice.setGeometry(self.rect())
            self._notice.raise_()

    def notice(self) -> str:
        """What the view says over its drawing, or ''."""
        return self._notice.text() if not self._notice.isHidden() else ""

    def pin(self, frame: Frame | None) -> None:
        """Draw `frame` while following the newest state (None: whatever is newest at each refresh)."""
        self._frame = frame

    def refresh(self, force: bool = False) -> bool:
        """Redraw from the history if it changed since the last draw (or `force`); True when redrawn."""
        run = self._run
        if run is None:
            return False
        if run.history is not self._history:  # the run was reset: a fresh History
            self._history = run.history
            self._drawn_version = None
            self._build(run)
        version = self._due_version(run)
        if not force and version == self._drawn_version:
            return False
        self._drawn_version = version
        self._draw(run)
        self._settle()
        self.draw_count += 1
        return True

    def has_news(self) -> bool:
        """Whether `refresh()` would draw now: a state it has not drawn, or a reset run."""
        run = self._run
        if run is None:
            return False
        return run.history is not self._history or self._due_version(run) != self._drawn_version

    def holds_frame(self) -> bool:
        """Whether a refresh now changes what the view shows, so the window holds its paint until the frame's other
        views have drawn too. A view whose draw is done elsewhere (on a worker) says False."""
        return self.has_news()

    def _due_version(self, run: RunData) -> int:
        # Read before pulling, so a write during the pull triggers the next draw; a pinned frame's is its own.
        frame = self._live_frame(run)
        return run.history.version if frame is None else frame.version

    def show_snapshot(self, index: int | None) -> None:
        """Show snapshot `index` of the history (None: follow the live, newest state)."""
        self._snapshot = None if index is None else int(index)
        self._snapshot_changed()
        self._redraw()

    def snapshot_index(self) -> int | None:
        return self._snapshot

    def on_screen(self) -> bool:
        """Whether the user can see any of this view: shown, and not a dock tab behind another (Qt parks those
        outside the window instead of hiding them, so `isVisible()` alone says True)."""
        if not self.isVisible():
            return False
        window = QtWidgets.QWidget.window(self)  # a view may name something else `window` (the heatmap's)
        return QtCore.QRect(self.mapTo(window, QtCore.QPoint(0, 0)), self.size()).intersects(window.rect())

    def is_hidden(self) -> bool:
        """Whether this view sits in a shown window where the user cannot see it (a closed dock, a tab behind
        another). A view outside any shown window (a figure, a test) is not hidden: it draws when asked."""
        return QtWidgets.QWidget.window(self).isVisible() and not self.on_screen()

    def mark_stale(self) -> None:
        """Draw at the next `refresh` even if the history has not changed (the window's round does it once the view
        is on screen)."""
        self._drawn_version = None

    def _settle(self) -> None:
        """Finish the draw's scene changes now, while the window holds the frame back: the new view ranges (pyqtgraph
        applies them as a paint begins) and the scene's queued processing of changed items. Left to the event loop,
        either asks for a second paint of the plot right after the frame's."""
        for view in self.findChildren(QtWidgets.QGraphicsView):
            scene = view.scene()
            if hasattr(scene, "prepareForPaint"):
                scene.prepareForPaint()
            QtCore.QCoreApplication.sendPostedEvents(scene, QtCore.QEvent.Type.MetaCall)

    # ---- for subclasses ----
    def _build(self, run: RunData | None) -> None:
        raise NotImplementedError

    def _draw(self, run: RunData) -> None:
        raise NotImplementedError

    def _snapshot_changed(self) -> None:
        pass

    def _redraw(self) -> None:
        """Redraw now after a user action (a toggle, a chooser) or a view's own timer, rather than on the next
        tick of the window's round. A hidden view only goes stale: it costs nothing until it is on screen."""
        if self._run is None:
            return
        if self.is_hidden():
            self.mark_stale()
        else:
            self.refresh(force=True)

    def _schedule_redraw(self) -> None:
        """Redraw once the event loop is free, however many times this is called before (zoom, pan, resize)."""
        if self._run is not None and not self._redraw_pending:
            self._redraw_pending = True
            QtCore.QTimer.singleShot(0, self, self._scheduled_redraw)  # dropped if this view is deleted first

    def _scheduled_redraw(self) -> None:
        self._redraw_pending = False
        self._redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        fit_legend_columns(self.legend, self.width() - 20, self.legend_max_columns)
        self._notice.setGeometry(self.rect())

    def _live_frame(self, run: RunData) -> Frame | None:
        """The pinned frame when it is this run's and the view follows the newest state, else None."""
        frame = self._frame
        return frame if frame is not None and self._snapshot is None and frame.history is run.history else None

    def _frame_count(self, run: RunData, steps: np.ndarray) -> int:
        """How many of the ascending `steps` the view draws: those up to the pinned frame's step (all unpinned)."""
        frame = self._live_frame(run)
        return len(steps) if frame is None else int(np.searchsorted(steps, frame.step, side="right"))

    def _param_values(self, run: RunData, name: str, index: int | None,
                      rows: tuple[int, int] | None = None) -> tuple[int, np.ndarray]:
        """`RunData.param_values`, except that following the newest state (`index` None) reads the pinned frame's."""
        frame = self._live_frame(run)
        if index is not None or frame is None:
            return run.param_values(name, index, rows=rows)
        v = frame.params[name]
        return frame.step, (v if rows is None or v.ndim < 2 else v[max(0, rows[0]):rows[1]])

    def _resolved_snapshot(self, run: RunData) -> int | None:
        """The chosen snapshot index clamped to what exists (the buffer may have thinned itself), or None."""
        if self._snapshot is None:
            return None
        count = run.history.snapshot_count()
        if count == 0:
            return None
        i = self._snapshot if self._snapshot >= 0 else count + self._snapshot
        return min(max(i, 0), count - 1)

    def _snapshot_epoch(self, run: RunData) -> float | None:
        """Fractional epoch of the chosen snapshot (step / steps per epoch), or None when following live."""
        i = self._resolved_snapshot(run)
        if i is None:
            return None
        step = int(run.history.snapshot_steps()[i])
        return step / max(1, run.history.steps_per_epoch)

    def _shown_params(self, run: RunData) -> tuple[int, float, dict[str, np.ndarray], int | None]:
        """(step, epoch, params, snapshot index or None) of the state on show: the chosen snapshot or the newest."""
        h = run.history
        i = self._resolved_snapshot(run)
        frame = self._live_frame(run)
        if i is None and frame is not None:
            return frame.step, frame.step / max(1, h.steps_per_epoch), frame.params, None
        if i is None:
            step, params = h.latest_params()
            return step, step / max(1, h.steps_per_epoch), params, None
        snap = h.snapshot(i)
        return snap.step, snap.step / max(1, h.steps_per_epoch), snap.params, i
