"""The smoke suite: what a newcomer and a script do first, as real processes.

CI (``.ci/run``) runs this file again in a venv with the lowest versions pyproject.toml
declares (``.ci/lowest_pins.py``), so bare ``indcli``, a scripted route, help, ``check``
and the interview on a terminal are known to work with the oldest and the newest
click, pydantic and questionary alike.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest
from conftest import child_environ, default_sigint

TIMEOUT = 60
PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]


def indcli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indcli", *args],
        env=child_environ(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_bare_indcli_shows_the_root_help():
    done = indcli()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: indcli") and "\\x0a" not in done.stdout
    assert "Commands:" in done.stdout.splitlines() and done.stderr == ""


@pytest.mark.parametrize("args", [["--help"], ["route", "--help"], ["explain", "--help"]])
def test_help(args):
    done = indcli(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: indcli") and "Examples:" in done.stdout


def test_a_scripted_route():
    text = indcli("route", *PAPER)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Your route: Apply on paper")
    data = json.loads(indcli("route", *PAPER, "--format", "json").stdout)
    assert data["outcome"]["id"] == "paper-family-member"


def test_a_usage_error_is_one_message_with_exit_2():
    done = indcli("route", "--digid", "maybe")
    assert done.returncode == 2 and "Error: " in done.stderr and "Traceback" not in done.stderr


def test_check_passes_on_the_shipped_packs():
    done = indcli("check", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True


class Terminal:
    """indcli on a pseudo-terminal: what it shows, and keys typed into it."""

    def __init__(self, args: list[str]) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        env = child_environ(TERM="xterm", PAGER="cat")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indcli", *args],
            stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
            preexec_fn=default_sigint,
        )  # fmt: skip
        os.close(follower)
        self.seen = ""

    def wait_for(self, pattern: str) -> None:
        """Read until ``pattern`` shows (escape sequences removed), or fail."""
        deadline = time.monotonic() + TIMEOUT
        while not re.search(pattern, self.seen):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.leader], [], [], left)[0]:
                pytest.fail(f"never showed {pattern!r}; the screen: {self.seen[-2000:]}")
            try:
                chunk = os.read(self.leader, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                pytest.fail(f"ended before {pattern!r}; the screen: {self.seen[-2000:]}")
            self.seen += re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", chunk.decode(errors="replace"))

    def type(self, keys: str) -> None:
        self.seen = ""
        os.write(self.leader, keys.encode())

    def close(self) -> None:
        """Kill (if still running) and reap the child; close the terminal."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.leader >= 0:
            os.close(self.leader)
            self.leader = -1


def test_the_interview_on_a_terminal():
    terminal = Terminal(["route", *PAPER[:4], "--no-pager"])
    try:
        terminal.wait_for(r"Is your partner abroad\?")
        terminal.type("y\r")  # no answer is preselected: a key, then Enter
        terminal.wait_for(r"Show my route")
        terminal.type("\r")
        terminal.wait_for(r"Save this route")
        assert "Your route: Apply on paper" in terminal.seen
        terminal.type("n\r")
        assert terminal.process.wait(TIMEOUT) == 0
    finally:
        terminal.close()
