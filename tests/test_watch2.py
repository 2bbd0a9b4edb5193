"""Watchable (issue 9), what was left: the status bar names the replayed step, conv kernel grids use the dock's
shape, and at 1024×640 no tick label is cut off or printed over another."""

import numpy as np
import pytest

from weightstudio.core.engine import Trainer
from weightstudio.core.presets import get_preset
from weightstudio.core.run_data import RunData
from weightstudio.gui.views import HeatmapView, LossView
from weightstudio.gui.views.matrix import (
    KernelGrid,
    arrange,
    describe_pixel,
    kernel_grid,
)
from weightstudio.gui.views.style import FittedAxis

from helpers import open_window, show_view, tick_texts


@pytest.fixture
def window(qtbot):
    with open_window(qtbot, "simplenet-2-5-1") as w:
        yield w


@pytest.fixture(scope="module")
def cnn_run() -> RunData:
    cfg = get_preset("digits-cnn").config()
    cfg.train.epochs = 2
    trainer = Trainer(cfg)
    trainer.run()
    return RunData(trainer.config, trainer.dataset, trainer.history)


def views_agree(w, step: int) -> bool:
    return w.status.shown_step == w.timeline_bar.shown_step == w.fit_view.shown_step() == w.loss_view.drawn_step \
        == step


# ---- 1: the status bar during a replay ----
def test_scrubbed_back_after_a_run_the_status_bar_names_the_shown_step_and_the_last(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=60_000, check_params_cb=lambda s: s == "finished"):
        window.controller.start()
    h = window.model.current.history
    last, spe = window.controller.trainer.step, h.steps_per_epoch
    step = int(h.snapshot_steps()[3])
    assert step < last
    window.timeline.setValue(3)
    assert views_agree(window, step)  # at once: the status bar does not wait for the next frame to follow
    assert window.status.speed_label.text() == f"step {step:,} of {last:,}"
    assert window.status.progress.value() == step // spe  # the bar names the shown epoch too
    window.timeline.setValue(window.timeline.maximum())  # back to the end: the newest step, nothing beside it
    qtbot.waitUntil(lambda: window.status.shown_step == last)
    assert window.status.speed_label.text() == f"step {last:,}"


def test_while_training_a_replay_names_the_replayed_step_and_the_live_one(qtbot, window):
    window.training_bar.set_speed(20)  # 200 epochs at 20 epochs/s: seconds to scrub and replay in
    window.controller.start()
    c = window.controller
    qtbot.waitUntil(lambda: c.trainer.epoch >= 10, timeout=30_000)
    h = window.model.current.history
    window.timeline.setValue(2)
    step = int(h.snapshot_steps()[2])
    qtbot.waitUntil(lambda: views_agree(window, step))
    text = window.status.speed_label.text()
    assert text.startswith(f"step {step:,} shown · live: step ")
    live = int(text.split("live: step ")[1].split(" ")[0].replace(",", ""))
    assert live > step
    # Replay from there: every frame names the step the views show, never the live one.
    seen = []

    def sample():
        if window.model.shown is not None:
            seen.append((window.status.shown_step, window.timeline_bar.shown_step, window.fit_view.shown_step()))

    window.frame_drawn.connect(sample)
    window.timeline_bar.set_rate(50)
    window.timeline_bar.play_button.setChecked(True)
    qtbot.waitUntil(lambda: len({s for s, _, _ in seen}) >= 5, timeout=30_000)
    window.timeline_bar.play_button.setChecked(False)
    window.frame_drawn.disconnect(sample)
    c.stop()
    assert all(a == b == f for a, b, f in seen), seen
    replayed = [s for s, _, _ in seen]
    assert replayed == sorted(replayed)  # in order


