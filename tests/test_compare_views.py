"""Compared runs in the views: heatmaps side by side on one colour scale that is stable over the timeline, weight
bands per run, fit overlays, the timeline moving every shown run to the same step, lessons and compare figures."""

from pathlib import Path

import numpy as np
import pytest

from weightstudio.core.compare import apply, snapshot_at_step
from weightstudio.core.engine import Trainer
from weightstudio.core.presets import get_preset
from weightstudio.core.run_data import RunData
from weightstudio.core.series import nice_ceiling
from weightstudio.gui.views import HeatmapView
from weightstudio.gui.views.heatmaps import HeatmapScale


def _trained(config) -> RunData:
    trainer = Trainer(config)
    trainer.run()
    return RunData(trainer.config, trainer.dataset, trainer.history)


_RUNS: dict[tuple, RunData] = {}


def run_of(preset: str, epochs: int, setting: str | None = None, value=None) -> RunData:
    """A finished run of `preset` (with one setting changed), shared by the tests that only read it."""
    key = (preset, epochs, setting, value)
    if key not in _RUNS:
        cfg = get_preset(preset).config().with_train(epochs=epochs)
        _RUNS[key] = _trained(apply(cfg, setting, value) if setting else cfg)
    return _RUNS[key]


@pytest.fixture
def studio(qtbot, monkeypatch):
    """`studio(preset)`: a shown window training in its child process at full speed, closed after the test."""
    from weightstudio.gui.main_window import MainWindow

    opened = []

    def open_window(preset: str):
        monkeypatch.setenv("WEIGHTSTUDIO_TRAINING", "process")
        w = MainWindow(preset)
        w.training_bar.set_speed(None)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        opened.append(w)
        return w

    yield open_window
    for w in opened:
        w.controller.close()


def test_snapshot_at_step_takes_the_same_step_or_the_last_state():
    steps = np.array([0, 10, 20, 30])
    assert snapshot_at_step(steps, None) == (None, False)
    assert snapshot_at_step(steps, 20) == (2, False)
    assert snapshot_at_step(steps, 25) == (2, False)
    assert snapshot_at_step(steps, 50) == (3, True)
    assert snapshot_at_step(np.array([]), 5) == (None, False)


def _max_abs(run, name, index):
    return float(np.abs(run.param_values(name, index)[1]).max())


def test_heatmap_scale_is_grown_over_the_run_not_refit_per_step(qtbot):
    run = run_of("digits-cnn", 4)
    view = HeatmapView()
    qtbot.addWidget(view)
    view.set_run(run)
    view.set_param("0.weight")
    peak = max(_max_abs(run, "0.weight", i) for i in range(run.history.snapshot_count()))
    levels = []
    for i in (0, 2, None):
        view.show_snapshot(i)
        levels.append(view.levels())
    assert levels == [(-nice_ceiling(peak), nice_ceiling(peak))] * 3  # the same scale at every position
    view.set_mode("Change since init (W − W₀)")  # nothing has changed at epoch 0, yet the scale is the run's
    w0 = run.param_values("0.weight", 0)[1]
    change = max(float(np.abs(run.param_values("0.weight", i)[1] - w0).max())
                 for i in range(run.history.snapshot_count()))
    view.show_snapshot(0)
    assert np.nanmax(np.abs(view.image())) == 0 and view.levels() == (-nice_ceiling(change), nice_ceiling(change))
    view.set_mode("Value")
    view.set_scale(HeatmapScale.STEP)
    view.show_snapshot(0)
    assert view.levels() == (-nice_ceiling(_max_abs(run, "0.weight", 0)), nice_ceiling(_max_abs(run, "0.weight", 0)))


