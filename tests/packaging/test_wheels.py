"""Build real wheels of the core and the three packs and use them in a fresh venv.

This is the test that the packaging works, not just the editable dev install: the
wheels carry their ``content.toml``, the ``indcli`` entry-point group is wired up, a
pack that is not installed is reported as missing, and installing more packs adds
their commands and topics.

One venv is created per session. It first gets the core plus only the berichtenbox
pack; the results of the commands for that stage are collected in a fixture before the
other two packs are installed into the same venv, so the tests do not depend on the
order in which pytest runs them. Dependencies (click, pydantic, questionary)
come from the package index.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from venvtools import (
    CORE_PROJECTS,
    ONLINE_ANSWERS,
    PIP_TIMEOUT,
    REPO,
    Venv,
    build_wheel,
    clean_environ,
    run,
)
from venvtools import describe as _describe
from venvtools import json_of as _json

pytestmark = pytest.mark.slow  # builds wheels and installs them in fresh venvs

PROJECTS = CORE_PROJECTS
PACKS = ("indcli-berichtenbox", "indcli-partner-permit", "indcli-public-funds")

# The reference pages `indcli docs TOPIC` prints from the installed wheel.
AUTHOR_DOCS = ("api", "content", "hooks", "tutorial")

ROUTE_ARGS = ["route", "--no-input", *ONLINE_ANSWERS, "--format", "json"]


def _version(project_dir: Path) -> str:
    """The ``__version__`` from a project's package, read without importing it."""
    (init,) = project_dir.glob("src/*/__init__.py")
    for line in init.read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise AssertionError(f"no __version__ in {init}")


def _plugins_by_name(data: dict) -> dict[str, dict]:
    assert data.get("schema_version") == 1, data
    assert data.get("command") == "plugins", data
    return {plugin["name"]: plugin for plugin in data["plugins"]}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wheels")


@pytest.fixture(scope="session")
def wheels(wheel_dir: Path) -> dict[str, Path]:
    """Wheels of the core and the three packs, built once per session."""
    return {name: build_wheel(project, wheel_dir) for name, project in PROJECTS.items()}


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory, wheels: dict[str, Path], wheel_dir) -> Venv:
    """A fresh venv (no system site-packages) with the core and only the berichtenbox pack."""
    env = Venv.create(tmp_path_factory.mktemp("venv"), wheel_dir)
    env.pip_install("indcli", "indcli-berichtenbox")
    return env


