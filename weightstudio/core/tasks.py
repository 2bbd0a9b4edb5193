"""The one table of losses and tasks, and the names of run states and events.

Every rule that depends on the loss — which task it serves, how many outputs the network needs, the targets'
dtype, how raw outputs become predictions, which metric is reported, what the fit view draws — is a field or a
method of a `Loss` here. The engine, the data panel, `RunData`, the views, the window and the CLI all read it;
adding a loss is one entry in `LOSSES` (docs/architecture.md, "Where to add things").

Torch-free at import (the window imports this before torch has loaded); the methods that need torch import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from .messages import N_

if TYPE_CHECKING:
    import torch

    from .data import Dataset


class _Name(str, Enum):
    """A name that is also its plain string (JSON, comparisons with older files), printed as its value."""

    __str__ = str.__str__


class Task(_Name):
    REGRESSION = "regression"
    CLASSIFICATION = "classification"


class RunState(_Name):
    """Where a run stands: the controller's state, status.json's `status`, the runs table's column."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    DIVERGED = "diverged"


ENDED = (RunState.FINISHED, RunState.STOPPED, RunState.DIVERGED)


class Event(_Name):
    """What `Trainer.run` reports through its `events(name, **info)` callback."""

    EPOCH_FINISHED = "epoch_finished"
    PAUSED = "paused"
    RESUMED = "resumed"
    DIVERGED = "diverged"
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Loss:
    """One training loss and everything that follows from choosing it."""

    name: str  # as in run.json's train.loss
    title: str  # short, for combo boxes and legends
    label: str  # as an axis or a sentence names it
    description: str
    task: Task
    classes: int | None = None  # the number of classes it is limited to (BCE: 2), None for any
    fit: str = "predictions"  # what the fit view can draw: "predictions" (regression) or "classes"

    @property
    def classification(self) -> bool:
        return self.task is Task.CLASSIFICATION

    def n_outputs(self, dataset: Dataset) -> int:
        """Width of the network's last layer for this loss on `dataset`."""
        if self.name == "bce_with_logits":
            return 1
        if self.classification:
            return dataset.n_classes
        return int(dataset.y_train.shape[1])

    def problem(self, dataset: Dataset) -> str | None:
        """Why this loss cannot train on `dataset` (one line naming the field), or None."""
        if dataset.task != self.task:
            other = default_loss(dataset)
            kind = "class labels" if dataset.task == Task.CLASSIFICATION else "regression targets"
            return f"train.loss: {self.name} needs {self.task} data, but {dataset.name} has {kind}; use {other.name}"
        if self.classes is not None and dataset.n_classes != self.classes:
            return (f"train.loss: {self.name} is for {self.classes} classes, {dataset.name} has {dataset.n_classes}; "
                    "use cross_entropy")
        return None

    # ---- torch side (engine, RunData) ----
    def module(self) -> torch.nn.Module:
        from torch import nn

        return {"mse": nn.MSELoss, "cross_entropy": nn.CrossEntropyLoss, "bce_with_logits": nn.BCEWithLogitsLoss}[
            self.name]()

    def targets(self, y: torch.Tensor) -> torch.Tensor:
        """The dataset's targets as the loss wants them (BCE: float column)."""
        return y.float().reshape(-1, 1) if self.name == "bce_with_logits" else y

    def predictions(self, out: torch.Tensor) -> torch.Tensor:
        """Raw outputs → what the fit view draws: regression values, or class probabilities [n, classes]."""
        import torch

        if self.name == "cross_entropy":
            return torch.softmax(out, 1)
        if self.name == "bce_with_logits":
            p1 = torch.sigmoid(out)
            return torch.cat([1 - p1, p1], 1)
        return out

    def accuracy(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor | None:
        """Share of correct predictions (a 0-d tensor) for classification losses; None for regression."""
        if not self.classification:
            return None
        if self.name == "bce_with_logits":
            return ((out > 0).float() == y).float().mean()
        return (out.argmax(1) == y).float().mean()


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (
    Loss("mse", N_("MSE"), N_("mean squared error"), N_("Mean squared error (regression)"), Task.REGRESSION),
    Loss("cross_entropy", N_("Cross-entropy"), N_("cross-entropy"), N_("Cross-entropy (multi-class classification)"),
         Task.CLASSIFICATION,
         fit="classes"),
    Loss("bce_with_logits", N_("BCE (logits)"), N_("binary cross-entropy"),
         N_("Binary cross-entropy on logits (two classes, one output)"),
         Task.CLASSIFICATION, classes=2, fit="classes"),
)}


def get_loss(name: str) -> Loss:
    """The `Loss` called `name`; KeyError with the known names otherwise."""
    try:
        return LOSSES[name]
    except KeyError:
        raise KeyError(f"unknown loss '{name}' (known: {', '.join(LOSSES)})") from None


def default_loss(dataset: Dataset) -> Loss:
    """The loss a new user expects for this data: MSE for regression, cross-entropy for classes."""
    return LOSSES["cross_entropy" if dataset.task == Task.CLASSIFICATION else "mse"]


def loss_for(current: str, dataset: Dataset) -> Loss:
    """`current` if it can train on `dataset`, else the default loss for the data's task."""
    loss = LOSSES.get(current)
    return loss if loss is not None and loss.problem(dataset) is None else default_loss(dataset)
