"""Batch routing: many cases from JSON Lines, one compact JSON result per line.

Built for advisers who route thousands of cases: input is streamed (memory stays flat
however long the file), results come out in input order with their line number, and a
bad line gets an error record while the rest go on. The engine is deterministic, so the
result of each distinct line (by its exact bytes) and of each distinct set of answers is
computed once and its JSON reused; a file of 100,000 cases holds at most a few thousand
distinct ones, so most lines cost a dictionary lookup and a write. Results carry ids, not texts:
`indcli route` with the same answers shows the texts and their sources.

Ctrl-C stops at once (even while blocked reading), but never in the middle of writing a
line, so stdout holds only complete lines; with ``--output`` the file appears only when
every line is done (atomic, like elsewhere), so an interrupted batch writes no file.
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

from indcli.commands.support.answers import Duplicate, describe_invalid, no_duplicates, stdin_bytes
from indcli.errors import Interrupted, PackError
from indcli.output.route_result import RouteResult
from indcli.routing.engine import (
    ContentGap,
    FlowTooComplex,
    InvalidAnswer,
    MissingAnswers,
    settle,
    validate_answers,
)
from indcli.routing.flow import Flow
from indcli.utils.text_safety import one_line

MAX_LINE_BYTES = 64 * 1024
MAX_MEMO = 50_000  # results kept per distinct set of answers, and per distinct line
MAX_MEMO_LINE_BYTES = 1024  # longer lines are routed every time (memory stays bounded)
TOO_LONG = None  # marks a line longer than MAX_LINE_BYTES


def run_batch(
    flow: Flow, defaults: dict[str, str], source: str, out: IO[bytes], strict: bool = False
) -> int:
    """Route every line of ``source`` (``-``: stdin) into ``out``; return failed lines.
    ``strict`` (INDCLI_STRICT_PLUGINS): a line routed by an undeclared override fails."""
    memo: dict[Any, tuple[bool, bytes]] = {}
    by_line: dict[bytes, tuple[bool, bytes]] = {}  # same bytes, same result
    failed = written = 0
    to_stdout = out is getattr(sys.stdout, "buffer", None)
    write = out.write
    try:
        with _stop_on_sigint() as stopped, _lines(source) as lines:
            for number, line in lines:
                hit = by_line.get(line)  # type: ignore[arg-type]
                if hit is not None:
                    ok, fragment = hit
                elif line is TOO_LONG:
                    ok, fragment = False, _error(f"longer than {MAX_LINE_BYTES // 1024} KiB")
                else:
                    ok, fragment = _result(flow, defaults, line, memo, strict)
                    if len(line) <= MAX_MEMO_LINE_BYTES and len(by_line) < MAX_MEMO:
                        by_line[line] = ok, fragment
                failed += not ok
                stopped.held = True  # a line is written whole, or not at all
                try:
                    write(b'{"line":%d,%s}\n' % (number, fragment))
                    written = number
                finally:
                    stopped.held = False
                if stopped.pressed:
                    raise KeyboardInterrupt
    except KeyboardInterrupt:
        if to_stdout:
            with contextlib.suppress(OSError, ValueError):
                out.flush()
        raise Interrupted(_interrupted(written, to_stdout)) from None
    return failed


def _interrupted(number: int, to_stdout: bool) -> str:
    """What was written when Ctrl-C arrived: said as it is."""
    if not to_stdout:
        return "Interrupted; nothing was written to the --output file."
    if number == 0:
        return "Interrupted before the first line; no results were printed."
    return f"Interrupted after line {number}; the results of lines 1-{number} are complete."


def _result(
    flow: Flow,
    defaults: dict[str, str],
    line: bytes,
    memo: dict[Any, tuple[bool, bytes]],
    strict: bool = False,
) -> tuple[bool, bytes]:
    try:
        text = line.decode("utf-8")  # strict: json.loads(bytes) would let surrogates pass
    except UnicodeDecodeError as exc:
        return False, _error(f"not UTF-8 text (bad byte at offset {exc.start})")
    try:
        raw = json.loads(text)
        flat = isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values())
        if not flat or len(_KEY_END.findall(text)) > len(raw):  # a key may be given twice
            raw = json.loads(text, object_pairs_hook=no_duplicates)
    except Duplicate as exc:
        return False, _error(f"gives '{one_line(exc.key)[:80]}' twice; give each answer once")
    except ValueError as exc:  # includes integers of more than 4,300 digits
        return False, _error(f"not valid JSON ({exc})")
    except RecursionError:
        return False, _error("nested too deeply to be answers")
    if not isinstance(raw, dict):
        return False, _error(f"a line must be one JSON object of answers, not {_kind(raw)}")
    if _SURROGATE_ESCAPE.search(text) and not _encodable(raw):
        return False, _error("holds a \\u escape of a lone surrogate, which is not text")
    # Only all-string answers are memoised: 1, 1.0 and true are equal as dict keys, so
    # they would share one (wrong) error record; invalid lines are cheap to check anyway.
    key = tuple(sorted(raw.items())) if flat else None
    hit = None if key is None else memo.get(key)
    if hit is None:
        hit = _route(flow, {**defaults, **raw}, strict)
        if key is not None and len(memo) < MAX_MEMO:
            memo[key] = hit
    return hit


# Where a JSON key ends: every key of a line is followed by one, so a flat object with
# fewer keys than these may hold a key twice (json.loads keeps the last) and is parsed
# again, key by key; a string value holding '":' only costs that second parse.
_KEY_END = re.compile(r'"\s*:')
# A \\uD800-\\uDFFF escape: the only way a strictly decoded line can hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _encodable(raw: dict[str, Any]) -> bool:
    """Whether every string in ``raw`` is text that UTF-8 can encode (no lone surrogate)."""
    try:
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _route(flow: Flow, raw: dict[str, Any], strict: bool = False) -> tuple[bool, bytes]:
    try:
        route = settle(flow, validate_answers(flow, raw))
    except InvalidAnswer as exc:
        return False, _error(describe_invalid(exc, ""))
    except MissingAnswers as exc:
        return False, _error(str(exc))
    except FlowTooComplex as exc:
        return False, _error(str(exc), 3)
    except ContentGap:
        return False, _error("no outcome matches these answers (a gap in the content)", 3)
    try:
        record = RouteResult(flow, route, strict=strict).to_record()
    except PackError as exc:  # strict: an undeclared override refuses the line
        return False, _error(exc.message, 3)
    return True, json.dumps(record, ensure_ascii=False, separators=(",", ":"))[1:-1].encode()


def _error(message: str, code: int = 2) -> bytes:
    error = {"error": {"code": code, "message": message}}
    return json.dumps(error, ensure_ascii=False, separators=(",", ":"))[1:-1].encode()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    names = {list: "a list", str: "a string", bool: "true or false"}
    return names.get(type(value), "a number")


@contextmanager
def _lines(source: str) -> Iterator[Iterator[tuple[int, bytes | None]]]:
    """Numbered non-blank lines; an overlong line is cut and reported, never kept whole."""
    if source == "-":
        handle = stdin_bytes("a batch", "--batch FILE")
    else:
        try:
            handle = open(source, "rb")  # noqa: SIM115
        except OSError as exc:
            raise click.UsageError(
                f"cannot read --batch {one_line(source)}: {exc.strerror or exc}."
            ) from None

    def numbered() -> Iterator[tuple[int, bytes | None]]:
        number = 0
        while True:
            line = handle.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield number, TOO_LONG
            elif line.strip():
                yield number, line

    try:
        yield numbered()
    finally:
        if source != "-":
            handle.close()


class _Stop:
    """Ctrl-C during a batch: a flag while a line is being written (so stdout holds only
    whole lines), an immediate KeyboardInterrupt otherwise, in particular while blocked
    reading input (stdin, a FIFO, a terminal, /dev/zero), which a flag alone would never
    interrupt: Python restarts the read after the signal handler returns."""

    def __init__(self) -> None:
        self.pressed = False
        self.held = False

    def handler(self, signum: int, frame: Any) -> None:
        self.pressed = True
        if not self.held:
            raise KeyboardInterrupt


@contextmanager
def _stop_on_sigint() -> Iterator[_Stop]:
    """Install :class:`_Stop` as the SIGINT handler for the batch."""
    stop = _Stop()
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # nohup, `cmd &`: as the user set it
        yield stop
        return
    try:
        previous = signal.signal(signal.SIGINT, stop.handler)
    except ValueError:  # not the main thread (some test runners): plain KeyboardInterrupt
        yield stop
        return
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