def test_heatmaps_of_compared_runs_side_by_side_on_one_scale_at_the_same_step(qtbot):
    base = run_of("digits-mlp", 3)
    other = run_of("digits-mlp", 2, "weight_init", "xavier_uniform")  # shorter: ends before the base
    view = HeatmapView()
    qtbot.addWidget(view)
    view.set_run(base)
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "xavier")], label="normal")
    view.set_param("0.weight")
    view.refresh(force=True)
    images = dict(view.images())
    assert [label for label, _ in view.images()] == ["normal", "xavier"]
    assert images["normal"].shape == images["xavier"].shape == (128, 64)
    np.testing.assert_array_equal(images["xavier"], other.param_values("0.weight")[1])
    peak = max(_max_abs(r, "0.weight", i) for r in (base, other) for i in range(r.history.snapshot_count()))
    assert view.run_levels() == [(-nice_ceiling(peak), nice_ceiling(peak))] * 2
    view.show_snapshot(1)  # epoch 1 of the base: step 1 × steps per epoch in the other run too
    np.testing.assert_array_equal(dict(view.images())["xavier"], other.param_values("0.weight", 1)[1])
    view.show_snapshot(3)  # epoch 3: the other run ended at epoch 2 and shows its last state, saying so
    np.testing.assert_array_equal(dict(view.images())["xavier"], other.param_values("0.weight", 2)[1])
    assert "ended" in view.matrices[1].plot.titleLabel.text
    view.set_overlays((31, 119, 180), [])
    assert len(view.matrices) == 1 and [label for label, _ in view.images()] == [""]


def test_weights_view_draws_a_band_per_compared_run_and_biases_dashed(qtbot):
    from PySide6.QtCore import Qt

    from weightstudio.gui.views import WeightsView

    base = run_of("quadratic-1-10-1", 20)
    other = run_of("quadratic-1-10-1", 20, "lr", 0.01)
    view = WeightsView()
    qtbot.addWidget(view)
    view.set_run(base)
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "lr 0.01")], label="lr 0.2")
    view.refresh(force=True)
    x, q = view.bands()[id(other)]
    steps, rows = other.history.trace_data()
    np.testing.assert_allclose(x, steps / other.history.steps_per_epoch)
    np.testing.assert_allclose(q, np.percentile(rows, (10, 50, 90), axis=1).T, rtol=1e-6)
    assert q.shape == (len(steps), 3) and np.all(q[:, 0] <= q[:, 1]) and np.all(q[:, 1] <= q[:, 2])
    assert any("lr 0.01" in label for label in view.legend_labels())
    view.set_visible_params(["0.weight"])  # the band follows the chosen parameters
    _, q0 = view.bands()[id(other)]
    cols = other.history.trace_param_slices()["0.weight"]
    np.testing.assert_allclose(q0[:, 1], np.median(rows[:, cols], axis=1), rtol=1e-6)
    assert set(view.bands()) == {id(base), id(other)}  # every run a band, the bound one too
    pens = {name: c.opts["pen"] for name, c in view.curve_items().items()}
    assert pens["0.bias"].style() == Qt.PenStyle.DashLine and pens["0.weight"].style() == Qt.PenStyle.SolidLine
    assert pens["0.weight"].color().getRgb()[:3] == (150, 150, 150)  # grey lines: every hue on show is a run's
    view.set_overlays((31, 119, 180), [])
    assert view.bands() == {}
    assert view.curve_items()["0.weight"].opts["pen"].color().getRgb()[:3] != (150, 150, 150)


def test_fit_view_overlays_compared_curves_at_the_same_step(qtbot):
    from weightstudio.gui.views import FitView

    base = run_of("quadratic-1-10-1", 20)
    other = run_of("quadratic-1-10-1", 10, "lr", 0.01)
    view = FitView()
    qtbot.addWidget(view)
    view.set_run(base)
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "lr 0.01")], label="lr 0.2")
    view.show_snapshot(5)
    x, y = view.compared_curves()[id(other)]
    snap = other.history.snapshot(5)
    np.testing.assert_allclose(y, other.predict(snap.params, x[:, None].astype(np.float32))[:, 0], rtol=1e-6)
    assert view.metrics_text() and "lr 0.2" in view.plot.titleLabel.text
    view.show_snapshot(15)  # past the other run's end: its last state
    _, y_end = view.compared_curves()[id(other)]
    np.testing.assert_allclose(y_end, other.predict(other.history.snapshot(-1).params, x[:, None].astype(
        np.float32))[:, 0], rtol=1e-6)


