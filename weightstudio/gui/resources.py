"""Qt objects made from packaged resources."""

from PySide6.QtGui import QIcon

from ..core.resources import resource


def app_icon() -> QIcon:
    return QIcon(str(resource("icon-svg")))
