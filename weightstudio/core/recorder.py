"""`weightstudio.record(model, folder, optimizer)`: the studio's history of any PyTorch training loop, written to a
run folder while it trains (the folder's format: run_log.py; why that format: docs/recording.md).

    rec = weightstudio.record(model, "runs/exp1", optimizer=opt)
    for x, y in loader:
        loss = loss_fn(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
        rec.step(loss=loss)                 # tensor or float; accuracy=… and any other metric by name
    rec.epoch(val_loss=v)                   # optional: an epoch's end, its metrics, a full snapshot
    rec.close()                             # or `with weightstudio.record(...) as rec:`

What is recorded are the engine's tiers within its budgets (history.py): every step the loss, the metrics, the
learning rate, each parameter's gradient norm and weight norm, and the traced weights (all of them under
`FULL_TRACE_LIMIT` weights, else a spread sample); full snapshots of every parameter and its gradient at step 0,
every `snapshot_every` steps (stride-doubling as the budget fills), at each epoch() and at close().

Cost: the model is read, never changed, and no gradient is kept past the step that read it. On the CPU a small
net's step is one `torch._foreach_copy_` of every weight and gradient into the next row of a block, and the
block itself goes to the writer thread, which reads the norms, traces and snapshots off it; a large net's step
is one `torch._foreach_norm` and a `np.take` per parameter (`_NumpyTap`). On a GPU every number stays on the
device in a ring of rows, and the rows go to the host in one non-blocking copy per flush: no host sync per step.
The writer thread does the file work; it flushes at least every `flush_interval` seconds. With torch.distributed
only rank 0 records; other ranks get a `NullRecorder` that does nothing.
"""

from __future__ import annotations

import atexit
import math
import os
import platform
import sys
import threading
import time
import warnings
import weakref
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .history import FULL_TRACE_LIMIT, choose_traced
from .messages import _
from .run_log import (FORMAT, FORMAT_VERSION, HISTORY_FILE, LOG_DIR, METRICS_FILE, RUN_FILE, STATUS_FILE, Chunk,
                      EpochMark, LogWriter, RecordedParam, RecordError, Thinning, finalize, tier_capacities,
                      write_json_atomic)
from .writer_lock import acquire_writer_lock

RING_BYTES = 4 << 20  # rows kept between flushes, per tier, in bytes (on the model's device for a GPU)
BLOCK_BYTES = 8 << 20  # a small net's rows between hand-offs (_NumpyTap's _Block: weights and gradients)
SNAPSHOT_STEP_BYTES = 8 << 10  # "auto" snapshots: about this many bytes per step (every step up to 1,024 weights)
FLAT_ROW_LIMIT = 50_000  # weights up to which a step copies every weight and gradient into one row (_NumpyTap)
WORK_VIEWS = 4096  # tensor views kept for a block's copies (one per parameter and gradient per row)
STEP_ALIASES = {"accuracy": 2, "acc": 2}  # metrics with a column of the History's own


# ---- the model -------------------------------------------------------------------------------------------------


def inner_module(model: nn.Module) -> tuple[nn.Module, list[str]]:
    """The module a wrapper trains (DistributedDataParallel, DataParallel, torch.compile), so its parameters are
    named as the user's module names them; and the wrappers' class names."""
    wrappers = []
    while True:
        if isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
            wrappers.append(type(model).__name__)
            model = model.module
            continue
        orig = getattr(model, "_orig_mod", None)  # torch.compile's OptimizedModule
        if isinstance(orig, nn.Module):
            wrappers.append(type(model).__name__)
            model = orig
            continue
        return model, wrappers


def module_param_table(model: nn.Module) -> list[RecordedParam]:
    """Every parameter of `model` (as named_parameters() names them, shared ones once) with its owning module's
    path and class; `layer` numbers the owning modules in order."""
    owners: dict[int, tuple[str, nn.Module]] = {}
    for mname, module in model.named_modules():
        for p in module.parameters(recurse=False):
            owners.setdefault(id(p), (mname, module))
    layers: dict[str, int] = {}
    rows = []
    for name, p in model.named_parameters():
        mname, module = owners.get(id(p), (name.rpartition(".")[0], None))
        layer = layers.setdefault(mname, len(layers))
        rows.append(RecordedParam(name, tuple(int(s) for s in p.shape), p.numel(), layer,
                                  type(module).__name__ if module is not None else "", (), mname,
                                  bool(p.requires_grad)))
    return rows


