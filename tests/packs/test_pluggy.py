"""Packs are pluggy plugins, and pluggy runs them: what a pluggy plugin author expects.

Every pluggy option of ``HookimplMarker`` either works or is refused by name; the
PluginManager of a run lists the packs; INDCLI_TRACE_PLUGINS shows each hook call.
"""

from __future__ import annotations

import json
from types import ModuleType

import click
import pluggy
import pytest
from conftest import PACKS, SOURCE, topic_toml

from indcli import hookimpl
from indcli.packs.loading import PackSource, _subsets_by_impl
from indcli.testing import make_app, run

marker = pluggy.HookimplMarker("indcli")  # what a pluggy author writes, without indcli's
SUBSETS_BY_IMPL = _subsets_by_impl()  # pluggy 1.7+: specname works; before, it is refused


def topic_pack(
    tmp_path, name: str, topic: str, calls: list[str] | None = None, **options
) -> tuple[PackSource, list[str]]:
    """A pack whose ``indcli_content`` (marked with pluggy's own marker and ``options``)
    gives one topic and records its name in ``calls`` (returned) when it is called."""
    calls = [] if calls is None else calls
    path = tmp_path / f"{name}.toml"
    path.write_text(SOURCE + topic_toml(topic), encoding="utf-8")
    module = ModuleType(name.replace("-", "_"))

    @marker(**options)
    def indcli_content():
        calls.append(name)
        return path

    module.indcli_content = indcli_content
    return PackSource(name, "1.0", lambda: module), calls


def test_a_pack_marked_with_pluggys_own_marker_loads(tmp_path):
    source, calls = topic_pack(tmp_path, "indcli-plain-pluggy", "plain-pluggy")
    app = make_app(*PACKS, source)
    result = run(app, ["explain", "plain-pluggy", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["topic"] == "plain-pluggy" and calls == ["indcli-plain-pluggy"]


def test_every_pack_is_registered_with_one_plugin_manager(tmp_path):
    app = make_app(*PACKS, environ={"INDCLI_DISABLE_PLUGINS": "indcli-public-funds"})
    pm = app.plugin_manager
    assert isinstance(pm, pluggy.PluginManager) and pm.project_name == "indcli"
    names = dict(pm.list_name_plugin())
    assert names["indcli-partner-permit"] is not None
    assert names["indcli-berichtenbox"] is not None
    assert pm.is_blocked("indcli-public-funds")  # disabled packs are blocked in pluggy


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({}, {}, ["indcli-zz", "indcli-aa"]),  # pluggy: the last registered is called first
        ({"tryfirst": True}, {}, ["indcli-aa", "indcli-zz"]),
        ({}, {"trylast": True}, ["indcli-aa", "indcli-zz"]),
    ],
)
def test_tryfirst_and_trylast_decide_the_call_order(tmp_path, first, second, expected):
    order: list[str] = []
    aa, _ = topic_pack(tmp_path, "indcli-aa", "aa", order, **first)
    zz, _ = topic_pack(tmp_path, "indcli-zz", "zz", order, **second)
    app = make_app(aa, zz)
    assert order == expected
    assert set(app.catalog.topics) == {"aa", "zz"}  # order never decides what loads


def test_specname_implements_a_hook_under_another_name(tmp_path):
    path = tmp_path / "named.toml"
    path.write_text(SOURCE + topic_toml("named-otherwise"), encoding="utf-8")
    module = ModuleType("indcli_specname")

    @hookimpl(specname="indcli_content")
    def my_content():
        return path

    module.my_content = my_content
    source = PackSource("indcli-specname", "1", lambda: module)
    if not SUBSETS_BY_IMPL:  # pluggy < 1.7: refused by name, with what to do
        [pack] = make_app(source, allow_failures=True).load_catalog().failed
        assert "with specname" in pack.error and "needs pluggy 1.7 or newer" in pack.error
        return
    app = make_app(*PACKS, source)
    assert "named-otherwise" in app.catalog.topics
    [pack] = [p for p in app.catalog.packs if p.name == "indcli-specname"]
    assert pack.hooks == ["indcli_content"] and pack.warnings == []


