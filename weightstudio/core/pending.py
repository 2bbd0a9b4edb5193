"""Rows a Trainer has recorded since it last handed them to its History, in arrays allocated once.

A step's numbers go into the next row here (a few numpy copies, no lock, no allocation); every `FLUSH_S` seconds,
when the rows are full, at the end of an epoch someone watches, before a pause, a stop or a divergence, they go to
the History in one block (`History.record_steps`, `record_epochs`: one lock, slice copies). Readers take the
History's lock, so they see whole blocks, never a half-written row; the History's contents are those the rows
would have given one by one (`DecimatingBuffer.extend`).

A full-batch run ends an epoch every step: its epoch rows and snapshots wait here too, instead of a locked
snapshot append per step.
"""

from __future__ import annotations

import numpy as np

from .history import EPOCH_COLUMNS, STEP_COLUMNS, History

FLUSH_S = 1 / 30  # the fit and loss views' refresh rate: rows never wait longer than one of their frames
PENDING_BYTES = 4 << 20  # at most this many bytes of rows wait, per kind
MAX_PENDING_ROWS = 1024


def _rows_for(row_bytes: int) -> int:
    return max(1, min(MAX_PENDING_ROWS, PENDING_BYTES // max(1, row_bytes)))


class PendingRows:
    """Steps rows (History's steps tier: epoch position, loss, accuracy, lr, gradient norms, update ratios), traced
    weights, and epoch rows with their snapshots, waiting for `hand_over`. The Trainer fills them (engine.py)."""

    def __init__(self, history: History):
        p = len(history.params)
        self.n_params = p
        width = len(STEP_COLUMNS) + 2 * p
        self.capacity = _rows_for(8 * width + 4 * history.n_traced + 8)
        self.keys = np.zeros(self.capacity, np.int64)
        self.steps = np.zeros((self.capacity, width), np.float64)
        self.traces = np.zeros((self.capacity, history.n_traced), np.float32)
        self.n = 0
        w = history.total_weights
        self.epoch_capacity = _rows_for(8 * w + 8 * len(EPOCH_COLUMNS) + 16)
        self.epoch_keys = np.zeros(self.epoch_capacity, np.int64)
        self.epochs = np.zeros((self.epoch_capacity, len(EPOCH_COLUMNS)), np.float64)
        self.snapshot_keys = np.zeros(self.epoch_capacity, np.int64)
        self.snapshots = np.zeros((self.epoch_capacity, 2 * w), np.float32)
        self.n_epochs = 0

    @property
    def full(self) -> bool:
        return self.n == self.capacity or self.n_epochs == self.epoch_capacity

    def add_epoch(self, epoch: int, step: int, metrics: tuple[float, float, float, float], flat_params: np.ndarray,
                  flat_grads: np.ndarray) -> None:
        """An epoch's row and snapshot, as `History.record_epoch` takes them (copied: the arrays may be reused)."""
        i = self.n_epochs
        w = len(flat_params)
        self.epoch_keys[i] = epoch
        self.epochs[i] = (epoch, step, *metrics)
        self.snapshot_keys[i] = step
        self.snapshots[i, :w] = flat_params
        self.snapshots[i, w:] = flat_grads
        self.n_epochs = i + 1

    def hand_over(self, history: History) -> None:
        """Every waiting row into `history`, steps before epochs (as they were taken); then empty."""
        n, m = self.n, self.n_epochs
        if n:
            history.record_steps(self.keys[:n], self.steps[:n], self.traces[:n])
            self.n = 0
        if m:
            history.record_epochs(self.epoch_keys[:m], self.epochs[:m], self.snapshot_keys[:m], self.snapshots[:m])
            self.n_epochs = 0
