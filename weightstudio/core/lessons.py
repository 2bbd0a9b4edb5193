"""The lessons: the seeds' comparisons, each a base configuration, the one setting it varies, and what to look for.

The Lessons menu and `weightstudio compare --lesson` build their runs through `compare.vary`, so a lesson's runs
are exactly the runs `--vary` would give. Qt-free and torch-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .compare import Variation, parse_vary
from .config import RunConfig, TrainSettings
from .messages import N_, _
from .presets import get_preset
from .spec import linear_stack


@dataclass(frozen=True)
class Lesson:
    """One comparison: `config()` the base run, `vary` the `--vary` text, `look_for` a paragraph for the student
    (`title` and `look_for` are English templates: show them through `messages._`)."""

    name: str
    title: str
    vary: str
    look_for: str
    base: Callable[[], RunConfig]

    def config(self) -> RunConfig:
        return self.base()

    def variation(self) -> Variation:
        return parse_vary(self.vary)


def _preset(name: str, **train) -> Callable[[], RunConfig]:
    return lambda: get_preset(name).config().with_train(**train)


def _deep_spiral() -> RunConfig:
    # The weight-analysis post's vanishing-gradient set-up: eight hidden layers of 32 units on a 3-class spiral.
    return RunConfig(linear_stack([2] + [32] * 8 + [3], activation="Sigmoid"),
                     {"source": "spiral", "n": 300, "classes": 3, "noise": 0.2, "val_fraction": 0.2},
                     TrainSettings(loss="cross_entropy", optimizer="adam", lr=0.003, batch_size=32, epochs=40),
                     "deep-spiral")


LESSONS: list[Lesson] = [
    Lesson("initialisation", N_("Initialisation on digits-mlp"), "weight_init=normal,xavier_uniform,kaiming_normal",
           N_("The preset's normal(0, 0.01) weights pass almost no signal through three layers, so its loss leaves "
              "ln 10 late, while Xavier and Kaiming learn from the first epoch. On the heatmaps' shared colour scale "
              "the tiny initial weights are nearly white."),
           _preset("digits-mlp")),
    Lesson("l2", N_("L2 weight decay on digits-mlp"), "weight_decay=0,1e-3,1e-2",
           N_("Weight decay pulls every weight towards 0 at each step: watch the weight bands narrow and the heatmaps "
              "fade as the decay grows, and the validation loss against the training loss."),
           _preset("digits-mlp")),
    Lesson("optimizers", N_("Optimizers on digits-mlp"), "optimizer=sgd,adam,rmsprop,adagrad",
           N_("Same net, data and initial weights; only the update rule differs (lr 0.01, no momentum). Adam and "
              "RMSprop rescale each weight's step, Adagrad's steps shrink over time, plain SGD follows the raw "
              "gradient and barely leaves chance."),
           _preset("digits-mlp", lr=0.01, momentum=0.0)),
    Lesson("activations", N_("Activations in a deep net on spiral"), "activation=Sigmoid,Tanh,ReLU",
           N_("Eight hidden layers of 32 units: with sigmoid the gradient norms shrink layer by layer towards the "
              "input (vanishing gradients) and the loss barely moves; tanh and ReLU pass the gradient back. Compare "
              "the Gradients view by depth."),
           _deep_spiral),
    Lesson("learning-rates", N_("Learning rates 0.01 / 0.2 / 2 on the 1→10→1 fit"), "lr=0.01,0.2,2",
           N_("lr 0.01 creeps, 0.2 fits the parabola, 2 overshoots: its loss blows up and the run stops with a "
              "message."),
           _preset("quadratic-1-10-1")),
]

LESSON_NAMES: dict[str, Lesson] = {lesson.name: lesson for lesson in LESSONS}


def get_lesson(name: str) -> Lesson:
    try:
        return LESSON_NAMES[name]
    except KeyError:
        raise KeyError(_("unknown lesson '{name}' (known: {known})", name=name, known=", ".join(LESSON_NAMES))) \
            from None
