"""The benchmark's plumbing: what a case's process prints is read back, the cases' results are summarised into the
report's rows, the report prints every column, and --json writes the figures. No timing is asserted."""

from __future__ import annotations

import json
import subprocess

import pytest

from weightstudio import bench


def window_result(steps=100, last_drawn_s=0.5, first_step_s=0.02, p99=20.0):
    return {"steps": steps, "steps_per_s": 250.0, "first_step_s": first_step_s, "last_drawn_s": last_drawn_s,
            "probe_p50_ms": 3.0, "probe_p99_ms": p99, "probe_max_ms": 40.0,
            "fps": {"Fit": 31.0, "Loss": 30.0, "Weights": 11.0, "Heatmaps": 10.0}, "snapshots_per_s": 5.0}


def runs(**overrides):
    r = {"plain": [400.0, 500.0, 600.0], "plain-all": [300.0, 350.0, 400.0], "engine": [450.0, 450.0, 450.0],
         "window": [250.0, 250.0, 250.0], "window-thread": [100.0, 100.0, 100.0],
         "window-all": [200.0, 200.0, 200.0]}
    r.update(overrides)
    return r


def test_summarise_takes_medians_and_compares_start_to_last_drawn_with_the_faster_plain_loop():
    details = [window_result(last_drawn_s=s, first_step_s=f, p99=p)
               for s, f, p in ((0.4, 0.01, 10.0), (0.5, 0.02, 30.0), (1.0, 0.03, 20.0))]
    t, resp = bench.summarise(100, runs(), details)
    assert t["plain_steps_per_s"] == 500.0 and t["best_plain_steps_per_s"] == 500.0
    assert t["engine_ratio"] == pytest.approx(0.9) and t["window_ratio_spread"] == pytest.approx([0.5, 0.5])
    assert t["plain_s"] == pytest.approx(0.2)  # 100 steps at 500/s
    assert t["last_drawn_s"] == pytest.approx(0.5)
    assert t["last_drawn_ratio"] == pytest.approx(0.4) and t["last_drawn_ratio_spread"] == pytest.approx([0.2, 0.5])
    assert t["first_step_ms"] == pytest.approx(20.0)
    assert resp["probe_p99_ms"] == 20.0  # the middle run by p99, whole
    assert "plain_ratio" not in t and "plain-all_ratio" not in t


def test_summarise_uses_all_cores_when_that_loop_is_faster():
    t, _ = bench.summarise(100, runs(**{"plain-all": [1000.0]}), [window_result(last_drawn_s=0.2)])
    assert t["best_plain_steps_per_s"] == 1000.0 and t["last_drawn_ratio"] == pytest.approx(0.5)
    assert t["engine_ratio"] == pytest.approx(0.9)  # the steady-state ratios stay against the studio's threads


def test_summarise_without_a_last_paint_leaves_the_column_out():
    t, _ = bench.summarise(100, runs(), [window_result(last_drawn_s=None, first_step_s=None)])
    assert "last_drawn_s" not in t and "first_step_ms" not in t


def report():
    t, resp = bench.summarise(100, runs(), [window_result()])
    return {"machine": {"cores": 2, "python": "3.11.7", "torch": "2.13.0+cpu", "pyside6": "6.11.3",
                        "pyqtgraph": "0.14.0", "numpy": "2.3.0", "platform": "Linux"},
            "repeats": 2, "quick": True, "throughput": {"digits-mlp": t}, "responsiveness": {"digits-mlp": resp},
            "scale": {"steps": 2500, "history_bytes": 43 * 2**20, "traced_weights": 2138, "snapshots": 26,
                      "weights_refresh_ms": 14.7, "weights_lines": 804, "heatmap_refresh_ms": 8.1},
            "startup": {"splash_painted_s": 1.3, "window_painted_s": 3.18, "ready_s": 6.88}}


