"""A small TOML writer for tests that generate answers files and damaged pack content
(tomllib only reads). Strings are written JSON-style, which TOML accepts."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any


class Raw:
    """TOML text written as it is (deep nesting that the writer could not recurse)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:20]!r}... {len(self.text)} chars)"


def toml_string(text: str) -> str:
    # JSON escapes every C0 control; TOML also wants DEL escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    raise TypeError(value)


def to_toml(data: dict) -> str:
    return "\n".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in data.items()) + "\n"
