"""Tests of the indcli-example pack, run in-process with indcli.testing: the packs named
take part exactly as when installed, and nothing else installed on the machine does."""

import json

import indcli_example
import indcli_partner_permit

from indcli.testing import check_packs, make_app, route_answers, run

REAL_ROUTE = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}


def app():
    """The pack together with the pack whose route it extends."""
    return make_app(indcli_partner_permit, indcli_example)


def test_the_content_is_valid_and_the_route_has_no_gap_or_conflict():
    # The errors `indcli check` reports for this pack: it fails to load, a route breaks.
    # (It also warns, for instance about a quote last checked over a year ago.)
    problems = check_packs(app(), "indcli-example")
    assert [p.message for p in problems if p.severity == "error"] == []


def test_the_question_joins_the_route():
    result = run(app(), ["route", "--help"])
    assert "--example-demo [yes|no]" in result.stdout


def test_yes_routes_to_the_example_outcome_and_nothing_else_is_needed():
    data = route_answers(app(), {"example-demo": "yes"})
    assert data["outcome"]["id"] == "example-demo"
    assert [reason["rule"] for reason in data["reasons"]] == ["example-demo"]


def test_no_keeps_the_real_route():
    data = route_answers(app(), {"example-demo": "no", **REAL_ROUTE})
    assert data["outcome"]["id"] == "paper-family-member"


def test_the_topic_shows_with_its_source():
    result = run(app(), ["explain", "example-pack", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "The indcli example pack"
    assert data["source"]["url"].startswith("https://")


def test_the_command_lists_each_question_with_its_pack():
    result = run(app(), ["example-questions", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    packs = {q["id"]: q["pack"] for q in json.loads(result.stdout)["questions"]}
    assert packs["example-demo"] == "indcli-example"
    assert packs["prefer"] == "indcli-partner-permit"


def test_the_command_needs_the_route():
    result = run(make_app(indcli_example), ["example-questions"])
    assert result.exit_code == 3
    assert "indcli-partner-permit" in result.stderr
