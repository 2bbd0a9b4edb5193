"""Bounded-memory record of a training run, written by the engine and read by views, files and tests.

Tiers (see ARCHITECTURE.md):
  * steps:     every step's loss, accuracy, learning rate and per-parameter gradient norm (a few floats);
  * traces:    every step's value of a chosen set of weights: all of them for nets under `FULL_TRACE_LIMIT`
               weights, else a per-parameter sample — the "one line per weight" users watch;
  * snapshots: every parameter and its last gradient, after every epoch, plus the initial state.
Each tier lives in a `DecimatingBuffer`: when it reaches its byte budget it drops every other row and doubles its
stride, so memory stays bounded however long the run, and the first and latest rows are always kept.

Thread safety: one writer (the engine) and any readers. Writers hold `lock` briefly and bump `version`; readers
take copies under the same lock, so a view can skip a redraw when the version has not changed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .builder import ParamInfo

FULL_TRACE_LIMIT = 20_000  # nets with fewer weights get every weight traced every step
SAMPLED_TRACE_TARGET = 2_048  # otherwise about this many weights are traced, spread over the parameters
MIN_TRACED_PER_PARAM = 32


class DecimatingBuffer:
    """Rows of equal length appended in order, keyed by step, bounded to `capacity` rows.

    When full, every other row is dropped and the stride doubles; afterwards only every `stride`-th offered row
    is stored. Storage grows by doubling up to `capacity`, so a short run never allocates the whole budget.
    """

    def __init__(self, row_len: int, capacity: int, dtype=np.float32):
        self.row_len, self.capacity, self.dtype = row_len, max(4, int(capacity)), dtype
        self._rows = np.empty((min(self.capacity, 64), row_len), dtype)
        self._keys = np.empty(self._rows.shape[0], np.int64)
        self.size = 0
        self.stride = 1
        self._offered = 0
        self.latest_key: int | None = None
        self.latest_row: np.ndarray | None = None

    def append(self, key: int, row: np.ndarray) -> None:
        self.latest_key, self.latest_row = key, row
        offered, self._offered = self._offered, self._offered + 1
        if offered % self.stride:
            return
        if self.size == self.capacity:
            keep = slice(0, self.size, 2)
            n = len(range(*keep.indices(self.size)))
            self._rows[:n] = self._rows[keep]
            self._keys[:n] = self._keys[keep]
            self.size, self.stride = n, self.stride * 2
            if offered % self.stride:
                return
        if self.size == self._rows.shape[0]:
            grow = min(self.capacity, 2 * self.size)
            self._rows = np.resize(self._rows, (grow, self.row_len))
            self._keys = np.resize(self._keys, grow)
        self._rows[self.size] = row
        self._keys[self.size] = key
        self.size += 1

    def keys(self, with_latest: bool = True) -> np.ndarray:
        keys = self._keys[: self.size]
        if with_latest and self._latest_missing():
            keys = np.append(keys, self.latest_key)
        return keys.copy()

    def rows(self, with_latest: bool = True) -> np.ndarray:
        rows = self._rows[: self.size]
        if with_latest and self._latest_missing():
            rows = np.concatenate([rows, self.latest_row[None].astype(self.dtype)])
        return rows.copy()

    def row(self, i: int) -> np.ndarray:
        """Row `i` of `rows()` (negative counts from the end), without copying the whole buffer."""
        n = self.size + (1 if self._latest_missing() else 0)
        i = i + n if i < 0 else i
        if not 0 <= i < n:
            raise IndexError(i)
        return (self._rows[i] if i < self.size else self.latest_row).copy()

    def __len__(self) -> int:
        return self.size + (1 if self._latest_missing() else 0)

    @property
    def nbytes(self) -> int:
        return self._rows.nbytes + self._keys.nbytes

    def _latest_missing(self) -> bool:
        return self.latest_key is not None and (self.size == 0 or self._keys[self.size - 1] != self.latest_key)


@dataclass
class Snapshot:
    """All parameters (and the gradient that produced them) at one recorded moment."""

    step: int
    epoch: int
    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]  # NaN-filled for the initial state: no gradient has been computed yet


def choose_traced(params: list[ParamInfo], seed: int = 0) -> list[np.ndarray]:
    """For each parameter, the flat indices of the weights traced every step."""
    total = sum(p.count for p in params)
    if total <= FULL_TRACE_LIMIT:
        return [np.arange(p.count) for p in params]
    rng = np.random.default_rng(seed)
    chosen = []
    for p in params:
        k = min(p.count, max(MIN_TRACED_PER_PARAM, round(SAMPLED_TRACE_TARGET * p.count / total)))
        chosen.append(np.sort(rng.choice(p.count, size=k, replace=False)) if k < p.count else np.arange(p.count))
    return chosen


STEP_COLUMNS = ("epoch", "loss", "accuracy", "lr")
EPOCH_COLUMNS = ("epoch", "step", "train_loss", "val_loss", "train_acc", "val_acc")


class History:
    """Everything recorded about one run; see the module docstring for the tiers and the locking rule."""

    def __init__(
        self,
        params: list[ParamInfo],
        steps_per_epoch: int,
        snapshot_budget: int = 256 << 20,
        trace_budget: int = 128 << 20,
        trace_seed: int = 0,
    ):
        self.params = params
        self.steps_per_epoch = steps_per_epoch
        self.lock = threading.Lock()
        self.version = 0
        self.names = [p.name for p in params]
        self.shapes = {p.name: p.shape for p in params}
        self.total_weights = sum(p.count for p in params)
        self.sampled = self.total_weights > FULL_TRACE_LIMIT
        self.traced = choose_traced(params, trace_seed)
        self.n_traced = sum(len(t) for t in self.traced)
        self._offsets = np.cumsum([0] + [p.count for p in params])
        self.steps = DecimatingBuffer(len(STEP_COLUMNS) + len(params), 1 << 20, np.float64)
        self.traces = DecimatingBuffer(self.n_traced, trace_budget // max(1, 4 * self.n_traced))
        self.snapshots = DecimatingBuffer(2 * self.total_weights, snapshot_budget // max(1, 8 * self.total_weights))
        self.epochs = DecimatingBuffer(len(EPOCH_COLUMNS), 1 << 20, np.float64)
        self._live: tuple[int, np.ndarray] | None = None
        self.status = "ready"
        self.message = ""

    # ---- writing (engine thread) ----
    def record_step(self, step: int, epoch: float, loss: float, acc: float, lr: float,
                    grad_norms: np.ndarray, traced_values: np.ndarray) -> None:
        row = np.concatenate([[epoch, loss, acc, lr], grad_norms])
        with self.lock:
            self.steps.append(step, row)
            self.traces.append(step, traced_values)
            self.version += 1

    def record_initial(self, flat_params: np.ndarray, traced_values: np.ndarray) -> None:
        with self.lock:
            self.traces.append(0, traced_values)
            self.snapshots.append(0, np.concatenate([flat_params, np.full_like(flat_params, np.nan)]))
            self.version += 1

    def record_epoch(self, epoch: int, step: int, metrics: tuple[float, float, float, float],
                     flat_params: np.ndarray, flat_grads: np.ndarray) -> None:
        with self.lock:
            self.snapshots.append(step, np.concatenate([flat_params, flat_grads]))
            self.epochs.append(epoch, np.array([epoch, step, *metrics], np.float64))
            self.version += 1

    def record_live(self, step: int, flat_params: np.ndarray) -> None:
        """The newest parameters between epoch snapshots, for live views of nets with long epochs."""
        with self.lock:
            self._live = (step, flat_params)
            self.version += 1

    def set_status(self, status: str, message: str = "") -> None:
        with self.lock:
            self.status, self.message = status, message
            self.version += 1

    # ---- reading (any thread) ----
    def trace_labels(self) -> list[str]:
        """A label per traced column, e.g. `0.weight[0, 3]`."""
        labels = []
        for p, idx in zip(self.params, self.traced):
            for flat in idx:
                pos = np.unravel_index(int(flat), p.shape)
                labels.append(f"{p.name}[{', '.join(str(int(i)) for i in pos)}]")
        return labels

    def trace_param_slices(self) -> dict[str, slice]:
        """Which columns of the trace matrix belong to each parameter."""
        out, start = {}, 0
        for p, idx in zip(self.params, self.traced):
            out[p.name] = slice(start, start + len(idx))
            start += len(idx)
        return out

    def trace_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values[n_rows, n_traced]) of the traced weights."""
        with self.lock:
            return self.traces.keys(), self.traces.rows()

    def step_data(self) -> dict[str, np.ndarray]:
        """Per-step series: step, epoch (fractional), loss, accuracy, lr, and grad_norm[n, n_params]."""
        with self.lock:
            keys, rows = self.steps.keys(False), self.steps.rows(False)
        out = {"step": keys}
        for i, col in enumerate(STEP_COLUMNS):
            out[col] = rows[:, i]
        out["grad_norm"] = rows[:, len(STEP_COLUMNS):]
        return out

    def epoch_data(self) -> dict[str, np.ndarray]:
        with self.lock:
            rows = self.epochs.rows(False)
        return {col: rows[:, i] for i, col in enumerate(EPOCH_COLUMNS)}

    def snapshot_count(self) -> int:
        with self.lock:
            return len(self.snapshots)

    def snapshot(self, i: int = -1) -> Snapshot:
        with self.lock:
            keys = self.snapshots.keys()
            row = self.snapshots.row(i)
            step = int(keys[i])
        n = self.total_weights
        params = self._split(row[:n])
        grads = self._split(row[n:])
        return Snapshot(step, self.epoch_of_step(step), params, grads)

    def latest_params(self) -> tuple[int, dict[str, np.ndarray]]:
        """(step, params) of the newest recorded state: the live copy if newer than the last snapshot."""
        with self.lock:
            live = self._live
            last_key = self.snapshots.keys()[-1]
            if live is None or live[0] <= last_key:
                live = (int(last_key), self.snapshots.row(-1)[: self.total_weights])
        return live[0], self._split(live[1])

    def snapshot_steps(self) -> np.ndarray:
        with self.lock:
            return self.snapshots.keys()

    def epoch_of_step(self, step: int) -> int:
        return -(-int(step) // self.steps_per_epoch)  # ceil: a snapshot is taken at the end of an epoch

    def all_snapshots(self) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """(steps, {name: [snapshots, *shape]}, {name: grads}) for saving."""
        with self.lock:
            keys, rows = self.snapshots.keys(), self.snapshots.rows()
        n = self.total_weights
        params = {p.name: rows[:, a:b].reshape(-1, *p.shape) for p, a, b in self._bounds()}
        grads = {p.name: rows[:, n + a:n + b].reshape(-1, *p.shape) for p, a, b in self._bounds()}
        return keys, params, grads

    @property
    def nbytes(self) -> int:
        return self.steps.nbytes + self.traces.nbytes + self.snapshots.nbytes + self.epochs.nbytes

    def _bounds(self):
        return [(p, int(self._offsets[i]), int(self._offsets[i + 1])) for i, p in enumerate(self.params)]

    def _split(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return {p.name: flat[a:b].reshape(p.shape) for p, a, b in self._bounds()}
