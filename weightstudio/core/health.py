"""The health check: rules over a run's history that name what is going wrong, one line each, with what to try.

`check(run)` looks at a `RunData` once (the CLI, tests); a `HealthMonitor` keeps what it has read between calls,
so the window can run it at its slow rate while the net trains. Both give a list of `Finding`s: a `kind` (one of
`KINDS`), a severity, a one-line message naming the layer or parameter, a one-sentence suggestion, and the step
range the finding covers (the first step is where the problem began). `Finding.to_dict()` is an entry of
health.json: {step, epoch, layer, kind, message, ...}.

How the rules read the run. The per-step series (loss, accuracy, each parameter's gradient norm and update ratio)
are cut into at most `CHUNKS` consecutive chunks of at least an epoch, each summarised by its mean (geometric for norms and ratios: they
span decades). A rule holds or not per chunk; a problem that is going on is the run of chunks that hold up to
the newest one, and its first step is where it began. Activation rules read `core.activations` statistics at up
to `ACTIVATION_SNAPSHOTS` recorded snapshots spread over the run (always the newest state).

The thresholds, and where they come from:
  * vanishing_gradients: a weight's gradient RMS (‖g‖/√n, so layers of different size compare) is at least
    `VANISHING_FACTOR` (30×, 1.5 decades) below the largest of the later weight layers'. Backpropagation multiplies
    by each layer's derivative (sigmoid's is at most 0.25), so depth shrinks gradients geometrically (Hochreiter
    1991; Glorot & Bengio 2010); with ReLU and Kaiming init the layers stay within a few × of each other.
  * exploding_gradients: the total gradient norm is `EXPLODING_FACTOR` (100×) its level at the start while the
    loss is above `LOSS_RISE` (2×) its best so far: growing gradients that make things worse, not a net leaving
    its initial plateau (Pascanu et al. 2013).
  * update_ratio_high / update_ratio_low: ‖ΔW‖/‖W‖ per step of a weight; about 1e-3 is healthy (CS231n, "Neural
    Networks 3"), and healthy small nets stray tenfold (the presets reach 1e-2). Above `RATIO_HIGH` (3e-2, 30×)
    for `MIN_STEPS` steps or a quarter of the run (any stretch before a divergence) while the loss did not fall
    by `FLAT_LOSS` (10%): the learning rate is too high. Below `RATIO_LOW` (1e-4) for `MIN_STEPS` steps with a
    flat loss still above half its initial value: too low (a converged net also moves little, but its loss fell).
  * stuck_at_chance: a classifier whose training accuracy stays within `CHANCE_MARGIN` (5 points) of chance (the
    largest class's share) and whose loss stays at 90% or more of the chance-level loss (the entropy of the class
    shares, ln k when balanced) for at least `MIN_STEPS` steps.
  * dead_units: more than `DEAD_SHARE` (half) of a ReLU layer's units output 0 for every probe sample: no gradient
    reaches their weights, and they never recover (CS231n: "as much as 40% of your network can be dead").
  * saturated_units: more than `SATURATED_SHARE` (half) of a sigmoid/tanh layer's outputs in the flat tails
    (sigmoid < 0.03 or > 0.97, |tanh| > 0.97), where the derivative is under 0.03 resp. 0.06 (LeCun et al. 1998,
    "Efficient BackProp").
  * non_finite: the loss or the weights became NaN or infinite (the engine stops there: the run's status says
    "diverged"), or a gradient norm was recorded non-finite.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .history import STEP_COLUMNS
from .messages import N_, _
from .series import BufferMirror, spread

KINDS = ("vanishing_gradients", "exploding_gradients", "dead_units", "saturated_units", "update_ratio_high",
         "update_ratio_low", "stuck_at_chance", "non_finite")
ERROR, WARNING = "error", "warning"

CHUNKS = 64
MIN_STEPS = 50
MIN_SHARE = 0.25  # a too-high update ratio counts once it lasts MIN_STEPS steps or a quarter of a shorter run
VANISHING_FACTOR = 30.0
EXPLODING_FACTOR = 100.0
LOSS_RISE = 2.0
RATIO_HIGH = 3e-2
RATIO_LOW = 1e-4
FLAT_LOSS = 0.10
CHANCE_MARGIN = 0.05
CHANCE_LOSS_SHARE = 0.9
DEAD_SHARE = 0.5
SATURATED_SHARE = 0.5
ACTIVATION_SNAPSHOTS = 8

SUGGESTIONS = {  # English templates, translated where a finding is made
    "vanishing_gradients": N_("Use ReLU (or LeakyReLU) with Kaiming init, or fewer layers: each sigmoid or tanh "
                              "shrinks the gradient on its way back."),
    "exploding_gradients": N_("Lower the learning rate (÷10), or clip the gradients; check the init scale."),
    "dead_units": N_("Lower the learning rate, use LeakyReLU, or start the biases at 0 (or slightly positive)."),
    "saturated_units": N_("Use a smaller init (Xavier/Glorot), normalise the inputs, or switch to ReLU."),
    "update_ratio_high": N_("Lower the learning rate until updates are about 1e-3 of the weights."),
    "update_ratio_low": N_("Raise the learning rate (×10) until updates are about 1e-3 of the weights, or use a "
                           "larger init or Adam."),
    "stuck_at_chance": N_("Try a larger init (Kaiming), a higher learning rate or Adam, and check that the labels "
                          "belong to the inputs."),
    "non_finite": N_("Scrub back on the timeline to see the weights before it blew up, then lower the learning rate "
                     "(÷10) and Reset."),
}


@dataclass(frozen=True)
class Finding:
    """One problem the health check names."""

    kind: str  # one of KINDS
    severity: str  # ERROR or WARNING
    message: str  # one line naming the layer or parameter
    first_step: int  # where the problem began
    last_step: int  # the newest step it covers
    epoch: float  # of first_step
    layer: int | None = None  # the spec index of the layer
    param: str | None = None  # the parameter, when the rule is about one
    suggestion: str = ""

    @property
    def code(self) -> str:
        return self.kind

    @property
    def step(self) -> int:
        return self.first_step

    @property
    def steps(self) -> tuple[int, int]:
        return self.first_step, self.last_step

    def line(self) -> str:
        """The message and what to try, for a status bar or a terminal."""
        return f"{self.message} {self.suggestion}".strip()

    def to_dict(self) -> dict:
        """An entry of health.json: {step, epoch, layer, kind, message} and the rest of the finding."""
        return {"step": self.first_step, "epoch": self.epoch, "layer": self.layer, "kind": self.kind,
                "message": self.message, "severity": self.severity, "suggestion": self.suggestion,
                "param": self.param, "last_step": self.last_step}


@dataclass
class _Series:
    """The chunked per-step series the rules read."""

    first: np.ndarray  # first step of each chunk
    last: np.ndarray  # last step of each chunk
    loss: np.ndarray  # mean loss per chunk
    acc: np.ndarray
    grad: np.ndarray  # [chunks, params] geometric mean gradient norm
    ratio: np.ndarray  # [chunks, params] geometric mean update ratio (NaN where not recorded)
    spans: np.ndarray  # steps each chunk covers
    nonfinite_step: int | None  # the first step recorded with a non-finite loss or gradient norm
    names: list[str] = field(default_factory=list)


def _chunk(keys: np.ndarray, rows: np.ndarray, n_params: int, steps_per_epoch: int = 1) -> _Series | None:
    """At most CHUNKS chunks, each at least an epoch long: a mini-batch's loss and accuracy are noisy, an epoch's
    mean is not."""
    n = len(keys)
    if n == 0:
        return None
    loss = rows[:, STEP_COLUMNS.index("loss")]
    acc = rows[:, STEP_COLUMNS.index("accuracy")]
    base = len(STEP_COLUMNS)
    grad = rows[:, base:base + n_params]
    ratio = rows[:, base + n_params:base + 2 * n_params]
    bad = ~np.isfinite(loss) | ~np.isfinite(grad).all(1)
    nonfinite_step = int(keys[np.argmax(bad)]) if bad.any() else None
    c = min(CHUNKS, n, max(1, int(keys[-1] - keys[0] + 1) // max(1, steps_per_epoch)))
    starts = np.unique(np.linspace(0, n, c + 1).astype(np.intp)[:-1])
    ends = np.append(starts[1:], n)

    def mean(v):
        ok = np.isfinite(v)
        s = np.add.reduceat(np.where(ok, v, 0.0), starts, axis=0)
        k = np.add.reduceat(ok.astype(np.float64), starts, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return s / k

    def log_mean(v):  # a 0 (a dead layer's gradient, a weight too large for its update to register) stays ~0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.exp(mean(np.log(np.maximum(v, 1e-30))))

    first, last = keys[starts], keys[ends - 1]
    return _Series(first, last, mean(loss), mean(acc), log_mean(grad), log_mean(ratio),
                   last - first + 1, nonfinite_step)


def _ongoing(holds: np.ndarray) -> int | None:
    """The index of the first chunk of the run of True chunks that ends with the newest one; None if it is False."""
    holds = np.asarray(holds, bool)
    if not len(holds) or not holds[-1]:
        return None
    false = np.flatnonzero(~holds)
    return int(false[-1] + 1) if len(false) else 0


def _stretches(holds: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) chunk of every run of True chunks, oldest first."""
    h = np.concatenate([[False], np.asarray(holds, bool), [False]])
    d = np.flatnonzero(np.diff(h.astype(np.int8)))
    return [(int(a), int(b) - 1) for a, b in zip(d[0::2], d[1::2])]


