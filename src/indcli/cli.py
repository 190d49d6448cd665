"""The ``indcli`` command: a root group whose commands come from the core and from packs.

The root group also owns error handling, so that every command keeps the contract: one
clear message on stderr (one JSON object with ``--format json``), the documented exit
code, and a traceback only with ``--debug``.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import sys
from typing import Any, NoReturn

import click

from indcli import __version__
from indcli.app import App, current_app
from indcli.commands.support.registry import CORE_COMMANDS, reserved_names
from indcli.errors import EXIT_INTERRUPTED, EXIT_RUNTIME, IndcliError, Interrupted, PackError
from indcli.output.helpformat import HelpContext, use_help_format
from indcli.output.render import payload, to_json_line
from indcli.packs.catalog import Served
from indcli.utils.env_flags import env_flag
from indcli.utils.files import Terminated
from indcli.utils.text_safety import escape_errors, one_line, printable

EPILOG = """\b
Examples:
  indcli route                          answer a few questions on a terminal
  indcli route --plain                  plain mode, for screen readers
  indcli route --no-input --eu-long-term-resident no --temporary-permit yes --partner-abroad no
  indcli route | less                   ask on the terminal, page the result
  indcli berichtenbox-steps             receive IND post in MijnOverheid
  indcli explain public-funds           what a benefit from public funds is
  indcli plugins                        which content packs are installed

Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 pack or content error,
130 interrupted, 141 stdout closed by its reader. Environment: INDCLI_PLAIN (1: plain
mode), INDCLI_LOAD_PLUGINS, INDCLI_DISABLE_PLUGINS, INDCLI_STRICT_PLUGINS,
INDCLI_TRACE_PLUGINS, INDCLI_NO_CACHE, INDCLI_DEBUG, INDCLI_CACHE_DIR, NO_COLOR.
'indcli help COMMAND' or 'indcli COMMAND --help' for a command's options. See the
README.
"""


# The root help lists these under their own heading; every other command (the route,
# guides, explain, and what packs add) is for applicants and is listed first.
ADMIN_COMMANDS = ("plugins", "check", "new-pack", "schema", "docs", "completion")


class RootGroup(click.Group):
    """Core commands plus the commands that loaded packs contribute."""

    context_class = HelpContext

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Two groups: commands for applicants, then for pack authors and administrators."""
        served = current_app(ctx).catalog.served
        rows: list[tuple[str, click.Command | str]] = []
        for name in self.list_commands(ctx):  # summaries without building the commands
            if name in CORE_COMMANDS:
                rows.append((name, CORE_COMMANDS[name][1]))
            elif name in served:
                rows.append((name, served[name].spec.help))
            elif (command := self.get_command(ctx, name)) is not None and not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        groups = (
            ("Commands", [r for r in rows if r[0] not in ADMIN_COMMANDS]),
            ("For pack authors and administrators", [
                r for r in rows if r[0] in ADMIN_COMMANDS
            ]),
        )  # fmt: skip
        for title, group in groups:
            if group:
                with formatter.section(title):
                    formatter.write_dl([(n, _summary(c)) for n, c in group])

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(CORE_COMMANDS) | current_app(ctx).catalog.command_names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return use_help_format(self._command(ctx, cmd_name))

    def _command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in CORE_COMMANDS:  # imported only when used (click's lazy loading)
            module, _, attribute = CORE_COMMANDS[cmd_name][0].partition(":")
            return getattr(importlib.import_module(module), attribute)
        catalog = current_app(ctx).catalog
        served = catalog.served.get(cmd_name)
        if served is not None:  # built once per run (click asks for a command twice)
            built = ctx.meta.setdefault("indcli.served_commands", {})
            if cmd_name not in built:
                built[cmd_name] = _served_command(served)
            return built[cmd_name]
        return catalog.commands.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Bare ``indcli`` prints the root help and exits 0 (like ``git``), whatever the
        click version: click 8.2+ reports it as an error whose message is the help."""
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            _unknown_command(ctx, name, self.list_commands(ctx))
        return super().resolve_command(ctx, args)

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        prog_name = prog_name or "indcli"
        app = extra.get("obj")
        if not isinstance(app, App):
            app = extra["obj"] = App()
        _set_up(app, args, prog_name)
        extra.pop("standalone_mode", None)
        _sturdy_streams()
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
            if sys.stdout is not None:
                sys.stdout.flush()  # a full disk or closed pipe shows here, not at exit
        except click.ClickException as exc:
            if isinstance(exc, click.NoSuchOption):
                _name_failed_packs(exc, app)
            _report(exc, args)
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            _report(Interrupted(), args)
            sys.exit(EXIT_INTERRUPTED)
        except Terminated as exc:
            _die_of(exc.signum)
        except BrokenPipeError:
            _quiet_closed_pipe()
        except SystemExit:
            if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):  # click's EPIPE exit
                _quiet_closed_pipe()
            raise
        except Exception as exc:
            if isinstance(exc, OSError) and _output_failed(exc):
                _report(IndcliError(f"cannot write output: {exc.strerror or exc}."), args)
                _silence_stdout()
                sys.exit(EXIT_RUNTIME)
            if _debug(args):
                raise
            _report(
                IndcliError(
                    f"unexpected internal error ({type(exc).__name__}: {exc}). This is a bug; "
                    "run again with --debug for the traceback and report it."
                ),
                args,
            )
            sys.exit(EXIT_RUNTIME)
        sys.exit(code if isinstance(code, int) else 0)


EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as tools killed by SIGPIPE exit in a shell
_WRITE_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("EBADF", "ENOSPC", "EDQUOT", "EFBIG", "EIO", "EPIPE")
    if hasattr(errno, name)
)


class _ClosedStream(io.RawIOBase):
    """Stands in for a standard stream indcli was started without (``>&-``)."""

    failed = False  # once the failure is reported, output is dropped

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.failed:
            return len(data)
        raise OSError(errno.EBADF, "stdout is closed")


class _WholeWrites(io.RawIOBase):
    """A raw stream that writes all it is given or raises. With ``PYTHONUNBUFFERED`` the
    text layer of stdout sits on the raw file, and a short write (a file size limit, a
    full disk) would lose the rest silently: TextIOWrapper ignores the count."""

    def __init__(self, raw: io.RawIOBase) -> None:
        super().__init__()
        self.raw = raw

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw.fileno()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            count = self.raw.write(view)
            if not count:  # 0, or None (would block): nothing more goes out
                raise OSError(errno.EIO, "short write: the output was cut off")
            view = view[count:]
        return total


_REPLACED: list[Any] = []


def _sturdy_streams() -> None:
    """Make output degrade instead of crash: a closed stdout fails writes with one clear
    error (exit 1), a closed stderr swallows messages (the exit code still tells), a short
    write to stdout is an error whatever the buffering, and a non-UTF-8 stdout/stderr gets
    ASCII look-alikes or '?' for what it cannot encode."""
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedStream()), encoding="utf-8")
    elif isinstance(getattr(sys.stdout, "buffer", None), io.RawIOBase) and not isinstance(
        sys.stdout.buffer, _WholeWrites | _ClosedStream
    ):
        old = sys.stdout
        _REPLACED.append(old)  # collected, it would close the file descriptor
        sys.stdout = io.TextIOWrapper(
            _WholeWrites(old.buffer),
            encoding=old.encoding,
            errors=old.errors,
            line_buffering=old.line_buffering,
            write_through=True,
        )
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        if not hasattr(stream, "reconfigure"):
            continue
        if not encoding.startswith("utf"):
            errors = _ascii_fallback()
        elif getattr(stream, "errors", None) == "strict":  # a name that is not UTF-8
            errors = _error_handler("indcli-escape", escape_errors)
        else:
            continue
        with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
            stream.reconfigure(errors=errors)


_LOOKALIKES = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
    "\u2014": "--", "\u2026": "...", "\u00a0": " ", "\u2022": "*", "\u2192": "->",
}  # fmt: skip


def _ascii_fallback() -> str:
    """The name of a codec error handler: ASCII look-alikes, else '?'."""

    def handler(exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        bad = exc.object[exc.start : exc.end]
        return "".join(_LOOKALIKES.get(char, "?") for char in bad), exc.end

    return _error_handler("indcli-ascii", handler)


def _error_handler(name: str, handler: Any) -> str:
    """Register a codec error handler once; return its name."""
    import codecs

    with contextlib.suppress(LookupError):
        codecs.lookup_error(name)
        return name
    codecs.register_error(name, handler)
    return name


def _output_failed(exc: OSError) -> bool:
    """Whether an OSError is a failed write to stdout or stderr (not a file error)."""
    return exc.errno in _WRITE_ERRNOS and exc.filename is None


def _quiet_closed_pipe() -> NoReturn:
    """The reader of our output went away (``| head -1``): stop quietly with exit 141,
    as a tool killed by SIGPIPE would; nothing more can be said on a closed pipe."""
    _silence_stdout()
    sys.exit(EXIT_CLOSED_PIPE)


def _silence_stdout() -> None:
    """After a failed write to stdout, drop what is still buffered: Python's flush at
    exit must not fail again (or print "Exception ignored")."""
    _ClosedStream.failed = True
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _die_of(signum: int) -> NoReturn:
    """SIGTERM or SIGHUP: temporary files are gone; now end as that signal would."""
    import signal

    with contextlib.suppress(OSError, ValueError):
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    sys.exit(128 + signum)


def _set_up(app: App, args: list[str], prog_name: str) -> None:
    """The one place an invocation's App is configured, before any command runs."""
    if app.reserved is None:
        app.reserved = reserved_names()
    app.json_messages, app.command_name = _wants_json(args), _command_name(args)
    complete_var = f"_{prog_name}_COMPLETE".replace("-", "_").upper()
    if os.environ.get(complete_var):  # shell completion: keep the prompt line clean
        app.quiet = True
        from indcli.commands.completion import one_line_completions

        one_line_completions()


