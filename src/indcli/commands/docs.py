"""``indcli docs [TOPIC]``: the reference for pack authors, as installed with indcli.

The pages are the repository's ``docs/*.md``, shipped in the wheel as ``indcli/docs``
(hatch ``force-include`` in pyproject.toml, so the repository keeps one copy). An
editable install has no such folder; then the checkout's ``docs/`` is read. Error
messages and new packs point here (``indcli docs content``), so the reference a message
names is always the one of the indcli that printed it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from indcli.errors import IndcliError
from indcli.output.render import Doc, Item, format_option, payload, render, to_json

if TYPE_CHECKING:  # importlib.resources is imported when the command runs, not for --help
    from importlib.resources.abc import Traversable

SKIP = {"README"}  # the index of the repository's docs folder: `indcli docs` lists instead


def docs_folder() -> Traversable | None:
    """The installed pages (``indcli/docs`` in the wheel), or a checkout's ``docs/``."""
    from importlib.resources import files

    installed = files("indcli") / "docs"
    if installed.is_dir():
        return installed
    from pathlib import Path

    checkout = Path(__file__).resolve().parents[3] / "docs"  # src/indcli/commands/docs.py
    return checkout if checkout.is_dir() else None


def pages() -> dict[str, Traversable]:
    """Topic name (the file name without ``.md``) -> page, sorted by name."""
    folder = docs_folder()
    if folder is None:
        return {}
    found = {
        entry.name.removesuffix(".md"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".md") and entry.is_file()
    }
    return {name: found[name] for name in sorted(found) if name not in SKIP}


def page_title(text: str) -> str:
    """The page's first heading, without the ``#``."""
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


@click.command(
    epilog="""\b
Examples:
  indcli docs                       the topics
  indcli docs content               every field of a content file
  indcli docs hooks                 every hook, and how to test a pack
  indcli docs tutorial | less       write a pack, step by step
  indcli docs api --format json     the page as a JSON string, for tools"""
)
@click.argument("topic", required=False)
@format_option
def docs(topic: str | None, fmt: str) -> None:
    """Print the reference for pack authors that came with this indcli: TOPIC's page
    (Markdown), or without TOPIC the list of topics."""
    found = pages()
    if not found:
        raise IndcliError(
            "the reference pages are not installed with this indcli; reinstall indcli "
            "from its wheel or a checkout of its repository."
        )
    if topic is None:
        listed = [
            {"topic": name, "title": page_title(page.read_text(encoding="utf-8"))}
            for name, page in found.items()
        ]
        click.echo(render(fmt, payload("docs", topics=listed), _describe), nl=False)
        return
    page = found.get(topic)
    if page is None:
        import difflib

        close = difflib.get_close_matches(topic, list(found), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise click.UsageError(
            f"no topic '{topic}'.{hint} The topics: {', '.join(found)}.",
            click.get_current_context(),
        )
    text = page.read_text(encoding="utf-8")
    if fmt == "json":
        data = payload("docs", topic=topic, title=page_title(text), text=text)
        click.echo(to_json(data), nl=False)
        return
    click.echo(text if text.endswith("\n") else text + "\n", nl=False)


def _describe(data: dict[str, Any]) -> Doc:
    doc = Doc("indcli reference for pack authors")
    doc.items([Item(f"{t['topic']}: {t['title']}") for t in data["topics"]])
    doc.para("Print one with: indcli docs TOPIC")
    return doc
