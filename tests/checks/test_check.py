"""``indcli check``: clean on the shipped packs, and each kind of problem caught."""

from __future__ import annotations

import datetime
import json

import click
import indcli_public_funds
import pytest
from conftest import (
    PACKS,
    failing_app,
    make_pack,
    outcome_toml,
    question_toml,
    rule_toml,
    topic_toml,
)
from flowgen import random_flow

from indcli.checks.flow_checks import check_flow
from indcli.testing import make_app, run

TODAY = datetime.date.today()
FRESH = f'{{ source = "s", quote = "A sentence.", checked = {TODAY} }}'


def question(qid: str, order: int = 10) -> str:
    return question_toml(qid, order=str(order), source=FRESH)


def outcome(oid: str) -> str:
    return outcome_toml(oid, source=FRESH)


def rule(rid: str, when: str | None = None, priority: int = 0, **kind: str) -> str:
    """An outcome rule (``outcome="x"``) or an advice rule (``advice="warning"``)."""
    ((key, value),) = kind.items()
    return rule_toml(rid, when, **{key: f'"{value}"'}, priority=str(priority), source=FRESH)


A_YES = '{ question = "a", is = "yes" }'
A_NO = '{ question = "a", is = "no" }'
B_YES = '{ question = "b", is = "yes" }'


def all_of(*conditions: str) -> str:
    return f"{{ all = [{', '.join(conditions)}] }}"


HEADER = """
[[flows]]
id = "tiny"
title = "Tiny"
"""
# Clean: every combination of a and b reaches one outcome, and every part takes effect.
CLEAN = [
    question("a", 10),
    question("b", 20),
    outcome("first"),
    outcome("second"),
    rule("a-first", A_YES, 10, outcome="first"),
    rule("otherwise-second", outcome="second"),
    rule("b-warning", B_YES, advice="warning"),
]


def tiny(*parts: str, without: tuple[str, ...] = ()) -> str:
    kept = [p for p in CLEAN if not any(f'id = "{w}"' in p for w in without)]
    return HEADER + "".join(kept + list(parts))