def _summary(command: click.Command | str) -> str:
    """A command's summary in the root help, whole (click would cut it at the width; the
    help formatter wraps it instead)."""
    if isinstance(command, str):  # a summary: its first sentence, as click takes it
        command = click.Command(None, help=command)
    return command.get_short_help_str(10_000)


def _served_command(served: Served) -> click.Command:
    """The command a flow or guide names in content, built by the core."""
    spec = served.spec
    if served.kind == "flow":
        from indcli.commands.route import route_command

        return route_command(served.target, spec.name, spec.help, spec.examples)
    from indcli.commands.guide import guide_command

    return guide_command(served.target, spec.name, spec.help, spec.examples)


def _unknown_command(ctx: click.Context, name: str, known: list[str]) -> NoReturn:
    app = current_app(ctx)
    message = f"no command '{printable(name)[:64]}'"
    owner = app.catalog.pointed_to("command").get(name)
    if owner:
        hint = app.load_catalog().pack_hint(owner)
        if any(p.name == owner and p.status == "failed" for p in app.catalog.packs):
            raise PackError(f"{message}: {hint}.")
        raise click.UsageError(f"{message}: it comes from pack {owner}; {hint}.", ctx)
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f" Did you mean '{close[0]}'?" if close else ""
    failed = [p.name for p in app.catalog.failed]
    if failed and not close:
        raise PackError(
            f"{message}. It may come from a pack that failed to load "
            f"({', '.join(failed)}); see 'indcli plugins'."
        )
    raise click.UsageError(f"{message}.{suggestion} Commands: {', '.join(known)}.", ctx)


