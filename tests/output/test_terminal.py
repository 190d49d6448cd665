"""The one Terminal: colour, plain mode, widths and the pager, decided in one place."""

from __future__ import annotations

import subprocess

import pytest

from indcli.output import terminal as term
from indcli.output.terminal import LESS_PROMPT, Terminal


@pytest.fixture
def on_a_terminal(monkeypatch):
    monkeypatch.setattr(term, "isatty", lambda stream: True)


@pytest.mark.parametrize(
    "environ, colour",
    [
        ({}, True),
        ({"NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
        ({"INDCLI_PLAIN": "1"}, False),
        ({"INDCLI_PLAIN": "0"}, True),
    ],
)
def test_colour_only_on_a_terminal_that_wants_it(on_a_terminal, environ, colour):
    assert Terminal(environ).color() is colour


def test_plain_mode_from_the_flag_the_variable_or_a_dumb_terminal():
    assert not Terminal({"TERM": "xterm"}).plain
    assert Terminal({"TERM": "dumb"}).plain
    assert Terminal({"INDCLI_PLAIN": "yes"}).plain
    flagged = Terminal({})
    flagged.plain_flag = True
    assert flagged.plain


def test_no_colour_without_a_terminal():
    assert Terminal({}).color() is False  # pytest captures stdout


def paged(monkeypatch, environ, text="line\n" * 200):
    calls = []
    monkeypatch.setattr(
        subprocess, "run", lambda argv, **kw: calls.append((argv, kw["env"])), raising=True
    )
    Terminal(environ).page(text)
    return calls


def test_the_pager_says_how_to_quit(on_a_terminal, monkeypatch):
    [(argv, env)] = paged(monkeypatch, {"PAGER": "less"})
    assert argv == ["less", "-Ps" + LESS_PROMPT]
    assert "q to quit" in LESS_PROMPT
    assert env["LESS"] == "FRX"


def test_a_less_prompt_of_the_users_own_is_kept(on_a_terminal, monkeypatch):
    [(argv, env)] = paged(monkeypatch, {"PAGER": "less", "LESS": "-R"})
    assert argv == ["less"] and env["LESS"] == "-R"


def test_no_pager_in_plain_mode(on_a_terminal, monkeypatch, capsys):
    assert paged(monkeypatch, {"PAGER": "less", "TERM": "dumb"}) == []
    assert capsys.readouterr().out.count("line") == 200


def test_a_typo_in_indcli_plain_is_off_and_warned_by_the_cli_only(capsys):
    from indcli.utils.env_flags import flag_warnings

    terminal = Terminal({"INDCLI_PLAIN": "ja"})
    assert not terminal.plain and not terminal.plain
    assert capsys.readouterr().err == ""  # the library never prints
    [warning] = flag_warnings({"INDCLI_PLAIN": "ja"})
    assert "INDCLI_PLAIN=ja is not a boolean" in warning


class _Stream:
    def fileno(self) -> int:
        return 1


@pytest.mark.parametrize(("columns", "expected"), [("100", 80), ("50", 50), ("", 80)])
def test_a_terminal_of_0_columns_falls_back_to_columns_then_80(
    on_a_terminal, monkeypatch, columns, expected
):
    # a pty nobody sized (script, editors' shells) reports 0x0
    monkeypatch.setattr(term.os, "get_terminal_size", lambda fd: term.os.terminal_size((0, 0)))
    terminal = Terminal({"COLUMNS": columns})  # the App's environment, not os.environ
    assert terminal.columns(_Stream()) == (int(columns) if columns else 80)
    assert terminal.prompt_columns() == expected
