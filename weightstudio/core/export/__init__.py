"""Export a run as a standalone PyTorch script (torch + numpy, matplotlib optional) that reproduces it.

    from weightstudio.core.export import ExportError, export_script
    export_script(config, "train_run.py", lang="zh")  # → [train_run.py] (+ digits.npz for the bundled digits)

`python train_run.py --out DIR` then trains and writes DIR/final_state.pt, equal bit for bit on the CPU to the
studio's last weights for the same run, DIR/weights_history.npz and the seed posts' figures.
"""

from .script import ExportError, export_script, script_source
from .words import LANGS, default_lang

__all__ = ["LANGS", "ExportError", "default_lang", "export_script", "script_source"]
