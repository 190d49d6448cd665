"""`indcli explain`: topics from packs, listing, unknown topics."""

from __future__ import annotations

import json

import indcli_berichtenbox
import indcli_partner_permit
import indcli_public_funds
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


def test_listing_topics():
    result = run(make_app(*PACKS), ["explain"])
    assert "public-funds: " in result.stdout
    data = json.loads(run(make_app(*PACKS), ["explain", "--format", "json"]).stdout)
    assert [t["id"] for t in data["topics"]] == ["public-funds"]


def test_unknown_topic_suggests_the_closest_and_lists_installed(tmp_path):
    extra = make_pack("indcli-extra", tmp_path, topic_toml("digid"))
    result = run(make_app(*PACKS, extra), ["explain", "public-fund"])
    assert result.exit_code == 2
    assert "Did you mean 'public-funds'?" in result.stderr
    assert "Installed topics: digid, public-funds." in result.stderr


def test_no_topics_installed_says_which_pack_to_install():
    listing = run(make_app(indcli_berichtenbox), ["explain"])
    assert listing.exit_code == 0
    assert "pip install indcli-public-funds" in listing.stdout
    missing = run(make_app(indcli_berichtenbox), ["explain", "public-funds"])
    assert missing.exit_code == 2
    assert "pip install indcli-public-funds" in missing.stderr


def test_a_topic_another_pack_points_to_names_its_pack():
    result = run(make_app(indcli_partner_permit), ["explain", "public-funds"])
    assert result.exit_code == 2
    assert "topic 'public-funds' comes from pack indcli-public-funds" in result.stderr
