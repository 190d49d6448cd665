"""Faithfulness: quotes are the page's words, and `page` items add nothing to them."""

from __future__ import annotations

import hashlib

import pytest
from conftest import PACKS, SEED

from indcli.checks import quotes as f
from indcli.content.model import cited, walk
from indcli.testing import make_app

PAGE = SEED.read_text(encoding="utf-8")
PARAGRAPHS = f.paragraphs(PAGE)


def shipped_content() -> list[tuple[str, object]]:
    app = make_app(*PACKS)
    return [(pack.name, content) for pack in app.catalog.packs for content in pack.content]


def shipped_quotes() -> list[str]:
    return [
        located.item.source.quote
        for _, content in shipped_content()
        for located in walk(content)
        if cited(located)
    ]


# --- the page, split ------------------------------------------------------------------


# SHA-256 of the IND page text the content rests on (the seed, 000_e55f354771de9fbd.txt).
SEED_SHA256 = "6d902975a618205203193da072e0b408e5aec2e68a9bc658ca4a0b44d470b91e"


def test_the_test_copy_of_the_page_is_the_seed():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_paragraphs_are_blank_line_blocks_and_list_items():
    page = "Title\n\nOne line\ngoes on.\n\n  1. Go to\n  2. Click on\u00a0 Log in.\n    • A case.\n"
    assert f.paragraphs(page) == [
        "Title",
        "One line goes on.",
        "Go to",
        "Click on Log in.",
        "A case.",
    ]


def test_the_page_paragraphs():
    assert PARAGRAPHS[0] == "Residence permit for your partner: application forms"
    assert "Go to" in PARAGRAPHS and "Click on Log in." in PARAGRAPHS
    assert "General form for an application at the IND for a family member" in PARAGRAPHS
    assert not any("\u00a0" in p or "  " in p for p in PARAGRAPHS)


@pytest.mark.parametrize(
    ("quote", "problem"),
    [
        ("Online forms", None),
        ("Then you cannot use the online application. Please, download your", None),
        ("Online forms […] Online application is not possible", None),
        ("Online application is not possible […] Online forms", "out of page order"),
        (  # runs on into the next paragraph: nothing left out, so no […]
            "send the form by mail to the IND or submit the application to the Dutch "
            "representation abroad. General form for an application at the IND for a family member",
            None,
        ),
        (  # skips a paragraph without […]
            "representation abroad. Are you or is your partner a long-term resident EU",
            "not inside one paragraph",
        ),
        ("the IND. General form", "not inside one paragraph"),  # leaves words out
        ("Do you doubt which form to use? Answer", None),
        ("The online application is usually faster. […] You can submit", "out of page order"),
        ("You pay using   iDeal", None),
        ("You pay with iDeal", "not inside one paragraph"),
    ],
)
def test_quote_problems(quote, problem):
    found = f.quote_problems(quote, PARAGRAPHS)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and problem in found[0]


def test_every_quote_of_the_shipped_packs_is_the_page_in_order():
    """Each fragment the page's words (inside one paragraph, or running on into the next),
    fragments in page order."""
    all_quotes = shipped_quotes()
    assert len(all_quotes) > 50
    problems = [(q, p) for q in all_quotes for p in f.quote_problems(q, PARAGRAPHS)]
    assert problems == []


def test_no_scrape_artefacts_in_quotes():
    for quote in shipped_quotes():
        assert "Logo DigiD" not in quote, quote
        for fragment in quote.split(f.GAP):
            assert not fragment.rstrip().endswith(">"), quote


# --- page items add nothing -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "problems"),
    [
        ("You pay with iDeal.", "You pay using iDeal.", []),
        ("Without it you cannot apply online.", "You pay using iDeal.", ["negation ('cannot')"]),
        ("You don't need it.", "You need it.", ["negation ('not')"]),
        ("You do not have DigiD.", "Do you not yet have DigiD?", []),
        ("No sms.", "You cannot use it.", []),
        ("Writing is always possible.", "You can apply in writing.", ["'always'"]),
        ("Set it up in 8 steps.", "How do I activate it?", ["number 8"]),
        ("There are two forms.", "There are 2 different online application forms.", []),
        ("You must log in.", "You log in with your DigiD.", ["'must'"]),
        ("You must log in.", "You must log in using DigiD.", []),
        ("This is only a link.", "A link?", ["'only'"]),
        ("You never pay.", "You pay.", ["negation ('never')", "'never'"]),
        ("One […] two", "One […] two", []),
    ],
)
def test_added_facts(text, quote, problems):
    found = f.added_facts(text, quote)
    assert len(found) == len(problems), found
    for want, got in zip(problems, found, strict=True):
        assert want in got


def test_inferences_are_not_checked_and_are_listed():
    from indcli.content.model import content_from_data

    cite = {"source": "s", "url": "u", "title": "t", "quote": "q", "checked": "2026-11-28"}

    def rule(rule_id: str, **basis: str) -> dict:
        return {"id": rule_id, "advice": "warning", "text": "Always.", "source": cite, **basis}

    data = {
        "topics": [],
        "guides": [],
        "flows": [
            {
                "id": "f",
                "rules": [
                    rule("r", basis="inference", basis_note="Why."),
                    rule("s", basis="page"),
                ],
            }
        ],
    }
    content = content_from_data(data, "p")
    assert f.inferences(content) == [("flow 'f' rule 'r'", "Why.")]
    assert f.content_problems(content) == [
        ("flow 'f' rule 's'", "the text says 'always', the quote does not")
    ]


def test_every_page_item_of_the_shipped_packs_adds_nothing():
    problems = [
        (pack, where, problem)
        for pack, content in shipped_content()
        for where, problem in f.content_problems(content)
    ]
    assert problems == []


def test_every_item_of_the_shipped_packs_has_a_basis_and_inferences_say_why():
    counted = 0
    for _, content in shipped_content():
        for _, item in f.based_items(content):
            counted += 1
            assert item.basis in ("page", "inference")
            # a gap (advice "gap") is indcli's note itself, with where to find out
            why = item.basis_note or getattr(item, "find_out", None)
            assert (item.basis == "inference") == bool(why)
    assert counted > 40
    assert sum(len(f.inferences(c)) for _, c in shipped_content()) >= 6


def test_check_lists_inferences_and_fails_a_page_item_that_adds_a_fact(tmp_path):
    import json

    from conftest import PACKS, make_pack

    from indcli.testing import make_app, run

    data = json.loads(run(make_app(*PACKS), ["check", "--format", "json"]).stdout)
    listed = {(i["pack"], i["item"]) for i in data["inferences"]}
    assert ("indcli-partner-permit", "flow 'partner-permit' rule 'no-ideal-no-online'") in listed
    assert all(i["note"] for i in data["inferences"]) and data["ok"]

    adds = """
[[topics]]
id = "adds"
title = "Adds a fact"
summary = "s"
source = { source = "s", quote = "You can pay.", checked = 2026-11-28 }
[[topics.body]]
text = "You can never pay twice."
source = { source = "s", quote = "You can pay.", checked = 2026-11-28 }
"""
    result = run(make_app(make_pack("indcli-adds", tmp_path, adds)), ["check", "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert {(p["item"], p["field"]) for p in problems} == {("topic 'adds' body[0]", "text")}
    assert any("'never'" in p["message"] for p in problems)
    assert all('basis = "inference"' in p["message"] for p in problems)
