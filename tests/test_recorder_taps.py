"""The CPU tap's two ways of reading a model (core/recorder.py, `_NumpyTap`): one copy per step into a work ring
for nets up to FLAT_ROW_LIMIT weights, per-tensor norms and takes above it; both against values taken by hand,
with parameters that are not contiguous (channels_last) and one that is frozen (no gradient)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from weightstudio.core.io import load_npz
from weightstudio.core.recorder import FLAT_ROW_LIMIT, Recorder

from helpers import recorded_mse_steps


def strided_loop(folder, hidden: int, steps: int = 12):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 6 * 6, hidden),
                          nn.Linear(hidden, 2)).to(memory_format=torch.channels_last)
    model[4].bias.requires_grad_(False)  # frozen: never a gradient
    assert not model[0].weight.is_contiguous()
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.05, momentum=0.5)
    x, y = torch.randn(16, 3, 8, 8).to(memory_format=torch.channels_last), torch.randn(16, 2)
    rec = Recorder(model, folder, opt, tap="numpy", snapshot_every=4)
    names = [n for n, _ in model.named_parameters()]
    weights = {n: [p.detach().clone().numpy()] for n, p in model.named_parameters()}
    grads = {n: [np.full(p.shape, np.nan, np.float32)] for n, p in model.named_parameters()}

    def take(_):
        for n, p in model.named_parameters():
            weights[n].append(p.detach().clone().numpy())
            grads[n].append(np.full(p.shape, np.nan, np.float32) if p.grad is None else p.grad.clone().numpy())

    recorded_mse_steps(model, opt, x, y, rec, steps, take)
    rec.close()
    return rec, names, {n: np.stack(v) for n, v in weights.items()}, {n: np.stack(v) for n, v in grads.items()}


@pytest.mark.parametrize("hidden", [16, 200], ids=["flat-rows", "per-tensor"])
def test_strided_and_frozen_parameters_are_recorded_as_taken_by_hand(tmp_path, hidden):
    rec, names, weights, grads = strided_loop(tmp_path / "run", hidden)
    assert rec._tap._flat_rows == (rec.total_weights <= FLAT_ROW_LIMIT) and rec.sampled == (hidden == 200)
    z = load_npz(tmp_path / "run" / "history.npz")
    snaps = z["step"]
    assert snaps.tolist() == [0, 4, 8, 12]
    for n in names:
        np.testing.assert_allclose(z[f"param/{n}"], weights[n][snaps], rtol=0, atol=1e-6, err_msg=n)
        np.testing.assert_allclose(z[f"grad/{n}"], grads[n][snaps], rtol=0, atol=1e-6, err_msg=n)
    assert np.isnan(z["grad/4.bias"]).all() and np.isnan(z["steps/grad_norm"][:, names.index("4.bias")]).all()
    flat = np.concatenate([weights[n].reshape(13, -1) for n in names], axis=1)
    h = rec.manifest["history"]
    traced = np.concatenate([off + t for off, t in zip(np.cumsum([0] + [weights[n][0].size for n in names]),
                                                         rec.traced)])
    assert len(traced) == h["traced_weights"]
    np.testing.assert_array_equal(z["trace/step"], np.arange(13))
    np.testing.assert_allclose(z["trace/values"], flat[:, traced], rtol=0, atol=1e-6)
    norms = np.stack([np.linalg.norm(grads[n][1:].reshape(12, -1).astype(np.float64), axis=1) for n in names], axis=1)
    np.testing.assert_allclose(z["steps/grad_norm"], norms, rtol=1e-5)
