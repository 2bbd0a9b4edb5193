"""The Qt-free series arithmetic the views draw with (weightstudio/core/series.py): no Qt application needed."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from weightstudio.core.history import History
from weightstudio.core.series import (BufferMirror, Envelope, StickyRange, _pairs, decimate, envelope_for,
                                      flatten_lines, nice_ceiling, spread, zoom_slice)


def test_series_imports_neither_qt_nor_torch():
    code = ("import sys, weightstudio.core.series; "
            "print(sorted({'PySide6', 'pyqtgraph', 'torch'} & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- reduction ----


def _walk(n: int, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return np.arange(n, dtype=np.float64), rng.standard_normal((n, k)).cumsum(0).astype(np.float32)


def test_envelope_keeps_extremes_and_bounds_the_points():
    n, k = 100_000, 3
    x, v = _walk(n, k)
    v[54_321, 1] = 1000.0  # a spike must survive
    env = Envelope(k, 500)
    for end in range(0, n + 1, 7_777):  # fed in uneven chunks, as a live run grows
        env.feed(x[:end], v[:end])
    env.feed(x, v)
    xo, vo = env.output(x, v)
    assert len(xo) <= 2 * 500 + 3
    assert np.all(np.diff(xo) >= 0)
    np.testing.assert_array_equal(vo.max(0), v.max(0))
    np.testing.assert_array_equal(vo.min(0), v.min(0))
    assert xo[-1] == x[-1] and np.array_equal(vo[-1], v[-1])  # the line ends at the newest value
    one_shot = Envelope(k, 500)
    one_shot.feed(x, v)
    np.testing.assert_array_equal(one_shot.output(x, v)[1], vo)
    xb, vb = env.output(x, v, max_points=100)
    assert len(xb) <= 100 + 3 and vb.max() == 1000.0
    np.testing.assert_array_equal(vb.min(0), v.min(0))


def test_envelope_appends_a_newest_row_that_is_not_stored():
    x, v = _walk(10, 2)
    env = Envelope(2, 64)
    env.feed(x, v)
    xo, vo = env.output(x, v, extra=(10.5, np.array([7.0, -7.0], np.float32)))
    np.testing.assert_array_equal(xo, np.append(x, 10.5))  # short: every row as it is
    np.testing.assert_array_equal(vo[:-1], v)
    np.testing.assert_array_equal(vo[-1], [7.0, -7.0])


def test_decimate_keeps_spikes_and_leaves_short_series_alone():
    x, v = _walk(100_000, 3, seed=1)
    v[12_345, 2] = -500.0
    xd, vd = decimate(x, v, 200)
    assert len(xd) <= 400 and vd.min() == -500.0
    np.testing.assert_array_equal(vd.max(0), v.max(0))
    xs, vs = decimate(x[:300], v[:300], 200)
    assert np.shares_memory(xs, x) and np.shares_memory(vs, v) and len(xs) == 300  # returned as they are


def test_pairs_draw_a_falling_bucket_max_first():
    mins = np.array([[0.0], [1.0]], np.float32)
    maxs = np.array([[5.0], [4.0]], np.float32)
    first = np.array([[0.0], [4.0]], np.float32)  # bucket 0 rises, bucket 1 falls
    last = np.array([[5.0], [1.0]], np.float32)
    xo, vo = _pairs(np.array([0.0, 2.0]), np.array([1.0, 3.0]), mins, maxs, first, last)
    np.testing.assert_array_equal(xo, [0, 1, 2, 3])
    np.testing.assert_array_equal(vo[:, 0], [0, 5, 4, 1])


def test_envelope_for_rebuilds_only_for_a_new_generation_or_width():
    env = envelope_for(None, 2, 400, generation=1)
    assert envelope_for(env, 2, 450, generation=1) is env  # within ±25%
    assert envelope_for(env, 2, 800, generation=1) is not env
    fresh = envelope_for(env, 2, 400, generation=2)
    assert fresh is not env and fresh.generation == 2 and fresh.nb == 0


# ---- the mirror of a history buffer ----


def _history(trace_budget: int) -> History:
    from weightstudio.core.builder import ParamInfo

    params = [ParamInfo("0.weight", (2, 3), 6, 0, "Linear", (2,))]
    h = History(params, steps_per_epoch=10, trace_budget=trace_budget)
    h.record_initial(np.zeros(6, np.float32), np.zeros(6, np.float32))
    return h


def _step(h: History, step: int) -> None:
    h.record_step(step, step / 10, 1.0, np.nan, 0.1, np.zeros(1), np.arange(6, dtype=np.float32) + step)


def test_buffer_mirror_follows_the_history_through_its_decimation():
    h = _history(trace_budget=4 * 6 * 64)  # 64 rows: decimates early
    mirror = BufferMirror("traces", np.array([1, 4]), with_latest=True)
    gens = set()
    for step in range(1, 1000):
        _step(h, step)
        if step % 37 == 0 or step == 999:
            assert mirror.sync(h)
            gens.add(mirror.generation)
            keys, rows = h.trace_data()
            np.testing.assert_array_equal(mirror.all_keys(), keys)
            np.testing.assert_array_equal(mirror.all_rows(), rows[:, [1, 4]])
    assert len(gens) > 1  # it did reload after the buffer thinned itself
    assert not mirror.sync(h)  # nothing new


def test_buffer_mirror_reads_only_new_rows():
    h = _history(trace_budget=1 << 20)
    mirror = BufferMirror("traces")
    mirror.sync(h)
    for step in range(1, 6):
        _step(h, step)
    generation = mirror.generation
    assert mirror.sync(h)
    assert mirror.generation == generation  # appended, not reloaded
    np.testing.assert_array_equal(mirror.keys, np.arange(6))
    np.testing.assert_array_equal(mirror.rows[-1], np.arange(6) + 5)
    assert mirror.tail is None  # stride 1: every row is stored


# ---- ranges ----


def test_sticky_range_moves_only_when_the_data_leaves_it():
    r = StickyRange()
    first = r.update(0.0, 10.0, 0.0, 1.0, growing=True)
    assert first == pytest.approx((-0.2, 12.5, -0.08, 1.08))  # 25% ahead in time while growing
    assert r.update(0.0, 12.0, 0.0, 1.0, growing=True) is None  # still inside
    assert r.update(0.0, 13.0, 0.0, 1.0, growing=True) is not None  # left it
    assert r.update(0.0, 13.0, 0.0, 0.3, growing=True) is not None  # shrank to under half
    assert r.update(0.0, 13.0, 0.0, 0.3, growing=False)[1] == pytest.approx(13.26)  # finished: 2% margin
    assert r.update(0.0, float("nan"), 0.0, 1.0) is None
    r.reset()
    assert r.range is None
    r.update(0.0, 10.0, 0.0, 1.0, growing=True)
    falling = r.update(0.0, 10.0, -0.1, 1.0, growing=True)  # left at the bottom: x stays, 25% room below
    assert falling[:2] == pytest.approx((-0.2, 12.5)) and falling[2] == pytest.approx(-0.1 - 0.25 * 1.1)
    assert falling[3] == pytest.approx(1.0 + 0.08 * 1.1)
    assert r.update(0.0, 10.0, -0.3, 1.0, growing=True) is None  # within that room: no refit
    later = r.update(0.0, 13.0, -0.3, 1.0, growing=True)  # time left the range: y stays
    assert later[2:] == pytest.approx(falling[2:]) and later[1] == pytest.approx(13 + 0.25 * 13)
    r.reset()
    assert r.range is None


def test_zoom_slice_is_the_window_of_a_zoomed_in_plot():
    x = np.arange(10_000, dtype=np.float64)
    s = zoom_slice(x, 1000.0, 2000.0, buckets=100)
    assert (s.start, s.stop) == (999, 2001)  # one row either side, so the line runs to the edges
    assert zoom_slice(x, 0.0, 9000.0, buckets=100) is None  # most of the data: the envelope serves
    assert zoom_slice(x[:150], 10.0, 20.0, buckets=100) is None  # few rows: drawn as they are


# ---- helpers ----


def test_spread_flatten_and_nice_ceiling():
    np.testing.assert_array_equal(spread(5, 10), np.arange(5))
    idx = spread(1000, 7)
    assert len(idx) == 7 and idx[0] == 0 and idx[-1] == 999
    xs, ys, connect = flatten_lines(np.array([0.0, 1.0, 2.0]), np.array([[1, 10], [2, 20], [3, 30]], np.float32))
    np.testing.assert_array_equal(xs, [0, 1, 2, 0, 1, 2])
    np.testing.assert_array_equal(ys, [1, 2, 3, 10, 20, 30])
    np.testing.assert_array_equal(connect, [True, True, False, True, True, False])
    assert [nice_ceiling(v) for v in (0.3, 0.33, 0.05, 7.0, 1.0, 0.0, float("nan"))] == [
        0.3, 0.4, 0.05, 8.0, 1.0, 1.0, 1.0]
    assert nice_ceiling(np.float32(0.3)) == 0.3
