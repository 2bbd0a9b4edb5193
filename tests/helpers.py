"""Set-ups many test files share: a shown window on a preset, a shown view drawing a run."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def open_window(qtbot, preset: str, size: tuple[int, int] | None = None, paced: bool = False):
    """The studio on `preset`, shown (at `size`), training at max speed unless `paced`; its training is shut down
    when the block ends."""
    from weightstudio.gui.main_window import MainWindow

    w = MainWindow(preset)
    if not paced:
        w.training_bar.set_speed(None)
    qtbot.addWidget(w)
    if size is not None:
        w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    try:
        yield w
    finally:
        w.controller.close()


def show_view(qtbot, cls, run, size: tuple[int, int] = (900, 600)):
    """A `cls` view, shown at `size`, that has drawn `run`."""
    view = cls()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    view.set_run(run)
    assert view.refresh(force=True)
    return view
