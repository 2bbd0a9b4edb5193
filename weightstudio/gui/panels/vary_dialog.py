"""Vary…: pick one setting and several values; every value is checked against the current run before the dialog
lets the user go on, so no run of a comparison starts that could not be trained."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from weightstudio.core.compare import SETTINGS, Variation, parse_vary
from weightstudio.core.messages import translate as core_text
from weightstudio.core.config import ConfigError

from .widgets import ERROR_STYLE, HINT_STYLE


class VaryDialog(QDialog):
    """Asks for a `Variation`; `check(variation)` raises ConfigError for values the run cannot take."""

    def __init__(self, check: Callable[[Variation], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("varyDialog")
        self.setWindowTitle(self.tr("Vary a setting"))
        self._check = check
        self.variation: Variation | None = None
        self.setting_combo = QComboBox(self)
        self.setting_combo.setObjectName("varySettingCombo")
        for key, (title, _defaults) in SETTINGS.items():
            self.setting_combo.addItem(core_text(title), key)
        self.values_edit = QLineEdit(self)
        self.values_edit.setObjectName("varyValuesEdit")
        self.values_edit.setToolTip(self.tr("Values separated by commas, e.g. sgd, adam — one run each"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Train these runs"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Setting"), self.setting_combo)
        form.addRow(self.tr("Values"), self.values_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setting_combo.currentIndexChanged.connect(self._setting_chosen)
        self.values_edit.textChanged.connect(self._validate)
        self._setting_chosen()
        self.resize(460, self.sizeHint().height())

    def _setting_chosen(self, *_args) -> None:
        self.values_edit.setText(", ".join(SETTINGS[self.setting_combo.currentData()][1]))

    def _validate(self, *_args) -> None:
        try:
            variation = parse_vary(f"{self.setting_combo.currentData()}={self.values_edit.text()}")
            self._check(variation)
        except ConfigError as e:
            self.variation = None
            self.message.setText(str(e).replace("--vary ", ""))
            self.message.setStyleSheet(ERROR_STYLE)
        else:
            self.variation = variation
            self.message.setText(self.tr("{0} runs, trained one after another; each keeps the seed and the data")
                                 .format(len(variation.values)))
            self.message.setStyleSheet(HINT_STYLE)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.variation is not None)
