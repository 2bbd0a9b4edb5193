"""More faults in run folders (docs/reliability.md): a damaged data.npz opens the run without its data, named in
RunData.problems; the stale-lock warning of record() speaks the user's language and names the user's line."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
from torch import nn

import weightstudio
from weightstudio import cli
from weightstudio.core.run_data import RunData
from weightstudio.core.run_folder import open_run
from weightstudio.core.writer_lock import LOCK_FILE
from weightstudio.gui.views import FitView


@pytest.fixture(scope="module")
def train_folder(tmp_path_factory):
    """A finished `weightstudio train --out` folder (mini-batches: several steps an epoch) with its generated data
    copied into data.npz."""
    folder = tmp_path_factory.mktemp("train") / "quadratic"
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--epochs", "3", "--batch-size", "16", "--out",
                     str(folder), "--no-figures", "--quiet"]) == 0
    assert (folder / "data.npz").is_file()
    return folder


def damaged(train_folder, tmp_path, how: str):
    import shutil

    folder = tmp_path / how
    shutil.copytree(train_folder, folder)
    path = folder / "data.npz"
    if how == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif how == "garbage":
        path.write_bytes(b"not an npz at all")
    else:  # a whole npz without the arrays a data set needs
        np.savez(path, x_train=np.zeros((4, 1), np.float32))
    return folder


@pytest.mark.parametrize("how", ["truncated", "garbage", "missing-arrays"])
def test_a_damaged_data_npz_is_named_and_the_run_opens_without_its_data(train_folder, tmp_path, how):
    whole = open_run(train_folder)
    folder = damaged(train_folder, tmp_path, how)
    run = open_run(folder)
    assert isinstance(run, RunData) and run.dataset is None and not run.can_predict
    assert len(run.problems) == 1 and run.problems[0].startswith(str(folder / "data.npz"))
    assert run.problems[0].endswith("the run opens without its training data") and "\n" not in run.problems[0]
    assert run.data_problem == ""
    # the history is all there, its epochs as long as they were
    h, w = run.history, whole.history
    assert h.steps_per_epoch == w.steps_per_epoch > 1
    np.testing.assert_array_equal(h.snapshot_steps(), w.snapshot_steps())
    for key in ("step", "loss", "grad_norm"):
        np.testing.assert_array_equal(h.step_data()[key], w.step_data()[key])
    np.testing.assert_array_equal(h.epoch_data()["epoch"], [1, 2, 3])
    assert h.epoch_of_step(int(h.snapshot_steps()[-1])) == 3
    with pytest.raises(ValueError):
        run.predict(h.snapshot(0).params, np.zeros((1, 1), np.float32))


def test_the_fit_view_of_a_run_whose_data_npz_is_damaged_says_it_has_no_data(qtbot, train_folder, tmp_path):
    run = open_run(damaged(train_folder, tmp_path, "garbage"))
    view = FitView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_run(run)
    assert view.refresh(force=True)
    assert view.fit_mode is None and "no data" in view.plot.titleLabel.text and "No fit to draw" in view.message()


def test_the_stale_lock_warning_of_record_is_translated_and_names_the_callers_line(tmp_path, monkeypatch):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    folder = tmp_path / "run"
    folder.mkdir()
    holder = {"pid": int(dead.stdout), "host": "elsewhere", "what": "weightstudio train",
              "started": "2026-12-01T10:00:00+0000"}
    (folder / LOCK_FILE).write_text(json.dumps(holder))
    monkeypatch.setenv("WEIGHTSTUDIO_LANG", "zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec = weightstudio.record(nn.Linear(2, 1), folder)
    rec.close()
    (w,) = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    text = str(w.message)
    assert text.startswith(f"weightstudio.record：{folder}：接管了遗留的 {LOCK_FILE}")
    assert "已不在运行" in text
    assert w.filename == __file__  # the user's call, not the package's wrapper

    monkeypatch.setenv("WEIGHTSTUDIO_LANG", "en")
    (folder / LOCK_FILE).write_text(json.dumps({"pid": int(dead.stdout), "host": "elsewhere", "what": "x"}))
    with pytest.warns(RuntimeWarning, match=rf"^weightstudio.record: {folder}: took over a stale {LOCK_FILE} "):
        weightstudio.record(nn.Linear(2, 1), folder, overwrite=True).close()
