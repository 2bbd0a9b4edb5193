"""How the CPU tap keeps a small net's steps cheap (core/recorder.py, `_NumpyTap`, `_Block`): each step's weights
and gradients are copied once, into a block that goes to the writer as it is; the training thread goes on in
another block from a pool. What must hold: a block the writer still holds is never written into, written
blocks come back instead of new ones being made, and the chunks (written without np.savez's copies) are the
arrays np.savez would write."""

from __future__ import annotations

import io
import itertools
import threading
import time

import numpy as np
import pytest
import torch
from torch import nn

from weightstudio.core.history import FULL_TRACE_LIMIT
from weightstudio.core.io import load_npz
from weightstudio.core.recorder import FLAT_ROW_LIMIT, Recorder
from weightstudio.core.run_log import write_npz

from helpers import recorded_mse_steps

NETS = {  # (inputs, hidden, dtype): every weight traced; in float64; a spread sample of 20,000–50,000 weights
    "float32": (3, 8, torch.float32),
    "float64": (3, 8, torch.float64),
    "sampled": (100, 250, torch.float32),
}


def held_writer_loop(folder, net: str, steps: int, rows: int):
    """`steps` steps with a hand-off every `rows` steps while the writer thread cannot write (it waits in its
    first chunk until every step is taken): every block goes to the queue before any comes back. Returns the
    recorder, the weights and gradients taken by hand after each step, and the blocks made."""
    inputs, hidden, dtype = NETS[net]
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, 2)).to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
    x, y = torch.randn(32, inputs, dtype=dtype), torch.randn(32, 2, dtype=dtype)
    rec = Recorder(model, folder, opt, tap="numpy", snapshot_every=3)
    tap, writer = rec._tap, rec._writer
    assert tap._flat_rows and rec.sampled == (net == "sampled")
    tap.cap_rows = rows
    made, make = [], tap._make_block
    tap._make_block = lambda: made.append(make()) or made[-1]
    go, write = threading.Event(), writer._write_arrays

    def held(chunk):
        assert go.wait(60)
        write(chunk)

    writer._write_arrays = held
    weights = [torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy().copy()]
    grads = [np.full(weights[0].shape, np.nan)]
    def by_hand(_):
        weights.append(torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy().copy())
        grads.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]).numpy().copy())

    recorded_mse_steps(model, opt, x, y, rec, steps, by_hand)
    go.set()
    rec.close()
    return rec, np.stack(weights), np.stack(grads), made


@pytest.mark.parametrize("net", NETS)
def test_blocks_the_writer_still_holds_are_never_written_into(tmp_path, net):
    rec, weights, grads, made = held_writer_loop(tmp_path / "run", net, steps=40, rows=5)
    assert FULL_TRACE_LIMIT < rec.total_weights <= FLAT_ROW_LIMIT if net == "sampled" else rec.total_weights < 100
    assert len(made) >= 7  # 8 hand-offs queued while the writer waited: each took a new block
    z = load_npz(tmp_path / "run" / "history.npz")
    idx = np.concatenate([off + t for off, t in zip(rec._tap.offsets[:-1], rec.traced)])
    np.testing.assert_array_equal(z["trace/step"], np.arange(41))
    np.testing.assert_allclose(z["trace/values"], weights[:, idx], rtol=0, atol=1e-6)
    snaps = z["step"]
    assert snaps.tolist() == list(range(0, 40, 3)) + [40]
    names = [p.name for p in rec.params]
    flat_w = np.concatenate([z[f"param/{n}"].reshape(len(snaps), -1) for n in names], axis=1)
    flat_g = np.concatenate([z[f"grad/{n}"].reshape(len(snaps), -1) for n in names], axis=1)
    np.testing.assert_allclose(flat_w, weights[snaps], rtol=0, atol=1e-6)
    np.testing.assert_allclose(flat_g, grads[snaps], rtol=0, atol=1e-6)  # step 0: NaN on both sides
    spans = np.cumsum([0] + [p.count for p in rec.params])
    norms = np.stack([np.linalg.norm(grads[1:, a:b].astype(np.float64), axis=1)
                      for a, b in itertools.pairwise(spans)], axis=1)
    np.testing.assert_array_equal(z["steps/step"], np.arange(1, 41))
    np.testing.assert_allclose(z["steps/grad_norm"], norms, rtol=1e-5)


def test_written_blocks_come_back_and_no_new_one_is_made(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    x, y = torch.randn(32, 3), torch.randn(32, 2)
    rec = Recorder(model, tmp_path / "run", opt, tap="numpy")
    rec._flush_interval = float("inf")  # hand-offs when a block is full only, however slow this machine is
    tap = rec._tap
    tap.cap_rows = 4
    made = []
    tap._make_block = lambda: made.append(1)
    blocks = set()
    for _ in range(20):  # 20 hand-offs, each waited for: the writer gives the block back once it is written
        recorded_mse_steps(model, opt, x, y, rec, 4, lambda _: blocks.add(id(tap._block)))
        deadline = time.monotonic() + 30
        while not tap._pool._free.get("block") and time.monotonic() < deadline:
            time.sleep(0.005)
        assert tap._pool._free.get("block"), "the writer did not give the block back"
    rec.close()
    assert made == [] and len(blocks) == 2  # the block at work and the spare made at the start, in turn
    assert rec._writer.seq == 21  # the initial state and the 20 hand-offs (close() had no new rows)


def test_chunks_hold_what_np_savez_writes():
    arrays = {"rows": np.random.default_rng(0).random((60, 1000), np.float32), "keys": np.arange(5),
              "scalar": np.array(3.5), "strings": np.array(["ab", "cde"]),
              "strided": np.arange(40.0).reshape(5, 8)[:, ::2],
              "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)), "empty": np.zeros((0, 3), np.float32),
              "flags": np.array([True, False])}
    ours, numpys = io.BytesIO(), io.BytesIO()
    write_npz(ours, arrays)
    np.savez(numpys, **arrays)
    a = np.load(io.BytesIO(ours.getvalue()), allow_pickle=False)
    b = np.load(io.BytesIO(numpys.getvalue()), allow_pickle=False)
    assert a.files == b.files == list(arrays)
    for k in arrays:
        assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, k
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    with pytest.raises(ValueError, match="allow_pickle=False"):  # objects would need pickle: refused
        write_npz(io.BytesIO(), {"objects": np.array([{}], object)})
