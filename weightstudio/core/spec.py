"""Model specifications: a JSON-serialisable description of a network, and its validation.

A `ModelSpec` is an input shape plus an ordered list of `LayerSpec`s, built as an `nn.Sequential`, so a
parameter is named by its layer index (`0.weight`, `2.bias`) exactly as `named_parameters()` names it.
Activations are layers of their own, as in the seed scripts' `Sequential` style.
Validation runs before anything is built: `ModelSpec.output_shapes()` raises `SpecError` naming the layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .messages import _

# Layer kinds and their editable parameters with defaults. Order matters: it is the order the GUI shows.
LAYER_PARAMS: dict[str, dict[str, Any]] = {
    "Linear": {"out_features": 10, "bias": True},
    "Conv2d": {"out_channels": 8, "kernel_size": 3, "stride": 1, "padding": 0, "bias": True},
    "MaxPool2d": {"kernel_size": 2, "stride": None},
    "AvgPool2d": {"kernel_size": 2, "stride": None},
    "Flatten": {},
    "Dropout": {"p": 0.5},
    "ReLU": {},
    "Sigmoid": {},
    "Tanh": {},
    "LeakyReLU": {"negative_slope": 0.01},
    "GELU": {},
    "Identity": {},
}
# These derive a scale from fan-in/fan-out, which a bias (one dimension) does not have.
MATRIX_ONLY_SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal")
ACTIVATIONS = ("ReLU", "Sigmoid", "Tanh", "LeakyReLU", "GELU", "Identity")
WEIGHTED_KINDS = ("Linear", "Conv2d")

# Init schemes and their arguments with defaults. "default" keeps PyTorch's own initialisation.
INIT_SCHEMES: dict[str, dict[str, float]] = {
    "default": {},
    "normal": {"mean": 0.0, "std": 0.01},
    "uniform": {"a": -0.1, "b": 0.1},
    "zeros": {},
    "constant": {"value": 0.0},
    "xavier_uniform": {"gain": 1.0},
    "xavier_normal": {"gain": 1.0},
    "kaiming_uniform": {},
    "kaiming_normal": {},
}


class SpecError(ValueError):
    """An impossible model spec. `layer` is the offending layer's index, or None for the whole spec."""

    def __init__(self, message: str, layer: int | None = None):
        super().__init__(message)
        self.layer = layer


@dataclass
class InitSpec:
    """How to initialise one tensor (a layer's weight or bias)."""

    scheme: str = "default"
    args: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"scheme": self.scheme, **self.args}

    @classmethod
    def from_dict(cls, d: dict | str | None) -> "InitSpec":
        if d is None:
            return cls()
        if isinstance(d, str):
            d = {"scheme": d}
        d = dict(d)
        scheme = d.pop("scheme", "default")
        if scheme not in INIT_SCHEMES:
            raise SpecError(_("unknown init scheme '{scheme}' (known: {value})", scheme=scheme,
                              value=', '.join(INIT_SCHEMES)))
        unknown = set(d) - set(INIT_SCHEMES[scheme])
        if unknown:
            raise SpecError(_("init '{scheme}' takes no argument {value}", scheme=scheme,
                              value=', '.join(sorted(unknown))))
        return cls(scheme, {**INIT_SCHEMES[scheme], **{k: float(v) for k, v in d.items()}})

    def describe(self) -> str:
        if not self.args:
            return self.scheme
        return f"{self.scheme}({', '.join(f'{v:g}' for v in self.args.values())})"


