"""The run folder `weightstudio.record()` writes while a loop trains: a JSON manifest and numbered `.npz` chunks.

Layout (docs/recording.md says why this one):

    run.json            the manifest: format, parameter table, optimizer, what recorded it; rewritten at close()
    status.json         running / finished / stopped, the last step written, the writer's host and pid
    log/00000000.npz    chunk 0: the initial snapshot (written before record() returns)
    log/00000001.npz    … one chunk per flush, numbered from 0 without gaps
    history.npz, metrics.csv   after close(): the documented layout, built from the chunks

A chunk is written to a dot-named temporary file and renamed into place when complete, so a reader sees whole
chunks only and a writer killed at any moment leaves every earlier chunk intact. Chunks hold plain arrays
(`np.load(..., allow_pickle=False)` reads them); keys, all optional:

    steps.keys [n] int64, steps.rows [n, 4 + P] float64   History's step columns (epoch, loss, accuracy, lr)
                                                          then each parameter's gradient norm (NaN: no grad)
    steps.weight_norm [n, P] float64                      each parameter's L2 norm
    steps.metric.<name> [n] float64                       other metrics given to step()
    traces.keys [m] int64, traces.rows [m, T] float32     the traced weights (History.traced order)
    snapshots.keys [k] int64, snapshots.rows [k, 2W] float32   every parameter, then every gradient, flat
    epochs.keys [e] int64, epochs.rows [e, 6] float64     History's epoch columns
    epochs.metric.<name> [e] float64                      other metrics given to epoch()

Nothing here needs torch: the writer thread gets numpy arrays (or a chunk whose `ready` callback waits for a
device copy to land), and the reader builds a `History`.
"""

from __future__ import annotations

import collections
import csv
import json
import math
import os
import platform
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .data import DataError, read_npz
from .history import (EPOCH_COLUMNS, SERIES_CAPACITY, SNAPSHOT_BUDGET, STEP_COLUMNS, TRACE_BUDGET,
                      DecimatingBuffer, History)
from .messages import _

FORMAT, FORMAT_VERSION = "weightstudio.record", 1
LOG_DIR, RUN_FILE, STATUS_FILE, HISTORY_FILE, METRICS_FILE = (
    "log", "run.json", "status.json", "history.npz", "metrics.csv")
EXTRA_BUDGET = 64 << 20  # bytes a reader keeps of per-step weight norms and other metrics
COMPRESS_BELOW = 64 << 20  # history.npz is compressed when smaller than this (big nets: saving time beats disk)


class RecordError(RuntimeError):
    """The recorder cannot go on (its folder cannot be written); the message names the folder and the cause."""


def chunk_name(seq: int) -> str:
    return f"{seq:08d}.npz"


def is_record_manifest(d) -> bool:
    return isinstance(d, dict) and d.get("format") == FORMAT


# ---- the parameter table, without torch ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedParam:
    """One row of a recorded module's parameter table: the fields of `builder.ParamInfo` (which the views and
    History read) plus where the parameter lives and whether it trains."""

    name: str  # the inner module's named_parameters() name: "layer1.0.conv1.weight"
    shape: tuple[int, ...]
    count: int
    layer: int  # index of the owning module among those that own parameters
    layer_kind: str  # the owning module's class: "Conv2d", "Embedding", …
    output_shape: tuple[int, ...] = ()  # not known for an arbitrary module
    module: str = ""  # "layer1.0.conv1"
    trainable: bool = True

    @property
    def is_weight(self) -> bool:
        return self.name.endswith(".weight") or self.name == "weight"

    def to_dict(self) -> dict:
        return {"name": self.name, "shape": list(self.shape), "count": self.count, "module": self.module,
                "kind": self.layer_kind, "layer": self.layer, "trainable": self.trainable}

    @classmethod
    def from_dict(cls, d: dict) -> "RecordedParam":
        shape = tuple(int(s) for s in d["shape"])
        return cls(str(d["name"]), shape, int(d.get("count", math.prod(shape))), int(d.get("layer", 0)),
                   str(d.get("kind", "")), (), str(d.get("module", "")), bool(d.get("trainable", True)))