@pytest.fixture(scope="session")
def berichtenbox_only(venv: Venv) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every command of the berichtenbox-only stage, run before more packs are installed."""
    return {
        "version": venv.indcli("--version"),
        "steps": venv.indcli("berichtenbox-steps", "--format", "json"),
        "explain": venv.indcli("explain", "public-funds"),
        "plugins": venv.indcli("plugins", "--format", "json"),
        "python -m": venv.run("python", "-m", "indcli", "--version"),
        "import": venv.run("python", "-c", "import indcli; print(indcli.__file__)"),
        "docs": venv.indcli("docs", "--format", "json"),
        **{f"docs {t}": venv.indcli("docs", t, "--format", "json") for t in AUTHOR_DOCS},
    }


@pytest.fixture(scope="session")
def full_venv(venv: Venv, berichtenbox_only: dict) -> Venv:
    """The same venv after the other two packs are installed (after the stage above ran)."""
    venv.pip_install("indcli-public-funds", "indcli-partner-permit")
    return venv


# --------------------------------------------------------------------------- wheel contents


@pytest.mark.parametrize(
    ("project", "member"),
    [
        ("indcli-berichtenbox", "indcli_berichtenbox/content.toml"),
        ("indcli-partner-permit", "indcli_partner_permit/content.toml"),
        ("indcli-public-funds", "indcli_public_funds/content.toml"),
    ],
)
def test_pack_wheel_contains_its_content_file(wheels, project, member):
    with zipfile.ZipFile(wheels[project]) as archive:
        names = archive.namelist()
        assert member in names, f"{member} missing from {wheels[project].name}: {names}"
        source = PROJECTS[project] / "src" / member
        assert archive.read(member) == source.read_bytes(), f"{member} differs from {source}"


def test_core_wheel_ships_the_new_pack_templates(wheels):
    templates = REPO / "src" / "indcli" / "templates" / "pack"
    expected = sorted(f"indcli/templates/pack/{p.name}" for p in templates.glob("*.tmpl"))
    assert len(expected) >= 5
    with zipfile.ZipFile(wheels["indcli"]) as archive:
        assert sorted(n for n in archive.namelist() if "/templates/" in n) == expected


def test_core_wheel_ships_the_reference_pages(wheels):
    with zipfile.ZipFile(wheels["indcli"]) as archive:
        for page in (REPO / "docs").glob("*.md"):
            member = f"indcli/docs/{page.name}"
            assert member in archive.namelist(), f"{member} missing from the core wheel"
            assert archive.read(member) == page.read_bytes(), f"{member} differs from {page}"


def test_core_wheel_is_marked_typed(wheels):
    """PEP 561: without py.typed a type checker reads every indcli name as Any."""
    with zipfile.ZipFile(wheels["indcli"]) as archive:
        assert "indcli/py.typed" in archive.namelist()


def test_pack_wheels_declare_the_indcli_entry_point(wheels):
    for project in PACKS:
        with zipfile.ZipFile(wheels[project]) as archive:
            (entry_points,) = [n for n in archive.namelist() if n.endswith("/entry_points.txt")]
            text = archive.read(entry_points).decode()
        assert "[indcli]" in text, f"{project}: no [indcli] entry-point group in\n{text}"


# --------------------------------------------------------------------------- core + berichtenbox


def test_installed_package_is_the_wheel_not_the_checkout(venv, berichtenbox_only):
    proc = berichtenbox_only["import"]
    assert proc.returncode == 0, _describe(proc)
    location = Path(proc.stdout.strip())
    assert location.is_relative_to(venv.root), (
        f"indcli imported from {location}, not from the venv {venv.root}"
    )
    assert not location.is_relative_to(REPO), f"indcli imported from the checkout: {location}"


def test_installed_docs_print_every_reference_page(berichtenbox_only):
    listed = [t["topic"] for t in _json(berichtenbox_only["docs"])["topics"]]
    assert set(AUTHOR_DOCS) <= set(listed), listed
    for topic in AUTHOR_DOCS:
        data = _json(berichtenbox_only[f"docs {topic}"])
        assert data["text"] == (REPO / "docs" / f"{topic}.md").read_text(encoding="utf-8")


def test_version(berichtenbox_only):
    proc = berichtenbox_only["version"]
    assert proc.returncode == 0, _describe(proc)
    assert _version(REPO) in proc.stdout, _describe(proc)


def test_python_m_indcli_version(berichtenbox_only):
    proc = berichtenbox_only["python -m"]
    assert proc.returncode == 0, _describe(proc)
    assert _version(REPO) in proc.stdout, _describe(proc)


def test_berichtenbox_steps_json(berichtenbox_only):
    proc = berichtenbox_only["steps"]
    data = _json(proc)
    assert data["schema_version"] == 1, data
    assert data["command"] == "berichtenbox-steps", data
    steps = data["steps"]
    assert [step["number"] for step in steps] == list(range(1, 9)), _describe(proc)
    for step in steps:
        source = step.get("source")
        assert isinstance(source, dict), f"step {step['number']} has no source: {step}"
        for key in ("url", "title", "quote", "checked"):
            assert source.get(key), f"step {step['number']} source lacks {key!r}: {source}"


def test_missing_pack_topic_is_a_usage_error_naming_the_pack(berichtenbox_only):
    proc = berichtenbox_only["explain"]
    assert proc.returncode == 2, _describe(proc)
    assert "indcli-public-funds" in proc.stderr, _describe(proc)


def test_plugins_lists_only_berichtenbox(berichtenbox_only):
    plugins = _plugins_by_name(_json(berichtenbox_only["plugins"]))
    assert set(plugins) == {"indcli-berichtenbox"}, plugins
    pack = plugins["indcli-berichtenbox"]
    assert pack["version"] == _version(PROJECTS["indcli-berichtenbox"]), pack
    assert pack["status"] == "loaded", pack


# --------------------------------------------------------------------------- all three packs


def test_explain_public_funds_after_installing_the_pack(full_venv):
    proc = full_venv.indcli("explain", "public-funds", "--format", "json")
    data = _json(proc)
    assert data["topic"] == "public-funds", data
    source = data.get("source")
    assert isinstance(source, dict) and source.get("url"), f"no source: {data}"


def test_route_after_installing_the_pack(full_venv):
    proc = full_venv.indcli(*ROUTE_ARGS)
    data = _json(proc)
    assert data["outcome"]["id"] == "online-partner-no-permit", _describe(proc)


def test_plugins_lists_all_three_packs(full_venv):
    plugins = _plugins_by_name(_json(full_venv.indcli("plugins", "--format", "json")))
    assert set(plugins) == set(PACKS), plugins
    for name in PACKS:
        assert plugins[name]["status"] == "loaded", plugins[name]
        assert plugins[name]["version"] == _version(PROJECTS[name]), plugins[name]


# --------------------------------------------------------------------------- a broken pack


@pytest.fixture(scope="session")
def broken_env(full_venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The full venv's environment plus, on PYTHONPATH, an installed pack whose module
    fails to import (installed with --target, so the shared venv itself stays clean)."""
    project = tmp_path_factory.mktemp("broken")
    (project / "indcli_broken").mkdir()
    (project / "indcli_broken" / "__init__.py").write_text("import no_such_module_here\n")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "indcli-broken"\nversion = "6.6.6"\n'
        '[project.entry-points.indcli]\nbroken = "indcli_broken"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["indcli_broken"]\n'
    )
    wheel = build_wheel(project, project / "dist")
    target = project / "site"
    proc = run(
        [full_venv.python, "-m", "pip", "install", "-q", "--no-deps", "--target", target, wheel],
        env=clean_environ(), cwd=project, timeout=PIP_TIMEOUT,
    )  # fmt: skip
    assert proc.returncode == 0, _describe(proc)
    return {**full_venv.env, "PYTHONPATH": str(target)}


