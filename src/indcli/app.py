"""The per-run application object: which packs, which environment, which terminal.

Commands never reach for global state: they get the :class:`App` from the click context.
``indcli`` builds one from the installed packs and ``os.environ``; tests and
:mod:`indcli.testing` build one from modules registered in-process, so nothing installed
on the machine leaks in.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from functools import cached_property
from types import ModuleType

import click

from indcli.catalog import Catalog, load_catalog
from indcli.errors import PackError
from indcli.limits import env_flag, printable
from indcli.loader import ContentLoader, cache_dir
from indcli.plugins import PackSource, module_source


class App:
    def __init__(
        self,
        packs: Iterable[PackSource | ModuleType] | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        interactive: bool | None = None,
    ) -> None:
        """``packs``: in-process packs, or ``None`` to discover installed ones.

        ``interactive``: force whether prompts may be shown; ``None`` asks the terminal.
        """
        self.sources = (
            None
            if packs is None
            else [p if isinstance(p, PackSource) else module_source(p) for p in packs]
        )
        self.environ = dict(os.environ if environ is None else environ)
        self._interactive = interactive
        self.loader = ContentLoader(cache_dir(self.environ))
        self._catalog: Catalog | None = None
        self.quiet = False
        self.json_messages = False  # set from --format json: warnings as JSON lines
        self.command_name = "indcli"  # set during shell completion: no warnings on the prompt line

    def load_catalog(self) -> Catalog:
        """The merged packs, loaded once, without reporting failures (see ``catalog``)."""
        if self._catalog is None:
            self._catalog = load_catalog(self.sources, self.environ, self.loader)
        return self._catalog

    @cached_property
    def catalog(self) -> Catalog:
        """The merged packs; a pack that failed is a warning, or exit 3 when strict."""
        catalog = self.load_catalog()
        for pack in catalog.failed:
            name = printable(pack.name)
            message = f"pack {name} {printable(pack.version)} was skipped: {pack.error}"
            if self.strict:
                raise PackError(
                    f"{message} (INDCLI_STRICT_PLUGINS is set, so this is fatal; fix or "
                    f"disable it with INDCLI_DISABLE_PLUGINS={name})"
                )
            self.warn(f"{message}. Disable it with INDCLI_DISABLE_PLUGINS={name}", pack=name)
        return catalog

    def warn(self, message: str, **details: str) -> None:
        """One warning line on stderr: text, or a JSON object when output is JSON."""
        if self.quiet:
            return
        if self.json_messages:
            from indcli.render import payload, to_json_line

            warning = {"message": message, **details}
            click.echo(to_json_line(payload(self.command_name, warning=warning)), err=True)
        else:
            click.echo(f"indcli: warning: {message}", err=True)

    @property
    def strict(self) -> bool:
        return env_flag(self.environ, "INDCLI_STRICT_PLUGINS")

    def interactive(self) -> bool:
        """May we prompt? Only when both stdin and stdout are terminals."""
        if self._interactive is not None:
            return self._interactive
        try:
            return sys.stdin.isatty() and sys.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    def pack_hint(self, pack: str) -> str:
        """What to do about a pack that is not loaded, as a clause: install or enable it."""
        status = next((p.status for p in self.load_catalog().packs if p.name == pack), None)
        if status == "disabled":
            return (
                f"pack {pack} is installed but disabled by INDCLI_LOAD_PLUGINS or "
                "INDCLI_DISABLE_PLUGINS"
            )
        if status == "failed":
            return f"pack {pack} failed to load; see 'indcli plugins'"
        return f"install pack {pack} with: pip install {pack}"


def current_app() -> App:
    """The :class:`App` of the running command (creating the default one if needed)."""
    return click.get_current_context().ensure_object(App)
