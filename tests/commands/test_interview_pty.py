"""The interview as a person meets it: a real process on a pseudo-terminal.

Each test starts ``indcli`` with a pty as its terminal, waits for what it prints before
typing (never a sleep), and kills and reaps it in ``finally``. Plain mode is checked on
the raw bytes: not one ESC reaches the terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest
from conftest import default_sigint

PACKS = "indcli-partner-permit,indcli-public-funds,indcli-berichtenbox"
LONG_TERM = b"Are you or is your partner a long-term resident EU"
TEMPORARY = b"Do you have a temporary residence permit?"
ABROAD = b"Is your partner abroad?"
REVIEW = b"Is this right?"
SAVE = b"Save this route as a markdown checklist?"
FILE_NAME = b"File name:"
ENTER = b"\r"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def _terminal_child() -> None:
    """In the child: the pty is the controlling terminal, and Ctrl-C (SIGINT) has its
    default handler even when the suite was started with it ignored."""
    default_sigint()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Session:
    """indcli on a pty (stdin, stderr and, unless piped, stdout), read as it prints."""

    def __init__(self, args, env=None, cols=80, pipe_stdout=False, cwd=None):
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
        environ = {
            **os.environ,
            "INDCLI_LOAD_PLUGINS": PACKS,
            "INDCLI_NO_CACHE": "1",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "TERM": "xterm",
            "PAGER": "cat",
        }
        for name in ("INDCLI_PLAIN", "NO_COLOR", "LESS", "COLUMNS", "LINES"):
            environ.pop(name, None)
        environ.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indcli", *args],
            stdin=follower,
            stdout=subprocess.PIPE if pipe_stdout else follower,
            stderr=follower,
            env=environ,
            cwd=cwd,
            start_new_session=True,  # then the pty becomes its controlling terminal
            preexec_fn=_terminal_child,
        )
        os.close(follower)
        self.seen = b""
        self.mark = 0  # expect() looks after this point

    def expect(self, text: bytes, timeout: float = 30) -> bytes:
        """Read until ``text`` appears after the last match; what was read up to it."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.seen.find(text, self.mark)
            if found >= 0:
                start, self.mark = self.mark, found + len(text)
                return self.seen[start : self.mark]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never printed {text!r}; printed: {self.seen[-1500:]!r}")
            ready, _, _ = select.select([self.leader], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.leader, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"ended before {text!r}; printed: {self.seen[-1500:]!r}")
                self.seen += chunk

    def send(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def finish(self, timeout: float = 30) -> int:
        """Read to the end; the exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.leader, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                self.seen += chunk
            elif self.process.poll() is not None:
                break
        return self.process.wait(timeout=max(1, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        os.close(self.leader)


@pytest.fixture
def session():
    started: list[Session] = []

    def start(*args, **kwargs) -> Session:
        started.append(Session(args, **kwargs))
        return started[-1]

    yield start
    for one in started:
        one.close()


# --- typed keys in the arrow-key prompt -------------------------------------------------


@pytest.mark.parametrize("typed", [b"n", b"2", b"no", b"N"])
def test_typing_n_or_2_at_the_first_question_answers_no(session, typed):
    indcli = session("route")
    indcli.expect(LONG_TERM)
    indcli.send(typed + ENTER)
    indcli.expect(TEMPORARY)  # "no" leads on; "yes" would end at the review
    indcli.send(b"\x03")
    indcli.expect(b"Go on later with: indcli route --eu-long-term-resident no")
    assert indcli.finish() == 130


def test_a_stray_key_then_enter_records_nothing(session):
    indcli = session("route")
    indcli.expect(LONG_TERM)
    indcli.send(b"x" + ENTER)
    indcli.expect(b"'x' is not one of the choices. Type 1-3 or y/n")
    indcli.send(b"\x03")
    out = indcli.expect(b"Go on later with: indcli route")
    assert indcli.finish() == 130
    assert b"--eu-long-term-resident" not in out + indcli.seen[indcli.mark :]


def test_the_hint_says_the_keys_at_40_and_100_columns(session):
    for cols in (40, 100):
        indcli = session("route", cols=cols)
        indcli.expect(b"Member State?")
        indcli.expect(b"1-3 or y/n, then")
        indcli.send(b"\x03")
        assert indcli.finish() == 130


def test_b_goes_back_to_the_first_question(session):
    indcli = session("route")
    indcli.expect(LONG_TERM)
    indcli.send(b"n" + ENTER)
    indcli.expect(TEMPORARY)
    indcli.send(b"b" + ENTER)
    indcli.expect(LONG_TERM)
    indcli.send(b"\x03")
    out = indcli.expect(b"Go on later with: indcli route")
    assert indcli.finish() == 130
    assert b"--eu-long-term-resident" not in indcli.seen[indcli.mark :] + out[-5:]


# --- the opening, and pipes --------------------------------------------------------------


def test_the_opening_says_what_happens_in_at_most_five_lines(session):
    indcli = session("route")
    opening = indcli.expect(LONG_TERM).decode().split("\x1b")[0].strip().splitlines()
    text = " ".join(" ".join(opening).split())
    assert len([line for line in opening if line.strip()]) <= 5
    assert "at most 7 questions" in text  # the longest way through the flow
    assert "b: back" in text and "not sure" in text and "Ctrl-C" in text
    assert "--plain" in text
    assert "not the IND and not legal advice" in text
    assert '"You" is the person in the Netherlands who applies for their partner.' in text
    assert "indcli reads" not in text  # notes about indcli's reading are never above a question
    indcli.send(b"\x03")
    assert indcli.finish() == 130


def test_a_pipe_gets_only_the_result(session):
    indcli = session("route", pipe_stdout=True)
    indcli.expect(LONG_TERM)
    for keys, next_prompt in ((b"n", TEMPORARY), (b"y", ABROAD), (b"y", REVIEW)):
        indcli.send(keys + ENTER)
        indcli.expect(next_prompt)
    indcli.send(b"1" + ENTER)
    indcli.expect(b"Your route went to the pipe")  # a word, on the terminal, of where
    result = indcli.process.stdout.read()
    assert indcli.finish() == 0
    assert result.startswith(b"Your route: Apply on paper")
    assert b"indcli works it out" not in result and b"Your answers:\n" not in result
    assert b"Your answers:" in indcli.seen  # the review went to the terminal


@pytest.mark.parametrize("option", ["--answers", "--batch"])
def test_reading_from_the_terminal_says_so_and_how_to_end(session, option):
    indcli = session("route", option, "-", "--no-input", "--format", "json")
    indcli.expect(b"from the terminal. Type, then Ctrl-D on a line of its own to end")
    indcli.send(b'{"eu-long-term-resident": "ja"}\n\x04')
    indcli.expect(b"eu-long-term-resident")
    assert indcli.finish() == 0


# --- plain mode ---------------------------------------------------------------------------


@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"INDCLI_PLAIN": "1"}], ids=["dumb", "plain"])
def test_plain_mode_answers_with_words_and_numbers_and_no_escape_byte(session, env, tmp_path):
    indcli = session("route", env=env, cwd=tmp_path)
    indcli.expect(b"Plain mode")
    indcli.expect(b"  1. Yes\r\n  2. No\r\n")  # numbered choices, printed once
    indcli.send(b"No\n")
    indcli.expect(TEMPORARY)
    indcli.send(b"b\n")  # back to the first question, then on again
    indcli.expect(LONG_TERM)
    indcli.expect(b"Your earlier answer: No.")
    indcli.send(b"maybe\n")
    indcli.expect(b"'maybe' is not one of the choices.")
    indcli.expect(b"Answer, question 1 of at most 7")  # the prompt again, not the question
    indcli.send(b"r\n")  # r reads the question again
    indcli.expect(LONG_TERM)
    indcli.send(b"2\n")
    indcli.expect(b"Answer: No\r\n")  # what the number meant
    indcli.expect(TEMPORARY)
    indcli.send(b"YES\n")
    indcli.expect(ABROAD)
    indcli.send(b"ja\n")
    indcli.expect(b"Answer: Yes\r\n")
    indcli.expect(REVIEW)
    indcli.send(b"show\n")
    assert b"Your earlier answer: Show" not in indcli.seen  # never an answer not given
    indcli.expect(b"Your route: Apply on paper with the form the IND page lists")
    indcli.expect(SAVE)
    indcli.send(b"n\n")
    assert indcli.finish() == 0
    assert b"\x1b" not in indcli.seen


def test_plain_mode_on_the_command_line(session):
    indcli = session("route", "--plain")
    indcli.expect(b"  1. Yes")
    indcli.send(b"\x03")
    indcli.expect(b"Go on later with: indcli route --plain")
    assert indcli.finish() == 130
    assert b"\x1b" not in indcli.seen


# --- saving -------------------------------------------------------------------------------


def _to_the_save_question(session, tmp_path, env=None):
    indcli = session("route", "--eu-long-term-resident", "yes", "--review", cwd=tmp_path, env=env)
    indcli.expect(REVIEW)
    indcli.send(b"1" + ENTER)
    indcli.expect(SAVE)
    return indcli


def test_saving_twice_asks_before_replacing_and_keeps_the_file(session, tmp_path):
    (tmp_path / "my-route.md").write_text("my own notes\n")
    indcli = _to_the_save_question(session, tmp_path, env={"INDCLI_PLAIN": "1"})
    indcli.send(b"y\n")
    indcli.expect(FILE_NAME)
    indcli.send(b"\n")  # the default name, which exists
    indcli.expect(b"my-route.md already exists. Replace it?")
    indcli.send(b"\n")  # default: no
    indcli.expect(FILE_NAME)
    indcli.send(b"nosuchdir/route.md\n")
    indcli.expect(b"There is no folder nosuchdir.")
    indcli.expect(FILE_NAME)
    indcli.send(b".\n")
    indcli.expect(b". is a folder, not a file name.")
    indcli.expect(FILE_NAME)
    indcli.send(b"kept.md\n")
    indcli.expect(b"Saved your checklist to kept.md")
    assert indcli.finish() == 0
    assert (tmp_path / "my-route.md").read_text() == "my own notes\n"
    assert (tmp_path / "kept.md").read_text().startswith("# Your route:")


def test_saving_expands_the_home_folder(session, tmp_path):
    indcli = _to_the_save_question(session, tmp_path, env={"HOME": str(tmp_path)})
    indcli.send(b"y" + ENTER)  # a key, then Enter, as at every question
    indcli.expect(FILE_NAME)
    indcli.send(b"\x15~/route.md" + ENTER)  # Ctrl-U clears the default name
    indcli.expect(b"Saved your checklist to ~/route.md")
    assert indcli.finish() == 0
    assert (tmp_path / "route.md").exists()


@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_d_at_a_save_question_says_not_saved(session, tmp_path, key):
    indcli = _to_the_save_question(session, tmp_path)
    indcli.send(key)
    indcli.expect(b"The checklist was not saved")
    assert indcli.finish() == 130
    assert b"Your route: Send no application" in indcli.seen or b"Your route:" in indcli.seen
    assert list(tmp_path.iterdir()) == []


def test_the_guide_walk_through_in_plain_mode(session):
    indcli = session("berichtenbox-steps", "--interactive", "--plain")
    indcli.expect(b"Go on to step 2?")
    indcli.expect(b"  1. Yes\r\n  2. Stop here\r\n")
    indcli.send(b"yes\n")
    indcli.expect(b"Step 2 of 8")
    indcli.expect(b"Back to step 1")
    indcli.expect(b"Answer (1-3; b back; r repeats): ")  # at the prompt, not while it prints
    indcli.send(b"\x03")
    indcli.expect(b"Go on later with:")
    indcli.expect(b"indcli berichtenbox-steps --interactive --plain --step 2")
    assert indcli.finish() == 130
    assert b"\x1b" not in indcli.seen


def test_an_error_line_wraps_at_spaces_on_a_narrow_terminal(session):
    indcli = session("route", "--prefer", "sideways", "--no-input", cols=50)
    assert indcli.finish() == 2
    text = indcli.seen.decode().replace("\r\n", "\n")
    error = text[text.index("Error: ") :].rstrip("\n").split("\n")
    assert len(error) == 2 and all(len(line) <= 50 for line in error), error
    assert error[1].startswith("  ") and "'sideways'" in " ".join(error)
