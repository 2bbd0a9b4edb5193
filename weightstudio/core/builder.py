"""Turns a `ModelSpec` into a `torch.nn.Sequential` and describes its parameters.

The parameter table is the "weight dimension analysis" the seed posts teach: `(out, in)` for a Linear weight,
`(out_channels, in_channels, kh, kw)` for a Conv2d weight, with each layer's output shape beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .messages import _
from .spec import InitSpec, ModelSpec


@dataclass(frozen=True)
class ParamInfo:
    """One row of the parameter table."""

    name: str  # as in named_parameters(): "0.weight"
    shape: tuple[int, ...]
    count: int
    layer: int  # index in the spec
    layer_kind: str
    output_shape: tuple[int, ...]  # the layer's output (without batch)

    @property
    def is_weight(self) -> bool:
        return self.name.endswith(".weight")


def _make_layer(kind: str, params: dict, in_shape: tuple[int, ...]) -> nn.Module:
    p = params
    if kind == "Linear":
        return nn.Linear(in_shape[0], p["out_features"], bias=p["bias"])
    if kind == "Conv2d":
        return nn.Conv2d(in_shape[0], p["out_channels"], p["kernel_size"], p["stride"], p["padding"], bias=p["bias"])
    if kind == "MaxPool2d":
        return nn.MaxPool2d(p["kernel_size"], p["stride"])
    if kind == "AvgPool2d":
        return nn.AvgPool2d(p["kernel_size"], p["stride"])
    if kind == "Flatten":
        return nn.Flatten()
    if kind == "Dropout":
        return nn.Dropout(p["p"])
    if kind == "LeakyReLU":
        return nn.LeakyReLU(p["negative_slope"])
    return getattr(nn, kind)()  # ReLU, Sigmoid, Tanh, GELU, Identity take no arguments


def _init_tensor(t: torch.Tensor, init: InitSpec) -> None:
    a, s = init.args, init.scheme
    if s == "default":
        return
    if s == "normal":
        nn.init.normal_(t, a["mean"], a["std"])
    elif s == "uniform":
        nn.init.uniform_(t, a["a"], a["b"])
    elif s == "zeros":
        nn.init.zeros_(t)
    elif s == "constant":
        nn.init.constant_(t, a["value"])
    elif t.dim() < 2:
        raise ValueError(_("init '{init}' needs a tensor with at least 2 dimensions (a weight, not a bias)", init=s))
    elif s == "xavier_uniform":
        nn.init.xavier_uniform_(t, a["gain"])
    elif s == "xavier_normal":
        nn.init.xavier_normal_(t, a["gain"])
    elif s == "kaiming_uniform":
        nn.init.kaiming_uniform_(t, nonlinearity="relu")
    elif s == "kaiming_normal":
        nn.init.kaiming_normal_(t, nonlinearity="relu")


def build_model(spec: ModelSpec) -> nn.Sequential:
    """Build the network. Draws initial weights from torch's global RNG: seed it first for reproducibility."""
    shapes = spec.output_shapes()
    modules, in_shape = [], tuple(spec.input_shape)
    for layer, out_shape in zip(spec.layers, shapes):
        module = _make_layer(layer.kind, layer.params, in_shape)
        if layer.has_weights:
            with torch.no_grad():
                _init_tensor(module.weight, layer.weight_init)
                if module.bias is not None:
                    _init_tensor(module.bias, layer.bias_init)
        modules.append(module)
        in_shape = out_shape
    return nn.Sequential(*modules)


def param_table(spec: ModelSpec) -> list[ParamInfo]:
    """Every parameter the built model will have, without building it."""
    rows, in_shape = [], tuple(spec.input_shape)
    for i, (layer, out_shape) in enumerate(zip(spec.layers, spec.output_shapes())):
        shapes: dict[str, tuple[int, ...]] = {}
        if layer.kind == "Linear":
            shapes["weight"] = (out_shape[0], in_shape[0])
            bias_len = out_shape[0]
        elif layer.kind == "Conv2d":
            k = layer.params["kernel_size"]
            shapes["weight"] = (out_shape[0], in_shape[0], k, k)
            bias_len = out_shape[0]
        if layer.has_weights and layer.params["bias"]:
            shapes["bias"] = (bias_len,)
        for pname, shape in shapes.items():
            rows.append(ParamInfo(f"{i}.{pname}", shape, math.prod(shape), i, layer.kind, out_shape))
        in_shape = out_shape
    return rows
