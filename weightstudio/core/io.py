"""Run files: run.json, history.npz, data.npz or data.json, metrics.csv, traces CSV, model .pt; and their safe loading.

Nothing here unpickles: `.npz` is read with `allow_pickle=False`, `.pt` with `weights_only=True`.
Every writer writes atomically (core/atomic.py): a failure, a full disk included, leaves the earlier file whole
and raises `WriteError` (an OSError) with a one-line message naming the file.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import math
import os
import pickle  # its error type only: nothing is unpickled but by torch.load(weights_only=True)
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from .atomic import WriteError, atomic_files, atomic_write, write_error
from .config import ConfigError, RunConfig
from .data import Dataset, DataError, load_dataset, read_npz
from .history import History
from .messages import _
from .tasks import get_loss

if TYPE_CHECKING:
    import torch


# A run.json is a few KB and five levels deep; far beyond either it is not a run configuration.
_MAX_CONFIG_BYTES = 16 * 2**20
_MAX_JSON_DEPTH = 64


def write_json(path: Path, obj: dict) -> None:
    text = json.dumps(obj, indent=2) + "\n"  # before the file is opened: a value JSON cannot hold leaves no trace
    with atomic_write(path, "w", encoding="utf-8") as f:
        f.write(text)


def load_run_config(path: str | Path) -> RunConfig:
    """Read a run.json; a bad file gives a ConfigError naming the file and the problem, in one line."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > _MAX_CONFIG_BYTES:
            raise ConfigError(_("{path}: {size:,} bytes is too large for a run configuration", path=path, size=size))
        text = path.read_text(encoding="utf-8-sig")  # a BOM, as some Windows editors write, is not an error
    except FileNotFoundError:
        raise ConfigError(_("{path}: no such file", path=path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(_("{path}: cannot read it ({e})", path=path, e=e)) from None
    too_deep = ConfigError(f"{path}: nested more than {_MAX_JSON_DEPTH} levels deep; not a run configuration")
    try:
        d = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(_("{path}: not valid JSON (line {lineno}, column {colno}: {msg})", path=path,
                            lineno=e.lineno, colno=e.colno, msg=e.msg)) from None
    except RecursionError:  # deeper than the parser's stack
        raise too_deep from None
    except ValueError as e:  # an integer of more than 4,300 digits, for one
        raise ConfigError(_("{path}: not valid JSON ({e})", path=path, e=e)) from None
    if _json_depth(d) > _MAX_JSON_DEPTH:  # within the parser's stack, but deeper than from_dict should walk
        raise too_deep
    try:
        return RunConfig.from_dict(d)
    except ConfigError as e:
        raise ConfigError(_one_line(f"{path}: {e}")) from None
    except (TypeError, ValueError, OverflowError) as e:
        # from_dict converts some values (dict(), float()) before it checks them: a wrong type fails there.
        raise ConfigError(_one_line(f"{path}: invalid run configuration ({e})")) from None


def _json_depth(value: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > _MAX_JSON_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _one_line(message: str) -> str:
    # Messages quote keys and values from the file, which may hold newlines; a status bar shows one line.
    return " ".join(message.splitlines())


def history_arrays(history: History) -> dict[str, np.ndarray]:
    """Everything in the history as plain named arrays (no objects), as written to history.npz."""
    steps, params, grads = history.all_snapshots()
    out: dict[str, np.ndarray] = {
        "step": steps.astype(np.int64),
        "epoch": np.array([history.epoch_of_step(s) for s in steps], np.int64),
    }
    for name in history.names:
        out[f"param/{name}"] = params[name].astype(np.float32)
        out[f"grad/{name}"] = grads[name].astype(np.float32)
    trace_steps, trace_values = history.trace_data()
    out["trace/step"] = trace_steps.astype(np.int64)
    out["trace/values"] = trace_values.astype(np.float32)
    out["trace/labels"] = np.array(history.trace_labels(), dtype=np.str_)
    for key, values in history.step_data().items():
        out[f"steps/{key}"] = values
    return out


def write_metrics_csv(path: Path, history: History, classification: bool) -> None:
    with atomic_write(path, "w", newline="", encoding="utf-8") as f:
        _write_metrics(f, history, classification)


def _write_metrics(f: IO[str], history: History, classification: bool) -> None:
    e = history.epoch_data()
    cols = ["epoch", "step", "train_loss", "val_loss"] + (["train_acc", "val_acc"] if classification else [])
    w = csv.writer(f)
    w.writerow(cols)
    for i in range(len(e["epoch"])):
        w.writerow([_fmt(e[c][i], c in ("epoch", "step")) for c in cols])


def _fmt(v: float, integer: bool) -> str:
    if integer:
        return str(int(v))
    return "" if math.isnan(v) else f"{v:.8g}"


def write_trace_csv(path: Path, history: History) -> None:
    """The traced weights, one row per recorded step and one column per weight (`0.weight[0, 3]`)."""
    steps, values = history.trace_data()
    with atomic_write(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", *history.trace_labels()])
        for s, row in zip(steps, values):
            w.writerow([int(s), f"{s / history.steps_per_epoch:.6g}", *(f"{v:.8g}" for v in row)])


def save_history_npz(path: Path, history: History) -> None:
    arrays = history_arrays(history)
    with atomic_write(_npz_name(path)) as f:
        _save_history(f, arrays)


def _save_history(f: IO[bytes], arrays: dict[str, np.ndarray]) -> None:
    # Stored, not deflated: float32 weights shrink by ~15 % at ~10 MB/s (at MNIST size 1 s to save 1.5 MB).
    np.savez(f, **arrays)


def save_data_npz(path: Path, dataset: Dataset) -> None:
    with atomic_write(_npz_name(path)) as f:
        _save_data(f, dataset)


def _save_data(f: IO[bytes], dataset: Dataset) -> None:
    np.savez_compressed(f, x_train=dataset.x_train, y_train=dataset.y_train,
                        x_val=dataset.x_val, y_val=dataset.y_val,
                        class_names=np.array(dataset.class_names, dtype=np.str_))


DATA_COPY, DATA_REFERENCE = "data.npz", "data.json"
DATA_REFERENCE_FORMAT = "weightstudio-data-reference"
_DATA_ARRAYS = ("x_train", "y_train", "x_val", "y_val")


def dataset_digest(dataset: Dataset) -> str:
    """SHA-256 of a data set's arrays (dtype, shape and bytes of each) and class names: what a run trained on."""
    h = hashlib.sha256()
    for name in _DATA_ARRAYS:
        a = np.ascontiguousarray(getattr(dataset, name))
        h.update(f"{name} {a.dtype.str} {a.shape}\n".encode())
        h.update(a.reshape(-1).view(np.uint8))
    h.update(json.dumps(list(dataset.class_names)).encode())
    return h.hexdigest()


def data_reference(dataset: Dataset) -> dict | None:
    """What data.json holds for a data set read from files (`Dataset.origin`): the spec with absolute paths, the
    seed, the sizes and the content hash of the arrays. None for data that cannot be found again (generated,
    built by hand): those runs keep a copy in data.npz."""
    if dataset.origin is None:
        return None
    return {"format": DATA_REFERENCE_FORMAT, "version": 1, **dataset.origin,
            "n_train": len(dataset.x_train), "n_val": len(dataset.x_val),
            "bytes": sum(int(getattr(dataset, k).nbytes) for k in _DATA_ARRAYS), "sha256": dataset_digest(dataset)}


def load_data_reference(path: Path) -> Dataset:
    """The data set a data.json refers to, read again from its files and checked against the recorded hash;
    a ValueError (one line, naming the file) when it cannot be found or has changed since the run."""
    try:
        ref = json.loads(path.read_text(encoding="utf-8"))
        spec, seed, digest = ref["spec"], ref["seed"], ref["sha256"]
        if ref.get("format") != DATA_REFERENCE_FORMAT:
            raise KeyError("format")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise ValueError(_("{path}: not a readable data reference ({e})", path=path, e=e)) from None
    try:
        dataset = load_dataset(spec, seed)
    except DataError as e:
        raise ValueError(_("{path}: the training data it refers to cannot be read again ({e})",
                           path=path, e=e)) from None
    if dataset_digest(dataset) != digest:
        raise ValueError(_("{path}: the training data at {data} has changed since this run was recorded (its "
                           "content hash differs)", path=path, data=spec.get("path")))
    return dataset


def _npz_name(path: str | Path) -> Path:
    # np.savez adds .npz to a file name without it; to an open file it cannot, so do it here as it did.
    return Path(path) if str(path).endswith(".npz") else Path(f"{path}.npz")


def save_run(out_dir: str | Path, config: RunConfig, history: History, dataset: Dataset) -> Path:
    """Write run.json, history.npz, the data and metrics.csv into `out_dir` (created if needed).

    The data is data.json, a reference to the files it was read from (`data_reference`), or, for data that cannot
    be found again, data.npz, a compressed copy. All four are replaced together, after all four are written: a
    failure (a full disk) leaves an earlier run's files in the folder as they were and raises WriteError. The
    other data file an earlier run may have left is removed afterwards, so the folder never mixes two runs' data.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise WriteError(errno.ENOTDIR, "it is a file, not a folder", str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise write_error(out, e) from e
    text = json.dumps(config.to_dict(), indent=2) + "\n"
    arrays = history_arrays(history)
    reference = data_reference(dataset)
    with atomic_files() as files:
        with files.open(out / "run.json", "w", encoding="utf-8") as f:
            f.write(text)
        with files.open(out / "history.npz") as f:
            _save_history(f, arrays)
        if reference is None:
            with files.open(out / DATA_COPY) as f:
                _save_data(f, dataset)
        else:
            with files.open(out / DATA_REFERENCE, "w", encoding="utf-8") as f:
                f.write(json.dumps(reference, indent=2) + "\n")
        with files.open(out / "metrics.csv", "w", newline="", encoding="utf-8") as f:
            _write_metrics(f, history, get_loss(config.train.loss).classification)
    stale = out / (DATA_COPY if reference is not None else DATA_REFERENCE)
    try:
        os.unlink(stale)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise write_error(stale, e) from e
    return out


def load_npz(path: str | Path) -> dict[str, np.ndarray]:
    """Load every array of an .npz without unpickling; a corrupt or pickled file gives a ValueError naming it."""
    if not Path(path).is_file():
        raise ValueError(_("{path}: no such file", path=path))
    return read_npz(Path(path))  # a DataError, the ValueError naming the file, for anything damaged


def save_model(path: str | Path, state_dict: dict[str, torch.Tensor]) -> None:
    import torch  # here, not at the top: the studio imports this module before torch has loaded

    with atomic_write(path) as f:
        torch.save(state_dict, f)


def load_model_state(path: str | Path) -> dict[str, torch.Tensor]:
    """A saved state_dict, loaded with weights_only=True so no code in the file can run."""
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ValueError(_("{path}: no such file", path=path)) from None
    # What torch.load raised for truncated, bit-flipped and junk files (KeyError, UnicodeDecodeError: a mangled
    # pickle; RuntimeError: a damaged zip) and for a pickle that asks for code.
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, KeyError, OSError) as e:
        raise ValueError(_("{path}: not a weights file this app can read safely ({e})", path=path, e=e)) from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(_("{path}: expected a state_dict (names → tensors)", path=path))
    return state
