"""`python -m weightstudio.bench`: the live studio measured against a plain PyTorch loop, as ratios on one machine.

Every case runs in a process of its own (`--case NAME`, printing one JSON line), so imports, threads and caches of
one case never help or hurt another. The parent runs the cases side by side, repeats them, and prints a table.
Tests never assert these numbers; the README shows the latest table.

Two views of the window. Steady state: steps/s while training with every view docked, the GUI's lateness and each
view's frames/s. As a user sees it, "Start to last drawn": a probe presses Start and waits until the weights view
has painted the last step, against the same number of steps of the faster plain loop (one thread or all cores);
and Start → first step, with the training process already warm. Each window case starts from the default layout
(a settings folder of its own), not from whatever layout the user left.

`--record` measures instead what watching the weights of one's own loop costs: a plain loop against the same loop
with `weightstudio.record()`, TensorBoard's `add_histogram` of every parameter every step, and
`wandb.watch(log="all", log_freq=1)` offline (the peers' columns are skipped when they are not installed), on the
presets' nets and a ResNet-18 (defined here, the model zoos' layout) on random 3×32×32 batches of 32, with one
thread and with all cores; then the ResNet-18 recorded for 50 steps, opened again: its history's size against
its budgets, and one weights-view and one heatmap refresh.
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
WATCHERS = ("plain", "record", "tensorboard", "wandb")
PEER_MODULES = {"tensorboard": "tensorboard", "wandb": "wandb"}  # what must be importable for a peer's column
CNN = "resnet18"


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


def case_plain(preset: str, steps: int, threads: int | None = None) -> dict:
    """The seed scripts' loop on the same model, data, batches (reshuffled every epoch, as a shuffling DataLoader
    does), optimizer and thread count (the studio's choice, or `threads`): nothing recorded."""
    import torch

    t = _trainer(preset, steps)
    if threads is not None:
        torch.set_num_threads(threads)
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


_SCRATCH: list[str] = []  # this case's temporary folders


def _scratch(prefix: str) -> str:
    """A temporary folder of the case's own, removed when the case ends (`_remove_scratch`): a recorded run is
    hundreds of MB, and repeated benchmarks once filled the disk."""
    import tempfile

    path = tempfile.mkdtemp(prefix=prefix)
    _SCRATCH.append(path)
    return path


def _remove_scratch() -> None:
    import shutil

    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def _fresh_settings() -> None:
    """A settings folder of the case's own: the window opens in its default layout, every view docked."""
    os.environ["WEIGHTSTUDIO_SETTINGS_DIR"] = _scratch("ws-bench-settings-")


def _first_step_clock(trainer, started: float, out: dict) -> None:
    """On a thread of its own: the time from `started` to the trainer's first step, into out["first_step_s"]."""
    import threading

    def watch() -> None:
        while trainer.step == 0 and time.perf_counter() - started < 60:
            time.sleep(0.0002)
        out["first_step_s"] = time.perf_counter() - started

    threading.Thread(target=watch, name="first-step-clock", daemon=True).start()


def every_view_on_screen(window) -> None:
    """Split the analysis views (gradients, distributions, activations) out of the heatmap's tabs and raise the
    health dock: every view the window has is on screen, and each draws every frame."""
    from PySide6.QtCore import Qt

    d = window.docks
    window.splitDockWidget(d["lossDock"], d["gradientsDock"], Qt.Horizontal)
    for name in ("distributionsDock", "activationsDock"):  # a row of their own under the others
        window.removeDockWidget(d[name])
        window.addDockWidget(Qt.BottomDockWidgetArea, d[name])
        d[name].show()
    window.splitDockWidget(d["distributionsDock"], d["activationsDock"], Qt.Horizontal)
    d["healthDock"].raise_()


def case_window(preset: str, steps: int, backend: str = "process", every_view: bool = False) -> dict:
    """The full window offscreen in its default layout (every view docked; tabs behind others are not drawn, as for
    a user) refreshing, a GUI latency probe, and the "Start to last drawn" time: from pressing Start until the weights
    view has painted the last step. `backend` is where training runs: the child process (the app's default, warm by
    the time Start is pressed) or the worker thread. `every_view`: every view on screen (`every_view_on_screen`), in
    a 1920×1200 window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["WEIGHTSTUDIO_TRAINING"] = backend
    _fresh_settings()
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from .gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(preset)
    window.training_bar.set_speed(None)  # Max: the benchmark measures the fastest the studio trains
    window.resize(*((1920, 1200) if every_view else (1600, 1000)))
    if every_view:
        every_view_on_screen(window)
    window.show()
    # The window's first layout and paint (about 90 ms at once) come before a user could press Start: the
    # lateness probe measures training, the start-up case the first paint.
    settled = QEventLoop()
    QTimer.singleShot(500, settled.quit)
    settled.exec()
    c = window.controller
    c.set_epochs(-(-steps // c.trainer.steps_per_epoch))

    result = {}
    frames = {view.title: 0 for view in window.views}
    for view in window.views:
        original = view.refresh

        def counted(force=False, _view=view, _original=original):
            drawn = _original(force)
            frames[_view.title] += bool(drawn)
            return drawn

        view.refresh = counted

    painted = []  # (seconds after Start, the step the weights view showed) at each paint of its plots

    class Paints(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint and "start" in result:
                painted.append((time.perf_counter() - result["start"], window.weights_view.drawn_step))
                if "elapsed" in result:
                    QTimer.singleShot(0, last_paint)  # runs once this paint is over
            return False

    def last_paint():
        """The run has ended: the first paint of its last step ends the measurement (it may have come before the
        end was known: a forced redraw of the same step paints nothing new)."""
        last = c.trainer.step
        at = next((t for t, step in painted if step == last), None)
        if at is not None and "last_drawn_s" not in result:
            result["last_drawn_s"] = at
            app.quit()

    paints = Paints()
    for widget in window.weights_view.findChildren(QObject):
        if hasattr(widget, "viewport"):
            widget.viewport().installEventFilter(paints)

    lateness, probe_ms = [], 10
    clock = QElapsedTimer()
    probe = QTimer(interval=probe_ms)

    def tick():
        lateness.append(max(0.0, clock.restart() - probe_ms))

    probe.timeout.connect(tick)

    def finished(state):
        result["elapsed"] = time.perf_counter() - result["start"]
        result["cpu1"] = (time.process_time(), _cpu_seconds(child_pid))
        probe.stop()  # lateness is measured while training, not while the window closes
        QTimer.singleShot(0, last_paint)
        QTimer.singleShot(10_000, app.quit)  # the last paint ends it sooner

    window.run_finished.connect(finished)
    clock.start()
    probe.start()
    child = getattr(getattr(c, "_remote", None), "_child", None)
    child_pid = child.process.pid if child is not None else None
    result["cpu0"] = (time.process_time(), _cpu_seconds(child_pid))
    result["start"] = time.perf_counter()
    _first_step_clock(c.trainer, result["start"], result)
    c.start()
    app.exec()
    elapsed = result["elapsed"]
    gui_cpu = result["cpu1"][0] - result["cpu0"][0]
    drawn = max(frames.values(), default=0)
    out = {
        "gui_cpu_share": gui_cpu / elapsed,  # of one core, the GUI process's every thread
        "gui_ms_per_frame": 1000 * gui_cpu / drawn if drawn else None,
        "training_cpu_share": (result["cpu1"][1] - result["cpu0"][1]) / elapsed
        if result["cpu0"][1] is not None and result["cpu1"][1] is not None else None,
        "steps": c.trainer.step,
        "steps_per_s": c.trainer.step / elapsed,
        "first_step_s": result.get("first_step_s"),
        "last_drawn_s": result.get("last_drawn_s"),
        "probe_p50_ms": _percentile(lateness, 50),
        "probe_p99_ms": _percentile(lateness, 99),
        "probe_max_ms": max(lateness, default=0.0),
        "fps": {k: v / elapsed for k, v in frames.items()},
        "snapshots_per_s": (c.run_data.history.snapshot_count() - 1) / elapsed,
    }
    window.close()
    return out


def _cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process `pid` so far (Linux's /proc), or None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, TypeError):
        return None


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
    _fresh_settings()
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


# ---- what watching the weights of one's own loop costs (`--record`) ------------------------------------------
def resnet18(num_classes: int = 10):
    """ResNet-18 (basic blocks [2, 2, 2, 2], widths 64–512, batch norm, an ImageNet stem): the model zoos'
    `resnet18(weights=None)` layer for layer, 11.2 M weights, defined here so the benchmark needs no extra package."""
    import torch
    from torch import nn

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.relu = nn.ReLU(inplace=True)
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(out)) + identity)

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            cin, layers = 64, []
            for i, w in enumerate((64, 128, 256, 512)):
                layers.append(nn.Sequential(BasicBlock(cin, w, 1 if i == 0 else 2), BasicBlock(w, w, 1)))
                cin = w
            self.layer1, self.layer2, self.layer3, self.layer4 = layers
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(512, num_classes)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    return ResNet18()


def _loop_parts(net: str, threads: int):
    """(model, optimizer, loss_fn, batches()) of a preset's net (its data, batches and optimizer, as case_plain) or
    of the ResNet-18 (SGD with momentum on random batches of 32)."""
    import torch

    if net != CNN:
        t = _trainer(net, 1)
        torch.set_num_threads(threads)
        return t.model, t.optimizer, t.loss_fn, t._batches
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = resnet18()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.randn(4, 32, 3, 32, 32), torch.randint(0, 10, (4, 32))
    return model, opt, torch.nn.CrossEntropyLoss(), lambda: iter(zip(x, y))


def case_watch(net: str, steps: int, watcher: str, threads: int) -> dict:
    """`steps` steps of the loop with `watcher` looking at every parameter every step: nothing ("plain", the loss
    read each step as the seed scripts do), weightstudio.record(), TensorBoard add_histogram per parameter plus
    add_scalar of the loss, or wandb.watch(log="all", log_freq=1) offline with wandb.log of the loss."""
    model, opt, loss_fn, batches = _loop_parts(net, threads)
    tmp = _scratch("ws-bench-")
    names = [n for n, _ in model.named_parameters()]
    after = lambda step, loss: loss.item()  # noqa: E731 - plain
    close = lambda: None  # noqa: E731
    if watcher == "record":
        import weightstudio

        rec = weightstudio.record(model, f"{tmp}/run", opt)
        after = lambda step, loss: rec.step(loss=loss)  # noqa: E731
        close = rec.close
    elif watcher == "tensorboard":
        from torch.utils.tensorboard import SummaryWriter

        tb = SummaryWriter(tmp)
        params = list(model.parameters())

        def after(step, loss):
            tb.add_scalar("loss", loss.item(), step)
            for n, p in zip(names, params):
                tb.add_histogram(n, p, step)

        close = tb.close
    elif watcher == "wandb":
        import wandb

        os.environ.setdefault("WANDB_SILENT", "true")
        wb = wandb.init(mode="offline", dir=tmp, project="weightstudio-bench")
        wandb.watch(model, log="all", log_freq=1)
        after = lambda step, loss: wandb.log({"loss": loss.item()})  # noqa: E731
        close = wb.finish
    done, warm, start = 0, min(5, steps // 5), None
    while done < steps + warm:
        for x, y in batches():
            if done == warm:
                start = time.perf_counter()  # after a few steps: first-call costs are nobody's per-step cost
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += 1
            after(done, loss)
            if done >= steps + warm:
                break
    elapsed = time.perf_counter() - start
    t0 = time.perf_counter()
    close()
    return {"steps_per_s": steps / elapsed, "close_s": time.perf_counter() - t0}


PAIRED_SEGMENT_S = 0.4  # each segment of the paired record() case: long beside one flush, short beside a slow spell
PAIRED_PAIRS = 6


def case_record_paired(net: str, steps: int, threads: int) -> dict:
    """Plain and recorded steps of one loop in one process, in alternating segments of about `PAIRED_SEGMENT_S`
    seconds (at least `PAIRED_PAIRS` pairs and `steps` steps of each), so that a slow spell of the machine (on a
    shared VM the plain loop's own speed moves by ±30 % between processes) falls on both alike. The recorder is
    attached throughout and only steps in its segments; each recorded segment ends once the writer has put its
    rows on disk (`Recorder.flush`, counted in its time), so no writing spills into the next plain segment."""
    import weightstudio

    model, opt, loss_fn, batches = _loop_parts(net, threads)
    rec = weightstudio.record(model, f"{_scratch('ws-bench-')}/run", opt)

    def endless():
        while True:
            yield from batches()

    stream = endless()

    def run(n: int, recorded: bool) -> float:
        start = time.perf_counter()
        for _ in range(n):
            x, y = next(stream)
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if recorded:
                rec.step(loss=loss)
            else:
                loss.item()
        if recorded:
            rec.flush()
        return time.perf_counter() - start

    run(3, True)  # first-call costs are nobody's per-step cost
    warm = 3
    while (took := run(warm, False)) < 0.1:
        warm *= 2
    segment = max(1, round(PAIRED_SEGMENT_S * warm / took))
    pairs = max(PAIRED_PAIRS, -(-steps // segment))
    plain_s = recorded_s = 0.0
    for _ in range(pairs):
        plain_s += run(segment, False)
        recorded_s += run(segment, True)
    rec.close()
    n = pairs * segment
    return {"plain_steps_per_s": n / plain_s, "record_steps_per_s": n / recorded_s, "ratio": plain_s / recorded_s,
            "segment_steps": segment, "pairs": pairs}


def case_record_scale(steps: int, shots: str | None) -> dict:
    """The ResNet-18 recorded for `steps` steps (random batches of 32, all cores but one), the folder opened again: the
    history's bytes and tiers against the budgets, one weights-view and one heatmap refresh (median of 8)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import torch
    from PySide6.QtWidgets import QApplication

    import weightstudio

    from .core.history import SNAPSHOT_BUDGET, TRACE_BUDGET
    from .core.run_folder import open_run
    from .gui.views.heatmaps import HeatmapView
    from .gui.views.weights import WeightsView

    from .core.engine import MACHINE_CORES, choose_threads

    torch.manual_seed(0)
    model = resnet18()
    torch.set_num_threads(choose_threads(11_000_000, MACHINE_CORES))  # all cores but one, as the studio trains
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.randn(32, 3, 32, 32), torch.randint(0, 10, (32,))
    folder = f"{_scratch('ws-bench-')}/resnet18"
    start = time.perf_counter()
    with weightstudio.record(model, folder, opt, steps_per_epoch=10) as rec:
        for i in range(steps):
            out = model(x)
            loss = torch.nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            rec.step(loss=loss, accuracy=(out.argmax(1) == y).float().mean())
            if (i + 1) % 10 == 0:
                rec.epoch()
    record_s = time.perf_counter() - start
    t0 = time.perf_counter()
    run = open_run(folder)
    h = run.history
    out = {"steps": steps, "record_s": record_s, "open_s": time.perf_counter() - t0, "history_bytes": h.nbytes,
           "budget_bytes": TRACE_BUDGET + SNAPSHOT_BUDGET, "weights": h.total_weights, "traced": h.n_traced,
           "snapshots": h.snapshot_count(), "folder_bytes": sum(os.path.getsize(os.path.join(d, f))
                                                               for d, _, fs in os.walk(folder) for f in fs)}
    app = QApplication.instance() or QApplication([])
    for name, view in (("weights", WeightsView()), ("heatmap", HeatmapView())):
        view.resize(900, 600)
        view.show()
        view.set_run(run)
        if name == "heatmap":
            view.set_param("layer4.1.conv2.weight")
        view.refresh(force=True)
        app.processEvents()
        times = []
        for i in range(8):
            t0 = time.perf_counter()
            if name == "heatmap":  # another snapshot each time: the view skips an image it already shows
                view.show_snapshot(i % h.snapshot_count())
            view.refresh(force=True)
            app.processEvents()
            times.append(1000 * (time.perf_counter() - t0))
        out[f"{name}_refresh_ms"] = statistics.median(times)
        if shots:
            view.grab().save(os.path.join(shots, f"resnet18-{name}.png"))
        view.close()
    return out


def _peers() -> list[str]:
    """The watchers whose packages are importable here (plain and record always are)."""
    import importlib.util

    def importable(mod: str) -> bool:
        try:
            return importlib.util.find_spec(mod) is not None
        except (ImportError, ValueError):
            return False

    return [w for w in WATCHERS if w not in PEER_MODULES or importable(PEER_MODULES[w])]


def _watch_steps(net: str, watcher: str, quick: bool) -> int:
    base = {"linear-5x1": 1500, "quadratic-1-10-1": 1500, "digits-mlp": 600, "digits-cnn": 300, CNN: 12}[net]
    if watcher in PEER_MODULES and net != CNN:
        base //= 6  # tens of times slower: fewer steps measure them as well
    return max(8, base // 3 if quick else base)


def run_record(repeats: int, quick: bool, shots: str | None = None) -> dict:
    from .core.engine import MACHINE_CORES

    watchers = _peers()
    report = {"watchers": watchers, "skipped": [w for w in WATCHERS if w not in watchers], "rows": {}}
    rows = [(net, 1) for net in THROUGHPUT_PRESETS] + [(CNN, 1), (CNN, MACHINE_CORES)]
    for net, threads in rows:
        runs = {w: [] for w in watchers}
        for _ in range(repeats):  # interleaved, so a slow spell of the machine hits every column alike
            for w in watchers:
                r = _child("--case", "watch", "--preset", net, "--watcher", w, "--threads", str(threads),
                           "--steps", str(_watch_steps(net, w, quick)))
                runs[w].append(r["steps_per_s"])
            print(f"  {net} ({threads} thread{'s' if threads > 1 else ''}): "
                  + ", ".join(f"{w} {v[-1]:,.1f}/s" for w, v in runs.items()), flush=True)
        paired = [_child("--case", "record-paired", "--preset", net, "--threads", str(threads), "--steps",
                         str(_watch_steps(net, "record", quick)))["ratio"] for _ in range(repeats)]
        print(f"  {net} ({threads} thread{'s' if threads > 1 else ''}) paired: "
              + ", ".join(f"{v:.2f}" for v in paired), flush=True)
        plain = statistics.median(runs["plain"])
        report["rows"][f"{net}|{threads}"] = {
            "record_paired_ratio": statistics.median(paired), "record_paired_ratio_spread": [min(paired), max(paired)],
            "net": net, "threads": threads, "plain_steps_per_s": plain,
            **{f"{w}_ratio": statistics.median(v) / plain for w, v in runs.items() if w != "plain"},
            **{f"{w}_ratio_spread": [min(v) / plain, max(v) / plain] for w, v in runs.items() if w != "plain"}}
    args = ["--case", "record-scale", "--steps", str(20 if quick else 50)] + (["--shots", shots] if shots else [])
    report["scale"] = _child(*args)
    return report


def format_record(r: dict) -> str:
    cols = [w for w in r["watchers"] if w != "plain"]
    cols.insert(1, "record_paired")
    titles = {"record": "record()", "record_paired": "record(), paired in one process",
              "tensorboard": "TensorBoard add_histogram", "wandb": "wandb.watch log_freq=1"}
    out = ["Watching every parameter every step, steps/s as a share of a plain loop (median, spread in brackets)"
           + (f"; not installed, so no column: {', '.join(r['skipped'])}" if r["skipped"] else ""), "",
           "| net | threads | plain steps/s | " + " | ".join(titles[c] for c in cols) + " |",
           "|---|---|---|" + "---|" * len(cols)]
    for row in r["rows"].values():
        cells = [f"{row[f'{c}_ratio']:.2f} ({row[f'{c}_ratio_spread'][0]:.2f}–{row[f'{c}_ratio_spread'][1]:.2f})"
                 for c in cols]
        name = "ResNet-18, 3×32×32, batch 32" if row["net"] == CNN else row["net"]
        out.append(f"| {name} | {row['threads']} | {row['plain_steps_per_s']:,.1f} | " + " | ".join(cells) + " |")
    out += ["", f"record(), paired in one process: plain and recorded segments of one loop (about "
            f"{PAIRED_SEGMENT_S:g} s each, {PAIRED_PAIRS} pairs or more) alternate in one process, each recorded segment "
            "ending once its rows are on disk, so that the machine's slow spells fall on both alike; the other "
            "columns are separate processes, run in turn."]
    sc = r["scale"]
    out += ["", f"ResNet-18 recorded for {sc['steps']} steps ({sc['weights']:,} weights, {sc['traced']:,} traced "
            f"every step, {sc['snapshots']} full snapshots): history {sc['history_bytes'] / 2**20:.0f} MiB of a "
            f"{sc['budget_bytes'] / 2**20:.0f} MiB budget, folder {sc['folder_bytes'] / 2**20:.0f} MiB, opened in "
            f"{sc['open_s']:.1f} s; weights view refresh {sc['weights_refresh_ms']:.1f} ms, heatmap refresh "
            f"{sc['heatmap_refresh_ms']:.1f} ms"]
    return "\n".join(out)


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


CASES = ("plain", "plain-all", "engine", "window", "window-thread", "window-all")  # run in turn, `repeats` times
WINDOW_CASES = ("window", "window-all")  # whose whole results are summarised: the default layout, every view


def machine() -> dict:
    """The machine and the versions every figure depends on."""
    import numpy
    import PySide6
    import pyqtgraph
    import torch

    from .core.engine import MACHINE_CORES

    return {"cores": MACHINE_CORES, "python": platform.python_version(), "torch": torch.__version__,
            "pyside6": PySide6.__version__, "pyqtgraph": pyqtgraph.__version__, "numpy": numpy.__version__,
            "platform": platform.platform()}


def summarise(steps: int, runs: dict[str, list[float]], window_details: list[dict]) -> tuple[dict, dict]:
    """One preset's (throughput, responsiveness) rows from its cases' results: `runs` maps each of CASES to the
    steps/s of every repeat, `window_details` holds the window case's whole results. Ratios are to the median plain
    loop on the studio's thread count; "Start to last drawn" is to the faster of that and the all-cores loop, for
    the same steps."""
    plain = statistics.median(runs["plain"])
    best = max(plain, statistics.median(runs["plain-all"]))
    throughput = {
        "steps": steps,
        **{f"{k}_steps_per_s": statistics.median(v) for k, v in runs.items()},
        **{f"{k}_ratio": statistics.median(v) / plain for k, v in runs.items() if not k.startswith("plain")},
        **{f"{k}_ratio_spread": [min(v) / plain, max(v) / plain] for k, v in runs.items()
           if not k.startswith("plain")},
        "best_plain_steps_per_s": best,
    }
    drawn = [d for d in window_details if d.get("last_drawn_s")]
    if drawn:  # the plain loop's time for the steps the window trained, over the window's Start to last drawn
        shares = [d["steps"] / best / d["last_drawn_s"] for d in drawn]
        throughput.update(last_drawn_s=statistics.median(d["last_drawn_s"] for d in drawn),
                          plain_s=statistics.median(d["steps"] for d in drawn) / best,
                          last_drawn_ratio=statistics.median(shares),
                          last_drawn_ratio_spread=[min(shares), max(shares)])
    firsts = [d["first_step_s"] for d in window_details if d.get("first_step_s") is not None]
    if firsts:
        throughput["first_step_ms"] = 1000 * statistics.median(firsts)
    middle = sorted(window_details, key=lambda d: d["probe_p99_ms"])[len(window_details) // 2]
    responsiveness = {k: middle.get(k) for k in ("probe_p50_ms", "probe_p99_ms", "probe_max_ms", "fps",
                                                 "snapshots_per_s", "gui_cpu_share", "gui_ms_per_frame",
                                                 "training_cpu_share")}
    return throughput, responsiveness


def every_view_row(throughput: dict, responsiveness: dict) -> dict:
    """The every-view case's figures from `summarise` run on its results: its Start to last drawn and its
    responsiveness (the steady-state ratio is the throughput row's `window-all_ratio`)."""
    keys = ("last_drawn_s", "plain_s", "last_drawn_ratio", "last_drawn_ratio_spread")
    return {**{k: throughput[k] for k in keys if k in throughput}, **responsiveness}


def run_all(repeats: int, quick: bool, presets=THROUGHPUT_PRESETS, scale_steps: int = 10_000) -> dict:
    from .core.engine import MACHINE_CORES

    report = {"machine": machine(), "repeats": repeats, "quick": quick, "throughput": {}, "responsiveness": {},
              "every_view": {}}
    for preset in presets:
        steps = _steps_for(preset, quick)
        runs = {case: [] for case in CASES}
        details = {case: [] for case in WINDOW_CASES}
        for _ in range(repeats):  # interleaved, so a slow spell of the machine hits every case alike
            for case in runs:
                threads = ["--threads", str(MACHINE_CORES)] if case == "plain-all" else []
                r = _child("--case", case, "--preset", preset, "--steps", str(steps), *threads)
                runs[case].append(r["steps_per_s"])
                if case in details:
                    details[case].append(r)
            print(f"  {preset}: " + ", ".join(f"{k} {v[-1]:,.0f}/s" for k, v in runs.items()), flush=True)
        report["throughput"][preset], report["responsiveness"][preset] = summarise(steps, runs, details["window"])
        report["every_view"][preset] = every_view_row(*summarise(steps, runs, details["window-all"]))
    report["scale"] = _child("--case", "scale", "--steps", str(scale_steps // (4 if quick else 1)))
    starts = [_child("--case", "startup", "--t0", repr(time.time())) for _ in range(repeats)]
    report["startup"] = {k: statistics.median(s[k] for s in starts)
                         for k in ("splash_painted_s", "window_painted_s", "ready_s")}
    return report


def _spread(t: dict, key: str) -> str:
    lo, hi = t[f"{key}_spread"]
    return f"{t[key]:.2f} ({lo:.2f}–{hi:.2f})"


def _cpu_text(s: dict) -> str:
    """The steady-state row's CPU column: '0.95 · 1.02, 31 ms' (dashes for what was not measured)."""
    def num(v, fmt):
        return "–" if v is None else format(v, fmt)

    return (f"{num(s.get('gui_cpu_share'), '.2f')} · {num(s.get('training_cpu_share'), '.2f')}, "
            f"{num(s.get('gui_ms_per_frame'), '.0f')} ms")


EVERY_VIEW = ("Fit", "Loss", "Weights", "Heatmaps", "Gradients", "Distributions", "Activations")


def format_report(r: dict) -> str:
    m = r["machine"]
    out = [f"WeightStudio benchmark — {m['cores']} cores, Python {m['python']}, torch {m['torch']}, "
           f"PySide6 {m['pyside6']}, pyqtgraph {m['pyqtgraph']}, numpy {m.get('numpy', '?')}"
           + (f"; {r['repeats']} run{'s' if r['repeats'] > 1 else ''} of each case" if "repeats" in r else "")
           + (", --quick" if r.get("quick") else ""), "",
           "Steady state, while training (every view docked):", "",
           "| preset | plain steps/s | engine ÷ plain | window ÷ plain | window, training in a thread ÷ plain | "
           "GUI probe p50 / p99 / max ms | frames/s fit · loss · weights · heatmaps | CPU used: GUI · training "
           "(cores), GUI ms a frame |",
           "|---|---|---|---|---|---|---|---|"]
    for preset, t in r["throughput"].items():
        s = r["responsiveness"][preset]
        fps = s["fps"]
        out.append(
            f"| {preset} | {t['plain_steps_per_s']:,.0f} | {_spread(t, 'engine_ratio')} | "
            f"{_spread(t, 'window_ratio')} | {_spread(t, 'window-thread_ratio')} | "
            f"{s['probe_p50_ms']:.0f} / {s['probe_p99_ms']:.0f} / {s['probe_max_ms']:.0f} | "
            f"{fps.get('Fit', 0):.0f} · {fps.get('Loss', 0):.0f} · {fps.get('Weights', 0):.0f} · "
            f"{fps.get('Heatmaps', 0):.0f} (snapshots {s['snapshots_per_s']:.0f}/s) | {_cpu_text(s)} |")
    out += ["", "As a user sees it: Start pressed in the window until the weights view has painted the last step, "
            "against the same steps of the faster plain loop (one thread or all cores):", "",
            "| preset | steps | best plain steps/s (1 thread · all cores) | plain s | Start to last drawn s | "
            "plain ÷ window | Start → first step ms |", "|---|---|---|---|---|---|---|"]
    for preset, t in r["throughput"].items():
        drawn = (f"{t['plain_s']:.2f} | {t['last_drawn_s']:.2f} | {_spread(t, 'last_drawn_ratio')}"
                 if "last_drawn_s" in t else "– | not measured | –")
        first = f"{t['first_step_ms']:.0f}" if "first_step_ms" in t else "–"
        out.append(f"| {preset} | {t['steps']:,} | {t['plain_steps_per_s']:,.0f} · "
                   f"{t['plain-all_steps_per_s']:,.0f} | {drawn} | {first} |")
    if r.get("every_view"):
        out += ["", "Every view on screen (gradients, distributions and activations split out of the heatmap's tabs, "
                "the health dock raised; a 1920×1200 window):", "",
                "| preset | window ÷ plain | plain ÷ window, Start to last drawn | GUI probe p50 / p99 / max ms | "
                "frames/s " + " · ".join(v.lower() for v in EVERY_VIEW) + " | CPU used: GUI · training (cores), GUI "
                "ms a frame |", "|---|---|---|---|---|---|"]
        for preset, e in r["every_view"].items():
            t = r["throughput"][preset]
            drawn = _spread(e, "last_drawn_ratio") if "last_drawn_ratio" in e else "not measured"
            out.append(f"| {preset} | {_spread(t, 'window-all_ratio')} | {drawn} | "
                       f"{e['probe_p50_ms']:.0f} / {e['probe_p99_ms']:.0f} / {e['probe_max_ms']:.0f} | "
                       + " · ".join(f"{e['fps'].get(v, 0):.0f}" for v in EVERY_VIEW) + f" | {_cpu_text(e)} |")
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
    p.add_argument("--record", action="store_true",
                   help="measure record() beside TensorBoard and wandb instead (peers skipped when not installed)")
    p.add_argument("--shots", metavar="DIR", help="with --record: save the ResNet-18 views as PNGs in DIR")
    p.add_argument("--watcher", help=argparse.SUPPRESS)
    p.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    try:
        return _main(args)
    finally:
        _remove_scratch()


def _main(args) -> int:
    if args.case == "watch":
        print(json.dumps(case_watch(args.preset, args.steps, args.watcher, args.threads)), flush=True)
        return 0
    if args.case == "record-paired":
        print(json.dumps(case_record_paired(args.preset, args.steps, args.threads)), flush=True)
        return 0
    if args.case == "record-scale":
        print(json.dumps(case_record_scale(args.steps, args.shots)), flush=True)
        return 0
    if args.record:
        report = run_record(args.repeats, args.quick, args.shots)
        print(format_record(report))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(report, f, indent=2)
        return 0
    if args.case:
        fn = {"plain": case_plain, "engine": case_engine, "window": case_window,
              "plain-all": lambda preset, steps: case_plain(preset, steps, args.threads),
              "window-thread": lambda preset, steps: case_window(preset, steps, "thread"),
              "window-all": lambda preset, steps: case_window(preset, steps, every_view=True)}.get(args.case)
        if fn is not None:
            result = fn(args.preset, args.steps)
        elif args.case == "scale":
            result = case_scale(args.steps)
        else:
            result = case_startup(args.t0)
        print(json.dumps(result), flush=True)
        _remove_scratch()
        # A case's process ends here: skip the interpreter's teardown, in which PySide6 at times crashes (SIGSEGV
        # in shiboken) while destroying a window a case left behind, and which only costs time.
        sys.stderr.flush()
        os._exit(0)
    report = run_all(args.repeats, args.quick, args.presets)
    text = format_report(report)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
