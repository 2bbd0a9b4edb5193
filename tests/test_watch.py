"""Watchable and coherent (issue 9) and divergence that pauses instead of ending (issue 12): what the views hold
in each frame, and a blown-up run held at its last finite weights, resumed at a lower learning rate."""

import re
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt

from weightstudio.core.control import Control
from weightstudio.core.engine import Trainer
from weightstudio.core.presets import get_preset
from weightstudio.gui.views.style import epoch_text

from helpers import open_window


def quadratic(lr: float, epochs: int = 100):
    return get_preset("quadratic-1-10-1").config().with_train(lr=lr, epochs=epochs)


def named_step(message: str) -> tuple[int, int]:
    """(diverged step, last finite step) as the divergence message names them."""
    m = re.search(r"diverged at step (\d+).*last finite state is step (\d+)", message)
    assert m, message
    return int(m[1]), int(m[2])


# ---- the engine: held at the last finite weights, then trained on ----
def test_a_held_divergence_keeps_the_last_finite_weights_and_resumes_at_a_lower_rate():
    trainer = Trainer(quadratic(5.0))
    control = Control()
    control.set_hold_on_divergence(True)
    events, diverged, done = [], threading.Event(), threading.Event()

    def on_event(name, **info):
        events.append((name, info))
        if name == "diverged":
            diverged.set()

    result = []
    worker = threading.Thread(target=lambda: (result.append(trainer.run(control, on_event)), done.set()))
    worker.start()
    try:
        assert diverged.wait(30)
        info = next(i for n, i in events if n == "diverged")
        step, last = named_step(info["message"])
        while trainer.step != last:  # the loop restores the weights, steps back, then waits
            pass
        assert control.paused
        assert step == info["step"] and last == step - 1 == info["last_finite"]
        h = trainer.history
        assert h.status == "diverged" and not done.is_set()
        assert int(h.step_data()["step"][-1]) == last  # the views end at the step the message names
        assert all(np.isfinite(h.step_data()["loss"]))
        snap = h.snapshot(-1)
        assert snap.step == last
        # Full batch: one snapshot per step, so the last one is the state the run holds at.
        for name, p in trainer.model.named_parameters():
            np.testing.assert_array_equal(p.detach().numpy(), snap.params[name])
        # From the last finite weights (|bias| ~ 1e18) any rate blows up again: held again, at the same step.
        diverged.clear()
        control.set_lr(0.1)
        control.resume()
        assert diverged.wait(30)
        assert [n for n, _ in events].count("diverged") == 2 and named_step(h.message) == (step, last)
        while trainer.step != last:
            pass
        # Rewound to the state after step 1: it trains on at the lower rate.
        control.rewind_to(1)
        control.resume()
        assert done.wait(60)
    finally:
        control.stop()
        worker.join(30)
    assert result == ["finished"] and trainer.epoch == 100 and trainer.lr == 0.1
    steps = h.step_data()
    assert np.all(np.isfinite(steps["loss"])) and list(steps["step"]) == list(range(1, 101))
    d = trainer.dataset
    from weightstudio.core.run_data import RunData

    start_loss, _ = RunData(trainer.config, d, h).evaluate(h.snapshot(1).params, d.x_train, d.y_train)
    assert steps["loss"][step - 1] == pytest.approx(start_loss, rel=1e-5)  # the first new step starts there
    assert steps["loss"][-1] < steps["loss"][0]  # and it learned on
    assert [n for n, _ in events].count("resumed") == 2


def test_a_held_divergence_stopped_meanwhile_stays_diverged():
    trainer = Trainer(quadratic(5.0))
    control = Control()
    control.set_hold_on_divergence(True)
    seen = threading.Event()
    worker = threading.Thread(target=lambda: trainer.run(control, lambda n, **i: n == "diverged" and seen.set()))
    worker.start()
    assert seen.wait(30)
    control.stop()
    worker.join(30)
    assert not worker.is_alive() and trainer.history.status == "diverged"


def test_without_hold_a_divergence_ends_the_run_as_before():
    trainer = Trainer(quadratic(5.0))
    assert trainer.run(Control()) == "diverged"
    step, last = named_step(trainer.history.message)
    assert trainer.step == step and last == step - 1


# ---- the window: pauses at the step named, scrubs back, resumes from the last finite weights ----
@pytest.fixture
def window(qtbot):
    with open_window(qtbot, "quadratic-1-10-1") as w:
        yield w


