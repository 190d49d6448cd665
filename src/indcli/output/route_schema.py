"""The JSON Schema of the ``indcli route --format json`` object (``indcli schema route``).

Written from the contract (docs and :meth:`indcli.output.route_result.RouteResult.to_dict`), so an
editor or a script can validate what ``route`` prints. Additional properties are allowed:
fields may be added, never removed.
"""

from __future__ import annotations

from typing import Any

_STR = {"type": "string"}
_ANSWERS = {"type": "object", "additionalProperties": _STR}
_SOURCE = {
    "type": "object",
    "required": ["url", "title", "quote", "checked"],
    "properties": {
        "source": _STR,
        "url": _STR,
        "title": _STR,
        "quote": _STR,
        "checked": {"type": "string", "format": "date"},
    },
}
_SEE = {
    "type": "object",
    "properties": {"text": _STR, "command": _STR, "topic": _STR, "pack": _STR},
}


def _item(key: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key, "text", "source", "basis", "answers"],
        "properties": {
            key: _STR,
            "text": _STR,
            "source": {"$ref": "#/$defs/source"},
            "basis": {"enum": ["page", "inference"]},
            "basis_note": _STR,
            "find_out": {
                "type": "string",
                "description": "on a gap: where to find out what the page does not say",
            },
            "answers": _ANSWERS,
            "see": _SEE,
            "pack": {
                "type": "string",
                "description": "the pack the item comes from, on every item of a pack "
                "other than the flow's owner (on the outcome-from-another-pack warning: "
                "the pack whose rule decided the outcome)",
            },
        },
    }


def route_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one ``route --format json`` object."""
    advice = {"type": "array", "items": {"$ref": "#/$defs/advice"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "indcli route --format json",
        "type": "object",
        "required": [
            "schema_version",
            "command",
            "answers",
            "outcome",
            "prerequisites",
            "steps",
            "follow_up",
            "warnings",
            "gaps",
            "reasons",
            "unused_answers",
            "rerun",
            "trace",
        ],
        "properties": {
            "schema_version": {"const": 1},
            "command": _STR,
            "flow": _STR,
            "answers": _ANSWERS,
            "unused_answers": {"type": "array", "items": _STR},
            "outcome": {
                "type": "object",
                "required": ["id", "channel", "title", "form", "source", "basis"],
                "properties": {
                    "id": _STR,
                    "channel": {"enum": ["online", "paper", "referral"]},
                    "title": _STR,
                    "form": {
                        "type": "object",
                        "required": ["title", "how"],
                        "properties": {"title": _STR, "how": _STR},
                    },
                    "source": {"$ref": "#/$defs/source"},
                    "basis": {"enum": ["page", "inference"]},
                    "basis_note": {
                        "type": "string",
                        "description": "with basis inference: why this is indcli's reading",
                    },
                },
            },
            "reasons": {"type": "array", "items": {"$ref": "#/$defs/reason"}},
            "prerequisites": advice,
            "steps": advice,
            "follow_up": advice,
            "warnings": advice,
            "gaps": {
                "type": "array",
                "items": {"$ref": "#/$defs/advice"},
                "description": "what the page does not tell you on this route: indcli's "
                "notes (basis inference), each with find_out",
            },
            "rerun": _STR,
            "trace": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["rule", "kind", "fired", "answers", "pack"],
                    "properties": {
                        "rule": _STR,
                        "kind": _STR,
                        "fired": {"type": "boolean"},
                        "answers": _ANSWERS,
                        "pack": _STR,
                    },
                },
            },
        },
        "$defs": {"source": _SOURCE, "advice": _item("id"), "reason": _item("rule")},
    }
