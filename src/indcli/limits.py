"""Limits that keep hostile or broken input (pack content, answers files) in check."""

from __future__ import annotations

import re

MAX_CONTENT_BYTES = 512 * 1024
MAX_ANSWERS_BYTES = 1024 * 1024
MAX_TEXT = 4000
MAX_ITEMS = 200
MAX_CONDITION_DEPTH = 8
MAX_KEY_PARTS = 100  # dotted TOML key parts

# C0 controls except tab and newline, DEL, C1 controls, and bidi overrides/isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_control_chars(text: str) -> bool:
    return _CONTROL.search(text) is not None


def json_safe(text: str) -> str:
    """Escape, in JSON text, the controls ``json.dumps`` leaves raw (DEL, C1, bidi).

    ``json.dumps(..., ensure_ascii=False)`` escapes only C0 controls, so a C1 CSI
    (``\\x9b``) or a bidi override would reach the terminal; as ``\\uXXXX`` it is the
    same JSON data. These characters only ever occur inside JSON strings.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable(text: str) -> str:
    """Replace control characters so that untrusted text cannot drive the terminal."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
