"""Headless PNG figures of a run, drawn by the same view classes as the studio (one drawing path).

`weightstudio train` calls `write_figures` after a headless run unless given `--no-figures` (the CLI sets
QT_QPA_PLATFORM=offscreen before Qt is imported). It writes loss.png, weights.png (with the one-plot-per-weight
panel beside the lines when the net has at most 8 traced weights), heatmaps.png (every weight matrix, conv weights
as kernel grids) and fit.png; `write_analysis_figures` adds gradients.png, distributions.png (the first weight
parameter's) and activations.png for the CLI to call beside it; `write_compare_figures` draws the runs of
`weightstudio compare` together (loss curves, weight bands, heatmaps side by side on one colour scale). In the studio, File ▸ Export view as PNG/SVG saves one docked view as it is on
screen; that is the window's code, not this module's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from weightstudio.core.run_data import RunData

from .exports import figure_of, save_png
from .palette import palette_colour
from .translation import install_translators
from .views.activations import ActivationsView
from .views.distributions import DistributionsView
from .views.fit import FitView
from .views.gradients import GradientsView
from .views.heatmaps import HeatmapGridView, HeatmapView
from .views.loss import LossView
from .views.weights import PER_WEIGHT_LIMIT, WeightsView

FIGURE_SIZE = (1000, 700)
PER_WEIGHT_PANEL_WIDTH = 700
HEATMAP_CELL = (430, 470)  # per matrix in heatmaps.png


def _view(cls, run: RunData):
    view = cls()
    view.show_grid = True  # a still image: grid lines cost nothing here and help reading values off
    view.set_run(run)
    return view


def _render(widget: QtWidgets.QWidget, size: tuple[int, int], before_grab=None,
            part: QtWidgets.QWidget | None = None) -> QtGui.QPixmap:
    """Lay `widget` out at `size` without putting it on a screen, draw its run, and grab its plots without the
    view's controls (`part`, or its largest plot area: `figure_of`)."""
    app = QtWidgets.QApplication.instance()
    widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(*size)
    widget.show()
    app.processEvents()
    if before_grab is not None:
        before_grab()
    widget.refresh(force=True)  # again, now that the plots know their pixel width (decimation follows it)
    app.processEvents()
    return (part or figure_of(widget)).grab()


def _stacked(pixmaps: list[QtGui.QPixmap]) -> QtGui.QPixmap:
    """Pixmaps one under another on white."""
    out = QtGui.QPixmap(max(p.width() for p in pixmaps), sum(p.height() for p in pixmaps))
    out.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(out)
    y = 0
    for p in pixmaps:
        painter.drawPixmap(0, y, p)
        y += p.height()
    painter.end()
    return out


def _side_by_side(left: QtGui.QPixmap, right: QtGui.QPixmap) -> QtGui.QPixmap:
    h = max(left.height(), right.height())
    out = QtGui.QPixmap(left.width() + right.width(), h)
    out.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(out)
    p.drawPixmap(0, 0, left)
    p.drawPixmap(left.width(), 0, right)
    p.setPen(QtGui.QPen(QtGui.QColor(200, 200, 200), 1))
    p.drawLine(left.width(), 10, left.width(), h - 10)
    p.end()
    return out


class _Figures:
    """Views made for figures of one run, closed (and their Qt objects freed) when the block ends."""

    def __init__(self, run: RunData, out_dir: Path):
        self.app = QtWidgets.QApplication.instance()  # kept alive while drawing
        if self.app is None:  # headless (the CLI): the figures speak the user's language, where a font can draw it
            self.app = QtWidgets.QApplication([])
            install_translators(self.app)
        self.run, self.out_dir = run, Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.views: list[QtWidgets.QWidget] = []

    def view(self, cls) -> QtWidgets.QWidget:
        view = _view(cls, self.run)
        self.views.append(view)
        return view

    def __enter__(self) -> "_Figures":
        return self

    def __exit__(self, *_exc) -> None:
        for v in self.views:
            v.close()
            v.deleteLater()
        self.app.processEvents()


