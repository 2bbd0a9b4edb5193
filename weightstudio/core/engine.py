"""The training loop. Qt-free: the GUI's worker, the CLI and the tests all drive the same `Trainer`.

The loop is steered through a `Control` (pause, resume, step one epoch, stop, change the learning rate), checked
between steps, and reports through an `events` callback (a plain function; the GUI worker turns the calls into Qt
signals). Data never travels through events: it goes into the `History`, which readers poll.
"""

from __future__ import annotations

import math
import os
import time
from typing import Callable

import numpy as np
import torch

from .assemble import check
from .budget import check_memory
from .builder import build_model, param_table
from .config import ConfigError, RunConfig, check_lr
from .control import Control, Events, no_events
from .data import Dataset, load_dataset
from .history import STEP_COLUMNS, History
from .pending import FLUSH_S, PendingRows
from .stats import Sketcher, UpdateRatios
from .tasks import Event, RunState, get_loss

PACE_SLEEP_S = 0.05  # a paced loop sleeps in slices this long, so a stop is seen at once
PACE_SLACK_S = 0.25  # a paced loop this far behind (it was paused) starts its clock again instead of racing

# Read once, from the OS: torch's thread count is a setting the window lowers for itself, not the machine's size.
MACHINE_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def choose_threads(n_weights: int, cores: int = MACHINE_CORES) -> int:
    """Small models train fastest on one thread; big ones get all cores but one, so the GUI keeps a core."""
    return 1 if n_weights < 200_000 else max(1, cores - 1)


class _ProgressSlot:
    """A Trainer attribute stored in item `index` of its `progress` array."""

    def __init__(self, index: int, cast):
        self.index, self.cast = index, cast

    def __get__(self, trainer, owner=None):
        return self if trainer is None else self.cast(trainer._progress[self.index])

    def __set__(self, trainer, value) -> None:
        trainer._progress[self.index] = value


