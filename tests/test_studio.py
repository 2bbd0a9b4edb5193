"""The Qt-free model of the studio: assembling a run from model + data + settings, the open runs and the shown
snapshot, run folders opened as documents, and the CLI assembling as the window does."""

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from weightstudio.core.assemble import assemble, check
from weightstudio.core.config import ConfigError
from weightstudio.core.data import load_dataset
from weightstudio.core.io import history_arrays, load_npz
from weightstudio.core.presets import get_preset
from weightstudio.core.run_folder import RunFolderError, open_run
from weightstudio.core.studio import StudioEvent, StudioModel


def three_class_csv(path, n=60, features=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, features))
    labels = np.repeat(["a", "b", "c"], n // 3)
    lines = [",".join(f"f{i}" for i in range(features)) + ",label"]
    lines += [",".join(f"{v:.4f}" for v in row) + f",{lab}" for row, lab in zip(x, labels)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_assemble_fits_output_layer_and_loss_to_new_data_and_says_so(tmp_path):
    cfg = get_preset("digits-mlp").config()
    data = load_dataset({"source": "csv", "path": str(three_class_csv(tmp_path / "three.csv"))}, 0)
    out = assemble(cfg, data)
    assert out.config.model.layers[-1].params["out_features"] == 3
    assert any("3 outputs" in note for note in out.notes)
    assert cfg.model.layers[-1].params["out_features"] == 10  # the given config is not changed

    quad = get_preset("quadratic-1-10-1").config()
    out = assemble(quad.with_train(loss="cross_entropy"), load_dataset(quad.data, 0))
    assert out.config.train.loss == "mse" and any("MSE" in note for note in out.notes)


def test_an_edit_on_the_same_data_is_checked_not_undone():
    cfg = get_preset("quadratic-1-10-1").config()
    data = load_dataset(cfg.data, 0)
    cfg.model.layers[-1].params["out_features"] = 3
    with pytest.raises(ConfigError, match=r"layer 2 \(Linear\).*1 output") as e:
        assemble(cfg, data, new_data=False)
    assert e.value.layer == 2
    with pytest.raises(ConfigError, match="train.loss: cross_entropy needs classification"):
        check(get_preset("quadratic-1-10-1").config().with_train(loss="cross_entropy"), data)


def test_studio_model_holds_runs_current_and_shown_snapshot():
    model = StudioModel()
    seen = []
    for name in StudioEvent:
        model.events.connect(name, lambda name=name, **info: seen.append((name, info)))
    live, opened, live2 = (SimpleNamespace(name=n) for n in ("live", "opened", "live2"))
    model.set_live(live)
    model.open(opened)
    assert model.runs == [live, opened] and model.current is opened
    model.show(3)
    assert model.shown == 3 and seen[-1] == (StudioEvent.SHOWN_CHANGED, {"index": 3})
    model.set_live(live2)  # a rebuild replaces the live run in place and makes it current
    assert model.runs == [live2, opened] and model.current is live2 and model.shown is None
    model.close(live2)  # the live run stays
    model.close(opened)
    assert model.runs == [live2]
    assert [n for n, _ in seen].count(StudioEvent.CURRENT_CHANGED) == 3
    assert model.meta(live2).colour == 0 and model.meta(live2).label == "live2"  # the live slot keeps its colour


def test_kept_runs_stay_with_their_colour_and_group():
    model = StudioModel()
    first, second = SimpleNamespace(name="first"), SimpleNamespace(name="second")
    model.set_live(first)
    assert model.keep_live() is first and model.live is None
    model.set_live(second)  # a duplicate: a new live run in the first one's group
    assert model.runs == [second, first] and model.group_base(second) is first
    assert model.meta(first).group == model.meta(second).group
    assert model.meta(first).colour != model.meta(second).colour
    model.rename(first, "  ")
    assert model.meta(first).label == "first"
    model.set_visible(first, False)
    assert not model.meta(first).visible
    model.close(first)
    assert model.runs == [second]


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "weightstudio", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_cli_trains_digits_mlp_on_a_three_class_csv_as_the_window_does(tmp_path):
    csv = three_class_csv(tmp_path / "three_classes.csv")
    out = tmp_path / "run"
    r = run_cli("train", "--preset", "digits-mlp", "--data", csv, "--epochs", "2", "--out", out, "--no-figures")
    assert r.returncode == 0, r.stderr
    assert "3 outputs" in r.stdout
    run = open_run(out)
    assert run.history.shapes["4.weight"] == (3, 64)


def test_a_train_folder_opens_as_a_document_with_every_tier(tmp_path):
    out = tmp_path / "quad"
    r = run_cli("train", "--preset", "quadratic-1-10-1", "--epochs", "7", "--out", out, "--no-figures", "--quiet")
    assert r.returncode == 0, r.stderr
    run = open_run(out / "run.json")
    assert run.origin == out and run.history.status == "finished"
    assert len(run.history.epoch_data()["epoch"]) == 7
    written, reread = load_npz(out / "history.npz"), history_arrays(run.history)
    assert set(written) == set(reread)
    for key in written:
        np.testing.assert_array_equal(written[key], reread[key], err_msg=key)


def test_a_settings_only_folder_gives_its_config_and_a_broken_one_is_named(tmp_path):
    out = tmp_path / "quad"
    assert run_cli("train", "--preset", "line-2x+1", "--epochs", "2", "--out", out, "--no-figures",
                   "--quiet").returncode == 0
    (out / "history.npz").rename(tmp_path / "elsewhere.npz")
    assert open_run(out).name == "line-2x+1"
    (out / "history.npz").write_bytes(b"not a zip")
    with pytest.raises(RunFolderError, match="history.npz"):
        open_run(out)
    with pytest.raises(RunFolderError, match="not a run folder"):
        open_run(tmp_path)


def test_open_refuses_a_missing_run_folder_in_one_line(tmp_path):
    r = run_cli("open", tmp_path / "nope")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "nope" in r.stderr and "Traceback" not in r.stderr