def _name_failed_packs(exc: click.NoSuchOption, app: App) -> None:
    """An option unknown because the pack that adds it failed: say which pack, and why."""
    catalog = app.loaded_catalog
    if catalog is None or not catalog.failed or exc.possibilities:
        return
    option = exc.option_name.lstrip("-")
    adds = [
        p
        for p in catalog.failed
        if any(q.id == option for c in p.content for f in c.flows for q in f.questions)
    ]
    if adds:
        pack = adds[0]
        hint = f"It comes from pack {pack.name}, which failed to load: {pack.error}"
    else:
        names = ", ".join(p.name for p in catalog.failed)
        hint = f"It may come from a pack that failed to load ({names}); see 'indcli plugins'."
    exc.message = f"{exc.message.rstrip('.')}. {hint}"  # type: ignore[misc]


def _debug(args: list[str]) -> bool:
    return "--debug" in args or env_flag(os.environ, "INDCLI_DEBUG")


VALUE_OPTIONS = {"--format", "--output", "-o", "--answers", "--batch", "--step", "--graph"}


def _wants_json(args: list[str]) -> bool:
    """Whether the last --format given is json (errors then come as JSON too)."""
    chosen = None
    for i, arg in enumerate(args):
        if arg.startswith("--format="):
            chosen = arg.partition("=")[2]
        elif arg == "--format" and i + 1 < len(args):
            chosen = args[i + 1]
    return chosen == "json"


