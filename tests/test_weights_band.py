"""The weights view summarises a large parameter by a band (median and 10–90 % of its weights at each step) and
draws every line on demand (issue 9, finding 12): what the band holds must be the percentiles of the weights it
summarises, in every mode the view has."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from weightstudio.core.engine import Trainer
from weightstudio.core.presets import get_preset
from weightstudio.core.run_data import RunData
from weightstudio.core.spec import linear_stack
from weightstudio.gui.views import WeightsView
from weightstudio.gui.views.base import Frame
from weightstudio.gui.views.weight_bands import DerivedRows, band_columns
from weightstudio.gui.views.weights import BAND_ABOVE

from helpers import recorded_mse_steps, show_view

GREY = (150, 150, 150)


def train(preset: str, epochs: int = 3, model=None) -> tuple[Trainer, RunData]:
    cfg = get_preset(preset).config()
    cfg.train.epochs = epochs
    if model is not None:
        cfg.model = model
    trainer = Trainer(cfg)
    trainer.run()
    return trainer, RunData(trainer.config, trainer.dataset, trainer.history)


_RUNS: dict[tuple, tuple[Trainer, RunData]] = {}


def trained(preset: str, epochs: int = 3) -> RunData:
    """A finished run, shared by the tests that only read it."""
    if (preset, epochs) not in _RUNS:
        _RUNS[preset, epochs] = train(preset, epochs)
    return _RUNS[preset, epochs][1]


def make(qtbot, run, size=(900, 600)) -> WeightsView:
    return show_view(qtbot, WeightsView, run, size)


def percentiles(values: np.ndarray) -> np.ndarray:
    return np.percentile(values, (10, 50, 90), axis=1).T


def assert_bands_are_the_percentiles_of_the_lines(view: WeightsView) -> None:
    lines = view.lines()
    bands = view.weight_bands()
    assert bands
    for key, (x, q) in bands.items():
        xl, values = lines[key]
        np.testing.assert_array_equal(x, xl)
        np.testing.assert_allclose(q, percentiles(values), rtol=1e-6, atol=1e-7)


def test_a_large_layer_is_a_band_by_default_whose_lines_are_its_percentiles(qtbot):
    run = trained("digits-mlp")
    view = make(qtbot, run)
    assert not view.all_lines() and view.all_lines_check.isEnabled()
    assert view.all_lines_check.objectName() == "weightsAllLinesCheck" and view.all_lines_check.toolTip()
    held = {n: v.shape[1] for n, (_, v) in view.lines().items()}
    assert view.banded_params() == [n for n, k in held.items() if k > BAND_ABOVE] == ["0.weight", "2.weight"]
    assert_bands_are_the_percentiles_of_the_lines(view)
    x, q = view.weight_bands()["0.weight"]
    assert len(x) == run.history.trace_data()[0].size and np.all(q[:, 0] <= q[:, 1]) and np.all(q[:, 1] <= q[:, 2])

    # What the band's items hold: that series reduced to the screen, each point a value the series took.
    items = view.band_items()["0.weight"]
    assert all(item.isVisible() for item in items.items())
    xd, qd = view.drawn_band("0.weight")
    assert 2 <= len(xd) <= 2 * view.width() + 4 and xd[-1] == x[-1]
    for col in range(3):
        assert np.isin(qd[:, col], q[:, col]).all()
    np.testing.assert_array_equal(items.median.getData()[0], xd)
    np.testing.assert_array_equal(items.median.getData()[1], qd[:, 1])
    box = items.fill.path().boundingRect()  # the fill: from the low edge to the high one, over the whole band
    assert box.top() == pytest.approx(qd[:, 0].min()) and box.bottom() == pytest.approx(qd[:, 2].max())
    assert box.left() == pytest.approx(xd[0]) and box.right() == pytest.approx(xd[-1])
    assert items.fill.path().elementCount() >= 2 * len(xd)

    # The banded parameters draw no lines; the others draw all theirs.
    assert not view.curve_items()["0.weight"].isVisible() and len(view.drawn_curve("0.weight")[0]) == 0
    assert view.curve_items()["4.weight"].isVisible()
    assert view.line_count() == sum(k for n, k in held.items() if k <= BAND_ABOVE) > 0
    assert view.legend_labels()[:3] == ["0.weight (median, 10–90 %)", "0.bias", "2.weight (median, 10–90 %)"]
    banded = sum(held[n] for n in view.banded_params())
    assert view.note_text() == (f"0.weight, 2.weight: median and 10–90 % of {banded:,} sampled weights; "
                                "tick All lines to draw each")
    assert "10th to 90th percentile" in view.note.toolTip()


def test_all_lines_draws_every_traced_line_and_unticked_the_band_comes_back(qtbot):
    view = make(qtbot, trained("digits-mlp"))
    band_before = view.weight_bands()["2.weight"][1].copy()
    view.set_all_lines(True)
    assert view.banded_params() == [] and view.weight_bands() == {}
    assert not any(item.isVisible() for items in view.band_items().values() for item in items.items())
    lines = view.lines()
    assert view.line_count() == sum(v.shape[1] for _, v in lines.values())
    xs, ys, connect = view.drawn_curve("0.weight")
    assert view.curve_items()["0.weight"].isVisible() and (~connect).sum() == lines["0.weight"][1].shape[1]
    assert np.isin(ys, lines["0.weight"][1]).all()
    assert view.legend_labels()[0] == "0.weight" and "drawing" in view.note_text()
    view.set_all_lines(False)
    assert view.banded_params() == ["0.weight", "2.weight"]
    np.testing.assert_array_equal(view.weight_bands()["2.weight"][1], band_before)
    assert view.band_items()["2.weight"].median.isVisible()


@pytest.mark.parametrize("preset", ["linear-5x1", "quadratic-1-10-1"])
def test_the_seed_nets_keep_every_line_and_the_check_box_is_disabled(qtbot, preset):
    run = trained(preset)
    view = make(qtbot, run)
    assert not view.all_lines_check.isEnabled()
    assert view.banded_params() == [] and view.weight_bands() == {} and view.band_items() == {}
    assert view.line_count() == run.history.n_traced
    assert not any("median" in label for label in view.legend_labels())


def test_a_band_of_biases_has_a_dashed_median_and_hover_names_it(qtbot):
    _, run = train("quadratic-1-10-1", 5, linear_stack([1, 40, 1], "Tanh"))  # 40 weights and 40 biases
    view = make(qtbot, run)
    assert view.banded_params() == ["0.weight", "0.bias", "2.weight"]  # 2.bias is one line
    items = view.band_items()
    assert items["0.bias"].median.opts["pen"].style() == Qt.PenStyle.DashLine
    assert items["0.weight"].median.opts["pen"].style() == Qt.PenStyle.SolidLine
    assert_bands_are_the_percentiles_of_the_lines(view)
    x, q = view.weight_bands()["0.bias"]
    median = float(q[-1, 1])
    text = view.describe_point(float(x[-1]), median, tolerance=1e-9)
    assert text.startswith(f"0.bias median = {median:.4g} at epoch 5; 10–90 %: ")
    x, values = view.lines()["2.bias"]  # a line nearer than any band is named as a line
    assert view.describe_point(float(x[-1]), float(values[-1, 0]), tolerance=1e-9).startswith("2.bias[0] = ")
    assert view.describe_point(float(x[-1]), 1e6, tolerance=1e-3) is None


def test_the_band_follows_the_frame_and_new_steps_without_recomputing_old_ones(qtbot):
    trainer, run = train("digits-mlp", 2)
    h = run.history
    view = make(qtbot, run)
    steps = h.trace_data()[0]
    mid = int(steps[len(steps) // 2])
    view.pin(Frame(h, h.version, mid, h.latest_params()[1]))  # a frame of an earlier step
    view.refresh(force=True)
    x, q = view.weight_bands()["0.weight"]
    assert x[-1] == mid / h.steps_per_epoch and view.drawn_step == mid
    view.pin(None)
    trainer.config.train.epochs = 3
    trainer.run_epoch()  # a third epoch arrives: the band grows by its steps
    assert view.refresh()
    x, q = view.weight_bands()["0.weight"]
    assert x[-1] == 3 and len(x) == len(h.trace_data()[0])
    assert_bands_are_the_percentiles_of_the_lines(view)


def test_derived_rows_are_computed_once_per_row():
    calls = []
    groups = [np.array([0, 2, 3]), np.array([1, 4])]
    of = band_columns(groups)

    def counted(rows):
        calls.append(len(rows))
        return of(rows)

    rows = np.random.default_rng(0).normal(size=(50, 5)).astype(np.float32)
    derived = DerivedRows(counted, 6, key=1)
    for n in (1, 7, 7, 30, 50):
        out = derived.update(rows[:n])
    assert calls == [1, 6, 23, 20]  # the new rows only
    np.testing.assert_allclose(out[:, 0:3], percentiles(rows[:, groups[0]]), rtol=1e-6)
    np.testing.assert_allclose(out[:, 3:6], percentiles(rows[:, groups[1]]), rtol=1e-6)
    assert derived.update(rows[:10]).shape == (10, 6)  # an earlier frame: what was derived, cut


def test_comparing_keeps_the_run_bands_and_caps_the_bound_runs_grey_lines(qtbot):
    base, other = trained("digits-mlp"), trained("digits-mlp", 2)
    view = make(qtbot, base)
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "two epochs")], label="three epochs")
    view.refresh(force=True)
    assert set(view.bands()) == {id(base), id(other)}  # a band per run, as before
    x, q = view.bands()[id(other)]
    steps, rows = other.history.trace_data()
    np.testing.assert_allclose(q, percentiles(rows), rtol=1e-6)
    assert view.banded_params() == [] and view.weight_bands() == {}  # the runs' bands summarise the weights
    held = {n: v.shape[1] for n, (_, v) in view.lines().items()}
    assert view.curve_items()["0.weight"].isVisible()
    assert view.curve_items()["0.weight"].opts["pen"].color().getRgb()[:3] == GREY
    xs, _, connect = view.drawn_curve("0.weight")
    assert (~connect).sum() == BAND_ABOVE < held["0.weight"]  # grey lines capped, spread over the parameter
    assert view.line_count() == sum(min(k, BAND_ABOVE) for k in held.values())
    assert "grey lines" in view.note_text() and view.all_lines_check.isEnabled()
    view.set_all_lines(True)  # every grey line
    assert view.line_count() == sum(held.values())
    assert view.legend_labels()[-2:] == ["weights of three epochs", "biases (dashed)"]
    view.set_all_lines(False)
    view.set_overlays((31, 119, 180), [])
    assert view.bands() == {} and view.banded_params() == ["0.weight", "2.weight"]
    assert view.legend_labels()[0] == "0.weight (median, 10–90 %)"


def test_the_choice_of_all_lines_stays_across_runs_and_per_weight_mode_is_unchanged(qtbot):
    view = make(qtbot, trained("digits-mlp"))
    view.set_all_lines(True)
    view.set_run(trained("linear-5x1"))
    view.refresh(force=True)
    assert view.all_lines() and not view.all_lines_check.isEnabled()
    view.set_per_weight(True)
    assert view.per_weight_plot_count() == 6 and view.line_count() == 6
    small = view.small_plots()[2]
    np.testing.assert_array_equal(small.curve.getData()[1], view.lines()["0.weight"][1][:, 2])
    view.set_per_weight(False)
    view.set_run(trained("digits-mlp"))
    view.refresh(force=True)
    assert view.all_lines() and view.banded_params() == []


def test_hovering_a_band_names_it_and_highlights_its_median(qtbot):
    from PySide6.QtCore import QPointF

    view = make(qtbot, trained("digits-mlp"))
    view.set_visible_params(["0.weight"])
    assert view.banded_params() == ["0.weight"] and view.line_count() == 0
    xd, qd = view.drawn_band("0.weight")
    i = len(xd) // 2
    view._mouse_moved(view.plot.vb.mapViewToScene(QPointF(float(xd[i]), float(qd[i, 1]))))
    assert view.hover_text().startswith("0.weight median = ") and "10–90 %: " in view.hover_text()
    assert view.note.text() == view.hover_text()
    assert view._highlight.isVisible()
    np.testing.assert_array_equal(view._highlight.getData()[1], qd[:, 1])


def test_a_sampled_modules_band_weighs_each_traced_weight_by_the_weights_it_stands_for(qtbot, tmp_path,
                                                                                       monkeypatch):
    # A ResNet stage in small: two 160×160 layers and their batch norms. Each parameter gets at least 32 traced
    # weights, so with a small sample (resnet18: 3,596 of 11 million) the 160 batch-norm scales (all 1) are traced
    # as much as the 25,600 weights of a layer (near 0). Counted alike, a quarter of the stage's traced weights sat
    # at 1 and its band spanned 0 to 1 (seen on resnet18).
    import torch
    from torch import nn

    import weightstudio
    from weightstudio.core import history
    from weightstudio.core.run_folder import open_run

    monkeypatch.setattr(history, "SAMPLED_TRACE_TARGET", 64)  # every parameter at the floor, as resnet18's are
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stage = nn.Sequential(nn.Linear(160, 160), nn.BatchNorm1d(160), nn.Linear(160, 160),
                                       nn.BatchNorm1d(160))
            self.head = nn.Linear(160, 2)

        def forward(self, x):
            return self.head(self.stage(x))

    torch.manual_seed(0)
    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    with weightstudio.record(model, tmp_path / "run", opt) as rec:
        recorded_mse_steps(model, opt, torch.randn(32, 160), torch.randn(32, 2), rec, 5)
    view = make(qtbot, open_run(tmp_path / "run"))
    assert view.is_grouped() and "stage" in view.weight_bands()
    _, q = view.weight_bands()["stage"]
    stage = [n for n in view.groups()["stage"]]
    values = np.concatenate([v for n, (_, v) in view.lines().items() if n in stage], axis=1)
    assert np.all(percentiles(values)[:, 2] > 0.9)  # what the band said before: the scales' 1 as its top
    assert np.all(np.abs(q) < 0.2)  # the stage's weights: the layers' ±1/√160, a few scales at 1 among 52,000
    assert np.all(q[:, 0] <= q[:, 1]) and np.all(q[:, 1] <= q[:, 2])
