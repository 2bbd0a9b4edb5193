"""The views on runs weightstudio.record() wrote from models the builder cannot make: no fit, parameters grouped by
module, heatmaps of conv weights, embeddings and vectors by windows, a followed folder growing in the views."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import weightstudio
from weightstudio.core.run_folder import open_run
from weightstudio.gui.views import FitView, HeatmapGridView, HeatmapView, LossView, WeightsView
from weightstudio.gui.views.matrix import MAX_KERNELS, MAX_ROWS

from helpers import recorded_mse_steps, show_view


class Tagger(nn.Module):
    """An embedding, a conv stem wider than one window, two blocks and a head: nothing the builder makes."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(3000, 8)  # 24,000 weights: the net is traced by a sample
        self.stem = nn.Conv2d(3, 40, 3, padding=1)
        self.blocks = nn.Sequential(nn.Sequential(nn.Conv2d(40, 8, 1), nn.ReLU()), nn.LayerNorm(8))
        self.head = nn.Linear(16, 5)

    def forward(self, tokens, img):
        x = self.blocks[0](self.stem(img)).mean((2, 3))
        x = self.blocks[1](x)
        return self.head(torch.cat([x, self.embed(tokens).mean(1)], 1))


@pytest.fixture(scope="module")
def tagger_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rec") / "tagger"
    torch.manual_seed(0)
    model = Tagger()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    tokens, img, y = torch.randint(0, 3000, (16, 4)), torch.randn(16, 3, 6, 6), torch.randint(0, 5, (16,))
    with weightstudio.record(model, folder, opt) as rec:
        for epoch in range(2):
            for _ in range(6):
                out = model(tokens, img)
                loss = nn.functional.cross_entropy(out, y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                rec.step(loss=loss, accuracy=(out.argmax(1) == y).float().mean())
            rec.epoch(val_loss=loss.item() + 0.1)
    return open_run(folder), model


make = show_view


def test_the_fit_view_says_it_has_no_data(qtbot, tagger_run):
    run, _ = tagger_run
    view = make(qtbot, FitView, run)
    assert view.mode() == "" and view.fit_mode is None
    assert "cannot rebuild" in view.message() and "weightstudio.record()" in view.message()
    assert "no data" in view.plot.titleLabel.text
    view.show_snapshot(0)  # the timeline moves it without error
    with pytest.raises(ValueError, match="cannot rebuild"):
        run.predict(run.history.snapshot(0).params, np.zeros((1, 3)))


def test_the_loss_view_draws_the_recorded_steps_and_epochs(qtbot, tagger_run):
    run, _ = tagger_run
    view = make(qtbot, LossView, run)
    steps = run.history.step_data()
    x, y = view.loss_curve()
    np.testing.assert_allclose(x, steps["step"] / 6)
    np.testing.assert_allclose(y, steps["loss"], rtol=1e-6)
    assert view.acc_plot is not None  # accuracy was recorded
    np.testing.assert_allclose(view.val_curve()[1], run.history.epoch_data()["val_loss"])
    assert "Loss (as the training loop computed it)" in view.loss_plot.titleLabel.text


def test_the_weights_view_groups_parameters_by_module(qtbot, tagger_run):
    run, _ = tagger_run
    view = make(qtbot, WeightsView, run)
    assert view.is_grouped()
    assert view.groups() == {"embed": ["embed.weight"], "stem": ["stem.weight", "stem.bias"],
                             "blocks": ["blocks.0.0.weight", "blocks.0.0.bias", "blocks.1.weight", "blocks.1.bias"],
                             "head": ["head.weight", "head.bias"]}
    assert view.legend_labels()[0] == "embed (median, 10–90 %)"  # a module of many weights: a band by default
    view.set_all_lines(True)
    assert view.legend_labels() == ["embed (1)", "stem (2)", "blocks (4)", "head (2)"]
    submenus = [a.menu() for a in view.menu.actions() if a.menu() is not None]
    assert [m.title().split(":")[0] for m in submenus] == ["embed", "stem", "blocks", "head"]
    assert "head.bias (5): 5 lines" in [a.text() for a in submenus[-1].actions()]
    view.set_visible_groups(["head"])
    assert view.visible_params() == ["head.weight", "head.bias"]
    assert not view.curve_items()["stem.weight"].isVisible()
    h = run.history
    assert h.sampled and f"showing {h.n_traced:,} sampled weights of {h.total_weights:,}" in view.note_text()
    # The lines are the recorded values of the traced weights.
    x, values = view.lines()["head.bias"]
    steps, traced = h.trace_data()
    np.testing.assert_array_equal(values, traced[:, h.trace_param_slices()["head.bias"]])
    np.testing.assert_allclose(x, steps / 6)


def test_heatmaps_show_conv_weights_by_kernel_windows_embeddings_by_rows_and_vectors(qtbot, tagger_run):
    run, model = tagger_run
    view = make(qtbot, HeatmapView, run, (220, 1250))  # tall and narrow: one output channel a row, the plain grid
    w = model.stem.weight.detach().numpy()  # (40, 3, 3, 3): three windows of 16 output channels
    view.set_param("stem.weight")
    rows, cols = view.window_choices()
    assert rows == ["output channels 0–15", "output channels 16–31", "output channels 32–39"] and cols == []
    img = view.image()
    assert img.shape == (MAX_KERNELS * 4 - 1, 3 * 4 - 1)
    assert img[2 * 4 + 1, 1 * 4 + 2] == w[2, 1, 1, 2]
    assert "output channels 0–15 of 40" in view.matrix.plot.titleLabel.text
    view.set_window(32, 0)
    img = view.image()
    assert img.shape == (8 * 4 - 1, 3 * 4 - 1)
    assert img[1 * 4, 2 * 4] == w[33, 2, 0, 0]
    assert view.describe(4, 8).startswith("stem.weight[33, 2, 0, 0] = ")
    with pytest.raises(KeyError, match="no window starts at 5"):
        view.set_window(5, 0)

    e = model.embed.weight.detach().numpy()  # (3000, 8): tokens by dimension, 256 tokens a window
    view.set_param("embed.weight")
    choices = view.window_choices()[0]
    assert choices[:2] == ["tokens 0–255", "tokens 256–511"] and choices[-1] == "tokens 2816–2999"
    assert view.image().shape == (MAX_ROWS, 8)
    view.set_window(256, 0)
    np.testing.assert_array_equal(view.image(), e[256:512])
    assert view.describe(1, 3) == f"embed.weight[257, 3] = {e[257, 3]:.4g}  (token 257, dimension 3)"
    assert view.matrix.plot.getAxis("left").labelText == "token (row)"

    view.set_param("blocks.1.weight")  # LayerNorm's vector: one row
    np.testing.assert_array_equal(view.image(), model.blocks[1].weight.detach().numpy()[None])
    assert view.window_choices() == ([], [])
    view.set_mode("Change since init (W − W₀)")
    view.set_param("head.weight")
    first = run.history.snapshot(0).params["head.weight"]
    np.testing.assert_allclose(view.image(), model.head.weight.detach().numpy() - first, atol=1e-7)

    grid = make(qtbot, HeatmapGridView, run, size=(1300, 800))
    assert set(grid.images()) == {"embed.weight", "stem.weight", "blocks.0.0.weight", "blocks.1.weight",
                                  "head.weight"}
    assert grid.images()["embed.weight"].shape == (MAX_ROWS, 8)


def test_the_two_layer_loop_opens_with_every_recorded_weight_drawn(qtbot, tmp_path):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(20, 2), torch.randn(20, 1)
    by_hand = [torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy().copy()]
    rec = weightstudio.record(model, tmp_path / "two", opt)
    recorded_mse_steps(model, opt, x, y, rec, 200, lambda _: by_hand.append(
        torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy().copy()))
    rec.close()
    run = open_run(tmp_path / "two")
    view = make(qtbot, WeightsView, run)
    assert not view.is_grouped() and view.note_text() == ""
    lines = view.lines()
    drawn = np.concatenate([lines[n][1] for n in ("0.weight", "0.bias", "2.weight", "2.bias")], axis=1)
    np.testing.assert_allclose(drawn, np.stack(by_hand), atol=1e-6)
    np.testing.assert_array_equal(lines["0.weight"][0], np.arange(201))
    heat = make(qtbot, HeatmapView, run)
    heat.set_param("0.weight")
    heat.show_snapshot(100)
    np.testing.assert_allclose(heat.image(), by_hand[100][:6].reshape(3, 2), atol=1e-6)
    assert view.plot.getAxis("bottom").labelText == "step"  # no epoch() and no steps_per_epoch: steps


def test_views_grow_as_a_followed_folder_is_written(qtbot, tmp_path):
    model = nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(8, 3)
    rec = weightstudio.record(model, tmp_path / "grow", opt, steps_per_epoch=4)
    run = open_run(tmp_path / "grow")
    follower = run.follow()
    weights, loss, heat = (make(qtbot, cls, run) for cls in (WeightsView, LossView, HeatmapView))
    assert len(weights.lines()["weight"][0]) == 1 and follower.state == "following"

    def steps(n):
        for _ in range(n):
            out = model(x).pow(2).mean()
            opt.zero_grad()
            out.backward()
            opt.step()
            rec.step(loss=out)
        rec.epoch()  # hands the rows to the writer thread; poll until it has renamed the chunk into place

    steps(4)
    for _ in range(200):
        if follower.poll() and len(run.history.epoch_data()["epoch"]):
            break
        qtbot.wait(20)
    for v in (weights, loss, heat):
        assert v.refresh()
    x_drawn, values = weights.lines()["weight"]
    np.testing.assert_allclose(x_drawn, np.arange(5) / 4)
    np.testing.assert_array_equal(values[-1], model.weight.detach().numpy().ravel())
    assert len(loss.loss_curve()[0]) == 4
    np.testing.assert_array_equal(heat.image(), model.weight.detach().numpy())
    rec.close()
    follower.poll()
    assert follower.state == "finished" and not follower.following


def test_every_dock_of_the_window_draws_a_recorded_run_without_an_error(qtbot, tmp_path):
    """The analysis views and the health check on a run whose network and data never reached the studio."""
    import torch

    import weightstudio
    from weightstudio.gui.main_window import MainWindow

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(64, 3), torch.randint(0, 4, (64,))
    with weightstudio.record(model, tmp_path / "rec", opt) as rec:
        for step in range(60):
            out = model(x)
            loss = torch.nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            rec.step(loss=loss, accuracy=(out.argmax(1) == y).float().mean())
            if step % 20 == 19:
                rec.epoch()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.open_run(tmp_path / "rec")
    for dock in w.docks.values():  # each view on screen in turn, as a user clicking through the tabs
        dock.raise_()
        qtbot.wait(1)
        w._refresh_all(force=True)
    w._check_health()  # nothing to name, and nothing raised
    w.timeline.setValue(1)
    w._refresh_all(force=True)
    assert w.gradients_view.draw_count > 0 and w.distributions_view.draw_count > 0
    w.controller.close()
