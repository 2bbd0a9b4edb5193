"""Read-only access to one run for whoever draws it (GUI views, headless figures, tests).

Views never touch the training model: `RunData.predict` evaluates a private copy of the network with any recorded
parameters, so the fit can be drawn live from the GUI thread or for any epoch on the timeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch.func import functional_call

from .builder import build_model
from .config import RunConfig
from .data import Dataset
from .history import History
from .tasks import Loss, get_loss


@dataclass
class RunData:
    """The config, data and history of a run, plus a private model for predictions at recorded parameters."""

    config: RunConfig
    dataset: Dataset
    history: History
    origin: Path | None = None  # the folder it was opened from; None for the run the studio trains
    _model: torch.nn.Module = field(init=False, repr=False)

    def __post_init__(self):
        state = torch.random.get_rng_state()
        self._model = build_model(self.config.model).eval()  # weights are replaced on every call
        torch.random.set_rng_state(state)  # building must not disturb anyone's random stream

    @property
    def name(self) -> str:
        return self.origin.name if self.origin is not None else (self.config.name or "run")

    @property
    def loss(self) -> Loss:
        return get_loss(self.config.train.loss)

    @property
    def classification(self) -> bool:
        return self.loss.classification

    @torch.no_grad()
    def _outputs(self, params: dict[str, np.ndarray], x: np.ndarray) -> torch.Tensor:
        tensors = {k: torch.as_tensor(v) for k, v in params.items()}
        return functional_call(self._model, tensors, (torch.as_tensor(x, dtype=torch.float32),))

    def predict(self, params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
        """Regression: raw outputs [n, targets]. Classification: class probabilities [n, classes]."""
        return self.loss.predictions(self._outputs(params, x)).numpy()

    @torch.no_grad()
    def evaluate(self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(loss, accuracy) of `params` on (x, y) with the loss training uses; NaN for an empty set, accuracy NaN
        for regression."""
        if len(x) == 0:
            return math.nan, math.nan
        out = self._outputs(params, x)
        target = self.loss.targets(torch.as_tensor(y))
        acc = self.loss.accuracy(out, target)
        return float(self.loss.module()(out, target)), math.nan if acc is None else float(acc)
