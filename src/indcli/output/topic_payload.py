"""Explain topics as output: the ``explain TOPIC`` JSON object and its description."""

from __future__ import annotations

from typing import Any

from indcli.content.model import cited_data
from indcli.output.render import Doc, Item, basis_notes, payload
from indcli.packs.catalog import Catalog
from indcli.packs.pointers import resolve


def topic_payload(catalog: Catalog, topic_id: str, command: str = "explain") -> dict[str, Any]:
    """The JSON result for one loaded topic, with its pointers resolved."""
    t = catalog.topics[topic_id]
    return payload(
        command,
        topic=t.id,
        title=t.title,
        summary=t.summary,
        body=[cited_data(p) for p in t.body],
        note=t.note,
        related=[resolve(catalog, p) for p in t.related],
        source=t.source.to_dict(),
        pack=t.pack,
    )


def describe_topic(data: dict[str, Any]) -> Doc:
    doc = Doc(data["title"])
    doc.para(data["summary"])
    for paragraph in data["body"]:
        doc.para(paragraph["text"], paragraph["source"])
        for note in basis_notes(paragraph):
            doc.para(note)
    if data["note"]:
        doc.para(f"Note: {data['note']}")
    if data["related"]:
        doc.heading("Related")
        doc.items([Item(p["text"]) for p in data["related"]])
    doc.para(f"This topic comes from pack {data['pack']}.")
    return doc
