"""A tier whose rows are so large that four of them and the latest exceed its budget (a ResNet-18's snapshots: 85
MiB a row against 256 MiB) keeps fewer rows instead of overrunning the budget; every other tier keeps at least 4."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

import weightstudio
from weightstudio.core import history as history_module
from weightstudio.core import run_log
from weightstudio.core.builder import ParamInfo
from weightstudio.core.history import DecimatingBuffer, History
from weightstudio.core.run_folder import open_run


def test_rows_within_keeps_four_rows_unless_they_and_the_latest_exceed_the_budget():
    assert DecimatingBuffer.rows_within(1000, 10) == 100
    assert DecimatingBuffer.rows_within(50, 10) == 5  # 5 rows fit: the latest beside them is the usual overrun
    assert DecimatingBuffer.rows_within(40, 1) == 40
    assert DecimatingBuffer.rows_within(49, 10) == 3  # 4 + latest would not fit: 3 + latest do
    assert DecimatingBuffer.rows_within(256, 85) == 2  # the ResNet-18's snapshots, in MiB
    assert DecimatingBuffer.rows_within(100, 60) == 1  # not even two: the first, and the latest beside it
    assert DecimatingBuffer.rows_within(10, 1000) == 1


def test_a_tier_of_one_or_two_rows_keeps_the_first_and_the_latest_and_thins_between():
    for capacity, kept in ((1, [0, 9]), (2, [0, 8, 9])):
        buf = DecimatingBuffer(2, capacity)
        for step in range(10):
            buf.append(step, np.array([step, -step], np.float32))
        assert buf.keys().tolist() == kept
        assert buf.rows()[:, 0].tolist() == kept
        assert buf.capacity == capacity


def params_of(sizes):
    return [ParamInfo(f"{i}.weight", (n,), n, i, "Linear", (n,)) for i, n in enumerate(sizes)]


def test_snapshots_of_a_net_too_big_for_four_stay_within_the_budget():
    params = params_of([600, 400])  # 1,000 weights: a snapshot row (weights and gradients) is 8,000 bytes
    budget = 30_000  # 3.75 rows: 4 and the latest would not fit
    h = History(params, steps_per_epoch=1, snapshot_budget=budget)
    assert h.snapshots.capacity == 2
    flat = np.zeros(1000, np.float32)
    h.record_initial(flat, flat)
    for epoch in range(1, 41):
        h.record_epoch(epoch, epoch, (1.0, 1.0, 0.5, 0.5), flat + epoch, flat - epoch)
    assert h.snapshots.nbytes <= budget
    steps = h.snapshot_steps().tolist()
    assert steps[0] == 0 and steps[-1] == 40 and len(steps) == 3
    last = h.snapshot(-1)
    assert last.step == 40 and (last.params["0.weight"] == 40).all() and (last.grads["1.weight"] == -40).all()
    assert (h.snapshot(0).params["1.weight"] == 0).all()


def test_a_recorded_stand_in_model_keeps_its_snapshots_within_a_small_budget(tmp_path, monkeypatch):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(200, 300), nn.ReLU(), nn.Linear(300, 10))  # 63,310 weights: 506 KB a row
    row = 8 * sum(p.numel() for p in model.parameters())
    budget = int(3.5 * row)
    for module in (history_module, run_log):  # the writer's thinning and the reader's History alike
        monkeypatch.setattr(module, "SNAPSHOT_BUDGET", budget)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(16, 200), torch.randint(0, 10, (16,))
    rec = weightstudio.record(model, tmp_path / "big", opt)
    rec.snapshot_every = 4
    for _ in range(40):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rec.step(loss=loss)
    rec.close()
    h = open_run(tmp_path / "big").history
    assert h.snapshots.capacity == 2 and h.snapshots.nbytes <= budget
    steps = h.snapshot_steps().tolist()
    assert steps[0] == 0 and steps[-1] == 40 and len(steps) == 3
    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy()
    last = h.snapshot(-1)
    np.testing.assert_array_equal(np.concatenate([last.params[n].reshape(-1) for n in h.names]), flat)
    assert len(h.trace_data()[0]) == 41  # the other tiers are as before
