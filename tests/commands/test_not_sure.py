"""The "I'm not sure" texts of the interview, read as the person at the terminal reads
them (prompt_toolkit pipe input): the first keeps the topic's note, the second says what
each answer leads to and cites the passage that says what it claims (issue 21)."""

from __future__ import annotations

import pytest
from conftest import PACKS
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from indcli.checks.style import nested_brackets
from indcli.output.render import INFERENCE_MARK
from indcli.testing import make_app, run

ENTER, DOWN, CTRL_C = "\r", "\x1b[B", "\x03"
NO = "2" + ENTER  # no choice is preselected: a number, then Enter
YES = ONLINE = BANK_YES = "1" + ENTER
UNSURE_2, UNSURE_3 = "3" + ENTER, "4" + ENTER  # after 2 or 3 choices
# Keys up to each question with an "I'm not sure" choice, and the key that picks it.
TO = {
    "long-term-resident-eu": ("", UNSURE_2),
    "temporary-residence-permit": (NO, UNSURE_2),
    "public-funds": (NO + NO, UNSURE_2),
    "ideal": (NO + NO + NO + ONLINE, UNSURE_2),
    "digid": (NO + NO + NO + ONLINE + BANK_YES, UNSURE_3),
    "hand-in": (NO + YES, UNSURE_2),  # is your partner abroad? (after a temporary permit)
}


def said(keys: str) -> str:
    """What the interview printed before Ctrl-C ended it, whitespace made single."""
    app = make_app(*PACKS, interactive=True)
    with create_pipe_input() as pipe:
        pipe.send_text(keys + CTRL_C)
        with create_app_session(input=pipe, output=DummyOutput()):
            result = run(app, ["route"])
    assert result.exit_code == 130, result.stderr
    return " ".join(result.stdout.split())


@pytest.mark.parametrize("topic", sorted(TO))
def test_the_first_not_sure_always_keeps_the_note(topic):
    before, unsure = TO[topic]
    text = said(before + unsure)
    note = make_app(*PACKS).catalog.topics[topic].note
    assert f"Note: {' '.join(note.split())}" in text
    assert text.endswith(f"Full explanation: indcli explain {topic}")


def test_the_long_term_resident_note_is_shown():
    text = said(UNSURE_2)
    assert "does not say what a long-term resident EU is" in text


def second(topic: str) -> str:
    before, unsure = TO[topic]
    return said(before + unsure + unsure).split("Still not sure?", 1)[1]


def test_second_not_sure_at_digid_offers_nothing_open_but_the_written_way():
    text = second("digid")
    assert "stays open" not in text
    assert "does not change your form. What each answer asks:" in text
    # Both online forms need DigiD with sms, in the page's words.
    assert "Apply online: your partner has a Dutch residence permit" in text
    assert "Apply online: your partner has no residence permit yet" in text
    assert "the page says: \u201cFor the online application you need to have a DigiD" in text
    # The written way, marked as indcli's reading, with the sentence that says it.
    assert f"{INFERENCE_MARK} if you cannot arrange it, you can apply on paper" in text
    assert "Do you not or can you not do the application online?" in text
    assert "first apply for DigiD" in text and "first apply for verification via sms" in text


def test_second_not_sure_at_the_temporary_permit_cites_the_written_way_passage():
    text = second("temporary-residence-permit")
    open_part = text.split(INFERENCE_MARK, 1)[1]
    assert "stays open to you whichever answer is right" in open_part
    cited = open_part.split("The page: \u201c", 1)[1]
    assert cited.startswith("You can submit the application online or in writing. [\u2026]")
    assert "Do you not or can you not do the application online?" in cited
    assert "benefit from public funds" not in cited


def test_second_not_sure_at_ideal_marks_where_no_ideal_leads_as_a_reading():
    text = second("ideal")
    assert f"No: {INFERENCE_MARK} Apply on paper with the form the IND page lists" in text
    assert f"Yes: {INFERENCE_MARK}" not in text  # online with iDeal is the page's word


def test_partner_abroad_has_the_not_sure_the_opening_promises():
    text = second("hand-in")
    assert "does not change your form" in text
    assert "Yes: Submit the application to the Dutch representation abroad" in text
    assert "No: Send the form and the documents by mail to the IND" in text


def test_a_decided_line_has_no_brackets_around_the_quote_and_marks_a_reading():
    # online preferred, then no iDeal: the line that says online is closed
    text = said(NO + NO + NO + ONLINE + NO).split("\u2192", 1)[1]
    assert f"{INFERENCE_MARK} the page says only 'You pay using iDeal'" in text
    assert "The page: \u201cYou pay using iDeal" in text
    assert "(The page:" not in text and "(indcli's reading" not in text


@pytest.mark.parametrize("topic", sorted(TO))
def test_no_not_sure_text_has_brackets_in_brackets_or_talks_about_page_text(topic):
    before, unsure = TO[topic]
    text = said(before + unsure + unsure)
    assert not nested_brackets(text)
    for phrase in ("page text", "works from", "link text", "ends in '>'", "(indcli's reading"):
        assert phrase not in text