def test_compared_runs_with_the_same_label_stay_apart_in_bands_and_fit_curves(qtbot):
    from weightstudio.gui.views import FitView, WeightsView

    base = run_of("quadratic-1-10-1", 20)
    slow, fast = run_of("quadratic-1-10-1", 20, "lr", 0.01), run_of("quadratic-1-10-1", 20, "lr", 0.05)
    same = [(slow, (255, 127, 14), "quadratic-1-10-1"), (fast, (44, 160, 44), "quadratic-1-10-1")]
    weights, fit = WeightsView(), FitView()
    for view in (weights, fit):
        qtbot.addWidget(view)
        view.set_run(base)
        view.set_overlays((31, 119, 180), same, label="quadratic-1-10-1")
        view.refresh(force=True)
    bands = weights.bands()
    assert set(bands) == {id(base), id(slow), id(fast)}
    for run in (slow, fast):
        rows = run.history.trace_data()[1]
        np.testing.assert_allclose(bands[id(run)][1], np.percentile(rows, (10, 50, 90), axis=1).T, rtol=1e-6)
    curves = fit.compared_curves()
    assert set(curves) == {id(slow), id(fast)} and not np.array_equal(curves[id(slow)][1], curves[id(fast)][1])


def test_fit_view_draws_compared_decision_regions_beside_the_run(qtbot):
    from weightstudio.gui.views import FitView

    base = run_of("simplenet-2-5-1", 10)
    other = run_of("simplenet-2-5-1", 10, "optimizer", "sgd")
    view = FitView()
    qtbot.addWidget(view)
    view.set_run(base)
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "sgd")], label="adam")
    view.refresh(force=True)
    regions = view.compared_regions()
    assert list(regions) == [id(other)] and regions[id(other)].shape == view.decision_image().shape
    assert not np.array_equal(regions[id(other)], view.decision_image())  # another run, another picture
    view.set_overlays((31, 119, 180), [])
    assert view.compared_regions() == {}


def test_fit_view_shows_compared_classifiers_accuracy_per_class_on_one_axis(qtbot):
    from weightstudio.gui.views import FitView

    base = run_of("digits-mlp", 3)
    other = run_of("digits-mlp", 2, "weight_init", "xavier_uniform")  # shorter: its last state past epoch 2
    view, solo = FitView(), FitView()
    for v, run in ((view, base), (solo, other)):
        qtbot.addWidget(v)
        v.set_run(run)
    assert view.mode() == "confusion"
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "digits-mlp · weight init xavier_uniform")],
                      label="digits-mlp · weight init normal")
    for index, theirs in ((1, 1), (3, 2)):
        view.show_snapshot(index)
        solo.show_snapshot(theirs)
        for v in (view, solo):
            v.refresh(force=True)
        counts = view.compared_confusions()
        assert list(counts) == [id(other)]
        np.testing.assert_array_equal(counts[id(other)], solo.confusion_matrix())  # what its own view shows
        accuracies = view.class_accuracies()
        assert list(accuracies) == [id(base), id(other)]  # the bound run first, each a bar per class
        for run, matrix in ((base, view.confusion_matrix()), (other, solo.confusion_matrix())):
            np.testing.assert_allclose(accuracies[id(run)], 100 * np.diag(matrix) / matrix.sum(1))
    assert "weight init normal" in view.plot.titleLabel.text
    view.set_overlays((31, 119, 180), [])
    assert view.compared_confusions() == {} and view.class_accuracies() == {}


@pytest.mark.parametrize("name", ["initialisation", "l2", "optimizers", "activations", "learning-rates"])
def test_each_lesson_is_a_valid_comparison_that_trains(name):
    from weightstudio.core.compare import differences, vary
    from weightstudio.core.lessons import get_lesson

    lesson = get_lesson(name)
    configs = vary(lesson.config(), lesson.variation())
    assert len(configs) >= 3 and lesson.look_for
    assert all(len(differences(configs[0], c)) >= 1 for c in configs[1:])
    for cfg in configs:  # two epochs each: they build, train and record
        run = _trained(cfg.with_train(epochs=2))
        assert run.history.status in ("finished", "diverged") and run.history.snapshot_count() >= 2


