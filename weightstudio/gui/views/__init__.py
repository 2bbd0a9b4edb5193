"""Docked pyqtgraph views of a run: fit, loss, weights, heatmaps."""

from .base import RunView
from .fit import FitView
from .heatmaps import HeatmapGridView, HeatmapView
from .loss import LossView
from .weights import WeightsView

__all__ = ["RunView", "FitView", "LossView", "WeightsView", "HeatmapView", "HeatmapGridView"]
