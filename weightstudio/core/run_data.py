"""Read-only access to one run for whoever draws it (GUI views, headless figures, tests).

Views never touch the training model: `RunData.predict` evaluates a private copy of the network with any recorded
parameters, so the fit can be drawn live from the GUI thread or for any epoch on the timeline.

A run recorded by `weightstudio.record()` from the user's own loop has no `RunConfig` and no `Dataset`: its
network is one the builder cannot make and its data never reached the studio. Then `config` and `dataset` are
None, `recording` holds its run.json, `can_predict` is False (the fit view says it has no data), and the loss
view's questions (`loss_label`, `classification`, `has_validation`) are answered from what was recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .config import RunConfig
from .data import Dataset
from .history import _LIVE_STEP, History
from .messages import N_
from .run_log import module_group
from .tasks import Loss, get_loss

if TYPE_CHECKING:  # torch only for runs whose network can be rebuilt, when first drawn
    import torch

    from .run_folder import RunFollower
    from .run_log import LogHistory


@dataclass
class RunData:
    """The config, data and history of a run, plus a private model for predictions at recorded parameters."""

    config: RunConfig | None
    dataset: Dataset | None
    history: History
    origin: Path | None = None  # the folder it was opened from; None for the run the studio trains
    recording: dict | None = None  # run.json of a folder weightstudio.record() wrote
    log: LogHistory | None = None  # such a folder's log: weight norms and metrics History has no columns for
    data_problem: str = ""  # why a folder's training data could not be found again (then dataset is None)
    problems: list[str] = field(default_factory=list)  # damage skipped in its folder (a chunk, metrics.csv), a line each
    _model: torch.nn.Module | None = field(init=False, repr=False, default=None)
    _follower: RunFollower | None = field(init=False, repr=False, default=None)

    def __post_init__(self):
        if self.config is not None:
            import torch

            from .builder import build_model

            state = torch.random.get_rng_state()
            self._model = build_model(self.config.model).eval()  # weights are replaced on every call
            torch.random.set_rng_state(state)  # building must not disturb anyone's random stream
        self._param_index = {name: i for i, name in enumerate(self.history.names)}

    @property
    def name(self) -> str:
        if self.origin is not None:
            return self.origin.name
        if self.recording is not None:
            return str(self.recording.get("name") or "recorded run")
        return self.config.name or "run"

    # ---- what kind of run ----
    @property
    def is_recorded(self) -> bool:
        """A run from weightstudio.record(): any nn.Module, no data set, no rebuildable network."""
        return self.recording is not None

    @property
    def can_predict(self) -> bool:
        """Whether predictions can be drawn: the network can be rebuilt and its data is at hand."""
        return self._model is not None and self.dataset is not None

    @property
    def loss(self) -> Loss | None:
        return None if self.config is None else get_loss(self.config.train.loss)

    @property
    def loss_label(self) -> str:
        return self.loss.label if self.loss is not None else N_("as the training loop computed it")

    @property
    def classification(self) -> bool:
        if self.loss is not None:
            return self.loss.classification
        return self.log.classification if self.log is not None else False

    @property
    def has_validation(self) -> bool:
        """Whether validation numbers exist or may arrive (a recorded run may report them at any epoch())."""
        return len(self.dataset.x_val) > 0 if self.dataset is not None else True

    @property
    def planned_epochs(self) -> int:
        """The epochs the run was set up for; for a recorded run, those recorded so far (at least 1)."""
        if self.config is not None:
            return self.config.train.epochs
        return max(1, len(self.history.epoch_data()["epoch"]))

    @property
    def x_unit(self) -> str:
        """What the views' time axis counts: "epoch", or "step" for a recorded run that has not said how long an
        epoch is (no steps_per_epoch given, no epoch() yet)."""
        if self.log is None or self.log._spe_given or len(self.history.epoch_data()["epoch"]):
            return "epoch"
        return "step"

    @property
    def module_groups(self) -> dict[str, list[str]]:
        """Parameter names grouped by the top-level module that owns them ("layer1", "fc"; "0", "2" for the
        builder's Sequential), in the order of the parameter table."""
        groups: dict[str, list[str]] = {}
        for p in self.history.params:
            groups.setdefault(module_group(p.name), []).append(p.name)
        return groups

    # ---- following a folder that is still being written ----
    def follow(self) -> RunFollower:
        """The `RunFollower` of this run: `poll()` appends what its writer has added since (nothing for a run
        that cannot grow)."""
        if self._follower is None:
            from .run_folder import RunFollower

            self._follower = RunFollower(self)
        return self._follower

    # ---- one parameter at one recorded moment, without copying the others ----
    def param_values(self, name: str, index: int | None = None, grad: bool = False,
                     rows: tuple[int, int] | None = None) -> tuple[int, np.ndarray]:
        """(step, values) of parameter `name` in snapshot `index` (negative counts from the end), or with None the
        newest recorded state (the live copy when newer than the last snapshot; gradients only come with
        snapshots); `rows` (start, stop) reads only those indices of its first dimension. Reads that slice only: a
        heatmap of 16 channels of a ResNet's conv must not copy every weight of the net, which `History.snapshot`
        and `latest_params` do. (It reads History's buffers directly; a History method would be the better home.)"""
        h = self.history
        k = self._param_index[name]
        a, b = int(h._offsets[k]), int(h._offsets[k + 1])
        shape = h.shapes[name]
        if rows is not None and len(shape) > 1:
            per_row = (b - a) // shape[0]
            r0, r1 = max(0, rows[0]), min(shape[0], rows[1])
            a, b = a + r0 * per_row, a + r1 * per_row
            shape = (r1 - r0,) + tuple(shape[1:])
        if grad:
            a, b = a + h.total_weights, b + h.total_weights
        buf = h.snapshots
        with h.lock:
            size = buf.size
            n = size + int(buf._latest_missing())
            if n == 0:
                raise IndexError(index)
            if index is None and not grad:
                live_step = h._header[_LIVE_STEP]
                last_key = buf.latest_key if n > size else int(buf._keys[size - 1])
                if live_step >= 0 and live_step > last_key:
                    return int(live_step), h._live_params[a:b].reshape(shape).copy()
            i = n - 1 if index is None else (index + n if index < 0 else index)
            if not 0 <= i < n:
                raise IndexError(index)
            if i < size:
                return int(buf._keys[i]), buf._rows[i, a:b].reshape(shape).copy()
            return int(buf.latest_key), buf._latest[a:b].reshape(shape).copy()

    # ---- predictions ----
    def _check_model(self) -> None:
        if self._model is None or self.dataset is None:
            raise ValueError(f"{self.name}: recorded from a model WeightStudio cannot rebuild; no predictions")

    def _outputs(self, params: dict[str, np.ndarray], x: np.ndarray) -> torch.Tensor:
        import torch
        from torch.func import functional_call

        self._check_model()
        with torch.no_grad():
            tensors = {k: torch.as_tensor(v) for k, v in params.items()}
            return functional_call(self._model, tensors, (torch.as_tensor(x, dtype=torch.float32),))

    def predict(self, params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
        """Regression: raw outputs [n, targets]. Classification: class probabilities [n, classes]."""
        import torch

        self._check_model()
        with torch.no_grad():
            return self.loss.predictions(self._outputs(params, x)).numpy()

    def evaluate(self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(loss, accuracy) of `params` on (x, y) with the loss training uses; NaN for an empty set, accuracy NaN
        for regression."""
        self._check_model()
        if len(x) == 0:
            return math.nan, math.nan
        return self._score(self._outputs(params, x), y)

    def assess(self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
        """(predictions as `predict` gives them, loss, accuracy as `evaluate` gives them) from one forward pass, for
        a view that shows both (x not empty)."""
        import torch

        out = self._outputs(params, x)
        with torch.no_grad():
            return (self.loss.predictions(out).numpy(), *self._score(out, y))

    def _score(self, out: torch.Tensor, y: np.ndarray) -> tuple[float, float]:
        import torch

        with torch.no_grad():
            target = self.loss.targets(torch.as_tensor(y))
            acc = self.loss.accuracy(out, target)
            return float(self.loss.module()(out, target)), math.nan if acc is None else float(acc)
