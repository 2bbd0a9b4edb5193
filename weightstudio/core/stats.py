"""Cheap per-step statistics of a net's parameters, shared by the engine (which records them) and the views (which
compute the same numbers from snapshots or traces when a history lacks them, e.g. a run folder written before).

* `UpdateRatios`: ‖ΔW‖/‖W‖ per parameter between two consecutive copies of the traced weights;
* `Sketcher`: a distribution sketch per segment (a parameter's weights, or its gradient): TensorBoard's nine
  percentiles and a `SKETCH_BINS`-bin histogram between the segment's min and max, all segments in one sort;
* `histogram_image`: sketches over time resampled onto one value grid, the time × value image of counts.

numpy only (no torch, no Qt): core.history imports the layout, and the window reads these in its own process.
"""

from __future__ import annotations

import numpy as np

# TensorBoard's distribution bands: min, ±1.5σ, ±1σ, ±0.5σ of a normal, median, max (as quantiles).
SKETCH_QUANTILES = (0.0, 0.0668, 0.1587, 0.3085, 0.5, 0.6915, 0.8413, 0.9332, 1.0)
SKETCH_BINS = 30
SKETCH_WIDTH = len(SKETCH_QUANTILES) + SKETCH_BINS  # floats per segment: quantiles, then bin counts
MEDIAN = SKETCH_QUANTILES.index(0.5)
_GAP = 4.0  # segment s's keys lie in [s·_GAP, s·_GAP + 1]: one sort orders every segment at once


def segment_starts(sizes) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)