@dataclass
class LayerSpec:
    """One layer: its kind, its parameters, and (for Linear/Conv2d) how its weight and bias are initialised."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    weight_init: InitSpec = field(default_factory=InitSpec)
    bias_init: InitSpec = field(default_factory=InitSpec)

    def __post_init__(self):
        if self.kind in LAYER_PARAMS:
            self.params = {**LAYER_PARAMS[self.kind], **self.params}

    @property
    def has_weights(self) -> bool:
        return self.kind in WEIGHTED_KINDS

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"kind": self.kind, **self.params}
        if self.has_weights:
            d["weight_init"] = self.weight_init.to_dict()
            d["bias_init"] = self.bias_init.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict, index: int | None = None) -> "LayerSpec":
        if not isinstance(d, dict) or "kind" not in d:
            raise SpecError(_("layer {index}: expected an object with a 'kind'", index=index), index)
        d = dict(d)
        kind = d.pop("kind")
        if kind not in LAYER_PARAMS:
            raise SpecError(_("layer {index}: unknown kind '{kind}' (known: {value})", index=index, kind=kind,
                              value=', '.join(LAYER_PARAMS)), index)
        try:
            w = InitSpec.from_dict(d.pop("weight_init", None))
            b = InitSpec.from_dict(d.pop("bias_init", None))
        except SpecError as e:
            raise SpecError(_("layer {index} ({kind}): {e}", index=index, kind=kind, e=e), index) from None
        d.pop("in_features", None)  # derived from the previous layer; accepted for readability of hand-written files
        d.pop("in_channels", None)
        unknown = set(d) - set(LAYER_PARAMS[kind])
        if unknown:
            raise SpecError(_("layer {index} ({kind}): unknown parameter {value}", index=index, kind=kind,
                              value=', '.join(sorted(unknown))), index)
        return cls(kind, d, w, b)

    def describe(self) -> str:
        """A short label such as `Linear(10)` or `Conv2d(8, 3×3, s1, p1)`."""
        p = self.params
        if self.kind == "Linear":
            return f"Linear(→{p['out_features']})"
        if self.kind == "Conv2d":
            k = p["kernel_size"]
            return f"Conv2d(→{p['out_channels']}, {k}×{k}, stride {p['stride']}, pad {p['padding']})"
        if self.kind in ("MaxPool2d", "AvgPool2d"):
            return f"{self.kind}({p['kernel_size']})"
        if self.kind == "Dropout":
            return f"Dropout({p['p']:g})"
        if self.kind == "LeakyReLU":
            return f"LeakyReLU({p['negative_slope']:g})"
        return self.kind


def _pos_int(layer: int, kind: str, name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value or value < minimum:
        raise SpecError(_("layer {layer} ({kind}): {name} must be an integer ≥ {minimum}, got {value!r}", layer=layer,
                          kind=kind, name=name, minimum=minimum, value=value), layer)
    return int(value)


def _spatial(layer: int, kind: str, shape: tuple[int, ...], k: int, s: int, p: int) -> tuple[int, int]:
    h = (shape[1] + 2 * p - k) // s + 1
    w = (shape[2] + 2 * p - k) // s + 1
    if h < 1 or w < 1:
        raise SpecError(
            _("layer {layer} ({kind}): a {k}×{k} window with stride {s} and padding {p} on a {value}×{value2} input "
              "leaves {value3}×{value4}: the output must be at least 1×1", layer=layer, kind=kind, k=k, s=s, p=p,
              value=shape[1], value2=shape[2], value3=max(h, 0), value4=max(w, 0)),
            layer,
        )
    return h, w


def layer_output_shape(index: int, layer: LayerSpec, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape (without batch) that `layer` produces from `shape`; raises SpecError naming the layer."""
    kind, p = layer.kind, layer.params
    if layer.has_weights and p["bias"] and layer.bias_init.scheme in MATRIX_ONLY_SCHEMES:
        raise SpecError(_("layer {index} ({kind}): bias init '{scheme}' needs a weight matrix; use default, normal, "
                          "uniform, zeros or constant for a bias", index=index, kind=kind,
                          scheme=layer.bias_init.scheme), index)
    if kind == "Linear":
        n = _pos_int(index, kind, "out_features", p["out_features"])
        if len(shape) != 1:
            raise SpecError(
                _("layer {index} (Linear): needs a flat input but gets shape {shape}; add a Flatten before it",
                  index=index, shape=shape), index
            )
        return (n,)
    if kind == "Conv2d":
        c = _pos_int(index, kind, "out_channels", p["out_channels"])
        k = _pos_int(index, kind, "kernel_size", p["kernel_size"])
        s = _pos_int(index, kind, "stride", p["stride"])
        pad = _pos_int(index, kind, "padding", p["padding"], minimum=0)
        if len(shape) != 3:
            raise SpecError(
                _("layer {index} (Conv2d): needs a channels×height×width input but gets shape {shape}", index=index,
                  shape=shape), index
            )
        return (c, *_spatial(index, kind, shape, k, s, pad))
    if kind in ("MaxPool2d", "AvgPool2d"):
        k = _pos_int(index, kind, "kernel_size", p["kernel_size"])
        s = k if p.get("stride") is None else _pos_int(index, kind, "stride", p["stride"])
        if len(shape) != 3:
            raise SpecError(_("layer {index} ({kind}): needs a channels×height×width input but gets {shape}",
                              index=index, kind=kind, shape=shape), index)
        return (shape[0], *_spatial(index, kind, shape, k, s, 0))
    if kind == "Flatten":
        return (math.prod(shape),)
    if kind == "Dropout":
        if not 0.0 <= float(p["p"]) < 1.0:
            raise SpecError(_("layer {index} (Dropout): p must be in [0, 1), got {p}", index=index, p=p['p']), index)
        return shape
    return shape  # activations keep the shape


