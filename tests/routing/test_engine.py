"""The generic routing engine, on small flows and on a third-party extension of route."""

from __future__ import annotations

import itertools
import json

import indcli_partner_permit
import pytest
from conftest import failing_app, flow_toml, make_pack, outcome_toml, question_toml, rule_toml

from indcli.content.model import condition_from_data
from indcli.routing import engine
from indcli.routing.flow import compile_condition as compile_typed
from indcli.testing import make_app, run

A_YES = '{ question = "a", is = "yes" }'
EXTENSION = flow_toml(
    "partner-permit",
    question_toml(
        "knowledge-migrant",
        order="15",
        prompt='"Is your partner coming as a recognised knowledge migrant?"',
        help='"An example question from a third-party pack."',
    ),
    outcome_toml(
        "see-adviser",
        "referral",
        title='"Talk to your adviser"',
        form='{ title = "None", how = "Ask your adviser." }',
    ),
    rule_toml(
        "knowledge-migrant-adviser",
        '{ all = [{ question = "knowledge-migrant", is = "yes" }, '
        '{ question = "eu-long-term-resident", is = "no" }] }',
        outcome='"see-adviser"',
        priority="95",
        text='"Your adviser handles this."',
    ),
    title=None,
)


def compile_condition(data):
    return compile_typed(condition_from_data(data))


def test_three_valued_conditions():
    both = compile_condition({"all": [{"question": "a", "is": "x"}, {"question": "b", "is": "y"}]})
    either = compile_condition(
        {"any": [{"question": "a", "is": "x"}, {"question": "b", "is": "y"}]}
    )
    negated = compile_condition({"not": {"question": "a", "is": ["x", "z"]}})
    assert both({}, None) is None and both({"a": "w"}, None) is False
    assert both({"a": "x", "b": "y"}, None) is True and both({"a": "x"}, None) is None
    assert either({"a": "x"}, None) is True and either({"a": "w"}, None) is None
    assert either({"a": "w", "b": "w"}, None) is False
    assert negated({}, None) is None and negated({"a": "z"}, None) is False
    outcome = compile_condition({"outcome": ["o1", "o2"]})
    assert outcome({}, None) is None and outcome({}, "o2") is True and outcome({}, "o3") is False
    assert compile_condition(None)({}, None) is True


def test_a_third_party_question_and_rule_join_the_route(tmp_path):
    extra = make_pack("indcli-extra", tmp_path, EXTENSION)
    app = make_app(indcli_partner_permit, extra)
    assert "--knowledge-migrant" in run(app, ["route", "--help"]).stdout
    result = run(app, ["route", "--no-input", "--format", "json",
                       "--eu-long-term-resident", "no", "--knowledge-migrant", "yes"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["outcome"]["id"] == "see-adviser"
    assert data["reasons"][0]["rule"] == "knowledge-migrant-adviser"
    missing = run(app, ["route", "--no-input", "--eu-long-term-resident", "no"])
    assert "--knowledge-migrant (yes|no)" in missing.stderr


def test_the_merge_does_not_depend_on_install_order(tmp_path):
    extra = make_pack("indcli-extra", tmp_path, EXTENSION)
    one = make_app(indcli_partner_permit, extra).catalog.flows["partner-permit"]
    two = make_app(extra, indcli_partner_permit).catalog.flows["partner-permit"]
    assert one.question_ids == two.question_ids
    assert one.question_ids[:3] == [
        "eu-long-term-resident",
        "knowledge-migrant",
        "temporary-permit",
    ]
    assert [r.id for r in one.rules] == [r.id for r in two.rules]
    choices = [q.choice_ids for q in one.questions]
    for combo in itertools.product(*choices):
        answers = dict(zip(one.question_ids, combo, strict=True))
        assert engine.route(one, answers).decision.signature == (
            engine.route(two, answers).decision.signature
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('question = "eu-long-term-resident"', 'question = "no-such-question"'),
            "rule 'knowledge-migrant-adviser' tests unknown question 'no-such-question'",
        ),
        (
            ('is = "no" }]', 'is = "maybe" }]'),
            "tests question 'eu-long-term-resident' for 'maybe', which is not one of its choices",
        ),
        (('outcome = "see-adviser"', 'outcome = "nowhere"'), "routes to unknown outcome 'nowhere'"),
    ],
)
def test_broken_references_fail_only_the_pack_that_has_them(tmp_path, change, message):
    extra = make_pack("indcli-extra", tmp_path, EXTENSION.replace(*change))
    app = failing_app(indcli_partner_permit, extra)
    failed = {p.name: p.error for p in app.catalog.failed}
    assert list(failed) == ["indcli-extra"]
    assert message in failed["indcli-extra"]
    assert "knowledge-migrant" not in app.catalog.flows["partner-permit"].question_ids


def test_an_extension_without_the_owner_is_inert(tmp_path):
    app = make_app(make_pack("indcli-extra", tmp_path, EXTENSION))
    assert not app.catalog.failed
    assert app.catalog.flows["partner-permit"].owner is None


def test_relevance_on_a_small_flow(tmp_path):
    tiny = flow_toml(
        "tiny",
        *(question_toml(q, order=str(n)) for n, q in enumerate(["a", "b", "c"])),
        outcome_toml("first"),
        outcome_toml("second"),
        rule_toml("a-first", A_YES, outcome='"first"', priority="10"),
        rule_toml("otherwise-second", outcome='"second"'),
        rule_toml(
            "advice-on-b",
            '{ all = [{ outcome = "second" }, { question = "b", is = "yes" }] }',
            advice='"warning"',
        ),
        title="Tiny",
    )
    flow = make_app(make_pack("indcli-tiny", tmp_path, tiny)).catalog.flows["tiny"]
    start = engine.route(flow, {})
    assert start.relevant == ["a", "b"]  # c is tested by no rule: never asked
    assert engine.route(flow, {"a": "yes"}).done  # b only matters for outcome "second"
    assert engine.route(flow, {"a": "no"}).relevant == ["b"]
    done = engine.route(flow, {"a": "yes", "b": "yes", "c": "no"})
    assert done.decision.outcome == "first" and done.unused == ["b", "c"]
