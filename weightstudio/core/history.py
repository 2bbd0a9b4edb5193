"""Bounded-memory record of a training run, written by the engine and read by views, files and tests.

Tiers (docs/architecture.md, "History tiers and budgets"):
  * steps:     every step's loss, accuracy, learning rate, per-parameter gradient norm and update-to-weight ratio
               ‖ΔW‖/‖W‖ (a few floats; the ratios are read with `update_data`, NaN where not recorded);
  * traces:    every step's value of a chosen set of weights: all of them for nets under `FULL_TRACE_LIMIT`
               weights, else a per-parameter sample — the "one line per weight" users watch;
  * snapshots: every parameter and its last gradient, after every epoch, plus the initial state;
  * sketches:  every `sketch_every` steps (and at step 0), each parameter's weight and gradient distribution as
               `core.stats` sketches: nine percentiles and a 30-bin histogram between min and max, of every value
               of parameters up to `SKETCH_SAMPLE` values, else of a fixed random sample of that many. A row is
               2 × parameters × 39 float32 (312 bytes per parameter); the tier's budget is `SKETCH_BUDGET`
               (16 MiB: about 9,000 rows for a six-parameter net before it thins). `sketch_every` keeps the
               amortised work near `SKETCH_VALUES_PER_STEP` sorted values a step, about 1% of a tiny net's
               step (every 17th step for tiny nets, about every 21st for nets of thousands of weights). Views
               sketch the snapshots instead where those are the finer record (a full-batch net's, every step).
Each tier lives in a `DecimatingBuffer`: when it reaches its byte budget it drops every other row and doubles its
stride, so memory stays bounded however long the run, and the first and latest rows are always kept.

Thread safety: one writer (the engine) and any readers. Writers hold `lock` briefly and bump `version`; readers
take copies under the same lock, so a view can skip a redraw when the version has not changed.

Storage: all of a history's state — buffers, counters, version, status, the live copy — is arrays of one
`shm.ArrayBlock`. `History(..., shared=True)` puts that block in shared memory with a multiprocessing lock, so the
training process writes and the window's process reads the same arrays through `History.attach`; the class and
its code are the same either way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .shm import ArrayBlock, BlockHandle, layout, shm_free_bytes
from .stats import SKETCH_WIDTH

if TYPE_CHECKING:  # builder imports torch; a history does not need it (core.remote relies on that)
    from .builder import ParamInfo

FULL_TRACE_LIMIT = 20_000  # nets with fewer weights get every weight traced every step
SAMPLED_TRACE_TARGET = 2_048  # otherwise about this many weights are traced, spread over the parameters
MIN_TRACED_PER_PARAM = 32
SNAPSHOT_BUDGET = 256 << 20  # bytes for full snapshots of every parameter (and its gradient)
TRACE_BUDGET = 128 << 20  # bytes for the per-step values of the traced weights
SERIES_CAPACITY = 1 << 20  # rows of the per-step and per-epoch series before they thin themselves
SKETCH_BUDGET = 16 << 20  # bytes for the per-parameter distribution sketches
SKETCH_SAMPLE = 1024  # values of a parameter (and of its gradient) a sketch reads at most
SKETCH_FIXED_COST = 16384  # a sketch's fixed cost (some 30 numpy calls, cache-cold in the loop), in sorted values
SKETCH_VALUES_PER_STEP = 1024  # amortised sketch work a step may cost, in sorted values
SHM_SHARE = 0.25  # at most this part of the free shared memory per shared history: a reset briefly holds two


class DecimatingBuffer:
    """Rows of equal length appended in order, keyed by step, bounded to `capacity` rows.

    When full, every other row is dropped and the stride doubles; afterwards only every `stride`-th offered row
    is stored. Its state is four arrays of an `ArrayBlock` (counters, keys, the latest row, the rows), so it reads
    and writes the same whether the block is local or shared. Storage is the whole capacity from the start: the
    OS commits only the pages rows are written to, so a short run costs what it wrote.
    """

    _SIZE, _STRIDE, _OFFERED, _LATEST_KEY, _HAS_LATEST, _HIGH_WATER = range(6)
    N_COUNTERS = 6

    def __init__(self, row_len: int, capacity: int, dtype=np.float32, block: ArrayBlock | None = None,
                 name: str = "buffer"):
        """A buffer over `block`'s arrays called `name.*` (see `fields`); a local block of its own when None."""
        self.row_len, self.capacity, self.dtype = row_len, self.rows_for(capacity), np.dtype(dtype)
        if block is None:
            block = ArrayBlock(self.fields(name, row_len, self.capacity, dtype))
            self.initialize_counters(block, name)
        self._keys, self._latest, self._rows = (block[f"{name}.{part}"] for part in ("keys", "latest", "rows"))
        # Counters are read and written a dozen times per append: a memoryview's items are plain ints, about
        # twice as fast as numpy scalars.
        self._counters = memoryview(block[f"{name}.counters"])

    @staticmethod
    def rows_for(capacity: int) -> int:
        """The capacity a buffer asked for `capacity` rows really has (at least 1: the first row; the latest is kept
        beside the rows)."""
        return max(1, int(capacity))

    @staticmethod
    def rows_within(budget: int, row_bytes: int) -> int:
        """Rows a tier of `row_bytes`-byte rows keeps within `budget` bytes: as many as fit, at least 4 (first,
        latest and room to thin); unless 4 rows and the latest row beside them exceed the budget (a ResNet-18's
        snapshot of 11 M weights and their gradients is 85 MiB): then the rows give way, as many as fit beside
        the latest, at least the first."""
        fit = budget // max(1, row_bytes)
        return max(4, fit) if 5 * row_bytes <= budget else max(1, fit - 1)

    @classmethod
    def fields(cls, name: str, row_len: int, capacity: int, dtype) -> list:
        dtype = str(np.dtype(dtype))
        return [(f"{name}.counters", "int64", (cls.N_COUNTERS,)), (f"{name}.keys", "int64", (capacity,)),
                (f"{name}.latest", dtype, (row_len,)), (f"{name}.rows", dtype, (capacity, row_len))]

    @classmethod
    def initialize_counters(cls, block: ArrayBlock, name: str) -> None:
        """Empty, stride 1: done once, by whoever made the block."""
        counters = block[f"{name}.counters"]
        counters[:] = 0
        counters[cls._STRIDE] = 1

    @property
    def size(self) -> int:
        return self._counters[self._SIZE]

    @property
    def stride(self) -> int:
        return self._counters[self._STRIDE]

    @property
    def latest_key(self) -> int | None:
        return self._counters[self._LATEST_KEY] if self._counters[self._HAS_LATEST] else None

    def append(self, key: int, row: np.ndarray) -> None:
        c = self._counters
        self._latest[:] = row
        c[self._LATEST_KEY], c[self._HAS_LATEST] = int(key), 1
        offered = c[self._OFFERED]
        c[self._OFFERED] = offered + 1
        stride = c[self._STRIDE]
        if offered % stride:
            return
        size = c[self._SIZE]
        if size == self.capacity:
            n = (size + 1) // 2
            self._rows[:n] = self._rows[0:size:2]
            self._keys[:n] = self._keys[0:size:2]
            size, stride = n, stride * 2
            c[self._STRIDE] = stride
            c[self._SIZE] = size
            if offered % stride:
                return
        self._rows[size] = row
        self._keys[size] = key
        c[self._SIZE] = size + 1
        if size + 1 > c[self._HIGH_WATER]:
            c[self._HIGH_WATER] = size + 1

    def extend(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """`append` of each of `rows` [n, row_len] in order, with the same result, in a few slice copies."""
        n = len(keys)
        if not n:
            return
        c, cap = self._counters, self.capacity
        self._latest[:] = rows[-1]
        c[self._LATEST_KEY], c[self._HAS_LATEST] = int(keys[-1]), 1
        offered, stride, size, i = c[self._OFFERED], c[self._STRIDE], c[self._SIZE], 0
        high = size
        while i < n:
            skip = -offered % stride  # rows offered before the next one the stride keeps
            if i + skip >= n:
                offered += n - i
                break
            i, offered = i + skip, offered + skip
            if size == cap:  # thin, as append does; the row at `offered` may no longer be kept
                high = cap
                half = (size + 1) // 2
                self._rows[:half] = self._rows[0:size:2]
                self._keys[:half] = self._keys[0:size:2]
                size, stride = half, stride * 2
                continue
            take = min(cap - size, -(-(n - i) // stride))
            self._rows[size:size + take] = rows[i:i + take * stride:stride]
            self._keys[size:size + take] = keys[i:i + take * stride:stride]
            size += take
            used = min(take * stride, n - i)
            i, offered = i + used, offered + used
        c[self._OFFERED], c[self._STRIDE], c[self._SIZE] = offered, stride, size
        c[self._HIGH_WATER] = max(c[self._HIGH_WATER], high, size)

    def keys(self, with_latest: bool = True) -> np.ndarray:
        keys = self._keys[: self.size]
        if with_latest and self._latest_missing():
            keys = np.append(keys, self.latest_key)
        return keys.copy()

    def rows(self, with_latest: bool = True) -> np.ndarray:
        rows = self._rows[: self.size]
        if with_latest and self._latest_missing():
            rows = np.concatenate([rows, self._latest[None]])
        return rows.copy()

    def row(self, i: int) -> np.ndarray:
        """Row `i` of `rows()` (negative counts from the end), without copying the whole buffer."""
        size = self.size
        n = size + (1 if self._latest_missing() else 0)
        i = i + n if i < 0 else i
        if not 0 <= i < n:
            raise IndexError(i)
        return (self._rows[i] if i < size else self._latest).copy()

    def __len__(self) -> int:
        return self.size + (1 if self._latest_missing() else 0)

    @property
    def nbytes(self) -> int:
        """Bytes written so far (the pages the OS has committed), not the reserved capacity."""
        used = self._counters[self._HIGH_WATER]
        return used * (self._rows.itemsize * self.row_len + 8) + self._latest.nbytes + self._counters.nbytes

    def _latest_missing(self) -> bool:
        size = self.size
        return bool(self._counters[self._HAS_LATEST]) and (size == 0 or self._keys[size - 1] != self.latest_key)


@dataclass
class Snapshot:
    """All parameters (and the gradient that produced them) at one recorded moment."""

    step: int
    epoch: int
    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]  # NaN-filled for the initial state: no gradient has been computed yet


def choose_sketched(params: list[ParamInfo], seed: int = 0) -> list[np.ndarray] | None:
    """For each parameter, the flat indices its distribution sketch reads (a fixed sample of `SKETCH_SAMPLE` for
    larger ones); None when every parameter is read whole."""
    if all(p.count <= SKETCH_SAMPLE for p in params):
        return None
    rng = np.random.default_rng(seed + 1)
    return [np.arange(p.count) if p.count <= SKETCH_SAMPLE else np.sort(rng.choice(p.count, SKETCH_SAMPLE, False))
            for p in params]


def sketch_every(n_values: int) -> int:
    """Steps between sketches of `n_values` values: about `SKETCH_VALUES_PER_STEP` sorted values a step."""
    return -(-(SKETCH_FIXED_COST + int(n_values)) // SKETCH_VALUES_PER_STEP)


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

_VERSION, _LIVE_STEP, _STATUS_LEN, _MESSAGE_LEN = range(4)
_STATUS_BYTES, _MESSAGE_BYTES = 64, 4096


@dataclass(frozen=True)
class HistoryHandle:
    """Everything another process needs to attach to a shared `History` but the lock, which multiprocessing lets
    travel only while a process is being spawned. Plain data: send it through any queue or pipe."""

    block: BlockHandle
    params: list[ParamInfo]
    steps_per_epoch: int
    trace_seed: int
    shapes: dict[str, tuple[int, int, type]]


class History:
    """Everything recorded about one run; see the module docstring for the tiers, the locking rule and storage."""

    def __init__(self, params: list[ParamInfo], steps_per_epoch: int, snapshot_budget: int | None = None,
                 trace_budget: int | None = None, trace_seed: int = 0, *, shared: bool = False, lock=None):
        """A new, empty history; `shared=True` puts it in shared memory, guarded by `lock` (a multiprocessing Lock
        every attaching process shares)."""
        self._describe(params, steps_per_epoch, trace_seed)
        shapes = self._buffer_shapes(SNAPSHOT_BUDGET if snapshot_budget is None else snapshot_budget,
                                     TRACE_BUDGET if trace_budget is None else trace_budget)
        if shared:
            shapes = self._fit_free_memory(shapes)
        fields = self._fields(shapes)
        block = ArrayBlock.shared(fields) if shared else ArrayBlock(fields)
        for name in shapes:
            DecimatingBuffer.initialize_counters(block, name)
        self._bind(block, shapes, lock if lock is not None else threading.Lock())
        self.version = 0
        self._live = None
        self.status = "ready"
        self.message = ""

    @classmethod
    def attach(cls, handle: HistoryHandle, lock) -> "History":
        """The shared history another process created, as it stands now and as it goes on."""
        self = cls.__new__(cls)
        self._describe(handle.params, handle.steps_per_epoch, handle.trace_seed)
        self._bind(ArrayBlock.attach(handle.block), handle.shapes, lock)
        return self

    def handle(self) -> HistoryHandle:
        return HistoryHandle(self._block.handle(), self.params, self.steps_per_epoch, self.trace_seed, self._shapes)

    @property
    def segment_name(self) -> str:
        """The shared-memory segment's name (in /dev/shm); TypeError for a local history."""
        return self._block.handle().segment

    def release(self) -> None:
        """Remove a shared history's segment name (once, from the owning process); readers still work."""
        self._block.release()

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
        self.sketched = choose_sketched(params, trace_seed)
        self.sketch_sizes = [p.count if self.sketched is None else len(i) for p, i in
                             zip(params, self.sketched or params)]
        self.sketch_every = sketch_every(2 * sum(self.sketch_sizes))

    @property
    def _sketch_row_len(self) -> int:
        return 2 * len(self.params) * SKETCH_WIDTH

    def _buffer_shapes(self, snapshot_budget: int, trace_budget: int) -> dict[str, tuple[int, int, type]]:
        """{buffer attribute: (row length, capacity in rows, dtype)} for the tiers."""
        within = DecimatingBuffer.rows_within
        return {
            "steps": (len(STEP_COLUMNS) + 2 * len(self.params), SERIES_CAPACITY, np.float64),
            "traces": (self.n_traced, within(trace_budget, 4 * self.n_traced), np.float32),
            "snapshots": (2 * self.total_weights, within(snapshot_budget, 8 * self.total_weights), np.float32),
            "epochs": (len(EPOCH_COLUMNS), SERIES_CAPACITY, np.float64),
            "sketches": (self._sketch_row_len, min(SERIES_CAPACITY, within(SKETCH_BUDGET, 4 * self._sketch_row_len)),
                         np.float32),
        }

    def _fields(self, shapes) -> list:
        fields = [("header", "int64", (4,)), ("status", "uint8", (_STATUS_BYTES,)),
                  ("message", "uint8", (_MESSAGE_BYTES,)), ("live", "float32", (self.total_weights,))]
        for name, (row_len, capacity, dtype) in shapes.items():
            fields += DecimatingBuffer.fields(name, row_len, capacity, dtype)
        return fields

    def _fit_free_memory(self, shapes):
        """Shrink every tier alike when the budgets would not fit in the free shared memory: writing past the end
        of a full tmpfs kills the writer (SIGBUS), a smaller budget only thins the history sooner."""
        free = shm_free_bytes()
        need = layout(self._fields(shapes))[1]
        if free is None or need <= SHM_SHARE * free:
            return shapes
        scale = SHM_SHARE * free / need  # never below 4 rows, nor above what the budget gave
        return {k: (n, max(min(cap, 4), int(cap * scale)), dt) for k, (n, cap, dt) in shapes.items()}

    def _bind(self, block: ArrayBlock, shapes, lock) -> None:
        self._block, self._shapes, self.lock = block, shapes, lock
        self._header = memoryview(block["header"])  # plain-int items, as for the buffers' counters
        self._status, self._message, self._live_params = block["status"], block["message"], block["live"]
        for name, (row_len, capacity, dtype) in shapes.items():
            setattr(self, name, DecimatingBuffer(row_len, capacity, dtype, block, name))

    # ---- the state kept in the block's header, so another process sees it ----
    def _text_slot(store: str, length_slot: int):  # noqa: N805 - a property factory used in the class body
        """A str property kept as UTF-8 bytes in the array at `store`, its length in header slot `length_slot`."""

        def get(self) -> str:
            return getattr(self, store)[: self._header[length_slot]].tobytes().decode("utf-8", "ignore")

        def put(self, text: str) -> None:
            data = text.encode("utf-8")[: len(getattr(self, store))]
            getattr(self, store)[: len(data)] = np.frombuffer(data, np.uint8)
            self._header[length_slot] = len(data)

        return property(get, put)

    status = _text_slot("_status", _STATUS_LEN)
    message = _text_slot("_message", _MESSAGE_LEN)
    del _text_slot

    @property
    def version(self) -> int:
        return self._header[_VERSION]

    @version.setter
    def version(self, value: int) -> None:
        self._header[_VERSION] = value

    @property
    def _live(self) -> tuple[int, np.ndarray] | None:
        step = self._header[_LIVE_STEP]
        return None if step < 0 else (step, self._live_params.copy())

    @_live.setter
    def _live(self, value: tuple[int, np.ndarray] | None) -> None:
        if value is not None:
            self._live_params[:] = value[1]
        self._header[_LIVE_STEP] = -1 if value is None else int(value[0])

    # ---- writing (engine thread) ----
    def record_step(self, step: int, epoch: float, loss: float, acc: float, lr: float,
                    grad_norms: np.ndarray, traced_values: np.ndarray, update_ratios: np.ndarray | None = None) -> None:
        ratios = np.full(len(self.params), np.nan) if update_ratios is None else update_ratios
        row = np.concatenate([[epoch, loss, acc, lr], grad_norms, ratios])
        with self.lock:
            self.steps.append(step, row)
            self.traces.append(step, traced_values)
            self.version += 1

    def record_steps(self, steps: np.ndarray, step_rows: np.ndarray, traced_rows: np.ndarray) -> None:
        """Several steps at once, as `record_step` would record them one by one: `step_rows` [n, steps row]
        (epoch, loss, accuracy, lr, gradient norms, update ratios), `traced_rows` [n, traced]. One lock and one
        version for all: the engine hands its rows over in blocks (engine.py, `_Pending`)."""
        with self.lock:
            self.steps.extend(steps, step_rows)
            self.traces.extend(steps, traced_rows)
            self.version += 1

    def record_epochs(self, epochs: np.ndarray, epoch_rows: np.ndarray, snapshot_steps: np.ndarray,
                      snapshot_rows: np.ndarray) -> None:
        """Several epochs at once, as `record_epoch` would: `epoch_rows` [n, EPOCH_COLUMNS], `snapshot_rows`
        [n, parameters then gradients] (a full-batch run ends an epoch every step)."""
        with self.lock:
            self.snapshots.extend(snapshot_steps, snapshot_rows)
            self.epochs.extend(epochs, epoch_rows)
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

    def record_sketch(self, step: int, sketches: np.ndarray) -> None:
        """Step `step`'s distribution sketches [2 × parameters, SKETCH_WIDTH]: every parameter's weights, then
        every parameter's gradients (see `sketch_columns`)."""
        with self.lock:
            self.sketches.append(step, sketches.reshape(-1))
            self.version += 1

    def record_live(self, step: int, flat_params: np.ndarray) -> None:
        """The newest parameters between epoch snapshots, for live views of nets with long epochs."""
        with self.lock:
            self._live = (step, flat_params)
            self.version += 1

    def load_tier(self, tier: str, keys: np.ndarray, rows: np.ndarray) -> None:
        """Append recorded rows to tier `tier` ("steps", "traces", "snapshots", "epochs", "sketches"), as a run
        folder holds them; the tier thins itself as in training if they exceed its budget. Steps rows without the
        update-ratio columns (older files) get NaN there."""
        buffer = getattr(self, tier)
        if not len(keys):
            return
        rows = np.asarray(rows, buffer.dtype).reshape(len(keys), -1)
        if rows.shape[1] < buffer.row_len and tier == "steps":  # a file from before the update ratios: NaN
            rows = np.hstack([rows, np.full((len(keys), buffer.row_len - rows.shape[1]), np.nan)])
        rows = rows.reshape(len(keys), buffer.row_len)
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
        out["grad_norm"] = rows[:, len(STEP_COLUMNS):len(STEP_COLUMNS) + len(self.params)]
        return out

    def update_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, update_ratio[n, n_params]): ‖ΔW‖/‖W‖ of each parameter at each step, the weights' change that
        step over their norm before it (NaN where not recorded: the first step of a zero-initialised bias, a run
        loaded from a file written without them). A parameter of more than `SKETCH_SAMPLE` weights has it
        estimated from a fixed sample: the sketch's when every weight is traced, else the traced one."""
        with self.lock:
            keys, rows = self.steps.keys(False), self.steps.rows(False)
        return keys, rows[:, len(STEP_COLUMNS) + len(self.params):]

    def update_columns(self) -> np.ndarray:
        """The steps tier's columns holding the update ratios, in parameter order (for a `BufferMirror`)."""
        n = len(self.params)
        return np.arange(len(STEP_COLUMNS) + n, len(STEP_COLUMNS) + 2 * n)

    def grad_norm_columns(self) -> np.ndarray:
        n = len(self.params)
        return np.arange(len(STEP_COLUMNS), len(STEP_COLUMNS) + n)

    def sketch_columns(self, name: str, gradient: bool = False) -> slice:
        """The columns of a sketches row holding parameter `name`'s weight (or gradient) sketch."""
        i = self.names.index(name) + (len(self.params) if gradient else 0)
        return slice(i * SKETCH_WIDTH, (i + 1) * SKETCH_WIDTH)

    def sketch_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, sketches[n, 2 × n_params, SKETCH_WIDTH]): weights' sketches, then gradients' (NaN at step 0)."""
        with self.lock:
            keys, rows = self.sketches.keys(), self.sketches.rows()
        return keys, rows.reshape(len(keys), 2 * len(self.params), SKETCH_WIDTH)

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
        return (self.steps.nbytes + self.traces.nbytes + self.snapshots.nbytes + self.epochs.nbytes
                + self.sketches.nbytes)

    @property
    def is_shared(self) -> bool:
        return self._block.is_shared

    def _bounds(self):
        return [(p, int(self._offsets[i]), int(self._offsets[i + 1])) for i, p in enumerate(self.params)]

    def _split(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return {p.name: flat[a:b].reshape(p.shape) for p, a, b in self._bounds()}
