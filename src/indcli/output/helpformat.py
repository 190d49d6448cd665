"""Help text that wraps only at spaces, at any width from 40 columns up.

click's formatter breaks words at hyphens (``berichtenbox-`` / ``steps``) and leaves
``\\b`` blocks (the examples) to the terminal, which cuts them anywhere. This formatter
wraps prose with :func:`indcli.output.render.wrap_words` and wraps example commands between
their arguments with shell continuations, so a pasted example still runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from indcli.content.model import Example
from indcli.output.render import wrap_command, wrap_words
from indcli.output.terminal import current
from indcli.utils.text_safety import printable

_COLUMNS = re.compile(r"\s{2,}")  # "  command   what it does": the gap between columns
_COMMAND_STARTS = ("indcli ", "echo ", "$ ")


def wrap_help(
    text: str,
    width: int,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """click's ``wrap_text``, breaking only at spaces; ``\\b`` blocks keep their lines,
    and a line too long for the terminal is wrapped (a command with `` \\`` ends)."""
    if not preserve_paragraphs:
        words = " ".join(text.split())
        return "\n".join(wrap_words(words, width, initial_indent, subsequent_indent))
    out: list[str] = []
    first = initial_indent
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            for line in lines[1:]:
                out += _preformatted(line, width, first, subsequent_indent)
                first = subsequent_indent
        elif lines:
            leading = " " * (len(lines[0]) - len(lines[0].lstrip()))
            joined = " ".join(" ".join(lines).split())
            out += wrap_words(joined, width, first + leading, subsequent_indent + leading)
        first = subsequent_indent
        out.append("")
    return "\n".join(out).rstrip("\n")


def _preformatted(line: str, width: int, first: str, indent: str) -> list[str]:
    if len(first) + len(line) <= width:
        return [first + line]
    lead = indent + " " * (len(line) - len(line.lstrip()))
    parts = _COLUMNS.split(line.strip(), maxsplit=1)
    command, about = parts[0], parts[1] if len(parts) > 1 else ""
    if not command.startswith(_COMMAND_STARTS):
        return wrap_words(line.strip(), width, lead, lead + "  ")
    lines = wrap_command(command, width, lead)
    if about:
        lines += wrap_words(about, width, lead + "    ", lead + "    ")
    return lines


class HelpFormatter(click.HelpFormatter):
    """click's help layout, wrapped with :func:`wrap_help`, as narrow as the terminal
    (click never goes below 50 columns, so at 40 the terminal cut its lines)."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        if width is None:
            width = max(min(current().columns(), max_width or 80) - 2, 30)
        super().__init__(indent_increment, width, max_width)

    def write(self, string: str) -> None:
        """Every line of help, whoever wrote it (a pack's command name and help too),
        with control characters escaped."""
        super().write(printable(string))

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = f"{'Usage: ' if prefix is None else prefix:>{self.current_indent}}"
        words = f"{prog} {args}".strip()
        self.write(wrap_help(words, self.width, prefix, " " * min(len(prefix), 8)))
        self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_help(text, self.width, indent, indent, preserve_paragraphs=True))
        self.write("\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Terms and their text side by side; on a narrow terminal (less than 30 columns
        left for the text), each text under its term, as ``gh`` does."""
        rows = list(rows)
        first_col = min(max((len(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        indent = " " * self.current_indent
        stacked = self.width - self.current_indent - first_col < 30
        for first, second in rows:
            line = f"{indent}{first}"
            if not second:
                self.write(line + "\n")
                continue
            if stacked:
                self.write(line + "\n")
                head = hanging = indent + "    "
            elif len(first) <= first_col - col_spacing:
                head = line + " " * (first_col - len(first))
                hanging = indent + " " * first_col
            else:
                self.write(line + "\n")
                head = hanging = indent + " " * first_col
            text = wrap_help(second, self.width, head, hanging, preserve_paragraphs=True)
            self.write(text + "\n")


class HelpContext(click.Context):
    formatter_class = HelpFormatter


def use_help_format(command: click.Command | None) -> click.Command | None:
    """Give ``command`` (a core or pack command) this help layout."""
    if command is not None and command.context_class is click.Context:
        command.context_class = HelpContext
    return command


def examples_epilog(examples: Iterable[Example], generic: Iterable[tuple[str, str]]) -> str:
    """The "Examples:" block of a command's help: the pack's own examples (from content)
    first, then the core's generic ones, each ``(command line, what it does)``."""
    lines = [(e.run, e.about or "") for e in examples] + list(generic)
    width = max((len(run) for run, about in lines if about), default=0) + 2
    body = "\n".join(f"  {run.ljust(width)}{about}".rstrip() for run, about in lines)
    return f"\b\nExamples:\n{body}"
