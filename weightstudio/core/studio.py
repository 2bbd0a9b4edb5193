"""The studio's Qt-free model: the runs open in it, the current one, the configuration being edited, and the
snapshot every view shows — napari's `ViewerModel` under its Qt window.

Panels edit it, views read it, the window lays out and wires (docs/architecture.md, "Layers"). Changes are
announced as plain events (`StudioEvent`), so the same model runs in tests without Qt and nothing in it knows
who listens.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Callable

from .assemble import Assembled, assemble
from .tasks import _Name

if TYPE_CHECKING:
    from .config import RunConfig
    from .data import Dataset
    from .run_data import RunData


class StudioEvent(_Name):
    RUNS_CHANGED = "runs_changed"  # a run was opened, replaced or closed
    CURRENT_CHANGED = "current_changed"  # another run is the one every view shows (info: run)
    SHOWN_CHANGED = "shown_changed"  # the timeline moved (info: index, None when following the newest)


class EventHub:
    """Named callbacks: `connect(name, fn)`, then `emit(name, **info)` calls each `fn(**info)` in order."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)

    def connect(self, name: str, fn: Callable[..., None]) -> None:
        self._handlers[name].append(fn)

    def emit(self, name: str, **info) -> None:
        for fn in list(self._handlers[name]):
            fn(**info)


class StudioModel:
    """Owns the open runs (live or loaded from a folder), which one is current, the draft configuration the panels
    edit, and the shown snapshot index (None: follow the newest). The window, the CLI and the benchmark assemble
    runs through `assemble`."""

    def __init__(self) -> None:
        self.events = EventHub()
        self.runs: list[RunData] = []
        self.current: RunData | None = None
        self.live: RunData | None = None  # the run the studio trains (one at a time); others are opened
        self.draft: RunConfig | None = None
        self.shown: int | None = None
        self._dataset: Dataset | None = None  # the data the draft was last assembled on

    # ---- the configuration being edited ----
    def assemble(self, config: RunConfig, dataset: Dataset) -> Assembled:
        """`config` fitted to `dataset` and checked (ConfigError naming the field otherwise); the result becomes
        the draft. Loss and output layer are fitted only when `dataset` is new to the model: an edit of the
        network on the same data is checked as the user made it."""
        assembled = assemble(config, dataset, new_data=dataset is not self._dataset)
        self.draft, self._dataset = assembled.config, dataset
        return assembled

    # ---- runs ----
    def set_live(self, run: RunData) -> None:
        """The studio's trained run is now `run` (new config, reset): it replaces the previous live run and is
        current."""
        if self.live is not None and self.live in self.runs:
            self.runs[self.runs.index(self.live)] = run
        else:
            self.runs.insert(0, run)
        self.live = run
        self.events.emit(StudioEvent.RUNS_CHANGED)
        self.set_current(run)

    def open(self, run: RunData) -> None:
        """A run loaded from a folder joins the open runs and becomes current."""
        self.runs.append(run)
        self.events.emit(StudioEvent.RUNS_CHANGED)
        self.set_current(run)

    def close(self, run: RunData) -> None:
        """Forget an opened run (its memory goes with the last reference); the live run cannot be closed."""
        if run is self.live or run not in self.runs:
            return
        self.runs.remove(run)
        self.events.emit(StudioEvent.RUNS_CHANGED)
        if self.current is run:
            self.set_current(self.live or (self.runs[-1] if self.runs else None))

    def set_current(self, run: RunData | None) -> None:
        if run is not self.current:
            self.current = run
            self.shown = None
            self.events.emit(StudioEvent.CURRENT_CHANGED, run=run)

    # ---- what every view shows ----
    def show(self, index: int | None) -> None:
        """Every view shows snapshot `index` of the current run; None follows the newest as it arrives."""
        if index != self.shown:
            self.shown = index
            self.events.emit(StudioEvent.SHOWN_CHANGED, index=index)
