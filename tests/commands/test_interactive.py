"""Prompts driven like a person at a terminal, through prompt_toolkit's pipe input."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import indcli_berichtenbox
import indcli_partner_permit
import pytest
from conftest import PACKS
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from indcli.commands.support import prompts
from indcli.testing import make_app, run

ENTER, DOWN, UP, CTRL_C = "\r", "\x1b[B", "\x1b[A", "\x03"
YES, NO = "1" + ENTER, "2" + ENTER  # no choice is preselected: a number, then Enter
ONLINE, PAPER, SMS = "1" + ENTER, "2" + ENTER, "3" + ENTER
SHOW = ENTER  # the review's first choice, "Show my route", where its pointer starts
FINISH = SHOW + "n" + ENTER  # show the route, then do not save it


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

    def recording(message, choices, help_text=None, default=None, **kw):
        shown.append(message)
        return original(message, choices, help_text, default, **kw)

    monkeypatch.setattr(prompts, "select", recording)
    return shown


def interactive_run(args, keys, packs=PACKS):
    with terminal(keys):
        return run(make_app(*packs, interactive=True), args)


ABROAD = "Is your partner abroad?"
TEMPORARY = "Do you have a temporary residence permit?"
FUNDS = "Do you receive (additional) benefit from public funds?"
LONG_TERM = "Are you or is your partner a long-term resident EU in another Member State?"
REVIEW = "Is this right?"
SAVE = "Save this route as a markdown checklist?"
AGAIN = "Start again? Every answer is forgotten."


def test_temporary_permit_is_never_asked_about_digid_bank_or_partner_permit(asked):
    # long-term resident EU: no; temporary permit: yes; partner abroad: yes
    result = interactive_run(["route"], NO + YES + YES + FINISH)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, TEMPORARY, ABROAD, REVIEW, SAVE]
    assert "Your route: Apply on paper" in result.stdout
    assert "General form for an application at the IND for a family member" in result.stdout
    assert "Same answers without questions" in result.stdout
    flat = " ".join(result.stdout.split()).replace(" \\ ", " ")
    rerun = "indcli route --eu-long-term-resident no --temporary-permit yes --partner-abroad yes"
    assert rerun in flat


def test_long_term_resident_eu_is_asked_nothing_further(asked):
    result = interactive_run(["route", "--format", "json"], YES + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, REVIEW]
    data = json.loads(result.stdout)
    assert data["outcome"]["channel"] == "referral"
    assert data["rerun"] == "indcli route --eu-long-term-resident yes"
    assert "Same answers without questions: indcli route" in result.stderr


def test_full_online_interview_asks_each_question_once(asked):
    keys = NO + NO + NO + ONLINE + YES + SMS + NO + SHOW
    result = interactive_run(["route", "--format", "json"], keys)
    assert result.exit_code == 0, result.stderr
    questions = asked[:-1]
    assert len(questions) == len(set(questions)) == 7  # partner-abroad does not matter online
    assert json.loads(result.stdout)["outcome"]["id"] == "online-partner-no-permit"


def test_flags_given_are_not_asked_again(asked):
    result = interactive_run(
        ["route", "--eu-long-term-resident", "no", "--temporary-permit", "yes"], YES + FINISH
    )
    assert result.exit_code == 0, result.stderr
    assert asked == [ABROAD, REVIEW, SAVE]


def test_nothing_to_ask_means_no_review(asked):
    result = interactive_run(["route", "--eu-long-term-resident", "yes"], "")
    assert result.exit_code == 0, result.stderr
    assert asked == []


# --- the result at a glance ------------------------------------------------------------


def test_the_result_opens_with_form_channel_start_and_first_step():
    result = interactive_run(["route"], NO + YES + YES + FINISH)
    assert result.exit_code == 0, result.stderr
    top = ("Your route:" + result.stdout.split("Your route:", 1)[1]).splitlines()[:6]
    text = " ".join(" ".join(top).split())
    assert "Form (on paper): General form for an application at the IND" in text
    assert "Start at: https://ind.nl/" in text
    data = json.loads(interactive_run(["route", "--format", "json"], NO + YES + YES + SHOW).stdout)
    first = data["steps"][0]["text"].split(". ")[0]  # not the form finder, for everyone
    assert f"First: {first}" in text
    out = result.stdout.split("Your route:", 1)[1]
    assert out.index("How to apply") < out.index("After you apply") < out.index("Why")
    assert out.index("Why") < out.index("Your answers") < out.index("Sources")
    assert "Do you have a temporary residence permit? Yes" in " ".join(out.split())
    assert "Answers that did not matter" not in out  # the interview asked only what mattered


def test_answers_given_that_did_not_matter_are_said_in_words():
    args = ["route", "--eu-long-term-resident", "no", "--temporary-permit", "yes",
            "--digid", "sms", "--partner-abroad", "no"]  # fmt: skip
    result = run(make_app(*PACKS), args)
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Answers that did not matter" in out
    assert "Do you have DigiD, and with verification via sms? I have DigiD with" in out


# --- back, review, change, start again -------------------------------------------------

BACK_FROM_2 = UP + ENTER  # Back is the last choice; Up from the first goes there


def test_back_returns_to_the_previous_question_with_its_answer_preselected(asked):
    # no, then Back at the temporary-permit question; Enter keeps "no" (preselected)
    keys = NO + BACK_FROM_2 + ENTER + YES + YES + FINISH
    result = interactive_run(["route", "--format", "markdown"], keys)
    assert result.exit_code == 0, result.stderr
    assert asked[:4] == [LONG_TERM, TEMPORARY, LONG_TERM, TEMPORARY]
    assert "--eu-long-term-resident no --temporary-permit yes" in result.stdout


def record_choices(monkeypatch) -> list[list[str]]:
    """The labels of every select prompt shown, in order (the prompts still run)."""
    offered: list[list[str]] = []
    original = prompts.select

    def recording(message, choices, help_text=None, default=None, **kw):
        offered.append([label for _, label in choices])
        return original(message, choices, help_text, default, **kw)

    monkeypatch.setattr(prompts, "select", recording)
    return offered


def test_back_is_offered_on_every_question_after_the_first(monkeypatch):
    offered = record_choices(monkeypatch)
    keys = NO + NO + NO + ONLINE + YES + SMS + NO + SHOW
    assert interactive_run(["route", "--format", "json"], keys).exit_code == 0
    assert "Back" not in offered[0]
    assert all(labels[-1] == "Back" for labels in offered[1:])


def test_one_wrong_enter_on_the_first_question_is_not_final(asked):
    # Enter on "Yes" (referral), then at the review: Change an answer, the first
    # question, answer "No"; only what that makes relevant is asked, then review again.
    change_first = DOWN + ENTER + YES + NO
    keys = YES + change_first + YES + YES + FINISH
    result = interactive_run(["route", "--format", "json"], keys)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, REVIEW, "Which answer do you want to change?", LONG_TERM,
                     TEMPORARY, ABROAD, REVIEW]  # fmt: skip
    data = json.loads(result.stdout)
    assert data["outcome"]["id"] == "paper-family-member"
    assert data["answers"] == {"eu-long-term-resident": "no", "temporary-permit": "yes",
                               "partner-abroad": "yes"}  # fmt: skip


def test_changing_an_answer_drops_answers_that_stop_mattering(asked):
    # paper via temporary permit; then change temporary permit to no: the funds,
    # prefer... questions become relevant; partner-abroad (answered) is kept, not asked.
    change_temporary = DOWN + ENTER + NO + NO
    prefer_paper = PAPER
    keys = NO + YES + YES + change_temporary + NO + prefer_paper + SHOW
    result = interactive_run(["route", "--format", "json"], keys)
    assert result.exit_code == 0, result.stderr
    assert asked[6:] == [FUNDS, "Do you want to apply online, or on paper?", REVIEW]
    data = json.loads(result.stdout)
    assert data["answers"]["temporary-permit"] == "no"
    assert data["answers"]["partner-abroad"] == "yes"


def test_changing_to_online_drops_the_paper_only_answer(asked):
    change_temporary = DOWN + ENTER + NO + NO
    keys = NO + YES + YES + change_temporary + NO + ONLINE + YES + SMS + NO
    result = interactive_run(["route", "--format", "json"], keys + SHOW)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["outcome"]["id"] == "online-partner-no-permit"
    assert "partner-abroad" not in data["answers"]  # it stopped mattering: dropped


def test_start_again_asks_from_the_first_question(asked):
    start_again = DOWN + DOWN + ENTER + YES  # asked first: yes
    keys = YES + start_again + NO + YES + YES + SHOW
    result = interactive_run(["route", "--format", "json"], keys)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, REVIEW, AGAIN, LONG_TERM, TEMPORARY, ABROAD, REVIEW]
    assert json.loads(result.stdout)["outcome"]["id"] == "paper-family-member"


def test_the_review_lists_every_answer_in_words():
    result = interactive_run(["route"], NO + YES + YES + FINISH)
    before = result.stdout.split("Your route:")[0]
    assert "Your answers:" in before
    assert f"{TEMPORARY} Yes" in " ".join(before.split())


# --- the channel, and "not sure" -------------------------------------------------------


def test_an_answer_that_rules_out_online_says_so_before_the_next_question(asked):
    keys = NO + NO + NO + ONLINE + NO  # online preferred, then no iDeal
    result = interactive_run(["route"], keys + YES + FINISH)
    assert result.exit_code == 0, result.stderr
    before = " ".join(result.stdout.split("Your answers:")[0].split())
    assert before.startswith("\u2192") or " \u2192 " in before  # the one line, then
    assert "iDeal" in before.split("\u2192")[1] and "The page: \u201c" in before
    assert asked[5] == ABROAD


UNSURE = "3" + ENTER


def test_not_sure_shows_a_short_explanation_and_asks_again(asked):
    result = interactive_run(["route"], NO + NO + UNSURE + YES + YES + FINISH)
    assert result.exit_code == 0, result.stderr
    assert asked.count(FUNDS) == 2
    shown = result.stdout.split("\u2192")[0].split("legal advice.")[1].strip().splitlines()
    assert len(shown) <= 8
    assert shown[-1] == "Full explanation: indcli explain public-funds"
    assert "Related:" not in result.stdout.split("Your answers:")[0]


def test_not_sure_twice_offers_a_way_forward_not_the_same_text(asked, monkeypatch):
    offered = record_choices(monkeypatch)
    keys = NO + NO + UNSURE + UNSURE + NO + PAPER + YES + FINISH
    result = interactive_run(["route"], keys)
    assert result.exit_code == 0, result.stderr
    before = " ".join(result.stdout.split("Your answers:")[0].split())
    assert before.count("Full explanation: indcli explain public-funds") == 1
    assert "Still not sure? What each answer leads to:" in before
    assert "indcli's reading" in before  # the way forward is marked as indcli's
    assert "Apply on paper with the form the IND page lists" in before
    assert "Stop here, find out, and go on later" in offered[4]


def test_stop_after_not_sure_prints_how_to_go_on(asked):
    stop = "3" + ENTER  # yes, no, stop, back
    result = interactive_run(["route"], NO + NO + UNSURE + UNSURE + stop)
    assert result.exit_code == 0, result.stderr
    assert "go on with: indcli route --eu-long-term-resident no --temporary-permit no" in (
        " ".join(result.stdout.split())
    )


def test_not_sure_without_the_topic_pack_says_which_pack_to_install(asked):
    keys = NO + NO + UNSURE + NO + PAPER + YES + FINISH
    result = interactive_run(["route"], keys, packs=[indcli_partner_permit])
    assert result.exit_code == 0, result.stderr
    assert "pip install indcli-public-funds" in result.stdout


# --- interrupting and resuming ---------------------------------------------------------


def test_ctrl_c_exits_130_writes_nothing_and_says_how_to_go_on(tmp_path, asked):
    target = tmp_path / "plan.md"
    result = interactive_run(["route", "--output", str(target)], NO + CTRL_C)
    assert result.exit_code == 130
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert line == (
        f"Interrupted. Go on later with: indcli route --eu-long-term-resident no --output {target}"
    )
    assert list(tmp_path.iterdir()) == []
    # the line, run, asks only what is left and finishes the route
    args = line.split("Go on later with: indcli ")[1].split()
    resumed = interactive_run(args, YES + YES + SHOW)
    assert resumed.exit_code == 0, resumed.stderr
    assert asked[2:] == [TEMPORARY, ABROAD, REVIEW]
    assert target.exists()


def test_ctrl_c_at_the_review_resumes_with_every_answer(asked):
    result = interactive_run(["route"], NO + YES + YES + CTRL_C)
    assert result.exit_code == 130
    assert result.stderr.strip().endswith(
        "indcli route --eu-long-term-resident no --temporary-permit yes --partner-abroad yes"
        " --review"
    )


def test_no_input_never_prompts_even_on_a_terminal(asked):
    result = interactive_run(["route", "--no-input"], "")
    assert result.exit_code == 2
    assert asked == []


# --- saving, and stdout piped ----------------------------------------------------------


def test_saving_writes_a_private_markdown_checklist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = interactive_run(["route"], NO + YES + YES + SHOW + "y" + ENTER + ENTER)
    assert result.exit_code == 0, result.stderr
    saved = tmp_path / "my-route.md"
    assert (saved.stat().st_mode & 0o777) == 0o600
    text = saved.read_text()
    assert text.startswith("# Your route:") and "- [ ] " in text and "## Your answers" in text
    assert "Saved your checklist to my-route.md" in result.stdout


def test_declining_to_save_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = interactive_run(["route"], NO + YES + YES + FINISH)
    assert result.exit_code == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_stdout_piped_asks_on_the_terminal_and_writes_only_the_result(monkeypatch, asked):
    from indcli.output import terminal as term

    # stdin and stderr are the terminal, stdout is piped
    monkeypatch.setattr(term, "isatty", lambda stream: stream is not sys.stdout)
    with terminal(NO + YES + YES + SHOW):
        result = run(make_app(*PACKS, interactive=None), ["route"])
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, TEMPORARY, ABROAD, REVIEW]
    assert result.stdout.startswith("Your route: Apply on paper")
    assert "Your answers:" in result.stderr  # the review is interview text, not result


# --- the berichtenbox walk-through -----------------------------------------------------


def walk(keys, args=("berichtenbox-steps", "--interactive")):
    return interactive_run(list(args), keys, packs=[indcli_berichtenbox])


def test_walk_through_shows_the_intro_then_asks_which_case_applies_at_step_3():
    keys = ENTER + ENTER + "2" + ENTER + ENTER * 6  # go on, go on, the second case
    result = walk(keys)
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert out.index("is a personal, secured mailbox") < out.index("Step 1 of 8")
    assert "Step 8 of 8" in out
    assert "You will then access MijnOverheid." in out  # the case chosen
    assert "You will be asked to activate your account" not in out  # the other case
    assert "From now on you will receive post from the IND digitally." in out


def test_walk_through_offers_back_at_every_step_after_the_first(monkeypatch):
    offered = record_choices(monkeypatch)
    result = walk(ENTER + ENTER + "2" + ENTER + ENTER * 6)
    assert result.exit_code == 0, result.stderr
    assert not any(label.startswith("Back") for label in offered[0])
    assert all(any(label.startswith("Back") for label in labels) for labels in offered[1:])


def test_walk_through_back_shows_the_previous_step_again():
    back = "3" + ENTER  # go on, stop, back
    stop = "2" + ENTER
    result = walk(ENTER + back + ENTER + stop)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Step 1 of 8") == 2
    assert "Pick up later with: indcli berichtenbox-steps --interactive --step 3" in result.stdout


def test_walk_through_can_stop_and_says_where_to_pick_up():
    result = walk(ENTER + "2" + ENTER, ["berichtenbox-steps", "-i"])
    assert result.exit_code == 0, result.stderr
    assert "indcli berichtenbox-steps --interactive --step 3" in result.stdout


def test_walk_through_ctrl_c_exits_130_with_the_step_to_go_on_from():
    result = walk(ENTER + CTRL_C)
    assert result.exit_code == 130
    assert result.stderr.strip() == (
        "Interrupted. Go on later with: indcli berichtenbox-steps --interactive --step 2"
    )


def test_walk_through_needs_a_terminal():
    result = run(make_app(indcli_berichtenbox), ["berichtenbox-steps", "--interactive"])
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr


# --- typed keys (the same keys on a real terminal: test_interview_pty.py) -------------


@pytest.mark.parametrize("typed", ["n", "no", "2", "N"])
def test_typed_keys_answer_the_question(asked, typed):
    result = interactive_run(["route", "--format", "json"], typed + ENTER + "y\r" + "1\r" + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, TEMPORARY, ABROAD, REVIEW]
    assert json.loads(result.stdout)["answers"]["eu-long-term-resident"] == "no"


@pytest.mark.parametrize("back", ["b\r", "\x7f\r", "x\x7f\x7f\r"], ids=["b", "bs", "x-bs-bs"])
def test_b_or_backspace_on_an_empty_line_is_back(asked, back):
    result = interactive_run(["route", "--format", "json"], "n\r" + back + ENTER + "y\ry\r" + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked[:3] == [LONG_TERM, TEMPORARY, LONG_TERM]


def test_question_mark_is_not_sure(asked):
    result = interactive_run(["route"], "n\rn\r?\r" + "y\ry\r" + FINISH)
    assert result.exit_code == 0, result.stderr
    assert asked.count(FUNDS) == 2
    assert "Full explanation: indcli explain public-funds" in result.stdout


def test_a_stray_key_then_enter_submits_nothing(asked):
    result = interactive_run(["route", "--format", "json"], "x\r" + "n\r" + "y\ry\r" + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked[0] == LONG_TERM and asked.count(LONG_TERM) == 1
    assert json.loads(result.stdout)["answers"]["eu-long-term-resident"] == "no"


# --- keys people type (round three) ---------------------------------------------------


@pytest.mark.parametrize(
    "keys",
    ["yn\r", "12\r", "x2\r", "jnee\r", "y\x1b[Bn\r"],
    ids=["y-n", "1-2", "x-2", "ja-nee", "y-down-n"],
)
def test_the_last_key_that_picks_a_choice_counts(asked, keys):
    result = interactive_run(["route", "--format", "json"], keys + "y\ry\r" + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked[:2] == [LONG_TERM, TEMPORARY]
    assert json.loads(result.stdout)["answers"]["eu-long-term-resident"] == "no"


PREFER = [("online", "Online"), ("paper", "On paper (in writing)"), (prompts.BACK, "Back")]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("onl", "online"), ("p", "paper"), ("on p", "paper"), ("ONLINE", "online"), ("2", "paper"),
     ("on", None), ("o", None), ("b", prompts.BACK), ("x", None)],
)  # fmt: skip
def test_a_start_picks_a_choice_only_when_it_starts_one(typed, value):
    assert prompts.match(typed, PREFER) == value


def test_a_start_of_two_choices_names_both():
    said = prompts.not_a_choice("on", PREFER)
    assert said == "'on' matches Online and On paper (in writing): type more or a number."
    assert prompts.not_a_choice("x", PREFER).startswith("'x' is not one of the choices.")


def test_yes_and_no_in_dutch_and_any_case():
    yes_no = [("yes", "Yes"), ("no", "No")]
    for typed, value in (("Y", "yes"), ("ja", "yes"), ("J", "yes"), ("nee", "no"), ("N", "no")):
        assert prompts.match(typed, yes_no) == value, typed


def test_typed_keys_on_the_prefer_question(asked):
    # o, n: two choices start so, Enter answers nothing; then "onl" answers Online
    keys = NO + NO + NO + "on\r" + "onl\r" + NO + YES
    result = interactive_run(["route", "--format", "json"], keys + "3\r" + "2\r" + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked.count("Do you want to apply online, or on paper?") == 1
    assert json.loads(result.stdout)["answers"]["prefer"] == "online"


def test_enter_alone_at_a_new_question_answers_nothing(asked):
    result = interactive_run(["route", "--format", "json"], ENTER + ENTER + NO + YES + YES + SHOW)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, TEMPORARY, ABROAD, REVIEW]  # the Enters answered nothing
    assert json.loads(result.stdout)["answers"]["eu-long-term-resident"] == "no"


def test_start_again_asks_first_and_no_keeps_every_answer(asked):
    keys = NO + YES + YES + DOWN + DOWN + ENTER + ENTER + SHOW  # Start again; Enter: no
    result = interactive_run(["route", "--format", "json"], keys)
    assert result.exit_code == 0, result.stderr
    assert asked == [LONG_TERM, TEMPORARY, ABROAD, REVIEW, AGAIN, REVIEW]
    assert json.loads(result.stdout)["outcome"]["id"] == "paper-family-member"


def test_a_change_says_which_answers_no_longer_matter_and_the_new_channel():
    online = NO + NO + NO + ONLINE + YES + SMS + NO
    change_temporary = DOWN + ENTER + NO + YES  # the temporary permit: now yes
    result = interactive_run(["route"], online + change_temporary + YES + FINISH)
    assert result.exit_code == 0, result.stderr
    said = " ".join(
        result.stdout.split("What your change changed:")[1].split("Your answers:")[0].split()
    )
    assert "No longer needed: Do you receive (additional) benefit from public funds? (No)" in said
    assert "Can you pay with iDeal" in said and "Do you have DigiD" in said
    assert "Channel: online \u2192 paper" in said
    assert "\u2192 You have a temporary residence permit" in said  # the line a first run shows


def test_the_count_is_the_longest_way_and_after_a_resume_what_is_left():
    result = interactive_run(["route"], CTRL_C)
    assert "in at most 7 questions" in " ".join(result.stdout.split())
    args = ["route", "--eu-long-term-resident", "no", "--temporary-permit", "no",
            "--public-funds", "no", "--prefer", "online"]  # fmt: skip
    result = interactive_run(args, CTRL_C)
    assert "in at most 3 questions" in " ".join(result.stdout.split())