def test_specname_implementations_are_called_only_for_their_own_pack(tmp_path):
    """Each pack's call runs its own code only, even with two packs naming their
    functions otherwise."""
    sources, seen = [], []
    for name in ("indcli-one", "indcli-two"):
        path = tmp_path / f"{name}.toml"
        path.write_text(SOURCE + topic_toml(name.removeprefix("indcli-")), encoding="utf-8")
        module = ModuleType(name.replace("-", "_"))

        def content(path=path, name=name):
            seen.append(name)
            return path

        module.content = hookimpl(specname="indcli_content")(content)
        sources.append(PackSource(name, "1", lambda module=module: module))
    if not SUBSETS_BY_IMPL:
        pytest.skip("pluggy < 1.7 refuses specname (test_specname_implements_...)")
    app = make_app(*sources)
    assert sorted(seen) == ["indcli-one", "indcli-two"]  # each called once
    files = {p.name: [f.name for f in p.files] for p in app.catalog.packs}
    assert files == {"indcli-one": ["indcli-one.toml"], "indcli-two": ["indcli-two.toml"]}


def test_an_optional_hook_this_indcli_does_not_know_is_a_note(tmp_path):
    source, _ = topic_pack(tmp_path, "indcli-future", "future")
    module = source.load()

    @hookimpl(optionalhook=True)
    def indcli_from_the_future():
        raise AssertionError("never called")

    module.indcli_from_the_future = indcli_from_the_future
    app = make_app(*PACKS, source)
    result = run(app, ["plugins", "--format", "json"])
    [pack] = [p for p in json.loads(result.stdout)["plugins"] if p["name"] == "indcli-future"]
    assert pack["status"] == "loaded" and pack["warnings"] == []
    assert "indcli_from_the_future" in pack["notes"][0] and "optionalhook" in pack["notes"][0]
    assert "note: indcli_from_the_future implements" in run(app, ["plugins"]).stdout
    assert result.stderr == ""  # a note is not a warning on every run


def test_an_unknown_hook_fails_its_pack_naming_file_and_line(tmp_path):
    module = ModuleType("indcli_typo")

    @hookimpl
    def indcli_comands():  # sic
        return []

    module.indcli_comands = indcli_comands
    app = make_app(*PACKS, PackSource("indcli-typo", "1", lambda: module), allow_failures=True)
    [pack] = [p for p in app.catalog.packs if p.name == "indcli-typo"]
    assert pack.status == "failed"
    assert pack.error.startswith("unknown hook indcli_comands (at ")
    assert f"{__file__}:" in pack.error and "optionalhook=True" in pack.error
    assert app.plugin_manager.get_plugin("indcli-typo") is None  # unregistered
    assert "route" in app.catalog.command_names  # the others are unaffected


@pytest.mark.parametrize(
    ("option", "hook"),
    [("hookwrapper", "indcli_content"), ("wrapper", "indcli_commands")],
)
def test_wrappers_are_refused_by_name(option, hook):
    module = ModuleType("indcli_wrapping")

    def wrapping():
        result = yield
        return result

    setattr(module, hook, hookimpl(**{option: True})(wrapping))
    app = make_app(*PACKS, PackSource("indcli-wrapping", "1", lambda: module), allow_failures=True)
    [pack] = [p for p in app.catalog.packs if p.name == "indcli-wrapping"]
    assert pack.status == "failed"
    assert f"hook {hook} is marked {option}=True" in pack.error
    assert f"remove {option}=True" in pack.error
    result = run(app, ["route", "--eu-long-term-resident", "yes", "--format", "json"])
    assert json.loads(result.stdout)["outcome"]["id"] == "eu-long-term-resident"