def test_the_report_prints_the_machine_both_tables_and_the_start_up():
    text = bench.format_report(report())
    head = text.splitlines()[0]
    for part in ("2 cores", "Python 3.11.7", "torch 2.13.0+cpu", "PySide6 6.11.3", "pyqtgraph 0.14.0", "numpy 2.3.0",
                 "2 runs of each case", "--quick"):
        assert part in head
    rows = [line for line in text.splitlines() if line.startswith("| digits-mlp")]
    assert len(rows) == 2
    steady, user = rows
    assert "| 500 | 0.90 (0.90–0.90) | 0.50 (0.50–0.50) |" in steady and "| 3 / 20 / 40 |" in steady
    assert "31 · 30 · 11 · 10" in steady
    # 100 steps; plain 500/s (1 thread) and 350/s (all cores): 0.20 s; window 0.50 s: 0.40; first step 20 ms
    assert user == "| digits-mlp | 100 | 500 · 350 | 0.20 | 0.50 | 0.40 (0.40–0.40) | 20 |"
    assert "Start to last drawn s" in text and "Start → first step ms" in text
    assert "main window painted 3.18 s, ready to train 6.88 s" in text


def test_a_report_without_the_last_paint_says_so():
    r = report()
    for key in ("last_drawn_s", "last_drawn_ratio", "last_drawn_ratio_spread", "plain_s", "first_step_ms"):
        r["throughput"]["digits-mlp"].pop(key)
    assert "| digits-mlp | 100 | 500 · 350 | – | not measured | – | – |" in bench.format_report(r)


def test_a_case_result_is_the_last_json_line_its_process_prints(monkeypatch):
    seen = {}

    def fake_run(cmd, **kw):
        seen["cmd"] = cmd
        return subprocess.CompletedProcess(cmd, 0, 'loading…\n{"x": 1}\nnoise\n{"steps_per_s": 12.5}\n', "")

    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    assert bench._child("--case", "plain", "--preset", "linear-5x1") == {"steps_per_s": 12.5}
    assert seen["cmd"][1:3] == ["-m", "weightstudio.bench"] and seen["cmd"][-1] == "linear-5x1"


def test_a_failed_case_names_itself_and_its_error(monkeypatch):
    monkeypatch.setattr(bench.subprocess, "run",
                        lambda cmd, **kw: subprocess.CompletedProcess(cmd, 1, "", "Traceback…\nValueError: bad"))
    with pytest.raises(RuntimeError, match=r"--case window failed \(1\): Traceback…\nValueError: bad"):
        bench._child("--case", "window")


def test_main_prints_the_table_and_writes_the_json(monkeypatch, tmp_path, capsys):
    asked = {}

    def fake_run_all(repeats, quick, presets):
        asked.update(repeats=repeats, quick=quick, presets=presets)
        return report()

    monkeypatch.setattr(bench, "run_all", fake_run_all)
    out = tmp_path / "bench.json"
    assert bench.main(["--quick", "--repeats", "2", "--presets", "digits-mlp", "--json", str(out)]) == 0
    assert asked == {"repeats": 2, "quick": True, "presets": ["digits-mlp"]}
    assert "Start to last drawn" in capsys.readouterr().out
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["throughput"]["digits-mlp"]["last_drawn_ratio"] == pytest.approx(0.4)
    assert written["machine"]["numpy"] == "2.3.0"


def test_quick_runs_a_quarter_of_the_steps():
    for preset in bench.THROUGHPUT_PRESETS:
        assert bench._steps_for(preset, True) == bench._steps_for(preset, False) // 4


def test_percentiles_of_the_probe():
    assert bench._percentile([], 99) == 0.0
    values = list(range(101))
    assert bench._percentile(values, 50) == 50 and bench._percentile(values, 99) == 99
    assert bench._percentile([5.0], 99) == 5.0


