"""`indcli route` for scripts: flags, answers files, errors, formats and --output."""

from __future__ import annotations

import json
import os
import re
import stat

import indcli_partner_permit
import pytest
from conftest import PACKS

from indcli.testing import make_app, run

ONLINE_FLAGS = [
    "--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no",
    "--prefer", "online", "--dutch-bank", "yes", "--digid", "sms", "--partner-permit", "yes",
]  # fmt: skip
PAPER_FLAGS = [
    "--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "yes",
]  # fmt: skip


def route(args, app=None, **kwargs):
    return run(app or make_app(*PACKS), ["route", *args], **kwargs)


def test_json_has_every_contract_key_with_sources():
    result = route([*ONLINE_FLAGS, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert data["schema_version"] == 1 and data["command"] == "route"
    assert data["outcome"]["id"] == "online-partner-has-permit"
    assert data["outcome"]["channel"] == "online"
    assert set(data["outcome"]["form"]) == {"title", "how"}
    for key in ("prerequisites", "steps", "follow_up"):
        assert data[key], key
        for item in data[key]:
            assert {"id", "text", "source"} <= item.keys()
            assert {"url", "title", "quote"} <= item["source"].keys()
    for reason in data["reasons"]:
        assert {"rule", "text", "source"} <= reason.keys()
    assert data["rerun"].startswith("indcli route --eu-long-term-resident no")
    assert result.stderr == ""


def test_text_is_a_readable_plan_within_80_columns():
    result = route(PAPER_FLAGS)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "General form for an application at the IND for a family member" in out
    for heading in ("Why", "How to apply", "After you apply", "Sources"):
        assert f"\n{heading}\n" in out
    assert max(len(line) for line in out.splitlines() if "https://" not in line) <= 80
    assert "\x1b" not in out  # no colour when not a terminal


def test_markdown_is_a_checklist():
    result = route([*ONLINE_FLAGS, "--format", "markdown"])
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Your route: Apply online")
    assert md.count("- [ ] ") >= 7  # prerequisites, steps and follow-ups to tick off
    assert "[^1]:" in md  # every cited item has its footnote


def test_explain_adds_the_rule_trace():
    result = route([*PAPER_FLAGS, "--explain"])
    assert "Rule trace" in result.stdout
    text = " ".join(result.stdout.split())
    assert (
        "- fired: temporary-permit-no-online (outcome, indcli-partner-permit) on "
        "temporary-permit=yes" in text
    )
    assert (
        "- did not fire: eu-long-term-resident-referral (outcome, indcli-partner-permit) "
        "on eu-long-term-resident=no" in text
    )


def test_missing_answers_with_no_input_name_exactly_the_options_needed():
    result = route(["--no-input", "--eu-long-term-resident", "no", "--temporary-permit", "no",
                    "--public-funds", "no", "--prefer", "online", "--dutch-bank", "yes",
                    "--digid", "sms"])  # fmt: skip
    assert result.exit_code == 2
    assert "missing answers: --partner-permit (yes|no)." in result.stderr
    assert "--partner-abroad" not in result.stderr


def test_without_a_terminal_missing_answers_are_an_error_not_a_hang():
    result = route(["--temporary-permit", "yes"])  # CliRunner's stdin is not a terminal
    assert result.exit_code == 2
    assert "--eu-long-term-resident (yes|no)" in result.stderr
    assert "--partner-abroad" in result.stderr
    assert "--digid" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--digid", "maybe"], "'maybe' is not one of 'none', 'no-sms', 'sms'"),
        (["--prefer"], "Option '--prefer' requires an argument"),
        (["--colour"], "No such option '--colour'"),
    ],
)
def test_bad_flags_exit_2_naming_the_option(args, message):
    result = route(args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_answers_file_json_toml_and_stdin(tmp_path):
    as_json = tmp_path / "a.json"
    as_json.write_text(json.dumps(dict(zip(PAPER_FLAGS[::2], PAPER_FLAGS[1::2], strict=True)))
                       .replace("--", ""))  # fmt: skip
    as_toml = tmp_path / "a.toml"
    as_toml.write_text(
        'eu-long-term-resident = "no"\ntemporary-permit = "yes"\npartner-abroad = "no"\n'
    )
    for args, kwargs in [
        (["--answers", str(as_json)], {}),
        (["--answers", str(as_toml)], {}),
        (["--answers", "-"], {"input": as_json.read_text()}),
    ]:
        result = route([*args, "--no-input", "--format", "json"], **kwargs)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["outcome"]["id"] == "paper-family-member"


def test_flags_override_the_answers_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"eu-long-term-resident": "no", "temporary-permit": "yes",'
                    ' "partner-abroad": "no"}')  # fmt: skip
    result = route(["--answers", str(path), "--eu-long-term-resident", "yes", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["outcome"]["id"] == "eu-long-term-resident"
    assert data["answers"]["eu-long-term-resident"] == "yes"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"digid": "maybe"}', "\"maybe\" is not a valid answer for 'digid'; use one of: none"),
        ('{"colour": "red"}', "'colour' is not a question of this flow"),
        ('{"digid": true}', "true is not a valid answer for 'digid'"),
        ('["yes"]', "must hold one object of question id -> answer, not a list"),
        # the decoder's own words differ by Python version ("Illegal trailing comma" on 3.13)
        ('{"digid": "sms",}', re.compile(r"is not valid JSON: \w[^\n]* at line 1, column \d+\.")),
        ("digid = ", "is not valid TOML (or JSON)"),
        ("", "is empty"),
    ],
)
def test_bad_answers_files_exit_2_naming_file_and_problem(tmp_path, text, message):
    path = tmp_path / "answers.txt"
    path.write_text(text)
    result = route(["--answers", str(path), "--no-input"])
    assert result.exit_code == 2, result.stdout
    assert f"answers file {path}" in result.stderr
    pattern = message if isinstance(message, re.Pattern) else re.escape(message)
    assert re.search(pattern, result.stderr)
    assert "Traceback" not in result.stderr


