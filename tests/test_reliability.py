"""Faults injected into run writing and reading (issue 16; docs/reliability.md lists each one and what the user
sees): two writers on one folder, stale locks, damaged chunks and files, a writer killed at any moment, a full
disk while recording, a followed folder that vanishes, and a fuzzed run-folder reader with its corpus."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import weightstudio
from weightstudio import cli
from weightstudio.core import run_log
from weightstudio.core.config import ConfigError, RunConfig
from weightstudio.core.run_data import RunData
from weightstudio.core.run_folder import GONE_MESSAGE, RunFolderError, open_run
from weightstudio.core.run_log import RecordError
from weightstudio.core.writer_lock import LOCK_FILE, FolderLockedError, acquire_writer_lock

from helpers import recorded_mse_steps

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "fuzz_corpus" / "runfolder"


def small_loop(folder, steps=30, epoch_every=10, **options):
    """A deterministic recorded loop; returns the losses it recorded."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    x = torch.randn(16, 2)
    y = x.sum(1, keepdim=True)
    with weightstudio.record(model, folder, opt, **options) as rec:
        return recorded_mse_steps(model, opt, x, y, rec, steps,
                                  lambda i: rec.epoch() if (i + 1) % epoch_every == 0 else None)


# --- one writer per folder -----------------------------------------------------------------------------------

def test_a_second_writer_is_refused_naming_the_first_and_readers_never_lock(tmp_path, start_recording_writer,
                                                                            capsys):
    folder = tmp_path / "live"
    writer = start_recording_writer(folder)
    assert writer.stdout.readline().strip() == "recording"
    holder = json.loads((folder / LOCK_FILE).read_text())
    assert holder["pid"] == writer.pid and holder["what"] == "weightstudio.record"

    with pytest.raises(FolderLockedError, match=rf"{folder}: another process is writing .*pid {writer.pid}"):
        weightstudio.record(nn.Linear(2, 1), folder, overwrite=True)
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--epochs", "1", "--out", str(folder),
                     "--no-figures", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"pid {writer.pid}" in err[0] and "another process is writing" in err[0]
    assert not (folder / "history.npz").exists()  # the refused train wrote nothing

    run = open_run(folder)  # a reader opens and follows while the writer holds the lock
    assert run.follow().following and json.loads((folder / LOCK_FILE).read_text())["pid"] == writer.pid

    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    with pytest.warns(RuntimeWarning, match=rf"took over a stale {LOCK_FILE} \(weightstudio.record, pid "
                                            rf"{writer.pid} .*no longer running\)"):
        rec = weightstudio.record(nn.Linear(2, 1), folder, overwrite=True)
    assert json.loads((folder / LOCK_FILE).read_text())["pid"] == os.getpid()
    rec.close()
    assert not (folder / LOCK_FILE).exists()


def test_two_writers_in_one_process_and_a_lock_released_by_every_way_out(tmp_path):
    folder = tmp_path / "run"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a fresh folder: no takeover to warn about
        rec = weightstudio.record(nn.Linear(2, 1), folder)
    with pytest.raises(FolderLockedError, match=rf"this process is already writing .*weightstudio.record, pid "
                                                rf"{os.getpid()} .*close\(\) that writer first"):
        weightstudio.record(nn.Linear(2, 1), folder, overwrite=True)
    rec.step(loss=1.0)
    rec.close()
    assert not (folder / LOCK_FILE).exists()
    with pytest.raises(FileExistsError):  # refused after locking: the lock goes with the refusal
        weightstudio.record(nn.Linear(2, 1), folder)
    assert not (folder / LOCK_FILE).exists()
    lock = acquire_writer_lock(folder, "a test")  # and the folder can be locked again
    lock.release()
    lock.release()  # idempotent
    assert not lock.held and not (folder / LOCK_FILE).exists()


