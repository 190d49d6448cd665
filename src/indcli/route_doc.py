"""A route result (the ``route --format json`` object) described for people: the
:class:`~indcli.render.Doc` that text and markdown output are rendered from."""

from __future__ import annotations

from typing import Any

from indcli.render import Doc, Item, basis_notes

SECTIONS = (
    ("Why", "reasons", "bullet"),
    ("Before you apply", "prerequisites", "check"),
    ("How to apply", "steps", "todo"),
    ("After you apply", "follow_up", "check"),
    ("Watch out", "warnings", "bullet"),
)


def describe_route(data: dict[str, Any], explain: bool = False, asked: bool = False) -> Doc:
    outcome = data["outcome"]
    doc = Doc(f"Your route: {outcome['title']}")
    form = outcome["form"]
    doc.para(f"{'Form' if outcome['channel'] != 'referral' else 'Where'}: {form['title']}")
    doc.para(form["how"], outcome["source"])
    for title, key, style in SECTIONS:
        if data[key]:
            doc.heading(title)
            doc.items([advice_item(i) for i in data[key]], style)
    if data["unused_answers"]:
        doc.heading("Answers that did not matter")
        doc.items(
            [
                Item(f"--{q} {data['answers'][q]}: does not change the result for you.")
                for q in data["unused_answers"]
            ]
        )
    if explain:
        doc.heading("Rule trace")
        doc.items([Item(_trace_line(t)) for t in data["trace"]])
    if asked:
        doc.heading("Same answers without questions")
        doc.code(data["rerun"])
    return doc


def advice_item(item: dict[str, Any]) -> Item:
    notes = basis_notes(item)
    if "see" in item:
        notes.append(f"See: {item['see']['text']}")
    return Item(item["text"], item["source"], notes=notes)


def _trace_line(t: dict[str, Any]) -> str:
    line = f"{'fired' if t['fired'] else 'did not fire'}: {t['rule']} ({t['kind']}, {t['pack']})"
    if t["answers"]:
        line += " on " + ", ".join(f"{q}={v}" for q, v in t["answers"].items())
    return line
