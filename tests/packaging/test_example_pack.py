"""The example third-party pack (examples/indcli_example_pack), installed for real.

The core, the three shipped packs and the example are built as wheels and installed in
one fresh venv (created once for this module). The example must add its option to
``indcli route`` and change the result when it is answered, add its topic and command,
be listed by ``indcli plugins``, run its own tests there, and keep ``indcli check`` clean.

Then a copy of the example under another distribution name (same content, same ids) is
installed next to it, on PYTHONPATH with ``pip install --target`` so the shared venv
stays as it was. The copy must not silently win: it is skipped with one warning naming
both packs, listed as failed, and ``indcli check`` fails.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from venvtools import CORE_PROJECTS, ONLINE_ANSWERS, REPO, Venv, build_wheel, describe, json_of

pytestmark = pytest.mark.slow  # builds wheels and installs them in fresh venvs

EXAMPLE = REPO / "examples" / "indcli_example_pack"
PACKS = ("indcli-berichtenbox", "indcli-example", "indcli-partner-permit", "indcli-public-funds")
COPY = "indcli-example-copy"
REAL_ROUTE = ONLINE_ANSWERS


def _route(venv: Venv, *args: str, env: dict[str, str] | None = None) -> dict:
    return json_of(venv.indcli("route", "--no-input", "--format", "json", *args, env=env))


def _plugins(venv: Venv, env: dict[str, str] | None = None) -> dict[str, dict]:
    data = json_of(venv.indcli("plugins", "--format", "json", env=env))
    return {pack["name"]: pack for pack in data["plugins"]}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example-wheels")
    for project in [*CORE_PROJECTS.values(), EXAMPLE]:
        build_wheel(project, out)
    return out


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheels: Path) -> Venv:
    env = Venv.create(tmp_path_factory.mktemp("example-venv"), wheels)
    env.pip_install(*PACKS, "pytest")  # the core comes in as their dependency
    return env


@pytest.fixture(scope="module")
def copy_env(venv: Venv, wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The venv's environment plus, on PYTHONPATH, a copy of the example named COPY."""
    base = tmp_path_factory.mktemp("example-copy")
    project = base / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    module = COPY.replace("-", "_")
    (project / "src" / "indcli_example").rename(project / "src" / module)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    for old, new in [
        ('name = "indcli-example"', f'name = "{COPY}"'),
        ('example = "indcli_example"', f'example-copy = "{module}"'),
        ('packages = ["src/indcli_example"]', f'packages = ["src/{module}"]'),
    ]:
        assert old in text, f"{old!r} not in the example's pyproject.toml"
        text = text.replace(old, new)
    pyproject.write_text(text, encoding="utf-8")
    wheel = build_wheel(project, base / "wheel")
    target = base / "site"
    proc = venv.pip("install", "--no-deps", "--target", target, wheel)
    assert proc.returncode == 0, describe(proc)
    return {**venv.env, "PYTHONPATH": str(target)}


# --------------------------------------------------------------------------- installed


def test_plugins_lists_the_example_with_what_it_adds(venv):
    plugins = _plugins(venv)
    assert set(plugins) == set(PACKS), plugins
    example = plugins["indcli-example"]
    assert example["status"] == "loaded", example
    assert example["hooks"] == ["indcli_content", "indcli_commands"], example
    assert example["contributes"]["commands"] == ["example-questions"], example
    assert example["contributes"]["topics"] == ["example-pack"], example
    assert example["contributes"]["flows"] == ["partner-permit (1 questions, 1 outcomes, 1 rules)"]


def test_route_help_shows_the_new_option(venv):
    proc = venv.indcli("route", "--help")
    assert proc.returncode == 0, describe(proc)
    assert "--example-demo [yes|no]" in proc.stdout, describe(proc)