def test_a_lock_file_left_by_a_dead_writer_is_taken_over_saying_whose_it_was(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    (folder / LOCK_FILE).write_text(json.dumps({"pid": pid, "host": "elsewhere", "what": "weightstudio train",
                                                "started": "2026-12-01T10:00:00+0000"}))
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--epochs", "1", "--out", str(folder),
                     "--no-figures", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"took over a stale {LOCK_FILE} (weightstudio train, pid {pid} on elsewhere" in err
    assert isinstance(open_run(folder), RunData) and not (folder / LOCK_FILE).exists()
    (folder / LOCK_FILE).write_bytes(b"\xff not json")  # unreadable text: still a lock nobody holds
    lock = acquire_writer_lock(folder, "a test")
    assert "a writer that did not say who it is" in lock.took_over
    lock.release()


def test_compare_is_refused_while_its_out_folder_is_being_written(tmp_path, capsys):
    out = tmp_path / "cmp"
    lock = acquire_writer_lock(out, "weightstudio train")
    try:
        assert cli.main(["compare", "--preset", "quadratic-1-10-1", "--vary", "lr=0.1,0.2", "--epochs", "1",
                         "--out", str(out), "--no-figures", "--quiet"]) == 2
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--out {out}: this process is already writing this run folder" in err
    assert sorted(p.name for p in out.iterdir()) == []  # no run folder, no summary


# --- damaged files are named and skipped ---------------------------------------------------------------------

def chunk_steps(path: Path) -> list[int]:
    with np.load(path, allow_pickle=False) as z:
        return z["steps.keys"].tolist() if "steps.keys" in z.files else []


def test_a_truncated_or_corrupt_chunk_is_named_and_skipped(tmp_path):
    folder = tmp_path / "run"
    losses = small_loop(folder, steps=30, epoch_every=10)
    chunks = sorted((folder / "log").glob("*.npz"))
    with_steps = [c for c in chunks if chunk_steps(c)]
    assert len(with_steps) >= 2
    torn, garbled = with_steps[0], with_steps[-1]
    lost = set(chunk_steps(torn)) | set(chunk_steps(garbled))
    torn.write_bytes(torn.read_bytes()[: torn.stat().st_size // 2])
    garbled.write_bytes(b"PK\x03\x04" + os.urandom(200))

    run = open_run(folder)
    assert len(run.problems) == 2 and all(p.endswith("skipped") for p in run.problems)
    assert str(torn) in run.problems[0] and str(garbled) in run.problems[1]
    steps = run.history.step_data()
    kept = [s for s in range(1, 31) if s not in lost]
    assert steps["step"].tolist() == kept
    np.testing.assert_allclose(steps["loss"], [losses[s - 1] for s in kept], rtol=1e-6)

    chunks[0].write_bytes(b"")  # the initial state: the epochs' snapshots still give the views something to draw
    assert str(chunks[0]) in open_run(folder).problems[0]

    only = tmp_path / "only"
    weightstudio.record(nn.Linear(2, 1), only).close()  # no steps: chunk 0 holds every snapshot there is
    assert [p.name for p in (only / "log").glob("*.npz")] == ["00000000.npz"]
    (only / "log" / "00000000.npz").write_bytes(b"PK\x03\x04 torn")
    with pytest.raises(RunFolderError, match=r"00000000.npz: the initial state cannot be read"):
        open_run(only)


def test_a_chunk_unlike_the_manifest_is_named_and_the_follower_goes_on(tmp_path):
    folder = tmp_path / "run"
    small_loop(folder, steps=10, epoch_every=10)
    (folder / "history.npz").unlink()
    run = open_run(folder)
    follower = run.follow()
    assert run.problems == []
    n = len(list((folder / "log").glob("*.npz")))
    bad = folder / "log" / run_log.chunk_name(n)
    np.savez(bad, **{"traces.keys": np.array([11]), "traces.rows": np.zeros((1, 3), np.float32)})  # wrong width
    good = folder / "log" / run_log.chunk_name(n + 1)
    np.savez(good, **{"steps.keys": np.array([11]), "steps.rows": np.full((1, 4 + 4), 0.5)})
    follower.reader.next = n
    assert follower.poll()
    assert len(run.problems) == 1 and str(bad) in run.problems[0] and "does not match" in run.problems[0]
    assert run.history.step_data()["step"][-1] == 11


def train_folder(folder: Path) -> Path:
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--epochs", "3", "--out", str(folder),
                     "--no-figures", "--quiet"]) == 0
    return folder


def test_a_torn_metrics_or_status_file_is_named_and_the_rest_opens(tmp_path):
    folder = train_folder(tmp_path / "run")
    whole = open_run(folder)
    assert whole.problems == [] and len(whole.history.epoch_data()["epoch"]) == 3
    text = (folder / "metrics.csv").read_text()
    (folder / "metrics.csv").write_text(text[: text.rindex("\n", 0, len(text) - 1) + 5])  # cut inside a row
    (folder / "status.json").write_text('{"status": "fini')
    run = open_run(folder)
    assert [p.split(":")[0] for p in run.problems] == [str(folder / "metrics.csv"), str(folder / "status.json")]
    assert "1 row(s) cut short" in run.problems[0] and "status is left out" in run.problems[1]
    np.testing.assert_array_equal(run.history.epoch_data()["val_loss"], whole.history.epoch_data()["val_loss"][:2])
    np.testing.assert_array_equal(run.history.step_data()["loss"], whole.history.step_data()["loss"])
    assert run.history.snapshot_count() == whole.history.snapshot_count()

    (folder / "history.npz").write_bytes((folder / "history.npz").read_bytes()[:100])
    with pytest.raises(RunFolderError, match=r"history.npz: not a readable .npz"):  # the run itself: nothing to show
        open_run(folder)


# --- a writer killed at any moment ---------------------------------------------------------------------------

KILLED_WRITER = """
import sys, time, torch, weightstudio
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x = torch.randn(16, 2); y = x.sum(1, keepdim=True)
rec = weightstudio.record(model, sys.argv[1], opt, flush_interval=0.05)
for step in range(1, 100000):
    loss = torch.nn.functional.mse_loss(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    rec.step(loss=loss)
    if step % 25 == 0:
        rec.epoch()
    print(step, flush=True)
    time.sleep(0.002)
"""


@pytest.mark.parametrize("kill_after", [1, 24, 25, 160])
def test_a_writer_killed_at_any_moment_leaves_every_step_up_to_its_last_flush(tmp_path, kill_after):
    folder = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(folder)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        for line in proc.stdout:  # the step just recorded
            if int(line) >= kill_after:
                break
        assert proc.poll() is None, "the writer ended before it was killed"
        flushed = json.loads((folder / "status.json").read_text())["steps"]  # what the writer said it had written
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    run = open_run(folder)
    assert run.problems == [] and run.history.status == "stopped" and run.history.message == GONE_MESSAGE
    steps = run.history.step_data()
    n = len(steps["step"])
    assert n >= flushed and steps["step"].tolist() == list(range(1, n + 1))
    expected = small_loop(tmp_path / "again", steps=n, epoch_every=25)  # the same loop, in this process
    np.testing.assert_allclose(steps["loss"], expected, rtol=1e-6)
    epochs = run.history.epoch_data()["epoch"].tolist()
    assert epochs == list(range(1, len(epochs) + 1)) and len(epochs) >= (flushed - 1) // 25
    assert not (folder / "history.npz").exists()


# --- a full disk while recording -----------------------------------------------------------------------------

def test_a_full_disk_while_recording_is_said_and_the_chunks_before_it_open(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    model = nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    rec = weightstudio.record(model, folder, opt, flush_interval=0.05)
    x, y = torch.randn(8, 2), torch.randn(8, 1)

    def train(steps):
        recorded_mse_steps(model, opt, x, y, rec, steps)
        rec.epoch()  # a flush: the writer has it before step() is called again

    train(5)
    while not any("epochs.keys" in np.load(p).files for p in (folder / "log").glob("*.npz")):
        time.sleep(0.01)  # the writer thread has the epoch's chunk on disk
    written = sorted(p.name for p in (folder / "log").glob("*.npz"))
    real_write = run_log.write_npz

    def full_disk(file, arrays):  # the chunk writer, a few bytes into a chunk
        file.write(b"PK\x03\x04")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(run_log, "write_npz", full_disk)
    with pytest.raises(RecordError, match=rf"writing {folder} failed: .*No space left on device"):
        for _ in range(500):  # told at the first flush after the writer failed
            train(1)
            time.sleep(0.01)
    monkeypatch.setattr(run_log, "write_npz", real_write)
    with pytest.raises(RecordError):
        rec.close()
    assert not (folder / LOCK_FILE).exists()  # the folder is free for the next writer
    assert sorted(p.name for p in (folder / "log").glob("*.npz")) == written  # whole, and nothing half-written
    run = open_run(folder)
    assert run.problems == [] and run.history.step_data()["step"].tolist() == [1, 2, 3, 4, 5]


# --- a followed folder that vanishes -------------------------------------------------------------------------

def test_a_followed_folder_that_vanishes_keeps_the_views_data_and_says_so(qtbot, tmp_path, start_recording_writer,
                                                                          monkeypatch):
    from weightstudio.gui.main_window import MainWindow

    monkeypatch.setenv("WEIGHTSTUDIO_TRAINING", "thread")
    window = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    folder = tmp_path / "live"
    writer = start_recording_writer(folder)
    try:
        assert writer.stdout.readline().strip() == "recording"
        window.open_run(folder)
        run = window.model.current
        qtbot.waitUntil(lambda: len(run.history.step_data()["step"]) > 20, timeout=30_000)  # the timer polls
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
    assert window.is_following(run)  # no poll since the kill: the writer is not yet known to be gone
    window.weights_view.refresh(force=True)
    drawn = len(window.weights_view.lines()["0.weight"][0])
    steps = run.history.step_data()["step"].copy()
    shutil.rmtree(folder)
    window._poll_followers()
    assert not window.is_following(run) and window.model.current is run
    assert "the folder is gone; the views keep what was read" in window.state_label.text()
    np.testing.assert_array_equal(run.history.step_data()["step"], steps)
    window.weights_view.refresh(force=True)
    assert len(window.weights_view.lines()["0.weight"][0]) == drawn and drawn > 20
    window.controller.close()


# --- the run-folder reader, fuzzed -----------------------------------------------------------------------------

FUZZ = settings(max_examples=int(os.environ.get("WEIGHTSTUDIO_FUZZ_EXAMPLES", "120")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def base_folders(tmp_path_factory):
    """A folder of each kind, made once: `weightstudio train` (finished) and record() (finished, log kept)."""
    root = tmp_path_factory.mktemp("bases")
    train_folder(root / "train")
    small_loop(root / "recorded", steps=12, epoch_every=4)
    return root


def assert_opens_or_names_the_folder(folder: Path):
    """The property: a RunData (that views can read) or the settings, or one ConfigError naming the folder."""
    try:
        opened = open_run(folder)
    except ConfigError as e:  # RunFolderError, or run.json's own ConfigError
        message = str(e)
        assert str(folder) in message and "\n" not in message, message
        return
    if isinstance(opened, RunConfig):
        return
    h = opened.history
    assert h.snapshot_count() >= 1 and len(h.step_data()["step"]) == len(h.step_data()["loss"])
    h.trace_data()
    h.epoch_data()
    opened.follow().poll()


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
FILES = {"train": ["run.json", "history.npz", "data.npz", "metrics.csv", "status.json"],
         "recorded": ["run.json", "status.json", "metrics.csv", "history.npz", "log/00000000.npz",
                      "log/00000001.npz"]}


@st.composite
def damage(draw):
    kind = draw(st.sampled_from(sorted(FILES)))
    name = draw(st.sampled_from(FILES[kind]))
    how = draw(st.sampled_from(["truncate", "flip", "replace", "json", "delete", "manifest"]))
    return kind, name, how, draw(st.integers(0, 1 << 20)), draw(st.binary(max_size=64)), draw(JSON)


def damaged_copy(base: Path, into: Path, case) -> Path:
    kind, name, how, at, data, doc = case
    folder = into / kind
    shutil.copytree(base / kind, folder)
    path = folder / name
    raw = path.read_bytes()
    if how == "truncate":
        path.write_bytes(raw[: at % (len(raw) + 1)])
    elif how == "flip":
        i = at % max(1, len(raw))
        path.write_bytes(raw[:i] + bytes([raw[i] ^ (1 + at % 255)]) + raw[i + 1:] if raw else b"\x00")
    elif how == "replace":
        path.write_bytes(data)
    elif how == "json":
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif how == "delete":
        path.unlink()
    else:  # one field of the manifest (or of a train folder's run.json) replaced by any JSON value
        manifest = json.loads((folder / "run.json").read_text())
        keys = sorted(manifest)
        manifest[keys[at % len(keys)]] = doc
        (folder / "run.json").write_text(json.dumps(manifest))
    return folder


@FUZZ
@given(case=damage())
def test_the_run_folder_reader_opens_or_names_the_file_for_any_damage(base_folders, case):
    with tempfile.TemporaryDirectory(dir=base_folders) as scratch:
        assert_opens_or_names_the_folder(damaged_copy(base_folders, Path(scratch), case))


def corpus_cases() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda p: p.name)
def test_corpus_run_folder(case, tmp_path):
    folder = tmp_path / case.name
    shutil.copytree(case, folder)
    assert_opens_or_names_the_folder(folder)


# --- the timeline while the snapshot tier thins ----------------------------------------------------------------

def test_the_timeline_keeps_the_shown_moment_when_the_snapshot_tier_thins(qtbot):
    from weightstudio.core.history import History
    from weightstudio.core.run_log import RecordedParam
    from weightstudio.core.studio import StudioModel
    from weightstudio.gui.timeline import TimelineBar

    params = [RecordedParam("weight", (2,), 2, 0, "Linear")]
    history = History(params, 1, snapshot_budget=8 * 2 * 8)  # room for 8 snapshots of 2 weights and 2 gradients
    history.load_tier("snapshots", np.arange(0, 80, 10), np.zeros((8, 4)))  # steps 0, 10, … 70: full
    model = StudioModel()
    model.open(RunData(None, None, history, recording={"name": "thinning"}))
    bar = TimelineBar(model)
    qtbot.addWidget(bar)
    bar.sync()
    bar.slider.setValue(5)  # the user shows step 50
    assert model.shown == 5 and "step 50" in bar.label.text()
    history.load_tier("snapshots", np.array([80]), np.zeros((1, 4)))  # the tier keeps every other one: 0, 20, …
    assert history.snapshot_count() < 6 and 50 not in history.snapshot_steps()
    bar.sync()
    steps = history.snapshot_steps()
    assert steps[model.shown] == 40 and bar.slider.value() == model.shown  # the nearest moment at or before it
    assert "step 40" in bar.label.text()
