"""What the window refreshes and where slow work runs: hidden views cost nothing, the health check runs on a worker
thread and its findings come back to the GUI thread."""

from __future__ import annotations

import threading

import pytest

from weightstudio.core.health import ERROR, Finding
from weightstudio.gui.background import BackgroundJob
from weightstudio.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, monkeypatch):
    monkeypatch.setenv("WEIGHTSTUDIO_TRAINING", "thread")
    w = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.controller.close()


def test_a_tab_behind_another_is_hidden_and_only_goes_stale_until_it_is_raised(qtbot, window):
    qtbot.waitUntil(lambda: window.heatmap_view.on_screen(), timeout=5000)
    behind = (window.gradients_view, window.distributions_view, window.activations_view)
    assert all(v.isVisible() for v in behind)  # Qt's word for them, although they are parked outside the window
    assert all(v.is_hidden() and not v.on_screen() for v in behind)
    assert window.loss_view.on_screen() and not window.loss_view.is_hidden()
    before = {v: v.draw_count for v in behind}
    loss_before = window.loss_view.draw_count
    window._refresh_all(force=True)
    window.gradients_view.show_snapshot(0)  # the timeline moving: still nothing drawn behind the tab
    assert {v: v.draw_count for v in behind} == before
    assert window.loss_view.draw_count == loss_before + 1
    window.docks["gradientsDock"].raise_()
    qtbot.waitUntil(window.gradients_view.on_screen, timeout=5000)
    assert window.heatmap_view.is_hidden()
    for _ in range(len(window._round)):  # one round: the raised view draws what it missed
        window._refresh_next()
    assert window.gradients_view.draw_count == before[window.gradients_view] + 1


def test_a_closed_dock_is_hidden(qtbot, window):
    window.docks["weightsDock"].close()
    assert window.weights_view.is_hidden() and not window.weights_view.on_screen()


def test_a_view_outside_a_shown_window_still_draws_when_asked(qtbot):
    from weightstudio.gui.views.loss import LossView

    view = LossView()
    qtbot.addWidget(view)
    assert not view.is_hidden()  # figures and tests draw views that were never shown


def test_the_health_check_runs_on_a_worker_and_its_findings_reach_the_panel(qtbot, window):
    threads = []
    monitor_check = None

    def spy_check():
        threads.append(threading.current_thread())
        return monitor_check()

    window._check_health()  # makes the monitor of the current run
    qtbot.waitUntil(lambda: not window.health_job.busy, timeout=30_000)
    monitor_check = window._health.check
    window._health.check = spy_check
    stale = Finding("non_finite", ERROR, "stale", 1, 1, 0.0)
    window.health_panel.show_findings([stale])  # anything else: the panel must take the new findings
    with qtbot.waitSignal(window.health_job.done, timeout=30_000) as done:
        window._check_health()
    assert threads and threads[0] is not threading.main_thread()
    run, findings = done.args
    assert run is window.model.current and window.health_panel.findings == findings == []
    assert window.health_panel.list.count() == 0 and "No problem" in window.health_panel.summary.text()


def test_a_background_job_hands_results_back_and_keeps_only_the_newest_waiting_request(qtbot):
    job = BackgroundJob("test-job")
    gate = threading.Event()
    got = []
    job.done.connect(lambda key, result: got.append((key, result, threading.current_thread())))
    job.submit("first", lambda: (gate.wait(10), "one")[1])
    job.submit("second", lambda: "two")  # replaced by the third before the first ends
    job.submit("third", lambda: "three")
    assert job.busy
    gate.set()
    qtbot.waitUntil(lambda: len(got) == 2 and not job.busy, timeout=10_000)
    assert [(k, r) for k, r, _ in got] == [("first", "one"), ("third", "three")]
    assert all(t is threading.main_thread() for _, _, t in got)  # delivered on the GUI thread
    job.close()


def test_a_failing_background_job_says_why(qtbot):
    job = BackgroundJob("test-job")
    with qtbot.waitSignal(job.failed, timeout=10_000) as failed:
        job.submit("k", lambda: 1 / 0)
    assert failed.args == ["k", "ZeroDivisionError: division by zero"]
    job.close()
    job.submit("after", lambda: "never")  # closed: ignored
    assert not job.busy


def test_activations_of_a_streaming_run_are_evaluated_on_a_worker_and_drawn_when_back(qtbot):
    import numpy as np

    from weightstudio.core.activations import ActivationProbe
    from weightstudio.core.engine import Trainer
    from weightstudio.core.presets import get_preset
    from weightstudio.core.run_data import RunData
    from weightstudio.gui.views.activations import ActivationsView

    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.epochs = 2
    t = Trainer(cfg)
    t.run()
    run = RunData(t.config, t.dataset, t.history)
    view = ActivationsView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_run(run)
    t.history.status = "running"  # as while it trains: evaluated off the GUI thread
    evaluated_on = []
    evaluate = view._evaluate
    view._evaluate = lambda *a: (evaluated_on.append(threading.current_thread()), evaluate(*a))[1]
    with qtbot.waitSignal(view._job.done, timeout=30_000):
        assert view.refresh(force=True)
        assert view.stage_values() == []  # nothing drawn until the worker is back
    assert evaluated_on == [evaluated_on[0]] and evaluated_on[0] is not threading.main_thread()
    step, params = t.history.latest_params()
    assert view.mode() == "line" and view.shown_step() == step
    for got, want in zip(view.stage_values(), ActivationProbe(run).line(params), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    assert "Live at epoch" in view.note.text()
    t.history.status = "finished"
    view.show_snapshot(0)  # a still state: evaluated at once, on this thread
    assert evaluated_on[-1] is threading.main_thread() and view.shown_step() == 0


def test_a_title_set_again_does_not_lay_the_plot_out_again(qtbot):
    import pyqtgraph as pg

    from weightstudio.gui.views.style import set_title

    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    calls = []
    original = plot.setTitle
    plot.setTitle = lambda *a, **kw: (calls.append(a[0]), original(*a, **kw))
    set_title(plot, "loss<br>epoch 1")
    set_title(plot, "loss<br>epoch 1")
    assert len(calls) == 1 and plot.titleLabel.text == "<div align='center'>loss<br>epoch 1</div>"
    set_title(plot, "loss<br>epoch 2")
    original("set elsewhere")
    set_title(plot, "loss<br>epoch 2")  # the label no longer shows it: set again
    assert len(calls) == 3 and "epoch 2" in plot.titleLabel.text
