"""The runs panel: every run open in the studio, as a table the user reads and edits.

One row per run of the `StudioModel`: shown in the views or not, its colour and name (editable), what sets it
apart from the first run of its group, its status, and its final losses and accuracy. Double-click (or Enter)
makes a run current; Delete removes one. Duplicate and Vary are asked for with signals the window answers, since
they train.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from weightstudio.core.compare import differences
from weightstudio.core.studio import StudioEvent, StudioModel

from ..palette import palette_colour
from ..translation import state_name

SHOW, NAME, DIFFERS, STATUS, TRAIN, VAL, ACC = range(7)


class RunsPanel(QWidget):
    """Shows and edits the model's runs; `duplicate_requested` and `vary_requested` go to the window."""

    duplicate_requested = Signal()
    vary_requested = Signal()

    def __init__(self, model: StudioModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.table = self._build_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_buttons())
        model.events.connect(StudioEvent.RUNS_CHANGED, self.refresh)
        model.events.connect(StudioEvent.CURRENT_CHANGED, lambda run: self.refresh())
        QShortcut(QKeySequence.Delete, self.table, self.remove_selected, context=Qt.WidgetShortcut)

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, 7, self)
        table.setObjectName("runsTable")
        table.setHorizontalHeaderLabels([
            "", self.tr("Run"), self.tr("Differs by"), self.tr("Status"), self.tr("Train loss"), self.tr("Val loss"),
            self.tr("Accuracy")])
        tips = [self.tr("Shown in the views"), self.tr("Double-click to make it current; F2 renames"),
                self.tr("What sets it apart from the first run of its group"), "",
                self.tr("Last epoch's mean training loss"), self.tr("Last epoch's validation loss"),
                self.tr("Last epoch's validation accuracy (training accuracy when there is no validation set)")]
        for col, tip in enumerate(tips):
            table.horizontalHeaderItem(col).setToolTip(tip)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.setSelectionMode(QAbstractItemView.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditKeyPressed)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(DIFFERS, QHeaderView.Stretch)
        table.cellDoubleClicked.connect(lambda row, _col: self._make_current(row))
        table.itemChanged.connect(self._item_changed)
        return table

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        buttons = [
            ("duplicateButton", self.tr("Duplicate"), self.tr("A new run with the same seed, data and initial weights: "
                                                            "change a setting, then train it (Ctrl+D)"),
             self.duplicate_requested.emit),
            ("varyButton", self.tr("Vary…"), self.tr("Train one run per value of a setting, one after another"),
             self.vary_requested.emit),
            ("removeRunButton", self.tr("Remove"), self.tr("Close the selected run and free its memory (Delete)"),
             self.remove_selected),
        ]
        for name, text, tip, slot in buttons:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        return row

    # ---- model → table ----
    def refresh(self) -> None:
        runs = self.model.runs
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(runs))
            for row, run in enumerate(runs):
                self._fill_row(row, run)
        current = next((i for i, r in enumerate(runs) if r is self.model.current), None)
        if current is not None:
            self.table.selectRow(current)

    def _fill_row(self, row: int, run) -> None:
        meta = self.model.meta(run)
        show = QTableWidgetItem()
        show.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable | Qt.ItemIsSelectable)
        show.setCheckState(Qt.Checked if meta.visible else Qt.Unchecked)
        name = QTableWidgetItem(meta.label)
        name.setForeground(QColor(*palette_colour(meta.colour)))  # a run keeps its colour for its life
        name.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable)
        font = name.font()
        font.setBold(run is self.model.current)
        name.setFont(font)
        if run is self.model.live:
            name.setToolTip(self.tr("The run the studio trains"))
        elif run.origin is not None:
            name.setToolTip(str(run.origin))
        base = self.model.group_base(run)
        differs = ", ".join(differences(base.config, run.config)) if base is not run else self.tr("(first of its group)")
        differs_item = self._text(differs)
        differs_item.setToolTip(differs)
        cells = [show, name, differs_item, self._text(self._status(run)), *self._results(run)]
        for col, item in enumerate(cells):
            self.table.setItem(row, col, item)

    def _status(self, run) -> str:
        status = state_name(run.history.status)
        return self.tr("{0} (training here)").format(status) if run is self.model.live else status

    def _results(self, run) -> list[QTableWidgetItem]:
        e = run.history.epoch_data()

        def last(key: str, percent: bool = False) -> QTableWidgetItem:
            values = e[key]
            v = float(values[-1]) if len(values) else math.nan
            text = "" if math.isnan(v) else (f"{100 * v:.1f}%" if percent else f"{v:.4g}")
            item = self._text(text)
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            return item

        has_val = len(e["val_acc"]) and not math.isnan(float(e["val_acc"][-1]))
        return [last("train_loss"), last("val_loss"), last("val_acc" if has_val else "train_acc", percent=True)]

    @staticmethod
    def _text(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        return item

    # ---- table → model ----
    def _item_changed(self, item: QTableWidgetItem) -> None:
        run = self.model.runs[item.row()]
        if item.column() == SHOW:
            self.model.set_visible(run, item.checkState() == Qt.Checked)
        elif item.column() == NAME:
            self.model.rename(run, item.text())

    def _make_current(self, row: int) -> None:
        if 0 <= row < len(self.model.runs):
            self.model.set_current(self.model.runs[row])

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model.close(self.model.runs[rows[0].row()])
