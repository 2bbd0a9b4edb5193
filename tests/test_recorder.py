"""weightstudio.record(): the history of the user's own loop, written while it trains, read back and followed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import weightstudio
from weightstudio.core.history import FULL_TRACE_LIMIT, SNAPSHOT_BUDGET, TRACE_BUDGET
from weightstudio.core.io import history_arrays, load_npz
from weightstudio.core.recorder import NullRecorder, Recorder
from weightstudio.core.run_folder import GONE_MESSAGE, RunFolderError, open_run

from helpers import recorded_mse_steps

ROOT = Path(__file__).resolve().parents[1]


def two_layer_loop(folder, steps=200, tap="auto", seed=0, **options):
    """The issue's hand-written loop: two Linear layers, SGD; every weight captured by hand after each step."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
    x, y = torch.randn(64, 3), torch.randn(64, 2)
    rec = Recorder(model, folder, opt, tap=tap, **options)
    names = [n for n, _ in model.named_parameters()]
    by_hand = {n: [p.detach().clone().numpy()] for n, p in model.named_parameters()}
    grads = {n: [np.full(p.shape, np.nan, np.float32)] for n, p in model.named_parameters()}

    def take(_):
        for n, p in model.named_parameters():
            by_hand[n].append(p.detach().clone().numpy())
            grads[n].append(p.grad.detach().clone().numpy())

    losses = recorded_mse_steps(model, opt, x, y, rec, steps, take)
    rec.close()
    return names, {n: np.stack(v) for n, v in by_hand.items()}, {n: np.stack(v) for n, v in grads.items()}, losses


@pytest.mark.parametrize("tap", ["numpy", "torch"])
def test_history_npz_holds_every_step_of_every_weight_exactly(tmp_path, tap):
    names, by_hand, grads, losses = two_layer_loop(tmp_path / "run", tap=tap)
    z = load_npz(tmp_path / "run" / "history.npz")
    np.testing.assert_array_equal(z["step"], np.arange(201))
    for n in names:
        np.testing.assert_allclose(z[f"param/{n}"], by_hand[n], rtol=0, atol=1e-6, err_msg=n)
        np.testing.assert_allclose(z[f"grad/{n}"], grads[n], rtol=0, atol=1e-6, err_msg=n)
    flat = np.concatenate([by_hand[n].reshape(201, -1) for n in names], axis=1)
    np.testing.assert_array_equal(z["trace/step"], np.arange(201))
    np.testing.assert_allclose(z["trace/values"], flat, rtol=0, atol=1e-6)
    assert list(z["trace/labels"][:2]) == ["0.weight[0, 0]", "0.weight[0, 1]"]
    np.testing.assert_array_equal(z["steps/step"], np.arange(1, 201))
    np.testing.assert_allclose(z["steps/loss"], losses, rtol=1e-6)
    norms = np.stack([np.linalg.norm(grads[n][1:].reshape(200, -1), axis=1) for n in names], axis=1)
    np.testing.assert_allclose(z["steps/grad_norm"], norms, rtol=1e-5)
    np.testing.assert_allclose(z["steps/lr"], 0.05)

    run = open_run(tmp_path / "run")
    assert run.is_recorded and not run.can_predict and run.config is None and run.dataset is None
    assert run.history.status == "finished" and not run.follow().following and not run.follow().poll()
    reread = history_arrays(run.history)
    assert set(reread) == set(z)
    for key in z:
        np.testing.assert_array_equal(reread[key], z[key], err_msg=key)
    steps, values = run.history.trace_data()
    np.testing.assert_allclose(values, flat, atol=1e-6)
    step, w = run.param_values("2.weight")
    assert step == 200
    np.testing.assert_allclose(w, by_hand["2.weight"][-1], atol=1e-6)
    np.testing.assert_allclose(run.param_values("0.bias", 17)[1], by_hand["0.bias"][17], atol=1e-6)
    np.testing.assert_allclose(run.param_values("0.bias", 17, grad=True)[1], grads["0.bias"][17], atol=1e-6)


