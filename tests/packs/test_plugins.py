"""Loading packs: isolation of broken packs, conflicts, allow/deny lists, strict mode."""

from __future__ import annotations

import json
from types import ModuleType

import click
import indcli_berichtenbox
import indcli_public_funds
import pytest
from conftest import PACKS, failing_app, make_pack, topic_toml, warning_text

from indcli import hookimpl
from indcli.packs.discovery import normalise
from indcli.packs.loading import PackSource
from indcli.testing import make_app, run


def broken_import() -> PackSource:
    def load():
        raise ImportError("No module named 'requests'")

    return PackSource("indcli-broken", "9.9", load)


def raising_hook() -> PackSource:
    module = ModuleType("indcli_raising")

    @hookimpl
    def indcli_content():
        raise RuntimeError("boom")

    module.indcli_content = indcli_content
    return PackSource("indcli-raising", "1.0", lambda: module)


def invalid_content(tmp_path) -> PackSource:
    return make_pack("indcli-invalid", tmp_path, topic_toml("x").replace("summary", "sumary"))


BROKEN = {
    "import error": (lambda tmp: broken_import(), "indcli-broken", "ImportError"),
    "raising hook": (lambda tmp: raising_hook(), "indcli-raising", "hook indcli_content raised"),
    "invalid content": (invalid_content, "indcli-invalid", "field 'sumary'"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_pack_warns_once_and_everything_else_works(tmp_path, kind):
    factory, name, detail = BROKEN[kind]
    app = failing_app(*PACKS, factory(tmp_path))
    result = run(app, ["explain", "public-funds", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["topic"] == "public-funds"
    warnings = [warning_text(line) for line in result.stderr.strip().splitlines()]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"indcli: warning: pack {name} ")
    assert detail in warnings[0]
    for args in (["--help"], ["berichtenbox-steps", "--step", "1"]):
        assert run(failing_app(*PACKS, factory(tmp_path)), args).exit_code == 0
    listing = run(failing_app(*PACKS, factory(tmp_path)), ["plugins", "--format", "json"])
    assert listing.exit_code == 0
    entry = next(p for p in json.loads(listing.stdout)["plugins"] if p["name"] == name)
    assert entry["status"] == "failed" and detail in entry["error"]
    text = run(failing_app(*PACKS, factory(tmp_path)), ["explain", "public-funds"])
    assert text.stderr.startswith(f"indcli: warning: pack {name} ")  # text without json


@pytest.mark.parametrize("kind", BROKEN)
def test_strict_mode_makes_a_broken_pack_fatal(tmp_path, kind):
    factory, name, _ = BROKEN[kind]
    app = failing_app(*PACKS, factory(tmp_path), environ={"INDCLI_STRICT_PLUGINS": "1"})
    result = run(app, ["explain", "public-funds"])
    assert result.exit_code == 3
    assert name in result.stderr and "INDCLI_STRICT_PLUGINS" in result.stderr
    listing = run(
        failing_app(*PACKS, factory(tmp_path), environ={"INDCLI_STRICT_PLUGINS": "1"}),
        ["plugins"],
    )
    assert listing.exit_code == 3 and name in listing.stdout  # still lists, then fails


def test_version_needs_no_packs(tmp_path):
    result = run(
        failing_app(broken_import(), environ={"INDCLI_STRICT_PLUGINS": "1"}), ["--version"]
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("indcli ")


def test_invalid_content_is_not_half_loaded(tmp_path):
    content = topic_toml("good-topic") + '\n[[guides]]\nid = "g"\n'  # guide lacks fields
    app = failing_app(make_pack("indcli-half", tmp_path, content))
    assert app.catalog.topics == {}
    assert app.catalog.packs[0].status == "failed"
    assert "guides[0] (id 'g')" in app.catalog.packs[0].error


@pytest.mark.parametrize(
    ("content", "commands", "clash"),
    [
        (topic_toml("public-funds"), None, "topic 'public-funds'"),
        (None, [click.Command("berichtenbox-steps")], "command 'berichtenbox-steps'"),
        (
            """
            [[guides]]
            id = "berichtenbox"
            title = "T"
            source = { source = "s", quote = "q", checked = 2026-11-28 }
            steps = [{ text = "x", source = { source = "s", quote = "q", checked = 2026-11-28 } }]
            """,
            None,
            "guide 'berichtenbox'",
        ),
    ],
)
def test_two_packs_with_the_same_name_are_named_both(tmp_path, content, commands, clash):
    intruder = make_pack("indcli-zz-copy", tmp_path, content, commands)
    result = run(failing_app(*PACKS, intruder), ["plugins", "--format", "json"])
    entry = next(p for p in json.loads(result.stdout)["plugins"] if p["name"] == "indcli-zz-copy")
    assert entry["status"] == "failed"
    assert clash in entry["error"]
    assert "indcli-berichtenbox" in entry["error"] or "indcli-public-funds" in entry["error"]
    assert "indcli-zz-copy" in entry["error"]


def test_a_contested_name_nobody_names_loads_from_neither_pack_whatever_the_order(tmp_path):
    a = make_pack("indcli-aa", tmp_path, topic_toml("shared", "From aa"))
    z = make_pack("indcli-zz", tmp_path, topic_toml("shared", "From zz"))
    for order in ([a, z], [z, a]):
        app = failing_app(*order)
        assert "shared" not in app.catalog.topics  # neither is shown silently
        assert [p.name for p in app.catalog.failed] == ["indcli-aa", "indcli-zz"]
        for pack in app.catalog.failed:
            assert "one of indcli-aa and indcli-zz" in pack.error, pack.error


def test_the_pack_content_names_keeps_a_contested_topic_however_it_sorts(tmp_path):
    """An impostor that sorts first by name cannot take over public-funds."""
    impostor = make_pack("indcli-aaa-impostor", tmp_path, topic_toml("public-funds", "Fake"))
    app = failing_app(*PACKS, impostor)
    result = run(app, ["explain", "public-funds", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["pack"] == "indcli-public-funds"
    (warning,) = result.stderr.strip().splitlines()
    assert "pack indcli-aaa-impostor 1.0 was skipped" in warning
    assert "indcli-partner-permit names for it" in warning
    assert "INDCLI_DISABLE_PLUGINS=indcli-aaa-impostor" in warning
    assert "INDCLI_DISABLE_PLUGINS=indcli-public-funds" not in warning


@pytest.mark.parametrize("name", ["plugins", "explain", "completion"])
def test_no_pack_can_replace_a_core_command(tmp_path, name):
    pack = make_pack("indcli-hijack", tmp_path, commands=[click.Command(name)])
    app = failing_app(pack)
    assert app.catalog.packs[0].status == "failed"
    assert "core command" in app.catalog.packs[0].error


def test_a_hook_returning_something_else_than_commands(tmp_path):
    app = failing_app(make_pack("indcli-odd", tmp_path, commands=["not a command"]))
    assert "not a named click command" in app.catalog.packs[0].error


def test_an_unknown_hook_name_is_reported(tmp_path):
    module = ModuleType("indcli_typo")

    @hookimpl
    def indcli_comands():  # sic
        return []

    module.indcli_comands = indcli_comands
    app = failing_app(PackSource("indcli-typo", "1", lambda: module))
    assert app.catalog.packs[0].status == "failed"
    assert "indcli_comands" in app.catalog.packs[0].error


@pytest.mark.parametrize(
    ("environ", "loaded"),
    [
        ({}, {"indcli-berichtenbox", "indcli-public-funds"}),
        ({"INDCLI_LOAD_PLUGINS": ""}, set()),
        ({"INDCLI_LOAD_PLUGINS": "indcli-berichtenbox"}, {"indcli-berichtenbox"}),
        ({"INDCLI_LOAD_PLUGINS": " INDCLI_Berichtenbox , x"}, {"indcli-berichtenbox"}),
        ({"INDCLI_DISABLE_PLUGINS": "indcli-berichtenbox"}, {"indcli-public-funds"}),
        (
            {
                "INDCLI_LOAD_PLUGINS": "indcli-berichtenbox",
                "INDCLI_DISABLE_PLUGINS": "indcli-berichtenbox",
            },
            set(),
        ),
    ],
)
def test_allow_and_deny_lists_choose_what_loads(environ, loaded):
    app = make_app(indcli_berichtenbox, indcli_public_funds, environ=environ)
    result = run(app, ["plugins", "--format", "json"])
    plugins = json.loads(result.stdout)["plugins"]
    assert {p["name"] for p in plugins if p["status"] == "loaded"} == loaded
    assert {p["name"] for p in plugins if p["status"] == "disabled"} == (
        {"indcli-berichtenbox", "indcli-public-funds"} - loaded
    )


def test_a_disabled_pack_is_not_even_imported():
    def load():
        raise AssertionError("imported")

    app = make_app(PackSource("indcli-lazy", "1", load), environ={"INDCLI_LOAD_PLUGINS": ""})
    assert app.catalog.packs[0].status == "disabled"


def test_plugins_json_matches_the_contract():
    result = run(make_app(*PACKS), ["plugins", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["command"] == "plugins"
    by_name = {p["name"]: p for p in data["plugins"]}
    assert set(by_name) == {"indcli-berichtenbox", "indcli-partner-permit", "indcli-public-funds"}
    for plugin in data["plugins"]:
        assert {"name", "version", "hooks", "contributes", "error"} <= plugin.keys()
        assert plugin["version"] == "0.1.0" and plugin["error"] is None
    assert by_name["indcli-berichtenbox"]["contributes"]["commands"] == ["berichtenbox-steps"]
    assert by_name["indcli-berichtenbox"]["hooks"] == ["indcli_content"]  # its command is data
    assert by_name["indcli-public-funds"]["contributes"]["topics"] == ["public-funds"]
    assert by_name["indcli-partner-permit"]["contributes"]["flows"] == [
        "partner-permit (8 questions, 4 outcomes, 35 rules)"
    ]


def test_no_packs_at_all():
    app = make_app()
    assert "No content packs are installed" in run(app, ["plugins"]).stdout
    assert run(make_app(), ["--help"]).exit_code == 0


def test_names_are_compared_canonically():
    assert normalise("Indcli_Public.Funds") == "indcli-public-funds"


def test_a_command_of_a_failed_pack_exits_3_naming_it(tmp_path):
    def load():
        raise ImportError("broken")

    broken = PackSource("indcli-partner-permit", "1", load)
    result = run(failing_app(indcli_berichtenbox, indcli_public_funds, broken), ["route"])
    assert result.exit_code == 3
    assert "indcli-partner-permit failed to load" in result.stderr


def test_with_format_json_every_stderr_line_is_one_json_object():
    result = run(failing_app(*PACKS, broken_import()), ["route", "--no-input", "--format", "json"])
    assert result.exit_code == 2
    warning, error = (json.loads(line) for line in result.stderr.splitlines())
    assert warning["command"] == error["command"] == "route"
    assert warning["warning"]["pack"] == "indcli-broken"
    assert error["error"]["code"] == 2 and "missing answers" in error["error"]["message"]


def test_hookimpl_is_pluggys_marker():
    """``indcli.hookimpl`` is ``pluggy.HookimplMarker("indcli")``: a pack marked with
    pluggy's own marker is the same pack."""
    import pluggy

    assert isinstance(hookimpl, pluggy.HookimplMarker)
    assert hookimpl.project_name == "indcli"
    assert hookimpl(tryfirst=True)(lambda: None).indcli_impl["tryfirst"] is True


def test_the_shipped_packs_are_pluggy_plugins_of_indclis_specs():
    """The packs are pluggy plugins: pluggy's own PluginManager takes indcli's hook specs
    and each shipped pack, validates them, and calls their hooks."""
    import pluggy

    from indcli import hookspecs

    pm = pluggy.PluginManager("indcli")
    pm.add_hookspecs(hookspecs)
    for module in PACKS:
        pm.register(module)
    pm.check_pending()
    files = [str(f) for f in pm.hook.indcli_content()]
    assert len(files) == len(PACKS) and all(f.endswith("content.toml") for f in files)


def test_a_hook_that_takes_parameters_fails_its_pack():
    module = ModuleType("indcli_params")

    @hookimpl
    def indcli_content(app):
        return None

    module.indcli_content = indcli_content
    app = make_app(PackSource("indcli-params", "1", lambda: module), allow_failures=True)
    [pack] = app.load_catalog().packs
    assert pack.status == "failed" and "indcli_content takes parameters (app)" in pack.error
