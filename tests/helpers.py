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


def recorded_mse_steps(model, opt, x, y, rec, steps: int, after=None) -> list[float]:
    """`steps` steps of a mean-squared-error loop on (x, y) that `rec` records after each `opt.step()`;
    `after(i)`, when given, runs after step i is recorded (to take by hand what the test compares). The losses."""
    from torch import nn

    losses = []
    for i in range(steps):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rec.step(loss=loss)
        losses.append(loss.item())
        if after is not None:
            after(i)
    return losses


def tick_texts(axis) -> list[tuple]:
    """The (rectangle in the axis's coordinates, text) of each tick label pyqtgraph would draw on `axis`."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [(rect, text) for rect, _, text in specs[2]]
