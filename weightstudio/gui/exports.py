"""What File ▸ Export writes: a view as PNG or SVG, the weight history as NPZ or CSV, the weights as a state_dict.
Each function takes what it writes and a path; the window asks for the path and reports the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from ..core.io import save_history_npz, save_model, write_trace_csv

if TYPE_CHECKING:
    from ..core.run_data import RunData


def export_view(view: QWidget, title: str, path: Path) -> Path:
    """`view` as it is on screen: SVG when `path` ends in .svg, else PNG (the suffix added when missing)."""
    if path.suffix.lower() == ".svg":
        # Qt's own SVG painter: pyqtgraph's SVGExporter cannot parse the paths Qt 6.11 writes.
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(view.size())
        generator.setViewBox(view.rect())
        generator.setTitle(f"WeightStudio {title}")
        painter = QPainter(generator)
        view.render(painter, QPoint(0, 0))
        painter.end()
        return path
    path = path if path.suffix else path.with_suffix(".png")
    view.grab().save(str(path))
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
