"""Comparing runs: one setting varied over several values, and what differs between two runs, in words.

The seeds teach by comparison (initialisation, L2, optimizers, activations, learning rates). `vary` turns a base
configuration and a `Variation` into one `RunConfig` per value, each with the base's seed and data, so the runs
start from the same data and batches and differ only in that setting (the same seed also gives the same initial
weights wherever the setting leaves the network alone). `differences` names what sets a run apart from the first
of its group, for the runs table and summary.csv. Qt-free and torch-free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .config import OPTIMIZERS, ConfigError, RunConfig, TrainSettings
from .messages import _
from .spec import ACTIVATIONS, INIT_SCHEMES, InitSpec

# What `--vary NAME=...` and the Vary… dialog offer, with the values a lesson would try first.
SETTINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "optimizer": ("optimizer", tuple(OPTIMIZERS)),
    "weight_init": ("weight init", ("default", "normal", "xavier_uniform", "kaiming_normal")),
    "weight_decay": ("weight decay (L2)", ("0", "1e-3", "1e-2")),
    "activation": ("activation", ("ReLU", "Sigmoid", "Tanh")),
    "lr": ("learning rate", ("0.01", "0.2", "2")),
    "batch_size": ("batch size", ("all", "64", "16")),
    "momentum": ("momentum", ("0", "0.9")),
    "l1": ("L1", ("0", "1e-4", "1e-3")),
    "seed": ("seed", ("0", "1", "2")),
}


@dataclass(frozen=True)
class Variation:
    """One setting and the values to try, as parsed and checked from text such as `optimizer=sgd,adam`."""

    setting: str
    values: tuple[object, ...]

    @property
    def title(self) -> str:
        return SETTINGS[self.setting][0]


def parse_vary(text: str) -> Variation:
    """`NAME=V1,V2,...` → Variation; ConfigError naming the setting or the value that is wrong."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or name not in SETTINGS:
        raise ConfigError(_("--vary {text!r}: expected SETTING=VALUE,VALUE,... with SETTING one of {value}",
                            text=text, value=', '.join(SETTINGS)))
    raw = [v.strip() for v in rest.split(",") if v.strip()]
    if len(raw) < 2:
        raise ConfigError(_("--vary {name}: give at least two values to compare, e.g. {name}={value}", name=name,
                            value=','.join(SETTINGS[name][1][:2])))
    if len(set(raw)) != len(raw):
        raise ConfigError(_("--vary {name}: a value is given twice", name=name))
    return Variation(name, tuple(_parse_value(name, v) for v in raw))


def _parse_value(setting: str, text: str):
    if setting == "optimizer":
        if text not in OPTIMIZERS:
            raise ConfigError(_("--vary optimizer: unknown optimizer '{text}' (known: {value})", text=text,
                                value=', '.join(OPTIMIZERS)))
        return text
    if setting == "weight_init":
        if text not in INIT_SCHEMES:
            raise ConfigError(_("--vary weight_init: unknown scheme '{text}' (known: {value})", text=text,
                                value=', '.join(INIT_SCHEMES)))
        return text
    if setting == "activation":
        match = {a.lower(): a for a in ACTIVATIONS}.get(text.lower())
        if match is None:
            raise ConfigError(_("--vary activation: unknown activation '{text}' (known: {value})", text=text,
                                value=', '.join(ACTIVATIONS)))
        return match
    if setting == "batch_size":
        if text.lower() in ("all", "0", "none"):
            return None
        return _number(setting, text, int)
    if setting == "seed":
        return _number(setting, text, int)
    return _number(setting, text, float)


def _number(setting: str, text: str, kind):
    try:
        value = kind(text)
    except ValueError:
        raise ConfigError(_("--vary {setting}: '{text}' is not {value}", setting=setting, text=text,
                            value='a whole number' if kind is int else 'a number')) \
            from None
    if kind is float and not math.isfinite(value):
        raise ConfigError(_("--vary {setting}: '{text}' is not a finite number", setting=setting, text=text))
    return value


