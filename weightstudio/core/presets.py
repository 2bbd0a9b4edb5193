"""The seed examples as ready-made runs, set up exactly as the blog scripts in shared/seed-material set them up.

Where a script says nothing (validation split, seed), the choice is written in the preset's description.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import RunConfig, TrainSettings
from .messages import N_, _
from .spec import InitSpec, LayerSpec, ModelSpec, linear_stack


@dataclass(frozen=True)
class Preset:
    """A named, documented run configuration."""

    name: str
    title: str
    description: str
    make: callable  # () -> RunConfig, fresh each call so callers may edit it

    def config(self) -> RunConfig:
        cfg = self.make()
        cfg.name = self.name
        return cfg


def _linear(n: int, **init) -> LayerSpec:
    return LayerSpec("Linear", {"out_features": n}, InitSpec.from_dict(init.get("weight_init")),
                     InitSpec.from_dict(init.get("bias_init")))


def _conv(c: int) -> LayerSpec:
    return LayerSpec("Conv2d", {"out_channels": c, "kernel_size": 3, "stride": 1, "padding": 1})


_PRESETS = [
    Preset(
        "linear-5x1",
        N_("5→1 linear net, weights over 100 epochs"),
        N_("nn.Linear(5, 1) on 100 random samples (x, y ~ N(0, 1)), MSE, SGD lr 0.01, 100 full-batch epochs. "
           "The targets are noise, so the weights drift towards the least-squares fit of noise: watch five lines "
           "settle."),
        lambda: RunConfig(
            ModelSpec((5,), [_linear(1)]),
            {"source": "random-regression", "n": 100, "features": 5, "val_fraction": 0.0},
            TrainSettings(loss="mse", optimizer="sgd", lr=0.01, epochs=100),
        ),
    ),
    Preset(
        "quadratic-1-10-1",
        N_("1→10→1 ReLU net fitting y = x² + noise"),
        N_("Linear(1, 10), ReLU, Linear(10, 1) on x = linspace(-1, 1, 100), y = x² + 0.2·U(0, 1); MSE, SGD lr 0.2, "
           "100 full-batch epochs. The seed script redrew its red fit line every 5 steps; here it moves every step."),
        lambda: RunConfig(
            linear_stack([1, 10, 1]),
            {"source": "quadratic", "n": 100, "noise": 0.2, "val_fraction": 0.0},
            TrainSettings(loss="mse", optimizer="sgd", lr=0.2, epochs=100),
        ),
    ),
    Preset(
        "line-2x+1",
        N_("y = 2x + 1 linear regression"),
        N_("nn.Linear(1, 1) on x = 10·U(0, 1), y = 2x + 1 + N(0, 1), 100 points; MSE, SGD lr 0.01, 100 full-batch "
           "epochs. The weight heads for 2 and the bias for 1; the bias learns slowly because x is not centred."),
        lambda: RunConfig(
            ModelSpec((1,), [_linear(1)]),
            {"source": "line", "n": 100, "noise": 1.0, "val_fraction": 0.0},
            TrainSettings(loss="mse", optimizer="sgd", lr=0.01, epochs=100),
        ),
    ),
    Preset(
        "digits-mlp",
        N_("64→128→64→10 digit classifier, weight matrices as images"),
        N_("The 784→128→64→10 MNIST classifier of the seed, on the bundled 8×8 digits (64 inputs; 784 when MNIST "
           "files are loaded). Weights normal(0, 0.01), biases 0. The seed's plain SGD at lr 0.01 stays at chance "
           "(10%) with such a small init — the signal barely passes three tiny layers — so this preset uses SGD lr "
           "0.05 with momentum 0.9, batch 64, 20 epochs (about 95% on the 20% validation split)."),
        lambda: RunConfig(
            linear_stack([64, 128, 64, 10], weight_init={"scheme": "normal", "mean": 0.0, "std": 0.01},
                         bias_init={"scheme": "zeros"}),
            {"source": "digits", "shape": "flat", "val_fraction": 0.2},
            TrainSettings(loss="cross_entropy", optimizer="sgd", lr=0.05, momentum=0.9, batch_size=64, epochs=20),
        ),
    ),
    Preset(
        "digits-cnn",
        N_("Small conv net on 8×8 digits, 3×3 kernels before and after"),
        N_("Conv2d(1→8, 3×3, pad 1), ReLU, MaxPool 2, Conv2d(8→16, 3×3, pad 1), ReLU, Flatten, Linear(→10) on the "
           "bundled digits as 1×8×8 images; cross-entropy, SGD lr 0.05 with L2 weight decay 1e-4, batch 64, "
           "20 epochs, 20% validation. Open the heatmap inspector on layer 0 to see the kernels change."),
        lambda: RunConfig(
            ModelSpec((1, 8, 8), [_conv(8), LayerSpec("ReLU"), LayerSpec("MaxPool2d", {"kernel_size": 2}),
                                  _conv(16), LayerSpec("ReLU"), LayerSpec("Flatten"), _linear(10)]),
            {"source": "digits", "shape": "image", "val_fraction": 0.2},
            TrainSettings(loss="cross_entropy", optimizer="sgd", lr=0.05, weight_decay=1e-4, batch_size=64,
                          epochs=20),
        ),
    ),
    Preset(
        "simplenet-2-5-1",
        N_("2→5→1 net on XOR, weight matrices as images"),
        N_("SimpleNet of the seed: Linear(2, 5), ReLU, Linear(5, 1) with binary cross-entropy on logits and Adam "
           "lr 0.01, on 200 XOR points (the seed leaves the data open), 200 full-batch epochs, no validation split."),
        lambda: RunConfig(
            linear_stack([2, 5, 1]),
            {"source": "xor", "n": 200, "noise": 0.1, "val_fraction": 0.0},
            TrainSettings(loss="bce_with_logits", optimizer="adam", lr=0.01, epochs=200),
        ),
    ),
]

PRESETS: dict[str, Preset] = {p.name: p for p in _PRESETS}
DEFAULT_PRESET = "quadratic-1-10-1"


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(_("unknown preset '{name}' (known: {value})", name=name, value=', '.join(PRESETS))) from None
