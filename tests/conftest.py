"""Shared fixtures. Qt runs offscreen unless a display is asked for explicitly; no test touches user settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read the English texts whatever the machine's locale (LANG=zh_CN.UTF-8 included); tests/test_i18n.py
# switches to Chinese where it checks the Chinese ones.
os.environ["WEIGHTSTUDIO_LANG"] = "en"

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path, monkeypatch):
    """Point QSettings (and anything else keyed on HOME/XDG) at a temporary folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("WEIGHTSTUDIO_SETTINGS_DIR", str(tmp_path / "settings"))
    yield


# A training loop that records with weightstudio.record() until it is killed: the follower tests' writer.
RECORDING_WRITER = """
import sys, time, torch, weightstudio
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.ReLU(), torch.nn.Linear(6, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x = torch.randn(32, 2); y = x.sum(1, keepdim=True)
rec = weightstudio.record(model, sys.argv[1], opt, flush_interval=0.1)
print("recording", flush=True)
step = 0
while True:
    loss = torch.nn.functional.mse_loss(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    rec.step(loss=loss)
    step += 1
    if step % 20 == 0:
        rec.epoch()
    time.sleep(0.005)
"""


@pytest.fixture
def start_recording_writer():
    """start(folder) → a subprocess recording into `folder` (it prints "recording" once the folder exists); every
    writer still running at the end of the test is killed."""
    import subprocess
    import sys
    from pathlib import Path

    started = []

    def start(folder):
        proc = subprocess.Popen([sys.executable, "-c", RECORDING_WRITER, str(folder)], stdout=subprocess.PIPE,
                                text=True, cwd=Path(__file__).resolve().parents[1])
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
