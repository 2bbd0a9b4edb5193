"""Training in a child process: `RemoteTrainer` offers the part of `Trainer` the GUI uses, while the loop runs in a
persistent spawn-context child process that owns a real `Trainer`.

Why: PySide6 holds the GIL while Qt paints (docs/architecture.md), so a training thread in the GUI process stalls
while views draw. A process of its own has a GIL of its own.

How the two sides talk:
  * commands (load, reset, set_lr, run, state_dict, close) go down a pipe, one at a time;
  * results, errors and a run's events come back up one multiprocessing Queue, in order;
  * the run's record is a shared `History`: the child writes, the parent's views read as always;
  * the dataset crosses once, as a shared `ArrayBlock` that both sides' Datasets view (never pickled);
  * steering during a run goes through a `Control` made for processes, and step/epoch/lr through a small shared
    array, so neither needs the busy child to answer.
multiprocessing hands locks and events to a child only while spawning it, so the control, the history lock and
the progress array are made once per child and serve every run and every history of it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
import weakref
from typing import TYPE_CHECKING

from .config import RunConfig, check_lr
from .control import Control, Events, no_events
from .history import History, HistoryHandle
from .shm import ArrayBlock, BlockHandle
from .tasks import get_loss

if TYPE_CHECKING:
    import torch

    from .data import Dataset

BACKENDS = ("process", "thread")  # where the GUI trains: a child process (here) or its worker thread
LIVE_SETTINGS = ("epochs", "lr")  # what the GUI changes on a loaded trainer; any other setting builds a new one
DATA_ARRAYS = ("x_train", "y_train", "x_val", "y_val")
REPLY_POLL_S = 0.1  # how often a waiting parent checks that the child is still alive
CLOSE_TIMEOUT_S = 5.0


# ---------------------------------------------------------------------------------------------- the parent's side
def _child_entry(*args) -> None:
    """The training process's target: its side lives in a module that imports torch, which this one must not."""
    from .training_process import child_main

    child_main(*args)


class TrainingProcessDied(RuntimeError):
    """The training process ended without being asked to (killed, out of memory, a crash in native code)."""


class _RemoteTraceback(Exception):
    """The child's traceback, chained to the exception re-raised in the parent (as concurrent.futures does)."""

    def __str__(self) -> str:
        return f"\n\nin the training process:\n{self.args[0]}"


def _reclaim_lock(lock) -> None:
    """A child killed while writing leaves the history lock taken, and a reading view would wait forever. The
    writer is gone, so the lock is free for the readers once they are done (a second at most)."""
    if lock.acquire(timeout=1.0):
        lock.release()
    else:
        lock.release()


