"""A complete, JSON-serialisable run configuration: model spec, data spec and training settings.

`run.json` is `RunConfig.to_dict()`; `RunConfig.from_dict()` validates a hand-written or loaded file and says
which field is wrong.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace

from .messages import N_, _
from .spec import ModelSpec, SpecError

LOSSES = {
    "mse": "Mean squared error (regression)",
    "cross_entropy": "Cross-entropy (multi-class classification)",
    "bce_with_logits": "Binary cross-entropy on logits (two classes, one output)",
}
OPTIMIZERS = {
    "sgd": N_("Stochastic gradient descent (momentum, Nesterov)"),
    "adam": "Adam",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
}
DEVICES = ("cpu", "cuda")


class ConfigError(ValueError):
    """A run configuration that cannot be trained; the message names the field, and `layer` the offending layer
    when there is one (the architecture panel marks it)."""

    def __init__(self, message: str, layer: int | None = None):
        super().__init__(message)
        self.layer = layer


def check_lr(lr) -> None:
    """The one rule for a learning rate, at set-up and when changed during a run: ConfigError unless usable."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr < 0:
        raise ConfigError(_("train.lr: must be a finite number ≥ 0, got {lr!r}", lr=lr))
    if lr == 0:
        raise ConfigError(_("train.lr: a learning rate of 0 never changes a weight"))


@dataclass
class TrainSettings:
    """How to train. `batch_size` None means the whole training set in one batch: one epoch is one step."""

    loss: str = "mse"
    optimizer: str = "sgd"
    lr: float = 0.01
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    l1: float = 0.0
    batch_size: int | None = None
    epochs: int = 100
    seed: int = 0
    device: str = "cpu"

    def validate(self) -> None:
        if self.loss not in LOSSES:
            raise ConfigError(_("train.loss: unknown loss '{loss}' (known: {value})", loss=self.loss,
                                value=', '.join(LOSSES)))
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(_("train.optimizer: unknown optimizer '{optimizer}' (known: {value})",
                                optimizer=self.optimizer, value=', '.join(OPTIMIZERS)))
        check_lr(self.lr)
        for name in ("momentum", "weight_decay", "l1"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ConfigError(_("train.{name}: must be a finite number ≥ 0, got {v!r}", name=name, v=v))
        if self.nesterov and (self.optimizer != "sgd" or self.momentum <= 0):
            raise ConfigError(_("train.nesterov: needs the sgd optimizer with momentum > 0"))
        if self.batch_size is not None and (not isinstance(self.batch_size, int) or self.batch_size < 1):
            raise ConfigError(_("train.batch_size: must be a positive integer or null (whole set), got {batch_size!r}",
                                batch_size=self.batch_size))
        if not isinstance(self.epochs, int) or isinstance(self.epochs, bool) or self.epochs < 1:
            raise ConfigError(_("train.epochs: must be a positive integer, got {epochs!r}", epochs=self.epochs))
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ConfigError(_("train.seed: must be an integer ≥ 0, got {seed!r}", seed=self.seed))
        if self.device not in DEVICES:
            raise ConfigError(_("train.device: must be one of {value}, got {device!r}", value=', '.join(DEVICES),
                                device=self.device))


@dataclass
class RunConfig:
    """Model + data + training: everything needed to reproduce a run bit for bit on the CPU."""

    model: ModelSpec
    data: dict
    train: TrainSettings = field(default_factory=TrainSettings)
    name: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "model": self.model.to_dict(), "data": dict(self.data), "train": asdict(self.train)}

    @classmethod
    def from_dict(cls, d: dict) -> "RunConfig":
        if not isinstance(d, dict):
            raise ConfigError(_("run configuration: expected a JSON object with 'model', 'data' and 'train'"))
        for key in ("model", "data"):
            if key not in d:
                raise ConfigError(_("run configuration: missing '{key}'", key=key))
        try:
            model = ModelSpec.from_dict(d["model"])
        except SpecError as e:
            raise ConfigError(_("model: {e}", e=e)) from None
        if not isinstance(d["data"], dict) or "source" not in d["data"]:
            raise ConfigError(_("data: expected an object with a 'source'"))
        train_d = d.get("train", {})
        known = {f.name for f in fields(TrainSettings)}
        if not isinstance(train_d, dict) or set(train_d) - known:
            bad = sorted(set(train_d) - known) if isinstance(train_d, dict) else ["(not an object)"]
            raise ConfigError(_("train: unknown setting {value} (known: {value2})", value=', '.join(bad),
                                value2=', '.join(sorted(known))))
        train = TrainSettings(**train_d)
        train.validate()
        return cls(model, dict(d["data"]), train, str(d.get("name", "")))

    def with_train(self, **changes) -> "RunConfig":
        """A copy with some training settings changed (validated)."""
        cfg = RunConfig(self.model.copy(), dict(self.data), replace(self.train, **changes), self.name)
        cfg.train.validate()
        return cfg
