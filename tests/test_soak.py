"""The studio soaked (issue 16): a long run compressed into a couple of minutes, every view live and the timeline
dragged, counting things, never timing them. Marked `slow`: CI runs it (the README's test command); a plain
`pytest` skips it (`pytest -m slow tests/test_soak.py` runs it alone).

Hours are compressed by shrinking the history's budgets: at full speed the run fills every tier and thins it many
times over (stride doubling), which is what hours of training do to the real budgets. It asserts that the history
stays within its budget (core/budget.py), that the window's memory stops growing once the tiers are full, that
nothing crashes, and that the counts of Qt objects and graphics items do not grow."""

from __future__ import annotations

import random
import resource
import time

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget, QGraphicsView

from weightstudio.core import history as history_module
from weightstudio.core.budget import history_need

pytestmark = pytest.mark.slow

TRAIN_S = 100  # seconds of training: the test's length (the counts, not this, are asserted)
SAMPLES = 10  # times the counts are taken
ROWS = 512  # rows each tier keeps before it thins: a few seconds of training at full speed


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def qt_counts(window) -> tuple[int, int]:
    """(QObjects under the window, graphics items in every plot's scene)."""
    views = window.findChildren(QGraphicsView)
    return len(window.findChildren(QObject)), sum(len(v.scene().items()) for v in views if v.scene() is not None)


def test_a_long_run_with_every_view_live_and_the_timeline_dragged_stays_within_its_budgets(qtbot, monkeypatch):
    from weightstudio.gui.main_window import MainWindow

    # The history lives in this process (thread backend), so its budgets can be shrunk: rows, not bytes, matter.
    monkeypatch.setenv("WEIGHTSTUDIO_TRAINING", "thread")
    monkeypatch.setattr(history_module, "SERIES_CAPACITY", ROWS)
    weights = 31  # quadratic-1-10-1: 1×10 + 10 + 10×1 + 1
    monkeypatch.setattr(history_module, "SNAPSHOT_BUDGET", ROWS * 8 * weights)  # read when a History is made
    monkeypatch.setattr(history_module, "TRACE_BUDGET", ROWS * 4 * weights)
    window = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    for dock in window.findChildren(QDockWidget):
        dock.show()
    window.show()
    qtbot.waitExposed(window)
    window.training_bar.epochs_spin.setValue(window.training_bar.epochs_spin.maximum())
    window.training_bar.set_speed(None)
    c = window.controller
    c.start()
    qtbot.waitUntil(lambda: c.state == "running", timeout=20_000)

    slider, rng = window.timeline, random.Random(0)
    samples = []
    end = time.monotonic() + TRAIN_S
    for i in range(SAMPLES):
        while time.monotonic() < end - (SAMPLES - 1 - i) * TRAIN_S / SAMPLES:
            if slider.maximum() > 0:  # drag: a recorded epoch, then back to live
                slider.setValue(rng.randrange(slider.maximum()))
                qtbot.wait(40)
                slider.setValue(slider.maximum())
            qtbot.wait(60)
        qtbot.wait(300)  # settle: objects a drag made and scheduled for deletion are gone
        assert c.state == "running", window.state_label.text()  # no crash, no stop
        h = window.model.live.history
        held = h.steps.nbytes + h.traces.nbytes + h.snapshots.nbytes + h.epochs.nbytes
        samples.append({"step": c.trainer.step, "qt": qt_counts(window), "rss": rss_bytes(), "history": held,
                        "strides": (h.steps.stride, h.traces.stride, h.snapshots.stride)})
    c.stop()
    qtbot.waitUntil(lambda: c.state == "stopped", timeout=20_000)
    window.controller.close()

    h = window.model.live.history
    tiers = [getattr(h, t) for t in ("steps", "traces", "snapshots", "epochs")]
    # Every tier full is the most the history can hold (core/budget.py); each also keeps its latest row apart.
    budget = history_need(h, epochs=1 << 40) + sum(t.row_len * t.dtype.itemsize + 64 for t in tiers)
    print("soak:", [(s["step"], s["qt"], s["rss"] >> 20) for s in samples], f"budget {budget}")
    assert samples[-1]["step"] > 4 * ROWS  # the tiers filled and thinned several times over
    assert all(s >= 4 for s in samples[-1]["strides"])
    assert all(s["history"] <= budget for s in samples)
    assert all(len(t) <= t.capacity + 1 for t in tiers)  # + the latest row, always kept
    # Nothing grows: the later half's fewest Qt objects and graphics items are no more than the first half's most
    # (a few come and go with the refresh round), and with every tier full the window's memory stays put.
    earlier, later = samples[:SAMPLES // 2], samples[SAMPLES // 2:]
    for i in (0, 1):
        assert min(s["qt"][i] for s in later) <= max(s["qt"][i] for s in earlier), samples
    grown = later[-1]["rss"] - later[0]["rss"]
    assert grown < 16 << 20, f"the window's memory grew {grown / 2**20:.1f} MiB with the history full"
