"""What keeps a frame cheap, by what the widgets hold: per-frame read-outs do not re-lay out the window, the
confusion matrix's numbers come from the same forward pass as its caption."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGraphicsView

from weightstudio.core.data import load_dataset
from weightstudio.core.presets import get_preset
from weightstudio.gui.views.fit_modes import ConfusionFit
from weightstudio.gui.widgets import SteadyLabel

from helpers import open_window


class Events(QObject):
    """Counts the events of `kind` that the `targets` receive."""

    def __init__(self, kind, *targets):
        super().__init__()
        self.kind, self.count = kind, 0
        for target in targets:
            target.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() == self.kind:
            self.count += 1
        return False


@pytest.fixture
def window(qtbot, monkeypatch):
    monkeypatch.setenv("WEIGHTSTUDIO_TRAINING", "thread")
    with open_window(qtbot, "digits-mlp", (1366, 768)) as w:
        yield w


def test_a_steady_label_grows_for_a_longer_text_and_keeps_its_width_for_a_shorter_one(qtbot):
    label = SteadyLabel("step 9")
    qtbot.addWidget(label)
    narrow = label.width()
    label.setText("step 1,234,567 · 1,000 steps/s · 3 s left")
    wide = label.width()
    assert wide > narrow and label.minimumWidth() == label.maximumWidth() == wide
    label.setText("step 10")
    assert label.width() == wide and label.text() == "step 10"


def test_step_read_outs_changing_every_frame_do_not_re_lay_out_the_window(qtbot, window):
    # The widest texts first: a SteadyLabel re-lays out the window once when a text needs more room than it has.
    window.timeline_bar.sync(40 * 37)
    window.status.update_progress(window.controller, window.model.current, True, 40 * 37)
    requests = Events(QEvent.Type.LayoutRequest, window)
    for _ in range(50):  # until start-up's own layouts have settled: 300 ms without one
        requests.count = 0
        qtbot.wait(300)
        if requests.count == 0:
            break
    for step in range(1, 40):
        window.timeline_bar.sync(step * 37)
        window.status.update_progress(window.controller, window.model.current, True, step * 37)
        window.loss_view.status.setText(f"train loss {1 / step:.4g} · epoch {step}")
        qtbot.wait(1)
    assert window.loss_view.status.text().startswith("train loss")
    # A QLabel of free size asks for one per text change (117 here); a SteadyLabel that must grow, for one more.
    assert requests.count <= 2


def test_the_confusion_matrix_counts_and_its_caption_come_from_one_pass(qtbot, window):
    fit = window.fit_view._fit
    assert isinstance(fit, ConfusionFit)
    run = window.model.current
    params = run.history.snapshot(0).params
    caption = fit.numbers(params)
    x, true = fit._samples()
    prob = run.predict(params, x)
    loss, acc = run.evaluate(params, x, true)
    assert np.array_equal(fit.counts, fit._counts(prob, true)) and fit.counts.sum() == len(true)
    assert fit.cells.texts() == [str(c) if c else "" for c in fit.counts.ravel()]
    assert f"{100 * acc:.1f}%" in caption
    assert np.trace(fit.counts) / len(true) == pytest.approx(acc)
    prob2, loss2, acc2 = run.assess(params, x, true)
    np.testing.assert_allclose(prob2, prob, rtol=1e-6)
    assert (loss2, acc2) == pytest.approx((loss, acc))


def test_run_data_assess_matches_predict_and_evaluate_for_regression():
    from weightstudio.core.assemble import assemble
    from weightstudio.core.engine import Trainer
    from weightstudio.core.run_data import RunData

    cfg = get_preset("quadratic-1-10-1").config()
    ds = load_dataset(cfg.data, cfg.train.seed)
    t = Trainer(assemble(cfg, ds).config, ds)
    run = RunData(t.config, ds, t.history)
    params = t.history.snapshot(0).params
    pred, loss, acc = run.assess(params, ds.x_train, ds.y_train)
    np.testing.assert_allclose(pred, run.predict(params, ds.x_train), rtol=1e-6)
    assert loss == pytest.approx(run.evaluate(params, ds.x_train, ds.y_train)[0]) and np.isnan(acc)


def test_while_training_streams_a_round_begins_at_most_thirty_times_a_second(qtbot, window, monkeypatch):
    import time

    from weightstudio.core.tasks import RunState
    from weightstudio.gui import main_window

    monkeypatch.setattr(window.controller, "state", RunState.RUNNING)
    window._turn = 0
    window._round_started = time.perf_counter()  # a round began just now
    window.loss_view.mark_stale()
    drawn = window.loss_view.draw_count
    window._refresh_next()
    assert window.loss_view.draw_count == drawn and window._turn == 0  # too soon: nothing pinned, nothing drawn
    window._round_started -= 1 / main_window.MAX_FRAMES_PER_S
    window._refresh_next()
    assert window.loss_view.draw_count == drawn + 1


def test_while_training_streams_each_view_paints_once_a_frame(qtbot, monkeypatch):
    # A draw's new ranges and changed items, left to the event loop, asked for a second paint of each plot right
    # after the frame's: about 1.5 paints a frame for the weights and heatmap views.
    monkeypatch.setenv("WEIGHTSTUDIO_TRAINING", "thread")
    with open_window(qtbot, "quadratic-1-10-1", (1366, 768)) as w:
        views = [w.fit_view, w.loss_view, w.weights_view, w.heatmap_view]
        qtbot.wait(300)  # start-up's own paints
        paints = {view.title: Events(QEvent.Type.Paint, *(g.viewport() for g in view.findChildren(QGraphicsView)))
                  for view in views}
        frames = []
        w.frame_drawn.connect(lambda: frames.append(w.frame.step if w.frame is not None else None))
        w.controller.set_epochs(2000)
        w.controller.start()
        qtbot.waitUntil(lambda: len(set(frames)) >= 30, timeout=30_000)
        w.controller.stop()
        qtbot.waitUntil(lambda: not w.controller.is_busy, timeout=10_000)
        qtbot.wait(200)
    shown = len(set(frames))  # the steps frames showed; a round with nothing new ends too, and paints nothing
    for title, p in paints.items():
        # A few paints of its own (a legend folding as the run grows, ~1 in 10); a second paint a frame is 1.25–1.5.
        assert 0 < p.count <= shown + shown // 8 + 2, (title, p.count, shown)


def test_the_progress_bar_paints_with_the_frame_not_at_once(qtbot, window):
    # QProgressBar.setValue repaints there and then, and the status bar under it: ~4 ms of every frame.
    bar = window.status.progress
    paints = Events(QEvent.Type.Paint, bar)
    window.status._set_progress(100, 37)
    assert paints.count == 0 and (bar.maximum(), bar.value()) == (100, 37)
    qtbot.waitUntil(lambda: paints.count > 0)
