"""Writing results: to stdout, or atomically to a file with private permissions.

A file is written to a temporary file in the same folder and then renamed over the
target, so a failure at any point leaves an existing file as it was. Results can hold
personal answers, so files are created readable by the owner only (0600).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click

from indcli.errors import IndcliError


def emit(text: str, output: str | None = None) -> None:
    """Print ``text``, or write it to ``output`` (``-`` means stdout)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    write_atomic(Path(output), text)


def write_atomic(path: Path | str, text: str) -> None:
    with atomic_binary(path) as out:
        out.write(text.encode("utf-8"))


@contextmanager
def atomic_binary(target: Path | str) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``target`` only if the ``with`` block succeeds."""
    import tempfile

    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    try:  # is_dir() raises for some errors, e.g. a name that is too long
        is_folder, folder_is_folder = path.is_dir(), folder.is_dir()
        folder_exists = folder.exists()
    except OSError as exc:
        raise IndcliError(
            f"cannot write to {path}: {exc.strerror or exc}; choose another --output."
        ) from None
    if is_folder:
        raise IndcliError(f"cannot write to {path}: it is a folder; give a file name.")
    if path.exists() and not path.is_file():
        raise IndcliError(
            f"cannot write to {path}: it is not a regular file (a device, pipe or socket); "
            "give a file name, or leave out --output to print."
        )
    if not folder_is_folder:
        problem = (
            f"{folder} is a file, not a folder"
            if folder_exists
            else f"folder {folder} does not exist; create it first"
        )
        raise IndcliError(f"cannot write to {path}: {problem}.")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise IndcliError(
            f"cannot write to {path}: {exc.strerror or exc}; choose another --output."
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
