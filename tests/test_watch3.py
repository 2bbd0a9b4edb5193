"""Watchable at 1024×640 (issue 9's last leftovers): a legend never squeezes its plot (it takes columns, else folds
away and is said on hover), a compact loss axis names the loss in a label that fits, and the x axis labels its last
tick at the right edge. What the widgets hold, never how long anything took."""

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetricsF, QTextDocument

from weightstudio.core.engine import Trainer
from weightstudio.core.presets import get_preset
from weightstudio.core.run_data import RunData
from weightstudio.gui.views import LossView, WeightsView
from weightstudio.gui.views.layout import LEGEND_SHARE, legend_height

from helpers import open_window, show_view, tick_texts

# The docks' sizes at 1024×640 (the projector case) and at 1366×768, as the window lays them out.
SMALL = (318, 250)
LAPTOP = (510, 320)
WIDE = (900, 600)


def trained(preset: str, epochs: int) -> RunData:
    cfg = get_preset(preset).config()
    cfg.train.epochs = epochs
    trainer = Trainer(cfg)
    trainer.run()
    return RunData(trainer.config, trainer.dataset, trainer.history)


@pytest.fixture(scope="module")
def cnn_run() -> RunData:
    return trained("digits-cnn", 20)


@pytest.fixture(scope="module")
def quadratic_run() -> RunData:
    return trained("quadratic-1-10-1", 30)


def plain(tip: str) -> list[str]:
    doc = QTextDocument()
    doc.setHtml(tip)
    return doc.toPlainText().splitlines()


def resized(qtbot, view, size):
    view.resize(*size)
    qtbot.waitUntil(lambda: view.width() == size[0] and view.height() == size[1])
    qtbot.wait(20)  # pyqtgraph lays the plots out on the next turn of the event loop
    return view


def within_area(area) -> bool:
    """The plots' layout is no wider than the area showing it (else its right end is cut off at the dock's edge)."""
    return area.ci.geometry().width() <= area.width()


# ---- 1: the weights legend ----
def test_a_short_narrow_weights_view_folds_its_six_row_legend_and_says_it_on_hover(qtbot, cnn_run):
    view = resized(qtbot, show_view(qtbot, WeightsView, cnn_run, WIDE), SMALL)
    area, legend = view.lines_widget, view.legend
    assert len(legend.items) == 6 and legend.columnCount == 1  # six rows: a third of the area would not hold them
    assert view.folding.legend_folded and not legend.isVisible()
    assert legend.geometry().height() == 0 and legend.geometry().width() == 0  # it takes no room while folded
    assert view.plot.vb.height() > area.height() / 2  # the plot keeps the room, not a sliver
    assert within_area(area)
    assert view.plot.titleLabel.text == "Weights over training"  # one plot: the title stays at this height
    lines = plain(view.folding.hover_text())
    assert [line.split(" ", 1)[1] for line in lines] == view.legend_labels()  # every entry, in order
    assert lines[0].startswith("━━ ") and lines[1].startswith("╍╍ ")  # 0.weight solid, 0.bias dashed, as drawn
    tip = view.folding.hover_text()
    for sample, _ in legend.items:  # each entry in its line's colour
        assert sample.item.opts["pen"].color().name() in tip


def test_with_room_the_weights_legend_takes_columns_and_at_most_a_third_of_the_area(qtbot, cnn_run):
    view = show_view(qtbot, WeightsView, cnn_run, SMALL)
    for size, columns in ((LAPTOP, 2), (WIDE, 3)):
        resized(qtbot, view, size)
        legend = view.legend
        assert legend.isVisible() and not view.folding.legend_folded
        assert legend.columnCount == columns
        assert legend_height(legend) <= LEGEND_SHARE * view.lines_widget.height()
        assert legend.geometry().width() <= view.lines_widget.width()
        assert view.folding.hover_text() == ""  # nothing folded, nothing to say on hover
        assert within_area(view.lines_widget)
    resized(qtbot, view, SMALL)  # and back: folded again
    assert view.folding.legend_folded and not view.legend.isVisible()


