"""Packs that cannot silently change each other (issue 12): clashes, overrides, blame on
the pack that causes them, the compatibility report, source drift, the route schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import (
    ONLINE,
    PACKS,
    SEED,
    failing_app,
    flow_toml,
    make_pack,
    question_toml,
    rule_toml,
    topic_toml,
)

from indcli.output.route_schema import route_schema
from indcli.testing import check_packs, make_app, route_answers, run

EXAMPLE_SRC = Path(__file__).resolve().parents[2] / "examples" / "indcli_example_pack" / "src"
sys.path.insert(0, str(EXAMPLE_SRC))
import indcli_example  # noqa: E402 (found on the path set just above)

CITE = '{ source = "s", quote = "A sentence.", checked = 2026-11-28 }'


def mvv_toml(overrides: str = "", topic: bool = False) -> str:
    """A pack adding a question and a rule that sends some EU residents to paper."""
    return (topic_toml("public-funds", "Fake public funds") if topic else "") + flow_toml(
        "partner-permit",
        question_toml("mvv-needed", prompt='"MVV?"'),
        rule_toml(
            "mvv-paper",
            '{ all = [{ question = "eu-long-term-resident", is = "yes" }, '
            '{ question = "mvv-needed", is = "yes" }] }',
            outcome='"paper-family-member"',
            priority="100",
            **({"overrides": overrides} if overrides else {}),
        ),
        title=None,
        extends='"indcli-partner-permit"',
    )


def test_an_override_without_naming_the_owners_rule_fails_the_extending_pack(tmp_path):
    app = make_app(*PACKS, make_pack("indcli-mvv-check", tmp_path, mvv_toml()))
    problems = check_packs(app, "indcli-mvv-check")
    mine = [p for p in problems if p.severity == "error" and p.pack == "indcli-mvv-check"]
    fields = {p.field for p in mine}
    assert {"overrides", "priority"} <= fields, problems  # the override and the tie
    override = next(p for p in mine if p.field == "overrides")
    assert "eu-long-term-resident-referral" in override.message
    assert override.related == ("indcli-partner-permit",)
    # the owner sees it too, with the blame on the contributor
    assert override in check_packs(app, "indcli-partner-permit")
    result = run(app, ["check", "indcli-mvv-check"])
    assert result.exit_code == 1 and "mvv-paper" in result.stdout


def test_a_named_override_is_allowed_and_the_route_says_who_decided(tmp_path):
    toml = mvv_toml('["eu-long-term-resident-referral"]').replace(
        "priority = 100", "priority = 101"
    )
    app = make_app(*PACKS, make_pack("indcli-mvv-check", tmp_path, toml))
    assert [p for p in check_packs(app, "indcli-mvv-check") if p.severity == "error"] == []
    answers = {
        **ONLINE,
        "eu-long-term-resident": "yes",
        "mvv-needed": "yes",
        "partner-abroad": "no",
    }
    data = route_answers(app, answers)
    assert data["outcome"]["id"] == "paper-family-member"
    (warning,) = [w for w in data["warnings"] if w["id"] == "outcome-from-another-pack"]
    assert warning["pack"] == "indcli-mvv-check" and "mvv-paper" in warning["text"]
    args = ["route", *(x for q, v in answers.items() for x in (f"--{q}", v))]
    text = run(app, args)
    assert text.exit_code == 0 and "pack indcli-mvv-check" in text.stdout
    batch = run(app, ["route", "--batch", "-"], input=json.dumps(answers) + "\n")
    assert "outcome-from-another-pack" in json.loads(batch.stdout)["warnings"]
    # a route the owner decides carries no such warning
    data = route_answers(app, {**ONLINE, "mvv-needed": "no"})
    assert all(w["id"] != "outcome-from-another-pack" for w in data["warnings"])


def test_a_topic_impostor_is_knocked_out_and_check_names_topic_and_rule(tmp_path):
    impostor = make_pack("indcli-aaa-mvv", tmp_path, mvv_toml(topic=True))
    app = failing_app(*PACKS, impostor)
    shown = run(app, ["explain", "public-funds", "--format", "json"])
    assert json.loads(shown.stdout)["pack"] == "indcli-public-funds"
    result = run(app, ["check", "indcli-aaa-mvv"])
    assert result.exit_code == 1
    assert "topic 'public-funds'" in result.stdout and "mvv-paper" in result.stdout
    # either side: the pack it knocked into sees the clash too
    public = check_packs(app, "indcli-public-funds")
    assert any(p.pack == "indcli-aaa-mvv" for p in public), public


def test_an_impostor_that_names_itself_is_never_shown(tmp_path):
    toml = topic_toml("public-funds", "Fake") + topic_toml(
        "mine", "Mine", '{ label = "l", topic = "public-funds", pack = "indcli-aaa-fake" }'
    )
    app = failing_app(*PACKS, make_pack("indcli-aaa-fake", tmp_path, toml))
    result = run(app, ["explain", "public-funds"])
    assert "Fake" not in result.stdout  # whether explain then fails or shows the real one
    assert "indcli-aaa-fake" in result.stderr and "indcli-public-funds" in result.stderr


def test_strict_mode_makes_check_of_one_pack_fail_on_any_load_problem(tmp_path):
    bad = make_pack("indcli-bad", tmp_path, topic_toml("x").replace("summary", "sumary"))
    packs = (*PACKS, bad)
    assert run(failing_app(*packs), ["check", "indcli-berichtenbox"]).exit_code == 0
    strict = failing_app(*packs, environ={"INDCLI_STRICT_PLUGINS": "1"})
    result = run(strict, ["check", "indcli-berichtenbox"])
    assert result.exit_code == 1 and "indcli-bad" in result.stdout


def test_a_missing_extends_is_a_warning(tmp_path):
    toml = mvv_toml('["eu-long-term-resident-referral"]').replace(
        'extends = "indcli-partner-permit"', ""
    )
    app = make_app(*PACKS, make_pack("indcli-mvv-check", tmp_path, toml))
    assert any(p.field == "extends" for p in check_packs(app, "indcli-mvv-check"))


def test_compat_reports_the_answer_sets_that_now_need_the_example_question():
    app = make_app(*PACKS, indcli_example)
    result = run(app, ["check", "indcli-example", "--compat", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    (flow,) = json.loads(result.stdout)["compat"]["indcli-example"]
    more = flow["needs_more_answers"]
    assert more["count"] == flow["answers_before"] > 0
    assert more["examples"][0]["missing"] == ["example-demo"]
    assert flow["outcome_changes"]["count"] > 0
    assert flow["outcome_changes"]["examples"][0]["after"] == "example-demo"
    text = run(app, ["check", "indcli-example", "--compat"])
    assert "now need more answers" in text.stdout and "--example-demo" in text.stdout
    assert run(app, ["check", "--compat"]).exit_code == 2


def test_source_file_is_clean_on_the_shipped_packs_and_catches_a_changed_sentence(tmp_path):
    app = make_app(*PACKS)
    ok = run(app, ["check", "--source-file", f"ind-partner-forms={SEED}", "--format", "json"])
    assert ok.exit_code == 0, ok.stdout
    text = SEED.read_text(encoding="utf-8")
    sentence = "The online application is usually faster."
    assert sentence in text
    changed = tmp_path / "page.html"
    changed.write_text(
        "<html><body><p>"
        + text.replace(sentence, "The online application is always faster.")
        + "</p></body></html>",
        encoding="utf-8",
    )
    bad = run(app, ["check", "--source-file", f"ind-partner-forms={changed}", "--format", "json"])
    assert bad.exit_code == 1
    drift = [p for p in json.loads(bad.stdout)["problems"] if p["field"] == "source.quote"]
    assert drift and all(p["item"] for p in drift)
    assert "usually faster" in drift[0]["message"] and "always faster" in drift[0]["message"]
    assert "closest passage" in drift[0]["message"]
    unknown = run(app, ["check", "--source-file", f"nope={SEED}"])
    assert unknown.exit_code == 2 and "ind-partner-forms" in unknown.stderr


def _conforms(value, schema, defs):
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    for key in schema.get("required", []):
        assert key in value, key
    for key, sub in schema.get("properties", {}).items():
        if key in value:
            _conforms(value[key], sub, defs)
    if "items" in schema:
        for item in value:
            _conforms(item, schema["items"], defs)
    if "enum" in schema:
        assert value in schema["enum"]


@pytest.mark.parametrize("answers", [ONLINE, {"eu-long-term-resident": "yes"}])
def test_route_json_conforms_to_the_route_schema(answers):
    schema = route_schema()
    data = route_answers(make_app(*PACKS), answers)
    _conforms(data, schema, schema["$defs"])
    assert set(data) <= set(schema["properties"])
