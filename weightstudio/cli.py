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
from .core.messages import _, localise_argparse


class UsageError(Exception):
    """A bad argument or input: printed as one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    localise_argparse()
    p = argparse.ArgumentParser(prog="weightstudio", description=_("Watch a neural network's weights move."))
    p.add_argument("--version", action="version", version=f"WeightStudio {__version__}")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("presets", help=_("list the built-in presets"))
    _run_options(sub.add_parser("train", help=_("train headless and write run files and figures")))
    c = _run_options(sub.add_parser("compare", help=_("train one run per value of a setting and compare them")),
                     lesson=True)
    c.add_argument("--vary", metavar="SETTING=V1,V2,...",
                   help=_("the setting to vary and its values, e.g. optimizer=sgd,adam,rmsprop,adagrad "
                          "(settings: optimizer, weight_init, weight_decay, activation, lr, batch_size, momentum, l1, "
                          "seed); a --lesson brings its own"))
    x = sub.add_parser("export-script", help=_("write a run as a standalone PyTorch script that reproduces it"))
    x.add_argument("run", type=Path, metavar="RUN", help=_("a run folder (with run.json) or a run.json"))
    x.add_argument("--out", type=Path, default=Path("train_run.py"),
                   help=_("the script to write (default train_run.py)"))
    x.add_argument("--lang", choices=["en", "zh"], help=_("language of the comments (default: from LANG)"))
    return p


def _run_options(t: argparse.ArgumentParser, lesson: bool = False) -> argparse.ArgumentParser:
    """The options of a run: where its configuration comes from, what to change, where to write."""
    src = t.add_mutually_exclusive_group(required=True)
    src.add_argument("--preset", help=_("a preset name (see `weightstudio presets`)"))
    src.add_argument("--config", type=Path, help=_("a run.json written by an earlier run"))
    if lesson:
        src.add_argument("--lesson", help=_("a lesson of the Lessons menu: initialisation, l2, optimizers, "
                                            "activations, learning-rates"))
    t.add_argument("--out", type=Path, required=True, help=_("folder for run.json, history.npz, metrics.csv, PNGs"))
    t.add_argument("--epochs", type=int)
    t.add_argument("--lr", type=float, help=_("learning rate"))
    t.add_argument("--optimizer", choices=["sgd", "adam", "rmsprop", "adagrad"])
    t.add_argument("--batch-size", type=int, help=_("samples per step (0 = the whole training set)"))
    t.add_argument("--seed", type=int)
    t.add_argument("--device", choices=["cpu", "cuda"])
    t.add_argument("--weight-decay", type=float, help=_("L2 penalty"))
    t.add_argument("--data", type=Path, metavar="FILE", help=_("train on a .csv or .npz file instead"))
    t.add_argument("--mnist", type=Path, metavar="DIR", help=_("train on MNIST IDX files in DIR"))
    t.add_argument("--cifar10", type=Path, metavar="DIR", help=_("train on CIFAR-10 binary batches in DIR"))
    t.add_argument("--no-figures", action="store_true", help=_("write the data files only"))
    t.add_argument("--quiet", action="store_true", help=_("print only the final line"))
    return t


def _config(args):
    from .core.config import RunConfig
    from .core.io import load_run_config
    from .core.presets import get_preset

    if getattr(args, "lesson", None) is not None:
        from .core.lessons import get_lesson

        try:
            cfg: RunConfig = get_lesson(args.lesson).config()
        except KeyError as e:
            raise UsageError(e.args[0]) from None
    elif args.config is not None:
        cfg = load_run_config(args.config)
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
            raise UsageError(_("--data {path}: expected a .csv or .npz file", path=args.data))
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
    if args.vary is None and args.lesson is None:
        raise UsageError(_("compare: give --vary SETTING=V1,V2,... (or a --lesson)"))
    variation = parse_vary(args.vary) if args.vary is not None else _lesson_variation(args.lesson)
    configs = vary(base, variation)  # every value checked before any run starts
    datasets = {}
    for cfg in configs:  # and every run assembled on its data, too
        seed = cfg.train.seed
        datasets.setdefault(seed, load_dataset(cfg.data, seed))
        assemble(cfg, datasets[seed])
    _check_out(args.out)
    rows, runs = [], []
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
            runs.append((trainer, name))
        _write_summary(args.out / "summary.csv", rows)
        if not args.no_figures:
            _compare_figures(runs, args.out)
    print(_("compared {n} runs of {title}; summary in {path}", n=len(rows), title=variation.title,
            path=args.out / "summary.csv"))
    return 1 if any(r["status"] == "diverged" for r in rows) else 0


def _lesson_variation(name: str):
    from .core.lessons import get_lesson

    return get_lesson(name).variation()


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
        line = _("epoch {epoch}/{epochs}  train_loss {loss:.5g}", epoch=f"{epoch:>{len(str(epochs))}}",
                 epochs=epochs, loss=e["train_loss"][-1])
        if len(dataset.x_val):
            line += _("  val_loss {loss:.5g}", loss=e["val_loss"][-1])
            if trainer.classification:
                line += _("  val_acc {acc:.1f}%", acc=100 * e["val_acc"][-1])
        rate = trainer.step / (time.perf_counter() - t0)
        print(_("{line}  ({rate:.0f} steps/s)", line=line, rate=rate), flush=True)

    if not args.quiet:
        for note in assembled.notes:
            print(note, flush=True)
        print(_("{name}: {summary}; {steps} step(s) per epoch", name=cfg.name or "run", summary=dataset.summary(),
                steps=trainer.steps_per_epoch), flush=True)
    status = trainer.run(progress=progress)
    out = save_run(out, cfg, trainer.history, dataset)
    write_json(out / "status.json", {"status": status, "message": trainer.history.message,
                                     "epochs": trainer.epoch, "steps": trainer.step})
    _health(cfg, dataset, trainer.history, out, args.quiet)
    if not args.no_figures:
        _figures(cfg, dataset, trainer.history, out)
    if status == "diverged":
        print(_("weightstudio: {message}; files written to {out}", message=trainer.history.message, out=out),
              file=sys.stderr)
    else:
        print(_("done: {epochs} epochs, {steps} steps in {seconds:.1f} s; files in {out}", epochs=trainer.epoch,
                steps=trainer.step, seconds=time.perf_counter() - t0, out=out))
    return status, trainer


def _check_out(out: Path) -> None:
    """UsageError unless `out` is (or can become) a folder this process can write files in."""
    if out.exists() and not out.is_dir():
        raise UsageError(_("--out {out}: is a file, not a folder", out=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise UsageError(_("--out {out}: cannot write there ({reason})", out=out, reason=e.strerror or e)) from None


@contextmanager
def _writing(out: Path, what: str):
    """Hold `out`'s writer lock (core/writer_lock.py) while the block writes it; a second writer gets a UsageError
    naming the one at work."""
    from .core.writer_lock import FolderLockedError, acquire_writer_lock

    try:
        lock = acquire_writer_lock(out, what)
    except FolderLockedError as e:
        raise UsageError(_("--out {e}", e=e)) from None
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
            print(_("health: {finding}", finding=finding.line()), flush=True)


def _quiet_qt() -> None:
    """Offscreen Qt for figures, printing only its errors."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def only_errors(kind, _context, message: str) -> None:
        # The offscreen platform warns about window features it lacks on every figure: noise in a terminal.
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(only_errors)


