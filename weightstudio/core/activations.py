"""What each layer of a run's network outputs at recorded parameters: for the activations view and the health check.

Nothing here runs in the training loop. An `ActivationProbe` owns a private copy of the network (as `RunData` does
for predictions) with forward hooks on every layer, and evaluates it with `torch.func.functional_call` at whatever
parameters it is given: a recorded snapshot (the timeline) or the newest recorded state, in the window's process
and at the views' slow rate. The training process is never asked for anything.

Per layer it reports (`LayerStats`): a histogram of the outputs over a fixed sample of training inputs, and for
ReLU the share of dead units (output 0 for every sample: no gradient reaches their weights), for Sigmoid and Tanh
the share of saturated outputs (sigmoid below `SIGMOID_LOW` or above `SIGMOID_HIGH`, |tanh| above `TANH_HIGH`:
there the derivative is under 0.03 resp. 0.06, so almost no gradient passes).
The "stages" are what a hidden representation is: each Linear/Conv2d layer's output after the activation that
follows it (if one does), and each pooling layer's; `plane`, `line`, `feature_maps` and `matrix` give every
stage's units over the input plane (TensorFlow Playground's neurons), along a 1-D input, for one image sample,
or over the sample of inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.func import functional_call

from .builder import build_model
from .series import spread

ACTIVATION_KINDS = ("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Identity")
POOL_KINDS = ("MaxPool2d", "AvgPool2d")
SIGMOID_LOW, SIGMOID_HIGH = 0.03, 0.97  # σ'(a) = σ(1 − σ) < 0.03 outside: saturated
TANH_HIGH = 0.97  # tanh'(a) = 1 − tanh² < 0.06 above: saturated
PROBE_SAMPLES = 512  # training inputs the statistics are taken over (spread over the set, always the same ones)
HIST_BINS = 40
PLANE_GRID = 40  # a 2-D input plane is sampled on PLANE_GRID × PLANE_GRID points
LINE_POINTS = 200


@dataclass
class LayerStats:
    """One layer's outputs over the probe's samples."""

    layer: int  # the spec index of the layer whose output this is
    kind: str  # that layer's kind
    shape: tuple[int, ...]  # its output shape (without batch)
    counts: np.ndarray  # HIST_BINS counts between edges[0] and edges[-1]
    edges: np.ndarray
    mean: float
    std: float
    dead_units: np.ndarray | None = None  # ReLU: indices of the units (channels) that output 0 for every sample
    saturated_fraction: float | None = None  # Sigmoid/Tanh: share of outputs in the saturated range

    @property
    def units(self) -> int:
        return int(self.shape[0]) if self.shape else 1

    @property
    def dead_fraction(self) -> float | None:
        return None if self.dead_units is None else len(self.dead_units) / max(1, self.units)

    @property
    def label(self) -> str:
        return f"layer {self.layer} ({self.kind})"


@dataclass(frozen=True)
class Stage:
    """A hidden representation: the output of spec layer `layer` (an activation after a weighted layer, the weighted
    layer itself when none follows, or a pooling layer)."""

    layer: int
    kind: str  # the kind of the layer whose output it is
    weighted: int  # the Linear/Conv2d layer it belongs to (== layer for a pool)
    shape: tuple[int, ...]

    @property
    def units(self) -> int:
        return int(self.shape[0])

    @property
    def label(self) -> str:
        return f"layer {self.layer} ({self.kind})"


def stages_of(spec) -> list[Stage]:
    layers, shapes = spec.layers, spec.output_shapes()
    out = []
    for i, layer in enumerate(layers):
        if layer.has_weights:
            j = i
            while j + 1 < len(layers) and layers[j + 1].kind in ACTIVATION_KINDS:
                j += 1
            out.append(Stage(j, layers[j].kind, i, tuple(shapes[j])))
        elif layer.kind in POOL_KINDS:
            out.append(Stage(i, layer.kind, i, tuple(shapes[i])))
    return out


def plane_grid(x: np.ndarray, n: int = PLANE_GRID) -> tuple[np.ndarray, np.ndarray]:
    """(xs, ys): the axes of the plane a 2-D input set spans, with 10% margins (as the fit view's regions)."""
    lo, hi = x.min(0), x.max(0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    lo, hi = lo - 0.1 * span, hi + 0.1 * span
    return np.linspace(lo[0], hi[0], n, dtype=np.float32), np.linspace(lo[1], hi[1], n, dtype=np.float32)


class ActivationProbe:
    """Every layer's output of one run's network at given parameters (see the module docstring)."""

    def __init__(self, run, samples: int = PROBE_SAMPLES):
        self.run = run
        spec = run.config.model
        self.kinds = [layer.kind for layer in spec.layers]
        self.shapes = [tuple(s) for s in spec.output_shapes()]
        self.stages = stages_of(spec)
        # The layers `stats` describes: every activation, and every weighted layer no activation follows.
        k = self.kinds
        self.stat_layers = [i for i, kind in enumerate(k) if kind in ACTIVATION_KINDS or (
            kind in ("Linear", "Conv2d") and not (i + 1 < len(k) and k[i + 1] in ACTIVATION_KINDS))]
        state = torch.random.get_rng_state()
        self._model = build_model(spec).eval()  # weights are replaced on every call
        torch.random.set_rng_state(state)  # building must not disturb anyone's random stream
        self._captured: list[torch.Tensor] | None = None
        for module in self._model:
            module.register_forward_hook(self._hook)
        ds = run.dataset
        self.x = ds.x_train[spread(len(ds.x_train), samples)] if len(ds.x_train) else ds.x_train
        self.input_kind = ("plane" if ds.feature_shape == (2,) else "line" if ds.feature_shape == (1,)
                           else "image" if len(ds.feature_shape) == 3 else "vector")
        self.grid = plane_grid(np.concatenate([ds.x_train, ds.x_val])) if self.input_kind == "plane" else None
        if self.input_kind == "line":
            pts = np.concatenate([ds.x_train, ds.x_val])[:, 0]
            lo, hi = float(pts.min()), float(pts.max())
            pad = 0.1 * ((hi - lo) or 1.0)
            self.xs = np.linspace(lo - pad, hi + pad, LINE_POINTS, dtype=np.float32)

    def _hook(self, module, inputs, output) -> None:
        if self._captured is not None:
            self._captured.append(output.detach())

    @torch.no_grad()
    def outputs(self, params: dict[str, np.ndarray], x: np.ndarray) -> list[np.ndarray]:
        """Every layer's output for inputs `x` [n, *feature_shape], in spec order, as float32 arrays."""
        tensors = {k: torch.as_tensor(v) for k, v in params.items()}
        self._captured = []
        try:
            with np.errstate(all="ignore"):
                functional_call(self._model, tensors, (torch.as_tensor(x, dtype=torch.float32),))
            return [t.numpy() for t in self._captured]
        finally:
            self._captured = None

    def stats(self, params: dict[str, np.ndarray], outputs: list[np.ndarray] | None = None) -> list[LayerStats]:
        """`LayerStats` of every activation layer, and of every weighted layer no activation follows (the output
        layer: its histogram only), over the probe's samples."""
        outs = self.outputs(params, self.x) if outputs is None else outputs
        return [layer_stats(i, self.kinds[i], outs[i]) for i in self.stat_layers]

    def _stage_values(self, outs: list[np.ndarray]) -> list[np.ndarray]:
        return [outs[s.layer] for s in self.stages]

    def plane(self, params: dict[str, np.ndarray]) -> list[np.ndarray]:
        """2-D inputs: each stage's units over the plane, [units, PLANE_GRID (y), PLANE_GRID (x)]."""
        xs, ys = self.grid
        gx, gy = np.meshgrid(xs, ys)
        pts = np.stack([gx.ravel(), gy.ravel()], 1)
        outs = self._stage_values(self.outputs(params, pts))
        return [np.ascontiguousarray(o.reshape(len(ys), len(xs), -1).transpose(2, 0, 1)) for o in outs]

    def line(self, params: dict[str, np.ndarray]) -> list[np.ndarray]:
        """1-D inputs: each stage's units along `xs`, [units, LINE_POINTS]."""
        outs = self._stage_values(self.outputs(params, self.xs[:, None]))
        return [np.ascontiguousarray(o.reshape(len(self.xs), -1).T) for o in outs]

    def feature_maps(self, params: dict[str, np.ndarray], sample: np.ndarray) -> list[np.ndarray]:
        """One input sample [*feature_shape]: each stage's output for it ([C, H, W] maps, or [units])."""
        return [o[0] for o in self._stage_values(self.outputs(params, sample[None]))]

    def matrix(self, params: dict[str, np.ndarray], outputs: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """Each stage's output over the probe's samples, [samples, units] (conv maps averaged over positions)."""
        outs = self.outputs(params, self.x) if outputs is None else outputs
        result = []
        for o in self._stage_values(outs):
            result.append(o.reshape(len(o), o.shape[1], -1).mean(2) if o.ndim > 2 else o)
        return result


def layer_stats(index: int, kind: str, out: np.ndarray) -> LayerStats:
    flat = out.reshape(-1)
    finite = flat[np.isfinite(flat)].astype(np.float64)  # float64: a diverging net's outputs reach 1e36
    if len(finite):
        lo, hi = float(finite.min()), float(finite.max())
        if hi - lo <= 1e-9 * max(abs(lo), abs(hi)):  # one value (within rounding): a unit-wide histogram around it
            pad = max(0.5, 1e-6 * abs(hi))
            lo, hi = lo - pad, hi + pad
        counts, edges = np.histogram(finite, HIST_BINS, (lo, hi))
        mean, std = float(finite.mean()), float(finite.std())
    else:
        counts, edges, mean, std = np.zeros(HIST_BINS, np.int64), np.linspace(0, 1, HIST_BINS + 1), np.nan, np.nan
    stats = LayerStats(index, kind, tuple(out.shape[1:]), counts, edges, mean, std)
    if kind == "ReLU" and len(out):
        per_unit = out.reshape(len(out), out.shape[1], -1) if out.ndim > 1 else out.reshape(len(out), 1, 1)
        alive = (per_unit > 0).any(axis=(0, 2))
        stats.dead_units = np.flatnonzero(~alive)
    elif kind == "Sigmoid" and len(flat):
        stats.saturated_fraction = float(np.mean((flat < SIGMOID_LOW) | (flat > SIGMOID_HIGH)))
    elif kind == "Tanh" and len(flat):
        stats.saturated_fraction = float(np.mean(np.abs(flat) > TANH_HIGH))
    return stats
