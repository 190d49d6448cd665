"""The id and source rules of a content file, written once (issue 16/18): every
duplicate id and every citation of an unknown source is reported with its item and line,
also when nothing else is wrong; the long-key rule is one rule for content and answers."""

from __future__ import annotations

import pytest
from conftest import CITE, SOURCE, topic_toml

from indcli import limits
from indcli.content.validation import parse_toml, validate_content
from indcli.errors import ContentError


def validate(toml: str) -> None:
    text = SOURCE + toml
    raw = parse_toml(text.encode(), pack="p", file="content.toml")
    validate_content(raw, pack="p", file="content.toml", text=text)


def test_every_duplicate_id_is_located_when_nothing_else_is_wrong():
    with pytest.raises(ContentError) as caught:
        validate(topic_toml("t") + topic_toml("t") + topic_toml("t"))
    problems = caught.value.problems
    assert [p.message for p in problems] == ["duplicate id 't' in topics"] * 2
    assert all(p.line and p.item.startswith("topics[") for p in problems)


def test_an_unknown_source_is_located_with_a_did_you_mean():
    with pytest.raises(ContentError) as caught:
        validate(topic_toml("t").replace(CITE, CITE.replace('"s"', '"ss"'), 1))
    (problem,) = caught.value.problems
    assert "source 'ss' is not in this file's [[sources]]" in problem.message
    assert "did you mean 's'?" in problem.message and problem.line


def test_one_long_key_rule_for_content_and_answers():
    dotted = "a" + ".a" * limits.MAX_KEY_PARTS
    assert limits.long_key_line(f"x = 1\n{dotted} = 1\n") == 2
    assert limits.long_key_line(f'text = "{"." * 500}"\n') is None  # dots in a value
    assert limits.long_key_line(f'"a=b".{dotted} = 1\n') == 1  # '=' in a quoted key
    with pytest.raises(ContentError, match="line 2 has a key"):
        parse_toml(f"x = 1\n{dotted} = 1\n".encode(), pack="p", file="content.toml")
