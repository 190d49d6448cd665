"""``indcli explain [TOPIC]``: explain topics contributed by packs."""

from __future__ import annotations

from typing import Any

import click

from indcli.app import App, current_app
from indcli.output.render import Doc, Item, format_option, payload, render
from indcli.output.topic_payload import describe_topic, topic_payload

EXAMPLE_PACK = "indcli-public-funds"


def _complete_topic(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    return [t for t in sorted(current_app(ctx).catalog.topics) if t.startswith(incomplete)]


@click.command(
    epilog="""\b
Examples:
  indcli explain                      list the installed topics
  indcli explain public-funds
  indcli explain public-funds --format markdown > public-funds.md"""
)
@click.argument("topic", required=False, shell_complete=_complete_topic)
@format_option
@click.pass_context
def explain(ctx: click.Context, topic: str | None, fmt: str) -> None:
    """Explain a term from the IND page, with the sentences it comes from.

    Without TOPIC, list the installed topics with a one-line summary each.
    """
    app = current_app(ctx)
    topics = app.catalog.topics
    if topic is None:
        data = payload(
            "explain",
            topics=[
                {"id": t.id, "title": t.title, "summary": t.summary, "pack": t.pack}
                for t in sorted(topics.values(), key=lambda t: t.id)
            ],
        )
        click.echo(render(fmt, data, _describe_list), nl=False)
        return
    if topic not in topics:
        raise click.UsageError(_unknown_topic(app, topic), ctx)
    click.echo(render(fmt, topic_payload(app.catalog, topic), describe_topic), nl=False)


def _unknown_topic(app: App, topic: str) -> str:
    installed = sorted(app.catalog.topics)
    owner = app.catalog.pointed_to("topic").get(topic)
    if owner:
        return f"topic '{topic}' comes from pack {owner}: {app.load_catalog().pack_hint(owner)}."
    if not installed:
        return (
            f"no explain topics are installed, so there is no '{topic}'. Topics come from "
            f"content packs, for example: pip install {EXAMPLE_PACK}"
        )
    message = f"unknown topic '{topic}'."
    import difflib

    close = difflib.get_close_matches(topic, installed, n=1, cutoff=0.5)
    if close:
        message += f" Did you mean '{close[0]}'?"
    message += f" Installed topics: {', '.join(installed)}."
    if EXAMPLE_PACK not in {p.name for p in app.catalog.packs if p.status == "loaded"}:
        message += f" More topics come from content packs, for example: pip install {EXAMPLE_PACK}"
    return message


def _describe_list(data: dict[str, Any]) -> Doc:
    doc = Doc("Explain topics")
    if not data["topics"]:
        doc.para(
            "No explain topics are installed. Topics come from content packs, for "
            f"example: pip install {EXAMPLE_PACK}"
        )
    doc.items([Item(f"{t['id']}: {t['summary']}") for t in data["topics"]])
    if data["topics"]:
        doc.para("Show one with: indcli explain TOPIC")
    return doc
