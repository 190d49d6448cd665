"""Each pack fully isolated while it loads, no raw byte from a pack on the terminal, and
strict meaning strict everywhere (issue 18)."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType

import click
import pytest
from conftest import (
    PACKS,
    default_sigint,
    failing_app,
    flow_toml,
    make_pack,
    path_pack,
    rule_toml,
    run_indcli,
    topic_toml,
)

from indcli import api, hookimpl
from indcli.errors import PackError
from indcli.packs.loading import PackSource
from indcli.testing import make_app, run


class Custom(BaseException):
    pass


def raising(exc: BaseException, at_import: bool = False) -> PackSource:
    module = ModuleType("indcli_raiser")

    @hookimpl
    def indcli_content():
        raise exc

    module.indcli_content = indcli_content

    def load():
        if at_import:
            raise exc
        return module

    return PackSource("indcli-raiser", "1.0", load)


@pytest.mark.parametrize(
    "exc", [asyncio.CancelledError(), GeneratorExit(), Custom("boom"), KeyboardInterrupt()]
)
@pytest.mark.parametrize("at_import", [False, True])
@pytest.mark.parametrize("command", [["plugins"], ["explain"], ["route", "--help"]])
def test_a_base_exception_in_a_pack_is_that_packs_failure(exc, at_import, command):
    app = failing_app(*PACKS, raising(exc, at_import))
    result = run(app, command)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    (failed,) = app.catalog.failed
    assert failed.name == "indcli-raiser" and type(exc).__name__ in failed.error


def test_printing_while_loading_never_reaches_stdout(tmp_path):
    code = """
    import sys
    print("PRINTED AT IMPORT")

    @hookimpl
    def indcli_commands():
        sys.stderr.write("WRITTEN BY A HOOK\\n")
        return []
    """
    folder = path_pack(tmp_path, "indcli-chatty", code=code)
    proc = run_indcli(
        "explain", "public-funds", "--format", "json", pythonpath=folder, packs="indcli-chatty"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["topic"] == "public-funds"  # nothing before the JSON
    (warning,) = [json.loads(line) for line in proc.stderr.splitlines()]
    message = warning["warning"]["message"]
    assert "indcli-chatty" in message and "PRINTED AT IMPORT" in message
    assert "WRITTEN BY A HOOK" in message


EVIL_HELP = "Pay now \x1b]0;owned\x07 \x1b[5mblink\x1b[0m \u202eevil"


def test_escape_laden_command_help_is_escaped_in_root_help(tmp_path):
    command = click.Command("pay-now", help=EVIL_HELP, short_help=EVIL_HELP)
    app = make_app(*PACKS, make_pack("indcli-evil", tmp_path, commands=[command]))
    for args in (["--help"], ["pay-now", "--help"]):
        result = run(app, args)
        assert result.exit_code == 0
        assert not any(c in result.output for c in "\x1b\x07\u202e"), args
        assert "\\x1b" in result.output


@pytest.mark.parametrize("name", ["pay\x1b[5mnow", "pay now", "Pay", "\u202epay", "x" * 0])
def test_a_pack_command_whose_name_is_not_an_id_is_refused(tmp_path, name):
    command = click.Command(name or None)
    app = failing_app(*PACKS, make_pack("indcli-evil", tmp_path, commands=[command]))
    result = run(app, ["--help"])
    assert result.exit_code == 0 and not any(c in result.output for c in "\x1b\u202e")
    assert [p.name for p in app.catalog.failed] == ["indcli-evil"]


def test_a_distribution_name_with_escapes_is_escaped_in_clash_warnings(tmp_path):
    evil = "indcli-\x1b]0;x\x07evil"
    app = failing_app(*PACKS, make_pack(evil, tmp_path, topic_toml("public-funds")))
    result = run(app, ["explain", "public-funds"])
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;x\\x07evil" in result.stderr
    for fmt in ("text", "markdown", "json"):
        for command in (["check"], ["plugins"], ["explain", "public-funds"]):
            shown = run(app, [*command, "--format", fmt])
            assert not any(c in shown.output for c in "\x1b\x07"), (command, fmt)


# --- strict means strict -------------------------------------------------------------


def broken(tmp_path) -> PackSource:
    return make_pack("indcli-bad", tmp_path, topic_toml("x").replace("summary", "sumary"))


def test_strict_api_route_raises_a_pack_error_naming_the_pack(tmp_path, capsys):
    answers = {"eu-long-term-resident": "yes"}
    lax = api.load([], environ={"INDCLI_NO_CACHE": "1"})
    lax.sources = [*make_app(*PACKS).sources, broken(tmp_path)]
    assert api.route(answers, app=lax).outcome_id == "eu-long-term-resident"
    strict = api.load([], environ={"INDCLI_NO_CACHE": "1", "INDCLI_STRICT_PLUGINS": "1"})
    strict.sources = lax.sources
    with pytest.raises(PackError) as caught:
        api.route(answers, app=strict)
    assert caught.value.pack == "indcli-bad" and "indcli-bad" in caught.value.message
    with pytest.raises(PackError):
        api.explain("public-funds", app=strict)
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_make_app_raises_on_a_pack_that_fails_to_load(tmp_path):
    with pytest.raises(PackError, match=r"indcli-bad.*sumary"):
        make_app(*PACKS, broken(tmp_path))
    assert failing_app(*PACKS, broken(tmp_path)).load_catalog().failed


def test_api_load_refuses_a_bare_string():
    with pytest.raises(TypeError, match="list of pack names"):
        api.load(names="indcli-public-funds")


def test_in_process_packs_show_their_version():
    from indcli.packs.loading import module_source

    assert module_source(PACKS[0]).version == PACKS[0].__version__


def test_an_in_process_pack_without_version_is_not_version_0():
    from indcli.packs.loading import module_source

    bare = ModuleType("indcli_bare")
    assert module_source(bare).version == "unknown"


def test_a_real_ctrl_c_while_a_pack_loads_still_stops_indcli(tmp_path):
    code = """
    import os
    import signal
    import time

    os.kill(os.getpid(), signal.SIGINT)  # as if the user pressed Ctrl-C now
    time.sleep(5)
    """
    folder = path_pack(tmp_path, "indcli-slow", code=code)
    proc = run_indcli("plugins", pythonpath=folder, packs="indcli-slow", preexec_fn=default_sigint)
    assert proc.returncode == 130, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr


def test_a_keyboard_interrupt_a_pack_raises_itself_is_its_failure(tmp_path):
    folder = path_pack(tmp_path, "indcli-liar", code="raise KeyboardInterrupt\n")
    proc = run_indcli("plugins", "--format", "json", pythonpath=folder, packs="indcli-liar")
    assert proc.returncode == 0, proc.stderr
    (entry,) = [p for p in json.loads(proc.stdout)["plugins"] if p["name"] == "indcli-liar"]
    assert entry["status"] == "failed" and "KeyboardInterrupt" in entry["error"]


IGNORING_SIGINT = """
import signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)  # as nohup or a script's `cmd &` start it
sys.argv = ["indcli", "plugins", "--format", "json"]
from indcli.cli import main
main()
"""


def test_with_sigint_ignored_a_packs_keyboard_interrupt_is_its_failure(tmp_path):
    """With SIGINT ignored no real Ctrl-C can come, so a KeyboardInterrupt is the pack's."""
    folder = path_pack(tmp_path, "indcli-liar", code="raise KeyboardInterrupt\n")
    proc = run_indcli(code=IGNORING_SIGINT, pythonpath=folder, packs="indcli-liar")
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    (entry,) = [p for p in json.loads(proc.stdout)["plugins"] if p["name"] == "indcli-liar"]
    assert entry["status"] == "failed" and "KeyboardInterrupt" in entry["error"]


