"""Shared fixtures. Qt runs offscreen unless a display is asked for explicitly; no test touches user settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path, monkeypatch):
    """Point QSettings (and anything else keyed on HOME/XDG) at a temporary folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("WEIGHTSTUDIO_SETTINGS_DIR", str(tmp_path / "settings"))
    yield
