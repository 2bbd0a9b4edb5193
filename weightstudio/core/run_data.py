"""Read-only access to one run for whoever draws it (GUI views, headless figures, tests).

Views never touch the training model: `RunData.predict` evaluates a private copy of the network with any recorded
parameters, so the fit can be drawn live from the GUI thread or for any epoch on the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch.func import functional_call

from .builder import build_model
from .config import RunConfig
from .data import Dataset
from .history import History


@dataclass
class RunData:
    """The config, data and history of a run, plus a private model for predictions at recorded parameters."""

    config: RunConfig
    dataset: Dataset
    history: History
    _model: torch.nn.Module = field(init=False, repr=False)

    def __post_init__(self):
        state = torch.random.get_rng_state()
        self._model = build_model(self.config.model).eval()  # weights are replaced on every call
        torch.random.set_rng_state(state)  # building must not disturb anyone's random stream

    @property
    def loss(self) -> str:
        return self.config.train.loss

    @property
    def classification(self) -> bool:
        return self.loss != "mse"

    @torch.no_grad()
    def predict(self, params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
        """Regression: raw outputs [n, targets]. Classification: class probabilities [n, classes]."""
        tensors = {k: torch.as_tensor(v) for k, v in params.items()}
        out = functional_call(self._model, tensors, (torch.as_tensor(x, dtype=torch.float32),))
        if self.loss == "cross_entropy":
            out = torch.softmax(out, 1)
        elif self.loss == "bce_with_logits":
            p1 = torch.sigmoid(out)
            out = torch.cat([1 - p1, p1], 1)
        return out.numpy()