def test_divergence_pauses_the_window_and_resuming_with_a_lower_rate_trains_on(qtbot, window):
    c = window.controller
    window.training_bar.lr_spin.setValue(5.0)
    with qtbot.waitSignal(window.run_finished, timeout=20_000, check_params_cb=lambda s: s == "diverged"):
        qtbot.mouseClick(window.training_bar.start_button, Qt.LeftButton)
    assert c.held and c.is_busy  # the run and its worker stay
    assert window.training_bar.start_button.isEnabled()
    text = window.state_label.text()
    step, last = named_step(text)
    assert "lower the learning rate" in text
    run = window.model.current
    h = run.history
    assert int(h.snapshot_steps()[-1]) == last and h.snapshot_count() == last + 1
    # Scrubbing back: every recorded state is finite, and the views show the chosen one.
    window.timeline.setValue(1)
    assert window.model.shown == 1
    assert window.fit_view.shown_step() == int(h.snapshot_steps()[1])
    for i in range(h.snapshot_count()):
        assert all(np.isfinite(v).all() for v in h.snapshot(i).params.values())
    held = h.snapshot(1).params  # scrubbed back to before the blow-up: training goes on from there
    window.training_bar.lr_spin.setValue(0.1)
    with qtbot.waitSignal(window.run_finished, timeout=30_000, check_params_cb=lambda s: s == "finished"):
        qtbot.mouseClick(window.training_bar.start_button, Qt.LeftButton)
    steps = h.step_data()
    assert list(steps["step"]) == list(range(1, 101)) and np.all(np.isfinite(steps["loss"]))
    # Full batch: the loss recorded at the retried step is the loss of the weights it started from.
    d = run.dataset
    loss_at_resume, _ = run.evaluate(held, d.x_train, d.y_train)
    assert steps["loss"][step - 1] == pytest.approx(loss_at_resume, rel=1e-5)
    assert steps["lr"][step - 1] == pytest.approx(0.1) and steps["lr"][last - 1] == pytest.approx(5.0)
    assert steps["loss"][-1] < steps["loss"][0]


def test_the_cli_says_at_which_step_a_run_diverged_and_exits_1(tmp_path, capsys):
    import json

    from weightstudio import cli

    out = tmp_path / "run"
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--lr", "5", "--out", str(out), "--quiet",
                     "--no-figures"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("weightstudio: diverged at step 20 ")
    assert "last finite state is step 19" in err[0] and str(out) in err[0]
    status = json.loads((out / "status.json").read_text())
    assert status["status"] == "diverged" and status["steps"] == 20 and "step 20" in status["message"]


# ---- one step per frame ----
def shown_steps(w) -> dict[str, int | None]:
    """The step each view, the status bar and the timeline name."""
    return {"fit": w.fit_view.shown_step(), "loss": w.loss_view.drawn_step, "weights": w.weights_view.drawn_step,
            "heatmap": w.heatmap_view.drawn_step, "status": w.status.shown_step, "timeline": w.timeline_bar.shown_step}


@pytest.mark.parametrize("preset, speed", [("simplenet-2-5-1", 50), ("digits-cnn", 5)])
def test_every_frame_mid_run_names_one_step_in_every_view(qtbot, window, preset, speed):
    window.load_preset(preset)
    window.training_bar.set_speed(speed)  # a few seconds: many frames while it streams
    frames = []

    def sample():
        if window.controller.state == "running" and window.frame is not None:
            spe = window.controller.trainer.steps_per_epoch
            shown = shown_steps(window)
            # The progress bar and the loss header's epoch name that step too.
            shown["progress"] = window.frame.step if window.status.progress.value() == window.frame.step // spe \
                else ("progress", window.status.progress.value())
            epoch = epoch_text(window.frame.step / spe)
            shown["header"] = window.frame.step if window.loss_view.status.text().endswith(f"epoch {epoch}") \
                else window.loss_view.status.text()
            shown["fit caption"] = window.frame.step if window.fit_view.metrics_text().endswith(f"(epoch {epoch})") \
                else window.fit_view.metrics_text()
            frames.append((window.frame.step, shown))

    window.frame_drawn.connect(sample)
    with qtbot.waitSignal(window.run_finished, timeout=60_000, check_params_cb=lambda s: s == "finished"):
        window.controller.start()
    window.frame_drawn.disconnect(sample)
    mid = [(step, shown) for step, shown in frames if 0 < step < window.controller.trainer.step]
    assert len({step for step, _ in mid}) >= 10, frames  # many different moments, mid-run
    for step, shown in mid:
        assert set(shown.values()) == {step}, shown


# ---- finding 6: an edit that does not build ----
def test_views_say_the_network_changed_until_it_builds(window):
    window.load_preset("digits-cnn")
    built = window.model.live
    spec = window.arch_panel.spec()
    spec.layers[3].params["kernel_size"] = 11  # 11×11 on the pooled 4×4 maps: does not build
    window.arch_panel.set_spec(spec)
    window.arch_panel.spec_changed.emit(window.arch_panel.spec())
    assert window.problem and window.model.live is built
    for view in window.views:
        assert view.notice().startswith("Network changed, not built yet"), view.title
        assert window.problem in view.notice()
    spec.layers[3].params["kernel_size"] = 3
    window.arch_panel.set_spec(spec)
    window.arch_panel.spec_changed.emit(window.arch_panel.spec())
    assert window.problem is None and window.model.live is not built
    assert [view.notice() for view in window.views] == [""] * len(window.views)
    assert window.heatmap_view.run is window.model.live