def test_the_example_changes_the_route(venv):
    demo = _route(venv, "--example-demo", "yes")  # decides at once: nothing else is needed
    assert demo["outcome"]["id"] == "example-demo"
    assert demo["outcome"]["channel"] == "referral"
    assert [r["rule"] for r in demo["reasons"]] == ["example-demo"]
    assert demo["reasons"][0]["see"]["command"] == "indcli explain example-pack"
    real = _route(venv, "--example-demo", "no", *REAL_ROUTE)
    assert real["outcome"]["id"] == "online-partner-no-permit"
    without = {**venv.env, "INDCLI_DISABLE_PLUGINS": "indcli-example"}
    assert _route(venv, *REAL_ROUTE, env=without)["outcome"] == real["outcome"]


def test_the_new_question_is_needed_for_every_route(venv):
    proc = venv.indcli("route", "--no-input", *REAL_ROUTE)
    assert proc.returncode == 2, describe(proc)
    assert "--example-demo (yes|no)" in proc.stderr, describe(proc)


def test_explain_shows_the_example_topic(venv):
    data = json_of(venv.indcli("explain", "example-pack", "--format", "json"))
    assert data["topic"] == "example-pack"
    assert data["pack"] == "indcli-example"
    assert data["source"]["url"] == "https://example.org/indcli-example"
    assert "not IND advice" in data["summary"]


def test_the_example_command_reads_the_catalog(venv):
    data = json_of(venv.indcli("example-questions", "--format", "json"))
    packs = {q["id"]: q["pack"] for q in data["questions"]}
    assert packs["example-demo"] == "indcli-example"
    assert packs["eu-long-term-resident"] == "indcli-partner-permit"


def test_the_example_passes_its_own_tests(venv):
    proc = venv.run("pytest", "-q", "-p", "no:cacheprovider", EXAMPLE, timeout=120)
    assert proc.returncode == 0, describe(proc)


def test_check_is_clean_with_the_example_and_the_three_packs(venv):
    data = json_of(venv.indcli("check", "--format", "json"))
    assert data["ok"] is True and data["errors"] == 0, data
    assert sorted(data["packs"]) == sorted(PACKS), data
    # No gap, conflict, unreachable outcome, shadowed rule or unused question: nothing at
    # all but, once the shipped quotes are a year old, reminders to check them again.
    assert [p for p in data["problems"] if "checked" not in p["field"]] == [], data
    (flow,) = data["flows"]
    assert flow["gaps"] == flow["conflicts"] == 0, flow
    assert "example-demo" in flow["outcomes_reached"], flow


# --------------------------------------------------------------------------- a clashing copy


def test_a_copy_is_skipped_with_one_warning_naming_both(venv, copy_env):
    proc = venv.indcli("explain", "example-pack", "--format", "json", env=copy_env)
    assert json_of(proc)["pack"] == "indcli-example"
    warnings = proc.stderr.strip().splitlines()
    assert len(warnings) == 1, describe(proc)
    assert f"pack {COPY} 0.1.0 was skipped" in warnings[0], describe(proc)
    assert f"so indcli-example keeps it and {COPY} does not load" in warnings[0], describe(proc)


def test_plugins_shows_the_copy_failed(venv, copy_env):
    plugins = _plugins(venv, env=copy_env)
    assert plugins["indcli-example"]["status"] == "loaded"
    copy = plugins[COPY]
    assert copy["status"] == "failed", copy
    assert "also contributed by indcli-example" in copy["error"], copy


def test_the_original_still_routes_with_the_copy_installed(venv, copy_env):
    data = _route(venv, "--example-demo", "yes", env=copy_env)
    assert data["outcome"]["id"] == "example-demo"
    fired = [t for t in data["trace"] if t["rule"] == "example-demo"]
    assert [t["pack"] for t in fired] == ["indcli-example"]


def test_check_fails_with_the_copy(venv, copy_env):
    proc = venv.indcli("check", env=copy_env)
    assert proc.returncode == 1, describe(proc)
    assert COPY in proc.stdout and "indcli-example" in proc.stdout, describe(proc)


def test_strict_mode_makes_the_copy_fatal(venv, copy_env):
    proc = venv.indcli("explain", "example-pack", env={**copy_env, "INDCLI_STRICT_PLUGINS": "1"})
    assert proc.returncode == 3, describe(proc)
    assert COPY in proc.stderr, describe(proc)


# --------------------------------------------------------------------------- an impostor

