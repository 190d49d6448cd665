"""``indcli new-pack``: the files it writes, its errors, and a scaffold that really works.

Most tests run in-process: the generated module is imported from its file and loaded
with :mod:`indcli.testing`, and the generated test functions are called. One test does
what the printed next steps say, in a fresh venv with the core installed from a wheel:
``indcli new-pack``, ``pip install -e DIR[test]``, ``pytest DIR``, ``indcli plugins``.
"""

from __future__ import annotations

import ast
import datetime
import importlib.util
import json
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import indcli_partner_permit
import pytest
from conftest import failing_app
from venvtools import PIP_TIMEOUT, REPO, Venv, build_wheel, describe, json_of
from venvtools import run as venv_run

from indcli.commands.support import scaffold
from indcli.content.validation import parse_toml, validate_content
from indcli.packs.loading import PackSource
from indcli.testing import make_app, run

FILES = [
    ".github/workflows/ci.yml",
    ".gitignore",
    "LICENSE",
    "README.md",
    "content.schema.json",
    "pyproject.toml",
    "src/indcli_hello/__init__.py",
    "src/indcli_hello/content.toml",
    "tests/test_indcli_hello.py",
]


def new_pack(*args: str):
    return run(make_app(), ["new-pack", *args])


def import_pack(folder: Path, module: str) -> ModuleType:
    """Import a generated pack's module from its file, without touching sys.path."""
    spec = importlib.util.spec_from_file_location(module, folder / "src" / module / "__init__.py")
    assert spec is not None and spec.loader is not None
    pack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pack)
    return pack


@pytest.fixture
def hello(tmp_path: Path) -> Path:
    result = new_pack("indcli-hello", str(tmp_path / "hello"))
    assert result.exit_code == 0, result.stderr
    return tmp_path / "hello"


def test_writes_the_files_of_a_pack(hello):
    assert sorted(str(p.relative_to(hello)) for p in hello.rglob("*") if p.is_file()) == FILES
    leftovers = [p.name for p in hello.parent.iterdir() if p.name != "hello"]
    assert leftovers == [], "the staging folder was left behind"