def _figures(cfg, dataset, history, out: Path) -> None:
    _quiet_qt()
    from .core.run_data import RunData
    from .gui.figures import write_analysis_figures, write_figures

    run = RunData(cfg, dataset, history)
    write_figures(run, out)
    write_analysis_figures(run, out)


def _compare_figures(runs, out: Path) -> None:
    """loss.png, weights.png and heatmaps.png of the compared runs in `out`, beside summary.csv."""
    _quiet_qt()
    from .core.run_data import RunData
    from .gui.figures import write_compare_figures

    write_compare_figures([(RunData(t.config, t.dataset, t.history), name) for t, name in runs], out)


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
        print(_("weightstudio: error: {error}", error=e), file=sys.stderr)
        return 2
    for path in written:
        print(_("wrote {path}", path=path))
    print(_("run it: python {script} --out results", script=out))
    return 0


def list_presets() -> int:
    from .core.presets import PRESETS

    width = max(map(len, PRESETS))
    for p in PRESETS.values():
        print(f"{p.name:<{width}}  {_(p.title)}")
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
        print(_("weightstudio: error: {error}", error=e), file=sys.stderr)
        return 2
    except OSError as e:  # a full disk, a folder that went away: the environment, not the input's form
        print(_("weightstudio: error: {error}", error=_os_error_text(e)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("weightstudio: interrupted"), file=sys.stderr)
        return 130
    except Exception as e:  # the last line of defence: one line for the user, the traceback for a bug report
        log = _crash_log()
        print(_("weightstudio: internal error: {kind}: {error} (traceback in {log})", kind=type(e).__name__, error=e,
                log=log), file=sys.stderr)
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
