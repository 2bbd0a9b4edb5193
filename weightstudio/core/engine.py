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
from .history import History
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
        start = 0
        for p, n in zip(self._param_list, sizes):
            p.data = self._flat[start:start + n].view_as(p)
            p.grad = self._flat_grad[start:start + n].view_as(p)
            start += n
        self._grad_views = [p.grad for p in self._param_list]

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
        self._flat_grad.zero_()
        self._last_live = 0.0
        self._due: float | None = None  # when the next paced step may start
        traced = self._traced_values()
        # The last finite weights: the traced copy when every weight is traced, else a buffer filled before each
        # step of a run that holds on divergence.
        self._finite = traced if self._trace_index is None else torch.empty_like(self._flat)
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

    def _train_step(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        out = self.model(x)
        loss = self._loss(out, y)
        self._flat_grad.zero_()  # zero_grad() for all parameters in one op, keeping their views
        loss.backward()
        self.optimizer.step()
        self.step += 1
        acc = self.loss.accuracy(out, y).item() if self.classification else math.nan
        return loss.item(), acc

    def _record_step(self, loss: float, acc: float, epoch_pos: float, traced: np.ndarray) -> None:
        with torch.no_grad():  # one fused call for every layer's norm: a quarter of an index_add_ over the buffer
            norms = self._to_numpy(torch.stack(torch._foreach_norm(self._grad_views)))
        values = self._ratio_values(traced)
        ratios = self._ratios(self._prev_ratio_values, values)  # numpy on the copy already made: no torch call
        self._prev_ratio_values = values
        self.history.record_step(self.step, epoch_pos, loss, acc, self.lr, norms, traced, ratios)
        if self.step % self.history.sketch_every == 0:
            self._record_sketch(traced)
        if self.live_interval is not None and time.monotonic() - self._last_live >= self.live_interval:
            self._last_live = time.monotonic()
            self.history.record_live(self.step, self._flat_params())

    @torch.no_grad()
    def evaluate(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        """(loss, accuracy) on a set without changing anything; NaN for an empty set."""
        if len(x) == 0:
            return math.nan, math.nan
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
        history keeps what it recorded. False when a stop came instead."""
        self._flat.copy_(torch.from_numpy(self._finite) if self._trace_index is None else self._finite)
        self._flat_grad.zero_()
        self.step -= 1  # last: whoever sees the step back sees the weights back
        if not control.wait(no_events):  # no paused/resumed events: the run's state stays "diverged" until then
            return False
        rewind = control.take_rewind()
        if rewind is not None:  # weights just before a blow-up are often beyond saving at any rate
            params = self.history.snapshot(rewind).params
            self._flat.copy_(torch.from_numpy(np.concatenate([params[p.name].ravel() for p in self.params_info])))
        traced = self._traced_values()
        if self._trace_index is None:
            self._finite = traced
        self._prev_ratio_values = self._ratio_values(traced)
        self.optimizer = self._make_optimizer()
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr
        self.history.set_status(RunState.RUNNING)
        events(Event.RESUMED)
        return True

    def run_epoch(self, control: Control | None = None, events: Events = no_events) -> str:
        """One epoch. Returns 'ok', 'stopped' (mid-epoch stop) or 'diverged'."""
        losses, accs = [], []
        if not self.model.training:  # evaluate() leaves it in eval mode
            self.model.train()
        hold = control is not None and control.holds_on_divergence
        for i, (x, y) in enumerate(self._batches()):
            while True:  # a diverged step held at the last finite weights is taken again after the resume
                if control is not None:
                    lr = control.take_lr()
                    if lr is not None:
                        self.set_lr(lr)
                    if not control.wait(events) or not self._keep_pace(control):
                        return "stopped"
                if hold and self._trace_index is not None:  # only some weights are traced: keep them all
                    self._finite.copy_(self._flat)
                loss, acc = self._train_step(x, y)
                epoch_pos = self.epoch + (i + 1) / self.steps_per_epoch
                traced = self._traced_values()  # every weight for small nets: a cheap per-step finiteness check
                if math.isfinite(loss) and np.isfinite(traced).all() and (
                        not hold or self._trace_index is None or bool(torch.isfinite(self._flat).all())):
                    break
                if not hold:
                    return self._diverged(loss, epoch_pos, events)
                control.pause()  # before the event: a resume answering it must find the loop paused
                status = self._diverged(loss, epoch_pos, events)
                if not self._hold_at_finite(control, events):
                    return status
            if self._trace_index is None:
                self._finite = traced  # every weight, finite: where a divergence goes back to
            self._record_step(loss, acc, epoch_pos, traced)
            losses.append(loss)
            accs.append(acc)
        if self._trace_index is None:  # every weight is traced: the last step's copy is the epoch's, checked
            flat = traced
        else:
            flat = self._flat_params()
            if not np.isfinite(flat).all():
                return self._diverged(losses[-1], self.epoch + 1, events)
        self.epoch += 1
        val_loss, val_acc = self.evaluate(self.x_val, self.y_val)
        metrics = (sum(losses) / len(losses), val_loss, sum(accs) / len(accs), val_acc)
        self.history.record_epoch(self.epoch, self.step, metrics, flat, self._flat_grads())
        events(Event.EPOCH_FINISHED, epoch=self.epoch, step=self.step, train_loss=metrics[0], val_loss=val_loss)
        if control is not None:
            control.epoch_done()
        return "ok"

    def run(self, control: Control | None = None, events: Events = no_events,
            progress: Callable[[int], None] | None = None) -> str:
        """Train until `config.train.epochs` epochs are done, a stop, or divergence. Returns the final status."""
        self.history.set_status(RunState.RUNNING)
        status = "ok"
        while self.epoch < self.config.train.epochs:
            status = self.run_epoch(control, events)
            if status != "ok":
                break
            if progress is not None:
                progress(self.epoch)
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
