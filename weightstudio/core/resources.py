"""Package data looked up by name, so every caller (and a PyInstaller bundle) finds files the same way."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

RESOURCES = {
    "digits": "digits.npz",  # UCI optdigits via scikit-learn, CC BY 4.0
    "icon-svg": "icons/weightstudio.svg",
    "messages-zh": "i18n/core_zh_CN.json",  # the core's and the CLI's messages (weightstudio.core.messages)
    "qm-zh": "i18n/weightstudio_zh_CN.qm",  # the GUI's, compiled from weightstudio_zh_CN.ts
    "qtbase-zh": "i18n/qtbase_zh_CN.qm",  # Qt's own (standard dialogs, message box buttons), copied from PySide6
}


def resource(name: str) -> Traversable:
    """The packaged file called `name`; raises KeyError for a name that is not a known resource."""
    try:
        rel = RESOURCES[name]
    except KeyError:
        raise KeyError(f"unknown resource '{name}' (known: {', '.join(RESOURCES)})") from None
    return files("weightstudio").joinpath("resources", *rel.split("/"))
