"""Issue 9's polish, as a user sees it: no stray dock tab bar over the views, headers that fit, every analysis view
at the frame's step, sharp SVG heatmaps, kernel grids that use their dock, and the weights drawn before step 0."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QTabBar

from weightstudio.gui.main_window import MainWindow


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
