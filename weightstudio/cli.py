"""The headless commands: `train`, `compare`, `presets`, `export-script`. Runs write the same files and figures as
the studio."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from . import __version__


class UsageError(Exception):
    """A bad argument or input: printed as one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="weightstudio", description="Watch a neural network's weights move.")
    p.add_argument("--version", action="version", version=f"WeightStudio {__version__}")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("presets", help="list the built-in presets")
    _run_options(sub.add_parser("train", help="train headless and write run files and figures"))
    c = _run_options(sub.add_parser("compare", help="train one run per value of a setting and compare them"))
    c.add_argument("--vary", required=True, metavar="SETTING=V1,V2,...",
                   help="the setting to vary and its values, e.g. optimizer=sgd,adam,rmsprop,adagrad "
                        "(settings: optimizer, weight_init, weight_decay, activation, lr, batch_size, momentum, l1, "
                        "seed)")
    x = sub.add_parser("export-script", help="write a run as a standalone PyTorch script that reproduces it")
    x.add_argument("run", type=Path, metavar="RUN", help="a run folder (with run.json) or a run.json")
    x.add_argument("--out", type=Path, default=Path("train_run.py"), help="the script to write (default train_run.py)")
    x.add_argument("--lang", choices=["en", "zh"], help="language of the comments (default: from LANG)")
    return p


