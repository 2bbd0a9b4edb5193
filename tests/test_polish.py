"""Issue 9's polish, as a user sees it: no stray dock tab bar over the views, headers that fit, every analysis view
at the frame's step, sharp SVG heatmaps, kernel grids that use their dock, and the weights drawn before step 0."""

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QTabBar

from weightstudio.gui.main_window import MainWindow
from weightstudio.gui.views.base import Frame

from helpers import open_window


def test_no_leftover_dock_tab_bar_is_drawn_over_the_fit_view(qtbot):
    """A window drawn before it is shown (figures, screenshots) holds only the tab bars of its dock groups."""
    w = MainWindow("digits-cnn")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.grab()  # lays the window out as a screenshot does
    bars = [b for b in w.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly) if not b.isHidden()]
    tabs = sorted(tuple(b.tabText(i) for i in range(b.count())) for b in bars)
    assert tabs == [("Architecture", "Data", "Runs", "Health"), ("Heatmaps", "Gradients", "Distributions", "Activations")]
    fit = w.docks["fitDock"].geometry()
    for bar in bars:
        assert not bar.geometry().intersects(fit), bar.tabText(0)
        first = next(d for d in w.docks.values() if d.windowTitle() == bar.tabText(0))
        # under its group's docks, within their column
        assert bar.geometry().top() > first.geometry().top()
        assert QRect(first.x(), 0, first.width(), w.height()).contains(bar.geometry()), bar.geometry()
    w.controller.close()


@pytest.fixture
def window(qtbot):
    with open_window(qtbot, "simplenet-2-5-1", (1366, 768)) as w:
        yield w


def trained(qtbot, w, epochs: int = 40):
    w.controller.set_epochs(epochs)
    with qtbot.waitSignal(w.run_finished, timeout=60_000):
        w.controller.start()
    return w.model.current


@pytest.mark.parametrize("dock", ["gradientsDock", "distributionsDock"])
def test_gradients_and_distributions_draw_the_pinned_frame_not_the_newest_data(qtbot, window, dock):
    run = trained(qtbot, window)
    h = run.history
    window.docks[dock].raise_()
    view = window.docks[dock].widget()
    qtbot.waitUntil(view.on_screen)
    newest = int(h.snapshot_steps()[-1])
    snap = h.snapshot(10)  # a frame pinned at step 10, as a round pins one while more steps arrive
    view.pin(Frame(h, h.version, snap.step, snap.params))
    view.refresh(force=True)
    spe = max(1, h.steps_per_epoch)
    if dock == "gradientsDock":
        xs = [x for x, _ in view.grad_curves().values()]
    else:
        xs = [view.bands()[0]]
    assert snap.step < newest and all(len(x) for x in xs)
    assert max(float(x.max()) for x in xs) == pytest.approx(snap.step / spe)
    assert view.drawn_step == snap.step
    view.pin(None)  # unpinned: the newest again
    view.refresh(force=True)
    xs = [x for x, _ in view.grad_curves().values()] if dock == "gradientsDock" else [view.bands()[0]]
    assert max(float(x.max()) for x in xs) == pytest.approx(newest / spe)
    assert view.drawn_step == newest


def test_the_weights_view_draws_the_initial_weights_before_the_first_step(qtbot, window):
    window.load_preset("simplenet-2-5-1")
    view = window.weights_view
    view.refresh(force=True)
    run = window.model.current
    assert run.history.snapshot_count() == 1 and window.controller.trainer.step == 0
    first = run.history.snapshot(0).params["0.weight"].reshape(-1)
    x, y, _ = view.drawn_curve("0.weight")
    assert len(x) >= 2 * first.size and x.min() == 0 and x.max() > 0  # a dash per weight, not a lone point
    assert np.isin(first, y).all()  # every initial weight is drawn
    x0, x1 = view.plot.vb.viewRange()[0]
    assert x0 <= 0 and x1 >= 1  # on an axis of the first epoch, not −0.01…0.01


