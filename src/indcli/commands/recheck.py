"""``indcli recheck FILE``: is a saved checklist still what today's packs say?

A markdown checklist (saved at the end of the interview, or ``--format markdown``) ends
with one HTML comment, invisible when rendered, that records the answers, the packs and
versions, and what the route was: form, channel, each item and the date its quote was
checked. Ticking boxes (``- [x]``) never touches it. ``recheck`` routes the recorded
answers again with the packs installed now and says "unchanged" (exit 0) or exactly what
changed (exit 1): form, channel, items added or dropped, a quote re-checked or changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import click

from indcli.output.render import format_option, payload, to_json

MARK = "indcli-record"
RECORD = re.compile(r"<!-- " + MARK + r" (\{.*\}) -->\s*\Z", re.S)
KINDS = ("prerequisites", "steps", "follow_up", "warnings")


def record_of(data: Mapping[str, Any], packs: Mapping[str, str]) -> dict[str, Any]:
    """What a checklist records of the route ``data`` (``indcli route --format json``)."""
    outcome = data["outcome"]
    items = {
        item["id"]: {
            "kind": kind,
            "text": item["text"],
            "quote": item["source"]["quote"],
            "checked": item["source"]["checked"],
        }
        for kind in KINDS
        for item in data.get(kind, [])
    }
    return {
        "flow": data["flow"],
        "answers": dict(data["answers"]),
        "packs": dict(packs),
        "outcome": {
            "id": outcome["id"],
            "channel": outcome["channel"],
            "title": outcome["title"],
            "quote": outcome["source"]["quote"],
            "checked": outcome["source"]["checked"],
        },
        "items": items,
    }


def with_record(markdown: str, record: Mapping[str, Any]) -> str:
    """``markdown`` ending in the record, one line of JSON inside an HTML comment (no
    ``--`` in it, which would end the comment early)."""
    blob = json.dumps(record, ensure_ascii=True, separators=(",", ":")).replace("--", "-\\u002d")
    return f"{markdown.rstrip()}\n\n<!-- {MARK} {blob} -->\n"


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, str]]:
    """What differs between two records, in the order a person checks them."""
    found: list[dict[str, str]] = []
    was, now = old["outcome"], new["outcome"]
    if was["id"] != now["id"]:
        found.append({"kind": "form", "was": was["title"], "now": now["title"]})
    if was["channel"] != now["channel"]:
        found.append({"kind": "channel", "was": was["channel"], "now": now["channel"]})
    before, after = old["items"], new["items"]
    for item_id, item in after.items():
        if item_id not in before:
            found.append({"kind": "added", "id": item_id, "now": item["text"]})
    for item_id, item in before.items():
        if item_id not in after:
            found.append({"kind": "dropped", "id": item_id, "was": item["text"]})
    pairs = [("outcome", was, now)] if was["id"] == now["id"] else []
    pairs += [(i, before[i], after[i]) for i in after if i in before]
    for item_id, a, b in pairs:
        if a["quote"] != b["quote"]:
            found.append({"kind": "quote-changed", "id": item_id, "was": a["quote"],
                          "now": b["quote"]})  # fmt: skip
        elif a["checked"] != b["checked"]:
            found.append({"kind": "quote-rechecked", "id": item_id, "was": a["checked"],
                          "now": b["checked"]})  # fmt: skip
    for pack in sorted(set(old["packs"]) | set(new["packs"])):
        a, b = old["packs"].get(pack, "none"), new["packs"].get(pack, "none")
        if a != b:
            found.append({"kind": "pack", "id": pack, "was": a, "now": b})
    return found


SAID = {  # a change in words
    "form": "Form: {was} \u2192 {now}",
    "channel": "Channel: {was} \u2192 {now}",
    "added": "New item ({id}): {now}",
    "dropped": "Dropped item ({id}): {was}",
    "quote-changed": "Quote changed ({id}): now \u201c{now}\u201d",
    "quote-rechecked": "Quote re-checked ({id}): {was} \u2192 {now}",
    "pack": "Pack {id}: {was} \u2192 {now}",
}


def _said(change: Mapping[str, str]) -> str:
    return SAID[change["kind"]].format_map(change)


def read_record(path: str) -> dict[str, Any]:
    """The record at the end of the checklist ``path``; a usage error when there is none."""
    from indcli.utils.text_safety import one_line

    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read(1_000_000)
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {one_line(path)}: {exc}.") from None
    found = RECORD.search(text)
    try:
        record = json.loads(found.group(1)) if found else None
    except json.JSONDecodeError:
        record = None
    keys = {"flow", "answers", "packs", "outcome", "items"}
    if not isinstance(record, dict) or not keys <= set(record):
        raise click.UsageError(
            f"{one_line(path)} has no indcli record at its end; save a checklist with "
            "'indcli route' (the offer to save, or --format markdown --output FILE)."
        )
    return record


@click.command("recheck")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@format_option
@click.pass_context
def recheck(ctx: click.Context, file: str, fmt: str) -> None:
    """Check a saved checklist against today's packs: unchanged (exit 0), or what
    changed (exit 1).

    FILE is a markdown checklist from 'indcli route' (the offer to save at the end of the
    interview, or --format markdown --output FILE); ticked boxes are fine. Its answers
    are routed again with the packs installed now, and every difference is listed: form,
    channel, items added or dropped, a quote changed or re-checked, pack versions.
    """
    from indcli.app import current_app
    from indcli.commands.support.answers import check_answers
    from indcli.errors import PackError
    from indcli.output.route_result import lookup_flow, route_result
    from indcli.utils.text_safety import one_line

    app = current_app(ctx)
    old = read_record(file)
    try:
        flow = lookup_flow(app.catalog, str(old["flow"]))
    except LookupError:
        raise PackError(
            f"the flow '{one_line(str(old['flow']))}' of this checklist is not loaded; run "
            "'indcli plugins' to see which packs loaded."
        ) from None
    answers = check_answers(flow, old["answers"], f"the answers recorded in {one_line(file)}")
    data = route_result(app.catalog, flow, answers, strict=app.strict).to_dict()
    new = record_of(data, loaded_packs(app))
    found = changes(old, new)
    if fmt == "json":
        click.echo(to_json(payload("recheck", file=file, unchanged=not found, changes=found)),
                   nl=False)  # fmt: skip
    elif fmt == "markdown":
        lines = [f"- {_said(c)}" for c in found] or ["Unchanged."]
        click.echo(f"# Recheck of {file}\n\n" + "\n".join(lines))
    elif not found:
        click.echo(f"Unchanged: {one_line(file)} is still what today's packs say.")
    else:
        click.echo(f"Changed since {one_line(file)} was saved:")
        for change in found:
            click.echo(f"  - {one_line(_said(change))}")
    ctx.exit(1 if found else 0)


def loaded_packs(app: Any) -> dict[str, str]:
    """name -> version of the packs that loaded."""
    return {p.name: p.version for p in app.catalog.packs if p.status == "loaded"}
