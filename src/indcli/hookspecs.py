"""Every hook a content pack can implement.

Each hook is prefixed ``indcli_`` and documented by its docstring; ``docs/hooks.md`` is
the longer reference, and a test fails when a hook here is missing from it or has no
test of its own. Packs are pluggy plugins: they implement hooks with ``indcli.hookimpl``,
which is ``pluggy.HookimplMarker("indcli")`` (so a pack marked with pluggy's own marker
works the same). The core registers each pack with one ``pluggy.PluginManager("indcli")``
and calls each pack's implementations on their own, so a pack that raises is reported by
name and skipped without affecting the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

hookspec = pluggy.HookspecMarker("indcli")
hookimpl = pluggy.HookimplMarker("indcli")


@hookspec
def indcli_content() -> Any | Iterable[Any]:
    """Return the pack's content file, or several.

    Each item is a path (``str`` or :class:`os.PathLike`) or an
    :class:`importlib.resources.abc.Traversable` pointing at a TOML file shipped inside the
    pack. The core reads each file, validates it against the content models in
    :mod:`indcli.content.schema` (unknown fields are rejected, every item must cite its source)
    and merges it with what the other packs contribute: explain topics, step-by-step
    guides and routing flows (questions, outcomes, rules).

    Called once per run, when indcli loads packs: for any command, ``--help`` and shell
    completion (``--version`` does not load packs). If the file is missing or invalid,
    the whole pack is skipped with one warning, or the run stops with exit code 3 under
    ``INDCLI_STRICT_PLUGINS=1``.

    Example::

        import os
        from indcli import hookimpl

        @hookimpl
        def indcli_content():
            return os.path.join(os.path.dirname(__file__), "content.toml")

    Every run imports every pack, so keep the module light: ``os.path`` rather than
    :mod:`pathlib`, which would add about 4 ms to every run of ``indcli``.
    """


@hookspec
def indcli_commands() -> Iterable[click.Command]:  # type: ignore[empty-body]
    """Return the click commands with code of their own that this pack adds to ``indcli``.

    Each command is added under its own ``name``. A name that a core command already uses
    or that another pack also contributes makes this pack fail to load, naming both
    packs. A command that only shows a guide or routes through a flow needs no code: name
    it in the content (``[guides.command]``, ``[flows.command]``) and the core builds it.
    A plain ``@click.command()`` reaches the loaded content through
    :func:`indcli.api.current_app`.

    Called once per run, when the command list is needed (any command, ``--help``, shell
    completion).

    Example::

        import click
        from indcli import hookimpl
        from indcli.api import current_app

        @click.command("topic-count")
        def topic_count():
            click.echo(f"{len(current_app().catalog.topics)} topics")

        @hookimpl
        def indcli_commands():
            return [topic_count]
    """
