"""Step-by-step guides as output: the guide command's JSON object and its description."""

from __future__ import annotations

from typing import Any

from indcli.content.model import Guide, Step, cited_data
from indcli.output.render import Doc, Item, basis_notes, payload


def guide_payload(command: str, guide: Guide, step: int | None = None) -> dict[str, Any]:
    whole = step is None
    return payload(
        command,
        guide=guide.id,
        title=guide.title,
        intro=[cited_data(p) for p in guide.intro] if whole else [],
        steps=[step_data(n, s) for n, s in enumerate(guide.steps, 1) if step is None or n == step],
        closing=[cited_data(p) for p in guide.closing] if whole else [],
        source=guide.source.to_dict(),
        pack=guide.pack,
    )


def step_data(number: int, step: Step) -> dict[str, Any]:
    return {
        "number": number,
        **cited_data(step),
        "note": step.note,
        "substeps": [{"case": s.case, **cited_data(s)} for s in step.substeps],
    }


def step_item(step: dict[str, Any], cited: bool = True) -> Item:
    return Item(
        step["text"],
        step["source"] if cited else None,
        children=[
            Item(
                s["text"],
                s["source"] if cited else None,
                label=s["case"] and f"{s['case']}:",
                notes=basis_notes(s),
            )
            for s in step["substeps"]
        ],
        # the mark right under the text it marks, then what the page leaves out
        notes=basis_notes(step) + ([f"Note: {step['note']}"] if step["note"] else []),
        number=step.get("number"),
    )


def describe_guide(data: dict[str, Any]) -> Doc:
    doc = Doc(data["title"])
    for paragraph in data["intro"]:
        doc.para(paragraph["text"], paragraph["source"])
    doc.items([step_item(s) for s in data["steps"]], "number")
    for paragraph in data["closing"]:
        doc.para(paragraph["text"], paragraph["source"])
    return doc
