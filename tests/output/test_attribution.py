"""Users can see whose advice they read (issue 18): items of a pack other than the flow's
owner carry its name in text, markdown and JSON; explain says which pack a topic is from."""

from __future__ import annotations

import json

from conftest import PACKS, flow_toml, make_pack, rule_toml

from indcli.output.route_schema import route_schema
from indcli.testing import make_app, route_answers, run

ANSWERS = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}
FLAGS = [x for q, v in ANSWERS.items() for x in (f"--{q}", v)]

TEMPORARY = '{ question = "temporary-permit", is = "yes" }'
ADVICE = flow_toml(
    "partner-permit",
    rule_toml(
        "mvv-tip",
        TEMPORARY,
        advice='"warning"',
        text='"Ask the embassy about an MVV."',
        basis='"inference"',
        basis_note='"our reading"',
    ),
    rule_toml("mvv-why", TEMPORARY, advice='"reason"', text='"The IND says so."'),
    title=None,
    extends='"indcli-partner-permit"',
)


def app(tmp_path):
    return make_app(*PACKS, make_pack("indcli-mvv", tmp_path, ADVICE))


def test_json_items_of_another_pack_carry_it_and_the_owners_do_not(tmp_path):
    data = route_answers(app(tmp_path), ANSWERS)
    (tip,) = [w for w in data["warnings"] if w["id"] == "mvv-tip"]
    (why,) = [r for r in data["reasons"] if r["rule"] == "mvv-why"]
    assert tip["pack"] == why["pack"] == "indcli-mvv"
    owners = [r for r in data["reasons"] if r["rule"] != "mvv-why"]
    assert owners and all("pack" not in r for r in owners)
    pack_schema = route_schema()["$defs"]["advice"]["properties"]["pack"]
    assert pack_schema["type"] == "string"


def test_text_and_markdown_name_the_pack_and_whose_reading_it_is(tmp_path):
    for fmt in ("text", "markdown"):
        result = run(app(tmp_path), ["route", "--no-input", "--format", fmt, *FLAGS])
        out = " ".join(result.stdout.split())
        assert result.exit_code == 0, result.output
        assert "MVV. \u2014 from indcli-mvv" in out and "says so. \u2014 from indcli-mvv" in out
        assert "indcli-mvv's reading" in out
    plain = run(make_app(*PACKS), ["route", "--no-input", *FLAGS])
    assert "\u2014 from" not in plain.stdout


def test_explain_says_which_pack_a_topic_comes_from():
    result = run(make_app(*PACKS), ["explain", "public-funds"])
    assert "This topic comes from pack indcli-public-funds." in " ".join(result.stdout.split())
    data = json.loads(run(make_app(*PACKS), ["berichtenbox-steps", "--format", "json"]).stdout)
    assert data["pack"] == "indcli-berichtenbox"
