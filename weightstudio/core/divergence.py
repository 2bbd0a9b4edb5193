"""A divergence as a fact: where the run blew up and which parameters it names. The engine records it beside the
run's status (History.divergence, status.json's "divergence"); the health check reads its fields, and its
message is rendered in the reader's language from them, so no one parses the English text."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .messages import _

NON_FINITE, LARGEST = "non_finite", "largest"  # the parameters named hold NaN/inf, or (the loss overflowed first) grew most


@dataclass(frozen=True)
class Divergence:
    step: int  # the step whose loss or weights were not finite
    epoch: float  # its position in epochs
    last_finite: int  # the last step whose weights were finite: the views end there
    loss: float
    params: tuple[str, ...]  # the parameters named, in the network's order
    cause: str = NON_FINITE
    max_abs: float | None = None  # the largest |w| of params[0], for LARGEST

    def headline(self) -> str:
        """'diverged at step N (epoch E)': the message up to its first colon."""
        return _("diverged at step {step} (epoch {epoch:.2f})", step=self.step, epoch=self.epoch)

    def message(self) -> str:
        """The one-line message of the history's status, in the current language."""
        fields = {"step": self.step, "epoch": self.epoch, "loss": self.loss, "last": self.last_finite}
        if self.cause == LARGEST:
            return _("diverged at step {step} (epoch {epoch:.2f}): loss is {loss:.3g}; largest weights in {param} "
                     "(max |w| = {max_abs:.3g}); the last finite state is step {last}",
                     param=self.params[0], max_abs=self.max_abs, **fields)
        return _("diverged at step {step} (epoch {epoch:.2f}): loss is {loss:.3g}; non-finite values in {params}; "
                 "the last finite state is step {last}", params=", ".join(self.params), **fields)

    def to_json(self) -> dict:
        return {**asdict(self), "params": list(self.params)}

    @classmethod
    def from_json(cls, d) -> Divergence | None:
        """The divergence a status file holds; None for a missing or malformed one (an older folder has none)."""
        if not isinstance(d, dict) or not isinstance(d.get("params"), list) or not d["params"]:
            return None
        try:
            return cls(int(d["step"]), float(d["epoch"]), int(d["last_finite"]), float(d["loss"]),
                       tuple(str(p) for p in d["params"]), str(d.get("cause", NON_FINITE)),
                       None if d.get("max_abs") is None else float(d["max_abs"]))
        except (TypeError, KeyError, ValueError):
            return None
