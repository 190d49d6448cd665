"""No command hangs without a terminal, and Ctrl-C / Ctrl-D at any prompt exit 130.

The first half runs the installed CLI as a real process (``python -m indcli``) with stdin
from /dev/null and with stdin closed, under a 30 s timeout: a command must finish with a
documented exit code, and where answers are missing it must name the options to give.
The second half drives every prompt (each question of ``route``; the case question and
the confirm of ``berichtenbox-steps --interactive``) through prompt_toolkit's pipe input
and presses Ctrl-C or Ctrl-D there: exit 130, one "Interrupted. Go on later with: ..."
line that resumes where it stopped, and no file written. A
watchdog presses Ctrl-C after a while, so a prompt that ignores a key fails the test
instead of hanging it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

import indcli_berichtenbox
import pytest
from conftest import PACKS, child_environ
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from indcli.commands.support import prompts
from indcli.testing import make_app, run

TIMEOUT = 30
NEEDED = "missing answers: --eu-long-term-resident (yes|no), --temporary-permit (yes|no)"

# (args, exit code, phrases on stdout or stderr)
COMMANDS = {
    "root help": (["--help"], 0, ["Commands:", "route", "Exit codes:"]),
    "root bare": ([], 0, ["Usage: indcli", "Commands:"]),
    "route": (["route"], 2, [NEEDED, "Add them as options or in --answers FILE"]),
    "route json": (["route", "--format", "json"], 2, ['"code":2', "--eu-long-term-resident"]),
    "route no-input": (["route", "--no-input", "--temporary-permit", "yes"], 2,
                       ["missing answers: --eu-long-term-resident (yes|no), --partner-abroad"]),
    "route done": (["route", "--eu-long-term-resident", "yes"], 0, ["Your route:"]),
    "steps": (["berichtenbox-steps"], 0, ["Berichtenbox", "Sources"]),
    "steps interactive": (["berichtenbox-steps", "--interactive"], 2,
                          ["--interactive needs a terminal"]),
    "explain": (["explain"], 0, ["public-funds"]),
    "explain topic": (["explain", "public-funds"], 0, ["Benefit from public funds"]),
    "plugins": (["plugins"], 0, ["indcli-partner-permit"]),
    "completion": (["completion"], 2, ["cannot tell your shell from $SHELL"]),
    "completion bash": (["completion", "bash"], 0, ["_INDCLI_COMPLETE"]),
}  # fmt: skip


def _environ() -> dict[str, str]:
    return {k: v for k, v in child_environ().items() if k != "SHELL"}


def indcli(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    """Run ``python -m indcli ARGS`` with stdin from /dev/null or closed."""
    options: dict = {"stdin": subprocess.DEVNULL}
    if stdin == "closed":
        options = {"stdin": None, "preexec_fn": lambda: os.close(0)}
    try:
        return subprocess.run(
            [sys.executable, "-m", "indcli", *args],
            env=_environ(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            **options,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"indcli {' '.join(args)} hung (no exit within {TIMEOUT} s)")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_finishes_without_a_terminal(name):
    args, code, phrases = COMMANDS[name]
    result = indcli(args, "devnull")
    assert result.returncode == code, result.stderr
    both = result.stdout + result.stderr
    for phrase in phrases:
        assert phrase in both
    assert "Traceback" not in both
    if code:
        assert result.stdout == ""  # nothing half-done on stdout
    if "json" in args:
        assert json.loads(result.stderr)["error"]["code"] == code


@pytest.mark.parametrize("name", ["root help", "route", "steps interactive", "plugins"])
def test_every_command_finishes_with_stdin_closed(name):
    args, code, phrases = COMMANDS[name]
    result = indcli(args, "closed")
    assert result.returncode == code, result.stderr
    for phrase in phrases:
        assert phrase in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("stdin", "phrase"),
    [
        ("devnull", "answers from stdin is empty"),
        ("closed", "cannot read answers from stdin: stdin is closed"),
    ],
)
def test_answers_from_a_missing_stdin_are_a_usage_error(stdin, phrase):
    result = indcli(["route", "--answers", "-", "--no-input"], stdin)
    assert result.returncode == 2, result.stderr
    assert phrase in result.stderr
    assert "internal error" not in result.stderr


# --- Ctrl-C and Ctrl-D at every prompt -------------------------------------------------

ENTER, DOWN, CTRL_C, CTRL_D = "\r", "\x1b[B", "\x03", "\x04"
YES, NO = "1" + ENTER, "2" + ENTER  # no choice is preselected
FIRST = "1" + ENTER
WATCHDOG_SECONDS = 10

# Keys that lead to each question of route (choices are listed yes, no / online, paper /
# none, no-sms, sms), and the prompt of that question.
ROUTE_PATHS = {
    "eu-long-term-resident": "",
    "temporary-permit": NO,
    "partner-abroad": NO + YES,
    "public-funds": NO + NO,
    "prefer": NO + NO + NO,
    "dutch-bank": NO + NO + NO + FIRST,
    "digid": NO + NO + NO + FIRST + YES,
    "partner-permit": NO + NO + NO + FIRST + YES + "3" + ENTER,
}


@contextmanager
def terminal(keys: str):
    """A pipe-input terminal with ``keys`` typed; a watchdog presses Ctrl-C after a while.

    Yields a list that holds True if the watchdog had to step in (a key was ignored).
    """
    fired: list[bool] = []
    with create_pipe_input() as pipe:
        pipe.send_text(keys)

        def rescue():
            fired.append(True)
            with contextlib.suppress(Exception):
                pipe.send_text(CTRL_C * 5)

        watchdog = threading.Timer(WATCHDOG_SECONDS, rescue)
        watchdog.start()
        try:
            with create_app_session(input=pipe, output=DummyOutput()):
                yield fired
        finally:
            watchdog.cancel()


@pytest.fixture
def asked(monkeypatch):
    shown: list[str] = []
    select, confirm = prompts.select, prompts.confirm

    def recording_select(message, choices, help_text=None, default=None, **kw):
        shown.append(message)
        return select(message, choices, help_text, default, **kw)

    def recording_confirm(message, default=True):
        shown.append(message)
        return confirm(message, default)

    monkeypatch.setattr(prompts, "select", recording_select)
    monkeypatch.setattr(prompts, "confirm", recording_confirm)
    return shown


def test_the_paths_reach_every_question_of_route():
    flow = make_app(*PACKS).catalog.flows["partner-permit"]
    assert set(ROUTE_PATHS) == {q.id for q in flow.questions}


def _prompt_of(question_id: str) -> str:
    return make_app(*PACKS).catalog.flows["partner-permit"].question(question_id).prompt


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
@pytest.mark.parametrize("question", ROUTE_PATHS)
def test_interrupting_any_route_question_exits_130_and_writes_nothing(
    tmp_path, monkeypatch, asked, question, key
):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "plan.md"
    with terminal(ROUTE_PATHS[question] + key) as watchdog:
        result = run(make_app(*PACKS, interactive=True), ["route", "--output", str(target)])
    assert not watchdog, f"{key!r} was ignored at '{question}'; the watchdog pressed Ctrl-C"
    assert asked[-1] == _prompt_of(question)  # interrupted at the question meant
    assert result.exit_code == 130, result.stderr
    line = result.stderr.strip()
    assert line.startswith("Interrupted. Go on later with: indcli route ")
    assert line.endswith(f"--output {target}")
    assert "Your route" not in result.stdout  # only the interview's own lines

    assert list(tmp_path.iterdir()) == []  # no file, no temporary file
    # the printed line resumes: it asks the interrupted question first, and finishes
    asked.clear()
    args = line.split(": indcli ", 1)[1].split()
    with terminal(FIRST * 12) as watchdog:
        resumed = run(make_app(*PACKS, interactive=True), args)
    assert not watchdog
    assert resumed.exit_code == 0, resumed.stderr
    assert asked[0] == _prompt_of(question)
    assert target.exists()


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_interrupting_with_json_output_is_one_json_object(tmp_path, key):
    with terminal(NO + key) as watchdog:
        result = run(make_app(*PACKS, interactive=True), ["route", "--format", "json"])
    assert not watchdog
    assert result.exit_code == 130
    assert result.stdout == ""
    error = json.loads(result.stderr.splitlines()[-1])  # after the interview's opening
    assert error["error"] == {
        "code": 130,
        "kind": "interrupted",
        "message": "Interrupted. Go on later with: indcli route --eu-long-term-resident no "
        "--format json",
    }


GO_ON = ENTER
# (keys before the interrupt, the prompt interrupted)
WALK_PROMPTS = {
    "first step": ("", "Go on to step 2?"),
    "case question": (GO_ON + GO_ON, "Which applies to you?"),
    "step after the case": (GO_ON + GO_ON + FIRST, "Go on to step 4?"),
    "last step": (GO_ON + GO_ON + FIRST + GO_ON * 5, "Done with this step?"),
}


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
@pytest.mark.parametrize("where", WALK_PROMPTS)
def test_interrupting_the_walk_through_exits_130_and_writes_nothing(
    tmp_path, monkeypatch, asked, where, key
):
    monkeypatch.chdir(tmp_path)
    keys, prompt = WALK_PROMPTS[where]
    with terminal(keys + key) as watchdog:
        result = run(make_app(indcli_berichtenbox, interactive=True), ["berichtenbox-steps", "-i"])
    assert not watchdog, f"{key!r} was ignored at '{prompt}'; the watchdog pressed Ctrl-C"
    assert asked[-1] == prompt
    assert result.exit_code == 130, result.stderr
    assert result.stderr.strip().startswith(
        "Interrupted. Go on later with: indcli berichtenbox-steps --interactive --step "
    )
    assert "Pick up later" not in result.stdout  # an interrupt is not a clean stop
    assert list(tmp_path.iterdir()) == []


def test_input_ending_at_a_prompt_is_an_interrupt_not_a_hang(tmp_path):
    """stdin that ends mid-interview (a closed pipe) behaves like Ctrl-D."""
    with create_pipe_input() as pipe:
        pipe.send_text(NO)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            result = run(make_app(*PACKS, interactive=True),
                         ["route", "--output", str(tmp_path / "plan.md")])  # fmt: skip
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == []
