"""Batch routing: many cases from JSON Lines, one compact JSON result per line.

Built for advisers who route thousands of cases: input is streamed (memory stays flat
however long the file), results come out in input order with their line number, and a
bad line gets an error record while the rest go on. The engine is deterministic, so the
result of each distinct set of answers is computed once and its JSON reused; a file of
100,000 cases holds at most a few thousand distinct ones. Results carry ids, not texts:
`indcli route` with the same answers shows the texts and their sources.

Ctrl-C stops after the line being written, so stdout holds only complete lines; with
``--output`` the file appears only when every line is done (atomic, like elsewhere).
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from indcli.answers import describe_invalid
from indcli.engine import ContentGap, InvalidAnswer, MissingAnswers, settle, validate_answers
from indcli.errors import Interrupted
from indcli.flow import Flow
from indcli.result import RouteResult

MAX_LINE_BYTES = 64 * 1024
MAX_MEMO = 50_000
TOO_LONG = None  # marks a line longer than MAX_LINE_BYTES


def run_batch(flow: Flow, defaults: dict[str, str], source: str, out: IO[bytes]) -> int:
    """Route every line of ``source`` (``-``: stdin) into ``out``; return failed lines."""
    memo: dict[Any, tuple[bool, bytes]] = {}
    failed = 0
    with _lines(source) as lines, _stop_on_sigint() as stopped:
        for number, line in lines:
            if line is TOO_LONG:
                ok, fragment = False, _error(f"longer than {MAX_LINE_BYTES // 1024} KiB")
            else:
                ok, fragment = _result(flow, defaults, line, memo)
            failed += not ok
            out.write(b'{"line":%d,%s}\n' % (number, fragment))
            if stopped():
                out.flush()
                raise Interrupted(f"Interrupted after line {number}; results so far are complete.")
    return failed


def _result(
    flow: Flow, defaults: dict[str, str], line: bytes, memo: dict[Any, tuple[bool, bytes]]
) -> tuple[bool, bytes]:
    try:
        raw = json.loads(line)
    except ValueError as exc:
        return False, _error(f"not valid JSON ({exc})")
    if not isinstance(raw, dict):
        return False, _error(f"a line must be one JSON object of answers, not {_kind(raw)}")
    try:
        key = tuple(sorted(raw.items()))
        hit = memo.get(key)
    except TypeError:  # an unhashable value (list, object): invalid, and reported below
        key, hit = None, None
    if hit is None:
        hit = _route(flow, {**defaults, **raw})
        if key is not None and len(memo) < MAX_MEMO:
            memo[key] = hit
    return hit


def _route(flow: Flow, raw: dict[str, Any]) -> tuple[bool, bytes]:
    try:
        route = settle(flow, validate_answers(flow, raw))
    except InvalidAnswer as exc:
        return False, _error(describe_invalid(exc, ""))
    except MissingAnswers as exc:
        return False, _error(str(exc))
    except ContentGap:
        return False, _error("no outcome matches these answers (a gap in the content)", 3)
    record = RouteResult(flow, route).to_record()
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
    handle = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115

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


@contextmanager
def _stop_on_sigint() -> Iterator[Any]:
    """Turn Ctrl-C into a flag checked between lines, so no line is ever cut in half."""
    flag: list[bool] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: flag.append(True))
    except ValueError:  # not the main thread (some test runners): plain KeyboardInterrupt
        yield lambda: False
        return
    try:
        yield lambda: bool(flag)
    finally:
        signal.signal(signal.SIGINT, previous)