@dataclass
class ModelSpec:
    """A network: input shape (without batch) and layers. Serialises to and from plain JSON dicts."""

    input_shape: tuple[int, ...]
    layers: list[LayerSpec]

    def to_dict(self) -> dict:
        return {"input_shape": list(self.input_shape), "layers": [layer.to_dict() for layer in self.layers]}

    @classmethod
    def from_dict(cls, d: dict) -> "ModelSpec":
        if not isinstance(d, dict):
            raise SpecError(_("model: expected an object with 'input_shape' and 'layers'"))
        shape = d.get("input_shape")
        if not isinstance(shape, (list, tuple)) or not shape or not all(isinstance(v, int) and v > 0 for v in shape):
            raise SpecError(_("model: input_shape must be a list of positive integers, got {shape!r}", shape=shape))
        layers = d.get("layers")
        if not isinstance(layers, list):
            raise SpecError(_("model: 'layers' must be a list"))
        return cls(tuple(shape), [LayerSpec.from_dict(item, i) for i, item in enumerate(layers)])

    def copy(self) -> "ModelSpec":
        return ModelSpec.from_dict(self.to_dict())

    def output_shapes(self) -> list[tuple[int, ...]]:
        """Each layer's output shape, in order. Raises SpecError at the first impossible layer."""
        if not self.layers:
            raise SpecError(_("model: it has no layers; add at least one Linear or Conv2d"))
        shapes, shape = [], tuple(self.input_shape)
        for i, layer in enumerate(self.layers):
            shape = layer_output_shape(i, layer, shape)
            shapes.append(shape)
        if not any(layer.has_weights for layer in self.layers):
            raise SpecError(_("model: it has no Linear or Conv2d layer, so there are no weights to learn"))
        return shapes

    def check(self, n_outputs: int | None = None) -> SpecError | None:
        """The first problem with this spec (and, if given, with its output size), or None when it is trainable."""
        try:
            shapes = self.output_shapes()
        except SpecError as e:
            return e
        if n_outputs is not None and shapes[-1] != (n_outputs,):
            last = max(i for i, layer in enumerate(self.layers) if layer.has_weights)
            return SpecError(
                f"layer {last} ({self.layers[last].kind}): the network ends with shape {shapes[-1]} but the data "
                f"needs {n_outputs} output{'s' if n_outputs != 1 else ''}",
                last,
            )
        return None


def linear_stack(sizes: list[int], activation: str = "ReLU", **init) -> ModelSpec:
    """A multilayer perceptron: Linear layers of `sizes[1:]` with `activation` between them."""
    layers: list[LayerSpec] = []
    for i, n in enumerate(sizes[1:]):
        if i:
            layers.append(LayerSpec(activation))
        layers.append(
            LayerSpec(
                "Linear",
                {"out_features": n},
                InitSpec.from_dict(init.get("weight_init")),
                InitSpec.from_dict(init.get("bias_init")),
            )
        )
    return ModelSpec((sizes[0],), layers)
