"""The engine trains for real: every preset's recorded weights equal a plain PyTorch loop's, epoch by epoch."""

import math
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import weightstudio
from weightstudio.core.config import ConfigError
from weightstudio.core.engine import Control, Trainer
from weightstudio.core.io import load_npz, save_run
from weightstudio.core.presets import PRESETS, get_preset


def plain_loop(cfg, x, y, initial: dict[str, np.ndarray], epochs: int) -> list[dict[str, np.ndarray]]:
    """The seed scripts' loop, written out by hand: returns the parameters after every epoch."""
    from weightstudio.core.builder import build_model

    t = cfg.train
    model = build_model(cfg.model)
    model.load_state_dict({k: torch.as_tensor(v) for k, v in initial.items()})
    opt_cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[t.optimizer]
    kw = {"momentum": t.momentum, "nesterov": t.nesterov} if t.optimizer == "sgd" else {}
    opt = opt_cls(model.parameters(), lr=t.lr, weight_decay=t.weight_decay, **kw)
    loss_fn = {"mse": nn.MSELoss(), "cross_entropy": nn.CrossEntropyLoss(),
               "bce_with_logits": nn.BCEWithLogitsLoss()}[t.loss]
    x = torch.as_tensor(x)
    y = torch.as_tensor(y)
    if t.loss == "bce_with_logits":
        y = y.float().reshape(-1, 1)
    shuffle = torch.Generator().manual_seed(t.seed)
    out = []
    for _ in range(epochs):
        if t.batch_size is None or t.batch_size >= len(x):
            batches = [(x, y)]
        else:
            order = torch.randperm(len(x), generator=shuffle)
            batches = [(x[order[i:i + t.batch_size]], y[order[i:i + t.batch_size]])
                       for i in range(0, len(x), t.batch_size)]
        for xb, yb in batches:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        out.append({k: v.detach().numpy().copy() for k, v in model.named_parameters()})
    return out


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_matches_plain_pytorch_loop(name, tmp_path):
    cfg = get_preset(name).config()
    epochs = min(cfg.train.epochs, 30)
    cfg.train.epochs = epochs
    trainer = Trainer(cfg)
    assert trainer.run() == "finished"
    save_run(tmp_path, cfg, trainer.history, trainer.dataset)
    hist = load_npz(tmp_path / "history.npz")
    data = load_npz(tmp_path / "data.npz")

    names = [n for n, _ in trainer.model.named_parameters()]
    assert list(hist["epoch"]) == list(range(epochs + 1))  # initial state + every epoch
    assert hist["step"][0] == 0
    initial = {n: hist[f"param/{n}"][0] for n in names}
    expected = plain_loop(cfg, data["x_train"], data["y_train"], initial, epochs)
    for e in range(epochs):
        for n in names:
            np.testing.assert_allclose(hist[f"param/{n}"][e + 1], expected[e][n], rtol=1e-6, atol=1e-7,
                                       err_msg=f"{name}: {n} after epoch {e + 1}")
    loss = trainer.history.epoch_data()["train_loss"]
    assert loss[-1] < loss[0], f"{name}: loss did not fall ({loss[0]} → {loss[-1]})"


def test_same_seed_same_run_and_reset_returns_to_initial_weights():
    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.epochs = 10
    a, b = Trainer(cfg), Trainer(cfg)
    a.run()
    b.run()
    for (n, pa), (_, pb) in zip(a.model.named_parameters(), b.model.named_parameters()):
        assert torch.equal(pa, pb), n
    first = a.history.snapshot(0).params
    a.reset()
    assert a.step == 0 and a.history.snapshot_count() == 1
    for n, p in a.model.named_parameters():
        assert np.array_equal(p.detach().numpy(), first[n])
    a.run()
    for (n, pa), (_, pb) in zip(a.model.named_parameters(), b.model.named_parameters()):
        assert torch.equal(pa, pb), f"{n} differs after reset + retrain"
    c = Trainer(cfg.with_train(seed=1))
    assert not np.array_equal(c.history.snapshot(0).params["0.weight"], first["0.weight"])


def test_diverging_learning_rate_stops_with_step_and_layer():
    cfg = get_preset("line-2x+1").config().with_train(lr=10.0)
    events = []
    trainer = Trainer(cfg)
    status = trainer.run(events=lambda name, **info: events.append((name, info)))
    assert status == "diverged"
    assert trainer.history.status == "diverged"
    assert "diverged at step" in trainer.history.message
    name, info = [e for e in events if e[0] == "diverged"][0]
    assert info["step"] == trainer.step < 100
    assert all(math.isfinite(v) for v in trainer.history.step_data()["loss"])  # nothing non-finite recorded