def check(*packs, args=()):
    """Run ``indcli check --format json`` on ``packs``: (exit code, data)."""
    result = run(failing_app(*packs), ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def only(data: dict, severity: str | None = None) -> list[dict]:
    return [p for p in data["problems"] if severity in (None, p["severity"])]


def test_the_shipped_packs_pass():
    code, data = check(*PACKS)
    assert code == 0 and data["ok"] and data["errors"] == 0, data["problems"]
    assert data["packs"] == ["indcli-berichtenbox", "indcli-partner-permit", "indcli-public-funds"]
    (flow,) = data["flows"]
    assert flow["id"] == "partner-permit" and flow["enumerated"]
    assert flow["combinations"] == 2 * 2 * 2 * 2 * 2 * 3 * 2 * 2
    assert flow["outcomes_reached"] == flow["outcomes"] and len(flow["outcomes"]) == 4
    for fmt in ("text", "markdown"):
        result = run(make_app(*PACKS), ["check", "--format", fmt])
        assert result.exit_code == 0 and "partner-permit" in result.stdout
        assert result.stderr == ""


def test_a_clean_synthetic_flow_passes_even_strictly(tmp_path):
    code, data = check(make_pack("indcli-tiny", tmp_path, tiny()), args=["--strict"])
    assert (code, data["problems"]) == (0, [])
    assert data["flows"][0]["combinations"] == 4 and data["flows"][0]["gaps"] == 0


def test_invalid_content_is_an_error_and_not_a_load_warning(tmp_path):
    bad = make_pack("indcli-bad", tmp_path, topic_toml("x").replace("summary", "sumary"))
    result = run(failing_app(*PACKS, bad), ["check"])
    assert result.exit_code == 1
    assert result.stderr == ""  # listed as a problem, not warned about first
    assert "error: indcli-bad, content.toml, topics[0]" in result.stdout
    assert "sumary" in result.stdout


def test_duplicate_ids_across_packs(tmp_path):
    first = make_pack("indcli-aa", tmp_path, topic_toml("shared"))
    second = make_pack("indcli-zz", tmp_path, topic_toml("shared"))
    code, data = check(first, second)
    assert code == 1
    problems = only(data)  # nothing names either pack for the topic: neither loads
    assert [p["pack"] for p in problems] == ["indcli-aa", "indcli-zz"]
    assert all(p["severity"] == "error" for p in problems)
    assert "topic 'shared' is also contributed by indcli-aa" in problems[1]["message"]
    assert problems[1]["related"] == ["indcli-aa"]


@pytest.mark.parametrize(
    ("part", "message"),
    [
        (rule("x", '{ question = "nope", is = "yes" }', advice="warning"), "unknown question"),
        (rule("x", A_YES, 50, outcome="nowhere"), "routes to unknown outcome 'nowhere'"),
    ],
)
def test_a_reference_to_nothing(tmp_path, part, message):
    code, data = check(make_pack("indcli-tiny", tmp_path, tiny(part)))
    assert code == 1
    (problem,) = only(data, "error")
    assert problem["pack"] == "indcli-tiny" and message in problem["message"]


def test_a_gap(tmp_path):
    b_second = rule("b-second", B_YES, outcome="second")
    content = tiny(b_second, without=("otherwise-second",))
    code, data = check(make_pack("indcli-tiny", tmp_path, content))
    assert code == 1
    (gap,) = only(data, "error")
    assert gap["item"] == "flow 'tiny'" and gap["field"] == "rules"
    assert "1 of 4 answer combinations reach no outcome, for example a=no, b=no" in gap["message"]
    assert data["flows"][0]["gaps"] == 1


def test_a_conflict(tmp_path):
    conflicting = rule("a-second", A_YES, 10, outcome="second")
    code, data = check(make_pack("indcli-tiny", tmp_path, tiny(conflicting)))
    assert code == 1
    (conflict,) = only(data, "error")
    assert conflict["item"] == "flow 'tiny' rule 'a-second'" and conflict["field"] == "priority"
    assert "holds together with rule 'a-first'" in conflict["message"]
    assert "routes to 'second' instead of 'first'" in conflict["message"]
    assert data["flows"][0]["conflicts"] == 2  # a=yes, with b either way


def test_an_outcome_rule_at_the_same_priority_with_the_same_outcome_is_no_conflict(tmp_path):
    same = rule("a-first-too", B_YES, 10, outcome="first")
    code, data = check(make_pack("indcli-tiny", tmp_path, tiny(same)))
    assert code == 0 and only(data) == []


@pytest.mark.parametrize(
    ("parts", "why"),
    [
        ((outcome("third"),), "no outcome rule routes to it"),
        (
            (outcome("third"), rule("a-third", A_YES, -5, outcome="third")),
            "its rules (a-third) never decide the outcome",
        ),
    ],
)
def test_an_unreachable_outcome(tmp_path, parts, why):
    code, data = check(make_pack("indcli-tiny", tmp_path, tiny(*parts)))
    assert code == 1
    (problem,) = only(data, "error")
    assert problem["item"] == "flow 'tiny' outcome 'third'"
    assert problem["message"] == f"no answers lead to it: {why}"
    assert data["flows"][0]["outcomes_reached"] == ["first", "second"]


@pytest.mark.parametrize(
    ("part", "field", "message"),
    [
        (
            rule("a-first-again", A_YES, 5, outcome="first"),
            "priority",
            "a rule with a higher priority holds too (for example 'a-first')",
        ),
        (
            rule("never", all_of(A_YES, A_NO), 20, outcome="first"),
            "when",
            "its condition never holds",
        ),
        (
            rule("first-without-a", all_of('{ outcome = "first" }', A_NO), advice="step"),
            "when",
            "holds only with an outcome those answers never reach",
        ),
    ],
)
def test_a_shadowed_rule_is_a_warning(tmp_path, part, field, message):
    pack = make_pack("indcli-tiny", tmp_path, tiny(part))
    code, data = check(pack)
    assert code == 0 and data["ok"]
    (problem,) = only(data)
    assert problem["severity"] == "warning" and problem["field"] == field
    assert problem["item"].startswith("flow 'tiny' rule ")
    assert message in problem["message"]
    assert check(pack, args=["--strict"])[0] == 1


def test_an_unused_question(tmp_path):
    code, data = check(make_pack("indcli-tiny", tmp_path, tiny(question("c", 30))))
    assert code == 0
    (problem,) = only(data)
    assert problem["severity"] == "warning"
    assert problem["item"] == "flow 'tiny' question 'c'"
    assert "no rule tests it" in problem["message"]
    assert data["flows"][0]["combinations"] == 4  # c cannot change anything: not tried


def test_an_old_checked_date_is_a_warning_that_strict_turns_into_a_failure(tmp_path):
    old = tiny().replace(str(TODAY), "2020-01-01", 1)  # the first item: question a
    pack = make_pack("indcli-tiny", tmp_path, old)
    code, data = check(pack)
    assert code == 0 and data["ok"]
    (stale,) = only(data)
    assert stale["severity"] == "warning" and stale["field"] == "source.checked"
    assert stale["item"] == "flow 'tiny' question 'a'"
    assert "last checked against its source on 2020-01-01" in stale["message"]
    code, data = check(pack, args=["--strict"])
    assert code == 1 and not data["ok"]


def test_a_pointer_to_a_loaded_pack_that_lacks_the_target(tmp_path):
    related = 'related = [{ label = "See", topic = "nope", pack = "indcli-public-funds" }]'
    pointing = topic_toml("mine").replace("source = ", f"{related}\n    source = ", 1)
    pack = make_pack("indcli-pointing", tmp_path, pointing)
    code, data = check(pack, indcli_public_funds)
    (problem,) = only(data)
    assert code == 0 and problem["severity"] == "warning"
    assert (problem["item"], problem["field"]) == ("topic 'mine'", "related[0]")
    assert "topic 'nope' of pack indcli-public-funds, which is loaded" in problem["message"]
    assert only(check(pack)[1]) == []  # not installed: fine, indcli says what to install


def test_a_flow_nobody_owns_is_reported_not_checked(tmp_path):
    extension = make_pack("indcli-ext", tmp_path, tiny().replace('title = "Tiny"', ""))
    code, data = check(extension)
    (problem,) = only(data)
    assert code == 0 and "no loaded pack owns this flow" in problem["message"]
    assert data["flows"][0]["enumerated"] is False


def test_past_the_limit_the_diagrams_give_the_same_problems(tmp_path, all_packs):
    app = make_app(make_pack("indcli-tiny", tmp_path, tiny()))
    flows = [app.catalog.flows["tiny"], all_packs.load_catalog().flow("partner-permit")]
    flows += [random_flow(seed) for seed in range(80)]
    methods = set()
    for flow in flows:
        enumerated, summary = check_flow(flow)
        symbolic, by_diagrams = check_flow(flow, limit=0)
        assert summary.enumerated and not by_diagrams.enumerated
        assert by_diagrams.method == "diagrams"
        assert symbolic == enumerated, flow
        assert {**summary.as_dict(), "enumerated": False, "method": "diagrams"} == (
            by_diagrams.as_dict()
        )
        methods.update(p.message.split(" ")[0] for p in enumerated)
    assert len(methods) > 3  # gaps, conflicts, overrides, shadowed rules... took part


def test_json_shape(tmp_path):
    _, data = check(*PACKS, make_pack("indcli-tiny", tmp_path, tiny(question("c", 30))))
    assert {"schema_version", "command", "ok", "errors", "warnings", "problems", "flows"} <= (
        data.keys()
    )
    assert (data["schema_version"], data["command"]) == (1, "check")
    assert data["warnings"] == 1 and data["errors"] == 0
    for problem in data["problems"]:
        assert list(problem) == [
            "severity",
            "pack",
            "file",
            "item",
            "field",
            "message",
            "related",
            "loading",
            "line",
        ]
    for flow in data["flows"]:
        assert {"id", "combinations", "outcomes_reached", "owner", "packs"} <= flow.keys()


def test_named_packs_show_only_their_problems(tmp_path):
    tiny_pack = make_pack("indcli-tiny", tmp_path, tiny(question("c", 30)))
    code, data = check(*PACKS, tiny_pack, args=["indcli-partner-permit"])
    assert code == 0 and data["packs"] == ["indcli-partner-permit"]
    assert only(data) == [] and [f["id"] for f in data["flows"]] == ["partner-permit"]
    code, data = check(*PACKS, tiny_pack, args=["INDCLI_TINY"])
    assert data["packs"] == ["indcli-tiny"] and len(only(data)) == 1


def test_an_unknown_pack_name_is_a_usage_error_listing_the_installed_ones():
    result = run(make_app(*PACKS), ["check", "indcli-nope"])
    assert result.exit_code == 2
    assert "no pack 'indcli-nope' is installed" in result.stderr
    assert "indcli-berichtenbox, indcli-partner-permit, indcli-public-funds" in result.stderr


def test_no_pack_can_replace_check(tmp_path):
    app = failing_app(make_pack("indcli-hijack", tmp_path, commands=[click.Command("check")]))
    assert "core command" in app.load_catalog().packs[0].error
    assert run(app, ["check", "--help"]).exit_code == 0
