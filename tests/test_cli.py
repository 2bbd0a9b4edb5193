"""The command line's contract: bad input is refused in one line before any work, exit codes 0/1/2/3, and an
internal error leaves a traceback in a log file instead of on the terminal."""

import pytest

from weightstudio import cli


def test_out_naming_a_file_is_refused_before_training(tmp_path, capsys, monkeypatch):
    existing = tmp_path / "taken"
    existing.write_text("x")
    monkeypatch.setattr("weightstudio.core.engine.Trainer.run", lambda *a, **k: pytest.fail("training ran"))
    assert cli.main(["train", "--preset", "line-2x+1", "--out", str(existing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "taken" in err and "is a file" in err


def test_an_internal_error_prints_one_line_and_logs_the_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "train", broken)
    assert cli.main(["train", "--preset", "line-2x+1", "--out", str(tmp_path / "o")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: a bug" in err and "Traceback" not in err
    log = next(tmp_path.glob("weightstudio-error-*.log"))
    assert "Traceback" in log.read_text() and "a bug" in log.read_text()


def test_bad_arguments_and_data_exit_2_in_one_line(tmp_path, capsys):
    assert cli.main(["train", "--preset", "no-such-preset", "--out", str(tmp_path / "o")]) == 2
    assert "no-such-preset" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\nabc,3\n")
    assert cli.main(["train", "--preset", "line-2x+1", "--data", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.csv" in err and "line 3" in err


def test_a_headless_run_with_figures_prints_no_qt_noise(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "weightstudio", "train", "--preset", "line-2x+1", "--epochs", "2",
                        "--out", str(tmp_path / "o"), "--quiet"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert (tmp_path / "o" / "weights.png").stat().st_size > 1000


def test_a_headless_run_writes_health_json_naming_the_problem(tmp_path, capsys):
    import json

    out = tmp_path / "lr5"
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--lr", "5", "--out", str(out), "--no-figures"]) == 1
    findings = json.loads((out / "health.json").read_text())
    kinds = {f["kind"] for f in findings}
    assert {"exploding_gradients", "non_finite"} <= kinds
    assert "health: Exploding gradients" in capsys.readouterr().out
    healthy = tmp_path / "ok"
    assert cli.main(["train", "--preset", "quadratic-1-10-1", "--out", str(healthy), "--no-figures", "--quiet"]) == 0
    assert json.loads((healthy / "health.json").read_text()) == []