def write_figures(run: RunData, out_dir: Path) -> list[Path]:
    """Write the run's figures into `out_dir` (created if needed); returns the paths written."""
    with _Figures(run, out_dir) as figs:
        out_dir = figs.out_dir
        loss = figs.view(LossView)
        written = [save_png(_render(loss, FIGURE_SIZE), out_dir / "loss.png")]

        weights = figs.view(WeightsView)
        lines = _render(weights, FIGURE_SIZE)
        if 0 < run.history.n_traced <= PER_WEIGHT_LIMIT:
            weights.set_per_weight(True)
            panel = _render(weights, (PER_WEIGHT_PANEL_WIDTH, FIGURE_SIZE[1]))
            lines = _side_by_side(lines, panel)
        written.append(save_png(lines, out_dir / "weights.png"))

        grid = figs.view(HeatmapGridView)
        n = max(1, len(grid.matrices))
        cols = min(grid.max_columns, n)
        rows = -(-n // cols)
        size = (max(FIGURE_SIZE[0], cols * HEATMAP_CELL[0]), rows * HEATMAP_CELL[1])
        written.append(save_png(_render(grid, size), out_dir / "heatmaps.png"))

        fit = figs.view(FitView)
        written.append(save_png(_render(fit, FIGURE_SIZE), out_dir / "fit.png"))
    return written


def write_analysis_figures(run: RunData, out_dir: Path) -> list[Path]:
    """gradients.png, distributions.png (the first weight parameter's weights) and activations.png of the run's
    newest state into `out_dir` (created if needed), drawn by the studio's views; returns the paths written."""
    written = []
    with _Figures(run, out_dir) as figs:
        for cls, name in ((GradientsView, "gradients.png"), (DistributionsView, "distributions.png"),
                          (ActivationsView, "activations.png")):
            view = figs.view(cls)
            if isinstance(view, DistributionsView):
                weights = [p.name for p in run.history.params if p.is_weight]
                if weights:
                    view.set_param(weights[0])
            written.append(save_png(_render(view, FIGURE_SIZE), figs.out_dir / name))
    return written


def write_compare_figures(runs: list[tuple[RunData, str]], out_dir: Path) -> list[Path]:
    """loss.png (every run's curves), weights.png (the first run's lines, the others as bands) and heatmaps.png
    (each weight parameter of every run side by side, one colour scale per parameter, a row per parameter) of
    compared `runs` ((run, label), coloured as the studio colours them: by position) into `out_dir`."""
    (first, label), others = runs[0], [(run, palette_colour(i + 1), text) for i, (run, text) in enumerate(runs[1:])]
    colour = palette_colour(0)
    with _Figures(first, out_dir) as figs:
        out_dir = figs.out_dir
        loss = figs.view(LossView)
        loss.set_overlays(colour, others)
        finals = [run.history.step_data()["loss"][-1:] for run, _ in runs]
        finals = np.abs(np.concatenate(finals)[np.isfinite(np.concatenate(finals))])
        if len(finals) and finals.min() > 0 and finals.max() > 100 * finals.min():
            loss.set_log_scale(True)  # a diverged or far slower run would flatten the others on a linear axis
        written = [save_png(_render(loss, FIGURE_SIZE, part=loss.plots), out_dir / "loss.png")]
        weights = figs.view(WeightsView)
        weights.set_overlays(colour, others, label=label)
        written.append(save_png(_render(weights, FIGURE_SIZE, part=weights.lines_widget), out_dir / "weights.png"))
        heatmaps = figs.view(HeatmapView)
        heatmaps.columns_follow_width = False
        heatmaps.set_overlays(colour, others, label=label)
        grid_rows, grid_cols = heatmaps.grid_shape()
        size = (max(FIGURE_SIZE[0], grid_cols * HEATMAP_CELL[0]), grid_rows * HEATMAP_CELL[1])
        rows = []
        for p in first.history.params:
            if p.is_weight:
                heatmaps.set_param(p.name)
                rows.append(_render(heatmaps, size, part=heatmaps.layout_widget))
        if rows:
            written.append(save_png(_stacked(rows), out_dir / "heatmaps.png"))
    return written