def test_in_another_thread_a_packs_keyboard_interrupt_is_its_failure():
    """Only the main thread can receive a real Ctrl-C."""
    import threading

    module = ModuleType("indcli_liar")

    @hookimpl
    def indcli_content():
        raise KeyboardInterrupt

    module.indcli_content = indcli_content
    found = []
    thread = threading.Thread(
        target=lambda: found.extend(
            failing_app(PackSource("indcli-liar", "1", lambda: module)).load_catalog().packs
        )
    )
    thread.start()
    thread.join(60)
    (pack,) = found
    assert pack.status == "failed" and "KeyboardInterrupt" in pack.error


def test_a_hook_whose_arguments_do_not_match_its_spec_is_that_packs_failure():
    module = ModuleType("indcli_wrong_args")

    @hookimpl
    def indcli_content(config):  # the spec takes no argument
        return []

    module.indcli_content = indcli_content
    app = failing_app(*PACKS, PackSource("indcli-wrong-args", "1.0", lambda: module))
    (failed,) = app.load_catalog().failed
    assert failed.name == "indcli-wrong-args" and "config" in failed.error
    assert run(app, ["explain"]).exit_code == 0


def test_strict_refuses_a_route_decided_by_an_undeclared_override(tmp_path):
    from test_pack_trust import ONLINE, mvv_toml

    answers = {**ONLINE, "eu-long-term-resident": "yes", "mvv-needed": "yes"}
    answers["partner-abroad"] = "no"
    flags = [x for q, v in answers.items() for x in (f"--{q}", v)]
    mvv = make_pack("indcli-mvv", tmp_path, mvv_toml().replace("priority = 100", "priority = 101"))
    lax = make_app(*PACKS, mvv)
    assert run(lax, ["route", "--no-input", *flags]).exit_code == 0  # the override runs
    strict = make_app(*PACKS, mvv, environ={"INDCLI_STRICT_PLUGINS": "1"})
    result = run(strict, ["route", "--no-input", *flags])
    assert result.exit_code == 3 and "eu-long-term-resident-referral" in result.stderr
    assert "INDCLI_DISABLE_PLUGINS=indcli-mvv" in result.stderr
    with pytest.raises(PackError) as caught:
        api.route(answers, app=strict)
    assert caught.value.pack == "indcli-mvv"
    batch = run(strict, ["route", "--batch", "-"], input=json.dumps(answers) + "\n")
    assert batch.exit_code == 3 and batch.stdout == ""
    other = {**answers, "mvv-needed": "no"}  # answers the override never reaches
    with pytest.raises(PackError):  # strict decides from the rules, not from this route
        api.route(other, app=strict)
    assert api.route(other, app=lax).outcome_id == "eu-long-term-resident"


