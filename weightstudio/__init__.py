"""WeightStudio: watch a neural network's weights move while it learns.

`import weightstudio` stays light (no Qt, no torch): `weightstudio.record(model, folder, optimizer)` imports torch
when called. See weightstudio.core.recorder for what it records and docs/recording.md for the folder it writes.
"""

__version__ = "0.1.0"


def record(model, folder, optimizer=None, **options):
    """Record `model`'s training into the run folder `folder`, while it trains; returns a Recorder (also a context
    manager) with `step(loss=..., **metrics)`, `epoch(**metrics)` and `close()`. Under torch.distributed only
    rank 0 records (other ranks get a recorder that does nothing). Options: weightstudio.core.recorder.record."""
    from .core.recorder import record as _record

    return _record(model, folder, optimizer, **options)
