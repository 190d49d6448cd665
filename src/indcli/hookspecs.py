"""Every hook a content pack can implement.

Each hook is prefixed ``indcli_`` and documented by its docstring; ``docs/hooks.md`` is
the longer reference, and a test fails when a hook here is missing from it or has no
test of its own. Packs implement hooks with
``indcli.hookimpl``. The core calls each pack's implementation separately, so a pack that
raises is reported by name and skipped without affecting the others.

The markers are pluggy's, without importing pluggy (a fifth of a scripted run's own
import time): they set the attributes pluggy's ``HookimplMarker`` and ``HookspecMarker``
set, with the same options, so pluggy still reads a marked function as its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click

IMPL_ATTRIBUTE = "indcli_impl"  # what pluggy.HookimplMarker("indcli") sets
SPEC_ATTRIBUTE = "indcli_spec"


def hookimpl(function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Mark a pack's function as the implementation of the hook with its name:
    ``@hookimpl`` (pluggy's options are accepted and recorded, and otherwise unused)."""
    opts = {
        "wrapper": False,
        "hookwrapper": False,
        "optionalhook": False,
        "tryfirst": False,
        "trylast": False,
        "specname": None,
        **options,
    }

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        setattr(func, IMPL_ATTRIBUTE, opts)
        return func

    return mark if function is None else mark(function)


def hookspec(function: Callable[..., Any]) -> Callable[..., Any]:
    opts = {"firstresult": False, "historic": False, "warn_on_impl": None}
    setattr(function, SPEC_ATTRIBUTE, {**opts, "warn_on_impl_args": None})
    return function


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
def indcli_commands() -> Iterable[click.Command]:
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
