"""``indcli plugins``: which packs are installed, what they add, and what went wrong."""

from __future__ import annotations

from typing import Any

import click

from indcli.app import current_app
from indcli.errors import EXIT_PACK
from indcli.output.render import Doc, Item, format_option, payload, render


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
    data = payload(
        "plugins",
        plugins=[
            {
                "name": pack.name,
                "version": pack.version,
                "status": pack.status,
                "hooks": pack.hooks,
                # a failed pack adds nothing, whatever it tried to
                "contributes": catalog.contributions(pack)
                if pack.status == "loaded"
                else {kind: [] for kind in ("commands", "topics", "guides", "flows")},
                "error": pack.error,
                "warnings": pack.warnings,
            }
            for pack in catalog.packs
        ],
    )
    data["unknown_names"] = catalog.unknown_plugin_names
    click.echo(render(fmt, data, _describe), nl=False)
    if app.strict and catalog.failed:
        ctx.exit(EXIT_PACK)


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
            + "; use a distribution name or entry-point name from this list."
        )
    return doc
