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

Across processes: `SharedHistory` is the same record with its buffers, counters, version, status and live copy in
one `multiprocessing.shared_memory` segment and a multiprocessing lock, so a training child process writes and the
GUI process reads (see core/remote.py). The in-process `History` is untouched by that: plain arrays, a
`threading.Lock`, storage that grows on demand.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # builder imports torch; a history does not need it (core.remote relies on that)
    from .builder import ParamInfo

FULL_TRACE_LIMIT = 20_000  # nets with fewer weights get every weight traced every step
SAMPLED_TRACE_TARGET = 2_048  # otherwise about this many weights are traced, spread over the parameters
MIN_TRACED_PER_PARAM = 32
SNAPSHOT_BUDGET = 256 << 20  # bytes for full snapshots of every parameter (and its gradient)
TRACE_BUDGET = 128 << 20  # bytes for the per-step values of the traced weights
SERIES_CAPACITY = 1 << 20  # rows of the per-step and per-epoch series before they thin themselves


class DecimatingBuffer:
    """Rows of equal length appended in order, keyed by step, bounded to `capacity` rows.

    When full, every other row is dropped and the stride doubles; afterwards only every `stride`-th offered row
    is stored. Storage grows by doubling up to `capacity`, so a short run never allocates the whole budget.
    """

    def __init__(self, row_len: int, capacity: int, dtype=np.float32):
        self.row_len, self.capacity, self.dtype = row_len, self.rows_for(capacity), dtype
        self._rows = np.empty((min(self.capacity, 64), row_len), dtype)
        self._keys = np.empty(self._rows.shape[0], np.int64)
        self.size = 0
        self.stride = 1
        self._offered = 0
        self.latest_key: int | None = None
        self.latest_row: np.ndarray | None = None

    @staticmethod
    def rows_for(capacity: int) -> int:
        """The capacity a buffer asked for `capacity` rows really has (at least 4: first, latest and room to thin)."""
        return max(4, int(capacity))

    def append(self, key: int, row: np.ndarray) -> None:
        # Counters are read once into locals and written back once: in a SharedDecimatingBuffer each access is a
        # property over shared memory, and this runs for every step.
        self.latest_key, self.latest_row = key, row
        offered = self._offered
        self._offered = offered + 1
        stride = self.stride
        if offered % stride:
            return
        size = self.size
        if size == self.capacity:
            keep = slice(0, size, 2)
            n = len(range(*keep.indices(size)))
            self._rows[:n] = self._rows[keep]
            self._keys[:n] = self._keys[keep]
            size, stride = n, stride * 2
            self.size, self.stride = size, stride
            if offered % stride:
                return
        if size == self._rows.shape[0]:
            grow = min(self.capacity, 2 * size)
            # Not np.resize: it fills the new rows by repeating the old ones, several times the cost of a copy.
            rows, keys = np.empty((grow, self.row_len), self.dtype), np.empty(grow, np.int64)
            rows[:size], keys[:size] = self._rows[:size], self._keys[:size]
            self._rows, self._keys = rows, keys
        self._rows[size] = row
        self._keys[size] = key
        self.size = size + 1

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
        snapshot_budget: int = SNAPSHOT_BUDGET,
        trace_budget: int = TRACE_BUDGET,
        trace_seed: int = 0,
    ):
        self._describe(params, steps_per_epoch, trace_seed)
        self.lock = threading.Lock()
        self.version = 0
        for name, (row_len, capacity, dtype) in self._buffer_shapes(snapshot_budget, trace_budget).items():
            setattr(self, name, DecimatingBuffer(row_len, capacity, dtype))
        self._live: tuple[int, np.ndarray] | None = None
        self.status = "ready"
        self.message = ""

    def _describe(self, params: list[ParamInfo], steps_per_epoch: int, trace_seed: int) -> None:
        """What every kind of history derives from the parameter table: names, shapes, the traced weights."""
        self.params = params
        self.steps_per_epoch = steps_per_epoch
        self.trace_seed = trace_seed
        self.names = [p.name for p in params]
        self.shapes = {p.name: p.shape for p in params}
        self.total_weights = sum(p.count for p in params)
        self.sampled = self.total_weights > FULL_TRACE_LIMIT
        self.traced = choose_traced(params, trace_seed)
        self.n_traced = sum(len(t) for t in self.traced)
        self._offsets = np.cumsum([0] + [p.count for p in params])

    def _buffer_shapes(self, snapshot_budget: int, trace_budget: int) -> dict[str, tuple[int, int, type]]:
        """{buffer attribute: (row length, capacity in rows, dtype)} for the four tiers."""
        shapes = {
            "steps": (len(STEP_COLUMNS) + len(self.params), SERIES_CAPACITY, np.float64),
            "traces": (self.n_traced, trace_budget // max(1, 4 * self.n_traced), np.float32),
            "snapshots": (2 * self.total_weights, snapshot_budget // max(1, 8 * self.total_weights), np.float32),
            "epochs": (len(EPOCH_COLUMNS), SERIES_CAPACITY, np.float64),
        }
        return {k: (n, DecimatingBuffer.rows_for(cap), dt) for k, (n, cap, dt) in shapes.items()}

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

    def load_tier(self, tier: str, keys: np.ndarray, rows: np.ndarray) -> None:
        """Append recorded rows to tier `tier` ("steps", "traces", "snapshots", "epochs"), as a run folder holds
        them; the tier thins itself as in training if they exceed its budget."""
        buffer = getattr(self, tier)
        rows = np.asarray(rows, buffer.dtype).reshape(len(keys), buffer.row_len)
        with self.lock:
            for key, row in zip(keys, rows):
                buffer.append(int(key), row)
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


# ---------------------------------------------------------------------------------------------- across processes
def shared_slot(store: str, index: int, cast=None) -> property:
    """A property kept in item `index` of the shared array at attribute `store`, where another process sees it."""
    if cast is None:
        return property(lambda self: getattr(self, store)[index],
                        lambda self, v: getattr(self, store).__setitem__(index, v))
    return property(lambda self: cast(getattr(self, store)[index]),
                    lambda self, v: getattr(self, store).__setitem__(index, v))


class SharedDecimatingBuffer(DecimatingBuffer):
    """A `DecimatingBuffer` over arrays it is handed (views of a shared-memory segment), with its counters in a
    shared int64 array, so a reader in another process sees exactly what the writer stored.

    `append` and the readers are the base class's code: only where the state lives differs. Storage is the full
    capacity from the start (a segment cannot grow; the OS commits only the pages that get written).
    """

    _SIZE, _STRIDE, _OFFERED, _LATEST_KEY, _HAS_LATEST, _HIGH_WATER = range(6)
    N_COUNTERS = 6

    def __init__(self, row_len: int, capacity: int, dtype, counters: np.ndarray, keys: np.ndarray,
                 latest: np.ndarray, rows: np.ndarray):
        self.row_len, self.capacity, self.dtype = row_len, capacity, dtype
        self._keys, self._latest, self._rows = keys, latest, rows
        # Counters are read and written a dozen times per append: a memoryview's items are plain ints, about
        # twice as fast as numpy scalars.
        self._counters = memoryview(counters)

    def initialize(self) -> None:
        """Empty, stride 1: done once, by the process that created the segment."""
        for i in range(self.N_COUNTERS):
            self._counters[i] = 0
        self._counters[self._STRIDE] = 1

    stride = shared_slot("_counters", _STRIDE)
    _offered = shared_slot("_counters", _OFFERED)

    @property
    def size(self) -> int:
        return self._counters[self._SIZE]

    @size.setter
    def size(self, n: int) -> None:
        self._counters[self._SIZE] = n
        if n > self._counters[self._HIGH_WATER]:
            self._counters[self._HIGH_WATER] = n

    @property
    def latest_key(self) -> int | None:
        return self._counters[self._LATEST_KEY] if self._counters[self._HAS_LATEST] else None

    @latest_key.setter
    def latest_key(self, key: int | None) -> None:
        self._counters[self._HAS_LATEST] = key is not None
        self._counters[self._LATEST_KEY] = 0 if key is None else int(key)

    @property
    def latest_row(self) -> np.ndarray | None:
        return self._latest if self._counters[self._HAS_LATEST] else None

    @latest_row.setter
    def latest_row(self, row: np.ndarray) -> None:
        self._latest[:] = row  # a copy: the caller's array lives in the writer's process only

    @property
    def nbytes(self) -> int:
        """Bytes written so far (the pages the OS has committed), not the reserved capacity."""
        used = self._counters[self._HIGH_WATER]
        return used * (self._rows.itemsize * self.row_len + 8) + self._latest.nbytes + self._counters.nbytes


class _Segment(shared_memory.SharedMemory):
    """A shared-memory block that numpy arrays view. Those views may outlive the last reference to this object
    (a view bound to an old run, a mirror of one of its buffers): then the stock `__del__` cannot unmap and would
    leak its file descriptor; the mapping itself goes when the last view does."""

    PREFIX = "ws_"  # names the segments in /dev/shm, so a leak is easy to spot

    @classmethod
    def create(cls, size: int) -> "_Segment":
        while True:
            try:
                return cls(f"{cls.PREFIX}{os.getpid()}_{secrets.token_hex(4)}", create=True, size=size)
            except FileExistsError:
                continue

    def views(self, fields: list[tuple[str, type, tuple[int, ...]]]) -> dict[str, np.ndarray]:
        """Numpy arrays over this block for `fields` laid out by `_layout`."""
        offsets, _ = _layout(fields)
        return {name: np.ndarray(shape, dtype, buffer=self.buf, offset=offsets[name]) for name, dtype, shape in fields}

    def __del__(self):
        try:
            self.close()
        except BufferError:
            if getattr(self, "_fd", -1) >= 0:
                os.close(self._fd)
                self._fd = -1


def _layout(fields: list[tuple[str, type, tuple[int, ...]]]) -> tuple[dict[str, int], int]:
    """Offsets of `fields` laid end to end, each aligned to 64 bytes (a cache line), and the total size."""
    offsets, end = {}, 0
    for name, dtype, shape in fields:
        end = -(-end // 64) * 64
        offsets[name] = end
        end += int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    return offsets, max(end, 1)


def _shm_free_bytes() -> int | None:
    """Free space where POSIX shared memory lives (a small tmpfs in some containers), or None if unknown."""
    try:
        st = os.statvfs("/dev/shm")
    except (OSError, AttributeError):
        return None
    return st.f_bavail * st.f_frsize


SHM_SHARE = 0.25  # at most this part of the free shared memory per history: a reset briefly holds two


@dataclass(frozen=True)
class SharedHistoryHandle:
    """Everything another process needs to attach to a `SharedHistory` but the lock, which multiprocessing lets
    travel only while a process is being spawned. Plain data: send it through any queue or pipe."""

    segment: str
    params: list[ParamInfo]
    steps_per_epoch: int
    trace_seed: int
    buffer_shapes: dict[str, tuple[int, int, type]]


_VERSION, _LIVE_STEP, _STATUS_LEN, _MESSAGE_LEN = range(4)
_STATUS_BYTES, _MESSAGE_BYTES = 64, 4096


class SharedHistory(History):
    """A `History` in one shared-memory segment, guarded by a multiprocessing lock: one process writes (the
    training child of `core.remote.RemoteTrainer`), others read with the very same API.

    Made by `create` in the writer (through `Trainer(history_factory=...)`) and `attach`ed elsewhere from its
    `handle()` (plain data, sent up the reply queue) and the lock. The process that owns it (the GUI
    side of a RemoteTrainer) calls `release()` when done with it: the segment's name goes at once, so nothing is
    left in /dev/shm; its memory goes when the last process unmaps it.
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("use SharedHistory.create(...) or SharedHistory.attach(handle, lock)")

    @classmethod
    def create(cls, params: list[ParamInfo], steps_per_epoch: int, *, lock, snapshot_budget: int = SNAPSHOT_BUDGET,
               trace_budget: int = TRACE_BUDGET, trace_seed: int = 0) -> "SharedHistory":
        """A new, empty history in a new segment; `lock` is a multiprocessing Lock every attaching process shares."""
        self = cls.__new__(cls)
        self._describe(params, steps_per_epoch, trace_seed)
        shapes = self._fit_free_memory(self._buffer_shapes(snapshot_budget, trace_budget))
        self._map(_Segment.create(_layout(self._fields(shapes))[1]), shapes, lock)
        for name in shapes:
            getattr(self, name).initialize()
        self.version = 0
        self._live = None
        self.status = "ready"
        self.message = ""
        return self

    @classmethod
    def attach(cls, handle: SharedHistoryHandle, lock) -> "SharedHistory":
        """The history another process created, as it stands now and as it goes on."""
        self = cls.__new__(cls)
        self._describe(handle.params, handle.steps_per_epoch, handle.trace_seed)
        self._map(_Segment(handle.segment), handle.buffer_shapes, lock)
        return self

    def handle(self) -> SharedHistoryHandle:
        return SharedHistoryHandle(self._segment.name, self.params, self.steps_per_epoch, self.trace_seed,
                                   self._shapes)

    @property
    def segment_name(self) -> str:
        return self._segment.name

    def release(self) -> None:
        """Remove the segment's name (once, from the owning process); readers holding this object still work."""
        if not self._released:
            self._released = True
            try:
                self._segment.unlink()
            except FileNotFoundError:
                pass

    # ---- layout ----
    def _fields(self, shapes) -> list[tuple[str, type, tuple[int, ...]]]:
        fields = [("header", np.int64, (4,)), ("status", np.uint8, (_STATUS_BYTES,)),
                  ("message", np.uint8, (_MESSAGE_BYTES,)), ("live", np.float32, (self.total_weights,))]
        for name, (row_len, capacity, dtype) in shapes.items():
            fields += [(f"{name}.counters", np.int64, (SharedDecimatingBuffer.N_COUNTERS,)),
                       (f"{name}.keys", np.int64, (capacity,)), (f"{name}.latest", dtype, (row_len,)),
                       (f"{name}.rows", dtype, (capacity, row_len))]
        return fields

    def _fit_free_memory(self, shapes):
        """Shrink every tier alike when the budgets would not fit in the free shared memory: writing past the end
        of a full tmpfs kills the writer (SIGBUS), a smaller budget only thins the history sooner."""
        free = _shm_free_bytes()
        need = _layout(self._fields(shapes))[1]
        if free is None or need <= SHM_SHARE * free:
            return shapes
        scale = SHM_SHARE * free / need
        return {k: (n, DecimatingBuffer.rows_for(cap * scale), dt) for k, (n, cap, dt) in shapes.items()}

    def _map(self, segment: _Segment, shapes, lock) -> None:
        views = segment.views(self._fields(shapes))
        self.lock = lock
        self._shapes = shapes
        self._header = memoryview(views["header"])  # plain-int items, as for the buffers' counters
        self._status, self._message, self._live_params = views["status"], views["message"], views["live"]
        for name, (row_len, capacity, dtype) in shapes.items():
            setattr(self, name, SharedDecimatingBuffer(
                row_len, capacity, dtype,
                *(views[f"{name}.{part}"] for part in ("counters", "keys", "latest", "rows"))))
        self._released = False
        self._segment = segment

    # ---- the state History keeps in attributes, here in the segment ----
    def _text_slot(store: str, length_slot: int):  # noqa: N805 - a property factory used in the class body
        """A str property kept as UTF-8 bytes in the array at `store`, its length in header slot `length_slot`."""

        def get(self) -> str:
            return getattr(self, store)[: self._header[length_slot]].tobytes().decode("utf-8", "ignore")

        def put(self, text: str) -> None:
            data = text.encode("utf-8")[: len(getattr(self, store))]
            getattr(self, store)[: len(data)] = np.frombuffer(data, np.uint8)
            self._header[length_slot] = len(data)

        return property(get, put)

    version = shared_slot("_header", _VERSION)
    status = _text_slot("_status", _STATUS_LEN)
    message = _text_slot("_message", _MESSAGE_LEN)
    del _text_slot

    @property
    def _live(self) -> tuple[int, np.ndarray] | None:
        step = self._header[_LIVE_STEP]
        return None if step < 0 else (step, self._live_params.copy())

    @_live.setter
    def _live(self, value: tuple[int, np.ndarray] | None) -> None:
        if value is not None:
            self._live_params[:] = value[1]
        self._header[_LIVE_STEP] = -1 if value is None else int(value[0])