def value_text(value) -> str:
    """A value as the runs table and summary.csv show it."""
    if value is None:
        return "all"
    return f"{value:g}" if isinstance(value, float) else str(value)


def apply(config: RunConfig, setting: str, value) -> RunConfig:
    """A copy of `config` with `setting` set to `value` (validated; ConfigError naming the setting otherwise)."""
    model = config.model.copy()
    train = replace(config.train)
    if setting == "weight_init":
        weighted = [layer for layer in model.layers if layer.has_weights]
        if not weighted:
            raise ConfigError(_("--vary weight_init: the network has no layer with weights"))
        for layer in weighted:
            layer.weight_init = InitSpec.from_dict(value)
    elif setting == "activation":
        acts = [layer for layer in model.layers if layer.kind in ACTIVATIONS]
        if not acts:
            raise ConfigError(_("--vary activation: the network has no activation layer to change"))
        for layer in acts:
            layer.kind = value
    else:
        if setting == "optimizer" and value != "sgd":
            train = replace(train, momentum=0.0, nesterov=False)  # momentum is SGD's; the others would refuse it
        train = replace(train, **{setting: value})
    try:
        train.validate()
    except ConfigError as e:
        raise ConfigError(_("--vary {setting}={value}: {e}", setting=setting, value=value_text(value), e=e)) from None
    err = model.check()
    if err:
        raise ConfigError(_("--vary {setting}={value}: {err}", setting=setting, value=value_text(value), err=err),
                          err.layer)
    name = f"{config.name or 'run'} · {SETTINGS[setting][0]} {value_text(value)}"
    return RunConfig(model, dict(config.data), train, name)


def vary(config: RunConfig, variation: Variation) -> list[RunConfig]:
    """One configuration per value, all with `config`'s seed and data; every one is checked before any is
    returned, so a bad value stops the comparison before a run starts."""
    return [apply(config, variation.setting, value) for value in variation.values]


def differences(base: RunConfig, other: RunConfig) -> list[str]:
    """What sets `other` apart from `base`, as "setting: value" lines (empty when they are the same run)."""
    out = []
    for key in TrainSettings.__dataclass_fields__:
        a, b = getattr(base.train, key), getattr(other.train, key)
        if a != b:
            out.append(f"{SETTINGS.get(key, (key.replace('_', ' '),))[0]}: {value_text(b)}")
    if base.data != other.data:
        out.append(f"data: {other.data.get('source')}")
    out += _model_differences(base, other)
    return out


def _model_differences(base: RunConfig, other: RunConfig) -> list[str]:
    a, b = base.model.layers, other.model.layers
    if [layer.kind for layer in a if layer.kind not in ACTIVATIONS] != \
            [layer.kind for layer in b if layer.kind not in ACTIVATIONS] or len(a) != len(b):
        return ["network: " + " → ".join(layer.kind for layer in b)]
    out = []
    acts = {layer.kind for la, layer in zip(a, b) if la.kind != layer.kind}
    if acts:
        out.append(f"activation: {', '.join(sorted(acts))}")
    inits = {layer.weight_init.describe() for la, layer in zip(a, b) if la.weight_init != layer.weight_init}
    if inits:
        out.append(f"weight init: {', '.join(sorted(inits))}")
    if any(la.params != layer.params for la, layer in zip(a, b)):
        out.append("layer sizes")
    return out


def snapshot_at_step(steps, step: int | None) -> tuple[int | None, bool]:
    """(index into `steps`, ended) for showing another run at the current run's `step`: the last of its
    snapshots taken at or before that step (None: follow its newest, as the current run does); `ended` when the
    other run stopped short of `step`, so it shows its last state. With no snapshots: (None, False)."""
    if step is None or len(steps) == 0:
        return None, False
    i = int(np.searchsorted(steps, step, side="right")) - 1
    return max(i, 0), bool(steps[-1] < step)