def test_strict_refuses_an_undeclared_override_whatever_the_answers(tmp_path):
    """A rule of priority 500 with no condition routes everyone online: strict mode
    refuses it even for answers that never reach the owner's rules it overrides."""
    grab = flow_toml(
        "partner-permit",
        rule_toml("grab", outcome='"online-partner-no-permit"', priority="500"),
        title=None,
        extends='"indcli-partner-permit"',
    )
    environ = {"INDCLI_STRICT_PLUGINS": "1"}
    strict = make_app(*PACKS, make_pack("indcli-grab", tmp_path, grab), environ=environ)
    for args, stdin in (
        (["route", "--no-input", "--digid", "sms"], None),
        (["route", "--batch", "-"], '{"digid": "sms"}\n'),
        (["explain", "digid"], None),
    ):
        result = run(strict, args, input=stdin)
        assert result.exit_code == 3, (args, result.stdout, result.stderr)
        assert result.stdout == ""
        assert "pack indcli-grab: flow 'partner-permit' rule 'grab' changes the outcome" in (
            result.stderr
        )
        assert "INDCLI_DISABLE_PLUGINS=indcli-grab" in result.stderr
    with pytest.raises(PackError) as caught:
        api.route({"digid": "sms"}, app=strict)
    assert caught.value.pack == "indcli-grab"


@pytest.mark.parametrize("kind", ["fifo", "stdin", "device"])
def test_a_content_path_that_is_not_a_regular_file_fails_its_pack_at_once(tmp_path, kind):
    """A FIFO would hang every command; /dev/stdin would eat the input --batch - needs."""
    import os

    if kind == "fifo":
        path = tmp_path / "content.toml"
        os.mkfifo(path)
    else:
        path = "/dev/stdin" if kind == "stdin" else "/dev/null"
    module = ModuleType("indcli_special")
    module.indcli_content = hookimpl(specname="indcli_content")(lambda: path)
    app = failing_app(*PACKS, PackSource("indcli-special", "1", lambda: module))
    result = run(app, ["route", "--batch", "-"], input='{"eu-long-term-resident": "yes"}\n')
    assert json.loads(result.stdout)["outcome"] == "eu-long-term-resident"
    (failed,) = app.load_catalog().failed
    assert "not a regular file" in failed.error
