"""Docked pyqtgraph views of a run: fit, loss, weights, heatmaps, gradients, distributions, activations."""

from .activations import ActivationsView
from .base import RunView
from .distributions import DistributionsView
from .fit import FitView
from .gradients import GradientsView
from .heatmaps import HeatmapGridView, HeatmapView
from .loss import LossView
from .weights import WeightsView

__all__ = ["RunView", "FitView", "LossView", "WeightsView", "HeatmapView", "HeatmapGridView", "GradientsView",
           "DistributionsView", "ActivationsView"]