def _jsonable(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else repr(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, torch.Tensor) and v.numel() == 1:
        return _jsonable(v.detach().cpu().item())  # once, when recording starts
    return repr(v)


def optimizer_info(optimizer, names: dict[int, str]) -> dict | None:
    """The optimizer's class and every param group's hyper-parameters, with the names of its parameters."""
    if optimizer is None:
        return None
    groups = []
    for g in optimizer.param_groups:
        d = {k: _jsonable(v) for k, v in g.items() if k != "params"}
        d["params"] = [names.get(id(p), "?") for p in g["params"]]
        groups.append(d)
    return {"class": type(optimizer).__name__, "module": type(optimizer).__module__,
            "defaults": {k: _jsonable(v) for k, v in getattr(optimizer, "defaults", {}).items()},
            "param_groups": groups}


def _rank() -> int:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank()
    try:
        return int(os.environ.get("RANK", "0"))  # torchrun sets it before the process group exists
    except ValueError:
        return 0


def _distributed_info() -> dict | None:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return {"world_size": dist.get_world_size(), "rank": dist.get_rank(), "backend": str(dist.get_backend())}
    return None


# ---- the public API --------------------------------------------------------------------------------------------


def record(model: nn.Module, folder, optimizer=None, *, steps_per_epoch: int | None = None, name: str = "",
           trace_seed: int = 0, snapshot_every: int | str = "auto", flush_interval: float = 0.5,
           overwrite: bool = False, notes: dict | None = None):
    """Record `model`'s training into `folder` (see the module docstring). Returns a `Recorder`, or on a
    torch.distributed rank other than 0 a `NullRecorder` that does nothing.

    steps_per_epoch: for the epoch axis; learnt from the first epoch() call when not given.
    trace_seed: which weights a large net traces (the same seed traces the same weights).
    snapshot_every: steps between full snapshots; "auto" picks a power of two that keeps them to about
      `SNAPSHOT_STEP_BYTES` per step (every step for small nets). epoch() and close() always take one.
    flush_interval: seconds between flushes at most (≤ 1: a killed writer loses at most that much).
    overwrite: replace a previous recording in `folder` (otherwise FileExistsError).
    notes: any JSON-able dict stored in run.json (hyper-parameters of your own, the data's name, …).
    """
    if _rank() != 0:
        return NullRecorder()
    return Recorder(model, folder, optimizer, steps_per_epoch=steps_per_epoch, name=name, trace_seed=trace_seed,
                    snapshot_every=snapshot_every, flush_interval=flush_interval, overwrite=overwrite, notes=notes)


class NullRecorder:
    """What ranks other than 0 get: the Recorder's API, doing nothing (it never touches a tensor)."""

    folder = None
    active = False
    steps = 0

    def step(self, loss=None, **metrics) -> None:
        pass

    def epoch(self, **metrics) -> None:
        pass

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


class Recorder:
    """Records one model's training into one folder; see `record`."""

    active = True

    def __init__(self, model, folder, optimizer=None, *, steps_per_epoch=None, name="", trace_seed=0,
                 snapshot_every="auto", flush_interval=0.5, overwrite=False, notes=None, tap: str = "auto"):
        """See `record`. `tap` ("auto", "numpy", "torch") chooses how numbers are read; tests force "torch" to run
        the GPU code path on the CPU."""
        if not isinstance(model, nn.Module):
            raise TypeError(_("weightstudio.record: expected a torch.nn.Module, got {type}", type=type(model).__name__))
        if not 0 < float(flush_interval) <= 1:
            raise ValueError(_("weightstudio.record: flush_interval must be in (0, 1] seconds"))
        self.folder = Path(folder)
        self.model, wrappers = inner_module(model)
        self.optimizer = optimizer
        named = [(n, p) for n, p in self.model.named_parameters()]
        if not named:
            raise ValueError(_("weightstudio.record: the model has no parameters to record"))
        self._params = [p for _, p in named]
        self.params = module_param_table(self.model)
        devices = {p.device for p in self._params}
        if len(devices) != 1:
            raise ValueError(_("weightstudio.record: parameters on several devices ({devices}) are not supported",
                               devices=", ".join(map(str, devices))))
        self.device = devices.pop()
        self.total_weights = sum(p.count for p in self.params)
        self.traced = choose_traced(self.params, trace_seed)
        self.sampled = self.total_weights > FULL_TRACE_LIMIT
        n_traced = sum(len(t) for t in self.traced)
        caps = tier_capacities(len(self.params), self.total_weights, n_traced)
        self.snapshot_every = self._snapshot_every(snapshot_every)
        self.steps_per_epoch = steps_per_epoch
        self.steps = 0  # opt.step()s recorded
        self.epochs = 0
        self._epoch_start = 0
        self._trace_thin, self._snap_thin = Thinning(caps["traces"]), Thinning(caps["snapshots"])
        self._lock = threading.Lock()
        self._flush_interval = float(flush_interval)
        self._last_handoff = time.monotonic()
        self._closed = False
        self._warned_wait = False
        numpy_ok = self.device.type == "cpu" and all(p.dtype in (torch.float32, torch.float64) for p in self._params)
        if tap == "numpy" and not numpy_ok:
            raise ValueError(_("weightstudio.record: the numpy tap needs float32/float64 parameters on the CPU"))
        tap_cls = _NumpyTap if (numpy_ok and tap != "torch") else _TorchTap
        self._tap = tap_cls(self._params, self.params, self.traced, self.sampled)
        self._lr_group = optimizer.param_groups[0] if optimizer is not None and optimizer.param_groups else None
        names = {id(p): n for n, p in named}
        self.manifest = self._manifest(name, wrappers, optimizer_info(optimizer, names), caps, trace_seed, notes)
        # Everything above only checked the arguments: the folder is touched from here on, by its one writer.
        self._writer_lock = acquire_writer_lock(self.folder, "weightstudio.record")
        if self._writer_lock.took_over:
            # stacklevel: the user's line, through weightstudio.record() and recorder.record()
            warnings.warn(_("weightstudio.record: {message}", message=self._writer_lock.took_over), RuntimeWarning,
                          stacklevel=4)
        with ExitStack() as unlocking:  # released on every way out but success
            unlocking.callback(self._writer_lock.release)
            self._prepare_folder(overwrite)
            write_json_atomic(self.folder / RUN_FILE, self.manifest)
            self._writer = LogWriter(self.folder, steps_capacity=caps["steps"], flush_interval=self._flush_interval,
                                     tick=self._tick)
            # Step 0: the initial state, on disk before record() returns, so any reader finds a whole run.
            self._trace_keys, self._snap_keys = [], []
            self._last_trace = self._last_snap = -1
            self._trace_thin.offer()
            self._snap_thin.offer()
            self._trace(0)
            self._snapshot(0)
            self._writer.write_now(self._take())
            self._writer.start()
            unlocking.pop_all()
        _open_recorders.add(self)

    # ---- set-up ----
    def _prepare_folder(self, overwrite: bool) -> None:
        f = self.folder
        if (f / RUN_FILE).exists():
            if not overwrite:
                raise FileExistsError(_("weightstudio.record: {folder} already holds a run (pass overwrite=True or use "
                                        "another folder)", folder=f))
            for name in (HISTORY_FILE, METRICS_FILE, STATUS_FILE, RUN_FILE):
                (f / name).unlink(missing_ok=True)
            if (f / LOG_DIR).is_dir():
                for chunk in (f / LOG_DIR).iterdir():
                    if chunk.suffix in (".npz", ".tmp"):
                        chunk.unlink()
        f.mkdir(parents=True, exist_ok=True)

    def _snapshot_every(self, every) -> int:
        if every == "auto":
            need = 8 * self.total_weights / SNAPSHOT_STEP_BYTES
            return 1 if need <= 1 else 1 << math.ceil(math.log2(need))
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(_("weightstudio.record: snapshot_every must be a positive integer or 'auto', got {every!r}",
                               every=every))
        return every

    def _manifest(self, name, wrappers, optimizer, caps, trace_seed, notes) -> dict:
        import weightstudio

        m = self.model
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION, "name": name or self.folder.name,
            "recorded_by": {"api": "weightstudio.record", "weightstudio": weightstudio.__version__,
                            "torch": torch.__version__, "python": platform.python_version(),
                            "platform": platform.platform(), "host": platform.node(), "pid": os.getpid(),
                            "argv": [str(a) for a in sys.argv],
                            "started": datetime.now(timezone.utc).isoformat(timespec="seconds")},
            "model": {"class": type(m).__qualname__, "module": type(m).__module__, "wrapped_in": wrappers,
                      "device": str(self.device), "dtypes": sorted({str(p.dtype) for p in self._params}),
                      "weights": self.total_weights,
                      "trainable_weights": sum(p.count for p in self.params if p.trainable),
                      "parameters": [p.to_dict() for p in self.params]},
            "optimizer": optimizer,
            "distributed": _distributed_info(),
            "history": {"trace_seed": trace_seed, "steps_per_epoch": self.steps_per_epoch,
                        "sampled": self.sampled, "traced_weights": sum(len(t) for t in self.traced),
                        "snapshot_every": self.snapshot_every, "capacities": caps},
            "notes": notes or {},
            "status": "recording",
        }

    # ---- recording (the training thread) ----
    def step(self, loss=None, **metrics) -> None:
        """Record the step just taken (call it after optimizer.step()). `loss` and each metric: a float or a 0-d
        tensor (left on its device). `accuracy` (or `acc`) fills the accuracy column; other names get their own."""
        if self._closed:
            raise RecordError(_("weightstudio.record: step() after close()"))
        step = self.steps = self.steps + 1
        spe = self.steps_per_epoch
        epoch = self.epochs + (step - self._epoch_start) / spe if spe else float(self.epochs)
        lr = self._lr_group["lr"] if self._lr_group is not None else math.nan
        tap = self._tap
        with self._lock:
            if metrics and not tap.has_columns(metrics):
                self._handoff_locked()
                tap.add_columns(metrics)
            trace = self._trace_thin.offer()
            snap = step % self.snapshot_every == 0 and self._snap_thin.offer()
            full = tap.step_row(step, epoch, lr, loss, metrics, trace, snap)
            if trace:
                self._trace_keys.append(step)
                self._last_trace = step
            if snap:
                self._snap_keys.append(step)
                self._last_snap = step
            if full or time.monotonic() - self._last_handoff >= self._flush_interval:
                self._handoff_locked()

    def epoch(self, **metrics) -> None:
        """Mark the end of an epoch: its metrics (val_loss, val_acc; train_loss and train_acc default to the means
        over its steps; any other name gets a metrics.csv column), a full snapshot, and a flush."""
        if self._closed:
            raise RecordError(_("weightstudio.record: epoch() after close()"))
        self.epochs += 1
        if self.steps_per_epoch is None and self.epochs == 1 and self.steps > 0:
            self.steps_per_epoch = self.steps
        self._epoch_start = self.steps
        with self._lock:
            if self._last_snap < self.steps and self._snap_thin.offer():
                self._snapshot(self.steps)
            self._handoff_locked(EpochMark(self.epochs, self.steps, dict(metrics)))

    def flush(self, timeout: float | None = None) -> bool:
        """Hand over every step recorded so far and wait until it is on disk, as before a checkpoint or before
        another process reads the folder (rows reach the disk within `flush_interval` seconds anyway). False if
        `timeout` seconds passed first; RecordError if writing failed."""
        if self._closed:
            return True
        with self._lock:
            self._handoff_locked()
        return self._writer.wait_written(timeout)

    def close(self, status: str = "finished", message: str = "") -> None:
        """Flush, write history.npz and metrics.csv from the log, and mark the run `status`. Idempotent."""
        if self._closed:
            return
        self._closed = True
        _open_recorders.discard(self)
        try:
            self._finish(status, message)
        finally:
            self._writer_lock.release()

    def _finish(self, status: str, message: str) -> None:
        try:
            with self._lock:  # the last state is kept whatever the strides, as History keeps its latest row
                if self._last_trace < self.steps:
                    self._trace(self.steps)
                if self._last_snap < self.steps:
                    self._snapshot(self.steps)
                self._handoff_locked()
        finally:
            self._writer.tick = None
            self._writer.close(status, message)
        lh = finalize(self.folder, self.manifest)
        m = self.manifest
        m["status"] = status
        m["history"]["steps_per_epoch"] = self.steps_per_epoch
        m["finished"] = {"steps": self.steps, "epochs": self.epochs, "status": status, "message": message,
                         "chunks": self._writer.seq, "writer_waited_s": round(self._writer.waited_s, 3),
                         "snapshots": lh.history.snapshot_count(),
                         "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        write_json_atomic(self.folder / RUN_FILE, m)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.close("stopped", f"{exc_type.__name__}: {exc}")

    @property
    def waited_s(self) -> float:
        """Seconds step() spent waiting for the writer (a disk slower than training); nothing is ever dropped."""
        return self._writer.waited_s

    # ---- rows and hand-offs (under the lock) ----
    def _trace(self, step: int) -> None:
        """The traced weights now, outside step() (the initial state, close())."""
        self._tap.trace_row()
        self._trace_keys.append(step)
        self._last_trace = step

    def _snapshot(self, step: int) -> None:
        self._tap.snapshot_row()
        self._snap_keys.append(step)
        self._last_snap = step

    def _take(self, mark: EpochMark | None = None) -> Chunk:
        chunk = self._tap.take(self._trace_keys, self._snap_keys)
        self._trace_keys, self._snap_keys = [], []
        chunk.epoch = mark
        self._last_handoff = time.monotonic()
        return chunk

    def _handoff_locked(self, mark: EpochMark | None = None) -> None:
        if mark is None and not self._tap.pending():
            self._last_handoff = time.monotonic()
            return
        waited = self._writer.submit(self._take(mark))
        if waited > 0.05 and not self._warned_wait:
            self._warned_wait = True
            warnings.warn(_("weightstudio.record: the writer of {folder} fell behind; step() waited {waited:.2f} s for "
                            "it (nothing is dropped; Recorder.waited_s counts the total)",
                            folder=self.folder, waited=waited), RuntimeWarning, stacklevel=3)

    def _tick(self) -> Chunk | None:
        """The writer's timer: rows the training thread has held for a flush interval (a stalled loop)."""
        if self._tap.device_async or not self._lock.acquire(blocking=False):
            return None  # a GPU's rows go through the training thread's stream; a held lock: a step is on
        try:
            if time.monotonic() - self._last_handoff < self._flush_interval or not self._tap.pending():
                return None
            return self._take()
        finally:
            self._lock.release()


_open_recorders: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _close_open_recorders() -> None:
    """A script that ends without close() still gets its history.npz (the run is marked stopped)."""
    for rec in list(_open_recorders):
        try:
            rec.close("stopped", _("the process ended without Recorder.close()"))
        except Exception:  # noqa: BLE001 - the process's exit is a boundary: any error finishing the folder (a full
            # disk, a damaged log) can only be told on stderr
            print(_("weightstudio.record: could not finish {folder}", folder=rec.folder), file=sys.stderr)


# ---- reading the numbers out of the model: one class per kind of device -----------------------------------------


def _ring_rows(row_bytes: int, lo: int, hi: int, budget: int = RING_BYTES) -> int:
    return int(max(lo, min(hi, budget // max(1, row_bytes))))


_set_grad_enabled = torch._C._set_grad_enabled  # no_grad without its Python context manager's cost per step
# Dot products of rows: numpy 2's vecdot (BLAS-fast, pairwise-exact), else einsum's (numpy 1.x).
_row_dot = getattr(np, "vecdot", None) or (lambda a, b: np.einsum("ij,ij->i", a, b))


def _flat_views(wflat: torch.Tensor, gflat: torch.Tensor, params, offsets) -> tuple[list, list, list]:
    """Views of `wflat` and `gflat` [W] shaped as each parameter: where all go, where its weights go, where its
    gradient goes (the destinations of one torch._foreach_copy_)."""
    spans = list(zip(offsets[:-1].tolist(), offsets[1:].tolist()))
    weights = [wflat[a:b].view(t.shape) for t, (a, b) in zip(params, spans)]
    grads = [gflat[a:b].view(t.shape) for t, (a, b) in zip(params, spans)]
    return weights + grads, weights, grads


def _number(v) -> float:
    """A float from a float, an int or a CPU tensor (`.item()` costs nothing on the CPU); NaN for None."""
    if v is None:
        return math.nan
    if isinstance(v, torch.Tensor):
        return v.item()
    return float(v)


class _Tap:
    """Rows of numbers taken from the model at each step, held until the next hand-off to the writer: steps rows
    (History's columns: epoch, loss, accuracy, lr, then each parameter's gradient norm), weight norms, other
    metrics, traced weights and full snapshots. Subclasses read the model; this class keeps the books.

    `step_row` takes a step's numbers and, when asked, its trace and snapshot rows, and says whether a ring is
    full; `trace_row` and `snapshot_row` take those rows outside a step."""

    device_async = False  # True: rows live on a GPU and reach the host through the training thread's stream

    def __init__(self, params, infos, traced, sampled):
        self.params, self.sampled, self.traced = params, sampled, traced
        self.n_params = len(params)
        self.offsets = np.cumsum([0] + [p.count for p in infos])
        self.total = int(self.offsets[-1])
        self.n_traced = sum(len(t) for t in traced)
        self.trace_offsets = np.cumsum([0] + [len(t) for t in traced])
        self.metric_names: list[str] = []
        self.metric_index: dict[str, int] = {}
        self.cap_steps = _ring_rows(8 * (4 + 2 * self.n_params), 64, 8192)
        self.cap_traces = _ring_rows(4 * self.n_traced, 16, 8192)
        self.cap_snaps = _ring_rows(8 * self.total, 1, 1024)
        self.n_steps = self.n_traces = self.n_snaps = 0

    def has_columns(self, metrics) -> bool:
        index = self.metric_index
        return all(k in index or k in STEP_ALIASES for k in metrics)

    def add_columns(self, metrics) -> None:
        """New metric names (called between hand-offs, when the rings are empty)."""
        for k in metrics:
            if k not in STEP_ALIASES and k not in self.metric_index:
                self.metric_index[k] = len(self.metric_names)
                self.metric_names.append(k)
        self._alloc_metrics()

    def pending(self) -> bool:
        return bool(self.n_steps or self.n_traces or self.n_snaps)

    def full(self) -> bool:
        return self.n_steps == self.cap_steps or self.n_traces == self.cap_traces or self.n_snaps == self.cap_snaps

    def _alloc_metrics(self) -> None:
        raise NotImplementedError


class _Pool:
    """Buffers lent to the writer thread and given back once their rows are on disk, so that after the first
    hand-offs none is allocated (a fresh one costs a page fault per 4 KiB as it is first written)."""

    KEEP = 3  # free buffers kept a kind: the training thread fills one while the writer writes another

    def __init__(self):
        self._free: dict[str, list] = {}
        self._lock = threading.Lock()

    def lend(self, kind: str, fits, make):
        with self._lock:
            free = self._free.setdefault(kind, [])
            for i, buf in enumerate(free):
                if fits(buf):
                    return free.pop(i)
        return make()

    def give(self, kind: str, buf) -> None:
        with self._lock:
            free = self._free.setdefault(kind, [])
            if len(free) < self.KEEP:
                free.append(buf)


class _Block:
    """One hand-off's rows of a small net (_NumpyTap): row j of `w` holds every weight and row j of `g` every
    gradient at one moment, flat in parameter order; `dst[j]` are views of both shaped as the parameters (the
    destinations of one torch._foreach_copy_). Weights and gradients are separate blocks so that the traced rows
    are `w[:n]`, written to the chunk as they lie."""

    def __init__(self, rows: int, params, offsets, dtype):
        w = int(offsets[-1])
        # Written through now, not left empty: a page first written during a step costs a fault and its zeroing
        # (about 150 µs a step of digits-mlp's 138 KB rows, for the first two blocks).
        wt, gt = torch.full((rows, w), math.nan, dtype=dtype), torch.full((rows, w), math.nan, dtype=dtype)
        self.w, self.g = wt.numpy(), gt.numpy()
        self.dst = [_flat_views(wt[j], gt[j], params, offsets)[0] for j in range(rows)]


def _rows_of(sel: list[int], block: np.ndarray) -> np.ndarray:
    """Rows `sel` (increasing) of `block`: a view when they are its first rows, the common case."""
    return block[:len(sel)] if sel[-1] == len(sel) - 1 else block[np.asarray(sel, np.intp)]


class _NumpyTap(_Tap):
    """CPU, float32/float64 parameters. A tiny net's whole step is a few hundred microseconds and each call costs
    a few, so a step here makes few calls, none per parameter where that can be helped, and keeps its scalars in
    a Python list (numpy's item assignments cost more than an append):

    - nets up to `FLAT_ROW_LIMIT` weights: a step copies every weight and gradient into the next row of a
      `_Block` (one `torch._foreach_copy_` into views shaped as the parameters: any strides). At a hand-off the
      block itself goes to the writer, whose thread reads the norms (a row-wise dot per parameter and per
      gradient over the whole block), the traced weights and the snapshots off it and gives it back once written;
      the training thread goes on in another block from a pool. So a step's numbers are copied once on the
      training thread, and nothing is folded or copied there at a hand-off;
    - larger nets: one `torch._foreach_norm` over the parameters and their gradients per step, a `np.take` per
      parameter for the traced weights, the gradients copied only for a snapshot.

    No gradient is referenced after the call that read it, so zero_grad(set_to_none=True) frees them as it would
    without a recorder."""

    def __init__(self, params, infos, traced, sampled):
        super().__init__(params, infos, traced, sampled)
        p, w = self.n_params, self.total
        self._steps: list[tuple] = []  # (step, epoch, loss, accuracy, lr) of each steps row
        self._flat_rows = w <= FLAT_ROW_LIMIT
        if self._flat_rows:
            self._dtype = torch.float64 if any(t.dtype == torch.float64 for t in params) else torch.float32
            row_bytes = 2 * w * self._dtype.itemsize
            # Steps rows a block takes before a hand-off; it has two more, for the rows taken outside a step
            # (the initial state, epoch()'s snapshot, close()'s trace and snapshot) before the next one.
            self.cap_rows = min(_ring_rows(row_bytes, 16, 8192, BLOCK_BYTES), max(16, WORK_VIEWS // (2 * p)))
            self._pool = _Pool()
            self._pool.give("block", self._make_block())  # the one the writer's first hand-off will not hold
            self._new_block()
            self._dense, self._present, self._present_k, self._absent = True, (True,) * p, list(range(p)), None
            spans = list(zip(self.offsets[:-1].tolist(), self.offsets[1:].tolist()))
            self._spans = spans  # each norm's columns, in `w` for the weight norms, in `g` for the gradient norms'
            self._trace_index = None if not sampled else np.concatenate(
                [a + t for a, t in zip(self.offsets[:-1], traced)])
        else:
            self.norms = np.full((self.cap_steps, 2 * p), np.nan)  # each steps row's weight norms, then gradient norms
            self.trows = np.empty((self.cap_traces, self.n_traced), np.float32)
            self.snaps = np.empty((self.cap_snaps, 2 * w), np.float32)
            self._ptrs = None
        self._alloc_metrics()

    def _alloc_metrics(self) -> None:
        self.mrows = np.full((self.cap_steps, max(1, len(self.metric_names))), np.nan)

    def _make_block(self) -> _Block:
        return _Block(self.cap_rows + 2, self.params, self.offsets, self._dtype)

    def _new_block(self) -> None:
        self._block = self._pool.lend("block", lambda b: True, self._make_block)
        self._rows = 0  # rows of the block filled
        self._step_rows: list[int] = []  # which rows are steps rows, trace rows and snapshot rows
        self._trace_rows: list[int] = []
        self._snap_rows: list[int] = []

    def full(self) -> bool:
        if self._flat_rows:
            return self._rows >= self.cap_rows or self.n_steps >= self.cap_steps
        return super().full()

    def step_row(self, step, epoch, lr, loss, metrics, trace, snap) -> bool:
        i = self.n_steps
        acc = math.nan
        if metrics:
            mrow = self.mrows[i]
            for k, v in metrics.items():
                if k in STEP_ALIASES:
                    acc = _number(v)
                else:
                    mrow[self.metric_index[k]] = _number(v)
        self._steps.append((step, epoch, loss.item() if type(loss) is torch.Tensor else _number(loss), acc,
                            lr if type(lr) is float else _number(lr)))
        if self._flat_rows:
            j = self._copy_row()
            self._step_rows.append(j)
            if trace:
                self._trace_rows.append(j)
                self.n_traces += 1
            if snap:
                self._snap_rows.append(j)
                self.n_snaps += 1
        else:
            self._norms_torch(self.norms[i])
            if trace:
                self.trace_row()
            if snap:
                self.snapshot_row()
        self.n_steps = i + 1
        return self.full()

    def _copy_row(self) -> int:
        """Every weight and gradient into the block's next row, whose index it returns; a parameter without a
        gradient (frozen, unused, before the first backward) reads NaN. Copies of parameters must not become
        autograd ops: grad mode is off for it."""
        j = self._rows
        self._rows = j + 1
        grads = [t.grad for t in self.params]
        both = self._block.dst[j]
        enabled = torch.is_grad_enabled()
        _set_grad_enabled(False)
        try:
            if self._dense:
                try:
                    torch._foreach_copy_(both, self.params + grads)
                    return j
                except TypeError:  # a None among the gradients
                    pass
            present = tuple(g is not None for g in grads)
            self._dense = all(present)
            if present != self._present:
                self._present = present
                self._present_k = [k for k, ok in enumerate(present) if ok]
                o = self.offsets
                self._absent = np.concatenate([np.arange(o[k], o[k + 1]) for k, ok in enumerate(present) if not ok]
                                              or [np.zeros(0, np.intp)])
            if self._dense:
                torch._foreach_copy_(both, self.params + grads)
            else:
                p, keep = self.n_params, self._present_k
                torch._foreach_copy_(both[:p] + [both[p + k] for k in keep], self.params + [grads[k] for k in keep])
                self._block.g[j, self._absent] = np.nan
        finally:
            _set_grad_enabled(enabled)
        return j

    def _views(self) -> list:
        """Numpy views of the parameters (their own shapes and strides: np.take reads them in C order)."""
        ptrs = [t.data_ptr() for t in self.params]
        if ptrs != self._ptrs:
            self._ptrs = ptrs
            self._pviews = [t.detach().numpy() for t in self.params]
        return self._pviews

    @torch.no_grad()
    def _norms_torch(self, norms: np.ndarray) -> None:
        p = self.n_params
        grads = [t.grad for t in self.params]
        present = [k for k, g in enumerate(grads) if g is not None]
        n = torch.stack(torch._foreach_norm(self.params + [grads[k] for k in present])).numpy()
        norms[:p] = n[:p]
        if len(present) == p:
            norms[p:] = n[p:]
        else:
            norms[p:] = np.nan
            norms[p + np.asarray(present, np.intp)] = n[p:]

    def trace_row(self) -> None:
        if self._flat_rows:
            self._trace_rows.append(self._copy_row())
        else:
            out = self.trows[self.n_traces]
            o = self.trace_offsets
            for k, (v, idx) in enumerate(zip(self._views(), self.traced)):
                np.take(v, idx, out=out[o[k]:o[k + 1]])
        self.n_traces += 1

    def snapshot_row(self) -> None:
        if self._flat_rows:
            self._snap_rows.append(self._copy_row())
        else:
            self._snapshot_torch(self.snaps[self.n_snaps])
        self.n_snaps += 1

    @torch.no_grad()
    def _snapshot_torch(self, out: np.ndarray) -> None:
        flat = torch.from_numpy(out)
        _, wdst, gdst = _flat_views(flat[:self.total], flat[self.total:], self.params, self.offsets)
        grads = [t.grad for t in self.params]
        torch._foreach_copy_(wdst + [d for d, g in zip(gdst, grads) if g is not None],
                             self.params + [g for g in grads if g is not None])
        for d, g in zip(gdst, grads):
            if g is None:
                d.fill_(math.nan)

    def take(self, trace_keys, snap_keys) -> Chunk:
        n, m, s = self.n_steps, self.n_traces, self.n_snaps
        c = Chunk()
        if n:
            rows = np.array(self._steps, np.float64)
            c.steps_keys = rows[:, 0].astype(np.int64)
            c.steps_rows = rows[:, 1:]  # the gradient norms are added by the block's reader, or below
            if self.metric_names:
                c.step_metrics = {k: self.mrows[:n, j].copy() for k, j in self.metric_index.items()}
                self.mrows[:n] = np.nan  # metrics not given on a step read NaN
            self._steps = []
        if m:
            c.trace_keys = np.asarray(trace_keys, np.int64)
        if s:
            c.snap_keys = np.asarray(snap_keys, np.int64)
        if self._flat_rows:
            block, sel = self._block, (self._step_rows, self._trace_rows, self._snap_rows)
            c.ready = lambda chunk: self._read_block(chunk, block, *sel)
            c.release = lambda: self._pool.give("block", block)
            c.nbytes = block.w.itemsize * self._rows * 2 * self.total
            self._new_block()
        else:
            p = self.n_params
            if n:
                c.steps_rows = np.concatenate([c.steps_rows, self.norms[:n, p:]], axis=1)
                c.weight_norm = self.norms[:n, :p].copy()
            if m:
                c.trace_rows = self.trows[:m].copy()
            if s:
                c.snap_rows = self.snaps[:s].copy()
            c.nbytes = sum(a.nbytes for a in (c.steps_rows, c.trace_rows, c.snap_rows) if a is not None)
        self.n_steps = self.n_traces = self.n_snaps = 0
        return c

    def _read_block(self, c: Chunk, block: _Block, step_rows, trace_rows, snap_rows) -> None:
        """On the writer's thread: a block's norms, traced weights and snapshots into chunk `c` (numpy releases
        the GIL in these loops, so the training thread runs meanwhile)."""
        if step_rows:
            w, g = _rows_of(step_rows, block.w), _rows_of(step_rows, block.g)
            p = self.n_params
            norms = np.empty((len(step_rows), 2 * p))
            for k, (a, b) in enumerate(self._spans):
                v = w[:, a:b]
                norms[:, k] = _row_dot(v, v)
                v = g[:, a:b]
                norms[:, p + k] = _row_dot(v, v)
            np.sqrt(norms, out=norms)
            c.steps_rows = np.concatenate([c.steps_rows, norms[:, p:]], axis=1)
            c.weight_norm = norms[:, :p]
        if trace_rows:
            c.trace_rows = (_rows_of(trace_rows, block.w) if self._trace_index is None
                            else block.w[np.asarray(trace_rows, np.intp)[:, None], self._trace_index])
        if snap_rows:
            c.snap_rows = np.concatenate([_rows_of(snap_rows, block.w), _rows_of(snap_rows, block.g)], axis=1)


class _TorchTap(_Tap):
    """Any device and dtype (a GPU, bfloat16, …): every number is written by torch ops into rings on the model's
    device, so a step enqueues kernels and never waits for the device. A hand-off copies the rings' filled rows to
    pinned host memory with one non-blocking copy each and records an event; the writer thread waits on that event
    (the training thread never does) before it writes the rows."""

    def __init__(self, params, infos, traced, sampled):
        super().__init__(params, infos, traced, sampled)
        self.dev = params[0].device
        self.device_async = self.dev.type == "cuda"
        p = self.n_params
        f32 = dict(device=self.dev, dtype=torch.float32)
        # Device ring columns: loss, accuracy, gradient norms [p], weight norms [p]; then the other metrics.
        self.ring = torch.full((self.cap_steps, 2 + 2 * p), math.nan, **f32)
        self.keys = np.zeros(self.cap_steps, np.int64)
        self.host = np.full((self.cap_steps, 2), np.nan)  # epoch, lr: host numbers stay on the host
        self.trows = torch.empty((self.cap_traces, self.n_traced), **f32)
        self.snaps = torch.empty((self.cap_snaps, 2 * self.total), **f32)
        self.index = None if not sampled else torch.as_tensor(
            np.concatenate([a + t for a, t in zip(self.offsets[:-1], traced)]), device=self.dev)
        self._nan = {}
        self._present_key = None
        self._pool = _Pool()
        self._alloc_metrics()

    def _alloc_metrics(self) -> None:
        self.mring = torch.full((self.cap_steps, max(1, len(self.metric_names))), math.nan, device=self.dev)

    def _put(self, dst: torch.Tensor, v) -> None:
        if isinstance(v, torch.Tensor):
            dst.copy_(v.detach().reshape(()), non_blocking=True)
        else:
            dst.fill_(math.nan if v is None else float(v))

    @torch.no_grad()
    def step_row(self, step, epoch, lr, loss, metrics, trace, snap) -> bool:
        i = self.n_steps
        self.keys[i] = step
        self.host[i] = (epoch, lr if not isinstance(lr, torch.Tensor) else
                        (lr.item() if lr.device.type == "cpu" else math.nan))
        row = self.ring[i]
        self._put(row[0], loss)
        for k, v in metrics.items():
            self._put(row[1] if k in STEP_ALIASES else self.mring[i, self.metric_index[k]], v)
        grads = [p.grad for p in self.params]
        present = tuple(g is not None for g in grads)
        norms = self._norms([g for g in grads if g is not None] + self.params)
        p = self.n_params
        if all(present):
            row[2:].copy_(norms)
        else:
            if present != self._present_key:
                self._present_key = present
                cols = [2 + k for k, ok in enumerate(present) if ok] + [2 + p + k for k in range(p)]
                self._cols = torch.as_tensor(cols, device=self.dev)
            row[2:2 + p].fill_(math.nan)
            row.index_copy_(0, self._cols, norms)
        self.n_steps = i + 1
        if trace:
            self.trace_row()
        if snap:
            self.snapshot_row()
        return self.full()

    def _norms(self, tensors) -> torch.Tensor:
        """Every tensor's L2 norm, in float32 whatever the tensors' dtypes (bfloat16 norms have 3 digits)."""
        try:
            norms = torch._foreach_norm(tensors, 2, dtype=torch.float32)
        except TypeError:  # an older torch without the dtype argument
            norms = [n.float() for n in torch._foreach_norm(tensors)]
        return torch.stack(norms)

    def _flat(self, tensors) -> torch.Tensor:
        return torch.cat([t.detach().reshape(-1) for t in tensors])

    @torch.no_grad()
    def trace_row(self) -> None:
        flat = self._flat(self.params)
        self.trows[self.n_traces].copy_(flat if self.index is None else flat.index_select(0, self.index))
        self.n_traces += 1

    @torch.no_grad()
    def snapshot_row(self) -> None:
        out = self.snaps[self.n_snaps]
        w = self.total
        out[:w].copy_(self._flat(self.params))
        grads = []
        for k, p in enumerate(self.params):
            if p.grad is not None:
                grads.append(p.grad)
            else:
                if k not in self._nan:
                    self._nan[k] = torch.full((p.numel(),), math.nan, dtype=p.dtype, device=self.dev)
                grads.append(self._nan[k])
        out[w:].copy_(self._flat(grads))
        self.n_snaps += 1

    def _host(self, name: str, rows: int) -> torch.Tensor:
        """A host tensor for ring `name`'s rows at one hand-off: pinned for a GPU, from a pool, so none is
        allocated per flush once the pool holds a few."""
        src = getattr(self, name)
        return self._pool.lend(name, lambda t: t.shape[1] == src.shape[1] and t.shape[0] >= rows,
                               lambda: torch.empty(src.shape, dtype=torch.float32, pin_memory=self.device_async))

    def take(self, trace_keys, snap_keys) -> Chunk:
        n, m, s = self.n_steps, self.n_traces, self.n_snaps
        bufs = {}
        for name, rows in (("ring", n), ("mring", n), ("trows", m), ("snaps", s)):
            if rows:
                bufs[name] = self._host(name, rows)
                bufs[name][:rows].copy_(getattr(self, name)[:rows], non_blocking=self.device_async)
        event = None
        if self.device_async:
            event = torch.cuda.Event()
            event.record()
        keys, host = self.keys[:n].copy(), self.host[:n].copy()
        tkeys, skeys = np.asarray(trace_keys, np.int64), np.asarray(snap_keys, np.int64)
        names, p = dict(self.metric_index), self.n_params
        if n:  # rows not written on a step (a metric not given) must read NaN next time
            self.ring[:n].fill_(math.nan)
            self.mring[:n].fill_(math.nan)

        def ready(c: Chunk) -> None:
            if event is not None:
                event.synchronize()  # on the writer's thread
            if n:
                r = bufs["ring"][:n].numpy().astype(np.float64)
                c.steps_keys = keys
                c.steps_rows = np.column_stack([host[:, 0], r[:, 0], r[:, 1], host[:, 1], r[:, 2:2 + p]])
                c.weight_norm = r[:, 2 + p:]
                mr = bufs["mring"][:n].numpy()
                c.step_metrics = {k: mr[:, j].astype(np.float64) for k, j in names.items()}
            if m:
                c.trace_keys, c.trace_rows = tkeys, bufs["trows"][:m].numpy()
            if s:
                c.snap_keys, c.snap_rows = skeys, bufs["snaps"][:s].numpy()

        def release() -> None:  # the rows are on disk: the host buffers can take the next hand-off's
            for name, t in bufs.items():
                self._pool.give(name, t)

        self.n_steps = self.n_traces = self.n_snaps = 0
        numbers = n * (self.ring.shape[1] + self.mring.shape[1]) + m * self.n_traced + s * 2 * self.total
        return Chunk(ready=ready, release=release, nbytes=4 * numbers)
