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

:func:`indcli.utils.files.atomic_file` is the one atomic writer, shared with the content
cache. It removes its temporary file on any error, on Ctrl-C, and on SIGTERM or SIGHUP.
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
from indcli.utils.files import atomic_file
from indcli.utils.text_safety import one_line

if TYPE_CHECKING:
    from pathlib import Path

MAX_LINKS = 40  # links followed in one name before giving up, as Linux does (ELOOP)
# What /proc/self/fd and /proc/thread-self/fd resolve to.
_DESCRIPTOR_FOLDER = re.compile(r"/proc/[0-9]+(?:/task/[0-9]+)?/fd")


def write_atomic(path: Path | str, text: str) -> None:
    with atomic_binary(path) as out:
        out.write(text.encode("utf-8"))


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
