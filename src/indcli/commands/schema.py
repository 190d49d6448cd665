"""``indcli schema KIND``: the JSON Schema of what indcli reads or writes."""

from __future__ import annotations

from typing import Any

import click

from indcli.output.render import format_option, payload, to_json


@click.group(
    epilog="""\b
Examples:
  indcli schema content > content.schema.json   for your editor (see the first line
                                                of a content.toml made by new-pack)"""
)
def schema() -> None:
    """Print a JSON Schema: 'content' for content files of packs, 'route' for the
    object 'indcli route --format json' prints."""


@schema.command(
    epilog="""\b
Examples:
  indcli schema content
  indcli schema content > content.schema.json
  indcli schema content --format json           wrapped like every JSON result"""
)
@format_option
def content(fmt: str) -> None:
    """Print the JSON Schema of a pack's content file (content.toml).

    TOML editors that understand JSON Schema (Taplo, Even Better TOML) use it to complete
    and check content files: put '#:schema PATH-OR-URL' on the first line of the file.
    The schema is made from the models indcli validates content with; indcli itself
    checks more than the schema can say (ids that must exist, cited sources, rules).
    """
    from indcli.output.content_schema import content_schema

    _print("content", content_schema(), fmt)


@schema.command(
    epilog="""\b
Examples:
  indcli schema route
  indcli schema route > route.schema.json"""
)
@format_option
def route(fmt: str) -> None:
    """Print the JSON Schema of the object that 'indcli route --format json' prints.

    Scripts and other programs can validate route results against it; its keys are the
    contract that stays stable within schema_version 1.
    """
    from indcli.output.route_schema import route_schema

    _print("route", route_schema(), fmt)


def _print(kind: str, document: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json(payload("schema", kind=kind, schema=document)), nl=False)
        return
    text = to_json(document)
    if fmt == "markdown":
        fence = "`" * 3
        text = f"{fence}json\n{text}{fence}\n"
    click.echo(text, nl=False)