class _Child:
    """The training process, its channels, its shared primitives and the parent's current history.

    Holds everything `close()` needs and nothing that refers back to the RemoteTrainer, so a finalizer can end the
    child when the RemoteTrainer is collected or the interpreter exits.
    """

    def __init__(self, ctx):
        self.control = Control(ctx)
        self.history_lock = ctx.Lock()
        self.progress = ctx.RawArray("d", 3)  # step, epoch, lr of the child's trainer
        self.history: History | None = None
        self.data: tuple[object, ArrayBlock] | None = None  # the dataset last shared, and its block
        child_end, self._commands = ctx.Pipe(duplex=False)
        self._replies = ctx.Queue()
        self._busy = threading.Lock()  # one command at a time: its replies belong to whoever sent it
        self._answered = False  # whether the child has replied yet, i.e. finished starting
        self._closed = False
        self.process = ctx.Process(target=_child_entry, name="weightstudio-training", daemon=True,
                                   args=(child_end, self._replies, self.control, self.history_lock, self.progress))
        self.process.start()  # returns at once; the child imports torch while the parent goes on
        child_end.close()

    def call(self, command: str, *args, events: Events = no_events):
        """Have the child carry out `command(*args)` and return its result, re-raising its exception. Events that
        come up meanwhile (during a run) go to `events`, on the calling thread."""
        with self._busy:
            self._check_alive()
            self._commands.send((command, args))
            failure = None
            while True:
                try:
                    kind, *payload = self._replies.get(timeout=REPLY_POLL_S)
                except queue.Empty:
                    self._check_alive()
                    continue
                self._answered = True
                if kind == "events":
                    for name, info in payload[0]:
                        try:
                            events(name, **info)
                        except Exception as e:  # the worker's event handler failed: as in-process the run ends, but
                            # the child's reply is read first
                            failure = failure or e
                            self.control.stop()
                elif failure is not None:
                    raise failure
                elif kind == "ok":
                    return payload[0]
                else:
                    exc, tb = payload
                    raise exc from _RemoteTraceback(tb)

    def adopt(self, handle: HistoryHandle) -> History:
        """Attach to the history the child just made; the previous one's segment is removed (views may still hold
        that object: its memory stays mapped until they let go)."""
        new = History.attach(handle, self.history_lock)
        old, self.history = self.history, new
        if old is not None:
            old.release()
        return new

    def _check_alive(self) -> None:
        if self._closed:
            raise TrainingProcessDied("the training process was closed")
        if not self.process.is_alive():
            _reclaim_lock(self.history_lock)
            raise TrainingProcessDied(f"the training process ended unexpectedly (exit code {self.process.exitcode})")

    def close(self) -> None:
        """End the child (a run in progress stops at its next step) and remove the current history's segment."""
        if self._closed:
            return
        self.control.stop()
        if not self._answered:  # still importing torch: nothing to wind down, and it would take seconds to listen
            self.process.terminate()
        elif self.process.is_alive() and self._busy.acquire(timeout=CLOSE_TIMEOUT_S):
            try:
                self._commands.send(("close", ()))
                deadline = time.monotonic() + CLOSE_TIMEOUT_S
                while time.monotonic() < deadline and self._replies.get(timeout=CLOSE_TIMEOUT_S)[0] != "ok":
                    pass
            except (OSError, EOFError, queue.Empty):
                pass
            finally:
                self._busy.release()
        self.process.join(CLOSE_TIMEOUT_S)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
        self._closed = True
        if self.history is not None:
            self.history.release()
        if self.data is not None:
            self.data[1].release()
        self._commands.close()
        self._replies.close()


def training_backend() -> str:
    """The GUI's training backend: WEIGHTSTUDIO_TRAINING, "process" (the default) or "thread"."""
    backend = os.environ.get("WEIGHTSTUDIO_TRAINING", "process")
    if backend not in BACKENDS:
        raise ValueError(f"WEIGHTSTUDIO_TRAINING must be one of {', '.join(BACKENDS)}, got {backend!r}")
    return backend


_spare: _Child | None = None


def prestart() -> None:
    """Start the training process for the next RemoteTrainer now. The app calls this before it imports torch
    itself, so both processes import it at once, on two cores, instead of one after the other."""
    global _spare
    if _spare is None:
        _spare = _Child(mp.get_context("spawn"))


def _take_spare() -> _Child:
    global _spare
    child, _spare = _spare, None
    if child is not None and child.process.is_alive():
        return child
    if child is not None:
        child.close()
    return _Child(mp.get_context("spawn"))


