"""Limits that keep hostile or broken input (pack content, answers files) in check: sizes,
counts, depths, the shape of an id. Making text safe to show is :mod:`indcli.utils.text_safety`;
the INDCLI_* switches are :mod:`indcli.utils.env_flags`."""

from __future__ import annotations

import re

MAX_CONTENT_BYTES = 512 * 1024
MAX_ANSWERS_BYTES = 1024 * 1024
MAX_TEXT = 4000
MAX_ITEMS = 200
MAX_CONDITION_DEPTH = 8
MAX_KEY_PARTS = 100  # dotted TOML key parts

# The source URL `indcli new-pack` writes, which `check` flags until it is replaced.
PLACEHOLDER_URL = "https://example.org/replace-me"

# An id: a topic, question, choice, outcome, rule, source, or a command a pack adds.
ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"


def long_key_line(text: str) -> int | None:
    """The number of the first line of TOML ``text`` that could hold a dotted key of
    :data:`MAX_KEY_PARTS` parts or more (tomllib takes quadratic time on those), or None."""
    for number, line in enumerate(text.splitlines(), 1):
        # Outside quotes (a text value, a quoted key part): keys anywhere on the line,
        # inline tables too (``x = {a.a... = 1}``); no real line has that many dots.
        if (
            line.count(".") >= MAX_KEY_PARTS
            and re.sub(_QUOTED, "", line).count(".") >= MAX_KEY_PARTS
        ):
            return number
    return None


_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