def test_a_header_too_long_for_its_dock_ends_in_an_ellipsis_and_its_tooltip_has_it_whole(qtbot, window):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    trained(qtbot, window, 20)
    window.resize(1024, 640)
    window.docks["lossDock"].setMinimumWidth(0)
    window.resizeDocks([window.docks["fitDock"], window.docks["lossDock"]], [700, 150], Qt.Horizontal)
    label = window.loss_view.status
    qtbot.waitUntil(lambda: label.fontMetrics().horizontalAdvance(label.text()) > label.width())
    whole = label.text()
    assert whole.startswith("train loss") and whole.endswith("epoch 20")
    assert label.is_elided()
    shown = label.fontMetrics().elidedText(whole, Qt.TextElideMode.ElideRight, label.contentsRect().width())
    assert shown.endswith("…") and len(shown) < len(whole)
    label.event(QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), label.mapToGlobal(QPoint(5, 5))))
    assert QToolTip.text() == whole
    window.resize(1920, 1080)
    window.resizeDocks([window.docks["fitDock"], window.docks["lossDock"]], [700, 900], Qt.Horizontal)
    qtbot.waitUntil(lambda: not label.is_elided())


def test_an_svg_heatmap_embeds_one_pixel_per_cell_drawn_without_smoothing(qtbot, window, tmp_path):
    import base64
    import re

    from PySide6.QtGui import QImage

    trained(qtbot, window, 5)
    window.heatmap_view.refresh(force=True)
    window.export_view(window.heatmap_view, tmp_path / "heat.svg", width=1600)
    svg = (tmp_path / "heat.svg").read_text()
    images = re.findall(r"<image [^>]*>", svg)
    assert images
    sizes = set()
    for tag in images:
        assert 'image-rendering="optimizeSpeed"' in tag and "image-rendering:pixelated" in tag
        data = re.search(r'href="data:image/png;base64,([^"]+)"', tag)[1]
        img = QImage.fromData(base64.b64decode(data))
        sizes.add((img.width(), img.height()))
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(tmp_path / "heat.svg")).isValid()  # still an SVG Qt reads
    assert (2, 5) in sizes  # 0.weight (5×2): its 10 cells at their native resolution, not a blurred screenshot


def test_a_second_new_frame_within_a_round_leaves_no_view_unable_to_paint(qtbot, window):
    """Seen in screenshots during replay: views that stayed held (updates off) showed garbage or a stale picture."""
    trained(qtbot, window, 5)
    window.refresh_timer.stop()  # the round is driven here
    shown = [v for v in window.views if v.on_screen()]
    assert len(shown) >= 4
    window.frame = None
    window._pin_frame()  # a new frame: each view about to draw it is held until the round ends
    for v in shown[:2]:
        v.mark_stale()
        assert window._draw_held(v)
    assert not any(v.updatesEnabled() for v in shown[:2])
    window._refresh_all(force=True)  # another before the round ended (the timeline moved)
    assert all(v.updatesEnabled() for v in shown), [v.title for v in shown if not v.updatesEnabled()]


def test_a_round_holds_only_the_views_it_changes(qtbot, window):
    """Releasing a held view repaints all of it: a view with nothing new (or drawn on the worker, as the
    activations view while a run streams) is not held, so it does not repaint with every frame."""
    trained(qtbot, window, 5)
    window.refresh_timer.stop()  # the round is driven here
    window._refresh_all(force=True)
    shown = [v for v in window.views if v.on_screen()]
    for v in shown:
        assert not v.has_news() and not window._draw_held(v)  # drawn already: nothing new
    assert all(v.updatesEnabled() for v in shown)
    view = shown[0]
    view.mark_stale()
    assert window._draw_held(view) and not view.updatesEnabled()
    window._show_progress()
    assert view.updatesEnabled()


