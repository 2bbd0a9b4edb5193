"""Tests for weightstudio.core.io and core.atomic: run.json refusals, atomic writes, a full disk."""

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from weightstudio.core import atomic, io
from weightstudio.core.atomic import WriteError, atomic_files, atomic_write
from weightstudio.core.config import ConfigError
from weightstudio.core.data import Dataset
from weightstudio.core.io import load_run_config, save_data_npz, save_run, write_json
from weightstudio.core.presets import get_preset


def a_config_file(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "run.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_run_config(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    return message


# --- run.json ---------------------------------------------------------------------------------------------

def test_run_json_nested_100000_levels_is_a_config_error_not_a_recursion_error(tmp_path):
    path = a_config_file(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "nested more than 64 levels" in refusal(path)
    path = a_config_file(tmp_path, '{"a":' * 100_000 + "1" + "}" * 100_000)
    assert "nested more than 64 levels" in refusal(path)


def test_run_json_nested_within_the_parser_but_beyond_reason(tmp_path):
    config = get_preset("linear-5x1").config().to_dict()
    deep = 1
    for _ in range(200):
        deep = [deep]
    config["data"]["deep"] = deep
    assert "nested more than 64 levels" in refusal(a_config_file(tmp_path, json.dumps(config)))


@pytest.mark.parametrize("text, expected", [
    (b'{"model": \xff}', "cannot read it"),  # not UTF-8
    ("{\"model\": " + "9" * 5000 + "}", "not valid JSON"),  # beyond Python's 4,300-digit limit
    ('{"model": [1, 2', "not valid JSON (line 1"),
    ("", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
])
def test_run_json_that_json_cannot_parse_or_is_not_a_config(tmp_path, text, expected):
    assert expected in refusal(a_config_file(tmp_path, text))


def test_run_json_wrong_types_inside_the_model_are_config_errors(tmp_path):
    config = get_preset("linear-5x1").config().to_dict()
    config["model"]["layers"][0]["weight_init"] = [["a", "b", "c"]]  # dict() of this is a ValueError
    assert "invalid run configuration" in refusal(a_config_file(tmp_path, json.dumps(config)))
    config = get_preset("linear-5x1").config().to_dict()
    config["train"]["lr"] = 10**400  # math.isfinite() of it is an OverflowError
    refusal(a_config_file(tmp_path, json.dumps(config)))
    config["train"] = {"a\nb": 1}  # a key with a newline, quoted in the message
    assert "a b" in refusal(a_config_file(tmp_path, json.dumps(config)))


def test_run_json_with_a_byte_order_mark_loads(tmp_path):
    config = get_preset("linear-5x1").config()
    path = a_config_file(tmp_path, b"\xef\xbb\xbf" + json.dumps(config.to_dict()).encode())
    assert load_run_config(path).to_dict() == config.to_dict()


def test_run_json_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = a_config_file(tmp_path, "{}")
    monkeypatch.setattr(io, "_MAX_CONFIG_BYTES", 1)
    assert "too large" in refusal(path)


# --- atomic writes ----------------------------------------------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_the_file_whole(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    with atomic_write(path) as f:
        f.write(b"new")
        assert path.read_bytes() == b"old"  # nothing shows until the block ends
    assert path.read_bytes() == b"new" and leftovers(tmp_path) == []
    assert path.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_json(link, {"a": 1})
    assert link.is_symlink() and json.loads(real.read_text()) == {"a": 1}


def test_an_exception_mid_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("old")
    with pytest.raises(KeyError):
        with atomic_write(path, "w", encoding="utf-8") as f:
            f.write("half a fi")
            raise KeyError("the writer failed")
    assert path.read_text() == "old" and leftovers(tmp_path) == []


def test_a_full_disk_is_a_one_line_write_error_naming_the_file(tmp_path, monkeypatch):
    path = tmp_path / "history.npz"
    path.write_bytes(b"old history")

    def full_disk(file, **arrays):
        file.write(b"PK\x03\x04 a few bytes")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(io.np, "savez_compressed", full_disk)
    with pytest.raises(WriteError) as err:
        save_data_npz(path, tiny_dataset())
    message = str(err.value)
    assert message.startswith(f"{path}: cannot write it (No space left on device)") and "\n" not in message
    assert err.value.errno == errno.ENOSPC and isinstance(err.value, OSError)
    assert path.read_bytes() == b"old history" and leftovers(tmp_path) == []


def test_a_full_disk_at_fsync_or_rename(tmp_path, monkeypatch):
    path = tmp_path / "metrics.csv"
    path.write_text("old")
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space")))
    with pytest.raises(WriteError, match="metrics.csv: cannot write it"):
        with atomic_write(path, "w") as f:
            f.write("new")
    monkeypatch.undo()
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (_ for _ in ()).throw(PermissionError(13, "denied")))
    with pytest.raises(WriteError, match="denied"):
        with atomic_write(path, "w") as f:
            f.write("new")
    assert path.read_text() == "old" and leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_a_write_error(tmp_path):
    with pytest.raises(WriteError, match="absent"):
        write_json(tmp_path / "absent" / "run.json", {})
    (tmp_path / "a-file").write_text("")
    with pytest.raises(WriteError, match="a-file: cannot write it \\(it is a file, not a folder\\)"):
        save_run(tmp_path / "a-file", None, None, None)  # refused before anything is looked at


def test_write_error_pickles_across_processes():
    import pickle

    e = pickle.loads(pickle.dumps(WriteError(errno.ENOSPC, "No space left on device", "/x/run.json")))
    assert isinstance(e, WriteError) and str(e).startswith("/x/run.json: cannot write it (No space")


def test_atomic_files_replace_all_or_none(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("old a")
    b.write_text("old b")
    with pytest.raises(WriteError):
        with atomic_files() as files:
            with files.open(a, "w") as f:
                f.write("new a")
            with files.open(b, "w") as f:
                raise OSError(errno.ENOSPC, "No space left on device")
    assert (a.read_text(), b.read_text()) == ("old a", "old b") and leftovers(tmp_path) == []
    with atomic_files() as files:
        for path in (a, b):
            with files.open(path, "w") as f:
                f.write("new")
    assert (a.read_text(), b.read_text()) == ("new", "new")


# --- save_run ---------------------------------------------------------------------------------------------

def tiny_dataset() -> Dataset:
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    return Dataset("tiny", "classification", x, np.array([0, 1, 0, 1]), x[:0], np.zeros(0, np.int64), ["0", "1"])


def tiny_run(preset: str = "simplenet-2-5-1", epochs: int = 3):
    from weightstudio.core.engine import Trainer

    cfg = get_preset(preset).config()
    cfg.train.epochs = epochs
    trainer = Trainer(cfg)
    trainer.run()
    return cfg, trainer.history, trainer.dataset


def test_save_run_writes_metrics_by_the_loss_table(tmp_path):
    cfg, history, dataset = tiny_run()  # bce_with_logits: a classification loss that is not cross_entropy
    save_run(tmp_path, cfg, history, dataset)
    header = (tmp_path / "metrics.csv").read_text().splitlines()[0]
    assert header == "epoch,step,train_loss,val_loss,train_acc,val_acc"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.npz", "history.npz", "metrics.csv", "run.json"]
    assert load_run_config(tmp_path / "run.json").to_dict() == cfg.to_dict()


def test_a_failed_save_run_leaves_the_earlier_run_untouched(tmp_path, monkeypatch):
    cfg, history, dataset = tiny_run()
    save_run(tmp_path, cfg, history, dataset)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    calls, savez = [], np.savez

    def fails_second_time(file, **arrays):  # history.npz is written, data.npz hits a full disk
        calls.append(1)
        if len(calls) == 2:
            file.write(b"PK")
            raise OSError(errno.ENOSPC, "No space left on device")
        savez(file, **arrays)

    monkeypatch.setattr(io.np, "savez", fails_second_time)
    monkeypatch.setattr(io.np, "savez_compressed", fails_second_time)
    cfg.name = "a later run"
    with pytest.raises(WriteError, match="data.npz: cannot write it"):
        save_run(tmp_path, cfg, history, dataset)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


FULL_DISK = textwrap.dedent("""
    import os, subprocess, sys
    folder = sys.argv[1]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder], check=True)
    import numpy as np
    from weightstudio.core.atomic import WriteError
    from weightstudio.core.data import Dataset
    from weightstudio.core.io import save_data_npz, write_json
    write_json(os.path.join(folder, "run.json"), {"old": True})
    save_data_npz(os.path.join(folder, "data.npz"), Dataset("small", "regression", np.zeros((4, 1), np.float32),
                  np.zeros((4, 1), np.float32), np.zeros((0, 1), np.float32), np.zeros((0, 1), np.float32), []))
    before = {n: open(os.path.join(folder, n), "rb").read() for n in os.listdir(folder)}
    noise = np.random.default_rng(0).random((40_000, 1), dtype=np.float32)  # 160 KB that does not compress
    try:
        save_data_npz(os.path.join(folder, "data.npz"), Dataset("big", "regression", noise, noise,
                      noise[:0], noise[:0], []))
    except WriteError as e:
        print("ERROR", e)
    after = {n: open(os.path.join(folder, n), "rb").read() for n in os.listdir(folder)}
    print("SAME" if after == before else f"CHANGED {sorted(after)}")
""")


def test_a_real_full_disk_on_a_small_tmpfs(tmp_path):
    """A 64 KiB tmpfs in a private mount namespace; skipped where the machine allows none."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--user", "--map-root-user", "--mount", "true"],
                                         capture_output=True).returncode != 0:
        pytest.skip("no unshare with user and mount namespaces here, so no tmpfs to fill; simulated above")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([unshare, "--user", "--map-root-user", "--mount", sys.executable, "-c", FULL_DISK,
                           str(folder)], capture_output=True, text=True, cwd=root, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == [f"ERROR {folder}/data.npz: cannot write it (No space left on device); "
                     "any earlier file there is unchanged", "SAME"], done.stdout
