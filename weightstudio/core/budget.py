"""Whether a run's history fits in this machine's memory, known before the first step.

A history's tiers are bounded by their byte budgets (docs/architecture.md, "History tiers and budgets"), and a
run uses no more of each than its steps and epochs fill. `history_need` is that amount; `check_memory` refuses a
run whose need exceeds the memory the machine has available, with one line naming both, instead of letting it
train for hours and then be killed.
"""

from __future__ import annotations

import os

from .config import ConfigError
from .history import History
from .messages import _

MIB = 1 << 20


def history_need(history: History, epochs: int) -> int:
    """Bytes the history of a run of `epochs` epochs will fill, tier by tier (never more than each tier's budget)."""
    steps = epochs * history.steps_per_epoch
    rows = {"steps": steps, "traces": steps + 1, "snapshots": epochs + 1, "epochs": epochs}
    need = 0
    for name, n in rows.items():
        buffer = getattr(history, name)
        need += min(n, buffer.capacity) * (buffer.row_len * buffer.dtype.itemsize + 8)
    return need


def available_memory() -> int | None:
    """Physical memory available to a new allocation, from the OS; None where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(history: History, epochs: int, available: int | None = None) -> None:
    """ConfigError (one line) when the run's history would not fit in the available memory."""
    available = available_memory() if available is None else available
    need = history_need(history, epochs)
    if available is not None and need > available:
        raise ConfigError(_("train.epochs: the history of {epochs} epochs needs {value:,.0f} MiB and this machine "
                            "has {value2:,.0f} MiB available; train fewer epochs or a smaller net", epochs=epochs,
                            value=need / MIB, value2=available / MIB))
