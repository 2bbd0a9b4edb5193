"""Model + data + settings → one valid `RunConfig`: the single place where a run is fitted to its data and checked.

The window (through `StudioModel`), `weightstudio train` and the benchmark all call `assemble`; the `Trainer`
calls `check` on whatever config it is handed (a test's, a loaded run.json). Fitting is what a user expects when
data changes under a network: the input shape follows the data, a loss the data's task cannot train with is
swapped for the task's default, the last Linear layer gets as many outputs as the targets need. Each such change
is returned as a note, so no switch is ever silent. When the data stays and the user edits the network or the
loss (`new_data=False`), only the input shape follows: a wrong output layer or loss is then named by `check`,
not silently undone.

Torch-free: the window assembles before torch has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .config import ConfigError, RunConfig
from .messages import _
from .tasks import get_loss, loss_for

if TYPE_CHECKING:
    from .data import Dataset


@dataclass
class Assembled:
    """A config ready to train on `dataset`, and one line per change `assemble` made to what it was given."""

    config: RunConfig
    notes: list[str] = field(default_factory=list)


def fit_to_data(config: RunConfig, dataset: Dataset, new_data: bool = True) -> Assembled:
    """A copy of `config` fitted to `dataset` (input shape; with `new_data` also the loss and the output layer);
    not yet checked."""
    model = config.model.copy()
    notes: list[str] = []
    model.input_shape = tuple(dataset.feature_shape)
    if not new_data:
        return Assembled(RunConfig(model, dict(config.data), replace(config.train), config.name), notes)
    loss = loss_for(config.train.loss, dataset)
    if loss.name != config.train.loss:
        notes.append(_("The loss is now {loss}: {data} has {task} targets.", loss=loss.title, data=dataset.name,
                       task=_("classification") if dataset.task == "classification" else _("regression")))
    n_out = loss.n_outputs(dataset)
    weighted = [layer for layer in model.layers if layer.has_weights]
    if weighted and weighted[-1].kind == "Linear" and weighted[-1].params.get("out_features") != n_out:
        weighted[-1].params["out_features"] = n_out
        notes.append(_("The last Linear layer now has 1 output, as the data needs.") if n_out == 1 else
                     _("The last Linear layer now has {n} outputs, as the data needs.", n=n_out))
    train = replace(config.train, loss=loss.name)
    return Assembled(RunConfig(model, dict(config.data), train, config.name), notes)


def check(config: RunConfig, dataset: Dataset) -> None:
    """Raise ConfigError (naming the field, the layer or the data) unless `config` can train on `dataset`."""
    config.train.validate()
    try:
        loss = get_loss(config.train.loss)
    except KeyError as e:
        raise ConfigError(_("train.loss: {value}", value=e.args[0])) from None
    problem = loss.problem(dataset)
    if problem:
        raise ConfigError(problem)
    if tuple(config.model.input_shape) != tuple(dataset.feature_shape):
        raise ConfigError(_("model: input shape {value} does not match the data's {value2} ({name})",
                            value=tuple(config.model.input_shape), value2=tuple(dataset.feature_shape),
                            name=dataset.name))
    err = config.model.check(loss.n_outputs(dataset))
    if err:
        raise ConfigError(_("model: {err}", err=err), err.layer)


def assemble(config: RunConfig, dataset: Dataset, new_data: bool = True) -> Assembled:
    """`config` fitted to `dataset` and checked: ready for a Trainer. Raises ConfigError naming what is wrong."""
    assembled = fit_to_data(config, dataset, new_data)
    check(assembled.config, dataset)
    return assembled