@pytest.mark.slow
@pytest.mark.parametrize("name", ["initialisation", "l2", "optimizers", "activations"])
def test_each_lesson_from_the_menu_runs_to_its_end(qtbot, studio, name):
    """The lessons bring their own epochs (20 on digits, 40 on the deep spiral): minutes, hence `slow` (run with
    -m slow). The learning-rates lesson runs to its end in the test below."""
    from weightstudio.core.compare import vary
    from weightstudio.core.lessons import get_lesson
    from weightstudio.core.messages import translate

    lesson = get_lesson(name)
    configs = vary(lesson.config(), lesson.variation())
    w = studio("digits-mlp")
    next(a for a in w.lesson_actions if a.objectName() == f"lesson_{name}").trigger()
    qtbot.waitUntil(lambda: not w._vary_queue and w.controller.state == "finished"
                    and len(w.model.runs) == len(configs) and w.status.state_label.text() != "",
                    timeout=600_000)
    assert w.status.state_label.text() == translate(lesson.look_for)  # what to look for, once all are trained
    assert sorted(w.model.meta(r).label for r in w.model.runs) == sorted(c.name for c in configs)
    for run in w.model.runs:
        assert run.history.status == "finished" and w.model.meta(run).visible
        assert len(run.history.epoch_data()["epoch"]) == lesson.config().train.epochs
    assert len({w.model.meta(r).colour for r in w.model.runs}) == len(configs)  # told apart by colour
    w._refresh_all(force=True)
    assert len(w.heatmap_view.matrices) == len(configs)  # side by side
    if w.fit_view.mode() == "confusion":  # digits: every run's accuracy per class beside the current one's
        assert set(w.fit_view.class_accuracies()) == {id(r) for r in w.model.runs}


def test_a_frame_pinned_twice_before_its_round_ends_releases_every_view(qtbot):
    """Seen after a lesson: every view left frozen (updates off), painting nothing, after a forced refresh
    pinned a new frame in the middle of a round."""
    from weightstudio.gui.main_window import MainWindow

    w = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        on_screen = [view for view in w.views if view.on_screen()]
        assert on_screen
        for _ in range(2):  # two new frames, one round
            w.frame = None
            w._pin_frame()
            for view in on_screen:
                view.mark_stale()
                w._draw_held(view)
            assert not any(view.updatesEnabled() for view in on_screen)
        w._release_frame()
        assert all(view.updatesEnabled() for view in on_screen)
    finally:
        w.controller.close()


def test_unknown_lesson_is_named():
    from weightstudio.core.lessons import get_lesson

    with pytest.raises(KeyError, match="unknown lesson 'x'"):
        get_lesson("x")


def test_a_lesson_from_the_menu_trains_its_runs_and_the_timeline_moves_them_together(qtbot, studio):

    w = studio("quadratic-1-10-1")
    w.training_bar.epochs_spin.setValue(3)
    with qtbot.waitSignal(w.run_finished, timeout=30_000):
        w.controller.start()
    earlier = w.model.keep_live()  # a run from before the lesson: hidden while the lesson compares its own
    w.rebuild()
    action = next(a for a in w.lesson_actions if a.objectName() == "lesson_learning-rates")
    assert "diverges" in action.toolTip() or "overshoots" in action.toolTip()
    action.trigger()
    qtbot.waitUntil(lambda: len(w.model.runs) == 4 and w.controller.state in ("finished", "diverged")
                    and not w._vary_queue, timeout=90_000)
    assert not w.model.meta(earlier).visible
    w.model.close(earlier)
    runs = {w.model.meta(r).label.rpartition(" ")[2]: r for r in w.model.runs}
    assert set(runs) == {"0.01", "0.2", "2"} and runs["2"].history.status == "diverged"
    assert all(w.model.meta(r).visible for r in w.model.runs)  # the lesson's runs, all shown
    assert {w.model.meta(r).label for r in w.model.runs} == {
        f"quadratic-1-10-1 · learning rate {v}" for v in ("0.01", "0.2", "2")}
    w.model.set_current(runs["0.01"])
    others = {w.model.meta(runs[v]).label for v in ("0.2", "2")}
    assert w.heatmap_view.matrices[0].run_label == w.model.meta(runs["0.01"]).label
    assert {m.run_label for m in w.heatmap_view.matrices[1:]} == others  # every other shown run beside it
    assert set(w.weights_view.bands()) == {id(r) for r in runs.values()}
    w.timeline_bar.slider.setValue(10)  # epoch 10 in every run
    assert w.model.shown == 10
    step = int(runs["0.01"].history.snapshot_steps()[10])
    for value in ("0.2", "2"):
        label = w.model.meta(runs[value]).label
        np.testing.assert_array_equal(dict(w.heatmap_view.images())[label],
                                      runs[value].param_values("0.weight", 10)[1].reshape(10, 1))
        assert int(runs[value].history.snapshot_steps()[10]) == step
    last = runs["2"].history.snapshot_count() - 1
    w.timeline_bar.slider.setValue(last + 20)  # past the diverged run's end: its last state, and the label says so
    label = w.model.meta(runs["2"]).label
    np.testing.assert_array_equal(dict(w.heatmap_view.images())[label],
                                  runs["2"].param_values("0.weight", last)[1].reshape(10, 1))
    assert "1 compared run(s) ended earlier" in w.timeline_bar.label.text()
    x, y = w.fit_view.compared_curves()[id(runs["0.2"])]
    params = runs["0.2"].history.snapshot(last + 20).params
    np.testing.assert_allclose(y, runs["0.2"].predict(params, x[:, None].astype(np.float32))[:, 0], rtol=1e-6)
    w.model.set_visible(runs["2"], False)
    assert len(w.heatmap_view.matrices) == 2