def test_the_gpu_code_path_records_what_the_cpu_path_records(tmp_path):
    """The torch tap (rings on the device, one copy per flush) against the numpy tap, same loop, same seed."""
    _, a, _, _ = two_layer_loop(tmp_path / "numpy", steps=30, tap="numpy")
    _, b, _, _ = two_layer_loop(tmp_path / "torch", steps=30, tap="torch")
    for n in a:
        np.testing.assert_array_equal(a[n], b[n])  # same loop: the recording did not disturb training
    za, zb = load_npz(tmp_path / "numpy" / "history.npz"), load_npz(tmp_path / "torch" / "history.npz")
    assert set(za) == set(zb)
    for key in za:
        if za[key].dtype.kind == "f":
            np.testing.assert_allclose(za[key], zb[key], rtol=1e-5, atol=1e-7, err_msg=key)
        else:
            np.testing.assert_array_equal(za[key], zb[key], err_msg=key)


@pytest.mark.filterwarnings("ignore:Using backward:UserWarning")
def test_norms_every_step_with_gradients_kept_set_to_none_or_tracked_by_autograd(tmp_path):
    """The per-parameter dot products against float64 norms taken by hand, whatever zero_grad() does to the
    gradients: kept (set_to_none=False, the same tensors each step), new each step (torch's default), or tracked
    by autograd (backward(create_graph=True), whose gradients need detaching before numpy reads them)."""
    for mode in ("kept", "none", "graph"):
        torch.manual_seed(1)
        model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(32, 4), torch.randn(32, 3)
        rec = Recorder(model, tmp_path / mode, opt, tap="numpy")
        w_by_hand, g_by_hand = [], []
        for _ in range(40):
            loss = nn.functional.mse_loss(model(x), y)
            opt.zero_grad(set_to_none=mode != "kept")
            loss.backward(create_graph=mode == "graph")
            opt.step()
            rec.step(loss=loss)
            params = [p.detach().double() for p in model.parameters()]
            w_by_hand.append([p.norm().item() for p in params])
            g_by_hand.append([p.grad.detach().double().norm().item() for p in model.parameters()])
        rec.close()
        run = open_run(tmp_path / mode)
        np.testing.assert_allclose(run.history.step_data()["grad_norm"], g_by_hand, rtol=1e-5, err_msg=mode)
        np.testing.assert_allclose(run.log.step_series()["weight_norm"][1], w_by_hand, rtol=1e-5, err_msg=mode)