def test_a_very_short_weights_view_drops_its_title_too_and_says_it_on_hover(qtbot, cnn_run):
    view = show_view(qtbot, WeightsView, cnn_run, (318, 150))
    assert view.folding.compact and view.plot.titleLabel.text in ("", None)
    assert plain(view.folding.hover_text())[0] == "Weights over training"
    resized(qtbot, view, WIDE)
    assert view.plot.titleLabel.text == "Weights over training" and view.folding.hover_text() == ""


def test_the_legend_folds_again_when_comparing_changes_its_entries(qtbot, cnn_run):
    view = show_view(qtbot, WeightsView, cnn_run, LAPTOP)
    assert view.legend.isVisible()
    other = trained("digits-cnn", 1)
    view.set_overlays((31, 119, 180), [(other, (255, 127, 14), "one epoch")], "twenty epochs")
    labels = view.legend_labels()
    assert "one epoch (median, 10–90 %)" in labels
    tall = legend_height(view.legend) > LEGEND_SHARE * view.lines_widget.height()
    assert view.folding.legend_folded == tall
    if tall:
        assert [line.split(" ", 1)[1] for line in plain(view.folding.hover_text())] == labels
    view.set_overlays(None, [])
    assert "one epoch (median, 10–90 %)" not in view.legend_labels()
    assert view.legend.isVisible() and view.folding.hover_text() == ""


@pytest.mark.parametrize("cls", [LossView, WeightsView])
def test_a_folded_view_given_another_run_folds_that_run_s_legend(qtbot, cnn_run, quadratic_run, cls):
    view = show_view(qtbot, cls, cnn_run, SMALL)
    assert view.folding.legend_folded
    view.set_run(quadratic_run)
    assert view.refresh(force=True)
    labels = [label.text for _, label in view.legend.items]
    tip = plain(view.folding.hover_text())
    if view.folding.legend_folded:
        assert [line.split(" ", 1)[1] for line in tip[-len(labels):]] == labels
    else:
        assert view.legend.isVisible() and not any(label in "".join(tip) for label in labels)
    view.set_run(cnn_run)
    assert view.refresh(force=True) and view.folding.legend_folded


# ---- 2: a compact loss axis names the loss ----
def test_a_compact_loss_view_names_the_loss_on_its_axis_in_a_label_that_fits(qtbot, cnn_run):
    view = show_view(qtbot, LossView, cnn_run, (343, 250))
    assert view.compact()
    assert view.axis_labels() == ("Cross-entropy", "acc. (%)")
    for plot in (view.loss_plot, view.acc_plot):
        label = plot.getAxis("left").label
        assert label.boundingRect().width() <= plot.vb.height()  # its whole length beside its plot
    view.set_log_scale(True)
    assert view.axis_labels()[0] == "Cross-entropy"  # the ticked box says it is logarithmic
    lines = plain(view.plots.toolTip())
    assert lines[:2] == ["Loss (cross-entropy)", "Accuracy"]  # the dropped titles, on hover
    assert [line.split(" ", 1)[1] for line in lines[2:]] == ["train (per step)", "validation (per epoch)"]
    resized(qtbot, view, WIDE)
    assert not view.compact() and view.axis_labels() == ("loss (log scale)", "accuracy (%)")
    view.set_log_scale(False)
    assert view.axis_labels()[0] == "loss" and view.plots.toolTip() == ""


def test_a_compact_regression_loss_axis_says_mse(qtbot, quadratic_run):
    view = show_view(qtbot, LossView, quadratic_run, (343, 200))
    assert view.compact() and view.axis_labels() == ("MSE", "")
    resized(qtbot, view, WIDE)
    assert view.axis_labels() == ("loss", "")


