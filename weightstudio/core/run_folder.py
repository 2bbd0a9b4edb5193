"""A run folder as a document: what `weightstudio train --out` (and the studio's exports) wrote, or what
`weightstudio.record()` writes from the user's own loop (finished, still being written, or left by a killed
writer), opened again.

`open_run(path)` takes the folder or its run.json. With a history it gives a `RunData` that every view draws as
it draws a live run; with a configuration only it gives the `RunConfig` to load into the panels. Every problem
is a `RunFolderError` naming the file and what is wrong. Nothing is unpickled: JSON, CSV, and `.npz` read with
`allow_pickle=False`.

A folder still being written is followed: `run.follow()` gives a `RunFollower` whose `poll()` appends the chunks
completed since the last call to the same `History` (so every view bound to the run grows), and whose
`following` says whether more may come. The reader only reads files the writer has renamed into place; it never
locks or writes anything, so the writer never waits for it.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from .config import ConfigError, RunConfig
from .data import Dataset, DataError
from .divergence import Divergence
from .history import EPOCH_COLUMNS, STEP_COLUMNS, History
from .io import DATA_REFERENCE, load_data_reference, load_npz, load_run_config
from .messages import N_, _
from .run_log import LOG_DIR, LogHistory, LogReader, chunk_name, is_record_manifest, read_json, writer_gone
from .tasks import RunState

RUN_FILE, HISTORY_FILE, DATA_FILE, METRICS_FILE, STATUS_FILE = (
    "run.json", "history.npz", "data.npz", "metrics.csv", "status.json")


class RunFolderError(ConfigError):
    """A run folder (or one of its files) that cannot be opened; the message names the file."""


def run_folder_of(path: str | Path) -> Path:
    """The folder of `path` (a run folder or a file in one); RunFolderError if there is no run.json."""
    path = Path(path)
    folder = path.parent if path.is_file() else path
    if not (folder / RUN_FILE).is_file():
        raise RunFolderError(_("{path}: not a run folder (no {RUN_FILE} in {folder})", path=path, RUN_FILE=RUN_FILE,
                               folder=folder))
    return folder


def open_run(path: str | Path):
    """A `RunData` for a folder with a history, else the folder's `RunConfig` (settings only)."""
    folder = run_folder_of(path)
    try:
        manifest = read_json(folder / RUN_FILE)
    except ValueError:
        manifest = None  # load_run_config names the problem as it always has
    if is_record_manifest(manifest):
        return open_recorded(folder, manifest)
    config = load_run_config(folder / RUN_FILE)
    if not (folder / HISTORY_FILE).is_file():
        return config
    from .run_data import RunData  # torch: only when there is a history to draw

    problems: list[str] = []
    dataset, n_train, data_problem = _find_data(folder, problems)
    history = load_history(folder, config, n_train, problems)
    return RunData(config, dataset, history, origin=folder, data_problem=data_problem, problems=problems)


def _find_data(folder: Path, problems: list[str]) -> tuple[Dataset | None, int | None, str]:
    """(the run's training data, its training samples, "") from its copy (data.npz) or its reference to the files
    it was read from (data.json); (None, samples, why) when those files are gone or have changed: the run still
    opens, without predictions. A damaged copy is named in `problems` (None, None, ""): the history still opens,
    its epoch length read from its own steps (`load_history`)."""
    if (folder / DATA_FILE).is_file() or not (folder / DATA_REFERENCE).is_file():
        try:
            dataset = _load_data(folder / DATA_FILE)
        except RunFolderError as e:
            problems.append(_("{e}; the run opens without its training data", e=e))
            return None, None, ""
        return dataset, len(dataset.x_train), ""
    path = folder / DATA_REFERENCE
    try:
        dataset = load_data_reference(path)
        return dataset, len(dataset.x_train), ""
    except ValueError as e:
        problem = str(e)
    try:
        n = (read_json(path) or {}).get("n_train")
    except ValueError:
        n = None
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise RunFolderError(problem) from None
    return None, n, problem


def _load_data(path: Path) -> Dataset:
    try:
        z = load_npz(path)
    except ValueError as e:
        raise RunFolderError(str(e)) from None
    missing = [k for k in ("x_train", "y_train", "x_val", "y_val") if k not in z]
    if missing:
        raise RunFolderError(_("{path}: missing array(s) {value}", path=path, value=', '.join(missing)))
    names = [str(n) for n in z.get("class_names", np.array([], np.str_))]
    task = "classification" if z["y_train"].dtype.kind in "iu" else "regression"
    try:
        return Dataset(path.parent.name, task, z["x_train"], z["y_train"], z["x_val"], z["y_val"], names)
    except DataError as e:
        raise RunFolderError(_("{path}: {e}", path=path, e=e)) from None


