"""What File ▸ Export writes: a view as PNG or SVG, the weight history as NPZ or CSV, the weights as a state_dict.
Each function takes what it writes and a path; the window asks for the path and reports the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from ..core.atomic import atomic_write
from ..core.io import save_history_npz, save_model, write_trace_csv

if TYPE_CHECKING:
    from ..core.run_data import RunData


def save_png(pixmap: QPixmap, path: Path) -> Path:
    """`pixmap` as a PNG file, written atomically (core.atomic): a failed write leaves any earlier file whole."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):
        raise OSError(f"{path}: the image could not be encoded as PNG")
    with atomic_write(path, "wb") as f:
        f.write(bytes(buffer.data()))
    return path


def figure_of(view: QWidget) -> QWidget:
    """The part of `view` that is the figure: its plot area, or the widget holding all of its plot areas (the
    activations view's units beside their statistics), without the header's check boxes, buttons and choosers (a
    figure with a "Log scale" box in it is a screenshot, not a figure)."""
    import pyqtgraph as pg

    plots = [w for w in view.findChildren(pg.GraphicsView) if w.isVisibleTo(view) and w.width() > 0]
    if len(plots) <= 1:
        return plots[0] if plots else view
    holder = plots[0].parentWidget()
    while holder is not view and not all(holder.isAncestorOf(w) for w in plots):
        holder = holder.parentWidget()
    return holder


def export_view(view: QWidget, title: str, path: Path, width: int | None = None) -> Path:
    """`view`'s figure (`figure_of`), `width` pixels wide (None: as on screen; the height keeps its aspect):
    SVG when `path` ends in .svg, else PNG (the suffix added when missing); both written atomically. The figure is
    painted at the asked-for size, not an enlarged screenshot: lines and text stay sharp."""
    figure = figure_of(view)
    scale = 1.0 if width is None else width / max(1, figure.width())
    size = QSize(round(figure.width() * scale), round(figure.height() * scale))
    if path.suffix.lower() != ".svg":
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        _paint(figure, image, scale)
        return save_png(QPixmap.fromImage(image), path if path.suffix else path.with_suffix(".png"))
    # Qt's own SVG painter: pyqtgraph's SVGExporter cannot parse the paths Qt 6.11 writes.
    from PySide6.QtSvg import QSvgGenerator

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    generator.setTitle(f"WeightStudio {title}")
    _paint(figure, generator, scale)
    with atomic_write(path, "wb") as f:
        f.write(pixelated(bytes(buffer.data())))
    return path


# Qt embeds an image item (a heatmap, a histogram) at its native resolution, one pixel per cell, marked
# image-rendering="optimizeSpeed" (SVG 1.1), which browsers read as "smooth it": a blur. CSS's pixelated, which
# browsers and Inkscape read, keeps each cell a sharp square.
_PIXELATED = b'<image style="image-rendering:pixelated" '


def pixelated(svg: bytes) -> bytes:
    """`svg` with every embedded bitmap drawn with nearest-neighbour scaling: each cell a sharp square."""
    return svg.replace(b"<image ", _PIXELATED)  # Qt writes no style attribute on an image


def _paint(figure: QWidget, device, scale: float) -> None:
    painter = QPainter(device)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    QWidget.render(figure, painter, QPoint(0, 0))  # the widget, not QGraphicsView.render's scene overload
    painter.end()


def export_history(run: RunData, path: Path) -> Path:
    """Traced weights as CSV (one column per weight) when `path` ends in .csv, else every tier as NPZ."""
    (write_trace_csv if path.suffix.lower() == ".csv" else save_history_npz)(path, run.history)
    return path


def export_model(run: RunData, path: Path) -> Path:
    """The newest recorded weights (the history's, not the model a training thread may be updating) as a
    state_dict."""
    import torch

    _, params = run.history.latest_params()
    save_model(path, {k: torch.from_numpy(v.copy()) for k, v in params.items()})
    return path