class Trainer:
    """Owns the model, the data, the optimizer and the history of one run.

    Same config and seed ⇒ same initial weights, same data, same batches, same results (bit for bit on the CPU).
    `reset()` returns to the same initial weights; a new seed needs a new Trainer.
    """

    def __init__(self, config: RunConfig, dataset: Dataset | None = None, live_interval: float | None = None,
                 history_factory: Callable[..., History] = History, progress: np.ndarray | None = None):
        """`history_factory(params_info, steps_per_epoch, trace_seed=...)` makes each run's History: the in-process
        one by default; the training process passes one that makes shared histories, so the window can read.
        `progress` is a float64 array [step, epoch, lr] the trainer keeps its position in: the training process
        passes one in shared memory, so the window reads it without asking the busy child."""
        self._progress = memoryview(np.zeros(3) if progress is None else progress)  # plain-float items: read often
        self._history_factory = history_factory
        self.config = config
        t = config.train
        t.validate()  # before the data: a bad seed must not reach the generators
        self.dataset = dataset if dataset is not None else load_dataset(config.data, t.seed)
        check(config, self.dataset)
        if t.device == "cuda" and not torch.cuda.is_available():
            raise ConfigError("train.device: cuda was asked for but torch sees no CUDA device; use cpu")
        self.device = torch.device(t.device)
        self.loss = get_loss(t.loss)
        torch.manual_seed(t.seed)
        self.model = build_model(config.model).to(self.device)
        self.params_info = param_table(config.model)
        self._flatten_parameters()
        self.initial_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        self.x_train = self._inputs(self.dataset.x_train)
        self.y_train = self._targets(self.dataset.y_train)
        self.x_val = self._inputs(self.dataset.x_val)
        self.y_val = self._targets(self.dataset.y_val)
        n = len(self.x_train)
        self.batch_size = n if t.batch_size is None else min(t.batch_size, n)
        self.steps_per_epoch = math.ceil(n / self.batch_size)
        self.loss_fn = self.loss.module()
        # Seconds between copies of every parameter for live views between epochs; None (headless) for never.
        self.live_interval = live_interval
        self.reset()
        check_memory(self.history, t.epochs)  # before the first step, not when the machine runs out

    # ---- where the run stands, kept in `progress` (the window reads it across processes) ----
    step = _ProgressSlot(0, int)
    epoch = _ProgressSlot(1, int)
    lr = _ProgressSlot(2, float)

    # ---- set-up ----
    @property
    def classification(self) -> bool:
        return self.loss.classification

    @property
    def n_outputs(self) -> int:
        return self.loss.n_outputs(self.dataset)

    def _inputs(self, x: np.ndarray) -> torch.Tensor:
        # Canonical strides: numpy may give a size-1 channel dim any stride, and conv then takes the channels-last
        # path, whose sums differ in the last bits from those of the same data loaded from data.npz. An array that
        # already has them (the dataset shared with the training process) is used in place, not held twice.
        t = torch.as_tensor(x, device=self.device)
        canonical = tuple(int(s) for s in np.cumprod((1,) + t.shape[:0:-1])[::-1]) if t.dim() else ()
        return t if t.stride() == canonical and t.numel() else t.clone(memory_format=torch.contiguous_format)

    def _targets(self, y: np.ndarray) -> torch.Tensor:
        return self.loss.targets(torch.as_tensor(y, device=self.device))

    def _make_optimizer(self) -> torch.optim.Optimizer:
        t, params = self.config.train, self.model.parameters()
        if t.optimizer == "sgd":
            return torch.optim.SGD(params, lr=t.lr, momentum=t.momentum, nesterov=t.nesterov,
                                   weight_decay=t.weight_decay)
        cls = {"adam": torch.optim.Adam, "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}[t.optimizer]
        return cls(params, lr=t.lr, weight_decay=t.weight_decay)

    def _flatten_parameters(self) -> None:
        """Make every parameter (and its gradient) a view into one flat buffer, so recording a step is one copy.

        The optimizers update parameters in place and `zero_grad(set_to_none=False)` keeps the gradient views, so
        the numbers are exactly those of a plain loop (0 + g is g).
        """
        self._param_list = [p for _, p in self.model.named_parameters()]
        sizes = [p.numel() for p in self._param_list]
        with torch.no_grad():
            self._flat = torch.cat([p.detach().reshape(-1) for p in self._param_list])
        self._flat_grad = torch.zeros_like(self._flat)
        # On the CPU, numpy views of the two buffers: a step reads them with numpy calls, cheaper than torch's.
        cpu = self._flat.device.type == "cpu"
        self._flat_np = self._flat.numpy() if cpu else None
        self._flat_grad_np = self._flat_grad.numpy() if cpu else None
        start = 0
        for p, n in zip(self._param_list, sizes):
            p.data = self._flat[start:start + n].view_as(p)
            p.grad = self._flat_grad[start:start + n].view_as(p)
            start += n
        self._grad_views = [p.grad for p in self._param_list]
        self._grad_np_views = [] if not cpu else [self._flat_grad_np[a - n:a] for a, n in
                                                  zip(np.cumsum(sizes), sizes)]

    def reset(self) -> None:
        """Back to the initial weights of this seed, a fresh optimizer and an empty history."""
        t = self.config.train
        self.model.load_state_dict(self.initial_state)
        self.optimizer = self._make_optimizer()
        self.shuffle = torch.Generator().manual_seed(t.seed)
        torch.manual_seed(t.seed)  # dropout draws from the global generator
        self.step = 0
        self.epoch = 0
        self.lr = t.lr
        self.history = self._history_factory(self.params_info, self.steps_per_epoch, trace_seed=t.seed)
        offsets = np.cumsum([0] + [p.count for p in self.params_info])[:-1]
        self._trace_index = None if not self.history.sampled else torch.as_tensor(
            np.concatenate([off + idx for off, idx in zip(offsets, self.history.traced)]), device=self.device)
        self._trace_index_np = None if self._trace_index is None or self._flat_np is None else \
            self._trace_index.numpy()
        self._pending = PendingRows(self.history)
        self._acc_rows: list[int] = []  # pending rows whose accuracy is still a tensor (in _acc_values)
        self._acc_values: list[torch.Tensor] = []
        self._epoch_accs: list[float] = []
        self._flush_due = 0.0
        self._finite = np.empty(self.history.n_traced, bool)
        self._flat_grad.zero_()
        self._last_live = 0.0
        self._due: float | None = None  # when the next paced step may start
        traced = self._traced_values()
        # A run that holds on divergence keeps its last finite weights: the history's last traced row when every
        # weight is traced, else this buffer, filled before each of its steps.
        self._last_finite = None if self._trace_index is None else torch.empty_like(self._flat)
        self.history.record_initial(self._flat_params(), traced)
        self._set_up_statistics(offsets, traced)

    def _set_up_statistics(self, offsets: np.ndarray, traced: np.ndarray) -> None:
        """Update ratios from consecutive traced copies, distribution sketches of (a sample of) every parameter
        and gradient every `history.sketch_every` steps. Both read numpy copies (or index_select copies) only, so
        the training numbers do not change; both read at most `SKETCH_SAMPLE` values per parameter, so their cost
        does not grow with the net (history.py's module docstring gives the budget)."""
        h = self.history
        sample = None if h.sketched is None else np.concatenate([off + i for off, i in zip(offsets, h.sketched)])
        # A net traced in full has its sketch sample among the traced values: pick them out of that copy.
        self._pick = sample if (sample is not None and self._trace_index is None) else None
        self._sketch_index = None if sample is None else torch.as_tensor(sample, device=self.device)
        ratio_sizes = h.sketch_sizes if self._pick is not None else [len(t) for t in h.traced]
        self._ratios = UpdateRatios(ratio_sizes)
        self._prev_ratio_values = self._ratio_values(traced)
        self._ratios.start(self._prev_ratio_values)
        self._sketcher = Sketcher(h.sketch_sizes * 2)
        self._record_sketch(traced, initial=True)

    def _ratio_values(self, traced: np.ndarray) -> np.ndarray:
        return traced if self._pick is None else traced[self._pick]

    def _record_sketch(self, traced: np.ndarray, initial: bool = False) -> None:
        if self._sketch_index is None:
            w = traced if self._trace_index is None else self._flat_params()
            g = None if initial else self._flat_grads()
        else:
            w = traced[self._pick] if self._pick is not None else self._to_numpy(
                self._flat.index_select(0, self._sketch_index))
            g = None if initial else self._to_numpy(self._flat_grad.index_select(0, self._sketch_index))
        if g is None:  # no gradient before the first step
            g = np.full_like(w, np.nan)
        self.history.record_sketch(self.step, self._sketcher(np.concatenate([w, g])))

    # ---- numbers out of the model (copies, never views of tensors the loop mutates) ----
    def _to_numpy(self, t: torch.Tensor) -> np.ndarray:
        """A float32 copy of `t` (all of the loop's tensors are float32 on self.device). On the CPU one numpy copy:
        this runs several times a step, and each torch call costs microseconds a tiny net's step does not have."""
        if self.device.type == "cpu":
            return t.detach().numpy().copy()
        return t.detach().cpu().numpy()  # .cpu() made the copy

    def _flat_params(self) -> np.ndarray:
        return self._to_numpy(self._flat)

    def _flat_grads(self) -> np.ndarray:
        return self._to_numpy(self._flat_grad)

    def _traced_values(self) -> np.ndarray:
        return self._to_numpy(self._flat if self._trace_index is None else self._flat.index_select(0, self._trace_index))

    def state_dict(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().cpu().clone() for k, v in self.model.state_dict().items()}

    # ---- training ----
    @staticmethod
    def new_control() -> Control:
        """A Control for the next `run` (RemoteTrainer's crosses into its training process)."""
        return Control()

    def set_lr(self, lr: float) -> None:
        check_lr(lr)
        self.lr = lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def _batches(self):
        n = len(self.x_train)
        if self.batch_size >= n:
            yield self.x_train, self.y_train  # whole set, in order, as the seed scripts train
            return
        order = torch.randperm(n, generator=self.shuffle).to(self.device)
        for start in range(0, n, self.batch_size):
            idx = order[start:start + self.batch_size]
            yield self.x_train[idx], self.y_train[idx]

    def _loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        loss = self.loss_fn(out, y)
        l1 = self.config.train.l1
        if l1:
            loss = loss + l1 * sum(p.abs().sum() for n, p in self.model.named_parameters() if n.endswith("weight"))
        return loss

    def _keep_pace(self, control: Control) -> bool:
        """Sleep until the next step is due at `control.pace` steps per second (here, in the training process or
        thread: the window never waits). False when a stop came meanwhile."""
        rate = control.pace
        if rate <= 0:
            self._due = None
            return True
        now = time.monotonic()
        if self._due is None or now - self._due > PACE_SLACK_S:  # the first paced step, or after a pause
            self._due = now
        while now < self._due:
            if control.stop_requested:
                return False
            time.sleep(min(PACE_SLEEP_S, self._due - now))
            now = time.monotonic()
        self._due += 1.0 / rate
        return True

    def _train_step(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, torch.Tensor | None]:
        """One optimizer step: (the loss, the accuracy as a 0-d tensor or None), read out in bulk later."""
        out = self.model(x)
        loss = self._loss(out, y)
        self._flat_grad.zero_()  # zero_grad() for all parameters in one op, keeping their views
        loss.backward()
        self.optimizer.step()
        self.step += 1
        return loss.item(), self.loss.accuracy(out, y)

    def _take_traced(self) -> np.ndarray:
        """The traced weights now, copied into the next pending row (returned)."""
        row = self._pending.traces[self._pending.n]
        if self._flat_np is None:
            row[:] = self._traced_values()
        elif self._trace_index_np is None:
            np.copyto(row, self._flat_np)
        else:
            np.take(self._flat_np, self._trace_index_np, out=row)
        return row

    def _all_finite(self, values: np.ndarray) -> bool:
        return bool(np.logical_and.reduce(np.isfinite(values, out=self._finite)))  # .all()'s Python layer costs

    def _record_step(self, loss: float, acc: torch.Tensor | None, epoch_pos: float, traced: np.ndarray) -> None:
        """The step's row (its traced weights are in it already); update ratios and accuracy come at hand-over."""
        pending = self._pending
        i = pending.n
        pending.keys[i] = self.step
        row = pending.steps[i]
        row[0], row[1], row[3] = epoch_pos, loss, self.lr
        if acc is None:
            row[2] = math.nan
        else:
            self._acc_rows.append(i)
            self._acc_values.append(acc)
        norms = row[len(STEP_COLUMNS):len(STEP_COLUMNS) + pending.n_params]
        if self._flat_np is not None and not self.history.sampled:  # a small net: a dot per parameter
            for k, g in enumerate(self._grad_np_views):
                norms[k] = math.sqrt(np.dot(g, g))
        else:
            with torch.no_grad():  # one fused call for every layer's norm
                norms[:] = self._to_numpy(torch.stack(torch._foreach_norm(self._grad_views)))
        pending.n = i + 1
        if self.step % self.history.sketch_every == 0:
            self._record_sketch(traced)
        if self.live_interval is not None and time.monotonic() - self._last_live >= self.live_interval:
            self._hand_over()
            self._last_live = time.monotonic()
            self.history.record_live(self.step, self._flat_params())
        elif pending.full or time.monotonic() >= self._flush_due:
            self._hand_over()

    def _read_accuracies(self) -> None:
        """The pending steps' accuracy tensors as numbers: in their rows, and in the epoch's list."""
        if not self._acc_values:
            return
        values = torch.stack(self._acc_values).tolist()
        self._pending.steps[self._acc_rows, 2] = values
        self._epoch_accs.extend(values)
        self._acc_rows, self._acc_values = [], []

    def _hand_over(self) -> None:
        """The pending rows into the History (pending.py): their update ratios first, over the block at once."""
        pending, n = self._pending, self._pending.n
        self._read_accuracies()
        if n:
            values = pending.traces[:n] if self._pick is None else pending.traces[:n, self._pick]
            pending.steps[:n, len(STEP_COLUMNS) + pending.n_params:] = self._ratios.of_rows(
                self._prev_ratio_values, values)
            self._prev_ratio_values = values[-1].copy()  # the row is reused
        pending.hand_over(self.history)
        self._flush_due = time.monotonic() + FLUSH_S

    def evaluate(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        """(loss, accuracy) on a set without changing anything; NaN for an empty set (checked first: a full-batch
        run without validation asks every step, and no_grad and eval()/train() cost more than its step)."""
        if len(x) == 0:
            return math.nan, math.nan
        with torch.no_grad():
            self.model.eval()
            out = self.model(x)
            acc = self.loss.accuracy(out, y).item() if self.classification else math.nan
            return self.loss_fn(out, y).item(), acc

    def _nonfinite_params(self) -> list[str]:
        bad = []
        for name, p in self.model.named_parameters():
            if not torch.isfinite(p).all() or (p.grad is not None and not torch.isfinite(p.grad).all()):
                bad.append(name)
        return bad

    def _diverged(self, loss: float, epoch_pos: float, events: Events) -> str:
        bad = self._nonfinite_params()
        if bad:
            where = f"; non-finite values in {', '.join(bad)}"
        else:  # the loss overflowed first: name the parameter that grew most
            name, p = max(self.model.named_parameters(), key=lambda item: item[1].detach().abs().max().item())
            where = f"; largest weights in {name} (max |w| = {p.detach().abs().max().item():.3g})"
            bad = [name]
        last = self.step - 1  # the last step whose weights were finite: the views end there
        msg = (f"diverged at step {self.step} (epoch {epoch_pos:.2f}): loss is {loss:.3g}{where}; "
               f"the last finite state is step {last}")
        self.history.set_status(RunState.DIVERGED, msg)
        events(Event.DIVERGED, step=self.step, message=msg, layers=bad, last_finite=last)
        return "diverged"

    def _hold_at_finite(self, control: Control, events: Events) -> bool:
        """After a diverged step: wait for a resume (which may bring a lower learning rate), then go on from the
        last finite weights or from the snapshot the user rewound to (`Control.rewind_to`), with a fresh optimizer
        (momentum or Adam moments of a blow-up would blow it up again). The diverged step is taken again; the
        history keeps what it recorded (handed over before the divergence was reported). False when a stop came
        instead."""
        if self._last_finite is None:  # every weight is traced: the last row recorded holds them all
            with self.history.lock:
                self._flat.copy_(torch.from_numpy(self.history.traces.row(-1)))
        else:
            self._flat.copy_(self._last_finite)
        self._flat_grad.zero_()
        self.step -= 1  # last: whoever sees the step back sees the weights back
        if not control.wait(no_events):  # no paused/resumed events: the run's state stays "diverged" until then
            return False
        rewind = control.take_rewind()
        if rewind is not None:  # weights just before a blow-up are often beyond saving at any rate
            params = self.history.snapshot(rewind).params
            self._flat.copy_(torch.from_numpy(np.concatenate([params[p.name].ravel() for p in self.params_info])))
        self._prev_ratio_values = self._ratio_values(self._traced_values())
        self.optimizer = self._make_optimizer()
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr
        self.history.set_status(RunState.RUNNING)
        events(Event.RESUMED)
        return True

    def run_epoch(self, control: Control | None = None, events: Events = no_events, *, hand_over: bool = True) -> str:
        """One epoch. Returns 'ok', 'stopped' (mid-epoch stop) or 'diverged'. Its rows are in the History when it
        returns, unless `hand_over` is False and it ended well: then they may wait for the next hand-over (run()
        with no one watching; a full-batch run ends an epoch every step)."""
        losses = []
        self._epoch_accs = []
        if not self.model.training:  # evaluate() leaves it in eval mode
            self.model.train()
        hold = control is not None and control.holds_on_divergence
        for i, (x, y) in enumerate(self._batches()):
            while True:  # a diverged step held at the last finite weights is taken again after the resume
                if control is not None:
                    lr = control.take_lr()
                    if lr is not None:
                        self.set_lr(lr)
                    if control.paused or control.stop_requested:  # the views show every step before it waits
                        self._hand_over()
                    if not control.wait(events) or not self._keep_pace(control):
                        self._hand_over()
                        return "stopped"
                if self._last_finite is not None and hold:  # only some weights are traced: keep them all
                    self._last_finite.copy_(self._flat)
                loss, acc = self._train_step(x, y)
                epoch_pos = self.epoch + (i + 1) / self.steps_per_epoch
                traced = self._take_traced()  # every weight for small nets: a cheap per-step finiteness check
                if math.isfinite(loss) and self._all_finite(traced) and (
                        not hold or self._last_finite is None or bool(torch.isfinite(self._flat).all())):
                    break
                self._hand_over()
                if not hold:
                    return self._diverged(loss, epoch_pos, events)
                control.pause()  # before the event: a resume answering it must find the loop paused
                status = self._diverged(loss, epoch_pos, events)
                if not self._hold_at_finite(control, events):
                    return status
            self._record_step(loss, acc, epoch_pos, traced)
            losses.append(loss)
        if self._trace_index is None:  # every weight is traced: the last step's copy is the epoch's, checked
            flat = traced
        else:
            flat = self._flat_params()
            if not np.isfinite(flat).all():
                self._hand_over()
                return self._diverged(losses[-1], self.epoch + 1, events)
        self.epoch += 1
        val_loss, val_acc = self.evaluate(self.x_val, self.y_val)
        self._read_accuracies()
        accs = self._epoch_accs or [math.nan]  # regression: no accuracy
        metrics = (sum(losses) / len(losses), val_loss, sum(accs) / len(accs), val_acc)
        self._pending.add_epoch(self.epoch, self.step, metrics, flat,
                                self._flat_grad_np if self._flat_grad_np is not None else self._flat_grads())
        if hand_over or self._pending.full or time.monotonic() >= self._flush_due:
            self._hand_over()
        events(Event.EPOCH_FINISHED, epoch=self.epoch, step=self.step, train_loss=metrics[0], val_loss=val_loss)
        if control is not None:
            control.epoch_done()
        return "ok"

    def run(self, control: Control | None = None, events: Events = no_events,
            progress: Callable[[int], None] | None = None) -> str:
        """Train until `config.train.epochs` epochs are done, a stop, or divergence. Returns the final status."""
        self.history.set_status(RunState.RUNNING)
        status = "ok"
        watched = control is not None or events is not no_events or progress is not None
        while self.epoch < self.config.train.epochs:
            status = self.run_epoch(control, events, hand_over=watched)
            if status != "ok":
                break
            if progress is not None:
                progress(self.epoch)
        self._hand_over()
        final = {"ok": RunState.FINISHED, "stopped": RunState.STOPPED, "diverged": RunState.DIVERGED}[status]
        if final != RunState.DIVERGED:  # divergence was reported, with its message, where it happened
            self.history.set_status(final)
            events(final, epoch=self.epoch, step=self.step)
        return final

    @torch.no_grad()
    def predict(self, x: np.ndarray) -> np.ndarray:
        """The current model's raw outputs for `x` (from the training thread only)."""
        self.model.eval()
        return self.model(torch.as_tensor(x, dtype=torch.float32, device=self.device)).cpu().numpy()
