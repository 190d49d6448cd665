"""The root command: help, version, errors, colour, completion, python -m."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest
from conftest import PACKS, child_environ

from indcli import __version__
from indcli.cli import cli
from indcli.commands.support.registry import CORE_COMMANDS, ROUTE_OPTIONS
from indcli.testing import make_app, run


def test_root_help_puts_applicants_commands_first_and_authors_commands_apart(tmp_path):
    import click
    from conftest import make_pack

    extra = make_pack("indcli-extra", tmp_path, "", commands=[click.Command("mvv-check")])
    out = run(make_app(*PACKS, extra), ["--help"]).stdout
    applicants, _, authors = out.partition("For pack authors and administrators:")
    authors = authors.split("Examples:")[0]
    import re

    def listed(name: str, text: str) -> bool:
        return re.search(rf"\n  {re.escape(name)}(\s|$)", text) is not None

    for name in ("route", "berichtenbox-steps", "explain", "mvv-check"):
        assert listed(name, applicants) and not listed(name, authors), name
    for name in ("plugins", "check", "new-pack", "schema", "docs", "completion"):
        assert listed(name, authors) and not listed(name, applicants), name


def test_help_lists_core_and_pack_commands_with_examples():
    result = run(make_app(*PACKS), ["--help"])
    assert result.exit_code == 0
    for name in ("route", "berichtenbox-steps", "explain", "plugins", "completion"):
        assert f"  {name} " in result.stdout
    assert "Examples:" in result.stdout and "Exit codes:" in result.stdout


def test_version():
    result = run(make_app(), ["--version"])
    assert result.stdout == f"indcli {__version__}\n"


def test_unknown_command_suggests_the_closest():
    result = run(make_app(*PACKS), ["rout"])
    assert result.exit_code == 2
    assert "no command 'rout'. Did you mean 'route'?" in result.stderr


def test_internal_errors_are_one_line_unless_debug(monkeypatch):
    from indcli.output.route_result import RouteResult

    def explode(*args, **kwargs):
        raise ValueError("kaput")

    monkeypatch.setattr(RouteResult, "to_dict", explode)
    args = ["route", "--eu-long-term-resident", "yes"]
    result = run(make_app(*PACKS), args)
    assert result.exit_code == 1
    assert "unexpected internal error (ValueError: kaput)" in result.stderr
    assert "Traceback" not in result.stderr
    debug = run(make_app(*PACKS), ["--debug", *args])
    assert isinstance(debug.exception, ValueError)  # the traceback is shown, not hidden


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell):
    result = run(make_app(), ["completion", shell])
    assert result.exit_code == 0 and "_INDCLI_COMPLETE" in result.stdout


def _subprocess(args, **env):
    environ = {**child_environ(), "NO_COLOR": "", **env}
    return subprocess.run(
        [sys.executable, "-m", "indcli", *args],
        capture_output=True,
        text=True,
        env=environ,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_shell_completion_completes_options_and_values():
    result = _subprocess([], _INDCLI_COMPLETE="bash_complete", COMP_WORDS="indcli route --dig",
                         COMP_CWORD="2")  # fmt: skip
    assert "--digid" in result.stdout
    values = _subprocess([], _INDCLI_COMPLETE="bash_complete",
                         COMP_WORDS="indcli route --digid ", COMP_CWORD="3")  # fmt: skip
    assert set(values.stdout.split()) >= {"plain,none", "plain,no-sms", "plain,sms"}
    topics = _subprocess([], _INDCLI_COMPLETE="bash_complete", COMP_WORDS="indcli explain pub",
                         COMP_CWORD="2")  # fmt: skip
    assert "public-funds" in topics.stdout


def test_no_color_and_no_terminal_mean_plain_text():
    result = _subprocess(["explain", "public-funds"], NO_COLOR="1")
    assert result.returncode == 0 and "\x1b[" not in result.stdout


def test_python_dash_m():
    assert _subprocess(["--version"]).stdout == f"indcli {__version__}\n"


@pytest.mark.parametrize("name", sorted(CORE_COMMANDS))
def test_the_root_help_summary_of_a_core_command_is_its_own(name):
    """The root help lists core commands from the registry, without importing them."""
    module, _, attribute = CORE_COMMANDS[name][0].partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert CORE_COMMANDS[name][1] == command.get_short_help_str(10_000)


def test_the_root_help_lists_commands_served_from_content_with_their_own_summary():
    """The root help lists them from their content's help, without building them."""
    app = make_app(*PACKS)
    assert app.catalog.served
    for name, served in app.catalog.served.items():
        command = cli.get_command(click.Context(cli, obj=app), name)
        assert served.spec.help == command.help


def test_the_reserved_route_options_are_the_route_commands_own():
    from indcli.commands.route import _route_params

    options = {o[2:] for p in _route_params() for o in p.opts if o.startswith("--")}
    assert options | {"help"} == ROUTE_OPTIONS


def test_root_help_shows_every_summary_whole_and_names_plain_mode():
    result = run(make_app(*PACKS), ["--help"])
    text = " ".join(result.stdout.split())
    assert "Explain a term from the IND page, with the sentences it comes from." in text
    assert "...\n" not in result.stdout.split("Commands:", 1)[1]  # no summary is cut
    assert "INDCLI_PLAIN" in text and "indcli route --plain plain mode, for screen readers" in text


@pytest.mark.parametrize("args", [["help"], ["help", "explain"], ["help", "route"]])
def test_help_command_shows_the_same_help_as_dash_dash_help(args):
    app = make_app(*PACKS)
    result = run(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == run(make_app(*PACKS), [*args[1:], "--help"]).stdout


def test_help_for_an_unknown_command_is_the_usual_error():
    result = run(make_app(*PACKS), ["help", "explian"])
    assert result.exit_code == 2
    assert "Did you mean 'explain'?" in result.stderr