IMPOSTOR = "indcli-aaa-mvv"  # sorts before every shipped pack
IMPOSTOR_CONTENT = """format = 1

[[sources]]
id = "s"
url = "https://example.org/mvv"
title = "Placeholder"

[[topics]]
id = "public-funds"
title = "Impostor text about public funds"
summary = "Not the real topic."
source = { source = "s", quote = "q", checked = 2026-11-28 }
body = [{ text = "Impostor body.", source = { source = "s", quote = "q", checked = 2026-11-28 } }]

[[flows]]
id = "partner-permit"
extends = "indcli-partner-permit"

[[flows.questions]]
id = "mvv-needed"
prompt = "MVV?"
help = "h"
choices = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]
source = { source = "s", quote = "q", checked = 2026-11-28 }

[[flows.rules]]
id = "mvv-paper"
when = { all = [
  { question = "eu-long-term-resident", is = "yes" }, { question = "mvv-needed", is = "yes" },
] }
outcome = "paper-family-member"
priority = 100
text = "t"
source = { source = "s", quote = "q", checked = 2026-11-28 }
"""


@pytest.fixture(scope="module")
def impostor_env(venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The venv's environment plus, on PYTHONPATH, a pack that clashes on public-funds
    and overrides an outcome rule of the partner-permit flow without saying so."""
    base = tmp_path_factory.mktemp("impostor")
    project = base / "project"
    module = project / "src" / "indcli_aaa_mvv"
    module.mkdir(parents=True)
    (module / "content.toml").write_text(IMPOSTOR_CONTENT, encoding="utf-8")
    (module / "__init__.py").write_text(
        "from pathlib import Path\nfrom indcli import hookimpl\n\n\n@hookimpl\n"
        "def indcli_content():\n    return Path(__file__).with_name('content.toml')\n",
        encoding="utf-8",
    )
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling>=1.18"]\nbuild-backend = "hatchling.build"\n'
        f'[project]\nname = "{IMPOSTOR}"\nversion = "1.0"\n'
        f'[project.entry-points.indcli]\nmvv = "indcli_aaa_mvv"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["src/indcli_aaa_mvv"]\n',
        encoding="utf-8",
    )
    wheel = build_wheel(project, base / "wheel")
    target = base / "site"
    proc = venv.pip("install", "--no-deps", "--target", target, wheel)
    assert proc.returncode == 0, describe(proc)
    return {**venv.env, "PYTHONPATH": str(target)}


def test_an_impostor_never_shows_its_topic(venv, impostor_env):
    proc = venv.indcli("explain", "public-funds", "--format", "json", env=impostor_env)
    data = json_of(proc)
    assert data["pack"] == "indcli-public-funds" and "Impostor" not in proc.stdout
    assert IMPOSTOR in proc.stderr and "indcli-public-funds" in proc.stderr, describe(proc)
    assert "INDCLI_DISABLE_PLUGINS=indcli-public-funds" not in proc.stderr, describe(proc)


def test_check_of_the_impostor_names_the_topic_and_the_rule(venv, impostor_env):
    proc = venv.indcli("check", IMPOSTOR, env=impostor_env)
    assert proc.returncode == 1, describe(proc)
    assert "topic 'public-funds'" in proc.stdout, describe(proc)
    said = " ".join(proc.stdout.split())  # wrapped at spaces on a terminal's width
    assert "rule 'mvv-paper'" in said and "eu-long-term-resident-referral" in said


def test_check_compat_of_the_example_reports_the_sets_needing_its_question(venv):
    data = json_of(venv.indcli("check", "indcli-example", "--compat", "--format", "json"))
    (flow,) = data["compat"]["indcli-example"]
    assert flow["needs_more_answers"]["count"] == flow["answers_before"] > 0
    assert flow["needs_more_answers"]["examples"][0]["missing"] == ["example-demo"]


def test_a_route_the_example_decides_carries_a_warning_naming_it(venv):
    data = _route(venv, "--example-demo", "yes")
    (warning,) = [w for w in data["warnings"] if w["id"] == "outcome-from-another-pack"]
    assert warning["pack"] == "indcli-example"