def test_non_utf8_answers_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(b'{"digid": "\xff"}')
    result = route(["--answers", str(path)])
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.stderr


def test_missing_answers_file():
    result = route(["--answers", "/nonexistent/answers.json"])
    assert result.exit_code == 2
    assert "/nonexistent/answers.json" in result.stderr


def test_json_errors_are_one_object_on_stderr():
    result = route(["--no-input", "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["schema_version"] == 1 and error["command"] == "route"
    assert error["error"]["code"] == 2
    assert "--eu-long-term-resident" in error["error"]["message"]


def test_output_is_written_atomically_and_privately(tmp_path):
    target = tmp_path / "plan.md"
    result = route([*PAPER_FLAGS, "--format", "markdown", "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text().startswith("# Your route")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["plan.md"]  # no temporary file left behind


def test_failed_output_leaves_the_old_file_alone(tmp_path):
    target = tmp_path / "plan.md"
    target.write_text("old plan")
    result = route(["--no-input", "--output", str(target)])  # fails: answers missing
    assert result.exit_code == 2
    assert target.read_text() == "old plan"
    missing = route([*PAPER_FLAGS, "--output", str(tmp_path / "no" / "plan.md")])
    assert missing.exit_code == 1
    assert "does not exist" in missing.stderr


def test_pointers_name_the_pack_to_install_when_it_is_missing():
    with_all = json.loads(route([*PAPER_FLAGS, "--format", "json"]).stdout)
    see = next(i["see"] for i in with_all["follow_up"] if "see" in i)
    assert see == {**see, "installed": True, "command": "indcli berichtenbox-steps"}
    alone = route([*PAPER_FLAGS, "--public-funds", "yes", "--format", "json"],
                  app=make_app(indcli_partner_permit))  # fmt: skip
    data = json.loads(alone.stdout)
    see = next(i["see"] for i in data["follow_up"] if "see" in i)
    assert see["installed"] is False
    assert "pip install indcli-berichtenbox" in see["text"]
    funds = next(r for r in data["reasons"] if r["rule"] == "public-funds-no-online")
    assert "pip install indcli-public-funds" in funds["see"]["text"]


def test_route_without_the_pack_is_not_a_command():
    result = run(make_app(), ["route"])
    assert result.exit_code == 2
    assert "no command 'route'" in result.stderr


@pytest.mark.parametrize(("kind", "start"), [("mermaid", "flowchart"), ("dot", "digraph")])
def test_graph_draws_the_whole_flow_with_all_four_outcomes(kind, start):
    result = route(["--graph", kind])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(start)
    for outcome in ("online-partner-no-permit", "online-partner-has-permit",
                    "paper-family-member", "eu-long-term-resident"):  # fmt: skip
        assert outcome in result.stdout


def test_choice_values_are_accepted_in_any_case():
    args = ["--eu-long-term-resident", "No", "--temporary-permit", "NO", "--public-funds", "no",
            "--prefer", "Online", "--dutch-bank", "Yes", "--digid", "SMS",
            "--partner-permit", "no", "--format", "json"]  # fmt: skip
    result = route(args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answers"]["prefer"] == "online" and data["answers"]["digid"] == "sms"


# --- values people use: Y/N, ja/nee, and near misses --------------------------------------


@pytest.mark.parametrize("word", ["Y", "YES", "ja", "J", "Ja"])
def test_yes_in_any_case_or_in_dutch_as_an_option_or_in_a_file(word, tmp_path):
    flags = ["--eu-long-term-resident", "nee", "--temporary-permit", word,
             "--partner-abroad", "N", "--format", "json"]  # fmt: skip
    result = route(flags)
    assert result.exit_code == 0, result.stderr
    answers = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}
    assert json.loads(result.stdout)["answers"] == answers
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"eu-long-term-resident": "Nee", "temporary-permit": word,
                                "partner-abroad": "n"}))  # fmt: skip
    from_file = route(["--answers", str(path), "--format", "json"])
    assert json.loads(from_file.stdout)["answers"] == answers


def test_a_near_miss_gets_a_did_you_mean(tmp_path):
    result = route(["--eu-long-term-resident", "yess", "--no-input"])
    assert result.exit_code == 2
    assert "Did you mean 'yes'?" in result.stderr
    path = tmp_path / "answers.json"
    path.write_text('{"temporary_permit": "yes"}')
    result = route(["--answers", str(path), "--no-input"])
    assert result.exit_code == 2
    assert (
        "'temporary_permit' is not a question of this flow. Did you mean 'temporary-permit'?"
        in (" ".join(result.stderr.split()))
    )
    assert "Did you mean" not in route(["--prefer", "sideways", "--no-input"]).stderr