class RemoteTrainer:
    """What the GUI uses of a `Trainer` — `config`, `dataset`, `history`, `epoch`, `step`, `lr`,
    `steps_per_epoch`, `params_info`, `classification`, `set_lr`, `reset`, `run`, `new_control`, `state_dict` —
    with the training done by a real Trainer in a persistent child process.

    The GUI's TrainingController makes one per app (the child starts importing torch at once) and calls
    `load(config, dataset)` for every new run (the child is reused), `run(control, events)` from its worker thread,
    steering through `new_control()`. Between runs `config.train.epochs` and `.lr` may be changed in place, as on a
    Trainer; they reach the child with the next run or reset. `close()` — also called when this object is
    collected and at interpreter exit — ends the child and removes the shared memory.
    """

    def __init__(self, live_interval: float | None = None):
        self.live_interval = live_interval
        self._child = _take_spare()
        self._close = weakref.finalize(self, self._child.close)
        self._running = False
        self.config: RunConfig | None = None
        self.dataset: Dataset | None = None
        self.steps_per_epoch = self.batch_size = self.n_outputs = 0

    # ---- a run's set-up ----
    def load(self, config: RunConfig, dataset: Dataset | None = None) -> None:
        """A new Trainer for `config` on `dataset` in the child; raises the Trainer's errors, and then the previous
        run stays loaded."""
        if dataset is None:
            from .data import load_dataset

            dataset = load_dataset(config.data, config.train.seed)
        info = self._child.call("load", config, self._share(dataset), self.live_interval)
        self.config, self.dataset = config, dataset
        self._child.adopt(info["history"])
        self.steps_per_epoch, self.batch_size = info["steps_per_epoch"], info["batch_size"]
        self.n_outputs = info["n_outputs"]

    def _share(self, dataset: Dataset) -> tuple[BlockHandle, dict]:
        """The dataset as the child attaches to it: its arrays move into a shared block once (the Dataset here then
        views the block, so they are held once), and the same dataset loaded again is not copied again."""
        child = self._child
        if child.data is None or child.data[0] is not dataset:
            block = ArrayBlock.shared([(k, getattr(dataset, k).dtype.str, getattr(dataset, k).shape)
                                       for k in DATA_ARRAYS])
            for key in DATA_ARRAYS:
                block[key][...] = getattr(dataset, key)
                setattr(dataset, key, block[key])
            if child.data is not None:
                child.data[1].release()
            child.data = (dataset, block)
        meta = {"name": dataset.name, "task": dataset.task, "class_names": list(dataset.class_names)}
        return child.data[1].handle(), meta

    @property
    def history(self) -> History | None:
        return self._child.history

    @property
    def params_info(self) -> list:
        """The parameter table, as the history's handle brought it (sent once)."""
        return [] if self._child.history is None else self._child.history.params

    @property
    def classification(self) -> bool:
        return get_loss(self.config.train.loss).classification

    @property
    def step(self) -> int:
        return int(self._child.progress[0])

    @property
    def epoch(self) -> int:
        return int(self._child.progress[1])

    @property
    def lr(self) -> float:
        return float(self._child.progress[2])

    # ---- commands ----
    def new_control(self) -> Control:
        """The control for the next run (the same object every time, re-armed)."""
        self._child.control.rearm()
        return self._child.control

    def run(self, control: Control | None = None, events: Events = no_events) -> str:
        """Train in the child until the epoch budget, a stop or divergence; relays the run's events to `events` on
        this thread and returns the final status, as `Trainer.run` does. Blocks: call it from a worker thread."""
        control = self.new_control() if control is None else control
        if control is not self._child.control:
            raise TypeError("RemoteTrainer.run is steered through the control from its new_control()")
        self._running = True
        try:
            return self._child.call("run", self._live_settings(), events=events)
        finally:
            self._running = False

    def set_lr(self, lr: float) -> None:
        check_lr(lr)
        if self._running:  # the child is busy training: it takes the new rate at its next step
            self._child.control.set_lr(lr)
        else:
            self._child.call("set_lr", lr)

    def reset(self) -> None:
        """Back to the same initial weights with a new, empty (shared) history."""
        self._child.adopt(self._child.call("reset", self._live_settings()))

    def state_dict(self) -> dict[str, torch.Tensor]:
        import torch

        return {k: torch.from_numpy(v) for k, v in self._child.call("state_dict").items()}

    def close(self) -> None:
        """End the child process and remove the shared memory; safe to call twice."""
        self._close()

    @property
    def alive(self) -> bool:
        """Whether the training process is there to take commands (False once it died or was closed)."""
        return not self._child._closed and self._child.process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._child.process.pid

    @property
    def exitcode(self) -> int | None:
        """The training process's exit code once it ended (negative: the signal that ended it), else None."""
        return self._child.process.exitcode

    def _live_settings(self) -> dict:
        return {key: getattr(self.config.train, key) for key in LIVE_SETTINGS}