def _fmt(v: float) -> str:
    if v <= 1e-29:
        return "0"
    return f"{v:.2g}" if 1e-3 <= abs(v) < 1e4 else f"{v:.1e}"


class HealthMonitor:
    """The health check of one run, kept up to date cheaply: the step series are read incrementally (a
    `BufferMirror`), activation statistics are cached per snapshot step, and `check()` only recomputes when the
    history changed. Qt-free; the window calls `check()` at its slow rate."""

    def __init__(self, run, activations: bool = True):
        self.run = run
        self.activations = activations and run.config is not None  # a recorded run's network cannot be rebuilt
        self._mirror = BufferMirror("steps")
        self._history = None
        self._version = None
        self._findings: list[Finding] = []
        self._probe = None
        self._act_cache: dict[int, list] = {}

    # ---- public API ----
    def check(self) -> list[Finding]:
        """The findings as the run stands now (errors first, then by the step they began)."""
        h = self.run.history
        if h is not self._history:  # a reset: a fresh History
            self._history, self._version = h, None
            self._mirror = BufferMirror("steps")
            self._act_cache = {}
        version = h.version
        if version == self._version:
            return list(self._findings)
        self._version = version
        self._mirror.sync(h)
        findings = self._step_findings(h)
        if self.activations:
            findings += self._activation_findings(h)
        findings.sort(key=lambda f: (f.severity != ERROR, f.first_step, KINDS.index(f.kind)))
        self._findings = findings
        return list(findings)

    # ---- per-step rules ----
    def _epoch(self, step: int) -> float:
        return step / max(1, self.run.history.steps_per_epoch)

    def _finding(self, kind: str, severity: str, message: str, first: int, last: int, layer=None, param=None):
        return Finding(kind, severity, message, int(first), int(last), self._epoch(first), layer, param,
                       _(SUGGESTIONS[kind]))

    def _step_findings(self, h) -> list[Finding]:
        m = self._mirror
        s = _chunk(m.keys, m.rows, len(h.params), h.steps_per_epoch) if m.n else None
        out = self._non_finite(h, s)
        if s is None:
            return out
        weights = [i for i, p in enumerate(h.params) if p.is_weight]
        out += self._vanishing(h, s, weights)
        out += self._exploding(h, s)
        out += self._ratio_rules(h, s, weights)
        out += self._stuck(h, s)
        return out

    def _non_finite(self, h, s: _Series | None) -> list[Finding]:
        diverged = str(h.status) == "diverged"
        if not diverged and (s is None or s.nonfinite_step is None):
            return []
        msg = h.message or ""
        match = re.search(r"step (\d+)", msg)  # the engine's "diverged at step N (epoch …): …"
        if diverged and match:
            step = int(match.group(1))
        elif s is not None and s.nonfinite_step is not None:
            step = s.nonfinite_step
        else:  # diverged before anything was recorded, or a message of another form: the step after the last
            step = int(self._mirror.keys[-1]) + 1 if self._mirror.n else 0
        names = re.search(r"(?:non-finite values in|largest weights in) ([\w.]+(?:, [\w.]+)*)", msg)
        param = names.group(1).split(", ")[0] if names else None
        layer = self._layer_of(param)
        what = msg[len("diverged at "):] if msg.startswith("diverged at ") else (msg or "a non-finite value")
        text = _("Diverged at {what}.", what=what) if diverged else \
            _("Non-finite gradient norm recorded at step {step}.", step=step)
        return [self._finding("non_finite", ERROR, text, step, step, layer, param)]

    def _layer_of(self, param: str | None) -> int | None:
        for p in self.run.history.params:
            if p.name == param:
                return p.layer
        return None

    def _vanishing(self, h, s: _Series, weights: list[int]) -> list[Finding]:
        if len(weights) < 2:
            return []
        counts = np.array([h.params[i].count for i in weights], np.float64)
        rms = s.grad[:, weights] / np.sqrt(counts)  # [chunks, weight layers]
        first = rms[:, 0]
        later = np.where(np.isfinite(rms[:, 1:]), rms[:, 1:], -np.inf).max(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = later / first
        holds = np.isfinite(later) & (later > 1e-30) & np.isfinite(first) & (factor >= VANISHING_FACTOR)
        i = _ongoing(holds)
        if i is None:
            return []
        p0 = h.params[weights[0]]
        j = int(np.argmax(np.where(np.isfinite(rms[-1, 1:]), rms[-1, 1:], -np.inf))) + 1
        pj = h.params[weights[j]]
        f = factor[-1]
        times = _("infinitely") if not np.isfinite(f) or f > 1e20 else f"{f:,.0f}×"
        msg = _("Vanishing gradients: layer {layer}'s weight gradient (RMS {rms}) is {times} smaller than layer "
                "{later}'s ({later_rms}), since step {step}.", layer=p0.layer, rms=_fmt(first[-1]), times=times,
                later=pj.layer, later_rms=_fmt(rms[-1, j]), step=int(s.first[i]))
        return [self._finding("vanishing_gradients", WARNING, msg, s.first[i], s.last[-1], p0.layer, p0.name)]

    def _exploding(self, h, s: _Series) -> list[Finding]:
        total = np.sqrt(np.nansum(np.where(np.isfinite(s.grad), s.grad, np.nan) ** 2, axis=1))
        start = total[0]
        best = np.fmin.accumulate(np.where(np.isfinite(s.loss), s.loss, np.inf))
        if not (np.isfinite(start) and start > 0):
            return []
        holds = (total >= EXPLODING_FACTOR * start) & (s.loss >= LOSS_RISE * best)
        if not holds.any():
            return []
        i = int(np.argmax(holds))
        grow = total / start
        k = int(np.nanargmax(np.where(np.isfinite(grow), grow, -np.inf)))
        per = s.grad[k] / np.where(s.grad[0] > 0, s.grad[0], np.nan)
        worst = int(np.nanargmax(np.where(np.isfinite(per), per, -np.inf))) if np.isfinite(per).any() else 0
        p = h.params[worst]
        msg = _("Exploding gradients: the gradient norm grew {grow:,.0g}× from step {start} to step {end} while the "
                "loss rose to {loss}; fastest in {name}.", grow=grow[k], start=int(s.first[0]), end=int(s.last[k]),
                loss=_fmt(s.loss[k]), name=p.name)
        return [self._finding("exploding_gradients", ERROR, msg, s.first[i], s.last[k], p.layer, p.name)]

    def _ratio_rules(self, h, s: _Series, weights: list[int]) -> list[Finding]:
        """One finding per direction, naming every weight it holds for (the first of them as its layer)."""
        # Before a divergence any stretch of large updates counts; otherwise it must last.
        diverged = str(h.status) == "diverged"
        need = 1 if diverged else min(MIN_STEPS, MIN_SHARE * (int(s.last[-1] - s.first[0]) + 1))
        high, low = [], []  # (parameter index, first chunk, last chunk)
        for i in weights:
            r = s.ratio[:, i]
            if not np.isfinite(r).any():
                continue
            # Too high: the first stretch of large updates long enough to count, over which the loss did not fall
            # (it may end before the newest step: a diverging net's ReLUs die and its updates stop).
            for j, k in _stretches(np.isfinite(r) & (r > RATIO_HIGH)):
                if int(s.last[k] - s.first[j]) + 1 >= need and self._loss_not_falling(s.loss[j:k + 1], s.loss[0]):
                    high.append((i, j, k))
                    break
            # Too low: going on now, long enough, the loss flat and still high, and a gradient to scale up (a
            # weight without one is dead or vanishing, which other rules name).
            j = _ongoing(np.isfinite(r) & (r < RATIO_LOW))
            if (j is not None and int(s.last[-1] - s.first[j]) + 1 >= MIN_STEPS and self._loss_flat(s, j)
                    and s.loss[-1] >= 0.5 * s.loss[0] and s.grad[-1, i] > 1e-29):
                low.append((i, j, len(r) - 1))
        out = []
        for kind, hits, text in (("update_ratio_high", high, N_("Learning rate too high: {what} by {r} of {its} "
                                  "norm per step (≫ 1e-3) from step {step} to {end}, and the loss did not fall.")),
                                 ("update_ratio_low", low, N_("Learning rate too low: {what} by {r} of {its} norm "
                                  "per step (≪ 1e-3) since step {step}, and the loss is flat at {loss}."))):
            if not hits:
                continue
            names = [h.params[i].name for i, _, _ in hits]
            j, k = min(j for _, j, _ in hits), max(k for _, _, k in hits)
            r = np.exp(np.mean([math.log(max(s.ratio[kk, i], 1e-30)) for i, _, kk in hits]))
            what = (_("{name} changes", name=names[0]) if len(names) == 1 else
                    _("{names} change", names=", ".join(names)) if len(names) <= 3 else
                    _("{n} weights ({first} … {last}) change", n=len(names), first=names[0], last=names[-1]))
            msg = _(text, what=what, r=_fmt(r), its=_("its") if len(names) == 1 else _("their"),
                    step=int(s.first[j]), end=int(s.last[k]), loss=_fmt(s.loss[-1]))
            p0 = h.params[hits[0][0]]
            out.append(self._finding(kind, WARNING, msg, s.first[j], s.last[k], p0.layer, p0.name))
        return out

    @staticmethod
    def _loss_not_falling(seg: np.ndarray, initial: float) -> bool:
        """Over these chunks the loss fell by less than FLAT_LOSS, or ended above where the run began."""
        seg = seg[np.isfinite(seg)]
        return len(seg) >= 1 and (seg[-1] >= (1 - FLAT_LOSS) * seg[0] or seg[-1] > initial)

    @staticmethod
    def _loss_flat(s: _Series, i: int) -> bool:
        seg = s.loss[i:]
        seg = seg[np.isfinite(seg)]
        return len(seg) >= 1 and (seg.max() - seg.min()) <= FLAT_LOSS * max(abs(seg.max()), 1e-12)

    def _stuck(self, h, s: _Series) -> list[Finding]:
        run = self.run
        if not run.classification or run.dataset is None:  # chance needs the class shares of the data
            return []
        y = run.dataset.y_train
        if not len(y):
            return []
        shares = np.bincount(y, minlength=max(2, run.dataset.n_classes)) / len(y)
        chance = float(shares.max())
        nz = shares[shares > 0]
        chance_loss = float(-(nz * np.log(nz)).sum())
        holds = np.isfinite(s.acc) & (s.acc <= chance + CHANCE_MARGIN) & (s.loss >= CHANCE_LOSS_SHARE * chance_loss)
        i = _ongoing(holds)
        if i is None or int(s.last[-1] - s.first[i]) + 1 < MIN_STEPS:
            return []
        k = run.dataset.n_classes
        msg = _("Stuck at chance: training accuracy {acc:.0f}% (chance {chance:.0f}% for {k} classes) and loss "
                "{loss} (chance level {chance_loss}) since step {step}.", acc=100 * s.acc[-1], chance=100 * chance,
                k=k, loss=_fmt(s.loss[-1]), chance_loss=_fmt(chance_loss), step=int(s.first[i]))
        return [self._finding("stuck_at_chance", WARNING, msg, s.first[i], s.last[-1])]

    # ---- activation rules ----
    def _activation_findings(self, h) -> list[Finding]:
        count = h.snapshot_count()
        if count == 0:
            return []
        if self._probe is None:
            from .activations import ActivationProbe  # torch: only when a check needs activations

            self._probe = ActivationProbe(self.run)
        steps = h.snapshot_steps()
        picks = sorted(set(spread(count, ACTIVATION_SNAPSHOTS - 1).tolist()) | {count - 1})
        timeline = []  # (step, stats) oldest first, the newest state last
        for i in picks:
            step = int(steps[i])
            if step not in self._act_cache:
                self._act_cache[step] = self._probe.stats(h.snapshot(i).params)
            timeline.append((step, self._act_cache[step]))
        live_step, live = h.latest_params()
        if live_step > timeline[-1][0]:
            if live_step not in self._act_cache:
                self._act_cache = {k: v for k, v in self._act_cache.items() if k in set(steps.tolist())}
                self._act_cache[live_step] = self._probe.stats(live)
            timeline.append((live_step, self._act_cache[live_step]))
        out = []
        for j, latest in enumerate(timeline[-1][1]):
            dead = [(step, st[j].dead_fraction) for step, st in timeline]
            sat = [(step, st[j].saturated_fraction) for step, st in timeline]
            if latest.dead_fraction is not None:
                first = self._since([f is not None and f > DEAD_SHARE for _, f in dead], timeline)
                if first is not None:
                    n_dead, n = len(latest.dead_units), latest.units
                    sev = ERROR if n_dead == n else WARNING
                    msg = _("Dead units: {n_dead} of layer {layer}'s {n} ReLU units output 0 for every input "
                            "sample, since step {first}.", n_dead=n_dead, layer=latest.layer, n=n, first=first)
                    out.append(self._finding("dead_units", sev, msg, first, timeline[-1][0], latest.layer))
            if latest.saturated_fraction is not None:
                first = self._since([f is not None and f > SATURATED_SHARE for _, f in sat], timeline)
                if first is not None:
                    msg = _("Saturated units: {share:.0f}% of layer {layer}'s {kind} outputs are in the flat tails, "
                            "since step {first}.", share=100 * latest.saturated_fraction, layer=latest.layer,
                            kind=latest.kind.lower(), first=first)
                    out.append(self._finding("saturated_units", WARNING, msg, first, timeline[-1][0],
                                             latest.layer))
        return out

    @staticmethod
    def _since(holds: list[bool], timeline) -> int | None:
        i = _ongoing(np.array(holds))
        return None if i is None else timeline[i][0]


def check(run, activations: bool = True) -> list[Finding]:
    """The findings of `run` as it stands (see the module docstring)."""
    return HealthMonitor(run, activations).check()


def write_json(path, findings: list[Finding]) -> None:
    """health.json: `to_json(findings)`, indented, written atomically."""
    import json

    from .atomic import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(to_json(findings), indent=2) + "\n")


def to_json(findings: list[Finding]) -> list[dict]:
    """health.json's content: a list of {step, epoch, layer, kind, message, ...}."""
    out = []
    for f in findings:
        d = f.to_dict()
        d["epoch"] = None if not math.isfinite(d["epoch"]) else round(float(d["epoch"]), 4)
        out.append(d)
    return out