def test_control_pause_step_resume_stop_and_lr_change():
    cfg = get_preset("quadratic-1-10-1").config().with_train(epochs=100000)
    trainer = Trainer(cfg)
    control = Control()
    control.pause()
    events = []
    thread = threading.Thread(target=lambda: events.append(trainer.run(control, lambda n, **i: events.append(n))))
    thread.start()
    try:
        for _ in range(200):
            if "paused" in events:
                break
            threading.Event().wait(0.01)
        assert trainer.epoch == 0
        control.step_epochs(3)
        for _ in range(500):
            if trainer.epoch == 3 and control.paused:
                break
            threading.Event().wait(0.01)
        assert trainer.epoch == 3 and control.paused
        control.set_lr(0.05)
        control.resume()
        for _ in range(500):
            if trainer.epoch > 10:
                break
            threading.Event().wait(0.01)
        assert trainer.lr == 0.05
        assert trainer.history.step_data()["lr"][-1] == 0.05
    finally:
        control.stop()
        thread.join(10)
    assert not thread.is_alive()
    assert events[-1] == "stopped"


def test_bad_configs_are_named():
    cfg = get_preset("quadratic-1-10-1").config()
    with pytest.raises(ConfigError, match="train.lr"):
        cfg.with_train(lr=-1)
    with pytest.raises(ConfigError, match="cross_entropy"):
        Trainer(cfg.with_train(loss="cross_entropy"))
    cfg.model.layers[-1].params["out_features"] = 3
    with pytest.raises(ConfigError, match=r"layer 2 \(Linear\).*1 output"):
        Trainer(cfg)


def test_history_memory_is_bounded_for_long_runs():
    from weightstudio.core.history import DecimatingBuffer

    buf = DecimatingBuffer(3, capacity=16)
    for step in range(1000):
        buf.append(step, np.full(3, step, np.float32))
    keys = buf.keys()
    assert len(keys) <= 17 and keys[0] == 0 and keys[-1] == 999
    assert np.all(np.diff(keys[:-1]) == buf.stride)  # evenly spaced after decimation
    assert np.array_equal(buf.rows()[:, 0], keys)


def test_large_net_samples_weights_and_keeps_memory_small():
    from weightstudio.core.config import RunConfig, TrainSettings
    from weightstudio.core.spec import linear_stack

    cfg = RunConfig(linear_stack([784, 128, 64, 10]), {"source": "blobs"}, TrainSettings())
    from weightstudio.core.builder import param_table
    from weightstudio.core.history import History

    h = History(param_table(cfg.model), steps_per_epoch=100)
    assert h.sampled and 1000 <= h.n_traced <= 4000
    labels = h.trace_labels()
    assert labels[0].startswith("0.weight[") and len(labels) == h.n_traced


def test_core_and_the_package_do_not_import_qt():
    """Every module of weightstudio.core, and `import weightstudio` (what a training script that records does),
    load without PySide6, shiboken6 or pyqtgraph."""
    core = sorted(p.stem for p in (Path(weightstudio.__file__).parent / "core").glob("*.py") if p.stem != "__init__")
    assert {"engine", "remote", "training_process", "control", "data", "history", "studio"} <= set(core)
    code = ("import sys, importlib, weightstudio\n"
            f"for m in {core!r}: importlib.import_module('weightstudio.core.' + m)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_paced_run_spaces_its_steps_and_max_does_not_wait(monkeypatch):
    """The pace is kept by the loop itself (a fake clock: no wall-clock assertion)."""
    import weightstudio.core.engine as engine

    clock = {"now": 100.0}
    starts = []
    monkeypatch.setattr(engine.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(engine.time, "sleep", lambda s: clock.__setitem__("now", clock["now"] + s))
    trainer = Trainer(get_preset("quadratic-1-10-1").config().with_train(epochs=10))
    step = trainer._train_step

    def timed_step(x, y):
        starts.append(clock["now"])
        return step(x, y)

    trainer._train_step = timed_step
    control = Control()
    control.set_pace(4.0)
    assert trainer.run(control) == "finished"
    np.testing.assert_allclose(np.diff(starts), 0.25)

    starts.clear()
    trainer.reset()
    control = Control()
    control.set_pace(0)
    trainer.config.train.epochs = 5
    assert trainer.run(control) == "finished" and len(set(starts)) == 1  # max: never slept


def test_a_history_that_would_not_fit_in_memory_is_refused_before_the_first_step():
    from weightstudio.core.budget import check_memory, history_need

    trainer = Trainer(get_preset("digits-mlp").config().with_train(epochs=3))
    need = history_need(trainer.history, 3)
    assert need > 3 * trainer.history.total_weights * 8  # three snapshots of every weight and gradient at least
    h = trainer.history
    budgets = sum(b.capacity * (b.row_len * b.dtype.itemsize + 8) for b in (h.steps, h.traces, h.snapshots, h.epochs))
    assert history_need(h, 10**9) == budgets  # however long the run, never more than the tiers' budgets
    check_memory(trainer.history, 3, available=need)
    with pytest.raises(ConfigError, match=r"train.epochs: the history of 3 epochs needs .* MiB available"):
        check_memory(trainer.history, 3, available=need - 1)
