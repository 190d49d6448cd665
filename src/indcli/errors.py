"""Errors that end a command, each with its documented exit code.

They subclass :class:`click.ClickException`, so click and the root group's error
handling (:mod:`indcli.cli`) treat them alike: one message on stderr (or one JSON object
with ``--format json``), then the exit code. No traceback unless ``--debug``.
"""

from __future__ import annotations

import click

from indcli.limits import printable

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2
EXIT_PACK = 3
EXIT_INTERRUPTED = 130


class IndcliError(click.ClickException):
    """A runtime failure the user can fix (exit 1)."""

    exit_code = EXIT_RUNTIME
    kind = "runtime"


class PackError(IndcliError):
    """A pack failed to load or ships invalid content (exit 3)."""

    exit_code = EXIT_PACK
    kind = "pack"


class ContentError(PackError):
    """Invalid content, located by pack, file, item and field."""

    def __init__(self, pack: str, file: str, item: str, field: str, problem: str) -> None:
        self.pack, self.file, self.item, self.field, self.problem = pack, file, item, field, problem
        where = file
        if item:
            where += f", {_short(item)}"
        if field:  # a hostile file can make this path thousands of keys long
            where += f", field '{_short(field)}'"
        # Keys, ids and messages here come from the pack's file: never let them drive the
        # terminal (the message is shown in warnings and in 'indcli plugins').
        super().__init__(printable(f"invalid content in {where}: {problem}").replace("\n", " "))


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class Interrupted(IndcliError):
    """The user pressed Ctrl-C or Ctrl-D at a prompt (exit 130)."""

    exit_code = EXIT_INTERRUPTED
    kind = "interrupted"

    def __init__(self, message: str = "Interrupted.") -> None:
        super().__init__(message)

    def show(self, file: object = None) -> None:
        click.echo(f"\n{self.message}", err=True)
