"""Checks of one pack's content: citations present and fresh, basis honest, pointers that
lead somewhere."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection

from indcli.checks.quotes import content_problems
from indcli.checks.report import Problem, make_problem
from indcli.checks.style import style_problems
from indcli.content.model import Content, cited, walk
from indcli.limits import PLACEHOLDER_URL
from indcli.packs.discovery import normalise
from indcli.packs.loading import LoadedPack

STALE_AFTER = datetime.timedelta(days=365)
# What `indcli new-pack` writes in every text and quote it makes, until replaced (other
# uses of the word, like the example pack's illustration, are not flagged).
_NEW_PACK = re.compile(
    r"placeholder(?: source)?: replace with|made by indcli new-pack|^placeholder "
    r"(?:question|warning) of |say here, in plain words|" + re.escape(PLACEHOLDER_URL),
    re.IGNORECASE,
)
_TEXTS = ("title", "summary", "text", "prompt", "help", "note", "label")

# --- sources and pointers --------------------------------------------------------------


def check_citations(pack: str, content: Content, today: datetime.date) -> list[Problem]:
    """Every item must cite a source; one checked over a year ago is stale."""
    problems = []
    for located in walk(content):
        if not cited(located):
            continue
        cite = located.item.source
        try:
            checked = datetime.date.fromisoformat(cite.checked)
        except ValueError:
            problems.append(
                make_problem(
                    "error", pack, located.where, "source.checked", "'checked' is not a date"
                )
            )
            continue
        if checked > today:
            message = (
                f"'checked' is {checked}, a date in the future: set it to the day you "
                "compared the quote with its source"
            )
        elif today - checked > STALE_AFTER:
            message = (
                f"last checked against its source on {checked}, {(today - checked).days} "
                f"days ago: compare the quote with {cite.url} again and update 'checked'"
            )
        else:
            continue
        problems.append(make_problem("warning", pack, located.where, "source.checked", message))
    return problems


def check_placeholders(pack: str, content: Content) -> list[Problem]:
    """What `indcli new-pack` wrote and the author has not replaced yet: a warning each
    (so ``check --strict`` fails an untouched new pack)."""
    problems, urls = [], set()
    for located in walk(content):
        item = located.item
        fields = [(f, getattr(item, f, None)) for f in _TEXTS]
        if cited(located):
            fields.append(("source.quote", item.source.quote))
            if item.source.url == PLACEHOLDER_URL and item.source.source not in urls:
                urls.add(item.source.source)
                fields.append(("source.url", item.source.url))
        for name, value in fields:
            if isinstance(value, str) and _NEW_PACK.search(value):
                problems.append(
                    make_problem(
                        "warning",
                        pack,
                        located.where,
                        name,
                        "still the placeholder `indcli new-pack` wrote: replace it with your "
                        "own content and the page it comes from",
                    )
                )
    return problems


def check_basis(pack: str, content: Content) -> list[Problem]:
    """A ``page`` item may not add a fact its quote lacks (what can be told mechanically:
    numbers, negations, always, never, only, must)."""
    return [
        make_problem(
            "error",
            pack,
            where,
            "text",
            f"{problem}: say only what the quote says, or mark the item basis = "
            '"inference" with a basis_note that says why',
        )
        for where, problem in content_problems(content)
    ]


def check_style(pack: str, content: Content) -> list[Problem]:
    """Warnings where a text breaks the style guide in a way words alone can show."""
    return [
        make_problem("warning", pack, where, field, f"style: {problem}")
        for where, field, problem in style_problems(content)
    ]


def check_pointers(
    pack: str, content: Content, packs: list[LoadedPack], core_commands: Collection[str] = ()
) -> list[Problem]:
    """A pointer to a pack that is loaded must name a topic or command that pack has.

    A pointer to a pack that is not loaded is fine: indcli tells the reader to install it.
    """
    loaded = {normalise(p.name): p for p in packs if p.status == "loaded"}
    problems = []
    for located in walk(content):
        if located.kind != "pointer":
            continue
        pointer = located.item
        target = loaded.get(normalise(pointer.pack))
        if target is None:
            continue
        if pointer.topic is not None:
            kind, name = "topic", pointer.topic
            has = any(t.id == name for c in target.content for t in c.topics)
        else:
            kind, name = "command", pointer.command.split()[0]
            # a pack checked for its content only may add the command in its code
            has = name in core_commands or name in _commands_of(target) or bool(target.content_only)
        if not has:
            problems.append(
                make_problem(
                    "warning",
                    pack,
                    located.parent,
                    located.field,
                    f"points to {kind} '{name}' of pack {target.name}, which is loaded but has "
                    f"no such {kind}",
                )
            )
    return problems


def _commands_of(pack: LoadedPack) -> set[str]:
    names = {c.name for c in pack.commands}
    for content in pack.content:
        names |= {x.key for x in walk(content) if x.kind == "command" and x.key}
    return names
