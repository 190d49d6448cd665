"""The escaping functions' fast path (str.isprintable) never lets a control through."""

from __future__ import annotations

import re
import sys

import pytest

from indcli.utils import text_safety


def test_every_escaped_character_is_one_isprintable_refuses():
    for pattern in (text_safety._CONTROL, text_safety._CONTROL_OR_NEWLINE):
        matched = re.compile(pattern)
        leaks = [
            hex(code)
            for code in range(sys.maxunicode + 1)
            if matched.match(chr(code)) and chr(code).isprintable()
        ]
        assert leaks == []


@pytest.mark.parametrize(
    "text",
    ["plain", "tab\there", "two\nlines", "\x1b[31mred", "a\u202eb", "x\x9by", "\t\n\x07",
     "caf\u00e9 \u2028", "\udcff name", ""],
)  # fmt: skip
def test_the_fast_path_gives_what_the_expressions_give(text):
    escape = text_safety._escape
    assert text_safety.printable(text) == re.sub(text_safety._CONTROL, escape, text)
    assert text_safety.one_line(text) == re.sub(text_safety._CONTROL_OR_NEWLINE, escape, text)
    assert text_safety.has_control_chars(text) == bool(re.search(text_safety._CONTROL, text))
    assert text_safety.json_safe(text) == re.sub(
        text_safety._CONTROL, lambda m: f"\\u{ord(m.group()):04x}", text
    )