def _run_options(t: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of a run: where its configuration comes from, what to change, where to write."""
    src = t.add_mutually_exclusive_group(required=True)
    src.add_argument("--preset", help="a preset name (see `weightstudio presets`)")
    src.add_argument("--config", type=Path, help="a run.json written by an earlier run")
    t.add_argument("--out", type=Path, required=True, help="folder for run.json, history.npz, metrics.csv, PNGs")
    t.add_argument("--epochs", type=int)
    t.add_argument("--lr", type=float, help="learning rate")
    t.add_argument("--optimizer", choices=["sgd", "adam", "rmsprop", "adagrad"])
    t.add_argument("--batch-size", type=int, help="samples per step (0 = the whole training set)")
    t.add_argument("--seed", type=int)
    t.add_argument("--device", choices=["cpu", "cuda"])
    t.add_argument("--weight-decay", type=float, help="L2 penalty")
    t.add_argument("--data", type=Path, metavar="FILE", help="train on a .csv or .npz file instead")
    t.add_argument("--mnist", type=Path, metavar="DIR", help="train on MNIST IDX files in DIR")
    t.add_argument("--cifar10", type=Path, metavar="DIR", help="train on CIFAR-10 binary batches in DIR")
    t.add_argument("--no-figures", action="store_true", help="write the data files only")
    t.add_argument("--quiet", action="store_true", help="print only the final line")
    return t


def _config(args):
    from .core.config import RunConfig
    from .core.io import load_run_config
    from .core.presets import get_preset

    if args.config is not None:
        cfg: RunConfig = load_run_config(args.config)
    else:
        try:
            cfg = get_preset(args.preset).config()
        except KeyError as e:
            raise UsageError(e.args[0]) from None
    changes = {k: v for k, v in {
        "epochs": args.epochs, "lr": args.lr, "optimizer": args.optimizer, "seed": args.seed,
        "device": args.device, "weight_decay": args.weight_decay}.items() if v is not None}
    if args.batch_size is not None:
        changes["batch_size"] = args.batch_size or None
    if args.data is not None:
        kind = args.data.suffix.lower().lstrip(".")
        if kind not in ("csv", "npz"):
            raise UsageError(f"--data {args.data}: expected a .csv or .npz file")
        cfg.data = {"source": kind, "path": str(args.data)}
    elif args.mnist is not None:
        shape = "image" if len(cfg.model.input_shape) == 3 else "flat"
        cfg.data = {"source": "mnist", "path": str(args.mnist), "shape": shape, "val_fraction": 0.0}
    elif args.cifar10 is not None:
        cfg.data = {"source": "cifar10", "path": str(args.cifar10), "val_fraction": 0.0}
    return cfg.with_train(**changes)


def train(args) -> int:
    from .core.data import load_dataset

    cfg = _config(args)
    _check_out(args.out)  # before any work: a run whose files cannot be written is lost
    with _writing(args.out, "weightstudio train"):
        status, _trainer = _train_one(cfg, load_dataset(cfg.data, cfg.train.seed), args.out, args)
    return 1 if status == "diverged" else 0


def compare(args) -> int:
    """`weightstudio compare ... --vary S=V1,V2 --out DIR`: one run folder per value and summary.csv."""
    from .core.assemble import assemble
    from .core.compare import parse_vary, value_text, vary
    from .core.data import load_dataset

    base = _config(args)
    variation = parse_vary(args.vary)
    configs = vary(base, variation)  # every value checked before any run starts
    datasets = {}
    for cfg in configs:  # and every run assembled on its data, too
        seed = cfg.train.seed
        datasets.setdefault(seed, load_dataset(cfg.data, seed))
        assemble(cfg, datasets[seed])
    _check_out(args.out)
    rows = []
    with _writing(args.out, "weightstudio compare"):  # one lock for the runs' folders inside it, too
        for i, (cfg, value) in enumerate(zip(configs, variation.values)):
            name = f"{i + 1}-{variation.setting}-{value_text(value)}"
            if not args.quiet:
                print(f"== {name}", flush=True)
            status, trainer = _train_one(cfg, datasets[cfg.train.seed], args.out / name, args)
            e = trainer.history.epoch_data()
            last = {k: (f"{e[k][-1]:.6g}" if len(e[k]) else "") for k in ("train_loss", "val_loss", "train_acc",
                                                                          "val_acc")}
            rows.append({"run": name, "setting": variation.setting, "value": value_text(value), **last,
                         "status": status})
        _write_summary(args.out / "summary.csv", rows)
    print(f"compared {len(rows)} runs of {variation.title}; summary in {args.out / 'summary.csv'}")
    return 1 if any(r["status"] == "diverged" for r in rows) else 0


def _write_summary(path: Path, rows: list[dict]) -> None:
    import csv

    from .core.atomic import atomic_write

    with atomic_write(path, "w") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows({k: ("" if v == "nan" else v) for k, v in row.items()} for row in rows)


def _train_one(cfg, dataset, out: Path, args):
    """Assemble, train and write one run folder; returns (final status, trainer)."""
    import torch

    from .core.assemble import assemble
    from .core.builder import param_table
    from .core.engine import Trainer, choose_threads
    from .core.io import save_run, write_json

    assembled = assemble(cfg, dataset)  # as the window does: input shape, loss and output layer follow the data
    cfg = assembled.config
    torch.set_num_threads(choose_threads(sum(p.count for p in param_table(cfg.model))))
    trainer = Trainer(cfg, dataset)
    epochs, t0 = cfg.train.epochs, time.perf_counter()
    every = max(1, epochs // 10)

    def progress(epoch: int) -> None:
        if args.quiet or (epoch % every and epoch != epochs):
            return
        e = trainer.history.epoch_data()
        line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  train_loss {e['train_loss'][-1]:.5g}"
        if len(dataset.x_val):
            line += f"  val_loss {e['val_loss'][-1]:.5g}"
            if trainer.classification:
                line += f"  val_acc {100 * e['val_acc'][-1]:.1f}%"
        rate = trainer.step / (time.perf_counter() - t0)
        print(f"{line}  ({rate:.0f} steps/s)", flush=True)

    if not args.quiet:
        for note in assembled.notes:
            print(note, flush=True)
        print(f"{cfg.name or 'run'}: {dataset.summary()}; {trainer.steps_per_epoch} step(s) per epoch", flush=True)
    status = trainer.run(progress=progress)
    out = save_run(out, cfg, trainer.history, dataset)
    write_json(out / "status.json", {"status": status, "message": trainer.history.message,
                                     "epochs": trainer.epoch, "steps": trainer.step})
    _health(cfg, dataset, trainer.history, out, args.quiet)
    if not args.no_figures:
        _figures(cfg, dataset, trainer.history, out)
    if status == "diverged":
        print(f"weightstudio: {trainer.history.message}; files written to {out}", file=sys.stderr)
    else:
        print(f"done: {trainer.epoch} epochs, {trainer.step} steps in {time.perf_counter() - t0:.1f} s; "
              f"files in {out}")
    return status, trainer


def _check_out(out: Path) -> None:
    """UsageError unless `out` is (or can become) a folder this process can write files in."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise UsageError(f"--out {out}: cannot write there ({e.strerror or e})") from None


@contextmanager
def _writing(out: Path, what: str):
    """Hold `out`'s writer lock (core/writer_lock.py) while the block writes it; a second writer gets a UsageError
    naming the one at work."""
    from .core.writer_lock import FolderLockedError, acquire_writer_lock

    try:
        lock = acquire_writer_lock(out, what)
    except FolderLockedError as e:
        raise UsageError(f"--out {e}") from None
    try:
        if lock.took_over:
            print(f"weightstudio: {lock.took_over}", file=sys.stderr)
        yield
    finally:
        lock.release()


def _health(cfg, dataset, history, out: Path, quiet: bool) -> None:
    """health.json: what the health check names in the run (vanishing gradients, dead units, ...), also printed."""
    from .core import health
    from .core.run_data import RunData

    findings = health.check(RunData(cfg, dataset, history))
    health.write_json(out / "health.json", findings)
    if not quiet:
        for finding in findings:
            print(f"health: {finding.line()}", flush=True)


def _figures(cfg, dataset, history, out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from .core.run_data import RunData
    from .gui.figures import write_analysis_figures, write_figures

    def only_errors(kind, _context, message: str) -> None:
        # The offscreen platform warns about window features it lacks on every figure: noise in a terminal.
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(only_errors)
    run = RunData(cfg, dataset, history)
    write_figures(run, out)
    write_analysis_figures(run, out)


def export_script_command(args) -> int:
    """`weightstudio export-script RUN --out train_run.py`: the run as a torch + numpy script; errors in one line."""
    from .core.config import ConfigError
    from .core.export import export_script
    from .core.io import load_run_config

    run = args.run / "run.json" if args.run.is_dir() else args.run
    out = args.out / "train_run.py" if args.out.is_dir() else args.out
    try:
        written = export_script(load_run_config(run), out, lang=args.lang)
    except ConfigError as e:  # a bad run.json, or a run that cannot be exported (ExportError)
        print(f"weightstudio: error: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print(f"run it: python {out} --out results")
    return 0


def list_presets() -> int:
    from .core.presets import PRESETS

    width = max(map(len, PRESETS))
    for p in PRESETS.values():
        print(f"{p.name:<{width}}  {p.title}")
    return 0


def main(argv: list[str]) -> int:
    """Run a command-line command; returns the exit code: 0 done, 1 training diverged, 2 bad input (one line on
    stderr naming it), 3 an internal error (one line, and the traceback in a log file it names)."""
    from .core.config import ConfigError
    from .core.data import DataError
    from .core.spec import SpecError

    args = _parser().parse_args(argv)
    try:
        if args.command == "presets":
            return list_presets()
        if args.command == "export-script":
            return export_script_command(args)
        if args.command == "compare":
            return compare(args)
        return train(args)
    except (UsageError, ConfigError, DataError, SpecError) as e:
        print(f"weightstudio: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a full disk, a folder that went away: the environment, not the input's form
        print(f"weightstudio: error: {_os_error_text(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("weightstudio: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # the last line of defence: one line for the user, the traceback for a bug report
        log = _crash_log()
        print(f"weightstudio: internal error: {type(e).__name__}: {e} (traceback in {log})", file=sys.stderr)
        return 3


def _os_error_text(e: OSError) -> str:
    """One line naming the file: a WriteError says it itself; others as `file: reason`."""
    from .core.atomic import WriteError

    if isinstance(e, WriteError) or not e.filename:
        return str(e)
    return f"{e.filename}: {e.strerror or e}"


def _crash_log() -> Path:
    """Write the current exception's traceback to a new file in the temporary folder and return its path."""
    fd, path = tempfile.mkstemp(prefix="weightstudio-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"WeightStudio {__version__}, argv {sys.argv!r}\n\n")
        traceback.print_exc(file=f)
    return Path(path)
