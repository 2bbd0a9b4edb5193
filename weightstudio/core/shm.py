"""Typed arrays that live either in this process or in a shared-memory segment another process can attach to.

`ArrayBlock` is what the history, the dataset handed to the training process and its progress counters are made
of: named numpy arrays laid out by one spec. A local block is plain numpy; a shared block is one
`multiprocessing.shared_memory` segment whose `handle()` (plain data) lets another process `attach` to the very
same arrays. Whoever holds a block uses the same arrays either way, so no class needs a shared twin
(docs/architecture.md, "Processes and threads").
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from multiprocessing import shared_memory

import numpy as np

Fields = list[tuple[str, str, tuple[int, ...]]]  # (name, numpy dtype string, shape)
ALIGN = 64  # each array starts on a cache line


def layout(fields: Fields) -> tuple[dict[str, int], int]:
    """Offsets of `fields` laid end to end, each aligned to ALIGN bytes, and the total size."""
    offsets, end = {}, 0
    for name, dtype, shape in fields:
        end = -(-end // ALIGN) * ALIGN
        offsets[name] = end
        end += int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    return offsets, max(end, 1)


def shm_free_bytes() -> int | None:
    """Free space where POSIX shared memory lives (a small tmpfs in some containers), or None if unknown."""
    try:
        st = os.statvfs("/dev/shm")
    except (OSError, AttributeError):
        return None
    return st.f_bavail * st.f_frsize


class _Segment(shared_memory.SharedMemory):
    """A shared-memory block that numpy arrays view. Those views may outlive the last reference to this object
    (a view bound to an old run, a mirror of one of its buffers, the training tensors over a shared dataset). numpy
    keeps a reference to `buf` but no buffer export, so the stock `__del__` (`close()`) would unmap memory the
    views still point at; here only the file descriptor is closed, and the mapping goes with the last view (which
    holds `buf`, which holds the mmap)."""

    PREFIX = "ws_"  # names the segments in /dev/shm, so a leak is easy to spot

    @classmethod
    def create(cls, size: int) -> "_Segment":
        while True:
            try:
                return cls(f"{cls.PREFIX}{os.getpid()}_{secrets.token_hex(4)}", create=True, size=size)
            except FileExistsError:
                continue

    def __del__(self):
        if getattr(self, "_fd", -1) >= 0:
            os.close(self._fd)
            self._fd = -1


@dataclass(frozen=True)
class BlockHandle:
    """What another process needs to attach to a shared `ArrayBlock`: plain data, sent through any pipe."""

    segment: str
    fields: tuple[tuple[str, str, tuple[int, ...]], ...]


class ArrayBlock:
    """Named arrays from one spec: `block["name"]`. Local (`ArrayBlock(fields)`: numpy's own memory, of which the
    OS commits only the pages written) or shared (`ArrayBlock.shared(fields)`, `ArrayBlock.attach(handle)`)."""

    def __init__(self, fields: Fields, segment: _Segment | None = None):
        self.fields = tuple((name, str(np.dtype(dtype)), tuple(shape)) for name, dtype, shape in fields)
        self._segment = segment
        self._released = False
        if segment is None:
            self.arrays = {name: np.zeros(shape, dtype) for name, dtype, shape in self.fields}
        else:
            offsets, _ = layout(list(self.fields))
            self.arrays = {name: np.ndarray(shape, dtype, buffer=segment.buf, offset=offsets[name])
                           for name, dtype, shape in self.fields}

    @classmethod
    def shared(cls, fields: Fields) -> "ArrayBlock":
        """A new block in a new shared-memory segment (zero-filled by the OS)."""
        return cls(fields, _Segment.create(layout(fields)[1]))

    @classmethod
    def attach(cls, handle: BlockHandle) -> "ArrayBlock":
        """The shared block another process created, as it stands now and as it goes on."""
        return cls(list(handle.fields), _Segment(handle.segment))

    @property
    def is_shared(self) -> bool:
        return self._segment is not None

    def handle(self) -> BlockHandle:
        if self._segment is None:
            raise TypeError("a local ArrayBlock cannot be attached to from another process")
        return BlockHandle(self._segment.name, self.fields)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def release(self) -> None:
        """Remove a shared segment's name (once, by the process that owns it); views already made keep working,
        and its memory goes when the last process unmaps it."""
        if self._segment is not None and not self._released:
            self._released = True
            try:
                self._segment.unlink()
            except FileNotFoundError:
                pass