# ---- 2: conv kernel grids use the dock's shape ----
@pytest.mark.parametrize("width, height", [(4, 3), (1300, 300), (300, 1200), (900, 900)])
def test_a_kernel_grid_holds_every_kernel_where_its_layout_says(width, height):
    w = np.random.default_rng(0).standard_normal((16, 8, 3, 3)).astype(np.float32)
    grid = kernel_grid(w.shape, width, height)
    img = arrange(w, w.shape, grid)
    assert img.shape == grid.size() and np.isfinite(img).sum() == w.size
    for o, i, r, c in [(0, 0, 0, 0), (15, 7, 2, 2), (5, 3, 1, 2), (9, 0, 2, 0)]:
        row = (o // grid.per_row) * 4 + r
        col = (o % grid.per_row) * grid.strip_width + i * 4 + c
        assert img[row, col] == w[o, i, r, c]
        assert grid.kernel_at(row, col) == (o, i, r, c)
        assert describe_pixel("3.weight", w.shape, row, col, grid=grid).startswith(f"3.weight[{o}, {i}, {r}, {c}]")
    if grid.per_row > 1:  # strips apart: the pixels between two output channels are empty
        assert np.isnan(img[:, grid.strip_width - 3:grid.strip_width]).all()
        assert grid.kernel_at(0, grid.strip_width - 2) is None


def test_the_layout_draws_the_kernels_largest_a_wide_area_gets_more_columns():
    shape = (16, 8, 3, 3)
    wide, square, tall = kernel_grid(shape, 1300, 300), kernel_grid(shape, 600, 600), kernel_grid(shape, 300, 1200)
    assert wide.per_row > square.per_row >= tall.per_row == 1
    def scale(area, p):
        h, w = KernelGrid(*shape, p).size()
        return min(area[0] / w, area[1] / h)

    for area, chosen in (((1300, 300), wide), ((600, 600), square), ((300, 1200), tall)):
        assert scale(area, chosen.per_row) == max(scale(area, p) for p in range(1, 17))
    # A layout shown stays unless another draws the kernels clearly larger (no flip on a few pixels' change).
    assert kernel_grid(shape, 600, 600, current=square.per_row + 1).per_row == square.per_row + 1
    assert kernel_grid(shape, 1300, 300, current=1).per_row == wide.per_row


def test_the_heatmap_of_the_second_conv_fills_a_wide_dock_and_follows_it_when_it_narrows(qtbot, cnn_run):
    view = show_view(qtbot, HeatmapView, cnn_run, (900, 300))
    view.set_param("3.weight")
    view.refresh(force=True)
    qtbot.waitUntil(lambda: view.matrix.grid is not None and view.matrix.grid.per_row > 1)
    m = view.matrix
    h, w = view.image().shape
    assert w > h  # wide, like its dock, instead of a 16-high column
    _, latest = cnn_run.history.latest_params()
    v = latest["3.weight"]
    g = m.grid
    assert view.image()[(15 // g.per_row) * 4 + 2, (15 % g.per_row) * g.strip_width + 7 * 4 + 2] == v[15, 7, 2, 2]
    assert "output channels a row" in m.plot.getAxis("bottom").labelText
    ticks = m.plot.getAxis("left")._tickLevels[0]
    assert ticks[0][1] == f"0–{g.per_row - 1}"  # each grid row names its output channels
    wide_kernel = kernel_pixels(m)
    view.resize(300, 900)
    qtbot.waitUntil(lambda: view.matrix.grid.per_row == 1)
    assert view.image().shape == (16 * 4 - 1, 8 * 4 - 1)
    assert m.plot.getAxis("bottom").labelText == "input channel (3×3 kernels)"
    assert wide_kernel > 0 and kernel_pixels(m) > 0


def kernel_pixels(m) -> float:
    """Screen pixels across one image pixel: how large the kernels are drawn."""
    (x0, x1), _ = m.plot.vb.viewRange()
    return m.plot.vb.width() / (x1 - x0)


def test_a_16_by_8_grid_in_a_wide_dock_draws_kernels_larger_than_the_plain_grid_would(qtbot, cnn_run):
    view = show_view(qtbot, HeatmapView, cnn_run, (1000, 320))
    view.set_param("3.weight")
    view.refresh(force=True)
    qtbot.waitUntil(lambda: view.matrix.grid is not None and view.matrix.grid.per_row > 1)
    vb = view.matrix.plot.vb
    h, w = view.image().shape
    drawn = min(vb.width() / w, vb.height() / h)
    plain = min(vb.width() / (8 * 4 - 1), vb.height() / (16 * 4 - 1))
    assert drawn > 1.4 * plain


# ---- 3: at 1024×640 nothing is cut off or printed over another ----
def test_a_short_axis_labels_only_the_ticks_that_fit(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    axis = view.loss_plot.getAxis("left")
    assert isinstance(axis, FittedAxis)
    room = axis.label_room(30)
    assert room == 1 and axis.label_room(200) >= 5
    for size in (30, 45, 60, 300):
        room = axis.label_room(size)
        levels = axis.tickValues(0.0, 2.4, size)  # what pyqtgraph labels: [(spacing, values), …]
        majors = levels[0][1]
        assert min(2, room) <= len(majors) <= room, (size, levels)
        assert len(levels) == 1 or 2 * len(majors) <= room  # minor ticks only with room between the majors
    assert axis.tickValues(-6, 106, 40)[0][1] == [0.0, 100.0]  # a short accuracy axis: 0 and 100
    assert [float(v) for v in axis.tickValues(-1.5, 1.5, 50)[0][1]] == [-1.0, 1.0]  # not 0 alone


def test_at_1024_by_640_loss_ticks_do_not_overlap_and_the_colour_bar_is_whole(qtbot, window):
    window.load_preset("digits-cnn")
    window.resize(1024, 640)
    window._apply_default_sizes()
    qtbot.waitUntil(lambda: window.width() == 1024)
    with qtbot.waitSignal(window.run_finished, timeout=60_000, check_params_cb=lambda s: s == "finished"):
        window.controller.start()
    window.heatmap_view.set_param("3.weight")
    qtbot.wait(100)
    loss = window.loss_view
    assert loss.compact()  # short: the titles and legend gave their room to the plots
    tip = loss.folding.hover_text()  # said on hover
    assert all(text in tip for text in ("Loss (cross-entropy)", "train (per step)", "validation (per epoch)"))
    for plot in (loss.loss_plot, loss.acc_plot):
        assert plot.vb.height() >= 40
        texts = tick_texts(plot.getAxis("left"))
        assert texts
        rects = [r for r, _ in texts]
        for a in range(len(rects)):
            for b in range(a + 1, len(rects)):
                assert not rects[a].intersects(rects[b]), [t for _, t in texts]
    view = window.heatmap_view
    qtbot.waitUntil(lambda: view.layout_widget.ci.geometry().width() <= view.layout_widget.width())
    bar_axis = view.matrix.bar.getAxis("right")
    texts = tick_texts(bar_axis)
    assert texts
    assert bar_axis.width() >= max(r.width() for r, _ in texts)  # room for its widest label
    right = bar_axis.mapRectToScene(bar_axis.boundingRect()).right()
    assert right <= view.layout_widget.width()  # inside the dock, not cut at its edge


def test_a_title_wider_than_its_plot_wraps_after_its_colon_and_the_plot_keeps_to_its_view(qtbot):
    import pyqtgraph as pg

    from weightstudio.gui.views.style import colour_bar, set_title, style_plot

    view = pg.GraphicsLayoutWidget(show=False)
    qtbot.addWidget(view)
    view.resize(330, 260)
    plot = style_plot(view.addPlot(), "")
    image = pg.ImageItem(np.zeros((4, 4), np.float32))
    plot.addItem(image)
    colour_bar(image, plot, pg.colormap.get("CET-D1"), (-1, 1), "weight value")
    view.show()
    qtbot.waitExposed(view)
    title = "3.weight (16×8×3×3): change since init at epoch 10.48 (last snapshot)"
    set_title(plot, title)
    qtbot.waitUntil(lambda: view.ci.geometry().width() <= view.width())
    assert plot.titleLabel.text.startswith("<div align='center'>3.weight (16×8×3×3):<br>")
    item = plot.titleLabel.item
    assert item.textWidth() <= plot.vb.width()  # within its column, not past the colour bar
    assert plot.layout.rowMinimumHeight(0) >= item.document().size().height()  # every line shown
    view.resize(1200, 260)  # room again: one line
    qtbot.waitUntil(lambda: plot.titleLabel.text == title)
