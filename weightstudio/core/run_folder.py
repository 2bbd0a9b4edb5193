"""A run folder as a document: what `weightstudio train --out` (and the studio's exports) wrote, opened again.

`open_run(path)` takes the folder or its run.json. With a history it gives a `RunData` that every view draws as
it draws a live run; with a configuration only it gives the `RunConfig` to load into the panels. Every problem
is a `RunFolderError` naming the file and what is wrong. Nothing is unpickled: JSON, CSV, and `.npz` read with
`allow_pickle=False`.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from .config import ConfigError, RunConfig
from .data import Dataset, DataError
from .history import EPOCH_COLUMNS, STEP_COLUMNS, History
from .io import load_npz, load_run_config

RUN_FILE, HISTORY_FILE, DATA_FILE, METRICS_FILE, STATUS_FILE = (
    "run.json", "history.npz", "data.npz", "metrics.csv", "status.json")


class RunFolderError(ConfigError):
    """A run folder (or one of its files) that cannot be opened; the message names the file."""


def run_folder_of(path: str | Path) -> Path:
    """The folder of `path` (a run folder or a file in one); RunFolderError if there is no run.json."""
    path = Path(path)
    folder = path.parent if path.is_file() else path
    if not (folder / RUN_FILE).is_file():
        raise RunFolderError(f"{path}: not a run folder (no {RUN_FILE} in {folder})")
    return folder


def open_run(path: str | Path):
    """A `RunData` for a folder with a history, else the folder's `RunConfig` (settings only)."""
    folder = run_folder_of(path)
    config = load_run_config(folder / RUN_FILE)
    if not (folder / HISTORY_FILE).is_file():
        return config
    from .run_data import RunData  # torch: only when there is a history to draw

    dataset = _load_data(folder / DATA_FILE)
    history = load_history(folder, config, dataset)
    return RunData(config, dataset, history, origin=folder)


def _load_data(path: Path) -> Dataset:
    try:
        z = load_npz(path)
    except ValueError as e:
        raise RunFolderError(str(e)) from None
    missing = [k for k in ("x_train", "y_train", "x_val", "y_val") if k not in z]
    if missing:
        raise RunFolderError(f"{path}: missing array(s) {', '.join(missing)}")
    names = [str(n) for n in z.get("class_names", np.array([], np.str_))]
    task = "classification" if z["y_train"].dtype.kind in "iu" else "regression"
    try:
        return Dataset(path.parent.name, task, z["x_train"], z["y_train"], z["x_val"], z["y_val"], names)
    except DataError as e:
        raise RunFolderError(f"{path}: {e}") from None


def load_history(folder: Path, config: RunConfig, dataset: Dataset) -> History:
    """The recorded tiers of history.npz (and metrics.csv's epochs) in a History of their own."""
    from .builder import param_table

    path = folder / HISTORY_FILE
    try:
        z = load_npz(path)
    except ValueError as e:
        raise RunFolderError(str(e)) from None
    n = len(dataset.x_train)
    batch = n if config.train.batch_size is None else min(config.train.batch_size, n)
    history = History(param_table(config.model), max(1, math.ceil(n / max(1, batch))), trace_seed=config.train.seed)
    try:
        _fill(history, z)
    except (KeyError, ValueError) as e:
        raise RunFolderError(f"{path}: does not match run.json's network ({e})") from None
    history.load_tier("epochs", *_epoch_rows(folder / METRICS_FILE))
    status = _status(folder / STATUS_FILE)
    history.set_status(status.get("status", "finished"), str(status.get("message", "")))
    return history


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


def _epoch_rows(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, rows in EPOCH_COLUMNS) from metrics.csv; regression files have no accuracy columns (NaN)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            records = list(csv.DictReader(f))
    except FileNotFoundError:
        return np.zeros(0, np.int64), np.zeros((0, len(EPOCH_COLUMNS)))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise RunFolderError(f"{path}: cannot read it ({e})") from None
    try:
        rows = np.array([[float(r.get(c) or "nan") for c in EPOCH_COLUMNS] for r in records], np.float64)
    except (TypeError, ValueError) as e:
        raise RunFolderError(f"{path}: not a metrics file ({e})") from None
    rows = rows.reshape(-1, len(EPOCH_COLUMNS))
    return rows[:, 0].astype(np.int64), rows


def _status(path: Path) -> dict:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise RunFolderError(f"{path}: not a readable status file ({e})") from None
    return d if isinstance(d, dict) else {}
