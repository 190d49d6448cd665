"""Back, change, start again and resume: a state machine that cannot loop.

The cases the issue reported, then a hypothesis property test that drives random
sequences of answers, Back, not sure, Change, Start again and Show through the real
``route`` command and checks that it always ends, that the route shown is the one
``indcli route --no-input`` gives for the final answers, and that the review never lists
an answer that does not matter.
"""

from __future__ import annotations

import json

import pytest
from conftest import PACKS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indcli.commands import interview as interview_module
from indcli.commands import prompts
from indcli.routing.engine import route
from indcli.testing import make_app, run

REVIEW = "Is this right?"
WHICH = "Which answer do you want to change?"
FUNDS = "Do you receive (additional) benefit from public funds?"
ABROAD = "Is your partner abroad?"
ONLINE_OR_PAPER = "Do you want to apply online, or on paper?"
DIGID = "Do you have DigiD, and with verification via sms?"


def scripted(monkeypatch, replies):
    """prompts.select answers from ``replies``: (prompt, label) pairs, in order; every
    prompt shown is recorded with the labels it offered."""
    shown: list[tuple[str, list[str]]] = []
    script = list(replies)

    def select(message, choices, help_text=None, default=None):
        shown.append((message, [label for _, label in choices]))
        assert script, f"no reply left for {message!r}"
        expected, label = script.pop(0)
        assert message == expected, (message, expected)
        return next(value for value, shown_label in choices if shown_label == label)

    monkeypatch.setattr(prompts, "select", select)
    return shown


def interview_json(args):
    result = run(make_app(*PACKS, interactive=True), ["route", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


LONG_TERM = "Are you or is your partner a long-term resident EU in another Member State?"
TEMPORARY = "Do you have a temporary residence permit?"


def test_back_after_a_change_reaches_a_question(monkeypatch):
    # No, No, funds Yes, abroad No; Change funds to No; Online, iDeal No; review; Back
    shown = scripted(
        monkeypatch,
        [
            (LONG_TERM, "No"),
            (TEMPORARY, "No"),
            (FUNDS, "Yes"),
            (ABROAD, "No"),
            (REVIEW, "Change an answer"),
            (WHICH, FUNDS),
            (FUNDS, "No"),
            (ONLINE_OR_PAPER, "Online"),
            ("Can you pay with iDeal (internet banking with a Dutch bank account)?", "No"),
            (REVIEW, "Back"),  # abroad was filled in from before: Back asks it again
            (ABROAD, "Yes"),
            (REVIEW, "Show my route"),
        ],
    )
    data = interview_json([])
    assert [message for message, _ in shown].count(REVIEW) == 3
    assert data["answers"]["partner-abroad"] == "yes"
    assert data["outcome"]["id"] == "paper-family-member"


def test_resume_then_change_drops_what_stopped_mattering_and_offers_back(monkeypatch):
    flags = ["--eu-long-term-resident", "no", "--temporary-permit", "yes"]
    flags += ["--partner-abroad", "yes", "--review"]  # a resume line printed at the review
    shown = scripted(
        monkeypatch,
        [
            (REVIEW, "Change an answer"),
            (WHICH, TEMPORARY),
            (TEMPORARY, "No"),
            (FUNDS, "No"),
            (ONLINE_OR_PAPER, "Online"),
            ("Can you pay with iDeal (internet banking with a Dutch bank account)?", "Yes"),
            (DIGID, "I have DigiD with verification via sms"),
            ("Does your partner already have a Dutch residence permit?", "No"),
            (REVIEW, "Show my route"),
        ],
    )  # fmt: skip
    data = interview_json(flags)
    assert all(labels[-1] == "Back" for message, labels in shown[3:] if message != REVIEW)
    assert "partner-abroad" not in data["answers"]  # it stopped mattering online
    assert data["outcome"]["id"] == "online-partner-no-permit"


def test_a_resume_line_printed_at_the_review_brings_the_review_back(monkeypatch):
    shown = scripted(monkeypatch, [(REVIEW, "Show my route")])
    data = interview_json(["--eu-long-term-resident", "yes", "--review"])
    assert [message for message, _ in shown] == [REVIEW]
    assert data["outcome"]["id"] == "eu-long-term-resident"


def test_back_from_the_review_of_given_answers_asks_the_last_one(monkeypatch):
    scripted(monkeypatch, [(REVIEW, "Back"), (LONG_TERM, "No"), (TEMPORARY, "Yes"),
                           (ABROAD, "No"), (REVIEW, "Show my route")])  # fmt: skip
    data = interview_json(["--eu-long-term-resident", "yes", "--review"])
    assert data["outcome"]["id"] == "paper-family-member"


# --- the property ------------------------------------------------------------------------

BUDGET = 30  # random replies; then the shortest way to the result
SPECIAL = {"\0stop"}  # "Stop here" ends the run on purpose: not a path to test


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_path_ends_with_the_route_of_its_final_answers(data):
    app = make_app(*PACKS)
    flow = app.load_catalog().flow("partner-permit")
    prompts_shown = 0

    def select(message, choices, help_text=None, default=None):
        nonlocal prompts_shown
        prompts_shown += 1
        assert prompts_shown < BUDGET + 60, "the interview does not end"
        values = [value for value, _ in choices if value not in SPECIAL]
        if prompts_shown <= BUDGET:
            return data.draw(st.sampled_from(values), label=message)
        if message == REVIEW:
            return "\0show"
        if message == WHICH:
            return prompts.BACK
        return values[0]  # a real answer: the first choice

    reviewed: list[dict[str, str]] = []
    original_review = interview_module.Interview._review

    def review(self):
        reviewed.append(dict(self.answers))
        return original_review(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prompts, "select", select)
        patch.setattr(interview_module.Interview, "_review", review)
        shown = interview_json([])
    for answers in reviewed:  # every answer listed mattered when it was asked
        before: dict[str, str] = {}
        for question, value in answers.items():
            assert question in route(flow, dict(before)).relevant, (question, answers)
            before[question] = value
    flags = [word for q, v in shown["answers"].items() for word in (f"--{q}", v)]
    scripted_run = run(app, ["route", "--no-input", "--format", "json", *flags])
    assert scripted_run.exit_code == 0, scripted_run.stderr
    assert json.loads(scripted_run.stdout) == shown
