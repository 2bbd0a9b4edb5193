"""What File ▸ Export writes: a view as PNG or SVG, the weight history as NPZ or CSV, the weights as a state_dict.
Each function takes what it writes and a path; the window asks for the path and reports the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, QPoint
from PySide6.QtGui import QPainter, QPixmap
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


def export_view(view: QWidget, title: str, path: Path) -> Path:
    """`view` as it is on screen: SVG when `path` ends in .svg, else PNG (the suffix added when missing); both
    written atomically."""
    if path.suffix.lower() != ".svg":
        return save_png(view.grab(), path if path.suffix else path.with_suffix(".png"))
    # Qt's own SVG painter: pyqtgraph's SVGExporter cannot parse the paths Qt 6.11 writes.
    from PySide6.QtSvg import QSvgGenerator

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(view.size())
    generator.setViewBox(view.rect())
    generator.setTitle(f"WeightStudio {title}")
    painter = QPainter(generator)
    view.render(painter, QPoint(0, 0))
    painter.end()
    with atomic_write(path, "wb") as f:
        f.write(bytes(buffer.data()))
    return path


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
