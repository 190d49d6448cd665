"""indcli's public Python API: the one module packs and programs import (with ``indcli``
for :data:`~indcli.hookimpl`, and :mod:`indcli.testing` in tests). Everything else in
``indcli`` is internal and may change between releases.

For programs that embed indcli (an adviser's portal, an HR system)::

    from indcli import api

    result = api.route({"eu-long-term-resident": "no", "temporary-permit": "yes",
                        "partner-abroad": "no"})
    result.to_dict()["outcome"]["id"]        # 'paper-family-member'

``result.to_dict()`` is exactly the ``indcli route --format json`` object for the same
answers and packs. :class:`MissingAnswers` (``.missing``: question ids still needed) and
:class:`InvalidAnswer` (``.question``, ``.value``, ``.allowed``) say what is wrong.
:func:`explain` and :func:`guide` return the JSON objects of ``indcli explain TOPIC`` and
of a guide's command. :func:`load` chooses which packs load (installed ones by default,
or modules you pass in, or only some installed ones by name).

For pack authors: :data:`hookimpl`, the content types (:class:`Topic`, :class:`Guide`,
:class:`Question`, ...), and what a code command needs: :func:`current_app`,
:class:`App`, the renderers (:class:`Doc`, :class:`Item`, :func:`render`,
:func:`payload`, :data:`format_option`) and the errors (:class:`IndcliError` exit 1,
:class:`PackError` exit 3).

Names are loaded lazily: importing this module costs nothing until a name is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names _LAZY loads, as a type checker sees them (test_api compares)
    from indcli import hookimpl
    from indcli.app import App, current_app
    from indcli.content.model import (
        Choice,
        Citation,
        Guide,
        Outcome,
        Paragraph,
        Question,
        Rule,
        Step,
        Topic,
    )
    from indcli.errors import IndcliError, PackError
    from indcli.output.render import Doc, Item, format_option, payload, render
    from indcli.output.route_result import RouteResult
    from indcli.routing.engine import ContentGap, InvalidAnswer, MissingAnswers, RouteError
    from indcli.routing.flow import Flow

_LAZY = {
    # packs
    "hookimpl": "indcli:hookimpl",
    "App": "indcli.app:App",
    "current_app": "indcli.app:current_app",
    "Doc": "indcli.output.render:Doc",
    "Item": "indcli.output.render:Item",
    "render": "indcli.output.render:render",
    "payload": "indcli.output.render:payload",
    "format_option": "indcli.output.render:format_option",
    "IndcliError": "indcli.errors:IndcliError",
    "PackError": "indcli.errors:PackError",
    # content types
    "Citation": "indcli.content.model:Citation",
    "Topic": "indcli.content.model:Topic",
    "Paragraph": "indcli.content.model:Paragraph",
    "Guide": "indcli.content.model:Guide",
    "Step": "indcli.content.model:Step",
    "Question": "indcli.content.model:Question",
    "Choice": "indcli.content.model:Choice",
    "Outcome": "indcli.content.model:Outcome",
    "Rule": "indcli.content.model:Rule",
    "Flow": "indcli.routing.flow:Flow",
    # programs
    "RouteResult": "indcli.output.route_result:RouteResult",
    "RouteError": "indcli.routing.engine:RouteError",
    "MissingAnswers": "indcli.routing.engine:MissingAnswers",
    "InvalidAnswer": "indcli.routing.engine:InvalidAnswer",
    "ContentGap": "indcli.routing.engine:ContentGap",
}

__all__ = [
    "App", "Choice", "Citation", "ContentGap", "Doc", "Flow", "Guide", "IndcliError",
    "InvalidAnswer", "Item", "MissingAnswers", "Outcome", "PackError", "Paragraph", "Question",
    "RouteError", "RouteResult", "Rule", "Step", "Topic", "current_app", "explain",
    "format_option", "guide", "hookimpl", "load", "payload", "render", "route",
]  # fmt: skip

DEFAULT_FLOW = "partner-permit"


if not TYPE_CHECKING:  # to a checker a name not imported above is an error, not Any

    def __getattr__(name: str) -> Any:
        target = _LAZY.get(name)
        if target is None:
            raise AttributeError(f"module 'indcli.api' has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return __all__


def load(
    packs: Iterable[ModuleType] | None = None,
    *,
    names: Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> App:
    """An :class:`App` with the packs to use: ``packs`` (modules, in-process), or the
    installed packs (only those in ``names``, if given: distribution names). ``environ``
    replaces ``os.environ`` (for INDCLI_* settings such as INDCLI_NO_CACHE)."""
    from indcli.app import App
    from indcli.commands.registry import reserved_names

    env = dict(environ) if environ is not None else None
    if isinstance(names, str | bytes):
        raise TypeError(f"names must be a list of pack names, not a string: names=[{names!r}]")
    if names is not None:
        import os

        env = dict(os.environ if env is None else env)
        env["INDCLI_LOAD_PLUGINS"] = ",".join(names)
    return App(
        None if packs is None else list(packs),
        env,
        interactive=False,
        reserved=reserved_names(),
    )


_default: App | None = None


def _app(app: App | None) -> App:
    global _default
    if app is not None:
        return app
    if _default is None:
        _default = load()
    return _default


def _catalog(app: App) -> Any:
    """The app's packs; with INDCLI_STRICT_PLUGINS, :class:`PackError` (``.pack`` names
    it) for a pack that failed to load, as the CLI exits 3. Never prints."""
    failure = app.strict_failure()
    if failure is not None:
        raise failure
    return app.load_catalog()


def route(
    answers: Mapping[str, str], *, flow: str = DEFAULT_FLOW, app: App | None = None
) -> RouteResult:
    """Route ``answers`` (question id -> choice id) through ``flow``.

    Raises :class:`InvalidAnswer`, :class:`MissingAnswers`, :class:`ContentGap`, or
    LookupError when no loaded pack owns ``flow``; with INDCLI_STRICT_PLUGINS set,
    :class:`PackError` for a pack that failed to load or overrides a rule undeclared.
    """
    from indcli.output.route_result import lookup_flow, route_result

    app = _app(app)
    catalog = _catalog(app)
    return route_result(catalog, lookup_flow(catalog, flow), answers, strict=app.strict)


def explain(topic: str, *, app: App | None = None) -> dict[str, Any]:
    """The ``indcli explain TOPIC --format json`` object; LookupError for an unknown topic."""
    from indcli.output.topic_payload import topic_payload

    catalog = _catalog(_app(app))
    if topic not in catalog.topics:
        raise LookupError(f"topic '{topic}' is not loaded; topics: {', '.join(catalog.topics)}")
    return topic_payload(catalog, topic)


def guide(guide_id: str, *, app: App | None = None) -> dict[str, Any]:
    """The ``--format json`` object of the command that shows the guide ``guide_id``."""
    from indcli.output.guide_payload import guide_payload

    catalog = _catalog(_app(app))
    loaded = catalog.guides.get(guide_id)
    if loaded is None:
        raise LookupError(f"guide '{guide_id}' is not loaded; guides: {', '.join(catalog.guides)}")
    command = loaded.command.name if loaded.command else f"{guide_id}-steps"
    return guide_payload(command, loaded)