def module_group(name: str) -> str:
    """The top-level module owning parameter `name`: "layer1" for "layer1.0.conv1.weight", "0" for the builder's
    "0.weight", "" for a parameter of the root module itself ("pos_embedding")."""
    head, sep, _ = name.partition(".")
    return head if sep else ""


def tier_capacities(n_params: int, n_weights: int, n_traced: int) -> dict[str, int]:
    """Rows each tier keeps before it thins itself: History's own budgets (history.py)."""
    within = DecimatingBuffer.rows_within
    return {"steps": SERIES_CAPACITY, "traces": within(TRACE_BUDGET, 4 * n_traced),
            "snapshots": within(SNAPSHOT_BUDGET, 8 * n_weights), "epochs": SERIES_CAPACITY}


class Thinning:
    """Which offered rows a tier keeps: `DecimatingBuffer`'s rule (halve and double the stride when full) without
    the rows, so the recorder copies only what will be kept. Rows already written stay on disk (append-only):
    a tier's log holds about capacity × (1 + ½·log2(offered / capacity)) rows, the History read from it
    `capacity`."""

    def __init__(self, capacity: int):
        self.capacity = DecimatingBuffer.rows_for(capacity)
        self.stride, self.offered, self.size = 1, 0, 0

    def offer(self) -> bool:
        offered = self.offered
        self.offered = offered + 1
        if offered % self.stride:
            return False
        if self.size == self.capacity:
            self.size, self.stride = (self.size + 1) // 2, self.stride * 2
            if offered % self.stride:
                return False
        self.size += 1
        return True


# ---- files -----------------------------------------------------------------------------------------------------


def write_json_atomic(path: Path, obj: dict) -> None:
    """Write JSON so that a reader sees the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(obj, indent=2, allow_nan=False, default=_json_default) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return _finite(float(o))
    return repr(o)


def _finite(v: float):
    return v if math.isfinite(v) else None


def save_npz_atomic(path: Path, arrays: dict[str, np.ndarray], compress: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:  # a file object: numpy would otherwise append ".npz" to the temporary name
        if compress:
            np.savez_compressed(f, **arrays)
        else:
            write_npz(f, arrays)
    os.replace(tmp, path)


def write_npz(f, arrays: dict[str, np.ndarray]) -> None:
    """What `np.savez(f, **arrays)` writes (a stored zip of `.npy` members) without its copy of every array into a
    bytes object first: a contiguous array's memory goes to the file as it lies (zipfile takes any buffer, and
    its CRC and the write release the GIL). The writer thread writes tens of MB a second of trace rows; those
    copies held the GIL, which the training thread then waited for."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for name, a in arrays.items():
            a = np.asanyarray(a)
            with z.open(f"{name}.npy", "w", force_zip64=True) as member:
                if a.dtype.hasobject or not a.flags.c_contiguous:  # numpy's own way: a copy; objects refused
                    np.lib.format.write_array(member, a, allow_pickle=False)
                else:
                    np.lib.format.write_array_header_1_0(member, np.lib.format.header_data_from_array_1_0(a))
                    member.write(a.reshape(-1).view(np.uint8))


def read_json(path: Path) -> dict | None:
    """A JSON object from `path`; None when missing; ValueError naming the file when unreadable."""
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ValueError(_("{path}: not a readable JSON file ({e})", path=path, e=e)) from None
    if not isinstance(d, dict):
        raise ValueError(_("{path}: expected a JSON object", path=path))
    return d


