"""WeightStudio: watch a neural network's weights move while it learns."""

__version__ = "0.1.0"
