"""Atomic file writes: a file is replaced whole or not at all (standard library only).

    with atomic_write(path, "w", encoding="utf-8") as f:
        f.write(text)

writes to a temporary file in the same folder, flushes and fsyncs it, then `os.replace`s it onto `path`. A
reader sees the old file or the new one, never half of one. If anything goes wrong (an exception in the block, a
full disk, a folder that cannot be written), the temporary file is removed and the old file is left as it was;
an `OSError` becomes a `WriteError`, whose message is one line naming the file. A killed process can leave a
`.NAME.*.tmp` file beside the target, never a damaged target.

`atomic_files()` does the same for several files together, as a run folder wants: every file is written to its
temporary first, and only when all of them are written are they renamed into place, so a full disk halfway
through changes none of them. (A rename that fails, which a full disk does not cause, leaves the files renamed
before it in place.)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from .messages import _


class WriteError(OSError):
    """A file could not be written; `str()` is one line naming the file and why. The earlier file is unchanged.

    Built as `WriteError(errno, reason, filename)`, like any OSError, so it pickles and crosses processes.
    """

    def __str__(self) -> str:
        return _("{path}: cannot write it ({reason}); any earlier file there is unchanged", path=self.filename,
                 reason=self.strerror)


def write_error(path: str | Path, error: OSError) -> WriteError:
    """`error` (an OSError while writing `path`) as a WriteError; a WriteError already is one."""
    if isinstance(error, WriteError):
        return error
    return WriteError(error.errno, error.strerror or str(error), str(path))


class atomic_files:  # noqa: N801 - used like a function, as contextlib's helpers are
    """A group of files replaced together when the `with` block ends without an exception, and none otherwise."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (temporary, target)

    def __enter__(self) -> atomic_files:
        return self

    def __exit__(self, kind, error, tb) -> None:
        if kind is not None:
            self._discard(self._pending)
            return
        for i, (temporary, target) in enumerate(self._pending):
            try:
                _keep_mode(target, temporary)
                os.replace(temporary, target)
            except OSError as e:
                self._discard(self._pending[i:])
                raise write_error(target, e) from e
        for folder in {target.parent for _temporary, target in self._pending}:
            _fsync_folder(folder)
        self._pending = []

    @contextmanager
    def open(self, path: str | Path, mode: str = "wb", *, encoding: str | None = None,
             newline: str | None = None) -> Iterator[IO[Any]]:
        """An open temporary file for `path`, renamed onto it when the group's `with` block ends."""
        if mode not in ("w", "wb"):
            raise ValueError(f"atomic writes take mode 'w' or 'wb', not {mode!r}")
        target = Path(path)
        if target.is_symlink():  # write through it, so the link keeps pointing at the new file
            target = Path(os.path.realpath(target))
        try:
            temporary, fd = _create_temporary(target)
        except OSError as e:
            raise write_error(target, e) from e
        self._pending.append((temporary, target))
        try:
            with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())  # on disk before the rename, or a crash could leave an empty file in place
        except OSError as e:  # a full disk shows up in write, flush, fsync or close
            raise write_error(target, e) from e

    @staticmethod
    def _discard(pending: list[tuple[Path, Path]]) -> None:
        for temporary, _target in pending:
            with suppress(OSError):
                temporary.unlink()


@contextmanager
def atomic_write(path: str | Path, mode: str = "wb", *, encoding: str | None = None,
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Write one file atomically: `with atomic_write(path, "wb") as f: f.write(data)`."""
    with atomic_files() as group, group.open(path, mode, encoding=encoding, newline=newline) as f:
        yield f


def _create_temporary(target: Path) -> tuple[Path, int]:
    # O_EXCL with mode 0o666: a fresh name, and the umask's permissions, as a plain open() would give.
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def _keep_mode(target: Path, temporary: Path) -> None:
    """A replaced file keeps its permissions (a user's chmod survives a save)."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    os.chmod(temporary, mode & 0o7777)


def _fsync_folder(folder: Path) -> None:
    # The rename itself is on disk only once the folder is; some file systems cannot fsync a folder.
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
