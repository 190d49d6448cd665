"""Nothing silently ignored, and failures that point at the pack's own code."""

from __future__ import annotations

import json
from types import ModuleType

from conftest import PACKS, failing_app, make_pack, topic_toml

from indcli import hookimpl
from indcli.packs.loading import PackSource, select, unknown_names
from indcli.testing import make_app, run


def test_a_hook_function_without_hookimpl_is_a_warning(tmp_path):
    module = ModuleType("indcli_forgot")

    def indcli_content():  # no @hookimpl
        return tmp_path / "content.toml"

    module.indcli_content = indcli_content
    app = make_app(PackSource("indcli-forgot", "1", lambda: module))
    [pack] = app.load_catalog().packs
    assert pack.status == "loaded"
    assert any("indcli_content has no @hookimpl" in w for w in pack.warnings)
    assert any("implements no hook" in w for w in pack.warnings)
    listed = json.loads(run(app, ["plugins", "--format", "json"]).stdout)["plugins"]
    assert listed[0]["warnings"] == pack.warnings


def test_a_pack_with_hooks_has_no_warnings(tmp_path):
    app = make_app(*PACKS, make_pack("indcli-fine", tmp_path, topic_toml("fine")))
    assert [p.warnings for p in app.load_catalog().packs] == [[], [], [], []]


def test_unknown_names_in_the_plugin_variables_are_reported():
    """The variables name distributions only: an entry point's name (which any
    distribution can choose) never selects or disables a pack."""
    sources = [
        PackSource("indcli-berichtenbox", "1", lambda: None, "berichtenbox"),
        PackSource("indcli-public-funds", "1", lambda: None, "public-funds"),
    ]
    environ = {"INDCLI_LOAD_PLUGINS": "berichtenbox,Indcli_Public_Funds,nope"}
    chosen, disabled = select(sources, environ)
    assert [s.name for s in chosen] == ["indcli-public-funds"]
    assert [s.name for s in disabled] == ["indcli-berichtenbox"]
    assert unknown_names(sources, environ) == [
        "INDCLI_LOAD_PLUGINS=berichtenbox",
        "INDCLI_LOAD_PLUGINS=nope",
    ]
    denied, _ = select(sources, {"INDCLI_DISABLE_PLUGINS": "public-funds"})
    assert [s.name for s in denied] == ["indcli-berichtenbox", "indcli-public-funds"]


def test_plugins_shows_unknown_names():
    app = make_app(*PACKS, environ={"INDCLI_DISABLE_PLUGINS": "indcli-typo"})
    result = run(app, ["plugins", "--format", "json"])
    assert json.loads(result.stdout)["unknown_names"] == ["INDCLI_DISABLE_PLUGINS=indcli-typo"]
    assert "INDCLI_DISABLE_PLUGINS=indcli-typo" in run(make_app(*PACKS, environ={
        "INDCLI_DISABLE_PLUGINS": "indcli-typo"}), ["plugins"]).stdout  # fmt: skip


def test_plugins_shows_a_failed_packs_error_not_its_contributions(tmp_path):
    clash = make_pack("indcli-aaa-clash", tmp_path, topic_toml("public-funds"))
    app = failing_app(*PACKS, clash)
    listed = json.loads(run(app, ["plugins", "--format", "json"]).stdout)["plugins"]
    failed = [p for p in listed if p["status"] == "failed"]
    assert failed, listed
    for pack in failed:
        assert pack["error"]
        assert all(names == [] for names in pack["contributes"].values())


def broken_pack(tmp_path) -> PackSource:
    folder = tmp_path / "indcli_boom"
    folder.mkdir(exist_ok=True)
    path = folder / "__init__.py"
    path.write_text("from indcli import hookimpl\n\nimport requests_not_installed\n")

    def load():
        import importlib.util

        spec = importlib.util.spec_from_file_location("indcli_boom", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return PackSource("indcli-boom", "1", load)


def test_an_import_error_names_the_packs_file_and_line(tmp_path):
    [pack] = failing_app(broken_pack(tmp_path)).load_catalog().packs
    assert pack.status == "failed"
    assert f"(at {tmp_path / 'indcli_boom' / '__init__.py'}:3)" in pack.error
    assert "requests_not_installed" in pack.traceback


def test_a_raising_hook_names_its_line(tmp_path):
    module = ModuleType("indcli_raising")

    @hookimpl
    def indcli_content():
        raise RuntimeError("boom")

    module.indcli_content = indcli_content
    [pack] = failing_app(PackSource("indcli-raising", "1", lambda: module)).load_catalog().packs
    assert "hook indcli_content raised RuntimeError: boom" in pack.error
    assert f"(at {__file__}:" in pack.error


def test_debug_prints_the_packs_traceback(tmp_path):
    quiet = run(failing_app(*PACKS, broken_pack(tmp_path)), ["explain", "public-funds"])
    assert "Traceback" not in quiet.stderr
    for args, environ in (
        (["--debug", "explain", "public-funds"], {}),
        (["explain", "public-funds"], {"INDCLI_DEBUG": "1"}),
    ):
        loud = run(failing_app(*PACKS, broken_pack(tmp_path), environ=environ), args)
        assert loud.exit_code == 0, loud.stderr
        assert "Traceback (most recent call last)" in loud.stderr
        assert "requests_not_installed" in loud.stderr
