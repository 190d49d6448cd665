"""``indcli plugins``: which packs are installed, what they add, and what went wrong."""

from __future__ import annotations

from typing import Any

import click

from indcli.app import current_app
from indcli.errors import EXIT_PACK
from indcli.output.render import Doc, Item, format_option, payload, render
from indcli.packs.loading import HOOK_NAMES


@click.command(
    epilog="""\b
Examples:
  indcli plugins
  indcli plugins --format json
  INDCLI_DISABLE_PLUGINS=indcli-berichtenbox indcli plugins"""
)
@format_option
@click.pass_context
def plugins(ctx: click.Context, fmt: str) -> None:
    """List installed content packs: version, hooks, what each adds, and load errors.

    With INDCLI_STRICT_PLUGINS=1 the list is still shown, then indcli exits with code 3
    if any pack failed to load.
    """
    app = current_app(ctx)
    catalog = app.load_catalog()
    pm = catalog.plugin_manager
    registered = dict(pm.list_name_plugin())  # pluggy's own listing: blocked ones are None
    data = payload(
        "plugins",
        plugins=[
            {
                "name": pack.name,
                "version": pack.version,
                "status": "disabled" if pm.is_blocked(pack.name) else pack.status,
                # the hooks pluggy calls for it (a failed pack is no longer registered)
                "hooks": _hooks(pm, [registered[n] for n in pack.plugins if registered.get(n)])
                if pack.status == "loaded"
                else pack.hooks,
                # a failed pack adds nothing, whatever it tried to
                "contributes": catalog.contributions(pack)
                if pack.status == "loaded"
                else {kind: [] for kind in ("commands", "topics", "guides", "flows")},
                "error": pack.error,
                "warnings": pack.warnings,
                "notes": pack.notes,
            }
            for pack in catalog.packs
        ],
    )
    data["unknown_names"] = catalog.unknown_plugin_names
    click.echo(render(fmt, data, _describe), nl=False)
    if app.strict and catalog.failed:
        ctx.exit(EXIT_PACK)


def _hooks(pm: Any, plugins: list[Any]) -> list[str]:
    """The indcli hooks ``plugins`` implement, in the specs' order."""
    names = {caller.name for plugin in plugins for caller in pm.get_hookcallers(plugin) or []}
    return [name for name in HOOK_NAMES if name in names]


def _describe(data: dict[str, Any]) -> Doc:
    doc = Doc("Installed content packs")
    if not data["plugins"]:
        doc.para(
            "No content packs are installed, so indcli has only its core commands. "
            "Install the packs you need, for example: pip install indcli-partner-permit "
            "indcli-berichtenbox indcli-public-funds"
        )
    items = []
    for pack in data["plugins"]:
        notes = []
        if pack["error"]:
            notes.append(f"error: {pack['error']}")
        notes += [f"warning: {warning}" for warning in pack["warnings"]]
        notes += [f"note: {note}" for note in pack["notes"]]
        if pack["hooks"]:
            notes.append("hooks: " + ", ".join(pack["hooks"]))
        for kind, names in pack["contributes"].items():
            if names:
                notes.append(f"{kind}: " + ", ".join(names))
        items.append(Item(f"{pack['name']} {pack['version']} ({pack['status']})", notes=notes))
    doc.items(items)
    if data["unknown_names"]:
        doc.para(
            "No installed pack is named "
            + ", ".join(data["unknown_names"])
            + "; use a distribution name from this list."
        )
    return doc
