"""The studio's Qt-free model: the runs open in it, the current one, the configuration being edited, and the
snapshot every view shows — napari's `ViewerModel` under its Qt window.

Panels edit it, views read it, the window lays out and wires (docs/architecture.md, "Layers"). Changes are
announced as plain events (`StudioEvent`), so the same model runs in tests without Qt and nothing in it knows
who listens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
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


@dataclass
class RunMeta:
    """How the studio shows one open run: its label, whether views draw it, its colour (an index into the
    palette, fixed for the run's life) and its group (runs compared with one another). `named`: the label was
    given (renamed by the user, a duplicate's, a comparison's), so it stays when an edit replaces the run."""

    label: str
    colour: int
    group: int
    visible: bool = True
    named: bool = False


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
        self._meta: dict[int, RunMeta] = {}  # by id(run): RunData is a dataclass, so not hashable
        self._next_colour = 0
        self._next_group = 0
        self._live_group: int | None = None  # the group the next live run joins (duplicate, vary)

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
        """The studio's trained run is now `run` (new config, reset): it replaces the previous live run (keeping
        colour and group, and its label when one was given; else the label follows the new run's name) and is
        current."""
        old = self.live if self.live is not None and any(r is self.live for r in self.runs) else None
        if old is not None:
            self.runs[self._index(old)] = run
            meta = self._meta[id(run)] = self._meta.pop(id(old))
            if not meta.named:
                meta.label = run.name
        else:
            self.runs.insert(0, run)
            self._add_meta(run, self._live_group)
        self.live = run
        self.events.emit(StudioEvent.RUNS_CHANGED)
        self.set_current(run)

    def keep_live(self) -> RunData | None:
        """The live run stays open as a run of its own (its history kept); the next live run joins its group."""
        kept, self.live = self.live, None
        if kept is not None:
            self._live_group = self._meta[id(kept)].group
        return kept

    def open(self, run: RunData) -> None:
        """A run loaded from a folder (or kept from a crash) joins the open runs and becomes current."""
        self.runs.append(run)
        self._add_meta(run, None)
        self.events.emit(StudioEvent.RUNS_CHANGED)
        self.set_current(run)

    def close(self, run: RunData) -> None:
        """Forget a run that is not the live one; its memory goes with the last reference."""
        if run is self.live or not any(r is run for r in self.runs):
            return
        self.runs.pop(self._index(run))
        del self._meta[id(run)]
        self.events.emit(StudioEvent.RUNS_CHANGED)
        if self.current is run:
            self.set_current(self.live or (self.runs[-1] if self.runs else None))

    def is_open(self, run: RunData | None) -> bool:
        return run is not None and id(run) in self._meta

    def meta(self, run: RunData) -> RunMeta:
        return self._meta[id(run)]

    def rename(self, run: RunData, label: str) -> None:
        """A label given to `run`; an empty one returns it to the run's name (which then follows edits)."""
        meta = self.meta(run)
        meta.label, meta.named = label.strip() or run.name, bool(label.strip())
        self.events.emit(StudioEvent.RUNS_CHANGED)

    def set_visible(self, run: RunData, visible: bool) -> None:
        self.meta(run).visible = visible
        self.events.emit(StudioEvent.RUNS_CHANGED)

    def group_base(self, run: RunData) -> RunData:
        """The earliest open run of `run`'s group: what the runs table describes differences against."""
        group = self.meta(run).group
        return min((r for r in self.runs if self._meta[id(r)].group == group), key=lambda r: self._meta[id(r)].colour)

    def _add_meta(self, run: RunData, group: int | None) -> None:
        if group is None:
            group, self._next_group = self._next_group, self._next_group + 1
        self._meta[id(run)] = RunMeta(run.name, self._next_colour, group)
        self._next_colour += 1

    def _index(self, run: RunData) -> int:
        return next(i for i, r in enumerate(self.runs) if r is run)

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