def load_history(folder: Path, config: RunConfig, n_train: int | None, problems: list[str]) -> History:
    """The recorded tiers of history.npz (and metrics.csv's epochs) in a History of their own; `n_train`, the
    training samples, gives the steps an epoch took (None: the data is lost, the steps' epoch positions tell).
    An unreadable metrics.csv or status.json is named in `problems` and left out."""
    from .builder import param_table

    path = folder / HISTORY_FILE
    try:
        z = load_npz(path)
    except ValueError as e:
        raise RunFolderError(str(e)) from None
    if n_train is None:
        steps_per_epoch = _recorded_steps_per_epoch(z)
    else:
        batch = n_train if config.train.batch_size is None else min(config.train.batch_size, n_train)
        steps_per_epoch = max(1, math.ceil(n_train / max(1, batch)))
    history = History(param_table(config.model), steps_per_epoch, trace_seed=config.train.seed)
    try:
        _fill(history, z)
    except (KeyError, ValueError) as e:
        raise RunFolderError(_("{path}: does not match run.json's network ({e})", path=path, e=e)) from None
    history.load_tier("epochs", *_epoch_rows(folder / METRICS_FILE, problems))
    history.set_status(*_status_fields(_status(folder / STATUS_FILE, problems), "finished"))
    return history


def _recorded_steps_per_epoch(z: dict[str, np.ndarray]) -> int:
    """The steps an epoch took, from the last step row: the engine's epoch position at step s is s / steps per
    epoch (1 when there is no such row)."""
    step, epoch = z.get("steps/step"), z.get("steps/epoch")
    if step is None or epoch is None or not len(step) or not len(epoch) or not epoch[-1] > 0:
        return 1
    return max(1, round(float(step[-1]) / float(epoch[-1])))


def _fill(history: History, z: dict[str, np.ndarray]) -> None:
    names = history.names
    params = np.concatenate([z[f"param/{k}"].reshape(len(z["step"]), -1) for k in names], axis=1)
    grads = np.concatenate([z[f"grad/{k}"].reshape(len(z["step"]), -1) for k in names], axis=1)
    if params.shape[1] != history.total_weights:
        raise ValueError(f"{params.shape[1]} weights recorded, the network has {history.total_weights}")
    history.load_tier("snapshots", z["step"], np.concatenate([params, grads], axis=1))
    if list(z["trace/labels"]) != history.trace_labels():
        raise ValueError("the traced weights differ")
    history.load_tier("traces", z["trace/step"], z["trace/values"])
    steps = np.column_stack([z[f"steps/{c}"] for c in STEP_COLUMNS] + [z["steps/grad_norm"]])
    history.load_tier("steps", z["steps/step"], steps)


