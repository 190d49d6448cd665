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
from conftest import PACKS, QUESTIONS

from indcli.routing import engine
from indcli.testing import make_app, run

ONLINE = ("online-partner-no-permit", "online-partner-has-permit")


def oracle(a: dict[str, str]) -> dict:
    """What the IND page says for these answers."""
    expected = {
        "prerequisites": set(),
        "steps": set(),
        "follow_up": set(),
        "warnings": set(),
        "gaps": set(),  # what the page leaves unsaid on this route, named, never filled
    }
    # "There are several application forms. Please, make sure you use the correct form."
    # and "Do you doubt which form to use? Answer a few questions and we guide you to the
    # correct form. Start form finder": whatever the route, the page's form finder.
    expected["prerequisites"].add("form-finder")
    # "Are you or is your partner a long-term resident EU in another Member State?>" is only
    # a link to another page: a referral, nothing more on this page.
    if a["eu-long-term-resident"] == "yes":
        expected.update(outcome="eu-long-term-resident", channel="referral")
        expected["gaps"].add("gap-which-form")  # the link names no form
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
        # Both ways of handing in, always; with the partner abroad, indcli names the Dutch
        # representation abroad first (its reading), otherwise the page's order.
        expected["steps"] |= {"download-general-form", "fill-out-add-documents"}
        expected["steps"].add(
            "representation-first" if a["partner-abroad"] == "yes" else "mail-first"
        )
        # "My IND ... You must log in using DigiD with verification via sms." and, for
        # getting it, "Then first apply for DigiD or verification via sms. Do not forget
        # to check the box verification via sms."
        expected["follow_up"].add("my-ind-digid")
        # Silent for a paper application: its cost and payment, the requested documents,
        # a postal address, whether it shows in My IND, and (partner abroad) what the
        # Dutch representation abroad needs.
        expected["gaps"] |= {"gap-fee-paper", "gap-documents", "gap-address", "gap-my-ind"}
        if a["partner-abroad"] == "yes":
            expected["gaps"].add("gap-representation")
        # Which permits count as temporary, which benefits count: where they closed online.
        if a["temporary-permit"] == "yes":
            expected["gaps"].add("gap-temporary")
        elif a["public-funds"] == "yes":
            expected["gaps"].add("gap-funds")
        # "You can submit the application online or in writing. The online application is
        # usually faster." (only worth saying when online was open and paper was a choice),
        # with what online needs: DigiD with verification via sms, and iDeal.
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
        expected["follow_up"].add("my-ind")
        # Silent: the cost, which permits and benefits count (the answers that opened
        # online), and where or how to get DigiD (for whoever has to).
        expected["gaps"] |= {"gap-fee", "gap-temporary", "gap-funds"}
        if a["digid"] != "sms":
            expected["gaps"].add("gap-digid")
    # After applying, for any application: "Follow your application in My IND" and
    # "Receive your post digitally via the Berichtenbox".
    expected["follow_up"].add("berichtenbox")
    return expected


# What each piece of advice must say (all words, case-insensitive) and quote.
MEANING = {
    "form-finder": (
        ["form finder", "Start form finder", "correct form"],
        "Answer a few questions and we guide you",
    ),
    "download-general-form": (
        ["download", "print", "General form for an application at the IND for a family member"],
        "Download and print your application form.",
    ),
    "fill-out-add-documents": (["fill out", "requested documents"], "add the requested documents"),
    "mail-first": (
        ["by mail to the IND", "Dutch representation abroad"],
        "send the form by mail to the IND or submit the application to the Dutch representation",
    ),
    "representation-first": (
        ["by mail to the IND", "Dutch representation abroad"],
        "send the form by mail to the IND or submit the application to the Dutch representation",
    ),
    "my-ind-digid": (
        ["My IND", "DigiD with verification via sms", "apply for DigiD", "check the box"],
        "You must log in using DigiD with verification via sms.",
    ),
    "online-faster": (
        ["usually faster", "DigiD with verification via sms", "iDeal"],
        "The online application is usually faster.",
    ),
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
    "gap-which-form": (["does not say which form"], "long-term resident EU"),
    "gap-fee": (["how much the application costs"], "you pay before you send"),
    "gap-fee-paper": (["how much a paper application costs", "how you pay"], "you pay"),
    "gap-documents": (["which documents"], "add the requested documents"),
    "gap-address": (["no postal address"], "send the form by mail to the IND"),
    "gap-representation": (["Dutch representation abroad"], "Dutch representation abroad"),
    "gap-my-ind": (["paper application shows in My IND"], "Follow your application in My IND"),
    "gap-temporary": (["which residence permits count as temporary"], "temporary residence"),
    "gap-funds": (["which benefits count"], "benefit from public funds"),
    "gap-digid": (["where or how to apply for DigiD"], "apply for DigiD"),
}

FORM_TITLES = {
    "online-partner-no-permit": "Online application - partner has no residence permit yet",
    "online-partner-has-permit": "Online application - partner has residence permit",
    "paper-family-member": "General form for an application at the IND for a family member",
}


# Which of two phrases comes first in the text, where the order is the point.
ORDER = {
    "mail-first": ("by mail to the IND", "Dutch representation abroad"),
    "representation-first": ("Dutch representation abroad", "by mail to the IND"),
}


def _matches(item: dict, meaning: str) -> bool:
    words, quote = MEANING[meaning]
    text = item["text"].lower()
    if meaning in ORDER:
        first, then = (phrase.lower() for phrase in ORDER[meaning])
        if not (first in text and then in text and text.index(first) < text.index(then)):
            return False
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
        for key in ("prerequisites", "steps", "follow_up", "warnings", "gaps"):
            _assert_advice(data[key], want[key], key, answers)
        for gap in data["gaps"]:  # indcli's note, never the page's word, and where to ask
            assert gap["basis"] == "inference" and gap["find_out"].startswith(("Ask", "Follow"))
            assert not any(c.isdigit() for c in gap["text"] + gap["find_out"]), gap
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