# ---- finding 9: the learning-rate range ----
def test_a_huge_learning_rate_is_taken_and_one_out_of_range_is_said(qtbot, window):
    from tests.test_panels import type_into

    spin = window.training_bar.lr_spin
    type_into(qtbot, spin, "50")
    assert spin.value() == 50 and window.controller.trainer.config.train.lr == 50
    type_into(qtbot, spin, "5000")
    assert spin.value() == 1000
    assert window.state_label.text() == "LR: 5000 is out of range (1e-06 … 1000); the learning rate is 1000"


# ---- finding 13: no display ----
def test_with_no_display_the_app_says_so_and_points_at_xvfb_run(capsys, monkeypatch):
    from weightstudio.gui import app

    assert app.no_display({"DISPLAY": ":0"}, "linux") is None
    assert app.no_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert app.no_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert app.no_display({}, "win32") is None
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")  # read when asked, not when the module loaded
    assert app.run_app([]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no display" in err
    assert "xvfb-run -a weightstudio" in err and "weightstudio train" in err


# ---- findings 7 and 8: the loss header follows the timeline; divergence is instructive ----
def test_a_diverged_run_is_drawn_to_the_step_named_in_notation_that_fits(qtbot, window):
    window.training_bar.lr_spin.setValue(5.0)
    with qtbot.waitSignal(window.run_finished, timeout=20_000, check_params_cb=lambda s: s == "diverged"):
        window.controller.start()
    window._refresh_all(force=True)
    step, last = named_step(window.state_label.text())
    views = window.fit_view, window.loss_view, window.weights_view, window.heatmap_view
    assert [window.fit_view.shown_step()] + [v.drawn_step for v in views[1:]] == [last] * 4
    assert window.timeline_bar.shown_step == window.status.shown_step == last
    assert not re.search(r"\d{8}", window.fit_view.metrics_text()), window.fit_view.metrics_text()
    assert window.loss_view.log_scale()  # switched by itself: the loss grew by decades
    assert window.loss_view.off_scale_note() == f"off scale after here: diverged at step {step} (epoch {step}.00)"
    assert window.loss_view.status.text().endswith(f"epoch {last}")
    assert re.search(r"train loss \d\.\d+e\+\d\d", window.loss_view.status.text())
    # Scrubbing back: the header and every view name the snapshot on show, and the note goes.
    h = window.model.current.history
    window.timeline.setValue(5)
    loss5 = h.step_data()["loss"][4]
    assert window.loss_view.status.text() == f"train loss {loss5:.4g}   epoch 5"
    assert window.fit_view.shown_step() == window.loss_view.drawn_step == window.timeline_bar.shown_step == 5
    assert window.loss_view.off_scale_note() == ""


# ---- finding 11: figures without widgets, at a chosen size ----
def test_an_exported_view_is_its_figure_at_the_width_asked_for(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    from weightstudio.gui import exports

    window.controller.step()
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=20_000)
    figure = exports.figure_of(window.loss_view)
    assert window.loss_view.log_check not in figure.findChildren(type(window.loss_view.log_check))
    assert not figure.isAncestorOf(window.loss_view.log_check)
    window.export_view(window.loss_view, tmp_path / "loss.png", width=1600)
    image = QImage(str(tmp_path / "loss.png"))
    assert image.width() == 1600 and image.height() == round(figure.height() * 1600 / figure.width())
    window.export_view(window.weights_view, tmp_path / "weights.png")
    image = QImage(str(tmp_path / "weights.png"))
    weights_figure = exports.figure_of(window.weights_view)
    assert (image.width(), image.height()) == (weights_figure.width(), weights_figure.height())
    assert not weights_figure.isAncestorOf(window.weights_view.findChildren(type(window.loss_view.log_check))[0])
    window.export_view(window.loss_view, tmp_path / "loss.svg", width=1200)
    svg = (tmp_path / "loss.svg").read_text()
    assert re.search(r'viewBox="0 0 1200 \d+"', svg[:2000]) and "<text" in svg and "<polyline" in svg


# ---- finding 14: a usable layout at 1024×640 ----
def test_at_1024_by_640_the_bar_keeps_its_settings_and_the_docks_fit(qtbot, window):
    bar = window.training_bar
    window.resize(1024, 640)
    window._apply_default_sizes()
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.wait(50)
    for w in (bar.batch_spin, bar.seed_spin, bar.more_button, bar.lr_spin):
        assert w.isVisible() and w.geometry().right() <= bar.width(), w.objectName()
    assert bar.start_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert bar.start_button.toolTip()
    for name in ("fitDock", "lossDock", "weightsDock", "heatmapDock"):
        dock = window.docks[name]
        right = dock.mapTo(window, dock.rect().bottomRight())
        assert right.x() <= window.width() and right.y() <= window.height(), name
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: bar.start_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
