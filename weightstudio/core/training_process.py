"""The training process's side of `core.remote`: a real `Trainer` that carries out the parent's commands.

Imported only in the child (by `remote._child_entry`), so the GUI process can start a training process before it
has imported torch itself.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import traceback

import torch

import numpy as np

from .config import RunConfig
from .control import Control
from .data import Dataset
from .engine import Trainer, choose_threads
from .history import History, HistoryHandle
from .shm import ArrayBlock, BlockHandle
from .tasks import Event

EVENT_FLUSH_S = 0.02  # a run's events go up at most this often (or at once for anything but an epoch)


class _EventBatcher:
    """The `events` callback of the child's `Trainer.run`: sends events up the reply queue in batches.

    A tiny net finishes thousands of epochs a second, and each queue put wakes the queue's feeder thread, which
    takes the child's GIL from the training loop. So epoch_finished waits up to EVENT_FLUSH_S for company; any
    other event (paused, diverged, ...) goes at once with whatever waits, and `flush()` ends every run.
    """

    def __init__(self, replies):
        self.replies = replies
        self.pending: list[tuple[str, dict]] = []
        self.sent_at = 0.0

    def __call__(self, name: str, **info) -> None:
        self.pending.append((name, info))
        if name != Event.EPOCH_FINISHED or time.monotonic() - self.sent_at >= EVENT_FLUSH_S:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.replies.put(("events", self.pending))
            self.pending = []
            self.sent_at = time.monotonic()


class _Session:
    """The child's side of a RemoteTrainer: owns the real Trainer and carries out each command (one at a time)."""

    def __init__(self, replies, control: Control, history_lock, progress):
        self.replies, self.control = replies, control
        self.progress = np.frombuffer(progress, np.float64)  # the parent reads step, epoch, lr here
        self.history_factory = functools.partial(History, shared=True, lock=history_lock)
        self.trainer: Trainer | None = None

    def load(self, config: RunConfig, data: tuple[BlockHandle, dict], live_interval: float | None) -> dict:
        # Building is all that can fail; the previous trainer stays in place until it has succeeded.
        handle, meta = data
        block = ArrayBlock.attach(handle)
        dataset = Dataset(meta["name"], meta["task"], *(block[k] for k in ("x_train", "y_train", "x_val", "y_val")),
                          meta["class_names"])
        trainer = Trainer(config, dataset, live_interval, history_factory=self.history_factory,
                          progress=self.progress)
        torch.set_num_threads(choose_threads(trainer.history.total_weights))
        self.trainer = trainer
        return {"history": trainer.history.handle(),
                "steps_per_epoch": trainer.steps_per_epoch, "batch_size": trainer.batch_size,
                "n_outputs": trainer.n_outputs}

    def reset(self, settings: dict) -> HistoryHandle:
        self._apply(settings)
        self.trainer.reset()
        return self.trainer.history.handle()

    def set_lr(self, lr: float) -> None:
        self.trainer.set_lr(lr)

    def run(self, settings: dict) -> str:
        self._apply(settings)
        events = _EventBatcher(self.replies)
        try:
            return self.trainer.run(self.control, events)
        finally:
            events.flush()

    def state_dict(self) -> dict:
        return {k: v.numpy() for k, v in self.trainer.state_dict().items()}

    def _apply(self, settings: dict) -> None:
        for key, value in settings.items():
            setattr(self.trainer.config.train, key, value)


def _error_reply(e: BaseException) -> tuple:
    """("error", exception, traceback text). Builtin and WeightStudio exceptions travel as they are, so the parent
    re-raises the very ConfigError or SpecError; another library's is described, since its class may not cross."""
    if type(e).__module__ != "builtins" and not type(e).__module__.startswith("weightstudio."):
        e = RuntimeError(f"{type(e).__name__}: {e}")
    return "error", e, traceback.format_exc()


def _exit_with_parent() -> None:
    """A daemon child is ended by a parent that exits normally; this also ends it when the parent is killed."""
    parent = mp.parent_process()

    def watch() -> None:
        parent.join()
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _warm_up() -> None:
    """A first optimizer step imports the rest of torch (torch._dynamo: seconds on a small machine). Take it now,
    while the GUI is still building its window, not when the user's first run loads."""
    layer = torch.nn.Linear(1, 1)
    layer(torch.zeros(1, 1)).sum().backward()
    torch.optim.SGD(layer.parameters(), lr=0.1).step()


def child_main(commands, replies, control: Control, history_lock, progress) -> None:
    """The training process: carry out commands until told to close or the parent goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is for the parent, which then closes us
    _exit_with_parent()
    _warm_up()
    session = _Session(replies, control, history_lock, progress)
    while True:
        try:
            command, args = commands.recv()
        except (EOFError, OSError):
            break
        if command == "close":
            replies.put(("ok", None))
            break
        try:
            replies.put(("ok", getattr(session, command)(*args)))
        except Exception as e:  # the training process's boundary: any error of a command goes up to the parent
            replies.put(_error_reply(e))
    replies.close()
    replies.join_thread()  # the last reply must leave before the process does
    # Skip the interpreter's teardown (torch's takes over a second): the parent waits for this exit when the window
    # closes. Nothing is left to clean: the parent owns the shared memory.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
