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
    from indcli.commands.support.registry import reserved_names

    packs = _packs_arg(packs)
    _names_arg(names)
    if environ is not None:
        _mapping_arg(environ, "environ", "variable names to values")
    env = dict(environ) if environ is not None else None
    if names is not None:
        import os

        env = dict(os.environ if env is None else env)
        env["INDCLI_LOAD_PLUGINS"] = ",".join(names)
    return App(
        packs,
        env,
        interactive=False,
        reserved=reserved_names(),
    )


_default: App | None = None


def _app(app: App | None) -> App:
    global _default
    if app is not None:
        from indcli.app import App

        if not isinstance(app, App):
            raise TypeError(f"app must be an App from indcli.api.load(), or None; got {_kind(app)}")
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

    _mapping_arg(
        answers, "answers", 'question ids to choice ids: {"prefer": "paper"}', any_value=True
    )
    _id_arg(flow, "flow", "a flow id")
    app = _app(app)
    catalog = _catalog(app)
    return route_result(catalog, lookup_flow(catalog, flow), answers, strict=app.strict)


def explain(topic: str, *, app: App | None = None) -> dict[str, Any]:
    """The ``indcli explain TOPIC --format json`` object; LookupError for an unknown topic."""
    from indcli.output.topic_payload import topic_payload

    _id_arg(topic, "topic", "a topic id")
    catalog = _catalog(_app(app))
    if topic not in catalog.topics:
        raise LookupError(f"topic '{topic}' is not loaded; topics: {', '.join(catalog.topics)}")
    return topic_payload(catalog, topic)


def guide(guide_id: str, *, app: App | None = None) -> dict[str, Any]:
    """The ``--format json`` object of the command that shows the guide ``guide_id``."""
    from indcli.output.guide_payload import guide_payload

    _id_arg(guide_id, "guide_id", "a guide id")
    catalog = _catalog(_app(app))
    loaded = catalog.guides.get(guide_id)
    if loaded is None:
        raise LookupError(f"guide '{guide_id}' is not loaded; guides: {', '.join(catalog.guides)}")
    command = loaded.command.name if loaded.command else f"{guide_id}-steps"
    return guide_payload(command, loaded)


# --- checking arguments: misuse is a TypeError or ValueError naming the parameter --------


def _kind(value: object) -> str:
    return "None" if value is None else f"{type(value).__name__} {_short(value)}"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _id_arg(value: object, param: str, what: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{param} must be {what} (a str); got {_kind(value)}")


def _mapping_arg(value: object, param: str, what: str, *, any_value: bool = False) -> None:
    """A mapping of str to str (``any_value``: to anything; answers' values are checked
    against the flow, which says what each may be)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{param} must be a mapping (dict) of {what}; got {_kind(value)}")
    for key, item in value.items():
        if not isinstance(key, str) or not (any_value or isinstance(item, str)):
            raise TypeError(
                f"{param} must map str to str ({what}); got {_short(key)}: {_short(item)}"
            )


def _names_arg(names: object) -> None:
    what = "pack names (the installed distributions' names)"
    if names is None:
        return
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        example = f"names=[{names!r}]" if isinstance(names, str) else 'names=["indcli-x"]'
        raise TypeError(f"names must be a list of {what}, such as {example}; got {_kind(names)}")
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"names must hold {what} as str; got {_kind(name)}")
        if not name.strip():
            raise ValueError(f"names must hold {what}; got an empty name")


def _packs_arg(packs: object) -> list[Any] | None:
    """The pack modules (or PackSources) as a list; TypeError for anything else."""
    from indcli.packs.loading import PackSource

    if packs is None:
        return None
    if isinstance(packs, ModuleType | PackSource | str | bytes) or not isinstance(packs, Iterable):
        raise TypeError(
            f"packs must be a list of pack modules (imported, e.g. [my_pack]); got {_kind(packs)}"
        )
    chosen = list(packs)
    for pack in chosen:
        if not isinstance(pack, ModuleType | PackSource):
            hint = " (import it, or give installed packs by name: names=[...])"
            raise TypeError(
                f"packs must hold pack modules{hint if isinstance(pack, str) else ''}; "
                f"got {_kind(pack)}"
            )
    return chosen
