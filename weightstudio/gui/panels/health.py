"""The health panel: what the health check (core/health.py) finds in the current run, one line each, errors
first, with what to try; empty runs say that nothing was found yet."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from weightstudio.core.health import ERROR, Finding

from ..translation import TranslatedTable
from .widgets import HINT_STYLE

# Each kind of finding (core.health.KINDS) as the list names it.
KIND_NAMES = TranslatedTable("HealthPanel", {
    "vanishing_gradients": QT_TRANSLATE_NOOP("HealthPanel", "vanishing gradients"),
    "exploding_gradients": QT_TRANSLATE_NOOP("HealthPanel", "exploding gradients"),
    "dead_units": QT_TRANSLATE_NOOP("HealthPanel", "dead units"),
    "saturated_units": QT_TRANSLATE_NOOP("HealthPanel", "saturated units"),
    "update_ratio_high": QT_TRANSLATE_NOOP("HealthPanel", "update ratio high"),
    "update_ratio_low": QT_TRANSLATE_NOOP("HealthPanel", "update ratio low"),
    "stuck_at_chance": QT_TRANSLATE_NOOP("HealthPanel", "stuck at chance"),
    "non_finite": QT_TRANSLATE_NOOP("HealthPanel", "non finite"),
})


class HealthPanel(QWidget):
    """Shows a list of `Finding`s; `show_findings` is called by the window at its slow rate."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("healthList")
        self.list.setWordWrap(True)
        self.summary = QLabel(self.tr("Nothing found yet: the check runs as the run trains."), self)
        self.summary.setStyleSheet(HINT_STYLE)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.findings: list[Finding] = []

    def show_findings(self, findings: list[Finding]) -> None:
        if [f.to_dict() for f in findings] == [f.to_dict() for f in self.findings]:
            return
        self.findings = list(findings)
        self.list.clear()
        for f in findings:
            item = QListWidgetItem(self.tr("{0} (from step {1}): {2}").format(KIND_NAMES[f.kind],
                                                                              f"{f.first_step:,}", f.line()))
            item.setToolTip(f.line())
            if f.severity == ERROR:
                item.setForeground(QColor(176, 0, 32))
            self.list.addItem(item)
        self.summary.setText(self.tr("{0} finding(s) in this run").format(len(findings)) if findings
                             else self.tr("No problem found in this run."))
