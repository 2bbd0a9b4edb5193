"""Side panels and toolbars: architecture builder, data panel, training bar."""

from .architecture import ArchitecturePanel
from .data_panel import DataPanel
from .training_bar import TrainingBar

__all__ = ["ArchitecturePanel", "DataPanel", "TrainingBar"]
