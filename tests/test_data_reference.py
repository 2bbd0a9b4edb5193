"""A run folder refers to training data read from files (data.json: spec, seed, sizes, content hash) instead of
holding a copy; data that cannot be found again (generated sets, hand-built ones) still goes into data.npz."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.test_data import write_mnist
from weightstudio import cli
from weightstudio.core.assemble import assemble
from weightstudio.core.data import Dataset, load_dataset
from weightstudio.core.engine import Trainer
from weightstudio.core.io import dataset_digest, load_npz, save_run
from weightstudio.core.presets import get_preset
from weightstudio.core.run_folder import open_run


def npz_source(folder, seed=0, n=60):
    rng = np.random.default_rng(seed)
    path = folder / "points.npz"
    np.savez(path, x=rng.normal(size=(n, 3)).astype(np.float32), y=rng.integers(0, 3, n))
    return path


def file_run(tmp_path, epochs=3):
    """A run of a small classifier on data read from an .npz file, saved to tmp_path / "run"."""
    cfg = get_preset("digits-mlp").config()
    cfg.data = {"source": "npz", "path": str(npz_source(tmp_path)), "val_fraction": 0.25}
    cfg.train.epochs, cfg.train.batch_size = epochs, 16
    dataset = load_dataset(cfg.data, cfg.train.seed)
    cfg = assemble(cfg, dataset).config  # 3 inputs, 3 classes, as the window and the CLI make it
    trainer = Trainer(cfg, dataset)
    trainer.run()
    return save_run(tmp_path / "run", cfg, trainer.history, trainer.dataset), cfg, trainer


def assert_same_data(a: Dataset, b: Dataset):
    for name in ("x_train", "y_train", "x_val", "y_val"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name
    assert a.class_names == b.class_names


def test_data_read_from_a_file_is_referred_to_and_found_again_exactly(tmp_path):
    folder, _, trainer = file_run(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["data.json", "history.npz", "metrics.csv", "run.json"]
    ref = json.loads((folder / "data.json").read_text())
    assert ref["spec"]["path"] == str((tmp_path / "points.npz").resolve())
    assert (ref["n_train"], ref["n_val"]) == (45, 15)
    assert ref["sha256"] == dataset_digest(trainer.dataset)

    run = open_run(folder)
    assert run.data_problem == ""
    assert_same_data(run.dataset, trainer.dataset)
    assert run.history.steps_per_epoch == trainer.steps_per_epoch == 3
    np.testing.assert_array_equal(run.history.trace_data()[1], trainer.history.trace_data()[1])
    assert run.can_predict
    params = run.history.snapshot(-1).params
    assert run.predict(params, run.dataset.x_val).shape == (15, 3)


def test_a_run_reproduced_from_a_referring_folder_is_bit_for_bit_the_same(tmp_path):
    folder, _, trainer = file_run(tmp_path)
    run = open_run(folder)
    again = Trainer(run.config, run.dataset)
    again.run()
    np.testing.assert_array_equal(again.history.trace_data()[1], trainer.history.trace_data()[1])
    np.testing.assert_array_equal(again.history.step_data()["loss"], trainer.history.step_data()["loss"])


def test_generated_data_is_still_copied_into_data_npz(tmp_path):
    cfg = get_preset("quadratic-1-10-1").config()
    cfg.train.epochs = 2
    trainer = Trainer(cfg)
    trainer.run()
    assert trainer.dataset.origin is None
    save_run(tmp_path, cfg, trainer.history, trainer.dataset)
    assert (tmp_path / "data.npz").is_file() and not (tmp_path / "data.json").exists()
    np.testing.assert_array_equal(load_npz(tmp_path / "data.npz")["x_train"], trainer.dataset.x_train)
    assert_same_data(open_run(tmp_path).dataset, trainer.dataset)


def test_changed_or_moved_data_opens_the_run_without_data_and_says_why(tmp_path):
    folder, _, trainer = file_run(tmp_path)
    npz_source(tmp_path, seed=1)  # same file name, other numbers
    run = open_run(folder)
    assert run.dataset is None and not run.can_predict
    assert run.data_problem == (f"{folder / 'data.json'}: the training data at {(tmp_path / 'points.npz').resolve()} "
                                "has changed since this run was recorded (its content hash differs)")
    assert len(run.history.trace_data()[0]) == trainer.step + 1  # the history is all there
    assert run.history.steps_per_epoch == 3

    (tmp_path / "points.npz").unlink()
    run = open_run(folder)
    assert run.dataset is None
    assert "the training data it refers to cannot be read again" in run.data_problem
    assert "no such file" in run.data_problem and "\n" not in run.data_problem


def test_saving_again_replaces_the_other_kind_of_data_file(tmp_path):
    folder, cfg, trainer = file_run(tmp_path)
    copy = Dataset(**{k: getattr(trainer.dataset, k) for k in
                      ("name", "task", "x_train", "y_train", "x_val", "y_val", "class_names")})
    assert copy.origin is None  # built by hand: nothing to find again
    save_run(folder, cfg, trainer.history, copy)
    assert (folder / "data.npz").is_file() and not (folder / "data.json").exists()
    save_run(folder, cfg, trainer.history, trainer.dataset)
    assert (folder / "data.json").is_file() and not (folder / "data.npz").exists()
    assert_same_data(open_run(folder).dataset, trainer.dataset)


def test_train_on_mnist_files_writes_a_reference_that_reopens_exactly(tmp_path, monkeypatch):
    data = tmp_path / "mnist"
    data.mkdir()
    write_mnist(data, "train", 64)
    monkeypatch.chdir(tmp_path)  # a relative --mnist path: the reference holds the absolute one
    out = tmp_path / "out"
    assert cli.main(["train", "--preset", "digits-mlp", "--mnist", "mnist", "--epochs", "1", "--out", str(out),
                     "--quiet", "--no-figures"]) == 0
    assert not (out / "data.npz").exists()
    ref = json.loads((out / "data.json").read_text())
    assert ref["spec"]["path"] == str(data.resolve()) and ref["bytes"] == 64 * 784 * 4 + 64 * 8
    monkeypatch.chdir("/")
    run = open_run(out)
    assert_same_data(run.dataset, load_dataset({"source": "mnist", "path": str(data), "val_fraction": 0.0}, 0))


@pytest.mark.parametrize("text", ["not json", '{"format": "other", "spec": {}, "seed": 0, "sha256": ""}'])
def test_an_unreadable_reference_is_named_in_one_line(tmp_path, text):
    folder, _, _ = file_run(tmp_path, epochs=1)
    (folder / "data.json").write_text(text)
    from weightstudio.core.run_folder import RunFolderError

    with pytest.raises(RunFolderError, match=r"data\.json: not a readable data reference"):
        open_run(folder)


def test_the_views_say_a_run_has_no_data_when_its_files_are_gone(tmp_path, qtbot):
    from weightstudio.gui.views import ActivationsView
    from weightstudio.gui.views.fit import FitView

    folder, _, _ = file_run(tmp_path, epochs=1)
    (tmp_path / "points.npz").unlink()
    run = open_run(folder)
    fit, acts = FitView(), ActivationsView()
    for view in (fit, acts):
        qtbot.addWidget(view)
        view.set_run(run)  # neither raises for want of data
        view.refresh(force=True)
    assert "training data" in fit._message and "cannot be found" in fit._message
    assert acts._probe is None
