"""Prompts driven like a person at a terminal, through prompt_toolkit's pipe input."""

from __future__ import annotations

import json
from contextlib import contextmanager

import indcli_berichtenbox
import indcli_partner_permit
import pytest
from conftest import PACKS
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from indcli import prompts
from indcli.testing import make_app, run

ENTER, DOWN, CTRL_C = "\r", "\x1b[B", "\x03"
YES, NO = ENTER, DOWN + ENTER  # choices are listed yes, no


@contextmanager
def terminal(keys: str):
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            yield


@pytest.fixture
def asked(monkeypatch):
    """The questions (prompt messages) shown, in order."""
    shown: list[str] = []
    original = prompts.select

    def recording(message, choices, help_text=None):
        shown.append(message)
        return original(message, choices, help_text)

    monkeypatch.setattr(prompts, "select", recording)
    return shown


def interactive_run(args, keys, packs=PACKS):
    with terminal(keys):
        return run(make_app(*packs, interactive=True), args)


def test_temporary_permit_is_never_asked_about_digid_bank_or_partner_permit(asked):
    # long-term resident EU: no; temporary permit: yes; partner abroad: yes
    result = interactive_run(["route"], NO + YES + YES)
    assert result.exit_code == 0, result.stderr
    assert asked == [
        "Are you or is your partner a long-term resident EU in another Member State?",
        "Do you have a temporary residence permit?",
        "Is your partner abroad?",
    ]
    assert "General form for an application at the IND for a family member" in result.stdout
    assert "Same answers without questions" in result.stdout
    assert (
        "indcli route --eu-long-term-resident no --temporary-permit yes --partner-abroad yes"
        in result.stdout
    )


def test_long_term_resident_eu_is_asked_nothing_further(asked):
    result = interactive_run(["route", "--format", "json"], YES)
    assert result.exit_code == 0, result.stderr
    assert len(asked) == 1
    data = json.loads(result.stdout)
    assert data["outcome"]["channel"] == "referral"
    assert data["rerun"] == "indcli route --eu-long-term-resident yes"
    assert "Same answers without questions: indcli route" in result.stderr


def test_full_online_interview_asks_each_question_once(asked):
    keys = NO + NO + NO + ENTER + YES + (DOWN + DOWN + ENTER) + NO
    result = interactive_run(["route", "--format", "json"], keys)
    assert result.exit_code == 0, result.stderr
    assert len(asked) == len(set(asked)) == 7  # partner-abroad does not matter online
    assert json.loads(result.stdout)["outcome"]["id"] == "online-partner-no-permit"


def test_flags_given_are_not_asked_again(asked):
    result = interactive_run(
        ["route", "--eu-long-term-resident", "no", "--temporary-permit", "yes"], YES
    )
    assert result.exit_code == 0, result.stderr
    assert asked == ["Is your partner abroad?"]


def test_not_sure_about_public_funds_shows_the_explanation_and_asks_again(asked):
    unsure = DOWN + DOWN + ENTER
    result = interactive_run(["route"], NO + NO + unsure + YES + YES)
    assert result.exit_code == 0, result.stderr
    assert asked.count("Do you receive (additional) benefit from public funds?") == 2
    assert "Then you ask the municipality where you live for some extra money." in result.stdout
    assert "You receive (additional) benefit from public funds" in result.stdout


def test_not_sure_without_the_topic_pack_says_which_pack_to_install(asked):
    unsure = DOWN + DOWN + ENTER
    result = interactive_run(["route"], NO + NO + unsure + NO + DOWN + ENTER + YES + YES,
                             packs=[indcli_partner_permit])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "pip install indcli-public-funds" in result.stdout


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path):
    target = tmp_path / "plan.md"
    result = interactive_run(["route", "--output", str(target)], NO + CTRL_C)
    assert result.exit_code == 130
    assert "Interrupted" in result.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_no_input_never_prompts_even_on_a_terminal(asked):
    result = interactive_run(["route", "--no-input"], "")
    assert result.exit_code == 2
    assert asked == []


# --- the berichtenbox walk-through -----------------------------------------------------


def test_walk_through_asks_which_case_applies_at_step_3():
    go_on = "y"
    keys = go_on + go_on + DOWN + ENTER + go_on * 5
    result = interactive_run(["berichtenbox-steps", "--interactive"], keys,
                             packs=[indcli_berichtenbox])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Step 1 of 8" in out and "Step 8 of 8" in out
    assert "You will then access MijnOverheid." in out  # the case chosen
    assert "You will be asked to activate your account" not in out  # the other case
    assert "From now on you will receive post from the IND digitally." in out


def test_walk_through_can_stop_and_says_where_to_pick_up():
    result = interactive_run(["berichtenbox-steps", "-i"], "y" + "n",
                             packs=[indcli_berichtenbox])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "indcli berichtenbox-steps --interactive --step 3" in result.stdout


def test_walk_through_ctrl_c_exits_130():
    result = interactive_run(["berichtenbox-steps", "--interactive"], CTRL_C,
                             packs=[indcli_berichtenbox])  # fmt: skip
    assert result.exit_code == 130


def test_walk_through_needs_a_terminal():
    result = run(make_app(indcli_berichtenbox), ["berichtenbox-steps", "--interactive"])
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr
