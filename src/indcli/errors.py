"""Errors that end a command, each with its documented exit code.

They subclass :class:`click.ClickException`, so click and the root group's error
handling (:mod:`indcli.cli`) treat them alike: one message on stderr (or one JSON object
with ``--format json``), then the exit code. No traceback unless ``--debug``.
"""

from __future__ import annotations

import click

from indcli.utils.records import Record
from indcli.utils.text_safety import printable

EXIT_RUNTIME = 1
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

    def __init__(self, message: str, pack: str | None = None) -> None:
        super().__init__(message)
        if pack is not None or not hasattr(self, "pack"):
            self.pack = pack  # the pack to blame, when one is


class ContentProblem(Record):
    """One problem in a content file: where (file, line, item, field) and what."""

    file: str
    item: str
    field: str
    message: str
    line: int | None = None

    def where(self) -> str:
        where = self.file
        if self.line:
            where += f", line {self.line}"
        if self.item:
            where += f", {_short(self.item)}"
        if self.field:  # a hostile file can make this path thousands of keys long
            where += f", field '{_short(self.field)}'"
        return where

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class ContentError(PackError):
    """Invalid content, located by pack, file, item and field (and line, when known).

    A file can have several problems: ``problems`` holds them all; the message is one
    line that lists them (up to :data:`MAX_LISTED`, then says where to see the rest).
    """

    MAX_LISTED = 20

    def __init__(
        self,
        pack: str,
        file: str,
        item: str,
        field: str,
        problem: str,
        *,
        line: int | None = None,
        problems: list[ContentProblem] | None = None,
    ) -> None:
        self.pack, self.file, self.item, self.field, self.problem = pack, file, item, field, problem
        self.line = line
        self.problems = problems or [ContentProblem(file, item, field, problem, line)]
        first = self.problems[0]
        if len(self.problems) == 1:
            text = f"invalid content in {first}"
        else:
            listed = "; ".join(
                f"({n}) {str(p).removeprefix(file + ', ')}"
                for n, p in enumerate(self.problems[: self.MAX_LISTED], 1)
            )
            text = f"invalid content in {file}: {len(self.problems)} problems: {listed}"
            rest = len(self.problems) - self.MAX_LISTED
            if rest > 0:
                text += f"; {rest} more are listed by: indcli check {pack} --format json"
        # Keys, ids and messages here come from the pack's file: never let them drive the
        # terminal (the message is shown in warnings and in 'indcli plugins').
        super().__init__(printable(text).replace("\n", " "))

    @classmethod
    def of(cls, pack: str, problems: list[ContentProblem]) -> ContentError:
        """One error for all ``problems`` (at least one) of a file."""
        first = problems[0]
        return cls(
            pack, first.file, first.item, first.field, first.message,
            line=first.line, problems=problems,
        )  # fmt: skip


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
