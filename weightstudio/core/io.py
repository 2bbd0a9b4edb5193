"""Run files: run.json, history.npz, data.npz, metrics.csv, traces CSV, model .pt; and their safe loading.

Nothing here unpickles: `.npz` is read with `allow_pickle=False`, `.pt` with `weights_only=True`.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .config import ConfigError, RunConfig
from .data import Dataset
from .history import History

if TYPE_CHECKING:
    import torch


def write_json(path: Path, obj: dict) -> None:
    Path(path).write_text(json.dumps(obj, indent=2) + "\n", encoding="utf-8")


def load_run_config(path: str | Path) -> RunConfig:
    """Read a run.json; a bad file gives a ConfigError naming the file and the problem."""
    path = Path(path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read it ({e})") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    try:
        return RunConfig.from_dict(d)
    except (ConfigError, TypeError) as e:
        raise ConfigError(f"{path}: {e}") from None


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
    e = history.epoch_data()
    cols = ["epoch", "step", "train_loss", "val_loss"] + (["train_acc", "val_acc"] if classification else [])
    with open(path, "w", newline="", encoding="utf-8") as f:
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
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", *history.trace_labels()])
        for s, row in zip(steps, values):
            w.writerow([int(s), f"{s / history.steps_per_epoch:.6g}", *(f"{v:.8g}" for v in row)])


def save_history_npz(path: Path, history: History) -> None:
    np.savez_compressed(path, **history_arrays(history))


def save_data_npz(path: Path, dataset: Dataset) -> None:
    np.savez_compressed(path, x_train=dataset.x_train, y_train=dataset.y_train,
                        x_val=dataset.x_val, y_val=dataset.y_val,
                        class_names=np.array(dataset.class_names, dtype=np.str_))


def save_run(out_dir: str | Path, config: RunConfig, history: History, dataset: Dataset) -> Path:
    """Write run.json, history.npz, data.npz and metrics.csv into `out_dir` (created if needed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "run.json", config.to_dict())
    save_history_npz(out / "history.npz", history)
    save_data_npz(out / "data.npz", dataset)
    write_metrics_csv(out / "metrics.csv", history, config.train.loss != "mse")
    return out


def load_npz(path: str | Path) -> dict[str, np.ndarray]:
    """Load every array of an .npz without unpickling; a corrupt or pickled file gives a ValueError naming it."""
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except Exception as e:  # zipfile, pickle refusal and format errors all mean the same thing to a user
        raise ValueError(f"{path}: not a readable .npz of plain arrays ({e})") from None


def save_model(path: str | Path, state_dict: dict[str, torch.Tensor]) -> None:
    import torch  # here, not at the top: the studio imports this module before torch has loaded

    torch.save(state_dict, path)


def load_model_state(path: str | Path) -> dict[str, torch.Tensor]:
    """A saved state_dict, loaded with weights_only=True so no code in the file can run."""
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except Exception as e:
        raise ValueError(f"{path}: not a weights file this app can read safely ({e})") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"{path}: expected a state_dict (names → tensors)")
    return state
