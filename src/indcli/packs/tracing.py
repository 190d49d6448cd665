"""INDCLI_TRACE_PLUGINS: each hook call on stderr, through pluggy's hook-call monitoring.

Like pytest's ``--trace-config`` or datasette's ``DATASETTE_TRACE_PLUGINS``: one line per
call, naming the pack, the hook, the time it took and what it returned (in short). The
line goes to the stderr in front of any capture, so it is seen even while a pack's own
output is captured; stdout (and so ``--format json``) is never touched.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pluggy

from indcli.utils.capture import real_stream
from indcli.utils.text_safety import one_line, printable

MAX_SHOWN = 160


def trace_hook_calls(pm: pluggy.PluginManager, pack_of: Callable[[str], str]) -> Callable[[], None]:
    """Trace every hook call ``pm`` makes from now on; returns the function that stops it.
    ``pack_of`` names the pack of a plugin name."""
    started: list[float] = []

    def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        started.append(time.perf_counter())

    def after(
        outcome: pluggy.Result[Any],
        hook_name: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        elapsed = (time.perf_counter() - started.pop()) * 1000
        packs = ", ".join(dict.fromkeys(pack_of(impl.plugin_name) for impl in impls))
        if outcome.exception is not None:
            exc = outcome.exception
            shown = f"raised {type(exc).__name__}: {one_line(str(exc))}"
        else:
            shown = "returned " + one_line(repr(outcome.get_result()))
        shown = printable(shown if len(shown) <= MAX_SHOWN else shown[: MAX_SHOWN - 3] + "...")
        stream = real_stream(sys.stderr)
        if stream is not None:
            stream.write(
                f"indcli: trace: {printable(packs)}: {hook_name} {elapsed:.2f} ms, {shown}\n"
            )
            stream.flush()

    return pm.add_hookcall_monitoring(before, after)
