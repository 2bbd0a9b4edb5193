"""`BackgroundJob`: slow, Qt-free work (the health check) run off the GUI thread, its result handed back to it.

The GUI thread's lateness is made of its longest stretch of work, so anything that takes tens of milliseconds and
draws nothing runs here instead (docs/architecture.md, "Processes and threads"). One job at a time: a request made
while one runs replaces any waiting one, so a slow job never queues up behind itself.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


_collector = None


def collect_garbage_on_gui_thread() -> None:
    """Turn Python's automatic garbage collection off and collect on a timer of the GUI thread instead (pyqtgraph's
    `GarbageCollector`). Left on, a collection starts in whichever thread allocates (a background job, the torch
    import) and can destroy a widget there, and Qt then deadlocks with the GUI thread: seen in CI, a health-check
    job building its probe model collected a plot's menu while the GUI thread built a view. Once per process; call
    it on the GUI thread, with the QApplication made."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=1.0)


class BackgroundJob(QObject):
    """Runs `fn()` of `submit(key, fn)` on one worker thread; `done(key, result)` or `failed(key, message)` arrive
    on the thread this object lives in (the GUI thread). `fn` must not touch widgets. `close()` waits for the job
    that runs and drops the one waiting."""

    done = Signal(object, object)
    failed = Signal(object, str)
    _finished = Signal(object, object, object)  # emitted on the worker thread: queued to this object's thread

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        collect_garbage_on_gui_thread()  # its worker thread must never be the one that collects
        self._pool: ThreadPoolExecutor | None = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._running = False
        self._waiting: tuple[Any, Callable[[], Any]] | None = None
        self._finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        return self._running or self._waiting is not None

    def submit(self, key: Any, fn: Callable[[], Any]) -> None:
        if self._pool is None:
            return
        if self._running:
            self._waiting = (key, fn)
        else:
            self._start(key, fn)

    def _start(self, key: Any, fn: Callable[[], Any]) -> None:
        self._running = True

        def work() -> None:
            try:
                result, error = fn(), None
            except Exception as e:  # noqa: BLE001 - any failure of the job is said, not lost on the worker
                result, error = None, f"{type(e).__name__}: {e}"
            try:
                self._finished.emit(key, result, error)
            except RuntimeError:  # the owner was deleted meanwhile (its window closed): nobody to tell
                pass

        self._pool.submit(work)

    def _on_finished(self, key: Any, result: Any, error: str | None) -> None:
        self._running = False
        if self._pool is None:  # closed meanwhile: nobody wants the result
            return
        if error is None:
            self.done.emit(key, result)
        else:
            self.failed.emit(key, error)
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(*waiting)

    def close(self) -> None:
        pool, self._pool, self._waiting = self._pool, None, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
