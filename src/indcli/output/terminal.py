"""The terminal: ONE object that says how wide, whether colour, where to prompt, plain or
not, and pages long text (as gh's ``IOStreams``).

The :class:`~indcli.app.App` holds one :class:`Terminal`; code below the app (rendering,
help) finds it with :func:`current`, which falls back to a terminal over ``os.environ``
and the process's streams outside a command. Streams are looked up when asked, so
click's test runner (which swaps ``sys.stdout``) sees its own.

*Plain mode* (``--plain``, ``INDCLI_PLAIN=1`` or ``TERM=dumb``): prompts are numbered
lines read one at a time, with no colour, no pager and not one escape byte, so a screen
reader can follow them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from functools import cached_property
from typing import Any, TextIO

import click

from indcli.utils.env_flags import env_flag

MAX_WIDTH = 80
MIN_WIDTH = 40
LESS_PROMPT = r"Space for more, b to go back, q to quit"  # no less prompt escapes in it


def isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (a closed or missing stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Terminal:
    """Width, colour, prompting, plain mode and paging for one run."""

    def __init__(
        self, environ: Mapping[str, str] | None = None, *, interactive: bool | None = None
    ) -> None:
        """``interactive``: force whether prompts may be shown; ``None`` asks the streams."""
        self.environ = os.environ if environ is None else environ
        self.forced = interactive
        self.plain_flag = False  # --plain on the command line

    # --- streams -------------------------------------------------------------------

    @property
    def stdin(self) -> TextIO:
        return sys.stdin

    @property
    def stdout(self) -> TextIO:
        return sys.stdout

    @property
    def stderr(self) -> TextIO:
        return sys.stderr

    def interactive(self) -> bool:
        """May the result and the prompts share the terminal? stdin and stdout are ttys."""
        if self.forced is not None:
            return self.forced
        return isatty(self.stdin) and isatty(self.stdout)

    def may_prompt(self) -> bool:
        """May we ask at all? With a terminal on stdin and stderr, stdout may be piped
        (``indcli route | less``): prompts then go to stderr, the result to stdout."""
        if self.forced is not None:
            return self.forced
        return self.interactive() or (isatty(self.stdin) and isatty(self.stderr))

    def prompts_on_stderr(self) -> bool:
        """Prompts, explanations and notes go to stderr when stdout is not the terminal."""
        if self.forced is not None:
            return False
        return not isatty(self.stdout)

    @property
    def plain(self) -> bool:
        """Plain, numbered prompts: ``--plain``, ``INDCLI_PLAIN=1`` or ``TERM=dumb``."""
        if self.plain_flag or self.environ.get("TERM", "") == "dumb":
            return True
        return self._plain_variable

    @cached_property
    def _plain_variable(self) -> bool:
        return env_flag(self.environ, "INDCLI_PLAIN")  # a typo: the CLI warns (flag_warnings)

    def color(self) -> bool:
        """Colour only on a terminal, never with NO_COLOR (https://no-color.org), TERM=dumb
        or in plain mode."""
        if self.environ.get("NO_COLOR") or self.plain:
            return False
        return isatty(self.stdout)

    # --- width ---------------------------------------------------------------------

    def columns(self, stream: Any = None) -> int:
        """The width of the terminal on ``stream`` (or stdout, else stderr), else
        ``COLUMNS``, else 80 (without :mod:`shutil`, which costs ``--help`` 2 ms). A
        terminal that reports 0 columns (a pty nobody sized: ``script``, editors' shells)
        counts as no width."""
        for candidate in (stream, self.stdout, self.stderr):
            if candidate is not None and isatty(candidate):
                try:
                    columns = os.get_terminal_size(candidate.fileno()).columns
                except (AttributeError, ValueError, OSError):
                    continue
                if columns > 0:
                    return columns
        value = self.environ.get("COLUMNS", "").strip()  # as shutil.get_terminal_size reads it
        return int(value) if value.isdigit() and int(value) > 0 else MAX_WIDTH

    def width(self) -> int:
        """How wide output on stdout may be: the terminal (40 to 80), else 80."""
        if isatty(self.stdout):
            return max(MIN_WIDTH, min(MAX_WIDTH, self.columns(self.stdout)))
        return MAX_WIDTH

    def prompt_columns(self) -> int:
        """How wide prompts and interview text may be: the terminal, 40 to 80 columns."""
        return max(MIN_WIDTH, min(MAX_WIDTH, self.columns()))

    def error_columns(self) -> int:
        """The width of the terminal on stderr, 0 when it is not one."""
        if not isatty(self.stderr):
            return 0
        try:
            return os.get_terminal_size(self.stderr.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return 0

    # --- saying and paging -----------------------------------------------------------

    def say(self, text: str = "", *, err: bool | None = None) -> None:
        """Interview text (explanations, notes, prompts): where the prompt goes, never
        down a pipe on stdout."""
        click.echo(text, err=self.prompts_on_stderr() if err is None else err)

    def page(self, text: str, enabled: bool = True) -> None:
        """Print ``text``; on a terminal, through a pager when taller than the screen.

        As git does: ``PAGER`` (default ``less``) with ``LESS=FRX`` unless LESS is set, so
        the top of the text is what is seen first, and less's prompt says how to quit.
        Never without a terminal on stdin and stdout, in plain mode, with ``enabled``
        false (``--no-pager``) or ``PAGER=cat``.
        """
        import shlex
        import shutil
        import subprocess

        terminal = isatty(self.stdout) and isatty(self.stdin)
        rows = shutil.get_terminal_size((MAX_WIDTH, 24)).lines
        pager = self.environ.get("PAGER", "less").strip()
        if (
            not (enabled and terminal and pager and pager != "cat")
            or self.plain
            or text.count("\n") < rows - 1
        ):
            click.echo(text, nl=False)
            return
        env = {**self.environ, "LESS": self.environ.get("LESS") or "FRX"}
        try:
            argv = shlex.split(pager)
        except ValueError:
            argv = []
        if argv and os.path.basename(argv[0]) == "less" and not self.environ.get("LESS"):
            argv.append("-Ps" + LESS_PROMPT)
        self.stdout.flush()
        try:
            subprocess.run(argv, input=text.encode("utf-8"), env=env, check=False)
        except (OSError, ValueError, IndexError):
            click.echo(text, nl=False)


def current() -> Terminal:
    """The running command's terminal (the App's), else one over ``os.environ``."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        terminal = getattr(ctx.find_root().obj, "terminal", None)
        if isinstance(terminal, Terminal):
            return terminal
    return Terminal()
