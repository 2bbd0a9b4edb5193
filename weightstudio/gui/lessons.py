"""The Lessons menu: one entry per lesson of `core.lessons`, each building its runs through the Vary path."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..core.lessons import LESSONS, Lesson
from ..core.messages import _


def fill_lessons_menu(menu: QMenu, start: Callable[[Lesson], None]) -> list[QAction]:
    """An action per lesson in `menu` (objectName `lesson_<name>`, its paragraph as tooltip) that calls
    `start(lesson)`; returns the actions."""
    menu.setToolTipsVisible(True)
    actions = []
    for lesson in LESSONS:
        act = menu.addAction(_(lesson.title) + "…")
        act.setObjectName(f"lesson_{lesson.name}")
        tip = _(lesson.look_for)
        act.setToolTip(tip)
        act.setStatusTip(tip)
        act.triggered.connect(lambda _=False, lesson=lesson: start(lesson))
        actions.append(act)
    return actions