def _indcli(venv: Venv, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return venv.indcli(*args, env=env)


def test_an_installed_broken_pack_names_itself_and_the_rest_works(full_venv, broken_env):
    proc = _indcli(full_venv, broken_env, "explain", "public-funds", "--format", "json")
    assert _json(proc)["topic"] == "public-funds"
    warning = proc.stderr.strip().splitlines()
    assert len(warning) == 1, _describe(proc)
    assert "pack indcli-broken 6.6.6 was skipped" in warning[0], _describe(proc)
    assert "No module named 'no_such_module_here'" in warning[0], _describe(proc)
    assert _indcli(full_venv, broken_env, "--help").returncode == 0
    assert _indcli(full_venv, broken_env, "--version").stderr == ""
    listing = _plugins_by_name(_json(_indcli(full_venv, broken_env, "plugins", "--format", "json")))
    assert listing["indcli-broken"]["status"] == "failed"


def test_strict_mode_makes_the_installed_broken_pack_fatal(full_venv, broken_env):
    env = {**broken_env, "INDCLI_STRICT_PLUGINS": "1"}
    proc = _indcli(full_venv, env, "explain", "public-funds")
    assert proc.returncode == 3, _describe(proc)
    assert "indcli-broken" in proc.stderr


def test_disabling_the_broken_pack_silences_it(full_venv, broken_env):
    env = {**broken_env, "INDCLI_DISABLE_PLUGINS": "indcli-broken"}
    proc = _indcli(full_venv, env, "explain", "public-funds")
    assert proc.returncode == 0 and proc.stderr == "", _describe(proc)
