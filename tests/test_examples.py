"""examples/ as runnable docs: each script runs (small sizes, from argv) the way a user runs it, and writes the
run folder it says it writes; the DDP one under torchrun with two CPU processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from weightstudio.core.run_folder import open_run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(*args, timeout=300):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    r = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                       cwd=ROOT, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout


def test_every_example_is_run_by_a_test():
    assert {p.name for p in EXAMPLES.glob("*.py")} == {
        "record_linear_5x1.py", "record_quadratic_fit.py", "record_cnn.py", "record_ddp.py"}


def test_the_5x1_linear_seed_script_recorded(tmp_path):
    out = run_example(EXAMPLES / "record_linear_5x1.py", "--out", tmp_path / "lin", "--epochs", "12")
    assert "weights_history [13, 1, 5]" in out
    run = open_run(tmp_path / "lin")
    assert run.history.names == ["linear.weight", "linear.bias"]
    assert len(run.history.epoch_data()["epoch"]) == 12 and run.history.steps_per_epoch == 1


def test_the_quadratic_fit_seed_script_recorded(tmp_path):
    run_example(EXAMPLES / "record_quadratic_fit.py", "--out", tmp_path / "quad", "--steps", "30")
    run = open_run(tmp_path / "quad")
    h = run.history
    assert h.names == ["hidden.weight", "hidden.bias", "predict.weight", "predict.bias"] and h.n_traced == 31
    loss = h.step_data()["loss"]
    assert len(loss) == 30 and loss[-1] < loss[0]
    assert json.loads((tmp_path / "quad" / "run.json").read_text())["optimizer"]["param_groups"][0]["lr"] == 0.2


def test_the_cnn_example_records_conv_and_batch_norm_parameters(tmp_path):
    run_example(EXAMPLES / "record_cnn.py", "--out", tmp_path / "cnn", "--steps", "4", "--batch", "4",
                "--size", "8")
    run = open_run(tmp_path / "cnn")
    h = run.history
    assert h.shapes["layer2.0.conv1.weight"] == (32, 16, 3, 3) and "layer2.0.downsample.1.weight" in h.names
    assert h.sampled and run.classification and len(h.epoch_data()["epoch"]) == 4
    assert np.isfinite(h.step_data()["grad_norm"]).all()


def test_torchrun_with_two_ranks_writes_one_folder_from_rank_0_under_the_inner_names(tmp_path):
    out = run_example("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                      EXAMPLES / "record_ddp.py", "--out", tmp_path / "ddp", "--steps", "12", timeout=600)
    ranks = dict(re.findall(r"rank (\d) pid (\d+): recording", out))
    assert list(ranks) == ["0"] and "rank 1 pid" in out and "not recording" in out
    assert [p.name for p in tmp_path.iterdir()] == ["ddp"]
    m = json.loads((tmp_path / "ddp" / "run.json").read_text())
    assert m["recorded_by"]["pid"] == int(ranks["0"])
    assert m["distributed"]["world_size"] == 2 and m["model"]["wrapped_in"] == ["DistributedDataParallel"]
    run = open_run(tmp_path / "ddp")
    assert run.history.names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert run.history.step_data()["step"].tolist() == list(range(1, 13)) and run.history.status == "finished"