def test_pyproject_declares_the_pack(hello):
    project = tomllib.loads((hello / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["build-system"]["build-backend"] == "hatchling.build"
    meta = project["project"]
    assert meta["name"] == "indcli-hello"
    assert [d.split(">")[0] for d in meta["dependencies"]] == ["indcli"]
    assert meta["entry-points"]["indcli"] == {"hello": "indcli_hello"}
    assert meta["optional-dependencies"]["test"] == ["pytest"]
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/indcli_hello"]


def test_the_content_validates_and_its_source_is_an_obvious_placeholder(hello):
    path = hello / "src" / "indcli_hello" / "content.toml"
    blob = path.read_bytes()
    data = validate_content(
        parse_toml(blob, pack="indcli-hello", file="content.toml"),
        pack="indcli-hello",
        file="content.toml",
    )
    (topic,) = data["topics"]
    assert topic["id"] == "hello"
    assert topic["source"]["url"] == "https://example.org/replace-me"
    assert topic["source"]["quote"].startswith("Placeholder: replace")
    assert topic["source"]["checked"] == datetime.date.today().isoformat()
    assert "PLACEHOLDER" in blob.decode()


def test_the_pack_loads_shows_its_topic_and_checks_clean_but_not_strictly(hello):
    module = import_pack(hello, "indcli_hello")
    app = make_app(PackSource("indcli-hello", "0.1.0", lambda: module))
    shown = run(app, ["explain", "hello"])
    assert shown.exit_code == 0, shown.stderr
    assert "Example topic of indcli-hello" in shown.stdout
    assert "https://example.org/replace-me" in shown.stdout
    listed = json.loads(run(app, ["plugins", "--format", "json"]).stdout)["plugins"]
    assert [(p["name"], p["status"], p["hooks"]) for p in listed] == [
        ("indcli-hello", "loaded", ["indcli_content"])
    ]
    checked = run(app, ["check"])
    assert checked.exit_code == 0, checked.stdout
    # untouched placeholders are warnings, so --strict fails until they are replaced
    strict = run(app, ["check", "--strict", "--format", "json"])
    assert strict.exit_code == 1
    fields = {p["field"] for p in json.loads(strict.stdout)["problems"]}
    assert {"source.url", "source.quote"} <= fields


def test_the_generated_tests_pass(hello, monkeypatch):
    monkeypatch.setitem(sys.modules, "indcli_hello", import_pack(hello, "indcli_hello"))
    spec = importlib.util.spec_from_file_location("gen", hello / "tests" / "test_indcli_hello.py")
    assert spec is not None and spec.loader is not None
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    names = [name for name in vars(tests) if name.startswith("test_")]
    assert len(names) == 2
    for name in names:
        getattr(tests, name)()


def test_prints_the_next_steps(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = new_pack("indcli-hello")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "indcli-hello" / "pyproject.toml").is_file()
    for line in (
        "Created pack indcli-hello in ./indcli-hello",
        "pip install -e './indcli-hello[test]'",
        "pytest ./indcli-hello",
        "indcli plugins",
        "indcli explain hello",
    ):
        assert line in result.stdout


def test_json_output_lists_files_and_next_steps(tmp_path):
    result = new_pack("indcli-hello", str(tmp_path / "p"), "--format", "json")
    data = json.loads(result.stdout)
    assert data["command"] == "new-pack" and data["schema_version"] == 1
    assert [data[k] for k in ("name", "module", "topic")] == [
        "indcli-hello",
        "indcli_hello",
        "hello",
    ]
    assert data["files"] == FILES
    assert [s["command"].split()[0] for s in data["next_steps"]] == [
        "pip",
        "pytest",
        "indcli",
        "indcli",
    ]


def test_an_existing_empty_folder_is_filled(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    result = new_pack("indcli-hello", str(target))
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in target.iterdir())
    assert names == [
        ".github",
        ".gitignore",
        "LICENSE",
        "README.md",
        "content.schema.json",
        "pyproject.toml",
        "src",
        "tests",
    ]


# --------------------------------------------------------------------------- options

OPTIONS = {
    "route": ["--with-route"],
    "command": ["--with-command"],
    "both": ["--with-route", "--with-command"],
}


def generated_tests(folder: Path, module: str) -> list:
    spec = importlib.util.spec_from_file_location("gen", folder / "tests" / f"test_{module}.py")
    assert spec is not None and spec.loader is not None
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    return [getattr(tests, name) for name in vars(tests) if name.startswith("test_")]


@pytest.mark.parametrize("option", OPTIONS)
def test_each_option_gives_a_pack_that_checks_clean_and_passes_its_tests(
    tmp_path, monkeypatch, option
):
    route, command = option in ("route", "both"), option in ("command", "both")
    made = new_pack("indcli-hello", str(tmp_path / "p"), *OPTIONS[option], "--format", "json")
    assert made.exit_code == 0, made.stderr
    data = json.loads(made.stdout)
    assert data["question"] == ("hello-question" if route else None)
    assert data["pack_command"] == ("hello-packs" if command else None)
    module = import_pack(tmp_path / "p", "indcli_hello")
    monkeypatch.setitem(sys.modules, "indcli_hello", module)
    packs = [indcli_partner_permit] if route else []
    app = make_app(*packs, PackSource("indcli-hello", "0.1.0", lambda: module))
    checked = run(app, ["check", "indcli-hello"])
    assert checked.exit_code == 0, checked.stdout
    assert run(app, ["check", "indcli-hello", "--strict"]).exit_code == 1  # placeholders
    hooks = json.loads(run(app, ["plugins", "--format", "json"]).stdout)["plugins"]
    (mine,) = [p for p in hooks if p["name"] == "indcli-hello"]
    assert ("indcli_commands" in mine["hooks"]) == command
    tests = generated_tests(tmp_path / "p", "indcli_hello")
    assert len(tests) == 2 + 3 * route + command
    for test in tests:
        test()
    pyproject = tomllib.loads((tmp_path / "p" / "pyproject.toml").read_text(encoding="utf-8"))
    needs = [d.split(">")[0] for d in pyproject["project"]["dependencies"]]
    assert needs == ["indcli", *(["indcli-partner-permit"] if route else [])]


def test_the_route_starter_only_advises_and_never_changes_the_owners_outcome(tmp_path):
    assert new_pack("indcli-hello", str(tmp_path / "p"), "--with-route").exit_code == 0
    text = (tmp_path / "p" / "src" / "indcli_hello" / "content.toml").read_text()
    data = validate_content(parse_toml(text.encode(), pack="p", file="f"), pack="p", file="f")
    (part,) = data["flows"]
    assert part["id"] == "partner-permit" and part.get("title") is None
    assert [r.get("advice") for r in part["rules"]] == ["warning"]
    assert all(r.get("outcome") is None for r in part["rules"])
    assert part.get("outcomes", []) == []
    # A flow part declares the pack it extends once content files know `extends`.
    extends = "extends" in scaffold._content_schema()["$defs"]["Flow"].get("properties", {})
    assert part.get("extends") == ("indcli-partner-permit" if extends else None)


def test_generated_code_imports_only_the_public_modules_of_indcli(tmp_path):
    assert new_pack("indcli-hello", str(tmp_path / "p"), *OPTIONS["both"]).exit_code == 0
    imported = set()
    for path in (tmp_path / "p").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
    of_indcli = {name for name in imported if name == "indcli" or name.startswith("indcli.")}
    assert of_indcli == {"indcli", "indcli.api", "indcli.testing"}


def test_every_pack_gets_gitignore_license_placeholder_and_ci(hello):
    assert ".venv/" in (hello / ".gitignore").read_text()
    assert "PLACEHOLDER" in (hello / "LICENSE").read_text()
    workflow = (hello / ".github" / "workflows" / "ci.yml").read_text()
    steps = ci_steps(hello)
    assert steps[0].startswith("python -m pip install '.[test]'")
    assert "python -m pytest" in steps
    assert "INDCLI_STRICT_PLUGINS=1 indcli check indcli-hello --strict" in steps
    assert "${{ matrix.python }}" in workflow


def ci_steps(pack: Path) -> list[str]:
    """The shell commands of the pack's CI workflow, in order."""
    workflow = (pack / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    return re.findall(r"^\s*- run: (.+)$", workflow, flags=re.MULTILINE)


def test_a_name_without_the_prefix_keeps_its_topic_name(tmp_path):
    result = new_pack("my-topic", str(tmp_path / "p"), "--format", "json")
    data = json.loads(result.stdout)
    assert (data["module"], data["topic"]) == ("my_topic", "my-topic")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Indcli-Hello", "Did you mean 'indcli-hello'?"),
        ("indcli_hello", "Did you mean 'indcli-hello'?"),
        ("indcli-hello-", "not a valid pack name"),
        ("indcli--hello", "single hyphens"),
        ("2fa", "starting with a letter"),
        ("indcli.hello", "not a valid pack name"),
        ("x" * 65, "longer than 64 characters"),
        ("indcli", "already exists"),
        ("json", "use e.g. indcli-json"),
        ("class", "already exists"),
    ],
)
def test_a_bad_name_is_a_usage_error_and_writes_nothing(tmp_path, name, message):
    result = new_pack(name, str(tmp_path / "p"))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_empty_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = new_pack("indcli-hello", str(tmp_path))
    assert result.exit_code == 2
    assert "exists and is not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_file_is_not_a_folder(tmp_path):
    (tmp_path / "p").write_text("mine")
    result = new_pack("indcli-hello", str(tmp_path / "p"))
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_a_missing_parent_folder_is_a_usage_error(tmp_path):
    result = new_pack("indcli-hello", str(tmp_path / "no" / "such" / "p"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    calls = []

    def fail_on_third(self, text, encoding=None):
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(self, text, encoding=encoding)

    original = Path.write_text
    monkeypatch.setattr(Path, "write_text", fail_on_third)
    result = new_pack("indcli-hello", str(tmp_path / "p"))
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "nothing was left" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failure_filling_an_empty_folder_leaves_it_empty(tmp_path, monkeypatch):
    target = tmp_path / "empty"
    target.mkdir()
    original = Path.rename

    def fail_on_src(self, dest):
        if Path(dest).name == "src":
            raise OSError(13, "Permission denied")
        return original(self, dest)

    monkeypatch.setattr(Path, "rename", fail_on_src)
    result = new_pack("indcli-hello", str(target))
    assert result.exit_code == 1, result.stderr
    assert list(target.iterdir()) == []


def test_new_pack_is_a_core_command_and_loads_no_pack(tmp_path):
    def explode():
        raise AssertionError("new-pack must not load packs")

    app = failing_app(PackSource("indcli-boom", "1", explode))
    result = run(app, ["new-pack", "indcli-hello", str(tmp_path / "p")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_help_has_examples_and_suggests_the_prefix():
    result = new_pack("--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and 'Start it with "indcli-"' in result.stdout


def test_pack_names():
    names = scaffold.pack_names("indcli-a-b")
    assert names == scaffold.PackNames(dist="indcli-a-b", module="indcli_a_b", short="a-b")


# --------------------------------------------------------------------------- for real


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels of the core and of indcli-partner-permit (which --with-route packs need)."""
    folder = tmp_path_factory.mktemp("new-pack-wheels")
    build_wheel(REPO, folder)
    build_wheel(REPO / "plugins" / "partner_permit", folder)
    return folder


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory: pytest.TempPathFactory, wheels: Path) -> Venv:
    """A fresh venv with only the core, installed from a wheel of this checkout."""
    venv = Venv.create(tmp_path_factory.mktemp("new-pack-venv"), wheels)
    venv.pip_install("indcli")
    return venv


@pytest.mark.slow
def test_the_next_steps_work_in_a_fresh_venv(core_venv, tmp_path):
    venv = core_venv
    made = venv.run("indcli", "new-pack", "indcli-hello", cwd=tmp_path)
    assert made.returncode == 0, describe(made)
    pack = tmp_path / "indcli-hello"
    venv.pip_install("-e", f"{pack}[test]", cwd=tmp_path)
    tested = venv.run("pytest", "-p", "no:cacheprovider", "./indcli-hello", cwd=tmp_path)
    assert tested.returncode == 0, describe(tested)
    assert "2 passed" in tested.stdout, describe(tested)
    plugins = json_of(venv.indcli("plugins", "--format", "json"))["plugins"]
    assert [(p["name"], p["status"], p["contributes"]["topics"]) for p in plugins] == [
        ("indcli-hello", "loaded", ["hello"])
    ]
    shown = venv.indcli("explain", "hello")
    assert shown.returncode == 0, describe(shown)
    assert "Example topic of indcli-hello" in shown.stdout, describe(shown)


@pytest.mark.slow
def test_a_pack_with_every_option_passes_its_own_ci_in_a_fresh_venv(wheels, tmp_path_factory):
    """What the generated CI workflow runs, step by step, in a fresh venv with the core
    wheel: install the pack (which pulls in indcli-partner-permit), its tests, the check
    (which, with --strict, fails only on the placeholders the author must replace)."""
    venv = Venv.create(tmp_path_factory.mktemp("new-pack-ci-venv"), wheels)
    venv.pip_install("indcli")
    work = tmp_path_factory.mktemp("new-pack-ci")
    made = venv.run("indcli", "new-pack", "indcli-hello", *OPTIONS["both"], cwd=work)
    assert made.returncode == 0, describe(made)
    pack = work / "indcli-hello"
    env = {**venv.env, "PIP_FIND_LINKS": str(wheels), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for step in ci_steps(pack):
        done = venv_run(["bash", "-c", step], env=env, cwd=pack, timeout=PIP_TIMEOUT)
        if "--strict" in step:  # fails until the author replaces new-pack's placeholders
            assert done.returncode == 1 and "no errors" in done.stdout, describe(done)
            said = " ".join(done.stdout.split())  # unwrapped
            placeholders = said.count("still the placeholder `indcli new-pack` wrote")
            assert placeholders and said.count("- warning:") == placeholders, describe(done)
            continue
        assert done.returncode == 0, f"CI step failed: {step}\n{describe(done)}"
        if "pytest" in step:
            assert "6 passed" in done.stdout, describe(done)
    plugins = json_of(venv.indcli("plugins", "--format", "json"))["plugins"]
    assert sorted(p["name"] for p in plugins if p["status"] == "loaded") == [
        "indcli-hello",
        "indcli-partner-permit",
    ]
    shown = venv.indcli("hello-packs")
    assert shown.returncode == 0 and "indcli-hello" in shown.stdout, describe(shown)
    assert "--hello-question" in venv.indcli("route", "--help").stdout


# The longest and the oddest names new-pack accepts (62 characters, one letter, digits
# after hyphens): whatever it accepts must install and load.
EXTREME_NAMES = ["indcli-" + "a1-b2-" * 9 + "c", "q", "x0-0-z"]


@pytest.mark.slow
def test_packs_made_from_the_longest_and_oddest_names_install_and_load(wheels, tmp_path_factory):
    venv = Venv.create(tmp_path_factory.mktemp("new-pack-names-venv"), wheels)
    venv.pip_install("indcli")
    work = tmp_path_factory.mktemp("new-pack-names")
    for name in EXTREME_NAMES:
        made = venv.run("indcli", "new-pack", name, *OPTIONS["both"], cwd=work)
        assert made.returncode == 0, describe(made)
    venv.pip_install(*[work / name for name in EXTREME_NAMES])
    plugins = json_of(venv.indcli("plugins", "--format", "json"))["plugins"]
    assert sorted(p["name"] for p in plugins if p["status"] == "loaded") == sorted(
        [*EXTREME_NAMES, "indcli-partner-permit"]
    ), plugins
    checked = venv.indcli("check")  # --strict would fail on new-pack's placeholders
    assert checked.returncode == 0 and "no errors" in checked.stdout, describe(checked)
    route_help = venv.indcli("route", "--help").stdout
    for name in EXTREME_NAMES:
        short = name.removeprefix("indcli-")
        assert f"--{short}-question" in route_help
        for args in (["explain", short], [f"{short}-packs"]):
            shown = venv.indcli(*args)
            assert shown.returncode == 0, describe(shown)