def test_import_weightstudio_imports_neither_qt_nor_torch():
    code = ("import sys, weightstudio; print(sorted(m for m in ('torch', 'PySide6', 'pyqtgraph', 'numpy') "
            "if m in sys.modules)); print(callable(weightstudio.record))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.stdout.split("\n")[:2] == ["[]", "True"], r.stdout + r.stderr


class Nested(nn.Module):
    """Nested names, a frozen parameter, an embedding, a conv, a parameter of the root itself."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(20, 6)
        self.blocks = nn.ModuleDict({"a": nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU())})
        self.head = nn.Linear(4 * 6 + 6, 3)
        self.frozen = nn.Linear(3, 3)
        self.frozen.requires_grad_(False)
        self.scale = nn.Parameter(torch.ones(3))

    def forward(self, tokens, img):
        e = self.embed(tokens).mean(1)
        c = self.blocks["a"](img).mean((2, 3))
        c = torch.cat([c.repeat(1, 6), e], 1)
        return self.frozen(self.head(c)) * self.scale


def test_any_module_nested_names_frozen_parameters_and_hyper_parameters(tmp_path):
    torch.manual_seed(1)
    model = Nested()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3, betas=(0.8, 0.99))
    tokens, img, y = torch.randint(0, 20, (8, 5)), torch.randn(8, 1, 6, 6), torch.randint(0, 3, (8,))
    with weightstudio.record(model, tmp_path / "nested", opt, notes={"data": "random"}) as rec:
        for _ in range(5):
            out = model(tokens, img)
            loss = nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            rec.step(loss=loss, accuracy=(out.argmax(1) == y).float().mean(), margin=0.5)
        rec.epoch(val_loss=1.5, val_acc=0.25, perplexity=7.0)
    m = json.loads((tmp_path / "nested" / "run.json").read_text())
    table = {p["name"]: p for p in m["model"]["parameters"]}
    assert list(table) == [n for n, _ in model.named_parameters()]
    assert table["blocks.a.0.weight"] == {"name": "blocks.a.0.weight", "shape": [4, 1, 3, 3], "count": 36,
                                          "module": "blocks.a.0", "kind": "Conv2d", "layer": 2, "trainable": True}
    assert table["frozen.weight"]["trainable"] is False and table["scale"]["module"] == ""
    assert m["optimizer"]["class"] == "Adam" and m["optimizer"]["param_groups"][0]["betas"] == [0.8, 0.99]
    assert "frozen.weight" not in m["optimizer"]["param_groups"][0]["params"]
    assert m["recorded_by"]["api"] == "weightstudio.record" and m["notes"] == {"data": "random"}
    assert m["status"] == "finished" and m["finished"]["steps"] == 5

    run = open_run(tmp_path / "nested")
    h = run.history
    k = h.names.index("frozen.weight")
    norms = h.step_data()["grad_norm"]
    assert np.isnan(norms[:, k]).all() and np.isfinite(np.delete(norms, [k, k + 1], axis=1)).all()
    assert np.isnan(h.snapshot(-1).grads["frozen.weight"]).all()
    np.testing.assert_array_equal(h.snapshot(-1).params["frozen.weight"], model.frozen.weight.detach().numpy())
    assert run.classification and run.module_groups["blocks"] == ["blocks.a.0.weight", "blocks.a.0.bias"]
    assert run.module_groups[""] == ["scale"]
    series = run.log.step_series()
    np.testing.assert_array_equal(series["margin"][1].ravel(), 0.5)
    np.testing.assert_allclose(series["weight_norm"][1][-1, h.names.index("scale")],
                               model.scale.detach().norm().item(), rtol=1e-6)
    ep = h.epoch_data()
    assert ep["val_loss"].tolist() == [1.5] and ep["step"].tolist() == [5] and h.steps_per_epoch == 5
    lines = (tmp_path / "nested" / "metrics.csv").read_text().splitlines()
    assert lines[0] == "epoch,step,train_loss,val_loss,train_acc,val_acc,perplexity"
    assert lines[1].startswith("1,5,") and lines[1].endswith(",1.5," + lines[1].split(",")[4] + ",0.25,7")


def test_a_large_net_traces_a_sample_and_snapshots_sparsely_within_the_budgets(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(200, 300), nn.ReLU(), nn.Linear(300, 10))  # 63,310 weights
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(32, 200), torch.randint(0, 10, (32,))
    rec = weightstudio.record(model, tmp_path / "big", opt)
    assert rec.snapshot_every == 64  # 63,310 weights × 8 bytes ≈ 62 steps' worth of SNAPSHOT_STEP_BYTES
    rec.snapshot_every = 8  # more often, to see them
    for _ in range(20):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rec.step(loss=loss)
    rec.close()
    run = open_run(tmp_path / "big")
    h = run.history
    assert h.sampled and h.total_weights > FULL_TRACE_LIMIT and h.n_traced < 2_200
    assert h.snapshot_steps().tolist() == [0, 8, 16, 20]  # every 8 steps, and the last state at close()
    steps, values = h.trace_data()
    assert steps.tolist() == list(range(21))
    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy()
    idx = np.concatenate([off + t for off, t in zip(h._offsets[:-1], h.traced)])
    np.testing.assert_array_equal(values[-1], flat[idx])
    assert h.traces.capacity == TRACE_BUDGET // (4 * h.n_traced)
    assert h.snapshots.capacity == SNAPSHOT_BUDGET // (8 * h.total_weights)


def test_records_every_step_when_the_loop_stalls_and_never_drops_a_row_when_the_disk_is_slow(tmp_path,
                                                                                               monkeypatch):
    from weightstudio.core import run_log

    model = nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(16, 4)
    rec = Recorder(model, tmp_path / "stall", opt, flush_interval=0.2)
    for _ in range(3):
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        rec.step(loss=loss)
    follower = open_run(tmp_path / "stall").follow()
    deadline = time.monotonic() + 30
    while len(follower.run.history.step_data()["step"]) < 3 and time.monotonic() < deadline:
        follower.poll()  # the loop does nothing now: the writer's own timer must flush the three steps
        time.sleep(0.05)
    assert follower.run.history.step_data()["step"].tolist() == [1, 2, 3] and follower.following
    rec.close()
    assert follower.poll() and follower.state == "finished"

    slow_save = run_log.save_npz_atomic

    def slow(path, arrays, compress=False):
        time.sleep(0.1)
        slow_save(path, arrays, compress)

    monkeypatch.setattr(run_log, "save_npz_atomic", slow)
    rec = Recorder(model, tmp_path / "slow", opt)
    rec._writer._queue.max_items = 1
    rec._tap.cap_steps = 1  # a hand-off every step: the queue is always full
    with pytest.warns(RuntimeWarning, match="fell behind.*nothing is dropped"):
        for _ in range(40):
            rec.step(loss=1.0)
    rec.close()
    assert rec.waited_s > 0
    assert load_npz(tmp_path / "slow" / "history.npz")["steps/step"].tolist() == list(range(1, 41))


def test_a_folder_is_followed_while_a_subprocess_writes_it_and_opens_after_a_sigkill(tmp_path,
                                                                                     start_recording_writer):
    folder = tmp_path / "live"
    writer = start_recording_writer(folder)
    try:
        assert writer.stdout.readline().strip() == "recording"
        run = open_run(folder)  # whatever is complete now: at least the initial state
        follower = run.follow()
        assert follower.following and follower.state == "following" and run.history.status == "running"
        sizes = [len(run.history.trace_data()[0])]
        deadline = time.monotonic() + 60
        while (len(sizes) < 3 or len(run.history.epoch_data()["epoch"]) < 2) and time.monotonic() < deadline:
            if follower.poll():
                sizes.append(len(run.history.trace_data()[0]))
            time.sleep(0.05)
        assert sizes == sorted(sizes) and sizes[-1] > sizes[0]  # the same History grew
        assert run.history.steps_per_epoch == 20  # learnt from the first epoch()
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
    follower.poll()
    assert not follower.following and follower.state == "stopped" and run.history.message == GONE_MESSAGE
    after = open_run(folder)
    assert after.history.status == "stopped"
    steps = after.history.step_data()["step"]
    assert len(steps) >= sizes[-1] - 1 and steps.tolist() == list(range(1, len(steps) + 1))
    assert not (folder / "history.npz").exists()  # close() never ran: the chunks are the record
    leftovers = [p.name for p in (folder / "log").iterdir() if not p.name.endswith(".npz")]
    assert all(name.startswith(".") for name in leftovers)  # at most a half-written temporary, never read


def test_folders_hold_no_pickles_and_a_second_recording_needs_overwrite(tmp_path):
    two_layer_loop(tmp_path / "run", steps=3)
    for path in (tmp_path / "run").rglob("*"):
        assert path.suffix in (".json", ".npz", ".csv", "") or path.name.startswith("."), path
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as z:
                assert all(z[k].dtype != object for k in z.files)
    with pytest.raises(FileExistsError, match="already holds a run.*overwrite=True"):
        two_layer_loop(tmp_path / "run", steps=3)
    two_layer_loop(tmp_path / "run", steps=4, overwrite=True)
    assert open_run(tmp_path / "run").history.step_data()["step"].tolist() == [1, 2, 3, 4]


def test_an_exception_in_the_with_block_marks_the_run_stopped_and_a_lone_history_npz_still_opens(tmp_path):
    model = nn.Linear(2, 1)
    with pytest.raises(ZeroDivisionError):
        with weightstudio.record(model, tmp_path / "r") as rec:
            rec.step(loss=2.0)
            1 / 0
    run = open_run(tmp_path / "r")
    assert run.history.status == "stopped" and "ZeroDivisionError" in run.history.message
    for chunk in (tmp_path / "r" / "log").iterdir():
        chunk.unlink()
    (tmp_path / "r" / "log").rmdir()
    again = open_run(tmp_path / "r")  # the log is gone: history.npz is the record
    assert again.history.step_data()["loss"].tolist() == [2.0] and not again.follow().following
    (tmp_path / "r" / "history.npz").unlink()
    with pytest.raises(RunFolderError, match="no recorded steps"):
        open_run(tmp_path / "r")


def test_ddp_is_recorded_under_the_inner_names_and_other_ranks_do_nothing(tmp_path, monkeypatch):
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'rendezvous'}", rank=0, world_size=1)
    try:
        inner = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
        ddp = nn.parallel.DistributedDataParallel(inner)
        opt = torch.optim.SGD(ddp.parameters(), lr=0.1)
        with weightstudio.record(ddp, tmp_path / "ddp", opt) as rec:
            loss = ddp(torch.randn(4, 2)).sum()
            loss.backward()
            opt.step()
            rec.step(loss=loss)
    finally:
        dist.destroy_process_group()
    m = json.loads((tmp_path / "ddp" / "run.json").read_text())
    assert [p["name"] for p in m["model"]["parameters"]] == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert m["model"]["wrapped_in"] == ["DistributedDataParallel"]
    assert m["distributed"] == {"world_size": 1, "rank": 0, "backend": "gloo"}

    monkeypatch.setenv("RANK", "1")  # as torchrun sets it, before or without a process group
    rec = weightstudio.record(inner, tmp_path / "rank1")
    assert isinstance(rec, NullRecorder) and not rec.active
    rec.step(loss=torch.tensor(1.0, requires_grad=True))
    rec.epoch(val_loss=1)
    rec.close()
    assert not (tmp_path / "rank1").exists()


def test_a_writer_that_cannot_write_stops_the_loop_with_the_reason(tmp_path, monkeypatch):
    from weightstudio.core import run_log
    from weightstudio.core.run_log import RecordError

    model = nn.Linear(2, 1)
    rec = Recorder(model, tmp_path / "full")

    def disk_full(path, arrays, compress=False):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_log, "save_npz_atomic", disk_full)
    rec._tap.cap_steps = 1  # a hand-off every step
    with pytest.raises(RecordError, match="writing .*full failed: .*No space left on device"):
        for _ in range(1000):
            rec.step(loss=1.0)
    with pytest.raises(RecordError, match="No space left"):
        rec.close()


def test_flush_puts_every_recorded_step_on_disk_before_it_returns(tmp_path, monkeypatch):
    from weightstudio.core import run_log
    from weightstudio.core.run_log import RecordError

    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 3), torch.randn(8, 1)
    # A long flush interval: without flush() the five steps would stay with the training thread for a minute.
    rec = Recorder(model, tmp_path / "run", opt, flush_interval=1.0)
    rec._flush_interval = rec._writer.flush_interval = 60.0
    recorded_mse_steps(model, opt, x, y, rec, 5)
    assert rec.flush(timeout=30)
    assert open_run(tmp_path / "run").history.step_data()["step"].tolist() == [1, 2, 3, 4, 5]
    assert rec.flush(timeout=30)  # nothing new: returns at once
    assert NullRecorder().flush()

    def disk_full(path, arrays, compress=False):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_log, "save_npz_atomic", disk_full)
    recorded_mse_steps(model, opt, x, y, rec, 2)
    with pytest.raises(RecordError, match="writing .*run failed: .*No space left on device"):
        rec.flush(timeout=30)
    with pytest.raises(RecordError, match="No space left"):
        rec.close()
    # A disk that is full from the start: record() itself says so, naming the folder.
    with pytest.raises(RecordError, match="writing .*other failed: .*No space left on device"):
        weightstudio.record(model, tmp_path / "other", opt)
