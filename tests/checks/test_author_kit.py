"""The author kit (issue 18): `indcli check PATH` checks a content file before install,
--strict fails what `new-pack` left untouched, and reference errors are located."""

from __future__ import annotations

import datetime
import json
import textwrap

import indcli_partner_permit
import pytest
from conftest import CITE, PACKS, SOURCE, failing_app, topic_toml

from indcli.testing import make_app, run

TYPO = f"""
[[flows]]
id = "partner-permit"
extends = "indcli-partner-permit"

[[flows.rules]]
id = "mvv-tip"
when = {{ question = "temporary-permt", is = "yes" }}
advice = "warning"
text = "Ask about an MVV."
source = {CITE}
"""


def content_file(tmp_path, toml: str, name: str = "indcli-mine"):
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n', "utf-8")
    path = folder / "content.toml"
    path.write_text(SOURCE + textwrap.dedent(toml), encoding="utf-8")
    return path


def check(app, *args):
    result = run(app, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_check_path_checks_a_file_beside_the_installed_packs(tmp_path):
    path = content_file(tmp_path, topic_toml("mine"))
    code, data = check(make_app(*PACKS), str(path))
    assert code == 0, data["problems"]
    assert "indcli-mine" in data["packs"]
    code, data = check(make_app(*PACKS), str(path.parent), "--strict")  # a folder
    assert code == 0 and "indcli-mine" in data["packs"]


def test_check_path_of_a_clashing_file_reports_the_clash(tmp_path):
    path = content_file(tmp_path, topic_toml("public-funds"))
    code, data = check(make_app(*PACKS), str(path))
    assert code == 1
    (problem,) = [p for p in data["problems"] if p["pack"] == "indcli-mine"]
    assert "indcli-public-funds" in problem["message"] and problem["file"] == "content.toml"


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = run(make_app(*PACKS), ["check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2 and "no such file" in result.stderr


@pytest.fixture
def forget_new_modules():
    """`check PATH` imports a pack folder's code: forget its modules after the test."""
    import sys

    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_check_path_strict_fails_an_untouched_new_pack(tmp_path, forget_new_modules):
    made = run(make_app(), ["new-pack", "indcli-hello", str(tmp_path / "p"), "--with-route"])
    assert made.exit_code == 0, made.stderr
    folder = tmp_path / "p"
    code, data = check(make_app(indcli_partner_permit), str(folder))
    assert code == 0, data["problems"]  # valid: only warnings
    code, data = check(make_app(indcli_partner_permit), str(folder), "--strict")
    assert code == 1
    mine = [p for p in data["problems"] if p["pack"] == "indcli-hello"]
    assert {"source.url", "source.quote"} <= {p["field"] for p in mine}
    assert all("placeholder" in p["message"] for p in mine)


def test_a_checked_date_in_the_future_fails_strictly(tmp_path):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    path = content_file(tmp_path, topic_toml("mine").replace("2026-11-28", future))
    assert check(make_app(*PACKS), str(path))[0] == 0
    code, data = check(make_app(*PACKS), str(path), "--strict")
    assert code == 1 and any("in the future" in p["message"] for p in data["problems"])


def test_a_typo_in_a_question_id_is_located_with_a_did_you_mean(tmp_path):
    path = content_file(tmp_path, TYPO)
    code, data = check(make_app(*PACKS), str(path))
    assert code == 1
    (problem,) = [p for p in data["problems"] if p["pack"] == "indcli-mine"]
    assert problem["file"] == "content.toml"
    assert problem["item"] == "flow 'partner-permit' rule 'mvv-tip'"
    assert problem["field"] == "when" and problem["line"] == 13
    assert "did you mean 'temporary-permit'?" in problem["message"]
    text = run(make_app(*PACKS), ["check", str(path)])
    assert "content.toml" in text.stdout and "line 13" in text.stdout
    assert "did you mean" in text.stdout


@pytest.mark.parametrize(
    ("old", "new", "field", "mean"),
    [
        ('is = "yes"', 'is = "yess"', "when", "yes"),
        ('advice = "warning"', 'outcome = "paper-family-membr"', "outcome", "paper-family-member"),
    ],
)
def test_other_reference_errors_are_located_too(tmp_path, old, new, field, mean):
    toml = TYPO.replace("temporary-permt", "temporary-permit").replace(old, new)
    if "outcome =" in new:
        toml = toml.replace("text =", "priority = 5\ntext =")
    app = failing_app(*PACKS, *[])
    _, data = check(app, str(content_file(tmp_path, toml)))
    (problem,) = [p for p in data["problems"] if p["pack"] == "indcli-mine" and p["line"]]
    assert problem["field"] == field and f"did you mean '{mean}'?" in problem["message"]


@pytest.fixture
def pack_folder(tmp_path, forget_new_modules):
    """A new pack with a command, made by `indcli new-pack --with-command`, whose topic
    points to that command."""
    name = "indcli-kit"
    result = run(make_app(), ["new-pack", name, str(tmp_path / name), "--with-command"])
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / name
    module = name.replace("-", "_")
    content = folder / "src" / module / "content.toml"
    text = content.read_text(encoding="utf-8")
    command = f"{name.removeprefix('indcli-')}-packs"
    pointer = f'related = [{{ label = "Packs", command = "{command}", pack = "{name}" }}]\n'
    content.write_text(text.replace("\n[[topics.body]]", pointer + "\n[[topics.body]]", 1))
    return folder, module


def test_check_path_imports_the_folders_code_so_its_own_command_counts(pack_folder):
    folder, _ = pack_folder
    code, data = check(make_app(*PACKS), str(folder))
    assert code == 0, data["problems"]
    assert not [p for p in data["problems"] if "no such command" in p["message"]]
    assert data["notes"] == []  # its code was checked


def test_check_path_reports_an_error_in_the_folders_code_where_it_is(pack_folder):
    folder, module = pack_folder
    init = folder / "src" / module / "__init__.py"
    init.write_text(init.read_text().replace("return [hello]", "return [helo]"), "utf-8")
    code, data = check(make_app(*PACKS), str(folder))
    (problem,) = [p for p in data["problems"] if p["severity"] == "error"]
    assert code == 1 and "NameError: name 'helo' is not defined" in problem["message"]
    assert problem["file"] == "__init__.py" and isinstance(problem["line"], int)


def test_check_of_a_content_file_says_its_code_was_not_checked(pack_folder):
    folder, module = pack_folder
    content = folder / "src" / module / "content.toml"
    code, data = check(make_app(*PACKS), str(content))
    assert code == 0, data["problems"]
    assert not [p for p in data["problems"] if "no such command" in p["message"]]
    (note,) = data["notes"]
    assert "only its content was checked, not its code" in note
