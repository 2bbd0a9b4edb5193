"""Qt-free arithmetic of drawing long series: read a history buffer incrementally, reduce it to what a plot can show.

* `BufferMirror`: an incremental copy of a history buffer's rows (only the new rows are read on each sync);
* `decimate` and `Envelope`: min/max ("peak") reduction to about two points per pixel column, one-shot and
  streaming, so spikes survive and a refresh costs the same whatever the run's length;
* `StickyRange` and `zoom_slice`: when a plot's range must move, and which rows a zoomed-in plot needs;
* small numeric helpers shared by the views: `spread`, `flatten_lines`, `nice_ceiling`.

The GUI views (weightstudio/gui/views) build on these; they live here so that tests run them without Qt. This
module imports numpy only: no PySide6, pyqtgraph or torch (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import math

import numpy as np

Range = tuple[float, float, float, float]  # x0, x1, y0, y1


# ---- data in: incremental mirrors of history buffers ---------------------------------------------------------


class BufferMirror:
    """An incremental copy of selected columns of one `DecimatingBuffer` of a `History`.

    `History.trace_data()`/`step_data()` copy the whole buffer on each call (up to the tier's byte budget, 128 MiB
    for traces) while holding the lock the training thread writes under. A view polling at 10–30 Hz would spend
    most of its time copying, and stall the trainer. The mirror instead copies only the rows appended since the
    last sync (one `row(i)` each), using the buffer's public API under `history.lock`, and reloads everything only
    when the buffer has decimated itself (its stride changed), which happens a few times per run at most.

    `generation` increments on every full reload, so reducers built on the mirror know to start over.
    """

    def __init__(self, buffer_name: str, columns: np.ndarray | None = None, with_latest: bool = False):
        self.buffer_name = buffer_name
        self.columns = None if columns is None else np.asarray(columns, np.intp)
        self.with_latest = with_latest
        self.generation = 0
        self._buffer = None
        self._reset()

    def _reset(self) -> None:
        self.n = 0
        self.stride = None
        self._keys = np.empty(0, np.int64)
        self._rows: np.ndarray | None = None
        self.tail: tuple[int, np.ndarray] | None = None  # newest row when the buffer did not store it (stride > 1)
        self.generation += 1

    @property
    def keys(self) -> np.ndarray:
        return self._keys[: self.n]

    @property
    def rows(self) -> np.ndarray:
        if self._rows is None:
            return np.empty((0, 0 if self.columns is None else len(self.columns)), np.float32)
        return self._rows[: self.n]

    def all_keys(self) -> np.ndarray:
        """Stored keys plus the tail's."""
        return self.keys if self.tail is None else np.append(self.keys, self.tail[0])

    def all_rows(self) -> np.ndarray:
        return self.rows if self.tail is None else np.concatenate([self.rows, self.tail[1][None]])

    def _select(self, rows: np.ndarray) -> np.ndarray:
        return rows if self.columns is None else rows[..., self.columns]

    def _append(self, keys: np.ndarray, rows: np.ndarray) -> None:
        need = self.n + len(keys)
        if self._rows is None or need > len(self._rows):  # grow by doubling: appends stay amortised O(new rows)
            cap = max(64, need, 2 * (0 if self._rows is None else len(self._rows)))
            new_rows = np.empty((cap, rows.shape[1]), rows.dtype)
            new_keys = np.empty(cap, np.int64)
            if self._rows is not None and self.n:
                new_rows[: self.n] = self._rows[: self.n]
                new_keys[: self.n] = self._keys[: self.n]
            self._rows, self._keys = new_rows, new_keys
        self._rows[self.n:need] = rows
        self._keys[self.n:need] = keys
        self.n = need

    def _pull(self, buf) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The (keys, rows) to append from `buf` (after a reset when it thinned itself); (None, None) if none.
        Called under the history's lock."""
        size, stride = buf.size, buf.stride
        if buf is not self._buffer or stride != self.stride or size < self.n:
            self._buffer = buf
            self._reset()
            self.stride = stride
            return buf.keys(False), self._select(buf.rows(False))
        if size == self.n:
            return None, None
        keys = buf.keys(False)[self.n:]
        if size - self.n > max(512, size // 4):  # a big catch-up: one slice beats many row copies
            return keys, self._select(buf.rows(False)[self.n:])
        return keys, np.stack([self._select(buf.row(i)) for i in range(self.n, size)])

    def sync(self, history) -> bool:
        """Bring the mirror up to date with `history`; True when anything changed."""
        buf = getattr(history, self.buffer_name)
        with history.lock:
            keys, rows = self._pull(buf)
            tail = None
            if self.with_latest and len(buf) > buf.size:
                tail = (int(buf.latest_key), self._select(buf.row(-1)))
        changed = keys is not None  # new rows, or a reload (which may have no rows)
        if keys is not None and len(keys):
            self._append(keys, rows)
        if (tail is None) != (self.tail is None) or (tail is not None and tail[0] != self.tail[0]):
            changed = True
        self.tail = tail
        return changed


# ---- data out: about two points per pixel column -------------------------------------------------------------


def _pairs(x0, x1, mins, maxs, first, last) -> tuple[np.ndarray, np.ndarray]:
    """Two points per bucket: (x0, ·) and (x1, ·), the extremes in the order the series visited them (a falling
    bucket draws max then min), so a coarse bucket does not zig-zag."""
    b = len(x0)
    xo = np.empty(2 * b, np.float64)
    xo[0::2], xo[1::2] = x0, x1
    falling = first > last
    vo = np.empty((2 * b,) + mins.shape[1:], np.float32)
    vo[0::2] = np.where(falling, maxs, mins)
    vo[1::2] = np.where(falling, mins, maxs)
    return xo, vo


def decimate(x: np.ndarray, v: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """Min/max ("peak") reduction of rows `v[n, k]` at positions `x[n]` to at most `2 * buckets` rows.

    Each bucket (about one pixel column) contributes its minimum and maximum, so spikes survive. Returns the input
    untouched when it is already small enough.
    """
    n = len(x)
    if n <= 2 * buckets:
        return x, v
    starts = np.unique(np.linspace(0, n, buckets + 1).astype(np.intp)[:-1])
    ends = np.append(starts[1:], n) - 1
    mins = np.minimum.reduceat(v, starts, axis=0)
    maxs = np.maximum.reduceat(v, starts, axis=0)
    return _pairs(x[starts], x[ends], mins, maxs, v[starts], v[ends])


class Envelope:
    """Streaming min/max reduction of a growing series `v[n, k]` (k lines sharing x) to ≤ `buckets` buckets.

    Rows are folded into buckets of `m` rows once `m` rows are available; when more than `buckets` buckets exist,
    neighbours merge and `m` doubles. Each refresh therefore costs O(new rows × k + buckets × k) instead of a pass
    over the whole history, whatever the run's length. The rows not yet forming a full bucket are reduced on output.
    `generation` records which `BufferMirror.generation` the envelope was fed from (see `envelope_for`).
    """

    def __init__(self, k: int, buckets: int, generation: int | None = None):
        self.k = k
        self.buckets = max(8, int(buckets))
        self.generation = generation
        self.m = 1
        self.nb = 0
        self.consumed = 0  # always nb * m: bucket i holds rows [i*m, (i+1)*m)
        cap = self.buckets + 1
        self.mins = np.empty((cap, k), np.float32)
        self.maxs = np.empty((cap, k), np.float32)
        self.first = np.empty((cap, k), np.float32)
        self.last = np.empty((cap, k), np.float32)
        self.x0 = np.empty(cap, np.float64)
        self.x1 = np.empty(cap, np.float64)

    def suits(self, buckets: int) -> bool:
        """Whether this envelope's resolution still fits `buckets` (a plot's width in pixels, or the share of a
        vertex budget) within ±25%."""
        return 0.8 <= max(8, int(buckets)) / self.buckets <= 1.25

    def feed(self, x: np.ndarray, v: np.ndarray) -> None:
        """Fold in the rows of `x`, `v` (the whole series so far; rows before `consumed` are not read again)."""
        n = len(x)
        while True:
            q = (n - self.consumed) // self.m
            if q == 0:
                return
            room = self.buckets - self.nb
            if room == 0:
                self._merge()
                continue
            self._fold(x, v, min(q, room))

    def _fold(self, x: np.ndarray, v: np.ndarray, q: int) -> None:
        """Fold the next `q` full buckets of `m` rows."""
        s, m, i = self.consumed, self.m, self.nb
        e = s + q * m
        blk = v[s:e].reshape(q, m, self.k)
        self.first[i:i + q] = blk[:, 0]
        self.last[i:i + q] = blk[:, -1]
        if m == 1:
            self.mins[i:i + q] = blk[:, 0]
            self.maxs[i:i + q] = blk[:, 0]
        else:
            self.mins[i:i + q] = blk.min(1)
            self.maxs[i:i + q] = blk.max(1)
        self.x0[i:i + q] = x[s:e:m]
        self.x1[i:i + q] = x[s + m - 1:e:m]
        self.nb += q
        self.consumed = e

    def _merge(self) -> None:
        if self.nb % 2:
            self.nb -= 1
            self.consumed -= self.m  # the odd bucket out is re-read at the new size
        nb, h = self.nb, self.nb // 2
        self.mins[:h] = np.minimum(self.mins[0:nb:2], self.mins[1:nb:2])
        self.maxs[:h] = np.maximum(self.maxs[0:nb:2], self.maxs[1:nb:2])
        self.first[:h] = self.first[0:nb:2]
        self.last[:h] = self.last[1:nb:2]
        self.x0[:h] = self.x0[0:nb:2]
        self.x1[:h] = self.x1[1:nb:2]
        self.nb = h
        self.m *= 2

    def output(self, x: np.ndarray, v: np.ndarray, max_points: int | None = None,
               extra: tuple[float, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(x[P], y[P, k]) to draw: the buckets as min/max pairs, then the rows of `x`, `v` not folded yet, then
        `extra` (x, row), a newest row that is not part of the stored series. At most about `max_points` rows."""
        tail_x, tail_v = x[self.consumed:], v[self.consumed:]
        if extra is not None:
            tail_x = np.append(tail_x, extra[0])
            tail_v = np.concatenate([tail_v, np.asarray(extra[1], tail_v.dtype).reshape(1, -1)])
        if self.m == 1:  # every row is its own bucket: the series as it is
            xo = np.concatenate([self.x0[:self.nb], tail_x])
            vo = np.concatenate([self.mins[:self.nb], tail_v.astype(np.float32, copy=False)])
            if max_points is not None and len(xo) > max_points:
                return decimate(xo, vo, max(1, max_points // 2))
            return xo, vo
        xo, vo = _pairs(*self._buckets(max_points))
        if len(tail_x):
            if len(tail_x) <= 3:
                tx, tv = np.asarray(tail_x, np.float64), tail_v.astype(np.float32)
            else:  # less than a bucket: its range, then the newest value, so the line ends where the weight is
                tx = np.array([tail_x[0], tail_x[len(tail_x) // 2], tail_x[-1]], np.float64)
                tv = np.stack([tail_v.min(0), tail_v.max(0), tail_v[-1]]).astype(np.float32)
            xo, vo = np.concatenate([xo, tx]), np.concatenate([vo, tv])
        return xo, vo

    def _buckets(self, max_points: int | None) -> tuple[np.ndarray, ...]:
        """(x0, x1, mins, maxs, first, last) of the buckets, merged in groups when more than `max_points` / 2."""
        nb, k = self.nb, self.k
        x0, x1 = self.x0[:nb], self.x1[:nb]
        mins, maxs, first, last = self.mins[:nb], self.maxs[:nb], self.first[:nb], self.last[:nb]
        if max_points is None or 2 * nb <= max_points:
            return x0, x1, mins, maxs, first, last
        g = math.ceil(2 * nb / max_points)  # many lines share a vertex budget: coarser buckets
        full = nb // g * g
        parts = [(x0[:full:g], x1[g - 1:full:g], mins[:full].reshape(-1, g, k).min(1),
                  maxs[:full].reshape(-1, g, k).max(1), first[:full:g], last[g - 1:full:g])]
        if full < nb:  # the leftover buckets make one more
            parts.append((x0[full:full + 1], x1[nb - 1:nb], mins[full:].min(0, keepdims=True),
                          maxs[full:].max(0, keepdims=True), first[full:full + 1], last[nb - 1:nb]))
        return tuple(np.concatenate(c) for c in zip(*parts))


def envelope_for(current: Envelope | None, k: int, buckets: int, generation: int) -> Envelope:
    """`current` if it still serves (same mirror generation, about `buckets` wide), else a fresh, empty one."""
    if current is not None and current.generation == generation and current.suits(buckets):
        return current
    return Envelope(k, buckets, generation)


# ---- ranges ---------------------------------------------------------------------------------------------------


class StickyRange:
    """A plot range that moves only when the data leaves it: the arithmetic behind the views' `RangeKeeper`.

    Refitting on every new point would repaint a plot's axes and their text every frame. Here the range grows in
    steps (25% headroom on the side time grows towards, 10% elsewhere) and is refitted when the data shrinks to
    under half of it (a falling loss). x and y move on their own: a loss falling out of the bottom leaves the x
    axis (and its text) as it was, and a value that leaves the range on one side gets 25% headroom on that side,
    so a steadily falling loss refits its y axis every few frames, not every frame.
    """

    def __init__(self):
        self.range: Range | None = None
        self._growing = True

    def reset(self) -> None:
        self.range = None

    def update(self, x0: float, x1: float, y0: float, y1: float, growing: bool = True) -> Range | None:
        """The new range for data spanning [x0, x1] × [y0, y1], or None when the current one still holds.
        `growing`: the run is still adding data (time runs towards +x), so leave room ahead."""
        if not all(map(math.isfinite, (x0, x1, y0, y1))):
            return None
        r = self.range
        fresh = r is None
        refit_x = fresh or growing != self._growing or x0 < r[0] or x1 > r[1] or (x1 - x0) < 0.5 * (r[1] - r[0])
        refit_y = fresh or y0 < r[2] or y1 > r[3] or (y1 - y0) < 0.5 * (r[3] - r[2])
        if not (refit_x or refit_y):
            return None
        self._growing = growing
        if refit_x:
            xs = (x1 - x0) or 1.0
            x_range = (x0 - 0.02 * xs, x1 + (0.25 if growing else 0.02) * xs)
        else:
            x_range = r[:2]
        if refit_y:
            ys = (y1 - y0) or (abs(y1) * 0.1 or 1.0)
            shrunk = fresh or (y1 - y0) < 0.5 * (r[3] - r[2])
            low = 0.25 if not shrunk and y0 < r[2] else 0.08  # the side the data left gets room to go on
            high = 0.25 if not shrunk and y1 > r[3] else 0.08
            y_range = (y0 - low * ys, y1 + high * ys)
        else:
            y_range = r[2:]
        self.range = (*x_range, *y_range)
        return self.range


def zoom_slice(x: np.ndarray, lo: float, hi: float, buckets: int) -> slice | None:
    """The rows of the sorted `x` inside [lo, hi] (plus one either side) when that window is under half the data's
    span and there are more rows than `buckets` pixel columns can show: a zoomed-in plot then decimates just the
    window, which the full-range envelope would draw too coarsely. None otherwise."""
    if len(x) <= 2 * buckets:
        return None
    span = float(x[-1] - x[0])
    if span <= 0 or hi - lo > 0.5 * span:
        return None
    i0 = max(0, int(np.searchsorted(x, lo)) - 1)
    i1 = min(len(x), int(np.searchsorted(x, hi)) + 1)
    return slice(i0, i1) if i1 - i0 >= 2 else None


# ---- small helpers -------------------------------------------------------------------------------------------


def spread(n: int, k: int) -> np.ndarray:
    """k indices spread evenly over range(n) (all of them when n ≤ k)."""
    return np.arange(n) if n <= k else np.unique(np.linspace(0, n - 1, k).round().astype(int))


def flatten_lines(x: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """k lines v[P, k] sharing x[P] → one (x, y, connect) triple for a single `PlotCurveItem`."""
    p, k = v.shape
    xs = np.tile(x, k)
    ys = np.ascontiguousarray(v.T).reshape(-1)
    connect = np.ones(p * k, bool)
    connect[p - 1::p] = False
    return xs, ys, connect


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ value (value > 0): a round colour-bar
    end that wastes at most a quarter of the colour range."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10**exp >= value * (1 - 1e-6):  # float32 inputs: 0.3 must stay 0.3
            return float(f"{m * 10**exp:.3g}")
    return 10 ** (exp + 1)
