"""Telling a real Ctrl-C from a KeyboardInterrupt that code raised itself."""

from __future__ import annotations

import threading
from typing import Any


class InterruptWatch:
    """Notes whether a real SIGINT arrives while packs load.

    A real Ctrl-C can only raise KeyboardInterrupt in the main thread, and only while
    SIGINT has Python's default handler: in another thread, or with SIGINT ignored
    (``nohup``, a script's ``cmd &``) or set to the default action, every
    KeyboardInterrupt is the pack's own. Under a handler of the host's (an embedding
    program), one might be real, so every KeyboardInterrupt counts as real."""

    def __init__(self) -> None:
        self.received = False
        self._previous: Any = None

    def __enter__(self) -> InterruptWatch:
        if threading.current_thread() is not threading.main_thread():
            return self
        import signal

        handler = signal.getsignal(signal.SIGINT)
        if handler is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        elif handler not in (signal.SIG_IGN, signal.SIG_DFL):
            self.received = True
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.received = True
        raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            import signal

            signal.signal(signal.SIGINT, self._previous)
