"""The route, topics and guide in the words issue 21 asked for, read in the output a
person sees (text, markdown, JSON) rather than in the content file."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import PACKS
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from indcli.commands.support import prompts
from indcli.output.render import INFERENCE_MARK, NOTE_MARK
from indcli.output.route_schema import route_schema
from indcli.testing import make_app, run

REFERRAL = ["--eu-long-term-resident", "yes"]
PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]
ONLINE = [
    *("--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no"),
    *("--prefer", "online", "--dutch-bank", "yes", "--digid", "none", "--partner-permit", "no"),
]
ONLINE_HAS = [*ONLINE[:-1], "yes"]
PAPER_CHOSEN = [
    *("--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no"),
    *("--prefer", "paper", "--partner-abroad", "no"),
]


def out(args: list[str], fmt: str = "text") -> str:
    result = run(make_app(*PACKS), [*args, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.replace("*", "").replace("\\", "").split())


def route(flags: list[str], fmt: str = "text") -> str:
    return out(["route", "--no-input", *flags], fmt)


# --- basis on outcomes (4) --------------------------------------------------------------


@pytest.mark.parametrize("flags", [REFERRAL, PAPER, ONLINE, ONLINE_HAS])
def test_every_outcome_has_a_basis_and_the_schema_requires_it(flags):
    data = json.loads(route(flags, "json"))
    jsonschema.validate(data, route_schema())
    assert data["outcome"]["basis"] in ("page", "inference")
    assert "basis" in route_schema()["properties"]["outcome"]["required"]
    expected = "inference" if data["outcome"]["channel"] == "referral" else "page"
    assert data["outcome"]["basis"] == expected
    assert ("basis_note" in data["outcome"]) is (expected == "inference")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_long_term_resident_route_says_where_the_link_is_and_marks_the_reading(fmt):
    text = flat(route(REFERRAL, fmt))
    note = json.loads(route(REFERRAL, "json"))["outcome"]["basis_note"]
    assert f"{INFERENCE_MARK} {note}" in text
    assert (
        "Open the IND page and find 'Download, print and send form by mail'. Follow the link "
        "'Are you or is your partner a long-term resident EU in another Member State?', right "
        "after the general form."
    ) in text
    assert text.count(INFERENCE_MARK) == 1  # one reading of where the link goes (L5)
    gaps = json.loads(route(REFERRAL, "json"))["gaps"]
    assert [g["id"] for g in gaps] == ["gap-long-term-resident"]
    assert f"{NOTE_MARK} {gaps[0]['text']} {gaps[0]['find_out']}" in text
    assert "not covered by indcli" not in text and "First:" not in text
    summary = flat(out(["explain"], fmt))
    assert f"{INFERENCE_MARK} a case the IND page only links to" in summary


# --- My IND after a written application (5), DigiD summary (6) --------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_my_ind_after_a_written_application_is_marked_and_says_what_the_page_says(fmt):
    data = json.loads(route(PAPER, "json"))
    item = next(i for i in data["follow_up"] if i["id"] == "my-ind-digid-paper")
    assert item["basis"] == "inference"
    text = flat(route(PAPER, fmt))
    assert f"{INFERENCE_MARK} {item['basis_note']}" in text
    assert "says how to get it" not in text
    # after applying, "first" has no point of reference (M6); the page's own My IND
    # sentence is not marked page on a paper route (M1)
    assert "first apply" not in flat(" ".join(i["text"] for i in data["follow_up"]))
    assert "follow-in-my-ind" not in [i["id"] for i in data["follow_up"]]
    assert "Without it, apply for DigiD or verification via sms" in text
    digid = json.loads(out(["explain", "digid"], "json"))
    written = next(p for p in digid["body"] if "online or on paper" in p["text"])
    assert written["basis"] == "inference"
    assert f"{INFERENCE_MARK} {written['basis_note']}" in flat(out(["explain", "digid"], fmt))
    assert "first apply" not in digid["summary"]  # true whatever DigiD you have (M5)
    assert "how to get it" not in flat(out(["explain"], fmt))


# --- no "offers both" after online was closed (7) ---------------------------------------


@pytest.mark.parametrize("closed", ["--temporary-permit", "--public-funds"])
def test_a_closed_online_way_is_not_followed_by_you_can_choose_either(closed):
    flags = [
        *("--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no"),
        *("--prefer", "paper", "--partner-abroad", "no"),
    ]
    flags[flags.index(closed) + 1] = "yes"
    data = json.loads(route(flags, "json"))
    assert [r["rule"] for r in data["reasons"]] != []
    assert "prefers-paper" not in [r["rule"] for r in data["reasons"]]
    for fmt in ("text", "markdown"):
        text = flat(route(flags, fmt))
        assert "you cannot use the online application" in text
        assert "The IND page offers both" not in text
    chosen = json.loads(route(PAPER_CHOSEN, "json"))
    assert "prefers-paper" in [r["rule"] for r in chosen["reasons"]]


# --- the written form (8) and First: ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_written_form_is_the_one_the_page_lists_and_first_is_a_real_first_step(fmt):
    text = flat(route(PAPER, fmt))
    assert "Apply on paper with the form the IND page lists" in text
    assert "Download and print the paper form the IND page lists" in text
    assert "written" not in text.replace("in writing", "")  # one name for it (L4)
    if fmt == "text":
        assert "First: Download and print the paper form the IND page lists" in text
        online = flat(route(ONLINE))
        assert "First: You need DigiD with verification via sms for the online application" in (
            online
        )


# --- Berichtenbox: one story on the address (9), saving (10); iDeal note (11) ------------


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_mijnoverheid_address_is_indcli_s_in_both_places(fmt):
    address = f"{INFERENCE_MARK} the MijnOverheid website is https://mijn.overheid.nl"
    steps = flat(out(["berichtenbox-steps"], fmt))
    topic = flat(out(["explain", "berichtenbox"], fmt))
    assert address in steps.replace("<", "").replace(">", "")
    assert address in topic.replace("<", "").replace(">", "")
    assert "gives no address" not in topic
    assert "and save your changes. From then on you receive post from the IND digitally" in topic
    ideal = flat(out(["explain", "ideal"], fmt))
    assert "(see below)" not in ideal


# --- help texts (12, 13) ------------------------------------------------------------------


def test_question_help_is_backed_by_its_quote_as_the_prompt_shows_it(monkeypatch):
    helps: dict[str, str] = {}
    original = prompts.select

    def recording(message, choices, help_text=None, default=None, **kw):
        helps[message] = help_text or ""
        return original(message, choices, help_text, default, **kw)

    monkeypatch.setattr(prompts, "select", recording)
    keys = "2\r" * 3 + "1\r" * 2 + "3\r" + "1\r" + "\r" + "n\r"  # numbers: none preselected
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            result = run(make_app(*PACKS, interactive=True), ["route"])
    assert result.exit_code == 0, result.stderr
    flow = make_app(*PACKS).catalog.flows["partner-permit"]
    funds = flow.question("public-funds")
    assert "extra money from your municipality" in helps[funds.prompt]
    assert "Then you ask the municipality where you live for some extra money." in (
        funds.source.quote
    )
    permit = flow.question("partner-permit")
    assert "partner does not have a Dutch residence permit" in helps[permit.prompt]
    assert "Your partner does not have a Dutch residence permit" in permit.source.quote
    assert "Your partner has a Dutch residence permit" in permit.source.quote


def test_the_main_help_promises_nothing_the_page_does_not():
    result = run(make_app(*PACKS), ["--help"])
    assert result.exit_code == 0
    assert "right the first time" not in " ".join(result.stdout.split())
