"""Capturing what one thread prints, without taking the streams from the others.

A pack prints while it loads; that text must never reach ``--format json`` or the
terminal unescaped, so it is kept as the pack's warning. ``contextlib.redirect_stdout``
would do that by replacing ``sys.stdout`` for the whole process: a program embedding
indcli (``indcli.api`` from a web server's threads) would lose what its other threads
print meanwhile, and concurrent loads could leave the process with a ``StringIO`` for
good. Here ``sys.stdout`` and ``sys.stderr`` become, while any load runs, a proxy that
sends a capturing thread's writes to its buffer and every other thread's to the stream
that was there before; the last capture to end puts that stream back, unless someone
else has replaced the proxy meanwhile (then theirs stays).
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_users = 0
_targets: dict[int, io.StringIO] = {}  # thread id -> where its writes go


class _ThreadRouter:
    """Stands in for ``sys.stdout`` or ``sys.stderr`` while captures run."""

    def __init__(self, stream: Any) -> None:
        self.wrapped = stream

    def _stream(self) -> Any:
        return _targets.get(threading.get_ident(), self.wrapped)

    def write(self, text: str) -> int:
        stream = self._stream()
        return len(text) if stream is None else stream.write(text)  # None: print() drops it

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        stream = self._stream()
        if stream is not None:
            stream.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, buffer, fileno, ...
        return getattr(self.wrapped, name)


@contextmanager
def captured_output() -> Iterator[io.StringIO]:
    """What this thread writes to ``sys.stdout`` or ``sys.stderr`` inside the block goes
    to the yielded buffer; other threads' writes are untouched."""
    global _users
    buffer = io.StringIO()
    ident = threading.get_ident()
    with _lock:
        if _users == 0:
            sys.stdout, sys.stderr = _ThreadRouter(sys.stdout), _ThreadRouter(sys.stderr)
        _users += 1
        previous = _targets.get(ident)
        _targets[ident] = buffer
    try:
        yield buffer
    finally:
        with _lock:
            if previous is None:
                del _targets[ident]
            else:
                _targets[ident] = previous
            _users -= 1
            if _users == 0:
                for name in ("stdout", "stderr"):
                    current = getattr(sys, name)
                    if isinstance(current, _ThreadRouter):
                        setattr(sys, name, current.wrapped)


def real_stream(stream: Any) -> Any:
    """``stream`` itself, or the stream a capture stands in front of (for a message that
    must reach the user even while a pack's output is captured)."""
    return stream.wrapped if isinstance(stream, _ThreadRouter) else stream