def _command_name(args: list[str]) -> str:
    """The command being run, for JSON errors: the first argument that is not an option
    or an option's value."""
    for i, arg in enumerate(args):
        if not arg.startswith("-") and (i == 0 or args[i - 1] not in VALUE_OPTIONS):
            return one_line(arg)[:64]
    return "indcli"


def _report(exc: click.ClickException, args: list[str]) -> None:
    """Show an error: click's usual text, or one JSON object with --format json.

    The message is made one printable line here, in one place, whoever wrote it (click's
    own usage and bad-parameter messages included): user input echoed in it can neither
    drive the terminal nor forge a line of its own."""
    message = one_line(exc.format_message())
    if _wants_json(args):
        kind = getattr(exc, "kind", "usage" if isinstance(exc, click.UsageError) else "runtime")
        error = {"code": exc.exit_code, "kind": kind, "message": message}
        click.echo(to_json_line(payload(_command_name(args), error=error)), err=True)
    else:
        shown = _wrapped_error(message)
        exc.format_message = lambda: shown  # type: ignore[method-assign]
        exc.show()


def _wrapped_error(message: str) -> str:
    """On a terminal, the message wrapped at spaces after click's ``Error: `` (never inside
    a word, an option or a path); anywhere else the one line, for scripts and logs."""
    from indcli.output.render import wrap_words
    from indcli.output.terminal import current

    cols = current().error_columns()
    if not cols or len("Error: ") + len(message) <= cols:
        return message
    lines = wrap_words("Error: " + message, min(cols, 100), "", "  ")
    return "\n".join([lines[0].removeprefix("Error: "), *lines[1:]])


@click.group(
    cls=RootGroup,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 80},
)
@click.version_option(__version__, "--version", prog_name="indcli", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """indcli: find the right IND form for your partner's residence permit.

    A guide to the IND page "Residence permit for your partner: application forms":
    which form to use and how to apply, what to do before and after, and why, citing the
    sentence each piece of advice rests on. Commands come from installed content packs.
    """


def main(prog_name: str = "indcli") -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name=prog_name)
    except SystemExit as exc:
        _exit_now_if_threads_linger(exc.code)
        raise


def _exit_now_if_threads_linger(code: Any) -> None:
    """Exit at once when a thread a pack started is still running: Python would wait for
    it after the output is done (a pack's "update check" would hang every command). The
    pack's load already warned about it."""
    import threading

    main_thread = threading.main_thread()
    if not any(t.is_alive() and not t.daemon and t is not main_thread
               for t in threading.enumerate()):  # fmt: skip
        return
    if isinstance(code, str):  # sys.exit("message") prints it
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else EXIT_RUNTIME)
