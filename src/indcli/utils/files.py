"""Writing results: to stdout, or atomically to a file with private permissions.

A regular file is written to a temporary file in the same folder and then renamed over
the target, so a failure at any point leaves an existing file as it was. Results can
hold personal answers, so files are created readable by the owner only (0600). Special
files (``-``, devices such as ``/dev/null``, FIFOs, sockets, a link to any of them, and
open descriptors however they are spelled: ``/dev/stdout``, ``//dev/fd/N``,
``/proc/self/fd/N`` or a link to one) are written through, never replaced, as ``cp`` and
``tee`` do; a descriptor that is not open (``/dev/stdout`` with stdout closed) is an
error. A name is judged by what it resolves to: ``/proc/../tmp/x`` is ``/tmp/x``, an
ordinary file. An existing read-only file is refused, as ``cp`` does. A replaced file is
a new file: other hard links to it keep the old content, and a symbolic link to an
ordinary file named as ``--output`` is replaced by the file (the file it pointed to is
left as it was).

:func:`atomic_file` is the one atomic writer: ``--output`` and the content cache both
use it. It removes its temporary file on any error, on Ctrl-C, and on SIGTERM or SIGHUP.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import click

from indcli.errors import IndcliError
from indcli.limits import one_line

if TYPE_CHECKING:
    from pathlib import Path

MAX_LINKS = 40  # links followed in one name before giving up, as Linux does (ELOOP)
# What /proc/self/fd and /proc/thread-self/fd resolve to.
_DESCRIPTOR_FOLDER = re.compile(r"/proc/[0-9]+(?:/task/[0-9]+)?/fd")


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


def emit(text: str, output: str | None = None) -> None:
    """Print ``text``, or write it to ``output`` (``-`` means stdout)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    write_atomic(output, text)


def write_atomic(path: Path | str, text: str) -> None:
    with atomic_binary(path) as out:
        out.write(text.encode("utf-8"))


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


@contextmanager
def atomic_binary(target: Path | str) -> Iterator[IO[bytes]]:
    """Where ``--output`` writes: ``target`` replaced atomically, or a special file."""
    shown = one_line(str(target))
    if str(target) == "-":
        yield _stdout()
        return
    if str(target).endswith(("/", os.sep)):
        raise click.UsageError(f"--output {shown} ends in a slash; give a file name, not a folder.")
    from pathlib import Path  # only when writing a file (pathlib costs a scripted run ~4 ms)

    path = Path(target)
    descriptor = _descriptor(os.fspath(path))
    if descriptor is not None:
        with _special(path, _open_descriptor(descriptor, shown), shown) as out:
            yield out
        return
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        st = None  # a new file; a missing folder is reported below
    except OSError as exc:
        raise _cannot(shown, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise click.UsageError(f"--output {shown} is a folder; give a file name.")
    if st is not None and not stat.S_ISREG(st.st_mode):  # a device, FIFO or socket
        with _special(path, st, shown) as out:
            yield out
        return
    if st is not None and (st.st_mode & 0o222 == 0 or not os.access(path, os.W_OK)):
        raise IndcliError(
            f"cannot write to {shown}: the file is read-only; make it writable "
            f"(chmod u+w) or remove it first if you want to replace it."
        )
    folder = path.parent
    try:
        folder_ok = folder.is_dir()
        folder_exists = folder_ok or folder.exists()
    except OSError as exc:
        raise _cannot(shown, exc) from None
    if not folder_ok:
        problem = (
            f"{one_line(str(folder))} is a file, not a folder"
            if folder_exists
            else f"folder {one_line(str(folder))} does not exist; create it first"
        )
        raise IndcliError(f"cannot write to {shown}: {problem}.")
    try:
        with atomic_file(path) as out:
            yield out
    except OSError as exc:
        raise _cannot(shown, exc) from None


def _descriptor(name: str) -> str | None:
    """``/proc/PID/fd/N`` (or ``/dev/fd/N``) when ``name`` leads to an open-descriptor
    entry, following links as opening it would; else None. ``/dev/stdout``,
    ``//dev/fd/1`` and a link to either lead to one; ``/proc/../tmp/x`` does not."""
    try:
        current = name if os.path.isabs(name) else os.path.join(os.getcwd(), name)
    except OSError:  # the current folder is gone: the name cannot be opened either
        return None
    for _ in range(MAX_LINKS):
        folder, base = os.path.split(current)
        folder = os.path.realpath(folder)
        if folder == "/dev/fd" or _DESCRIPTOR_FOLDER.fullmatch(folder):
            return os.path.join(folder, base)
        current = os.path.join(folder, base)
        try:
            current = os.path.join(folder, os.readlink(current))
        except OSError:  # not a link, or nothing there
            return None
    return None


def _open_descriptor(entry: str, shown: str) -> os.stat_result:
    """What the descriptor ``entry`` is open on; an error when it is not open."""
    try:
        return os.stat(entry)
    except FileNotFoundError:
        number = os.path.basename(entry)
        stream = {"1": "stdout", "2": "stderr", "0": "stdin"}.get(number)
        if stream is not None:
            raise IndcliError(f"cannot write output: {stream} is closed.") from None
        raise IndcliError(f"cannot write to {shown}: descriptor {number} is not open.") from None
    except OSError as exc:
        raise _cannot(shown, exc) from None


@contextmanager
def _special(path: Path, st: os.stat_result, shown: str) -> Iterator[IO[bytes]]:
    """Write through a device, FIFO or open descriptor; never replace it."""
    stream = _standard_stream(st)
    if stream is not None:  # /dev/stdout and the like: the stream, in order with the rest
        stream.flush()
        yield stream.buffer
        stream.buffer.flush()
        return
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    flags |= os.O_APPEND if stat.S_ISREG(st.st_mode) else 0
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO nobody reads is an error, not a hang
        os.set_blocking(fd, True)
    except OSError as exc:
        if stat.S_ISFIFO(st.st_mode) and exc.errno == 6:  # ENXIO
            raise IndcliError(
                f"cannot write to {shown}: it is a pipe (FIFO) that nobody reads; "
                "start its reader first."
            ) from None
        raise _cannot(shown, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
    except BrokenPipeError:
        raise  # its reader went away: a closed pipe, like stdout's (exit 141)
    except OSError as exc:
        raise _cannot(shown, exc) from None


def _standard_stream(st: os.stat_result) -> IO[str] | None:
    for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if stream is not None and os.path.samestat(st, os.fstat(fd)):
                return stream
    return None


def _stdout() -> IO[bytes]:
    if sys.stdout is None:
        raise IndcliError("cannot write output: stdout is closed.")
    sys.stdout.flush()
    return sys.stdout.buffer


def _cannot(shown: str, exc: OSError) -> IndcliError:
    return IndcliError(f"cannot write to {shown}: {exc.strerror or exc}; choose another --output.")
