"""`indcli route` against an oracle written straight from the IND page's sentences.

Every combination of answers (2*2*2*2*2*3*2*2 = 384) goes through the real command with
flags. The oracle below is independent of the pack's rules: it restates, sentence by
sentence, what the page says, and names the advice each situation must get; each piece
of advice is also checked for the words that carry its meaning and for its quote.
"""

from __future__ import annotations

import itertools
import json

import pytest
from conftest import PACKS, QUESTIONS, SEED

from indcli import engine
from indcli.testing import make_app, run

ONLINE = ("online-partner-no-permit", "online-partner-has-permit")


def oracle(a: dict[str, str]) -> dict:
    """What the IND page says for these answers."""
    expected = {"prerequisites": set(), "steps": set(), "follow_up": set(), "warnings": set()}
    # "Are you or is your partner a long-term resident EU in another Member State?>" is only
    # a link to another page: a referral, nothing more on this page.
    if a["eu-long-term-resident"] == "yes":
        expected.update(outcome="eu-long-term-resident", channel="referral")
        # "Do you doubt which form to use? Answer a few questions and we guide you..."
        expected["warnings"].add("form-finder")
        return expected
    # "Do you have a temporary residence permit? Or do you receive (additional) benefit from
    # public funds? Then you cannot use the online application."
    online_ruled_out = a["temporary-permit"] == "yes" or a["public-funds"] == "yes"
    # "Do you not or can you not do the application online? Download and print..."
    # Online you pay "using iDeal (internet banking with a Dutch bank account)".
    can_pay_online = a["dutch-bank"] == "yes"
    if online_ruled_out or a["prefer"] == "paper" or not can_pay_online:
        expected.update(outcome="paper-family-member", channel="paper")
        # "Download and print your application form. Fill out the form, add the requested
        # documents and send the form by mail to the IND or submit the application to the
        # Dutch representation abroad."
        expected["steps"] |= {"download-general-form", "fill-out-add-documents"}
        expected["steps"].add(
            "mail-or-representation" if a["partner-abroad"] == "yes" else "mail-to-ind"
        )
        # "You can submit the application online or in writing. The online application is
        # usually faster." (only worth saying when online was open and paper was a choice)
        if not online_ruled_out and a["prefer"] == "paper":
            expected["warnings"].add("online-faster")
    else:
        # "Your partner does not have / has a Dutch residence permit": the 2 online forms.
        has_permit = a["partner-permit"] == "yes"
        expected.update(
            outcome="online-partner-has-permit" if has_permit else "online-partner-no-permit",
            channel="online",
        )
        # "For the online application you need to have a DigiD with verification via sms.
        # Do you not yet have DigiD? Or do you not have verification via sms? Then first
        # apply for DigiD or verification via sms. Do not forget to check the box..."
        expected["prerequisites"].add(
            {"none": "apply-for-digid", "no-sms": "apply-for-sms", "sms": "digid-ready"}[a["digid"]]
        )
        # "With the online application you pay before you send the application. You pay
        # using iDeal (internet banking with a Dutch bank account)."
        expected["prerequisites"].add("ideal")
        expected["steps"] |= {"open-online-form", "video", "pay-before-send"}
    # After applying, for any application: "Follow your application in My IND" and
    # "Receive your post digitally via the Berichtenbox".
    expected["follow_up"] |= {"my-ind", "berichtenbox"}
    return expected


# What each piece of advice must say (all words, case-insensitive) and quote.
MEANING = {
    "form-finder": (["form finder"], "Answer a few questions and we guide you"),
    "download-general-form": (
        ["download", "print", "General form for an application at the IND for a family member"],
        "Download and print your application form.",
    ),
    "fill-out-add-documents": (["fill out", "requested documents"], "add the requested documents"),
    "mail-to-ind": (["by mail to the IND"], "send the form by mail to the IND"),
    "mail-or-representation": (
        ["by mail to the IND", "Dutch representation abroad"],
        "submit the application to the Dutch representation abroad",
    ),
    "online-faster": (["usually faster"], "The online application is usually faster."),
    "apply-for-digid": (
        ["first apply for DigiD", "check the box verification via sms"],
        "Then first apply for DigiD or verification via sms.",
    ),
    "apply-for-sms": (
        ["first apply for verification via sms"],
        "Then first apply for DigiD or verification via sms.",
    ),
    "digid-ready": (["DigiD with verification via sms"], "you need to have a DigiD"),
    "ideal": (["iDeal", "Dutch bank account", "before you send"], "You pay using iDeal"),
    "open-online-form": (["online form"], "There are 2 different online application forms."),
    "video": (["How do I fill out the online application?"], "Video: How do I fill out"),
    "pay-before-send": (["iDeal", "before you send"], "you pay before you send the application"),
    "my-ind": (["My IND", "status", "DigiD with verification via sms"], "My IND is your"),
    "berichtenbox": (["Berichtenbox", "MijnOverheid"], "The IND is connected to the Berichtenbox"),
}

