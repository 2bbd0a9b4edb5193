"""`python -m weightstudio.bench`: the live studio measured against a plain PyTorch loop, as ratios on one machine.

Every case runs in a process of its own (`--case NAME`, printing one JSON line), so imports, threads and caches of
one case never help or hurt another. The parent runs the cases side by side, repeats them, and prints a table.
Tests never assert these numbers; the README shows the latest table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

THROUGHPUT_PRESETS = ("linear-5x1", "quadratic-1-10-1", "digits-mlp", "digits-cnn")


# ---------------------------------------------------------------------------------------------- cases (child side)
def _trainer(preset: str, steps: int, live_interval=None):
    import torch

    from .core.assemble import assemble
    from .core.data import load_dataset
    from .core.engine import Trainer, choose_threads
    from .core.presets import get_preset

    cfg = get_preset(preset).config()
    dataset = load_dataset(cfg.data, cfg.train.seed)
    cfg = assemble(cfg, dataset).config  # as the window and `weightstudio train` do
    t = Trainer(cfg, dataset, live_interval=live_interval)
    torch.set_num_threads(choose_threads(t.history.total_weights))
    cfg.train.epochs = -(-steps // t.steps_per_epoch)
    return t


def case_plain(preset: str, steps: int) -> dict:
    """The seed scripts' loop on the same model, data, batches (reshuffled every epoch, as a shuffling DataLoader
    does), optimizer and thread count: nothing recorded."""
    t = _trainer(preset, steps)
    model, opt, loss_fn = t.model, t.optimizer, t.loss_fn
    done, start = 0, time.perf_counter()
    while done < steps:
        for x, y in t._batches():
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()  # the seed scripts read the loss every step too
            done += 1
    return {"steps_per_s": done / (time.perf_counter() - start)}


def case_engine(preset: str, steps: int) -> dict:
    """The core engine headless, history recording on."""
    t = _trainer(preset, steps)
    start = time.perf_counter()
    t.run()
    return {"steps_per_s": t.step / (time.perf_counter() - start), "history_bytes": t.history.nbytes}


def case_window(preset: str, steps: int, backend: str = "process") -> dict:
    """The full window offscreen with every view docked, visible and refreshing; plus a GUI latency probe.
    `backend` is where training runs: the child process (the app's default) or the worker thread."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["WEIGHTSTUDIO_TRAINING"] = backend
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from .gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(preset)
    window.training_bar.set_speed(None)  # Max: the benchmark measures the fastest the studio trains
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    c = window.controller
    c.set_epochs(-(-steps // c.trainer.steps_per_epoch))

    frames = {view.title: 0 for view in window.views}
    for view in window.views:
        original = view.refresh

        def counted(force=False, _view=view, _original=original):
            drawn = _original(force)
            frames[_view.title] += bool(drawn)
            return drawn

        view.refresh = counted

    lateness, probe_ms = [], 10
    clock = QElapsedTimer()
    probe = QTimer(interval=probe_ms)

    def tick():
        lateness.append(max(0.0, clock.restart() - probe_ms))

    probe.timeout.connect(tick)
    result = {}

    def finished(state):
        result["elapsed"] = time.perf_counter() - result["start"]
        probe.stop()  # lateness is measured while training, not while the window closes
        app.quit()

    window.run_finished.connect(finished)
    clock.start()
    probe.start()
    result["start"] = time.perf_counter()
    c.start()
    app.exec()
    elapsed = result["elapsed"]
    out = {
        "steps_per_s": c.trainer.step / elapsed,
        "probe_p50_ms": _percentile(lateness, 50),
        "probe_p99_ms": _percentile(lateness, 99),
        "probe_max_ms": max(lateness, default=0.0),
        "fps": {k: v / elapsed for k, v in frames.items()},
        "snapshots_per_s": (c.run_data.history.snapshot_count() - 1) / elapsed,
    }
    window.close()
    return out


def case_scale(steps: int) -> dict:
    """784→128→64→10 MLP for `steps` steps: history memory, one refresh of the weights and heatmap views."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import torch
    from PySide6.QtWidgets import QApplication

    from .core.assemble import assemble
    from .core.config import RunConfig, TrainSettings
    from .core.data import Dataset
    from .core.engine import Trainer, choose_threads
    from .core.run_data import RunData
    from .core.spec import linear_stack
    from .gui.views.heatmaps import HeatmapView
    from .gui.views.weights import WeightsView

    rng = np.random.default_rng(0)
    n = 6400  # 100 steps of 64 per epoch
    x = rng.random((n, 784), dtype=np.float32)
    y = rng.integers(0, 10, n).astype(np.int64)
    ds = Dataset("random-784", "classification", x, y, x[:0], y[:0], [str(i) for i in range(10)])
    cfg = RunConfig(linear_stack([784, 128, 64, 10]), {"source": "npz", "path": "(in memory)"},
                    TrainSettings(loss="cross_entropy", lr=0.01, batch_size=64, epochs=-(-steps // 100)))
    t = Trainer(assemble(cfg, ds).config, ds)
    torch.set_num_threads(choose_threads(t.history.total_weights))
    start = time.perf_counter()
    t.run()
    train_s = time.perf_counter() - start
    app = QApplication.instance() or QApplication([])
    run = RunData(cfg, ds, t.history)
    out = {"steps": t.step, "steps_per_s": t.step / train_s, "history_bytes": t.history.nbytes,
           "traced_weights": t.history.n_traced, "snapshots": t.history.snapshot_count()}
    for name, view in (("weights", WeightsView()), ("heatmap", HeatmapView())):
        view.resize(900, 600)
        view.show()
        view.set_run(run)
        view.refresh(force=True)
        app.processEvents()
        times = []
        for i in range(8):
            t0 = time.perf_counter()
            if name == "heatmap":  # a new snapshot each time: the view skips an image it already shows
                view.show_snapshot(i * (out["snapshots"] - 1) // 8)
            view.refresh(force=True)
            app.processEvents()  # the paint is part of the cost
            times.append(1000 * (time.perf_counter() - t0))
        out[f"{name}_refresh_ms"] = statistics.median(times)
        if name == "weights":
            out["weights_lines"] = view.line_count()
        view.close()
    return out


def case_startup(t0: float) -> dict:
    """Process start to the splash painted, the main window painted, and the first run ready to train."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QSplashScreen

    from .gui.app import open_studio

    marks: dict[str, float] = {}

    class PaintSpy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint:
                if isinstance(obj, QSplashScreen):
                    marks.setdefault("splash_painted_s", time.time() - t0)
                elif obj.isWidgetType() and obj.window().objectName() == "mainWindow":
                    marks.setdefault("window_painted_s", time.time() - t0)
            return False

    app = QApplication.instance() or QApplication([])
    spy = PaintSpy()
    app.installEventFilter(spy)
    window = open_studio(app)
    window.run_loaded.connect(lambda: (marks.setdefault("ready_s", time.time() - t0), QTimer.singleShot(50, app.quit)))
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    window.close()
    return marks


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


# ---------------------------------------------------------------------------------------------- parent side
def _child(*args: str, timeout: float = 900) -> dict:
    cmd = [sys.executable, "-m", "weightstudio.bench", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    if r.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return json.loads(lines[-1])


def _steps_for(preset: str, quick: bool) -> int:
    base = {"linear-5x1": 4000, "quadratic-1-10-1": 4000, "digits-mlp": 2300, "digits-cnn": 1150}[preset]
    return base // 4 if quick else base


def run_all(repeats: int, quick: bool, presets=THROUGHPUT_PRESETS, scale_steps: int = 10_000) -> dict:
    import PySide6
    import pyqtgraph
    import torch

    report = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "torch": torch.__version__,
                    "pyside6": PySide6.__version__, "pyqtgraph": pyqtgraph.__version__,
                    "platform": platform.platform()},
        "throughput": {}, "responsiveness": {},
    }
    for preset in presets:
        steps = _steps_for(preset, quick)
        runs = {"plain": [], "engine": [], "window": [], "window-thread": []}
        window_details = []
        for _ in range(repeats):  # interleaved, so a slow spell of the machine hits every case alike
            for case in runs:
                r = _child("--case", case, "--preset", preset, "--steps", str(steps))
                runs[case].append(r["steps_per_s"])
                if case == "window":
                    window_details.append(r)
            print(f"  {preset}: " + ", ".join(f"{k} {v[-1]:,.0f}/s" for k, v in runs.items()), flush=True)
        plain = statistics.median(runs["plain"])
        report["throughput"][preset] = {
            "steps": steps,
            **{f"{k}_steps_per_s": statistics.median(v) for k, v in runs.items()},
            **{f"{k}_ratio": statistics.median(v) / plain for k, v in runs.items() if k != "plain"},
            **{f"{k}_ratio_spread": [min(v) / plain, max(v) / plain] for k, v in runs.items() if k != "plain"},
        }
        best = sorted(window_details, key=lambda d: d["probe_p99_ms"])[len(window_details) // 2]
        report["responsiveness"][preset] = {k: best[k] for k in
                                            ("probe_p50_ms", "probe_p99_ms", "probe_max_ms", "fps",
                                             "snapshots_per_s")}
    report["scale"] = _child("--case", "scale", "--steps", str(scale_steps // (4 if quick else 1)))
    starts = [_child("--case", "startup", "--t0", repr(time.time())) for _ in range(repeats)]
    report["startup"] = {k: statistics.median(s[k] for s in starts)
                         for k in ("splash_painted_s", "window_painted_s", "ready_s")}
    return report


def format_report(r: dict) -> str:
    m = r["machine"]
    out = [f"WeightStudio benchmark — {m['cores']} cores, Python {m['python']}, torch {m['torch']}, "
           f"PySide6 {m['pyside6']}, pyqtgraph {m['pyqtgraph']}", "",
           "| preset | plain steps/s | engine ÷ plain | window ÷ plain | window, training in a thread ÷ plain | "
           "GUI probe p50 / p99 / max ms | frames/s fit · loss · weights · heatmaps |",
           "|---|---|---|---|---|---|---|"]
    for preset, t in r["throughput"].items():
        s = r["responsiveness"][preset]
        fps = s["fps"]
        out.append(
            f"| {preset} | {t['plain_steps_per_s']:,.0f} | {t['engine_ratio']:.2f} "
            f"({t['engine_ratio_spread'][0]:.2f}–{t['engine_ratio_spread'][1]:.2f}) | {t['window_ratio']:.2f} "
            f"({t['window_ratio_spread'][0]:.2f}–{t['window_ratio_spread'][1]:.2f}) | "
            f"{t['window-thread_ratio']:.2f} ({t['window-thread_ratio_spread'][0]:.2f}–"
            f"{t['window-thread_ratio_spread'][1]:.2f}) | "
            f"{s['probe_p50_ms']:.0f} / {s['probe_p99_ms']:.0f} / {s['probe_max_ms']:.0f} | "
            f"{fps.get('Fit', 0):.0f} · {fps.get('Loss', 0):.0f} · {fps.get('Weights', 0):.0f} · "
            f"{fps.get('Heatmaps', 0):.0f} (snapshots {s['snapshots_per_s']:.0f}/s) |")
    sc = r["scale"]
    out += ["", f"784→128→64→10 MLP, {sc['steps']:,} steps: history {sc['history_bytes'] / 2**20:.0f} MiB "
            f"({sc['traced_weights']:,} weights traced every step, {sc['snapshots']} full snapshots); "
            f"weights view refresh {sc['weights_refresh_ms']:.1f} ms ({sc['weights_lines']:,} lines), "
            f"heatmap refresh {sc['heatmap_refresh_ms']:.1f} ms",
            f"Start-up after process start: splash painted {r['startup']['splash_painted_s']:.2f} s, main window "
            f"painted {r['startup']['window_painted_s']:.2f} s, ready to train {r['startup']['ready_s']:.2f} s"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m weightstudio.bench", description=__doc__.splitlines()[0])
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--repeats", type=int, default=3, help="runs of each case (median and spread are reported)")
    p.add_argument("--quick", action="store_true", help="a quarter of the steps: a rough look in a minute or two")
    p.add_argument("--presets", nargs="+", default=list(THROUGHPUT_PRESETS), choices=THROUGHPUT_PRESETS)
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--preset", help=argparse.SUPPRESS)
    p.add_argument("--steps", type=int, default=1000, help=argparse.SUPPRESS)
    p.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.case:
        fn = {"plain": case_plain, "engine": case_engine, "window": case_window,
              "window-thread": lambda preset, steps: case_window(preset, steps, "thread")}.get(args.case)
        if fn is not None:
            result = fn(args.preset, args.steps)
        elif args.case == "scale":
            result = case_scale(args.steps)
        else:
            result = case_startup(args.t0)
        print(json.dumps(result), flush=True)
        return 0
    report = run_all(args.repeats, args.quick, args.presets)
    text = format_report(report)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
