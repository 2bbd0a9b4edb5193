"""The views, driven with real (short) training runs: what each view holds must be what the run recorded."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QToolButton

from weightstudio.core.engine import Trainer
from weightstudio.core.presets import get_preset
from weightstudio.core.run_data import RunData
from weightstudio.core.spec import linear_stack
from weightstudio.gui.figures import write_figures
from weightstudio.gui.views import FitView, HeatmapGridView, HeatmapView, LossView, WeightsView
from weightstudio.gui.views.fit_modes import fit_mode_for, region_values
from weightstudio.gui.views.heatmaps import HeatmapMode
from weightstudio.gui.views.matrix import arrange


def train(preset: str, epochs: int = 3, config_edit=None) -> tuple[Trainer, RunData]:
    cfg = get_preset(preset).config()
    cfg.train.epochs = epochs
    if config_edit is not None:
        config_edit(cfg)
    trainer = Trainer(cfg)
    trainer.run()
    return trainer, RunData(trainer.config, trainer.dataset, trainer.history)


_RUNS: dict[str, tuple[Trainer, RunData]] = {}


def trained(preset: str) -> RunData:
    """A finished 3-epoch run of `preset`, shared by the tests that only read it."""
    if preset not in _RUNS:
        _RUNS[preset] = train(preset)
    return _RUNS[preset][1]


def make(qtbot, cls, run=None, size=(900, 600)):
    view = cls()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    if run is not None:
        view.set_run(run)
        assert view.refresh(force=True)
    return view


def traced_by_param(run: RunData) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    h = run.history
    steps, values = h.trace_data()
    return {name: (steps / h.steps_per_epoch, values[:, sl]) for name, sl in h.trace_param_slices().items()}


# ---- weights ----


def test_weights_view_draws_one_line_per_traced_weight_with_the_recorded_values(qtbot):
    run = trained("quadratic-1-10-1")
    view = make(qtbot, WeightsView, run)
    h = run.history
    assert view.line_count() == h.n_traced == 31
    assert len(view.curve_items()) == len(h.params)  # one item per parameter, not per weight
    expected = traced_by_param(run)
    lines = view.lines()
    assert set(lines) == {p.name for p in h.params}
    for name, (x, values) in lines.items():
        np.testing.assert_allclose(x, expected[name][0])
        np.testing.assert_array_equal(values, expected[name][1])
        # Short run: nothing to decimate, so the drawn curve is the record, one connected run per weight.
        xs, ys, connect = view.drawn_curve(name)
        k = values.shape[1]
        np.testing.assert_array_equal(ys, values.T.ravel())
        assert (~connect).sum() == k
    labels = view.line_labels()
    assert labels["0.weight"][3] == "0.weight[3, 0]"
    assert view.note_text() == ""  # every weight traced and drawn


def test_weights_hover_names_the_nearest_line(qtbot):
    run = trained("quadratic-1-10-1")
    view = make(qtbot, WeightsView, run)
    x, values = view.lines()["2.weight"]
    v = float(values[-1, 4])
    text = view.describe_point(float(x[-1]), v, tolerance=1e-6)
    assert text == f"2.weight[0, 4] = {v:.4g} at epoch 3"
    assert view.describe_point(float(x[-1]), 1e6, tolerance=1e-3) is None


def test_weights_chooser_and_per_weight_plots_for_linear_5x1(qtbot):
    run = trained("linear-5x1")
    view = make(qtbot, WeightsView, run)
    chooser = view.findChild(QToolButton, "weightsLayerChooser")
    check = view.findChild(QCheckBox, "perWeightCheck")
    assert chooser is not None and check is not None
    assert check.isEnabled()  # 6 traced values (5 weights and the bias) ≤ 8
    qtbot.mouseClick(check, Qt.LeftButton)
    assert view.per_weight()
    titles = [p.titleLabel.text for p in view.per_weight_plots()]
    assert titles == [f"0.weight[0, {i}]" for i in range(5)] + ["0.bias[0]"]
    # "Weights only": the seed's figure, one plot per input weight.
    view.set_visible_params(["0.weight"])
    assert view.per_weight_plot_count() == 5
    assert view.line_count() == 5
    small = view.small_plots()[2]
    assert small.plot is view.per_weight_plots()[2]
    np.testing.assert_array_equal(small.curve.getData()[1], view.lines()["0.weight"][1][:, 2])
    check.setChecked(False)
    assert view.line_count() == 5 and view.curve_items()["0.weight"].isVisible()
    assert not view.curve_items()["0.bias"].isVisible()


def test_per_weight_mode_is_offered_only_for_few_weights(qtbot):
    view = make(qtbot, WeightsView, trained("quadratic-1-10-1"))
    check = view.findChild(QCheckBox, "perWeightCheck")
    assert not check.isEnabled()  # 31 weights
    view.set_visible_params(["2.weight"])  # 10
    assert not check.isEnabled()
    view.set_visible_params(["2.bias"])
    assert check.isEnabled()


def test_weights_note_when_the_history_traces_a_sample(qtbot):
    def bigger(cfg):
        cfg.model = linear_stack([64, 400, 10])
    _, run = train("digits-mlp", 1, bigger)
    h = run.history
    assert h.sampled
    view = make(qtbot, WeightsView, run)
    assert f"showing {h.n_traced:,} sampled weights of {h.total_weights:,}" in view.note_text()
    assert view.note.isVisibleTo(view)
    assert "0.weight, 2.weight: median and 10–90 % of" in view.note_text()  # large layers: bands by default
    view.set_all_lines(True)
    assert view.line_count() == sum(v.shape[1] for _, v in view.lines().values()) <= view.max_lines + 8 * 4


# ---- heatmaps ----


def test_heatmap_shows_the_linear_weight_as_out_by_in_and_its_change_and_gradient(qtbot):
    run = trained("quadratic-1-10-1")
    h = run.history
    view = make(qtbot, HeatmapView, run)
    combo = view.findChild(QComboBox, "heatmapLayerCombo")
    modes = view.findChild(QComboBox, "heatmapModeCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "0.weight (10×1)", "0.bias (10)", "2.weight (1×10)", "2.bias (1)"]
    assert [modes.itemText(i) for i in range(modes.count())] == [
        "Value", "Change since init (W − W₀)", "Gradient"]
    _, latest = h.latest_params()
    view.set_param("2.weight")
    assert view.current_param() == "2.weight"
    img = view.image()
    assert img.dtype == np.float32 and img.flags.c_contiguous and img.shape == (1, 10)
    np.testing.assert_array_equal(img, latest["2.weight"])
    lo, hi = view.levels()
    assert lo == -hi and hi >= np.abs(img).max()
    view.set_mode(HeatmapMode.CHANGE)
    np.testing.assert_allclose(view.image(), latest["2.weight"] - h.snapshot(0).params["2.weight"])
    view.set_mode(HeatmapMode.GRADIENT)
    np.testing.assert_array_equal(view.image(), h.snapshot(-1).grads["2.weight"])
    view.set_param("0.bias")
    assert view.image().shape == (1, 10)
    assert view.describe(0, 4).startswith("0.bias[4] = ")
    view.set_param("0.weight")
    assert view.image().shape == (10, 1)
    assert view.describe(3, 0).startswith("0.weight[3, 0] = ")


def test_an_unknown_heatmap_mode_is_refused_by_name(qtbot):
    view = make(qtbot, HeatmapView, trained("quadratic-1-10-1"))
    with pytest.raises(KeyError, match="unknown heatmap mode 'Sparsity'.*Gradient"):
        view.set_mode("Sparsity")
    assert view.mode() is HeatmapMode.VALUE
    view.set_mode("Gradient")  # the chooser's text works as well as the enum
    assert view.mode() is HeatmapMode.GRADIENT
    with pytest.raises(KeyError, match="unknown heatmap mode"):
        HeatmapGridView(mode="Sparsity")


def test_show_snapshot_zero_shows_the_initial_weights(qtbot):
    run = trained("quadratic-1-10-1")
    h = run.history
    first = h.snapshot(0)
    heat = make(qtbot, HeatmapView, run)
    heat.set_param("0.weight")
    heat.show_snapshot(0)
    np.testing.assert_array_equal(heat.image(), first.params["0.weight"])
    heat.set_mode(HeatmapMode.CHANGE)
    assert not np.abs(heat.image()).any()
    heat.set_mode(HeatmapMode.GRADIENT)
    assert heat.message() == "no gradient yet"
    assert np.isnan(heat.image()).all()
    heat.set_mode(HeatmapMode.VALUE)
    assert heat.message() == ""

    fit = make(qtbot, FitView, run)
    fit.show_snapshot(0)
    x, y = fit.prediction_curve()
    np.testing.assert_allclose(y, run.predict(first.params, x[:, None])[:, 0], rtol=1e-6)
    assert fit.shown_step() == 0

    weights = make(qtbot, WeightsView, run)
    loss = make(qtbot, LossView, run)
    for v in (weights, loss):
        assert v.marker_epoch() is None
        v.show_snapshot(2)
        assert v.marker_epoch() == pytest.approx(h.snapshot_steps()[2] / h.steps_per_epoch)
        v.show_snapshot(None)
        assert v.marker_epoch() is None
    fit.show_snapshot(None)
    _, latest = h.latest_params()
    np.testing.assert_allclose(fit.prediction_curve()[1], run.predict(latest, x[:, None])[:, 0], rtol=1e-6)


def test_heatmap_of_a_conv_weight_is_a_kernel_grid(qtbot):
    run = trained("digits-cnn")
    view = make(qtbot, HeatmapView, run, size=(420, 1000))  # tall: one output channel a row (wide: tests/test_watch2)
    _, latest = run.history.latest_params()
    w = latest["3.weight"]  # (16, 8, 3, 3)
    view.set_param("3.weight")
    img = view.image()
    assert img.shape == (16 * 4 - 1, 8 * 4 - 1)
    for o, i, r, c in [(0, 0, 0, 0), (15, 7, 2, 2), (5, 3, 1, 2)]:
        assert img[o * 4 + r, i * 4 + c] == w[o, i, r, c]
        assert view.describe(o * 4 + r, i * 4 + c).startswith(f"3.weight[{o}, {i}, {r}, {c}] = ")
    assert np.isnan(img[3::4, :]).all() and np.isnan(img[:, 3::4]).all()  # the 1-pixel gaps
    assert view.describe(3, 0) is None
    assert np.isfinite(img).sum() == w.size
    # One input channel: the 8 kernels wrap into a 3×3 block (row by row) instead of one tall column.
    view.resize(640, 640)
    qtbot.waitUntil(lambda: view.height() == 640)
    view.set_param("0.weight")
    img0, w0 = view.image(), latest["0.weight"]
    assert img0.shape == (11, 11)
    assert img0[4 + 2, 4 * 2 + 1] == w0[5, 0, 2, 1]
    assert view.describe(6, 9).startswith("0.weight[5, 0, 2, 1] = ")
    assert np.isfinite(img0).sum() == w0.size
    np.testing.assert_array_equal(arrange(w0, w0.shape)[np.isfinite(img0)], img0[np.isfinite(img0)])


def test_heatmap_grid_holds_every_weight_matrix(qtbot):
    run = trained("digits-cnn")
    view = make(qtbot, HeatmapGridView, run, size=(1300, 420))
    images = view.images()
    assert list(images) == ["0.weight", "3.weight", "6.weight"]
    assert images["6.weight"].shape == (10, 256)
    _, latest = run.history.latest_params()
    np.testing.assert_array_equal(images["6.weight"], latest["6.weight"])


# ---- fit ----


def test_fit_curve_is_the_models_prediction_on_a_grid_over_the_data(qtbot):
    run = trained("quadratic-1-10-1")
    view = make(qtbot, FitView, run)
    assert view.mode() == "curve"
    x, y = view.prediction_curve()
    xs = run.dataset.x_train[:, 0]
    assert len(x) == 200 and x[0] == xs.min() and x[-1] == xs.max()
    _, latest = run.history.latest_params()
    np.testing.assert_allclose(y, run.predict(latest, x[:, None])[:, 0], rtol=1e-6)
    mse = float(np.mean((run.predict(latest, run.dataset.x_train) - run.dataset.y_train) ** 2))
    assert view.metrics_text() == f"Loss={mse:.4f} (epoch 3)"


def test_fit_predicted_vs_true_for_several_inputs(qtbot):
    run = trained("linear-5x1")
    view = make(qtbot, FitView, run)
    assert view.mode() == "scatter"
    true, pred = view.predicted_vs_true()
    _, latest = run.history.latest_params()
    np.testing.assert_array_equal(true, run.dataset.y_train.ravel())
    np.testing.assert_allclose(pred, run.predict(latest, run.dataset.x_train).ravel(), rtol=1e-6)


def test_fit_decision_regions_for_2d_classification(qtbot):
    run = trained("simplenet-2-5-1")
    view = make(qtbot, FitView, run)
    assert view.mode() == "regions"
    img = view.decision_image()
    xs, ys = view.decision_grid()
    assert img.shape == (len(ys), len(xs)) == (100, 100) and img.dtype == np.float32
    gx, gy = np.meshgrid(xs, ys)
    _, latest = run.history.latest_params()
    prob = run.predict(latest, np.stack([gx.ravel(), gy.ravel()], 1))
    np.testing.assert_array_equal(np.floor(img).ravel().astype(int), prob.argmax(1))
    sure = np.clip((prob.max(1) - 0.5) / 0.5, 0, 1)
    frac = img.ravel() % 1
    assert np.all(np.diff(frac[np.argsort(sure)]) >= -1e-6)  # surer ⇒ deeper colour
    # Every value's LUT entry lies inside its class's colour band (no pixel borrows a neighbour's colour).
    k = 2
    index = np.clip(np.floor(img.ravel() * 256 / k), 0, 255).astype(int)
    np.testing.assert_array_equal(np.floor((index + 0.5) * k / 256).astype(int), prob.argmax(1))


def test_fit_sample_grid_for_images(qtbot):
    run = trained("digits-cnn")
    view = make(qtbot, FitView, run)
    assert view.mode() == "samples"
    labels = view.sample_labels()
    assert len(labels) == 24
    idx = view.sample_indices()
    _, latest = run.history.latest_params()
    pred = run.predict(latest, run.dataset.x_val[idx]).argmax(1)
    names = run.dataset.class_names
    assert labels == [(names[p], names[t]) for p, t in zip(pred, run.dataset.y_val[idx])]
    colors = [label.item.color for label in view.fit_mode.labels]
    assert len(colors) == 24
    for color, (p, t) in zip(colors, labels):  # wrong ones in red, right ones in the text colour
        assert (color.red() > 150 and color.green() < 50) == (p != t), (p, t, color.name())


def test_fit_confusion_matrix_for_other_classification(qtbot):
    run = trained("digits-mlp")
    view = make(qtbot, FitView, run)
    assert view.mode() == "confusion"
    cm = view.confusion_matrix()
    ds = run.dataset
    _, latest = run.history.latest_params()
    pred = run.predict(latest, ds.x_val).argmax(1)
    expected = np.zeros((10, 10), int)
    np.add.at(expected, (ds.y_val, pred), 1)
    np.testing.assert_array_equal(cm, expected)
    # The caption's numbers are the training loss on the same samples, as RunData.evaluate computes it.
    loss, acc = run.evaluate(latest, ds.x_val, ds.y_val)
    assert acc == pytest.approx(np.trace(cm) / cm.sum())
    assert view.metrics_text() == f"Loss={loss:.4f}, accuracy {100 * acc:.1f}% (epoch 3)"


def test_fit_mode_table_follows_the_loss_and_the_data_shape():
    from types import SimpleNamespace

    def mode(fit, feature_shape, y):
        run = SimpleNamespace(loss=SimpleNamespace(fit=fit), dataset=SimpleNamespace(feature_shape=feature_shape,
                                                                                      y_train=y))
        return fit_mode_for(run).name

    one_target, two_targets, labels = np.zeros((4, 1)), np.zeros((4, 2)), np.zeros(4, int)
    assert mode("predictions", (1,), one_target) == "curve"
    assert mode("predictions", (1,), two_targets) == "scatter"
    assert mode("predictions", (2,), one_target) == "scatter"
    assert mode("predictions", (1, 8, 8), one_target) == "scatter"
    assert mode("classes", (2,), labels) == "regions"
    assert mode("classes", (3, 32, 32), labels) == "samples"
    assert mode("classes", (1,), labels) == "confusion"
    assert mode("classes", (64,), labels) == "confusion"


# ---- loss ----


def test_loss_curves_are_the_recorded_losses_and_log_scale_toggles(qtbot):
    run = trained("digits-cnn")
    view = make(qtbot, LossView, run)
    steps = run.history.step_data()
    x, y = view.loss_curve()
    np.testing.assert_allclose(x, steps["epoch"])
    np.testing.assert_allclose(y, steps["loss"], rtol=1e-6)
    ep = run.history.epoch_data()
    vx, vy = view.val_curve()
    np.testing.assert_array_equal(vx, ep["epoch"])
    np.testing.assert_array_equal(vy, ep["val_loss"])
    ax, ay = view.accuracy_curve()
    np.testing.assert_allclose(ay, 100 * steps["accuracy"], rtol=1e-6)
    assert view.acc_plot is not None

    check = view.findChild(QCheckBox, "logScaleCheck")
    assert check is not None and check.text() == "Log scale" and not check.isChecked()
    qtbot.mouseClick(check, Qt.LeftButton)
    assert view.log_scale()
    assert view.loss_plot.getAxis("left").logMode
    np.testing.assert_allclose(view._train.getData()[1], np.log10(steps["loss"]), rtol=1e-5)
    np.testing.assert_allclose(view.loss_curve()[1], steps["loss"], rtol=1e-6)  # accessor stays in loss units
    qtbot.mouseClick(check, Qt.LeftButton)
    assert not view.loss_plot.getAxis("left").logMode
    np.testing.assert_allclose(view._train.getData()[1], steps["loss"], rtol=1e-6)


def test_regression_loss_view_has_no_accuracy_plot(qtbot):
    view = make(qtbot, LossView, trained("quadratic-1-10-1"))
    assert view.acc_plot is None
    assert len(view.val_curve()[0]) == 0


# ---- the refresh contract ----


def test_refresh_redraws_only_when_the_history_changed(qtbot):
    trainer, run = train("quadratic-1-10-1", 5)
    trainer.config.train.epochs = 10
    views = [make(qtbot, cls) for cls in (FitView, LossView, WeightsView, HeatmapView)]
    for v in views:
        assert not v.refresh()  # no run
        v.set_run(run)
        assert v.refresh()
        assert not v.refresh()
        assert v.refresh(force=True)
    trainer.run_epoch()
    for v in views:
        assert v.refresh()
        assert not v.refresh()
    assert views[2].lines()["0.weight"][0][-1] == 6
    for v in views:
        v.set_run(None)
        assert not v.refresh(force=True)


def test_views_follow_a_reset_run(qtbot):
    trainer, run = train("quadratic-1-10-1", 3)
    view = make(qtbot, WeightsView, run)
    trainer.reset()  # a fresh History in the trainer; the window hands the views a new RunData
    run2 = RunData(trainer.config, trainer.dataset, trainer.history)
    view.set_run(run2)
    assert view.refresh()
    assert len(view.lines()["0.weight"][0]) == 1  # only the initial state


# ---- figures ----


def _not_blank(path) -> bool:
    """The PNG loads and holds many distinct colours (not one flat fill)."""
    img = QImage(str(path))
    assert not img.isNull(), path
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    words = np.frombuffer(img.constBits(), np.uint32, img.sizeInBytes() // 4)
    words = words.reshape(img.height(), img.bytesPerLine() // 4)[:, : img.width()]
    return len(np.unique(words)) > 10


@pytest.mark.parametrize("preset", ["quadratic-1-10-1", "linear-5x1", "digits-cnn", "simplenet-2-5-1"])
def test_write_figures_writes_non_blank_pngs(qtbot, tmp_path, preset):
    run = trained(preset)
    paths = write_figures(run, tmp_path / preset)
    assert [p.name for p in paths] == ["loss.png", "weights.png", "heatmaps.png", "fit.png"]
    for p in paths:
        assert p.exists() and _not_blank(p), p
    weights = QImage(str(tmp_path / preset / "weights.png"))
    if run.history.n_traced <= 8:  # lines and the one-plot-per-weight panel side by side
        assert weights.width() == 1000 + 700
    else:
        assert weights.width() == 1000


# ---- soak: the PySide6 pin guard ----


def test_soak_two_thousand_refreshes_of_a_growing_run(qtbot):
    """PySide6 6.12.0 aborted after ~2,000 repaints of a live curve (docs/architecture.md): redraw and paint that
    many times while the history grows, as the main window's timers would, and count the redraws."""
    trainer, run = train("quadratic-1-10-1", 1)
    trainer.config.train.epochs = 10_000
    fit, loss = make(qtbot, FitView, run, (500, 350)), make(qtbot, LossView, run, (500, 350))
    weights, heat = make(qtbot, WeightsView, run, (500, 350)), make(qtbot, HeatmapView, run, (500, 350))
    fast, slow = [fit, loss], [weights, heat]
    app = QApplication.instance()
    drawn = [0, 0, 0, 0]
    for i in range(2000):
        trainer.run_epoch()
        for j, v in enumerate(fast):
            drawn[j] += v.refresh()
        if i % 3 == 0:
            for j, v in enumerate(slow, 2):
                drawn[j] += v.refresh()
        # The user acts between polls (an action redraws at once, so a poll right after it would find nothing new).
        if i == 700:
            weights.set_visible_params(["0.weight", "2.weight"])
            heat.set_mode(HeatmapMode.CHANGE)
            loss.set_log_scale(True)
        if i == 1400:
            for v in fast + slow:
                v.show_snapshot(i // 2)
        app.processEvents()  # paint
    # Every epoch changes the history, so every poll redraws: each epoch for the fast views, one in three for the
    # slow ones (the main window's two paces).
    assert drawn == [2000, 2000, 667, 667]
    assert all(v.draw_count >= n for v, n in zip(fast + slow, drawn))
    # The last epoch came after the slow views' last poll: there is something new to draw, once.
    assert weights.refresh()
    assert not weights.refresh()
    # What the views hold is the run: the weights' lines run to the newest step, the others show snapshot 700.
    h = run.history
    assert weights.lines()["0.weight"][0][-1] == 2001 and weights.line_count() == 20
    assert loss.loss_curve()[0][-1] == pytest.approx(2001) and loss.log_scale()
    assert loss.marker_epoch() == pytest.approx(h.snapshot_steps()[700] / h.steps_per_epoch)
    snap = h.snapshot(700)
    assert fit.shown_step() == snap.step
    x, y = fit.prediction_curve()
    np.testing.assert_allclose(y, run.predict(snap.params, x[:, None])[:, 0], rtol=1e-6)
    np.testing.assert_allclose(heat.image(), snap.params["0.weight"] - h.snapshot(0).params["0.weight"])


def test_region_values_never_cross_into_a_neighbouring_colour_band():
    rng = np.random.default_rng(1)
    for k in (2, 3, 7, 10):
        prob = rng.dirichlet(np.full(k, 0.3), 5000)
        prob[:10] = np.eye(k)[rng.integers(0, k, 10)]  # fully sure
        v = region_values(prob)
        index = np.clip(np.floor(v * 256 / k), 0, 255).astype(int)  # pyqtgraph: (v - lo) * n_lut / (hi - lo)
        np.testing.assert_array_equal(np.floor((index + 0.5) * k / 256).astype(int), prob.argmax(1))


def _hover(qtbot, graphics_view, plot, x, y):
    """Move the mouse to data point (x, y) of `plot` inside `graphics_view`."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    scene_pt = plot.vb.mapViewToScene(pg_point(x, y))
    view_pt = graphics_view.mapFromScene(scene_pt)
    QTest.mouseMove(graphics_view.viewport(), QPoint(int(view_pt.x()), int(view_pt.y())))
    QApplication.processEvents()


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(float(x), float(y))


def test_hovering_names_the_nearest_weight(qtbot):
    run = trained("quadratic-1-10-1")
    weights = make(qtbot, WeightsView, run)
    QApplication.processEvents()
    x, values = weights.lines()["0.weight"]
    row = len(x) // 2
    _hover(qtbot, weights.lines_widget, weights.plot, x[row], values[row, 7])
    text = weights.hover_text()
    assert text.startswith("0.weight[") and " at epoch " in text, text
    assert weights._hover_text.isVisible()


def test_hovering_the_heatmap_names_the_pixel(qtbot):
    run = trained("quadratic-1-10-1")
    heat = make(qtbot, HeatmapView, run)
    heat.set_param("0.weight")
    QApplication.processEvents()
    _hover(qtbot, heat.layout_widget, heat.matrix.plot, 0, 6)  # column 0, row 6
    _, latest = run.history.latest_params()
    assert heat.hover_text().startswith(f"0.weight[6, 0] = {latest['0.weight'][6, 0]:.4g}"), heat.hover_text()


def test_views_draw_a_fresh_run_before_any_step_and_an_empty_selection(qtbot):
    cfg = get_preset("simplenet-2-5-1").config()
    trainer = Trainer(cfg)
    run = RunData(trainer.config, trainer.dataset, trainer.history)
    for cls in (FitView, LossView, WeightsView, HeatmapView):
        view = make(qtbot, cls, run)
        assert not view.refresh()
    weights = make(qtbot, WeightsView, run)
    assert len(weights.lines()["0.weight"][0]) == 1  # the initial state
    weights.set_visible_params([])
    assert weights.line_count() == 0 and not weights.per_weight_check.isEnabled()
    heat = make(qtbot, HeatmapView, run)
    heat.set_mode(HeatmapMode.GRADIENT)
    assert heat.message() == "no gradient yet"


def test_heatmap_levels_are_symmetric_and_stay_put_while_streaming(qtbot):
    from weightstudio.gui.views.matrix import MatrixPlot
    from weightstudio.core.builder import ParamInfo
    import pyqtgraph as pg

    w = pg.GraphicsLayoutWidget()
    qtbot.addWidget(w)
    m = MatrixPlot(w.ci)
    info = ParamInfo("0.weight", (2, 2), 4, 0, "Linear", (2,))
    m.show(info, np.array([[0.3, -0.1], [0.0, 0.2]], np.float32))
    assert m.levels() == (-0.3, 0.3)
    m.show(info, np.array([[0.33, -0.1], [0.0, 0.2]], np.float32))
    assert m.levels() == (-0.4, 0.4)  # grew to the next round number
    m.show(info, np.array([[0.25, -0.1], [0.0, 0.2]], np.float32))
    assert m.levels() == (-0.4, 0.4)  # fixed while values stay inside
    m.show(info, np.array([[0.05, -0.01], [0.0, 0.02]], np.float32))
    assert m.levels() == (-0.05, 0.05)  # re-fitted when they fade below a fifth
    m.reset_levels()
    m.show(info, np.array([[0.25, -0.1], [0.0, 0.2]], np.float32))
    assert m.levels() == (-0.25, 0.25)
    assert m.img.levels is not None and tuple(m.img.levels) == (-0.25, 0.25)