FORM_TITLES = {
    "online-partner-no-permit": "Online application - partner has no residence permit yet",
    "online-partner-has-permit": "Online application - partner has residence permit",
    "paper-family-member": "General form for an application at the IND for a family member",
}


def _matches(item: dict, meaning: str) -> bool:
    words, quote = MEANING[meaning]
    text = item["text"].lower()
    return all(w.lower() in text for w in words) and quote in item["source"]["quote"]


def _assert_advice(got: list[dict], wanted: set[str], key: str, answers: dict) -> None:
    for meaning in wanted:
        assert any(_matches(i, meaning) for i in got), (key, meaning, answers, got)
    for item in got:  # nothing beyond what the page says for this situation
        assert any(_matches(item, m) for m in wanted), (key, "unexpected", item["id"], answers)


COMBINATIONS = [
    dict(zip(QUESTIONS, c, strict=True)) for c in itertools.product(*QUESTIONS.values())
]


def test_there_are_384_combinations():
    assert len(COMBINATIONS) == 384


def test_every_combination_matches_the_oracle():
    app = make_app(*PACKS)
    seen_outcomes, fired = set(), set()
    for answers in COMBINATIONS:
        flags = [part for q, v in answers.items() for part in (f"--{q}", v)]
        result = run(app, ["route", "--no-input", "--format", "json", *flags])
        assert result.exit_code == 0, (answers, result.stderr)
        data = json.loads(result.stdout)
        want = oracle(answers)
        outcome = data["outcome"]
        assert (outcome["id"], outcome["channel"]) == (want["outcome"], want["channel"]), answers
        if outcome["id"] in FORM_TITLES:
            assert outcome["form"]["title"] == FORM_TITLES[outcome["id"]]
        for key in ("prerequisites", "steps", "follow_up", "warnings"):
            _assert_advice(data[key], want[key], key, answers)
        assert data["reasons"], answers  # every outcome comes with a cited reason
        for reason in data["reasons"]:
            assert reason["text"] and reason["source"]["url"].startswith("https://ind.nl/")
        assert data["answers"] == answers
        seen_outcomes.add(outcome["id"])
        fired |= {t["rule"] for t in data["trace"] if t["fired"]}
    flow = app.catalog.flows["partner-permit"]
    assert seen_outcomes == set(flow.outcomes)  # every outcome is reached
    assert fired == {r.id for r in flow.rules}  # every rule fires for some combination


def _interview(flow, full: dict[str, str]) -> tuple[list[str], engine.Route]:
    """Answer only what the engine asks, taking answers from ``full``."""
    answers: dict[str, str] = {}
    asked = []
    while True:
        result = engine.route(flow, answers)
        if result.done:
            return asked, result
        asked.append(result.next_question)
        answers[result.next_question] = full[result.next_question]


def test_asking_only_what_matters_gives_the_same_result():
    flow = make_app(*PACKS).catalog.flows["partner-permit"]
    for full in COMBINATIONS:
        asked, result = _interview(flow, full)
        want = oracle(full)
        assert result.decision.outcome == want["outcome"], full
        complete = engine.route(flow, full)
        assert result.decision.signature == complete.decision.signature, full
        if full["eu-long-term-resident"] == "yes":
            assert asked == ["eu-long-term-resident"]
        if full["eu-long-term-resident"] == "no" and full["temporary-permit"] == "yes":
            assert not {"digid", "dutch-bank", "partner-permit", "prefer"} & set(asked), asked
            assert "public-funds" not in asked
        if want["channel"] == "online":
            assert "partner-abroad" not in asked
        if want["channel"] == "paper":
            assert not {"digid", "partner-permit"} & set(asked), (full, asked)
            assert "partner-abroad" in asked


@pytest.mark.parametrize(
    ("answers", "unused"),
    [
        ({"eu-long-term-resident": "yes", "temporary-permit": "yes"}, ["temporary-permit"]),
        (
            {
                "eu-long-term-resident": "no",
                "temporary-permit": "yes",
                "digid": "sms",
                "partner-abroad": "no",
            },
            ["digid"],
        ),
    ],
)
def test_answers_that_do_not_matter_are_kept_and_noted(answers, unused):
    flags = [part for q, v in answers.items() for part in (f"--{q}", v)]
    result = run(make_app(*PACKS), ["route", "--no-input", "--format", "json", *flags])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answers"] == answers
    assert data["unused_answers"] == unused


def test_every_quote_in_the_shipped_packs_is_on_the_ind_page():
    """Right before anything else: nothing is quoted that the page does not say."""
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    app = make_app(*PACKS)
    quotes = []
    for pack in app.catalog.packs:
        for content in pack.content:
            quotes += list(_quotes(content))
    assert len(quotes) > 50
    for quote in quotes:
        for fragment in quote.split(" […] "):
            assert " ".join(fragment.split()) in seed, fragment


def _quotes(content):
    from indcli.model import cited, walk

    for located in walk(content):
        if cited(located):
            yield located.item.source.quote
