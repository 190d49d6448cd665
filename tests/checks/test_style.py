"""The style guide's mechanical checks (docs/content.md, "Style"), alone and in
``indcli check``."""

from __future__ import annotations

import json

import pytest
from conftest import CITE, PACKS, make_pack

from indcli.checks import style
from indcli.testing import make_app, run


@pytest.mark.parametrize(
    ("text", "nested"),
    [
        ("You pay using iDeal (internet banking with a Dutch bank account).", False),
        ("At 'X' (National organisations), tick Y (Immigration Service).", False),
        ("indcli's reading (the page does not say this (in these words)).", True),
        ("A step [see (this)] here.", True),
    ],
)
def test_nested_brackets(text, nested):
    assert style.nested_brackets(text) is nested


def test_sentences_over_25_words_are_found_one_by_one():
    short = "Download and print the form. Fill it out."
    long = " ".join(["Word"] * 26) + "."
    assert style.long_sentences(" ".join(["Word"] * 25) + ".") == []
    assert style.long_sentences(short) == []
    assert style.long_sentences(f"{short} {long} indcli's reading: a short one.") == [long]
    assert style.sentences("One. indcli's reading: two.") == ["One.", "indcli's reading: two."]


@pytest.mark.parametrize(
    ("text", "field", "flagged"),
    [
        ("indcli's reading: the link leads to a separate page.", "text", False),
        ("On the page this is a link (indcli's reading).", "text", True),
        ("That it leads elsewhere is indcli's reading, not the page's words.", "note", True),
        ("indcli reads this as a link.", "help", True),
        ("the page shows a link, so indcli takes it to lead elsewhere.", "basis_note", False),
        ("that it leads elsewhere is indcli's reading.", "basis_note", True),
    ],
)
def test_the_mark_is_used_one_way(text, field, flagged):
    assert bool(style.marker_problems(text, field)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Without iDeal, indcli sends you to the paper application.", True),
        ("the page names only iDeal, so indcli takes online to be closed.", True),
        ("indcli's reading: the link leads to a separate page.", False),
        ("Apply on paper: download the form.", False),
        ("Run indcli explain digid, or read the indcli example pack.", False),
    ],
)
def test_a_sentence_about_indcli_itself_is_found(text, flagged):
    assert bool(style.machinery(text)) is flagged


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The IND forms page does not say it.", ["IND forms page"]),
        ("Download the written form. Which channel?", ["written form", "channel"]),
        ("You can apply online or on paper: the IND page says 'online or in writing'.", []),
    ],
)
def test_one_name_per_thing(text, found):
    problems = style.glossary_problems(text)
    assert [p.split("'")[1] for p in problems] == found


def test_check_warns_on_each_style_problem_and_never_on_a_quote(tmp_path):
    long = " ".join(["word"] * 40)
    content = f"""
    [[topics]]
    id = "styled"
    title = "A topic"
    summary = "One line."
    note = "That this holds is indcli's reading, not the page's words."
    source = {{ source = "s", quote = "A (quoted (nested)) sentence.", checked = 2026-11-28 }}
    body = [
      {{ text = "Body (with (nested) brackets).", source = {CITE} }},
      {{ text = "{long}.", source = {CITE} }},
    ]
    """
    pack = make_pack("indcli-styled", tmp_path, content)
    result = run(make_app(*PACKS, pack), ["check", "--format", "json"])
    data = json.loads(result.stdout)
    mine = [p for p in data["problems"] if p["pack"] == "indcli-styled"]
    assert {(p["item"], p["field"]) for p in mine} == {
        ("topic 'styled'", "note"),
        ("topic 'styled' body[0]", "text"),
        ("topic 'styled' body[1]", "text"),
    }
    assert all(p["severity"] == "warning" and p["message"].startswith("style: ") for p in mine)
    messages = " ".join(p["message"] for p in mine)
    assert "brackets inside brackets" in messages
    assert "a sentence of 40 words (at most 25)" in messages
    assert "indcli's reading:' before the sentence" in messages
    strict = run(make_app(*PACKS, pack), ["check", "indcli-styled", "--strict"])
    assert strict.exit_code == 1


def test_the_shipped_packs_follow_the_style_guide():
    app = make_app(*PACKS)
    problems = [
        (pack.name, *problem)
        for pack in app.catalog.packs
        for content in pack.content
        for problem in style.style_problems(content)
    ]
    assert problems == []