def writer_gone(status: dict) -> bool:
    """Whether the process that said it is recording has ended without saying so (killed): only knowable when it
    ran on this host."""
    if status.get("status") != "running" or status.get("host") != platform.node():
        return False
    try:
        os.kill(int(status.get("pid", -1)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, OverflowError, OSError):
        return False
    return False


# ---- writing ---------------------------------------------------------------------------------------------------


@dataclass
class EpochMark:
    """An epoch() call: its number, the step it ended at, and the metrics given (floats or 0-d tensors)."""

    epoch: int
    step: int
    metrics: dict


@dataclass
class Chunk:
    """What the recorder hands the writer at one flush; `ready` (if set) fills the arrays on the writer's thread
    (waiting for a device copy, reading a block of rows), and `release` (if set) is called once they are written
    or could not be, so that the recorder can use their memory again."""

    steps_keys: np.ndarray | None = None
    steps_rows: np.ndarray | None = None
    weight_norm: np.ndarray | None = None
    step_metrics: dict[str, np.ndarray] = field(default_factory=dict)
    trace_keys: np.ndarray | None = None
    trace_rows: np.ndarray | None = None
    snap_keys: np.ndarray | None = None
    snap_rows: np.ndarray | None = None
    epoch: EpochMark | None = None
    ready: Callable[[Chunk], None] | None = None
    release: Callable[[], None] | None = None
    nbytes: int = 0


_STOP = object()
EPOCH_ALIASES = {"val_loss": "val_loss", "train_loss": "train_loss", "loss": "train_loss", "val_acc": "val_acc",
                 "val_accuracy": "val_acc", "train_acc": "train_acc", "train_accuracy": "train_acc",
                 "accuracy": "train_acc", "acc": "train_acc"}


class _PendingQueue:
    """Chunks waiting for the writer, bounded by count and bytes. `put` blocks while full (one chunk always fits):
    data is never dropped, the training loop waits, and the time it waited is counted."""

    def __init__(self, max_items: int, max_bytes: int):
        self.max_items, self.max_bytes = max_items, max_bytes
        self._items: collections.deque = collections.deque()
        self._bytes = 0
        self._cond = threading.Condition()

    def put(self, item, nbytes: int, give_up: Callable[[], bool] = lambda: False) -> float:
        waited = 0.0
        with self._cond:
            while self._items and (len(self._items) >= self.max_items or self._bytes + nbytes > self.max_bytes):
                if give_up():  # the writer died: nothing will make room
                    break
                t0 = time.monotonic()
                self._cond.wait(1.0)
                waited += time.monotonic() - t0
            self._items.append((item, nbytes))
            self._bytes += nbytes
            self._cond.notify_all()
        return waited

    def get(self, timeout: float):
        """The next item, or None after `timeout` seconds without one."""
        with self._cond:
            if not self._items:
                self._cond.wait(timeout)
            if not self._items:
                return None
            item, nbytes = self._items.popleft()
            self._bytes -= nbytes
            self._cond.notify_all()
            return item


class LogWriter:
    """Writes a recorder's chunks on a background thread: one file per flush, renamed into place when complete,
    and status.json at least once a second. `tick` (called on the writer's thread when no chunk came for
    `flush_interval` seconds) returns rows the training thread has not handed over, so a loop that stalls
    (validation, a checkpoint) still has its recent steps on disk within about a second."""

    def __init__(self, folder: Path, *, steps_capacity: int = SERIES_CAPACITY, flush_interval: float = 0.5,
                 max_items: int = 16, max_bytes: int = 256 << 20, tick: Callable[[], Chunk | None] | None = None):
        self.folder = Path(folder)
        self.log_dir = self.folder / LOG_DIR
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.seq = 0
        self.flush_interval = flush_interval
        self.tick = tick
        self.waited_s = 0.0  # time the training loop spent blocked on a full queue
        self.error: BaseException | None = None
        self.last_step = 0
        self.epochs = 0
        self.status = {"status": "running", "message": ""}
        self._steps_thinning = Thinning(steps_capacity)
        self._sums = np.zeros(4)  # this epoch's finite loss sum, count, accuracy sum, count
        self._last_status = 0.0
        self._queue = _PendingQueue(max_items, max_bytes)
        self._thread: threading.Thread | None = None
        self._submitted = self._written = 0  # chunks given to the writer thread, and those it has finished
        self._finished = threading.Condition()

    # ---- training thread ----
    def start(self) -> None:
        self._write_status(force=True)
        self._thread = threading.Thread(target=self._run, name="weightstudio-record-writer", daemon=True)
        self._thread.start()

    def write_now(self, chunk: Chunk) -> None:
        """Write `chunk` on the calling thread (the initial snapshot, before the writer starts)."""
        try:
            self._write(chunk)
        except OSError as e:  # a full disk, a read-only folder: said as a failed flush is
            self.error = e
            self._check()

    def submit(self, chunk: Chunk) -> float:
        """Queue `chunk`; returns the seconds the caller waited for room."""
        self._check()
        self._submitted += 1
        waited = self._queue.put(chunk, chunk.nbytes, lambda: self.error is not None)
        self.waited_s += waited
        self._check()
        return waited

    def wait_written(self, timeout: float | None = None) -> bool:
        """Wait until every chunk submitted so far is on disk; False if `timeout` seconds passed first. Raises
        RecordError if writing failed."""
        target = self._submitted
        with self._finished:
            done = self._finished.wait_for(lambda: self._written >= target or self.error is not None, timeout)
        self._check()
        return done

    def close(self, status: str = "finished", message: str = "") -> None:
        """Write everything queued, then the final status; RecordError if writing failed."""
        if self._thread is not None:
            self._queue.put(_STOP, 0, lambda: self.error is not None)
            self._thread.join()
            self._thread = None
        self._check()
        self.status = {"status": status, "message": message}
        self._write_status(force=True)

    def _check(self) -> None:
        if self.error is not None:
            raise RecordError(_("weightstudio.record: writing {folder} failed: {error}", folder=self.folder,
                                 error=self.error)) from self.error

    # ---- writer thread ----
    def _run(self) -> None:
        try:
            while True:
                item = self._queue.get(self.flush_interval)
                if item is _STOP:
                    return
                if item is not None:
                    self._write(item)
                    with self._finished:
                        self._written += 1
                        self._finished.notify_all()
                elif self.tick is not None and (item := self.tick()) is not None:
                    self._write(item)
                self._write_status()
        except BaseException as e:  # noqa: BLE001 - kept and raised on the training thread at the next flush
            self.error = e
            with self._finished:  # a wait_written() returns, and raises
                self._finished.notify_all()
            while self._queue.get(0) not in (None, _STOP):  # unblock a waiting put; the data cannot be written
                pass

    def _write(self, chunk: Chunk) -> None:
        try:
            self._write_arrays(chunk)
        finally:
            if chunk.release is not None:
                chunk.release()

    def _write_arrays(self, chunk: Chunk) -> None:
        if chunk.ready is not None:
            chunk.ready(chunk)
        arrays: dict[str, np.ndarray] = {}
        if chunk.steps_keys is not None and len(chunk.steps_keys):
            self._steps(chunk, arrays)
        if chunk.trace_keys is not None and len(chunk.trace_keys):
            arrays["traces.keys"] = np.asarray(chunk.trace_keys, np.int64)
            arrays["traces.rows"] = np.asarray(chunk.trace_rows, np.float32)
            self.last_step = max(self.last_step, int(chunk.trace_keys[-1]))
        if chunk.snap_keys is not None and len(chunk.snap_keys):
            arrays["snapshots.keys"] = np.asarray(chunk.snap_keys, np.int64)
            arrays["snapshots.rows"] = np.asarray(chunk.snap_rows, np.float32)
        if chunk.epoch is not None:
            self._epoch(chunk.epoch, arrays)
        if arrays:
            save_npz_atomic(self.log_dir / chunk_name(self.seq), arrays)
            self.seq += 1

    def _steps(self, chunk: Chunk, arrays: dict) -> None:
        rows = np.asarray(chunk.steps_rows, np.float64)
        loss, acc = rows[:, 1], rows[:, 2]
        ok_l, ok_a = np.isfinite(loss), np.isfinite(acc)
        self._sums += (loss[ok_l].sum(), ok_l.sum(), acc[ok_a].sum(), ok_a.sum())
        keep = np.fromiter((self._steps_thinning.offer() for _ in range(len(rows))), bool, len(rows))
        arrays["steps.keys"] = np.asarray(chunk.steps_keys, np.int64)[keep]
        arrays["steps.rows"] = rows[keep]
        if chunk.weight_norm is not None:
            arrays["steps.weight_norm"] = np.asarray(chunk.weight_norm, np.float64)[keep]
        for name, values in chunk.step_metrics.items():
            arrays[f"steps.metric.{name}"] = np.asarray(values, np.float64)[keep]
        self.last_step = max(self.last_step, int(chunk.steps_keys[-1]))

    def _epoch(self, mark: EpochMark, arrays: dict) -> None:
        loss_sum, loss_n, acc_sum, acc_n = self._sums
        known = {"train_loss": loss_sum / loss_n if loss_n else math.nan, "val_loss": math.nan,
                 "train_acc": acc_sum / acc_n if acc_n else math.nan, "val_acc": math.nan}
        extra = {}
        for name, value in mark.metrics.items():
            v = _to_float(value)
            if name in EPOCH_ALIASES:
                known[EPOCH_ALIASES[name]] = v
            else:
                extra[name] = v
        self._sums[:] = 0
        arrays["epochs.keys"] = np.array([mark.epoch], np.int64)
        arrays["epochs.rows"] = np.array([[mark.epoch, mark.step, known["train_loss"], known["val_loss"],
                                           known["train_acc"], known["val_acc"]]], np.float64)
        for name, v in extra.items():
            arrays[f"epochs.metric.{name}"] = np.array([v], np.float64)
        self.epochs = mark.epoch
        self.last_step = max(self.last_step, mark.step)

    def _write_status(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_status < 0.9:
            return
        self._last_status = now
        write_json_atomic(self.folder / STATUS_FILE, {
            **self.status, "steps": self.last_step, "epochs": self.epochs, "chunks": self.seq,
            "waited_s": round(self.waited_s, 3), "host": platform.node(), "pid": os.getpid(),
            "updated": time.time()})


def _to_float(v) -> float:
    try:
        return float(v)  # a 0-d tensor on a device: its computation is already queued ahead of this read
    except (TypeError, ValueError):
        return math.nan


# ---- reading ---------------------------------------------------------------------------------------------------


class LogReader:
    """The complete chunks of a log, in order, each read once: `apply_new()` adds those written since the last
    call to a LogHistory (a stat per call when there are none)."""

    def __init__(self, folder: Path):
        self.dir = Path(folder) / LOG_DIR
        self.next = 0

    def apply_new(self, lh: LogHistory, limit: int | None = None) -> tuple[int, list[str]]:
        """Apply the chunks completed since the last call to `lh`; returns how many were read and a line per
        damaged one, which is skipped. A chunk is renamed into place only when whole, so damage (unreadable, or
        arrays unlike the manifest's) comes from other hands: a disk error, a copy cut short."""
        read, problems = 0, []
        while limit is None or read < limit:
            path = self.dir / chunk_name(self.next)
            if not path.is_file():
                break
            try:
                lh.apply(read_npz(path))
            except DataError as e:  # names the file
                problems.append(_("{e}; skipped", e=e))
            except (KeyError, ValueError, TypeError, IndexError) as e:  # arrays missing or of the wrong shape
                problems.append(_("{path}: does not match the manifest's parameters ({e}); skipped", path=path, e=e))
            self.next += 1
            read += 1
        return read, problems

    def has_new(self) -> bool:
        return (self.dir / chunk_name(self.next)).exists()


class _Columns:
    """Bounded per-step columns History has no room for: named series that may start at any step (NaN before)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.buffers: dict[str, DecimatingBuffer] = {}

    def add(self, name: str, keys: np.ndarray, values: np.ndarray) -> None:
        values = np.asarray(values, np.float64).reshape(len(keys), -1)
        buf = self.buffers.get(name)
        if buf is None:
            width = values.shape[1]
            buf = self.buffers[name] = DecimatingBuffer(width, max(4, min(self.capacity,
                                                                          EXTRA_BUDGET // (8 * width))), np.float64)
        for k, row in zip(keys, values):
            buf.append(int(k), row)

    def data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        buf = self.buffers[name]
        return buf.keys(False), buf.rows(False)


class LogHistory:
    """A `History` filled from a log's chunks, with what it has no columns for: per-step weight norms, other
    per-step metrics (`step_series`) and other epoch metrics (`epoch_metrics`)."""

    def __init__(self, manifest: dict):
        self.manifest = manifest
        h = manifest.get("history", {})
        self.params = [RecordedParam.from_dict(p) for p in manifest["model"]["parameters"]]
        self._spe_given = h.get("steps_per_epoch")
        self.history = History(self.params, int(self._spe_given or 1), trace_seed=int(h.get("trace_seed", 0)))
        self.extras = _Columns(SERIES_CAPACITY)
        self.epoch_metrics: dict[str, list[float]] = {}
        self._n_epochs = 0

    def apply(self, arrays: dict[str, np.ndarray]) -> None:
        h = self.history
        if "snapshots.keys" in arrays:
            h.load_tier("snapshots", arrays["snapshots.keys"], arrays["snapshots.rows"])
        if "traces.keys" in arrays:
            keys, rows = arrays["traces.keys"], arrays["traces.rows"]
            h.load_tier("traces", keys, rows)
            if not h.sampled and len(keys):  # every weight is traced: the newest trace row is the whole net
                h.record_live(int(keys[-1]), rows[-1])
        if "steps.keys" in arrays:
            keys = arrays["steps.keys"]
            h.load_tier("steps", keys, arrays["steps.rows"])
            if "steps.weight_norm" in arrays:
                self.extras.add("weight_norm", keys, arrays["steps.weight_norm"])
            for k, v in arrays.items():
                if k.startswith("steps.metric."):
                    self.extras.add(k[len("steps.metric."):], keys, v)
        if "epochs.keys" in arrays:
            rows = arrays["epochs.rows"]
            h.load_tier("epochs", arrays["epochs.keys"], rows)
            for k, v in arrays.items():
                if k.startswith("epochs.metric."):
                    col = self.epoch_metrics.setdefault(k[len("epochs.metric."):], [])
                    col.extend([math.nan] * (self._n_epochs - len(col)))
                    col.extend(float(x) for x in v)
            self._n_epochs += len(rows)
            if not self._spe_given and self._n_epochs == len(rows) and rows[0, 1] > 0:
                h.steps_per_epoch = int(rows[0, 1])  # learnt from the first epoch() call
        for col in self.epoch_metrics.values():
            col.extend([math.nan] * (self._n_epochs - len(col)))

    def step_series(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{name: (steps, values)}: "weight_norm" [n, P] and each other metric given to step() [n, 1]."""
        return {name: self.extras.data(name) for name in self.extras.buffers}

    @property
    def classification(self) -> bool:
        """Whether accuracy was recorded (the loss view then draws it)."""
        acc = self.history.step_data()["accuracy"]
        ep = self.history.epoch_data()
        return bool(np.isfinite(acc).any() or np.isfinite(ep["train_acc"]).any() or np.isfinite(ep["val_acc"]).any())


def read_log(folder: Path, manifest: dict) -> tuple[LogHistory, LogReader]:
    """Every complete chunk of `folder`'s log in a LogHistory, and the reader positioned after them."""
    lh, reader = LogHistory(manifest), LogReader(folder)
    reader.apply_new(lh)  # the writer's own chunks: a damaged one is left out of history.npz as a reader skips it
    return lh, reader


def finalize(folder: Path, manifest: dict) -> LogHistory:
    """history.npz (the README's layout, through the same `History` a reader builds) and metrics.csv, from the
    log. Called by close(), after the last chunk is written."""
    from .io import history_arrays  # io imports config/data: only needed here

    lh, _ = read_log(folder, manifest)
    arrays = history_arrays(lh.history)
    size = sum(a.nbytes for a in arrays.values())
    save_npz_atomic(Path(folder) / HISTORY_FILE, arrays, compress=size < COMPRESS_BELOW)
    write_metrics(Path(folder) / METRICS_FILE, lh)
    return lh


def write_metrics(path: Path, lh: LogHistory) -> None:
    """metrics.csv: the columns `weightstudio train` writes (accuracy ones when accuracy was recorded), then any
    other metric given to epoch()."""
    e = lh.history.epoch_data()
    cols = ["epoch", "step", "train_loss", "val_loss"] + (["train_acc", "val_acc"] if lh.classification else [])
    extra = list(lh.epoch_metrics)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols + extra)
        for i in range(len(e["epoch"])):
            row = [str(int(e[c][i])) if c in ("epoch", "step") else _csv_float(e[c][i]) for c in cols]
            w.writerow(row + [_csv_float(lh.epoch_metrics[n][i]) for n in extra])
    os.replace(tmp, path)


def _csv_float(v: float) -> str:
    return "" if not math.isfinite(v) else f"{v:.8g}"


__all__ = ["FORMAT", "LOG_DIR", "Chunk", "EpochMark", "LogHistory", "LogReader", "LogWriter", "RecordError",
           "RecordedParam", "Thinning", "finalize", "read_log", "tier_capacities", "writer_gone", "STEP_COLUMNS",
           "EPOCH_COLUMNS"]
