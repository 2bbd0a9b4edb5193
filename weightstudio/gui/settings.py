"""Where the app's settings live (window layout, language); its own module so that start-up reads the language
before the window's modules are imported."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings


def app_settings() -> QSettings:
    """The app's settings; tests point WEIGHTSTUDIO_SETTINGS_DIR at a temporary folder."""
    folder = os.environ.get("WEIGHTSTUDIO_SETTINGS_DIR")
    if folder:
        return QSettings(str(Path(folder) / "weightstudio.ini"), QSettings.IniFormat)
    return QSettings("WeightStudio", "WeightStudio")