# --- the sentences issue 11 fixed, held in every output -------------------------------

NEVER_SAID = ("Logo DigiD", "always possible", "straight away", "yetLogo", "permitLogo")
BOTH_WAYS = ("by mail to the IND", "Dutch representation abroad")
FORM_FINDER = ("form finder", "Start form finder")


INFERENCE_MARK = "indcli's reading:"
NOTE_MARK = "indcli's note:"
ADVICE_KEYS = ("reasons", "prerequisites", "steps", "follow_up", "warnings", "gaps")


def test_fixed_sentences_hold_in_every_output_of_every_combination():
    app = make_app(*PACKS)
    rules = {c.id: c.rule for c in app.catalog.flows["partner-permit"].rules}
    inferred = set()
    for answers in COMBINATIONS:
        flags = [part for q, v in answers.items() for part in (f"--{q}", v)]
        outputs = {
            fmt: run(app, ["route", "--no-input", "--format", fmt, "--explain", *flags])
            for fmt in ("json", "text", "markdown")
        }
        for fmt, result in outputs.items():
            assert result.exit_code == 0, (fmt, answers, result.stderr)
            out = " ".join(result.stdout.split())
            for phrase in NEVER_SAID:
                assert phrase not in out, (phrase, fmt, answers)
            for phrase in FORM_FINDER:  # on all four outcomes
                assert phrase in out, (phrase, fmt, answers)
        data = json.loads(outputs["json"].stdout)
        items = [i for key in ADVICE_KEYS for i in data[key]]
        for item in items:  # the JSON says the content's basis; text and markdown show it
            rule = rules[item.get("id") or item.get("rule")]
            assert (item["basis"], item.get("basis_note")) == (rule.basis, rule.basis_note)
            if rule.basis == "inference":
                inferred.add(rule.id)
                if rule.advice == "gap":  # one line: the note and where to find out
                    note = f"{rule.text} {rule.find_out}"
                    for fmt in ("text", "markdown"):
                        out = " ".join(outputs[fmt].stdout.replace("\\", "").split())
                        assert f"{NOTE_MARK} {note}" in out, (fmt, rule.id)
                    continue
                note = " ".join(rule.basis_note.split())
                for fmt in ("text", "markdown"):
                    out = outputs[fmt].stdout.replace("*", "").replace("\\", "")
                    assert f"{INFERENCE_MARK} {note}" in " ".join(out.split()), (fmt, rule.id)
        if data["outcome"]["channel"] == "paper":
            steps = " ".join(step["text"] for step in data["steps"])
            assert all(way in steps for way in BOTH_WAYS), answers
            for fmt in ("text", "markdown"):
                out = " ".join(outputs[fmt].stdout.split())
                assert all(way in out for way in BOTH_WAYS), (fmt, answers)
            follow_up = " ".join(item["text"] for item in data["follow_up"])
            assert "apply for DigiD or verification via sms" in follow_up, answers
            assert "first apply" not in follow_up, answers  # no "first" after applying
    assert inferred == {r for r, rule in rules.items() if rule.basis == "inference"}


def test_other_commands_never_say_the_old_sentences():
    app = make_app(*PACKS)
    topics = sorted(app.catalog.topics)
    commands = [["berichtenbox-steps"], ["explain"], *(["explain", t] for t in topics)]
    for args in commands:
        for fmt in ("json", "text", "markdown"):
            result = run(app, [*args, "--format", fmt])
            assert result.exit_code == 0, (args, fmt, result.stderr)
            out = " ".join(result.stdout.split())
            for phrase in NEVER_SAID:
                assert phrase not in out, (phrase, args, fmt)
    steps = run(app, ["berichtenbox-steps", "--step", "3"]).stdout
    assert "You will then access MijnOverheid." in " ".join(steps.split())
    guide = json.loads(run(app, ["berichtenbox-steps", "--format", "json"]).stdout)
    assert guide["steps"][0]["basis"] == "inference"  # the page's "Go to" has no link text
    for fmt in ("text", "markdown"):
        out = run(app, ["berichtenbox-steps", "--format", fmt]).stdout
        assert INFERENCE_MARK in " ".join(out.split()), fmt


def test_public_funds_is_the_page_definition_everywhere():
    app = make_app(*PACKS)
    for args in (["explain"], ["explain", "public-funds"]):
        for fmt in ("json", "text", "markdown"):
            out = " ".join(run(app, [*args, "--format", fmt]).stdout.split())
            assert "enough money to live on" in out, (args, fmt)
            assert "cannot live on your own" not in out, (args, fmt)
    help_text = app.catalog.flows["partner-permit"].question("public-funds").help
    assert "do not have enough to live on" in help_text


def test_online_is_suggested_only_with_digid_sms_and_ideal():
    app = make_app(*PACKS)
    for answers in COMBINATIONS:
        if oracle(answers)["channel"] == "referral":
            continue
        flags = [part for q, v in answers.items() for part in (f"--{q}", v)]
        data = json.loads(run(app, ["route", "--no-input", "--format", "json", *flags]).stdout)
        items = [data["outcome"]["form"]["how"]] + [
            item["text"] for key in ("warnings", "prerequisites") for item in data[key]
        ]
        suggests_online = [t for t in items if "online" in t.lower() and "could" in t.lower()]
        if data["outcome"]["channel"] == "online":
            suggests_online.append(data["outcome"]["form"]["how"])
        for text in suggests_online:
            assert "DigiD with verification via sms" in text and "iDeal" in text, (text, answers)