def test_compare_with_a_lesson_writes_comparison_figures_drawn_by_the_views(tmp_path, capsys):
    from PySide6.QtGui import QImage

    from weightstudio import cli
    from weightstudio.gui.figures import HEATMAP_CELL

    out = tmp_path / "lr"
    code = cli.main(["compare", "--lesson", "learning-rates", "--epochs", "5", "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err  # lr 2 has not diverged after 5 epochs
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["1-lr-0.01", "2-lr-0.2", "3-lr-2"]
    images = {name: QImage(str(out / name)) for name in ("loss.png", "weights.png", "heatmaps.png")}
    assert all(not img.isNull() and img.width() >= 600 for img in images.values())
    # heatmaps.png: a row per weight parameter (0.weight, 2.weight), each the three runs side by side
    assert HEATMAP_CELL[1] * 1.5 < images["heatmaps.png"].height() <= 2 * HEATMAP_CELL[1]  # the plots, no choosers
    assert images["heatmaps.png"].width() == 3 * HEATMAP_CELL[0]


def test_compare_without_vary_or_lesson_says_so(tmp_path, capsys):
    from weightstudio import cli

    assert cli.main(["compare", "--preset", "linear-5x1", "--out", str(tmp_path / "x")]) == 2
    assert "give --vary" in capsys.readouterr().err
    assert cli.main(["compare", "--lesson", "nope", "--out", str(tmp_path / "y")]) == 2
    assert "unknown lesson 'nope'" in capsys.readouterr().err


def test_short_labels_keep_what_tells_runs_apart():
    from weightstudio.gui.views.overlays import short_labels

    assert short_labels(["digits-mlp · optimizer sgd", "digits-mlp · optimizer adam"]) == ["optimizer sgd",
                                                                                           "optimizer adam"]
    assert short_labels(["a · b", "c · b"]) == ["a · b", "c · b"]
    assert short_labels(["same", "same"]) == ["same", "same"]
    assert short_labels(["solo"]) == ["solo"]
    assert short_labels(["m · weight init normal", "m · weight init kaiming_normal"], words=True) == [
        "normal", "kaiming_normal"]


def test_the_timeline_marker_names_the_epoch_it_stands_at(qtbot):
    from weightstudio.gui.views import LossView

    view = LossView()
    qtbot.addWidget(view)
    view.set_run(run_of("quadratic-1-10-1", 20))
    view.show_snapshot(7)
    assert view.marker_epoch() == 7 and view._marker.label.toPlainText() == "epoch 7"


def test_duplicate_with_another_init_then_both_heatmaps_side_by_side_on_one_scale(qtbot, studio):

    w = studio("quadratic-1-10-1")
    w.training_bar.epochs_spin.setValue(5)
    with qtbot.waitSignal(w.run_finished, timeout=30_000):
        w.controller.start()
    original = w.model.live
    w.duplicate_run()
    w.apply_config(apply(w.current_config(), "weight_init", "kaiming_normal"))
    with qtbot.waitSignal(w.run_finished, timeout=30_000):
        w.controller.start()
    copy = w.model.live
    assert copy is not original and len(w.model.runs) == 2
    # the edit (a change of init) replaced the copy's run, not its name: the two stay told apart
    assert w.model.meta(copy).label == f"{w.model.meta(original).label} (copy)"
    assert w.runs_panel.table.item(0, 1).text() == w.model.meta(copy).label
    w.heatmap_view.set_param("0.weight")
    w._refresh_all(force=True)
    (_, mine), (_, theirs) = w.heatmap_view.images()  # the current run (the copy) first
    np.testing.assert_array_equal(mine, copy.param_values("0.weight")[1].reshape(10, 1))
    np.testing.assert_array_equal(theirs, original.param_values("0.weight")[1].reshape(10, 1))
    assert not np.array_equal(mine, theirs)
    levels = w.heatmap_view.run_levels()
    peak = max(_max_abs(r, "0.weight", i) for r in (copy, original) for i in range(r.history.snapshot_count()))
    assert levels == [(-nice_ceiling(peak), nice_ceiling(peak))] * 2


def test_vary_the_optimizer_on_digits_gives_four_runs_equal_to_solo_cli_runs_and_removing_one_frees_it(
        qtbot, studio, tmp_path):
    import gc
    import weakref

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from weightstudio import cli
    from weightstudio.core.io import load_npz

    optimizers = ("sgd", "adam", "rmsprop", "adagrad")
    w = studio("digits-mlp")

    def fill_the_dialog():  # what a user does in Runs ▸ Vary…: pick the setting, type the values, press OK
        dialog = QApplication.activeModalWidget()
        dialog.setting_combo.setCurrentIndex(dialog.setting_combo.findData("optimizer"))
        dialog.values_edit.setText(", ".join(optimizers))
        dialog.buttons.button(QDialogButtonBox.Ok).click()

    w.training_bar.epochs_spin.setValue(2)
    QTimer.singleShot(200, fill_the_dialog)
    w.vary_action.trigger()
    qtbot.waitUntil(lambda: len(w.model.runs) == 4 and w.controller.state == "finished" and not w._vary_queue,
                    timeout=120_000)
    runs = {w.model.meta(r).label.rpartition(" ")[2]: r for r in w.model.runs}
    assert set(runs) == set(optimizers)
    for opt in optimizers:
        out = tmp_path / opt
        assert cli.main(["train", "--preset", "digits-mlp", "--optimizer", opt, "--epochs", "2", "--out",
                         str(out), "--no-figures", "--quiet"]) == 0
        solo = load_npz(out / "history.npz")["steps/loss"]
        w.model.set_current(runs[opt])
        w._refresh_all(force=True)
        _, drawn = w.loss_view.loss_curve()  # its own curve, in the loss view
        np.testing.assert_array_equal(drawn, solo.astype(np.float64), err_msg=opt)  # 46 steps: not decimated
    overlaid = w.loss_view.overlay_curves()  # the other three, drawn over it in their colours
    assert len(overlaid) == 3
    for opt in optimizers[:3]:
        np.testing.assert_array_equal(overlaid[w.model.meta(runs[opt]).label][1],
                                      runs[opt].history.step_data()["loss"].astype(np.float64))
    assert len({w.model.meta(r).colour for r in w.model.runs}) == 4

    # Remove the sgd run from the Runs table: its history object and its shared memory go.
    removed = runs.pop("sgd")
    segment, gone = removed.history.segment_name, weakref.ref(removed.history)
    w.runs_panel.table.selectRow(next(i for i, r in enumerate(w.model.runs) if r is removed))
    w.runs_panel.remove_selected()
    del removed
    assert len(w.model.runs) == 3 and set(map(id, w.model.runs)) == set(map(id, runs.values()))
    w._refresh_all(force=True)
    gc.collect()
    assert gone() is None
    with open("/proc/self/maps") as maps:
        assert segment not in maps.read()  # unmapped, not only unlinked
    assert not (Path("/dev/shm") / segment).exists()
