"""Files at the bottom of the layers: reading a file only if it is regular and small,
and the one atomic writer (a temporary file renamed over the target, 0600, removed on any
error, Ctrl-C, SIGTERM or SIGHUP), which ``--output`` and the content cache both use.
Only the standard library: what names a file for the user, and how a failure is said, is
:mod:`indcli.output.files`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while a temporary file existed (see :func:`atomic_file`).

    A BaseException, so no ``except Exception`` swallows it on the way out; the root
    command cleans up and then dies of the same signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def read_capped(handle: IO[bytes], limit: int) -> bytes:
    """At most ``limit`` bytes of ``handle``. A regular file is asked its size first:
    ``read(limit)`` allocates ``limit`` bytes, which for a small file under a cap of
    half a megabyte costs more than the read."""
    try:
        size = os.fstat(handle.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = 0
    if not 0 < size < limit:  # a device, pipe or empty-looking file: read up to the cap
        return handle.read(limit)
    blob = handle.read(size + 1)
    if len(blob) <= size:
        return blob
    return blob + handle.read(limit - len(blob))  # it grew since fstat


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of ``path`` if it is a regular file (a link to one
    counts); :class:`OSError` otherwise. Opened without blocking, so a FIFO planted under
    the name fails at once instead of waiting for a writer, and a device such as
    ``/dev/zero`` is never read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "it is not a regular file")
        os.set_blocking(fd, True)
        return read_capped(handle, limit + 1)


@contextmanager
def atomic_file(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[IO[bytes]]:
    """A new 0600 file that replaces ``path`` only if the ``with`` block succeeds.

    Raises :class:`OSError`; the temporary file never outlives the block."""
    import tempfile

    tmp = None
    try:
        with _terminate_cleanly():
            # The name is cut so that the temporary name stays within NAME_MAX (255 bytes)
            # for any legal name: 40 characters are at most 160 bytes in UTF-8.
            folder, name = os.path.split(os.fspath(path))
            prefix = f".{name[:40]}."
            fd, tmp = tempfile.mkstemp(dir=folder or None, prefix=prefix, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)  # mkstemp makes it 0600; a umask cannot widen it
            os.replace(tmp, path)
            tmp = None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`Terminated` (so ``finally``
    clauses run and remove temporary files) instead of killing the process outright."""
    import signal

    def handler(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous: dict[int, object] = {}
    try:
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is None or signal.getsignal(signum) is signal.SIG_IGN:
                continue  # absent, or ignored as the user set it (nohup ignores SIGHUP)
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: signals cannot be caught here
        pass
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)  # type: ignore[arg-type]
