"""The engine records a step into pending rows and hands them to the History in blocks (core/pending.py): the
History must hold what recording each step on its own gave, and be complete whenever someone looks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from weightstudio.core.control import Control
from weightstudio.core.engine import Trainer
from weightstudio.core.history import DecimatingBuffer
from weightstudio.core.presets import get_preset
from weightstudio.core.stats import UpdateRatios, ratios_of_rows


@settings(max_examples=200, deadline=None)
@given(capacity=st.integers(1, 9), blocks=st.lists(st.integers(1, 40), max_size=12))
def test_extend_keeps_what_appending_row_by_row_keeps(capacity, blocks):
    total = sum(blocks)
    keys = np.arange(total) * 3
    rows = np.stack([keys, -keys], 1).astype(np.float32).reshape(total, 2)
    one, block = DecimatingBuffer(2, capacity), DecimatingBuffer(2, capacity)
    for k, r in zip(keys, rows):
        one.append(int(k), r)
    start = 0
    for n in blocks:
        block.extend(keys[start:start + n], rows[start:start + n])
        start += n
    assert block.keys().tolist() == one.keys().tolist()
    np.testing.assert_array_equal(block.rows(), one.rows())
    assert list(block._counters) == list(one._counters)  # size, stride, offered, latest, high water alike


def test_update_ratios_of_a_block_are_those_of_each_step():
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(30, 7)).astype(np.float32)
    rows[:4, 5:] = 0  # a zero-initialised bias: NaN until its norm is not 0
    sizes = [5, 2]
    each, block = UpdateRatios(sizes), UpdateRatios(sizes)
    first = np.zeros(7, np.float32)
    each.start(first)
    block.start(first)
    expected = np.stack([each(prev, cur) for prev, cur in zip(np.vstack([first, rows[:-1]]), rows)])
    got = np.vstack([block.of_rows(first, rows[:11]), block.of_rows(rows[10], rows[11:])])
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert np.isnan(got[:5, 1]).all() and np.isfinite(got[5:]).all()


def hand_recorded(cfg, epochs):
    """The same run as a plain loop recording by hand after each optimizer step: every weight, the loss, the
    accuracy, each parameter's gradient norm; and the weights and gradients at each epoch's end."""
    ref = Trainer(cfg)  # the same initial weights, data, batches and optimizer
    params = list(ref.model.parameters())

    def flat(tensors):
        return torch.cat([t.detach().reshape(-1) for t in tensors]).numpy().copy()

    out = {"traced": [flat(params)], "loss": [], "acc": [], "norm": [], "epoch_params": [], "epoch_grads": []}
    for _ in range(epochs):
        for x, y in ref._batches():
            o = ref.model(x)
            loss = ref._loss(o, y)
            ref.optimizer.zero_grad(set_to_none=False)
            loss.backward()
            ref.optimizer.step()
            out["traced"].append(flat(params))
            out["loss"].append(loss.item())
            out["acc"].append(ref.loss.accuracy(o, y).item() if ref.classification else math.nan)
            out["norm"].append([p.grad.norm().item() for p in params])
        out["epoch_params"].append(flat(params))
        out["epoch_grads"].append(flat(p.grad for p in params))
    return {k: np.array(v) for k, v in out.items()}, ref.steps_per_epoch


@pytest.mark.parametrize("preset, epochs", [("quadratic-1-10-1", 60), ("digits-mlp", 2)])
def test_the_history_holds_what_a_loop_recorded_by_hand(preset, epochs):
    cfg = get_preset(preset).config().with_train(epochs=epochs)  # full batch (an epoch a step); minibatches
    trainer = Trainer(cfg)
    assert trainer.run() == "finished"
    ref, spe = hand_recorded(cfg, epochs)
    h = trainer.history
    steps = epochs * spe
    keys, traced = h.trace_data()
    assert keys.tolist() == list(range(steps + 1))
    np.testing.assert_array_equal(traced, ref["traced"])
    s = h.step_data()
    assert s["step"].tolist() == list(range(1, steps + 1))
    np.testing.assert_array_equal(s["loss"], ref["loss"])
    np.testing.assert_array_equal(s["accuracy"], ref["acc"])
    np.testing.assert_array_equal(s["lr"], cfg.train.lr)
    np.testing.assert_allclose(s["epoch"], np.arange(1, steps + 1) / spe, rtol=1e-12)
    np.testing.assert_allclose(s["grad_norm"], ref["norm"], rtol=1e-6)
    sizes = [p.count for p in h.params]
    pick = trainer._pick
    values = ref["traced"] if pick is None else ref["traced"][:, pick]
    np.testing.assert_allclose(h.update_data()[1], ratios_of_rows(values, trainer._ratios.sizes), rtol=1e-9)
    assert len(sizes) == h.update_data()[1].shape[1]
    e = h.epoch_data()
    assert e["epoch"].tolist() == list(range(1, epochs + 1)) and e["step"].tolist() == [spe * (i + 1)
                                                                                          for i in range(epochs)]
    np.testing.assert_array_equal(e["train_loss"], [np.mean(ref["loss"][i * spe:(i + 1) * spe])
                                                    for i in range(epochs)])
    snap_steps, snap_params, snap_grads = h.all_snapshots()
    assert snap_steps.tolist() == [0] + [spe * (i + 1) for i in range(epochs)]
    got = np.concatenate([snap_params[n].reshape(len(snap_steps), -1) for n in h.names], axis=1)
    np.testing.assert_array_equal(got[1:], ref["epoch_params"])
    grads = np.concatenate([snap_grads[n].reshape(len(snap_steps), -1) for n in h.names], axis=1)
    np.testing.assert_array_equal(grads[1:], ref["epoch_grads"])


def test_every_epoch_is_in_the_history_when_progress_and_events_hear_of_it():
    cfg = get_preset("quadratic-1-10-1").config().with_train(epochs=25)
    trainer = Trainer(cfg)
    seen = []

    def progress(epoch):
        e = trainer.history.epoch_data()
        seen.append((epoch, len(e["epoch"]), len(trainer.history.step_data()["step"]), trainer.history.snapshot_count()))

    def events(name, **info):
        if name == "epoch_finished":
            assert len(trainer.history.epoch_data()["epoch"]) == info["epoch"]

    trainer.run(events=events, progress=progress)
    assert seen == [(i, i, i, i + 1) for i in range(1, 26)]


def test_a_pause_hands_every_step_over_before_it_waits():
    cfg = get_preset("digits-mlp").config().with_train(epochs=1)
    trainer = Trainer(cfg)
    control = Control()
    seen = {}

    def events(name, **info):
        if name == "paused":
            seen["steps"] = len(trainer.history.step_data()["step"])
            seen["at"] = trainer.step
            control.stop()

    real = trainer._train_step

    def step_then_pause(x, y):
        out = real(x, y)
        if trainer.step == 7:
            control.pause()
        return out

    trainer._train_step = step_then_pause
    assert trainer.run(control, events) == "stopped"
    assert seen == {"steps": 7, "at": 7}
    assert len(trainer.history.trace_data()[0]) == 8
