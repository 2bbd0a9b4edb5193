"""One writer per run folder: `writer.lock`, held by whoever writes the folder (`weightstudio.record()`,
`weightstudio train --out`, `weightstudio compare --out`). Readers (the studio following a folder) never take it.

The lock is the file's `flock`, not its existence: the kernel drops it when the holder dies, however it dies, so
a lock left by a killed writer is stale the moment the writer is gone, even if its pid was since reused. The
file's text (JSON: pid, host, what, started) only names the holder in the messages:

    lock = acquire_writer_lock(folder, "weightstudio train")
    lock.took_over                # "" or a line saying whose stale lock was taken over (tell the user)
    ...                           # write the folder
    lock.release()

A second writer gets `FolderLockedError` at once, naming the folder and the live holder; a writer that finds a
stale lock takes it over and says so. Released, the file is removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import time
from contextlib import ExitStack, suppress
from pathlib import Path

from .messages import _

LOCK_FILE = "writer.lock"


class FolderLockedError(RuntimeError):
    """Another live process is writing the run folder; the message names the folder and that process."""


class WriterLock:
    """A held `writer.lock`; `release()` (idempotent) removes it. Take one with `acquire_writer_lock`."""

    def __init__(self, path: Path, fd: int, took_over: str):
        self.path, self._fd, self.took_over = path, fd, took_over

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        with suppress(OSError):
            self.path.unlink()  # while still locked: a writer waiting to lock the old file retries on a new one
        os.close(self._fd)
        self._fd = None


def acquire_writer_lock(folder: str | Path, what: str) -> WriterLock:
    """Lock `folder` (created if needed) for writing by this process; `what` names the writer in messages.

    FolderLockedError if a live process holds it; OSError if the folder cannot be written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    while True:
        with ExitStack() as closing:  # the file is closed on every way out but success
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            closing.callback(os.close, fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                if holder and holder.get("pid") == os.getpid() and holder.get("host") == platform.node():
                    # A notebook cell run twice: the first recorder is still open in this very process.
                    raise FolderLockedError(_("{folder}: this process is already writing this run folder "
                                              "({holder}); close() that writer first", folder=folder,
                                              holder=_describe(holder))) from None
                raise FolderLockedError(_("{folder}: another process is writing this run folder ({holder}); wait "
                                          "for it to finish or choose another folder", folder=folder,
                                          holder=_describe(holder))) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder released (and removed) the file between our open and our lock: lock anew
                continue
            previous = _read(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps({"pid": os.getpid(), "host": platform.node(), "what": what,
                                       "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}) + "\n").encode(), 0)
            closing.pop_all()
        took_over = ""
        if previous is not None:  # a lock file nobody held: its writer died without releasing it
            took_over = _("{folder}: took over a stale {file} ({holder}, no longer running)", folder=folder,
                          file=LOCK_FILE, holder=_describe(previous))
        return WriterLock(path, fd, took_over)


def _read(fd: int) -> dict | None:
    """The holder named in an open lock file; None for an empty (fresh) file, {} for unreadable text."""
    data = os.pread(fd, 4096, 0)
    if not data.strip():
        return None
    try:
        d = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}
    return d if isinstance(d, dict) else {}


def _describe(holder: dict | None) -> str:
    if not holder:
        return _("a writer that did not say who it is")
    return _("{what}, pid {pid} on {host}, since {started}", what=holder.get("what", "?"), pid=holder.get("pid", "?"),
             host=holder.get("host", "?"), started=holder.get("started", "?"))
