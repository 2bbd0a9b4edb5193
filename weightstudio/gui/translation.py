"""The GUI's language: Qt translators for the app's strings (weightstudio_zh_CN.qm) and Qt's own (qtbase_zh_CN.qm),
installed before any widget is built, and the CJK font check that decides whether Chinese can be drawn at all.

The choice is saved in the settings under LANGUAGE_KEY: 'en', 'zh', or '' to follow the system locale. Where no
CJK font is installed, the app stays English (tofu boxes help no one) and says once which package to install.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QFontDatabase

from ..core import messages
from ..core.resources import resource

LANGUAGE_KEY = "ui/language"
# The languages of View ▸ Language, each named in itself (a user who cannot read the current one finds theirs).
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
FONT_HINT = ("WeightStudio: no Chinese (CJK) font found, so text stays English; install one, e.g. "
             "`apt-get install fonts-wqy-microhei` or `fonts-noto-cjk` (Debian/Ubuntu)")

_installed: list[QTranslator] = []  # the translators in use (Qt does not own them: Python must keep them alive)


def cjk_font_available() -> bool:
    """Whether fontconfig (through Qt's font database) knows a font that draws Simplified Chinese."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def install_translators(app, lang: str | None = None) -> str:
    """Install the translators for `lang` (default: the core's choice, from the setting or the locale) on `app`
    and return the language now in effect. Safe to call again: the previous translators are removed first."""
    remove_translators()
    lang = lang or messages.language()
    if lang == "en":
        return "en"
    if not cjk_font_available():
        print(FONT_HINT, file=sys.stderr)
        return "en"
    translators = []
    for name in (f"qtbase-{lang}", f"qm-{lang}"):
        translator = QTranslator(app)
        if not translator.load(str(resource(name))):
            raise OSError(f"{resource(name)}: not a Qt translation file")
        app.installTranslator(translator)
        translators.append(translator)
    _installed.extend(translators)
    return lang


def remove_translators() -> None:
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())


class TranslatedTable(Mapping):
    """A module-level table of texts (marked with QT_TRANSLATE_NOOP for lupdate) that reads them in the current
    language: `TIPS[key]` and `TIPS.get(key, default)` translate at use, after the translators are installed."""

    def __init__(self, context: str, table: dict[str, str]):
        self._context, self._table = context, table

    def __getitem__(self, key: str) -> str:
        return QCoreApplication.translate(self._context, self._table[key])

    def __iter__(self):
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)