def test_pluggy_validates_a_hooks_signature():
    module = ModuleType("indcli_params")

    @hookimpl
    def indcli_commands(app, more):
        return []

    module.indcli_commands = indcli_commands
    app = make_app(PackSource("indcli-params", "1", lambda: module), allow_failures=True)
    [pack] = app.load_catalog().packs
    assert pack.status == "failed"
    assert "hook indcli_commands takes parameters (" in pack.error
    assert "app" in pack.error and "more" in pack.error


def test_a_pack_failing_in_a_later_hook_is_unregistered_with_all_it_gave(tmp_path):
    source, _ = topic_pack(tmp_path, "indcli-half", "half")
    module = source.load()

    @hookimpl
    def indcli_commands():
        raise RuntimeError("boom")

    module.indcli_commands = indcli_commands
    app = make_app(*PACKS, source, allow_failures=True)
    assert "half" not in app.catalog.topics
    assert app.plugin_manager.get_plugin("indcli-half") is None
    assert "hook indcli_commands raised RuntimeError: boom" in app.catalog.failed[0].error


def test_the_trace_shows_each_hook_call_on_stderr_only(tmp_path):
    command = click.Command("hello", callback=lambda: None)
    module = ModuleType("indcli_traced")
    module.indcli_commands = hookimpl(lambda: [command])
    module.indcli_commands.__name__ = "indcli_commands"
    traced = PackSource("indcli-traced", "1", lambda: module)
    environ = {"INDCLI_TRACE_PLUGINS": "1"}
    app = make_app(*PACKS, traced, environ=environ, allow_failures=True)  # loads in run()
    result = run(app, ["explain", "public-funds", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["topic"] == "public-funds"  # stdout untouched
    lines = [line for line in result.stderr.splitlines() if line.startswith("indcli: trace: ")]
    calls = [line.split(": ")[3].split(" ")[0] for line in lines]
    packs = [line.split(": ")[2] for line in lines]
    assert calls.count("indcli_content") == 3 and calls.count("indcli_commands") == 1
    assert set(packs) == {p.name for p in app.catalog.packs}
    [hello] = [line for line in lines if "indcli-traced" in line]
    assert " ms, returned [[<Command hello>]]" in hello  # pluggy's list of results


def test_without_the_variable_nothing_is_traced():
    result = run(make_app(*PACKS), ["explain", "public-funds", "--format", "json"])
    assert "trace" not in result.stderr


def test_an_option_of_a_pack_that_failed_names_the_pack_and_why(tmp_path):
    from conftest import flow_toml, question_toml

    content = topic_toml("public-funds", "A copy") + flow_toml(
        "partner-permit",
        question_toml("abroad-hand-in"),
        title=None,
        extends='"indcli-partner-permit"',
    )
    from conftest import failing_app, make_pack

    app = failing_app(*PACKS, make_pack("indcli-hand-in", tmp_path, content))
    result = run(app, ["route", "--no-input", "--abroad-hand-in", "yes"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "--abroad-hand-in" in message and "Error: No such option" in message
    assert ". It comes from pack indcli-hand-in, which " in message
    assert "failed to load: topic 'public-funds' is also contributed by" in message
    # the clash tells the pack's author what to rename, not only the user what to disable
    assert "its author can rename the topic 'public-funds' (say, 'hand-in-public-funds')" in (
        message
    )


def test_check_json_gives_the_file_and_line_of_a_failure_in_a_packs_code():
    module = ModuleType("indcli_raising")

    @hookimpl
    def indcli_content():
        raise RuntimeError("boom")

    module.indcli_content = indcli_content
    app = make_app(*PACKS, PackSource("indcli-raising", "1", lambda: module), allow_failures=True)
    result = run(app, ["check", "--format", "json"])
    (problem,) = [p for p in json.loads(result.stdout)["problems"] if p["pack"] == "indcli-raising"]
    assert problem["file"] == "test_pluggy.py"
    assert problem["line"] == indcli_content.__code__.co_firstlineno + 2  # @hookimpl, def, raise
