"""A route result (the ``route --format json`` object) described for people: the
:class:`~indcli.output.render.Doc` that text and markdown output are rendered from.

It opens with a short block readable at a glance (the form and channel, where to start,
the first thing to do), then what to do in order, then why, then the answers in words.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from indcli.output.render import NOTE_MARK, Doc, Item, basis_notes
from indcli.output.route_result import FOREIGN_OUTCOME

if TYPE_CHECKING:
    from indcli.routing.flow import Flow

SECTIONS = (
    ("Before you apply", "prerequisites", "check"),
    ("How to apply", "steps", "todo"),
    ("After you apply", "follow_up", "check"),
    ("Watch out", "warnings", "bullet"),
    ("What the IND page does not tell you", "gaps", "bullet"),
    ("Why", "reasons", "bullet"),
)
CHANNELS = {"online": "online", "paper": "on paper"}


def describe_route(
    data: dict[str, Any],
    explain: bool = False,
    asked: bool = False,
    flow: Flow | None = None,
    asked_ids: Collection[str] = (),
) -> Doc:
    """``flow`` puts the answers in words (else as options); ``asked_ids``: questions the
    interview asked, which are never listed as answers that did not matter."""
    outcome = data["outcome"]
    doc = Doc(f"Your route: {outcome['title']}")
    doc.items(_glance(data), "fields")
    doc.para(outcome["form"]["how"], outcome["source"], basis_notes(outcome))
    for title, key, style in SECTIONS:
        if data[key]:
            doc.heading(title)
            doc.items([advice_item(i) for i in data[key]], style)
    doc.heading("Your answers")
    doc.items([Item(_in_words(flow, q, v)) for q, v in data["answers"].items()])
    unused = [q for q in data["unused_answers"] if q not in asked_ids]
    if unused:
        doc.heading("Answers that did not matter")
        doc.items(
            [
                Item(
                    f"{_in_words(flow, q, data['answers'][q])}: with your other answers, "
                    "the result is the same whatever you answer here."
                )
                for q in unused
            ]
        )
    if explain:
        doc.heading("Rule trace")
        doc.items([Item(_trace_line(t)) for t in data["trace"]])
    if asked:
        doc.heading("Same answers without questions")
        doc.code(data["rerun"])
    return doc


def _glance(data: dict[str, Any]) -> list[Item]:
    """Form and channel, where to start, and the first thing to do: at most 4 lines."""
    outcome = data["outcome"]
    channel = CHANNELS.get(outcome["channel"])
    form = outcome["form"]["title"]
    items = [
        Item(form, label=f"Form ({channel}):") if channel else Item(form, label="Where:"),
        Item(outcome["source"]["url"], label="Start at:"),
    ]
    first = _first_to_do(data)
    if first:
        items.append(Item(_first_sentence(first), label="First:"))
    return items


def _first_to_do(data: dict[str, Any]) -> str | None:
    """What your answers call for first: a prerequisite that depends on them (DigiD, say),
    else the first step. Advice every route gets (the form finder, for whoever doubts) is
    never "First:", and a route without steps (a referral) has its ``how`` right below."""
    own = [i for i in data["prerequisites"] if i.get("answers")]
    items = own or data["steps"]
    return items[0]["text"] if items else None


def _first_sentence(text: str) -> str:
    head, dot, rest = text.partition(". ")
    return head + "." if dot and rest else text


def _in_words(flow: Flow | None, question_id: str, answer: str) -> str:
    if flow is None or question_id not in flow.question_ids:
        return f"--{question_id} {answer}"
    question = flow.question(question_id)
    return f"{question.prompt} {question.label(answer)}"


def advice_item(item: dict[str, Any]) -> Item:
    """An advice item; one from a pack other than the flow's owner says so, and a reading
    of such a pack is that pack's, not indcli's."""
    pack = item.get("pack") if item.get("id") != FOREIGN_OUTCOME else None
    if "find_out" in item:  # a gap: one line, the note and where to find out
        mark = NOTE_MARK if pack is None else NOTE_MARK.replace("indcli", pack, 1)
        notes = []
        text = f"{mark} {item['text']} {item['find_out']}"
    else:
        notes = basis_notes(item, pack)
        text = f"{item['text']} \u2014 from {pack}" if pack else item["text"]
    if "see" in item:
        notes.append(f"See: {item['see']['text']}")
    return Item(text, item["source"], notes=notes)


def _trace_line(t: dict[str, Any]) -> str:
    line = f"{'fired' if t['fired'] else 'did not fire'}: {t['rule']} ({t['kind']}, {t['pack']})"
    if t["answers"]:
        line += " on " + ", ".join(f"{q}={v}" for q, v in t["answers"].items())
    return line
