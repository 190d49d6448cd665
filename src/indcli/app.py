"""The per-run application object: which packs, which environment, which terminal.

Commands never reach for global state: they get the :class:`App` with
:func:`current_app`. The root command sets it up once per invocation (from the installed
packs and ``os.environ``, or from what a test or :mod:`indcli.api` handed in), so nothing
installed on the machine leaks into a test. The core's reserved command and option names
are handed down here by the CLI, never imported from it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cached_property
from types import ModuleType
from typing import Any, Literal

import click

from indcli.errors import PackError
from indcli.output.terminal import Terminal
from indcli.packs.catalog import Catalog, Reserved, load_catalog
from indcli.packs.content_cache import ContentLoader, cache_dir
from indcli.packs.loading import PackSource, module_source
from indcli.utils.env_flags import env_flag, flag_warnings
from indcli.utils.text_safety import printable


class App:
    def __init__(
        self,
        packs: Iterable[PackSource | ModuleType] | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        interactive: bool | None = None,
        reserved: Reserved | None = None,
    ) -> None:
        """``packs``: in-process packs, or ``None`` to discover installed ones.

        ``interactive``: force whether prompts may be shown; ``None`` asks the terminal.
        ``reserved``: the core's command and option names (the CLI sets them).
        """
        self.sources = (
            None
            if packs is None
            else [p if isinstance(p, PackSource) else module_source(p) for p in packs]
        )
        self.environ = dict(os.environ if environ is None else environ)
        self.terminal = Terminal(self.environ, interactive=interactive)
        self.reserved = reserved
        self.loader = ContentLoader(cache_dir(self.environ))
        self._catalog: Catalog | None = None
        self.quiet = False  # shell completion: keep the prompt line clean
        self.json_messages = False  # set from --format json: warnings as JSON lines
        self.command_name = "indcli"  # the command being run, for JSON messages
        self._strict_failure: PackError | Literal[False] | None = None  # None: not decided

    def load_catalog(self) -> Catalog:
        """The merged packs, loaded once, without reporting failures (see ``catalog``)."""
        if self._catalog is None:
            self._catalog = load_catalog(
                self.sources, self.environ, self.loader, self.reserved or Reserved()
            )
        return self._catalog

    @property
    def loaded_catalog(self) -> Catalog | None:
        """The catalog if the packs were loaded already, else None (never loads them)."""
        return self._catalog

    @cached_property
    def catalog(self) -> Catalog:
        """The merged packs; a pack that failed is a warning, or exit 3 when strict."""
        catalog = self.load_catalog()
        failure = self.strict_failure()
        if failure is not None:
            raise failure
        for pack in catalog.failed:
            name = printable(pack.name)
            message = f"pack {name} {printable(pack.version)} was skipped: {pack.error}"
            hint = f"INDCLI_DISABLE_PLUGINS={name}"
            self.warn(
                message if hint in message else f"{message}. Disable it with {hint}", pack=name
            )
            if pack.traceback and self.debug and not self.quiet:
                click.echo(pack.traceback.rstrip(), err=True)
        for pack in catalog.packs:
            for warning in pack.warnings:
                self.warn(f"pack {printable(pack.name)}: {warning}", pack=pack.name)
        for message in flag_warnings(self.environ):
            self.warn(message)
        for name in catalog.unknown_plugin_names:
            self.warn(
                f"{printable(name)} matches no installed pack; see 'indcli plugins' for the "
                "distribution names"
            )
        return catalog

    @property
    def plugin_manager(self) -> Any:
        """The ``pluggy.PluginManager("indcli")`` the loaded packs are registered in."""
        return self.load_catalog().plugin_manager

    def strict_failure(self) -> PackError | None:
        """With INDCLI_STRICT_PLUGINS, the error for the first pack that failed to load, or
        whose rules override a flow owner's outcome undeclared for any answers at all."""
        if not self.strict:
            return None
        if self._strict_failure is None:
            self._strict_failure = _strict_problem(self.load_catalog()) or False
        return self._strict_failure or None

    @property
    def debug(self) -> bool:
        """--debug (on the root command) or INDCLI_DEBUG: show tracebacks of packs too."""
        ctx = click.get_current_context(silent=True)
        flag = bool(ctx and ctx.find_root().params.get("debug"))
        return flag or env_flag(self.environ, "INDCLI_DEBUG")

    def warn(self, message: str, **details: str) -> None:
        """One warning line on stderr: text, or a JSON object when output is JSON."""
        if self.quiet:
            return
        message = printable(message)  # pack names, versions and errors are untrusted
        details = {key: printable(value) for key, value in details.items()}
        if self.json_messages:
            from indcli.output.render import payload, to_json_line

            warning = {"message": message, **details}
            click.echo(to_json_line(payload(self.command_name, warning=warning)), err=True)
        else:
            click.echo(f"indcli: warning: {message}", err=True)

    @property
    def strict(self) -> bool:
        return env_flag(self.environ, "INDCLI_STRICT_PLUGINS")

    def interactive(self) -> bool:
        """May we prompt with the result on the same terminal? (see :class:`Terminal`)"""
        return self.terminal.interactive()

    def may_prompt(self) -> bool:
        """May we ask questions at all (stdout may be piped)?"""
        return self.terminal.may_prompt()


def _strict_problem(catalog: Catalog) -> PackError | None:
    for pack in catalog.failed:
        name = printable(pack.name)
        return PackError(
            f"pack {name} {printable(pack.version)} was skipped: {pack.error} "
            "(INDCLI_STRICT_PLUGINS is set, so this is fatal; fix or disable it with "
            f"INDCLI_DISABLE_PLUGINS={name})",
            pack=pack.name,
        )
    flows = [f for f in catalog.flows.values() if f.owner is not None]
    if all(r.pack == f.owner for f in flows for r in f.outcome_rules):
        return None  # nothing to analyse (the usual case): the checks are not imported
    from indcli.checks.flow_checks import undeclared_overrides

    for flow in flows:
        for problem in undeclared_overrides(flow):
            name = printable(problem.pack)
            return PackError(
                f"pack {name}: {problem.item} {problem.message} (INDCLI_STRICT_PLUGINS is "
                f"set, so this is fatal whatever the answers; fix it or disable the pack with "
                f"INDCLI_DISABLE_PLUGINS={name})",
                pack=problem.pack,
            )
    return None


def current_app(ctx: click.Context | None = None) -> App:
    """The :class:`App` of the running command (set up once by the root command)."""
    ctx = ctx or click.get_current_context()
    return ctx.find_root().ensure_object(App)