def _epoch_rows(path: Path, problems: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, rows in EPOCH_COLUMNS) from metrics.csv; regression files have no accuracy columns (NaN). A file
    that cannot be read gives no epochs and a line in `problems`: the steps and snapshots still open."""
    none = np.zeros(0, np.int64), np.zeros((0, len(EPOCH_COLUMNS)))
    try:
        with open(path, newline="", encoding="utf-8") as f:
            records = list(csv.DictReader(f))
    except FileNotFoundError:
        return none
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        problems.append(_("{path}: cannot read it ({e}); the epochs are left out", path=path, e=e))
        return none
    whole = [r for r in records if None not in r.values() and None not in r]
    if len(whole) < len(records):  # a row cut short (or run on) by other hands: only the whole rows are kept
        problems.append(_("{path}: {n} row(s) cut short; they are left out", path=path, n=len(records) - len(whole)))
    try:
        rows = np.array([[float(r.get(c) or "nan") for c in EPOCH_COLUMNS] for r in whole], np.float64)
    except (TypeError, ValueError) as e:  # a torn last line, or not a metrics file at all
        problems.append(_("{path}: not a metrics file ({e}); the epochs are left out", path=path, e=e))
        return none
    rows = rows.reshape(-1, len(EPOCH_COLUMNS))
    if not np.all(np.isfinite(rows[:, :2])):
        problems.append(_("{path}: an epoch without its number or step; the epochs are left out", path=path))
        return none
    return rows[:, 0].astype(np.int64), rows


def _status(path: Path, problems: list[str]) -> dict:
    try:
        d = read_json(path)
    except ValueError as e:
        problems.append(_("{e}; the run's status is left out", e=e))
        return {}
    return d or {}


def _status_fields(d: dict, default: str) -> tuple[str, str, Divergence | None]:
    """(status, message, divergence) of a status file's dict. A divergence is told in the reader's language from
    its fields; a folder from before they were stored keeps the message it has."""
    divergence = Divergence.from_json(d.get("divergence"))
    message = divergence.message() if divergence else str(d.get("message", ""))
    return str(d.get("status", default)), message, divergence


# ---- folders weightstudio.record() writes ------------------------------------------------------------------------

GONE_MESSAGE = N_("the recording process ended without closing its recorder (killed?): its steps up to the last flush")


def open_recorded(folder: Path, manifest: dict):
    """A `RunData` (config and dataset None) holding every complete chunk of the folder's log, with a follower
    positioned after them; a folder whose log was removed opens from its history.npz."""
    from .run_data import RunData

    try:
        lh = LogHistory(manifest)
    except (KeyError, TypeError, ValueError, AttributeError) as e:  # a field missing or of the wrong JSON type
        raise RunFolderError(_("{value}: not a recording manifest ({e})", value=folder / RUN_FILE, e=e)) from None
    reader = LogReader(folder)
    problems: list[str] = []
    if (folder / LOG_DIR / chunk_name(0)).is_file():
        problems += reader.apply_new(lh)[1]
        if not lh.history.snapshot_count():
            raise RunFolderError(_("{path}: the initial state cannot be read, so there is nothing to draw ({e})",
                                   path=folder / LOG_DIR / chunk_name(0), e="; ".join(problems)))
    elif (folder / HISTORY_FILE).is_file():
        _fill_from_npz(lh.history, folder, problems)
        reader = None
    else:
        raise RunFolderError(_("{folder}: no recorded steps yet ({LOG_DIR}/{value} is missing)", folder=folder,
                               LOG_DIR=LOG_DIR, value=chunk_name(0)))
    run = RunData(None, None, lh.history, origin=folder, recording=manifest, log=lh, problems=problems)
    follower = RunFollower(run, reader)
    follower.check_status()
    run._follower = follower
    return run


def _fill_from_npz(history: History, folder: Path, problems: list[str]) -> None:
    path = folder / HISTORY_FILE
    try:
        z = load_npz(path)
    except ValueError as e:
        raise RunFolderError(str(e)) from None
    try:
        _fill(history, z)
    except (KeyError, ValueError) as e:
        raise RunFolderError(_("{path}: does not match run.json's parameters ({e})", path=path, e=e)) from None
    history.load_tier("epochs", *_epoch_rows(folder / METRICS_FILE, problems))


class RunFollower:
    """Keeps a `RunData` opened on a folder up to date while `weightstudio.record()` writes it.

    The window calls `poll()` from a timer (a few times a second is plenty: the writer flushes about twice a
    second) and shows `state` while `following` is True. `poll()` reads at most `max_chunks` new chunks, so one
    call stays short however far behind it is (`behind` says more are waiting); each chunk read appends to the
    run's History under its lock and bumps its version, so views redraw as for a live run. A run that cannot grow
    (a train folder, a finished recording) has a follower whose poll() returns False.
    """

    def __init__(self, run, reader: LogReader | None = None):
        self.run = run
        self.reader = reader
        self.behind = False
        self._status_mtime: int | None = None
        self._status: dict = {}
        self._idle_since = None

    @property
    def folder(self) -> Path | None:
        return self.run.origin

    @property
    def following(self) -> bool:
        """True while the writer may still add data: its status says running and it is not known to be gone, or
        chunks are still waiting to be read."""
        if self.reader is None:
            return False
        return self.behind or self.run.history.status == RunState.RUNNING

    @property
    def state(self) -> str:
        """"following" while growing, else the run's status: "finished", "stopped" (with the history's message
        saying why, e.g. a killed writer), "diverged"."""
        return "following" if self.following else str(self.run.history.status)

    def poll(self, max_chunks: int = 32) -> bool:
        """Append the chunks completed since the last call; True when the history changed (new steps or a new
        status). Cheap when nothing is new: one stat for the next chunk, one for status.json."""
        if self.reader is None:
            return False
        read, problems = self.reader.apply_new(self.run.log, max_chunks)
        self.run.problems += problems  # named and skipped: the chunks after a damaged one still come
        self.behind = read == max_chunks and self.reader.has_new()
        return self.check_status() or bool(read)

    def check_status(self) -> bool:
        """Take status.json's state into the history when it changed; a writer that died on this host without
        saying so is marked stopped. True when the history's status changed."""
        path = self.folder / STATUS_FILE
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if mtime != self._status_mtime:
            self._status_mtime = mtime
            try:
                self._status = read_json(path) or {}
            except ValueError:
                return False  # replaced atomically, so only a file damaged by other hands; keep the last one
        status, message, divergence = _status_fields(self._status, RunState.RUNNING)
        if status == RunState.RUNNING and writer_gone(self._status) and not self.reader_has_more():
            status, message = RunState.STOPPED, _(GONE_MESSAGE)
        h = self.run.history
        if (status, message) != (h.status, h.message):
            h.set_status(status, message, divergence)
            return True
        return False

    def reader_has_more(self) -> bool:
        return self.reader is not None and self.reader.has_new()