class UpdateRatios:
    """‖W_t − W_{t−1}‖ / ‖W_{t−1}‖ per parameter from consecutive copies of the traced weights (every weight of a
    small net; a fixed per-parameter sample of a large one, whose ratio estimates the parameter's).

    It runs every step, so it is six numpy calls, in float64 (a diverging float32 weight's square overflows float32
    before the engine sees a non-finite value), ‖W_{t−1}‖² carried over from the previous call. A parameter whose previous norm is 0 (a zero-initialised bias before its
    first step) gives NaN.
    """

    def __init__(self, sizes):
        self.sizes = np.asarray(sizes, np.intp)
        if (self.sizes <= 0).any():
            raise ValueError("every parameter needs at least one traced value")
        self.starts = segment_starts(self.sizes)
        self._both = np.empty((2, int(self.sizes.sum())), np.float64)
        self._prev_sq = np.full(len(self.sizes), np.nan)

    def start(self, values: np.ndarray) -> None:
        """The weights before the first step."""
        self._prev_sq = self._nan_zeros(np.add.reduceat(np.square(values, dtype=np.float64), self.starts))

    def __call__(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        both = self._both
        np.subtract(cur, prev, out=both[0], dtype=np.float64)
        both[1] = cur
        np.square(both, out=both)
        sums = np.add.reduceat(both, self.starts, axis=1)
        out = np.sqrt(sums[0] / self._prev_sq)  # a NaN denominator (norm 0) gives NaN without a warning
        self._prev_sq = sums[1] if sums[1].all() else self._nan_zeros(sums[1])
        return out

    def of_rows(self, prev: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """`__call__` for each of consecutive rows [n, Σ sizes] after `prev`, in one pass: [n, segments] (the
        engine's block of steps at each hand-over)."""
        cur = np.array(rows, np.float64)  # a copy: squared in place below
        diff = np.empty_like(cur)
        diff[0] = prev
        diff[1:] = cur[:-1]
        np.subtract(cur, diff, out=diff)
        np.square(diff, out=diff)
        d = np.add.reduceat(diff, self.starts, axis=1)
        np.square(cur, out=cur)
        sq = np.add.reduceat(cur, self.starts, axis=1)
        before = np.empty_like(sq)  # ‖W_{t−1}‖², NaN where 0
        before[0] = self._prev_sq
        before[1:] = self._nan_zeros(sq[:-1].copy())
        self._prev_sq = self._nan_zeros(sq[-1].copy())
        return np.sqrt(d / before)

    @staticmethod
    def _nan_zeros(sq: np.ndarray) -> np.ndarray:
        np.copyto(sq, np.nan, where=sq == 0)
        return sq


def ratios_of_rows(rows: np.ndarray, sizes) -> np.ndarray:
    """‖row_t − row_{t−1}‖ / ‖row_{t−1}‖ per segment for consecutive rows [n, Σ sizes] → [n − 1, segments]: the
    update ratios of a recorded series (traced weights) that has no recorded ones; NaN where a norm is 0."""
    rows = np.asarray(rows, np.float64)
    if len(rows) < 2:
        return np.zeros((0, len(sizes)))
    starts = segment_starts(sizes)
    d = np.add.reduceat(np.square(np.diff(rows, axis=0)), starts, axis=1)
    w = np.add.reduceat(np.square(rows[:-1]), starts, axis=1)
    w[w == 0] = np.nan
    return np.sqrt(d / w)


class Sketcher:
    """Distribution sketches of consecutive segments of one flat array, all in one sort.

    A sketch is `SKETCH_WIDTH` floats: the `SKETCH_QUANTILES` (linear interpolation between order statistics; the
    first is the minimum, the last the maximum), then the counts of `SKETCH_BINS` equal bins from min to max (the
    last bin includes the maximum); a segment whose values are all equal has them all in the middle bin. A
    segment holding a non-finite value is all NaN.

    Each value is mapped into its segment's slot [s·4, s·4 + 1] of one float64 key, so a single `np.sort` orders
    every segment (about 30 numpy calls in all, whatever the number of segments); quantiles read back from the
    sorted keys are exact to ~1e-13 of the segment's range.
    """

    def __init__(self, sizes):
        self.sizes = np.asarray(sizes, np.intp)
        if (self.sizes <= 0).any():
            raise ValueError("every segment needs at least one value")
        self.k = k = len(self.sizes)
        self.starts = segment_starts(self.sizes)
        self._base = np.repeat(np.arange(k) * _GAP, self.sizes)
        q = np.asarray(SKETCH_QUANTILES)
        last = self.starts + self.sizes - 1
        pos = self.starts[:, None] + q[None, :] * (self.sizes - 1)[:, None]
        self._lo_pos = np.floor(pos).astype(np.intp)
        self._hi_pos = np.minimum(self._lo_pos + 1, last[:, None])
        self._frac = pos - self._lo_pos
        self._keep = 1.0 - self._frac
        self._seg_base = (np.arange(k) * _GAP)[:, None]
        self._edges = (self._seg_base + np.linspace(0.0, 1.0, SKETCH_BINS + 1)[None, :]).reshape(-1)
        self._ends = self.starts + self.sizes
        self._nq = len(SKETCH_QUANTILES)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        """[segments, SKETCH_WIDTH] float32 sketches of `values` (the segments concatenated)."""
        v = np.asarray(values, np.float64)
        lo = np.minimum.reduceat(v, self.starts)
        span = np.maximum.reduceat(v, self.starts) - lo
        bad = None
        if not np.isfinite(span.sum()):  # rare: a diverging step's gradient
            bad = ~np.isfinite(span)
            lo[bad], span[bad] = 0.0, 1.0
            v = np.where(np.repeat(bad, self.sizes), 0.5, v)  # in range: those rows are NaN-ed below
        flat = span <= 0  # one value (a 1-unit bias), or all equal
        any_flat = flat.any()
        if any_flat:
            span[flat] = 1.0
        keys = v - np.repeat(lo, self.sizes)
        keys *= np.repeat(1.0 / span, self.sizes)
        keys += self._base
        keys.sort()
        rel = keys[self._lo_pos] * self._keep + keys[self._hi_pos] * self._frac  # interpolated order statistics
        out = np.empty((self.k, SKETCH_WIDTH), np.float32)
        nq = self._nq
        out[:, :nq] = (rel - self._seg_base) * span[:, None] + lo[:, None]
        pos = np.searchsorted(keys, self._edges).reshape(self.k, SKETCH_BINS + 1)
        pos[:, -1] = self._ends
        out[:, nq:] = pos[:, 1:] - pos[:, :-1]
        if any_flat:
            out[flat, :nq] = lo[flat, None]
            out[flat, nq:] = 0
            out[flat, nq + SKETCH_BINS // 2] = self.sizes[flat]
        if bad is not None:
            out[bad] = np.nan
        return out


def histogram_image(sketches: np.ndarray, lo: float, hi: float, rows: int) -> np.ndarray:
    """Sketches [t, SKETCH_WIDTH] → counts [rows, t] on `rows` equal value bins from `lo` to `hi`: each sketch's
    histogram is spread over the grid by the overlap of its bins with the grid's (its cumulative count,
    interpolated linearly). A sketch of one value puts all of it in the grid bin holding it; NaN sketches give NaN
    columns. Vectorised over t: the view redraws it while a run streams."""
    sk = np.asarray(sketches, np.float64).reshape(-1, SKETCH_WIDTH)
    t = len(sk)
    nq = len(SKETCH_QUANTILES)
    a, b = sk[:, 0], sk[:, nq - 1]
    counts = sk[:, nq:]
    ok = np.isfinite(a) & np.isfinite(b) & np.isfinite(counts).all(1)
    grid = np.linspace(lo, hi, rows + 1)
    cum = np.zeros((t, SKETCH_BINS + 1))
    np.cumsum(np.where(ok[:, None], counts, 0.0), axis=1, out=cum[:, 1:])
    span = np.where(b > a, b - a, 1.0)
    with np.errstate(invalid="ignore"):
        pos = np.clip((grid[None, :] - a[:, None]) / span[:, None] * SKETCH_BINS, 0.0, SKETCH_BINS)  # [t, rows+1]
    pos = np.where(np.isfinite(pos), pos, 0.0)
    i = np.minimum(pos.astype(np.intp), SKETCH_BINS - 1)
    frac = pos - i
    r = np.arange(t)[:, None]
    at = cum[r, i] + frac * (cum[r, i + 1] - cum[r, i])  # the cumulative count at each grid edge
    img = np.diff(at, axis=1)
    single = ok & (b <= a)
    if single.any():  # one value: all of it in the grid bin holding it
        j = np.clip(np.searchsorted(grid, a[single], side="right") - 1, 0, rows - 1)
        img[single] = 0.0
        img[np.flatnonzero(single), j] = counts[single].sum(1)
    img[~ok] = np.nan
    return np.ascontiguousarray(img.T, np.float32)
