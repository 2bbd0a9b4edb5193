"""Compared runs in a view: the other shown runs a view draws beside or over the one it is bound to, and which of
their snapshots matches the timeline (the same step in each run; a shorter run shows its last state)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from weightstudio.core.compare import snapshot_at_step

if TYPE_CHECKING:
    from weightstudio.core.run_data import RunData

    from .base import RunView


@dataclass
class Overlay:
    """Another shown run: its colour (RGB) and its label in the runs table."""

    run: RunData
    colour: tuple[int, int, int]
    label: str
    drawn_version: int | None = None  # the run's history version a view last drew


def overlays_of(items) -> list[Overlay]:
    """`(run, colour, label)` triples, as the window passes them, as Overlays."""
    return [item if isinstance(item, Overlay) else Overlay(*item) for item in items]


def shown_step(view: RunView) -> int | None:
    """The step of the snapshot the timeline shows in `view`'s run, or None when following the newest."""
    run = view.run
    i = None if run is None else view._resolved_snapshot(run)
    return None if i is None else int(run.history.snapshot_steps()[i])


def overlay_snapshot(view: RunView, other: RunData) -> tuple[int | None, bool]:
    """(snapshot index of `other` to show beside `view`'s run, whether `other` ended before that step)."""
    return snapshot_at_step(other.history.snapshot_steps(), shown_step(view))


def colour_hex(colour) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])


def short_labels(labels: list[str], words: bool = False) -> list[str]:
    """The labels without the part all of them share up to a " · " (e.g. "digits-mlp · optimizer adam" →
    "optimizer adam"): what tells compared runs apart, short enough for a legend. With `words`, also the words
    they then share ("optimizer adam" → "adam"), for a title over a narrow image."""
    if len(labels) < 2:
        return list(labels)
    parts = [label.split(" · ") for label in labels]
    common = 0
    while all(len(p) > common + 1 for p in parts) and len({p[common] for p in parts}) == 1:
        common += 1
    out = [" · ".join(p[common:]) for p in parts]
    if words:
        split = [label.split(" ") for label in out]
        common = 0
        while all(len(w) > common + 1 for w in split) and len({w[common] for w in split}) == 1:
            common += 1
        out = [" ".join(w[common:]) for w in split]
    return out