def test_cpu_figures_are_read_and_formatted_and_missing_ones_are_dashes():
    import os
    import sys

    from weightstudio.bench import _cpu_seconds, _cpu_text

    if sys.platform.startswith("linux"):
        sum(i * i for i in range(200_000))  # some CPU time of its own
        assert _cpu_seconds(os.getpid()) > 0
    assert _cpu_seconds(None) is None and _cpu_seconds(2**30) is None
    assert _cpu_text({"gui_cpu_share": 0.951, "training_cpu_share": 1.02, "gui_ms_per_frame": 31.4}) == \
        "0.95 · 1.02, 31 ms"
    assert _cpu_text({"gui_cpu_share": 0.5}) == "0.50 · –, – ms"


def test_the_every_view_case_gets_its_own_table_with_each_views_frame_rate():
    r = report()
    every = window_result(last_drawn_s=1.0, p99=45.0)
    every["fps"].update(Gradients=9.0, Distributions=8.0, Activations=2.0)
    r["every_view"] = {"digits-mlp": bench.every_view_row(*bench.summarise(100, runs(), [every]))}
    assert r["throughput"]["digits-mlp"]["window-all_ratio"] == pytest.approx(0.4)  # 200/s of the plain 500/s
    row = r["every_view"]["digits-mlp"]
    assert row["last_drawn_ratio"] == pytest.approx(0.2) and row["probe_p99_ms"] == 45.0
    text = bench.format_report(r)
    assert "Every view on screen" in text
    line = [ln for ln in text.splitlines() if ln.startswith("| digits-mlp")][-1]
    assert line.startswith("| digits-mlp | 0.40 (0.40–0.40) | 0.20 (0.20–0.20) | 3 / 45 / 40 |")
    assert "31 · 30 · 11 · 10 · 9 · 8 · 2" in line


def test_every_view_on_screen_splits_the_analysis_tabs_and_raises_health(qtbot):
    from weightstudio.gui.main_window import MainWindow

    w = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(w)
    w.resize(1920, 1200)
    bench.every_view_on_screen(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        assert all(view.on_screen() for view in w.views), [v.title for v in w.views if not v.on_screen()]
        assert w.health_panel.isVisible() and w.health_panel.visibleRegion().isEmpty() is False
    finally:
        w.controller.close()


def test_a_recorded_case_leaves_no_folder_behind(monkeypatch, tmp_path, capsys):
    # Each record() case writes a run of up to hundreds of MB; repeated benchmarks once filled the disk.
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert bench.main(["--case", "watch", "--preset", "linear-5x1", "--watcher", "record", "--steps", "20"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["steps_per_s"] > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("ws-bench")] == []


def test_the_paired_record_case_times_both_loops_in_one_process(capsys):
    assert bench.main(["--case", "record-paired", "--preset", "linear-5x1", "--steps", "40"]) == 0
    r = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert r["plain_steps_per_s"] > 0 and r["record_steps_per_s"] > 0
    assert r["ratio"] == pytest.approx(r["record_steps_per_s"] / r["plain_steps_per_s"])


def test_the_record_table_has_a_column_for_each_watcher_and_the_paired_one():
    row = {"net": "digits-mlp", "threads": 1, "plain_steps_per_s": 1000.0}
    for w, ratio in (("record", 0.8), ("record_paired", 0.88), ("tensorboard", 0.05)):
        row[f"{w}_ratio"], row[f"{w}_ratio_spread"] = ratio, [ratio - 0.01, ratio + 0.01]
    scale = {"steps": 20, "weights": 11_000_000, "traced": 20_000, "snapshots": 3, "history_bytes": 2**20,
             "budget_bytes": 2**30, "folder_bytes": 2**20, "open_s": 0.5, "weights_refresh_ms": 9.0,
             "heatmap_refresh_ms": 8.0}
    text = bench.format_record({"watchers": ["plain", "record", "tensorboard"], "skipped": ["wandb"],
                                "rows": {"digits-mlp|1": row}, "scale": scale})
    assert "| net | threads | plain steps/s | record() | record(), paired in one process | TensorBoard" in text
    assert "| digits-mlp | 1 | 1,000.0 | 0.80 (0.79–0.81) | 0.88 (0.87–0.89) | 0.05 (0.04–0.06) |" in text
    assert "not installed, so no column: wandb" in text