def test_a_compact_label_too_long_for_its_axis_takes_a_smaller_font(qtbot, cnn_run):
    view = show_view(qtbot, LossView, cnn_run, (343, 250))
    plot = view.loss_plot
    label = plot.getAxis("left").label
    in_views_font = QFontMetricsF(view.font()).horizontalAdvance("Cross-entropy") + 2 * label.document().documentMargin()
    assert view.compact() and view.axis_labels()[0] == "Cross-entropy"
    assert in_views_font > plot.vb.height()  # too long for the axis in the views' font…
    assert label.boundingRect().width() <= plot.vb.height()  # …so it is drawn smaller, and fits


# ---- 3: the last x tick at the right edge ----
def test_a_finished_loss_plot_built_wide_and_narrowed_labels_its_last_epoch_at_the_right_edge(qtbot, cnn_run):
    view = resized(qtbot, show_view(qtbot, LossView, cnn_run, WIDE), (343, 250))
    area = view.plots
    assert within_area(area)  # a folded legend does not hold the plots wider than the dock (it held them 381 px)
    # one width for both left axes: pyqtgraph links the x axes by screen position, so a narrower loss axis hid the
    # accuracy plot's first epoch
    assert view.loss_plot.getAxis("left").width() == view.acc_plot.getAxis("left").width()
    for plot in (view.loss_plot, view.acc_plot):
        axis = plot.getAxis("bottom")
        x0, x1 = plot.vb.viewRange()[0]
        assert x0 <= 0 and x1 >= 20  # the whole run in view
        texts = tick_texts(axis)
        assert texts[-1][1] == "20"  # the last epoch is labelled, at the right end
        right = axis.mapRectToScene(texts[-1][0]).right()
        assert right <= area.width()  # and drawn whole inside the dock


def test_the_weights_plot_labels_its_last_epoch_too(qtbot, cnn_run):
    view = resized(qtbot, show_view(qtbot, WeightsView, cnn_run, WIDE), SMALL)
    axis = view.plot.getAxis("bottom")
    texts = tick_texts(axis)
    assert texts[-1][1] == "20"
    assert axis.mapRectToScene(texts[-1][0]).right() <= view.lines_widget.width()


# ---- the window at 1024×640, and the frame's cost ----
def test_at_1024_by_640_the_loss_and_weights_docks_keep_their_plots_whole(qtbot):
    with open_window(qtbot, "digits-cnn", (1024, 640)) as window:
        window._apply_default_sizes()
        qtbot.waitUntil(lambda: window.width() == 1024)
        with qtbot.waitSignal(window.run_finished, timeout=60_000, check_params_cb=lambda s: s == "finished"):
            window.controller.start()
        qtbot.wait(100)
        loss, weights = window.loss_view, window.weights_view
        assert loss.compact() and loss.axis_labels() == ("Cross-entropy", "acc. (%)")
        assert within_area(loss.plots) and within_area(weights.lines_widget)
        assert tick_texts(loss.acc_plot.getAxis("bottom"))[-1][1] == "20"
        assert loss.acc_plot.vb.viewRange()[0][0] <= 0 <= loss.loss_plot.vb.viewRange()[0][0] + 1  # epoch 0 in view
        assert weights.folding.legend_folded and weights.plot.vb.height() > 100  # it was 17 px under the legend
        assert tick_texts(weights.plot.getAxis("bottom"))[-1][1] == "20"


class LayoutRequests(QObject):
    def __init__(self, target):
        super().__init__()
        self.count = 0
        target.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


@pytest.mark.parametrize("cls", [LossView, WeightsView])
def test_refreshing_a_folded_view_neither_refolds_it_nor_re_lays_it_out(qtbot, cnn_run, cls, monkeypatch):
    view = resized(qtbot, show_view(qtbot, cls, cnn_run, WIDE), SMALL)
    qtbot.wait(100)
    folds = []
    monkeypatch.setattr(view.folding, "fit", lambda force=False: folds.append(force))
    requests = LayoutRequests(view)
    for _ in range(20):
        assert view.refresh(force=True)
        qtbot.wait(1)
    assert folds == [] and requests.count == 0