def test_the_window_fits_a_1024_pixel_screen_and_choosers_are_whole_where_there_is_room(qtbot, window):
    """The heatmap header's choosers used to hold the window at 1157 px: on a projector its right edge (the Fit
    and Loss headers' ends) was off screen."""
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1920, 1080)
    window._apply_default_sizes()
    qtbot.waitUntil(lambda: window.width() == 1920)
    qtbot.wait(50)
    for combo in (window.heatmap_view.mode_combo, window.heatmap_view.scale_combo):
        assert combo.width() >= combo.sizeHint().width(), combo.objectName()  # "Change since init (W−W₀)" whole


def test_a_two_line_plot_title_wider_than_its_plot_wraps_inside_it(qtbot):
    import pyqtgraph as pg

    from weightstudio.gui.views.style import set_title

    view = pg.GraphicsLayoutWidget(show=False)
    qtbot.addWidget(view)
    view.resize(300, 300)
    plot = view.addPlot()
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: plot.width() <= 300)
    title = "Decision regions (shade: how sure the model is)<br>Loss=0.6802, accuracy 54.5% (epoch 22)"
    set_title(plot, title)
    item = plot.titleLabel.item
    assert 0 < item.textWidth() <= plot.vb.width()  # wrapped within the plot, not cut off at its right edge
    assert plot.titleLabel.maximumHeight() >= item.document().size().height()  # and every wrapped line shown
    view.resize(1200, 300)
    qtbot.waitUntil(lambda: plot.width() > 900)
    set_title(plot, title)
    assert item.textWidth() == item.document().idealWidth() < plot.vb.width()  # room again: two lines


def test_the_cli_figures_hold_the_plots_and_none_of_the_views_controls(tmp_path):
    from PySide6.QtGui import QImage

    from weightstudio.core.assemble import assemble
    from weightstudio.core.data import load_dataset
    from weightstudio.core.engine import Trainer
    from weightstudio.core.presets import get_preset
    from weightstudio.core.run_data import RunData
    from weightstudio.gui import figures
    from weightstudio.gui.exports import figure_of
    from weightstudio.gui.views.activations import ActivationsView
    from weightstudio.gui.views.weights import WeightsView

    cfg = get_preset("digits-mlp").config()
    ds = load_dataset(cfg.data, cfg.train.seed)
    cfg.train.epochs = 1
    t = Trainer(assemble(cfg, ds).config, ds)
    t.run()
    run = RunData(t.config, ds, t.history)
    seen = {}
    original = figures.figure_of

    def spy(view):  # what each figure grabs, looked at while the view still exists
        part = original(view)
        seen[type(view)] = {"part": type(part).__name__, "is_view": part is view}
        if isinstance(view, ActivationsView):
            seen["activations"] = (part.isAncestorOf(view.units_widget) and part.isAncestorOf(view.stats_widget),
                                   part.isAncestorOf(view.sample_spin), figure_of(view) is part)
        return part

    figures.figure_of = spy
    try:
        written = figures.write_figures(run, tmp_path) + figures.write_analysis_figures(run, tmp_path)
    finally:
        figures.figure_of = original
    assert {p.name for p in written} >= {"weights.png", "activations.png", "loss.png", "fit.png"}
    assert all(not QImage(str(p)).isNull() for p in written)
    assert seen[WeightsView]["part"] == "GraphicsLayoutWidget"  # the lines' plot, not the header's boxes
    assert not any(s["is_view"] for k, s in seen.items() if k != "activations")
    # The units and their statistics together, without the sample chooser above them.
    assert seen["activations"] == (True, False, True)


def test_the_activations_view_is_not_held_while_a_run_streams(qtbot, window, monkeypatch):
    """Streaming, it evaluates the network on the worker and draws when that is back, outside the round."""
    from weightstudio.gui.views import activations

    trained(qtbot, window, 5)
    view = window.activations_view
    view.mark_stale()
    assert view.has_news() and view.holds_frame()
    monkeypatch.setattr(activations, "is_growing", lambda run: True)
    assert view.has_news() and not view.holds_frame()
