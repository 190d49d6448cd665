"""`indcli explain`: topics from packs, listing, unknown topics."""

from __future__ import annotations

import json

import indcli_berichtenbox
import indcli_partner_permit
import indcli_public_funds
import pytest
from conftest import PACKS, make_pack, topic_toml

from indcli.testing import make_app, run


def test_public_funds_topic_holds_the_whole_section_with_sources():
    result = run(make_app(*PACKS), ["explain", "public-funds", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["command"] == "explain"
    assert {"topic", "title", "summary", "body", "related", "source"} <= data.keys()
    assert data["topic"] == "public-funds" and data["source"]["url"].startswith("https://ind.nl/")
    text = " ".join(p["text"] for p in data["body"])
    for fact in (
        "do not have enough money to live on",
        "municipality where you live",
        "funded from taxes",
        "premiums",
        "unemployment benefit",
        "unfit to work",
        "cannot use the online application",
        "General form for an application at the IND for a family member",
    ):
        assert fact in text, fact
    assert all(p["source"]["quote"] for p in data["body"])
    assert data["related"][0]["command"] == "indcli route" and data["related"][0]["installed"]


def test_text_and_markdown():
    text = " ".join(run(make_app(indcli_public_funds), ["explain", "public-funds"]).stdout.split())
    assert text.startswith("Benefit from public funds Extra money")
    assert "Sources" in text and "install pack indcli-partner-permit" in text
    md = run(make_app(indcli_public_funds), ["explain", "public-funds", "--format", "markdown"])
    assert md.stdout.startswith("# Benefit from public funds") and "[^1]:" in md.stdout


TOPICS = {
    "berichtenbox": "indcli-berichtenbox",
    "digid": "indcli-partner-permit",
    "ideal": "indcli-partner-permit",
    "long-term-resident-eu": "indcli-partner-permit",
    "my-ind": "indcli-partner-permit",
    "hand-in": "indcli-partner-permit",
    "public-funds": "indcli-public-funds",
    "temporary-residence-permit": "indcli-partner-permit",
}


def test_listing_topics():
    result = run(make_app(*PACKS), ["explain"])
    data = json.loads(run(make_app(*PACKS), ["explain", "--format", "json"]).stdout)
    assert len(data["topics"]) >= 7
    assert {t["id"]: t["pack"] for t in data["topics"]} == TOPICS
    for topic in data["topics"]:  # each with its one-line summary
        assert f"{topic['id']}: " in result.stdout and topic["summary"]


@pytest.mark.parametrize("topic", sorted(TOPICS))
@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_every_topic_can_be_shown_in_every_format(topic, fmt):
    result = run(make_app(*PACKS), ["explain", topic, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert "Logo DigiD" not in result.stdout
    body = make_app(*PACKS).catalog.topics[topic].body
    if fmt != "json" and any(p.basis == "inference" for p in body):
        assert "indcli's reading:" in result.stdout
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["note"], topic  # each says plainly what the page does not say
        assert "does not" in data["note"]
        for paragraph in data["body"]:
            assert paragraph["basis"] in ("page", "inference")
            assert paragraph["source"]["quote"]


def test_the_interview_terms_point_to_their_topics():
    flow = make_app(*PACKS).catalog.flows["partner-permit"]
    unsure = {q.id: q.unsure.topic for q in flow.questions if q.unsure}
    assert unsure == {
        "eu-long-term-resident": "long-term-resident-eu",
        "temporary-permit": "temporary-residence-permit",
        "public-funds": "public-funds",
        "dutch-bank": "ideal",
        "digid": "digid",
        "partner-abroad": "hand-in",
    }


def test_topics_say_only_what_the_page_says():
    data = json.loads(run(make_app(*PACKS), ["explain", "digid", "--format", "json"]).stdout)
    text = " ".join(p["text"] for p in data["body"])
    assert "verification via sms" in text and "check the box verification via sms" in text
    ideal = json.loads(run(make_app(*PACKS), ["explain", "ideal", "--format", "json"]).stdout)
    assert [p["basis"] for p in ideal["body"]] == ["page", "inference"]
    assert "iDeal" in ideal["body"][1]["basis_note"]
    assert "indcli" not in ideal["body"][1]["text"]  # the reading is marked, not narrated


def test_unknown_topic_suggests_the_closest_and_lists_installed(tmp_path):
    extra = make_pack("indcli-extra", tmp_path, topic_toml("zz-extra"))
    result = run(make_app(indcli_public_funds, extra), ["explain", "public-fund"])
    assert result.exit_code == 2
    assert "Did you mean 'public-funds'?" in result.stderr
    assert "Installed topics: public-funds, zz-extra." in result.stderr


def test_no_topics_installed_says_which_pack_to_install(tmp_path):
    guide_only = make_pack("indcli-none", tmp_path)
    listing = run(make_app(guide_only), ["explain"])
    assert listing.exit_code == 0
    assert "pip install indcli-public-funds" in listing.stdout
    missing = run(make_app(guide_only), ["explain", "public-funds"])
    assert missing.exit_code == 2
    assert "pip install indcli-public-funds" in missing.stderr


def test_a_topic_another_pack_points_to_names_its_pack():
    result = run(make_app(indcli_partner_permit), ["explain", "public-funds"])
    assert result.exit_code == 2
    assert "topic 'public-funds' comes from pack indcli-public-funds" in result.stderr


def test_a_topic_of_a_pack_not_installed_names_a_pack_to_install():
    result = run(make_app(indcli_berichtenbox), ["explain", "public-funds"])
    assert result.exit_code == 2
    assert "Installed topics: berichtenbox." in result.stderr
    assert "pip install indcli-public-funds" in result.stderr


def test_topic_ids_are_accepted_in_any_case():
    result = run(make_app(*PACKS), ["explain", "Public-Funds", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["topic"] == "public-funds"
