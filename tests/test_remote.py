"""Training in a child process: the same results as in-process, steering across processes, a dead child named."""

import os
import signal
import threading
import time

import numpy as np
import pytest
import torch

from weightstudio.core.config import ConfigError
from weightstudio.core.engine import Trainer, choose_threads
from weightstudio.core.history import History
from weightstudio.core.presets import get_preset
from weightstudio.core.remote import RemoteTrainer, TrainingProcessDied


@pytest.fixture(scope="module")
def remote():
    r = RemoteTrainer(live_interval=0.01)
    yield r
    r.close()


def shm_segments(*pids: int) -> set[str]:
    """Our shared-memory segments (named ws_<creator pid>_…), only those of `pids` when given: other test runs on
    the machine have segments of their own."""
    names = {n for n in os.listdir("/dev/shm") if n.startswith("ws_")} if os.path.isdir("/dev/shm") else set()
    return {n for n in names if n.split("_")[1] in {str(p) for p in pids}} if pids else names


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("name", ["quadratic-1-10-1", "digits-cnn"])
def test_child_records_what_an_in_process_trainer_records(remote, name):
    cfg = get_preset(name).config()
    cfg.train.epochs = 5
    remote.load(cfg)
    assert remote.run() == "finished"
    assert (remote.step, remote.epoch) == (5 * remote.steps_per_epoch, 5)

    local = Trainer(get_preset(name).config())
    local.config.train.epochs = 5
    threads = torch.get_num_threads()
    torch.set_num_threads(choose_threads(local.history.total_weights))  # what the child chose: bit-for-bit needs it
    try:
        local.run()
    finally:
        torch.set_num_threads(threads)
    steps, params, _ = remote.history.all_snapshots()
    local_steps, local_params, _ = local.history.all_snapshots()
    np.testing.assert_array_equal(steps, local_steps)
    for key in local_params:
        np.testing.assert_array_equal(params[key], local_params[key])
    np.testing.assert_array_equal(remote.history.epoch_data()["train_loss"], local.history.epoch_data()["train_loss"])
    for key, value in local.state_dict().items():
        torch.testing.assert_close(remote.state_dict()[key], value, rtol=0, atol=0)


def test_pause_step_lr_and_stop_cross_into_the_child(remote):
    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.epochs = 10**9
    remote.load(cfg)
    control = remote.new_control()
    events = []
    result = {}
    worker = threading.Thread(target=lambda: result.update(status=remote.run(control, lambda n, **i: events.append(n))))
    worker.start()
    wait_until(lambda: remote.step > 50)
    control.pause()
    wait_until(lambda: "paused" in events)
    paused_at = remote.step
    time.sleep(0.2)
    assert remote.step == paused_at
    control.step_epochs(3)
    wait_until(lambda: remote.step == paused_at + 3)
    time.sleep(0.2)
    assert remote.step == paused_at + 3  # then paused again
    remote.set_lr(0.01)  # the child is busy: this goes through the control
    control.resume()
    wait_until(lambda: remote.lr == 0.01)
    control.stop()
    worker.join(30)
    assert result["status"] == "stopped"
    assert remote.history.status == "stopped"


def test_a_bad_config_raises_the_engine_error_and_keeps_the_loaded_run(remote):
    remote.load(get_preset("linear-5x1").config())
    loaded = remote.history
    cfg = get_preset("linear-5x1").config()
    cfg.train.batch_size = 0
    with pytest.raises(ConfigError):
        remote.load(cfg)
    assert remote.history is loaded and remote.config.train.batch_size != 0


def test_reset_gives_the_same_initial_weights_and_a_new_history(remote):
    remote.load(get_preset("linear-5x1").config())
    first = remote.history.snapshot(0).params
    remote.run()
    old_segment = remote.history.segment_name
    remote.reset()
    assert remote.step == 0 and remote.history.snapshot_count() == 1
    assert remote.history.segment_name != old_segment and old_segment not in shm_segments()
    for key, value in remote.history.snapshot(0).params.items():
        np.testing.assert_array_equal(value, first[key])


def test_a_killed_child_is_named_and_leaves_nothing_behind():
    before = shm_segments()
    r = RemoteTrainer()
    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.epochs = 10**9
    r.load(cfg)
    result = {}

    def train():
        try:
            r.run()
        except TrainingProcessDied as e:
            result["error"] = str(e)

    worker = threading.Thread(target=train)
    worker.start()
    wait_until(lambda: r.step > 10)
    os.kill(r.pid, signal.SIGKILL)
    worker.join(30)
    assert "ended unexpectedly" in result["error"] and str(-signal.SIGKILL) in result["error"]
    assert not r.alive and r.exitcode == -signal.SIGKILL
    assert r.history.snapshot_count() >= 1  # what was recorded can still be read
    r.close()
    assert shm_segments(os.getpid(), r.pid) <= before


def test_shared_history_reads_the_same_in_another_attachment(remote):
    remote.load(get_preset("simplenet-2-5-1").config())
    remote.run()
    other = History.attach(remote.history.handle(), remote._child.history_lock)
    for a, b in zip(remote.history.all_snapshots(), other.all_snapshots()):
        if isinstance(a, dict):
            for key in a:
                np.testing.assert_array_equal(a[key], b[key])
        else:
            np.testing.assert_array_equal(a, b)
    assert other.status == "finished" and other.version == remote.history.version
