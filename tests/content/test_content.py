"""Content validation: every problem names pack, file, item and field."""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import CITE, SOURCE, failing_app, make_pack, topic_toml

from indcli.errors import ContentError
from indcli.packs.content_cache import ContentLoader
from indcli.testing import run


def error_of(tmp_path, content: str, raw: bool = False) -> str:
    pack = make_pack("indcli-bad", tmp_path, content)
    if raw:
        (tmp_path / "indcli-bad" / "content.toml").write_bytes(content.encode("latin-1"))
    app = failing_app(pack)
    [loaded] = app.catalog.packs
    assert loaded.status == "failed"
    return loaded.error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            topic_toml("t").replace("title", "titel"),
            "line 9, topics[0] (id 't'), field 'titel': unknown field 'titel'; did you mean "
            "'title'?",
        ),
        (
            topic_toml("t").replace(CITE, '{ source = "s", checked = 2026-11-28 }', 1),
            "line 11, topics[0] (id 't'), field 'source.quote': required field 'quote' is missing",
        ),
        (
            topic_toml("t").replace('source = "s"', 'source = "nope"', 1),
            "line 11, topics[0] (id 't'), field 'source.source': source 'nope' is not in this "
            "file's [[sources]]; the sources of this file: s",
        ),
        (topic_toml("Bad Id"), "topics[0] (id 'Bad Id'), field 'id': 'Bad Id' is not a valid id"),
        (
            topic_toml("t").replace("One line.", "Evil \\u001b[31m red"),
            "field 'summary': text may not contain control characters",
        ),
        (topic_toml("t") + topic_toml("t"), "line 15, topics[1] (id 't'), field 'id': duplicate"),
        ("[[topics]\n", "invalid TOML"),
        (
            topic_toml("t").split("body =")[0] + "body = []\n",
            "field 'body': needs at least 1 item",
        ),
    ],
)
def test_invalid_content_is_located(tmp_path, content, expected):
    error = error_of(tmp_path, content)
    assert error.startswith("invalid content in content.toml")
    assert expected in error
    assert "Value error" not in error and "Field required" not in error


def loaded_failure(tmp_path, content: str):
    [loaded] = failing_app(make_pack("indcli-bad", tmp_path, content)).catalog.packs
    assert loaded.status == "failed"
    return loaded


def test_every_problem_is_listed_with_its_line(tmp_path):
    content = (
        topic_toml("t").replace("title", "titel")
        + topic_toml("u").replace("summary", "sumary").replace('source = "s"', 'source = "sx"')
        + topic_toml("v").replace("One line.", "x" * 120)
    )
    pack = loaded_failure(tmp_path, content)
    lines = (SOURCE + textwrap.dedent(content)).splitlines()
    found = [(p.item, p.field, p.message, lines[p.line - 1].strip()) for p in pack.problems]
    assert [f[:2] for f in found] == [
        ("topics[0] (id 't')", "titel"),
        ("topics[1] (id 'u')", "sumary"),
        ("topics[1] (id 'u')", "source.source"),
        ("topics[1] (id 'u')", "body[0].source.source"),
        ("topics[2] (id 'v')", "summary"),
    ]
    assert found[0][3].startswith("titel =") and found[1][3].startswith("sumary =")
    assert "did you mean 's'?" in found[2][2] and found[2][3].startswith('source = { source = "sx"')
    assert found[4][2] == "at most 100 characters, not 120"
    assert pack.error.startswith("invalid content in content.toml: 5 problems: (1) line 9, ")
    assert "\n" not in pack.error and "more problem" not in pack.error


def test_many_problems_of_a_long_file_each_get_their_own_line(tmp_path):
    """Lines come from one index of the file (not a rescan per problem): still exact."""
    content = "".join(
        topic_toml(f"t{i}").replace("title", "titel").replace('"s"', '"nope"', 1)
        for i in range(150)
    )
    pack = loaded_failure(tmp_path, content)
    lines = (SOURCE + textwrap.dedent(content)).splitlines()
    titel = [p for p in pack.problems if p.field == "titel"]
    wrong = [p for p in pack.problems if p.field == "source.source"]
    assert len(titel) == len(wrong) == 150
    assert [lines[p.line - 1].strip()[:5] for p in titel] == ["titel"] * 150
    assert all(lines[p.line - 1].strip().startswith('source = { source = "nope"') for p in wrong)
    assert len({p.line for p in titel}) == 150


def test_check_json_lists_every_problem_with_its_location(tmp_path):
    content = topic_toml("t").replace("title", "titel")
    content += topic_toml("u").replace("summary", "sumary")
    app = failing_app(make_pack("indcli-bad", tmp_path, content))
    data = json.loads(run(app, ["check", "--format", "json"]).stdout)
    mine = [p for p in data["problems"] if p["pack"] == "indcli-bad"]
    assert [(p["file"], p["item"], p["field"]) for p in mine] == [
        ("content.toml", "topics[0] (id 't')", "titel"),
        ("content.toml", "topics[1] (id 'u')", "sumary"),
    ]
    assert [p["message"].split(":")[0] for p in mine] == ["line 9", "line 17"]


def test_a_condition_field_is_located_without_pydantic_tags(tmp_path):
    flow = f"""
    [[flows]]
    id = "f"
    title = "F"
    [[flows.rules]]
    id = "r"
    outcome = "o"
    text = "t"
    source = {CITE}
    when = {{ all = [{{ question = "q", iz = "a" }}] }}
    """
    [problem] = loaded_failure(tmp_path, flow).problems
    assert (problem.item, problem.field) == ("flows[0].rules[0] (id 'r')", "when.all[0].iz")
    assert "did you mean 'is'?" in problem.message


def test_not_utf8(tmp_path):
    assert "not UTF-8" in error_of(tmp_path, "title = 'caf\xe9'", raw=True)


def test_too_large(tmp_path):
    assert "larger than 512 KiB" in error_of(tmp_path, "# " + "x" * 600_000)


def test_deeply_nested_content_is_rejected_cleanly(tmp_path):
    assert "nested too deeply" in error_of(tmp_path, "x = " + "[" * 5000 + "]" * 5000)


def test_flow_rule_checks(tmp_path):
    flow = f"""
    [[flows]]
    id = "f"
    title = "F"
    [[flows.questions]]
    id = "q"
    prompt = "Q?"
    help = "h"
    choices = [{{ id = "yes", label = "Yes" }}, {{ id = "no", label = "No" }}]
    source = {CITE}
    [[flows.rules]]
    id = "r"
    when = {{ outcome = "o" }}
    outcome = "o"
    text = "t"
    source = {CITE}
    """
    assert "an outcome rule cannot test the outcome" in error_of(tmp_path, flow)
    reserved = flow.replace('id = "q"', 'id = "format"').replace('when = { outcome = "o" }', "")
    assert "question 'format' has the name of a route option" in error_of(tmp_path, reserved)


def test_the_loader_validates_once_and_then_reuses_the_cache(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[[sources]]\nid = "s"\nurl = "https://x.org"\ntitle = "X"\n' + topic_toml("t"))
    cache = tmp_path / "cache"
    first = ContentLoader(cache)
    data = first("p", path)
    assert first.validated == 1 and data["topics"][0]["id"] == "t"
    second = ContentLoader(cache)
    assert second("p", path) == data and second.validated == 0
    path.write_text(path.read_text().replace("One line.", "Changed."))
    third = ContentLoader(cache)
    assert third("p", path)["topics"][0]["summary"] == "Changed." and third.validated == 1
    for entry in cache.iterdir():  # a damaged entry is ignored, not trusted
        entry.write_text("{not json")
    fourth = ContentLoader(cache)
    assert fourth("p", path)["topics"][0]["summary"] == "Changed." and fourth.validated == 1


def test_the_cache_can_be_switched_off(tmp_path):
    from indcli.packs.content_cache import cache_dir

    assert cache_dir({"INDCLI_NO_CACHE": "1"}) is None
    assert cache_dir({"INDCLI_CACHE_DIR": str(tmp_path)}) == str(tmp_path)
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == str(tmp_path / "indcli")


def test_content_error_fields():
    error = ContentError("p", "c.toml", "topics[0] (id 't')", "title", "Field required")
    assert error.exit_code == 3
    assert (
        error.message
        == "invalid content in c.toml, topics[0] (id 't'), field 'title': Field required"
    )


def test_absurdly_long_dotted_keys_are_refused_before_parsing(tmp_path):
    key = ".".join(["a"] * 5000)
    assert "has a key of more than 100 parts" in error_of(tmp_path, f"{key} = 1\n")


def _paragraph(extra: str) -> str:
    body = f'body = [{{ text = "Body text.", source = {CITE}{extra} }}]'
    return topic_toml("t").replace(f'body = [{{ text = "Body text.", source = {CITE} }}]', body)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (', basis = "inference"', "basis 'inference' needs a 'basis_note'"),
        (', basis_note = "Why."', "'basis_note' is only for basis 'inference'"),
        (', basis = "guess", basis_note = "Why."', "field 'body[0].basis'"),
    ],
)
def test_basis_is_checked(tmp_path, extra, expected):
    assert expected in error_of(tmp_path, _paragraph(extra))


def test_basis_is_in_the_data(tmp_path):
    path = tmp_path / "c.toml"
    source = '[[sources]]\nid = "s"\nurl = "https://x.org"\ntitle = "X"\n'
    path.write_text(source + _paragraph(', basis = "inference", basis_note = "Why."'))
    [paragraph] = ContentLoader(None)("p", path)["topics"][0]["body"]
    assert (paragraph["basis"], paragraph["basis_note"]) == ("inference", "Why.")
    path.write_text(source + topic_toml("t"))
    [paragraph] = ContentLoader(None)("p", path)["topics"][0]["body"]
    assert (paragraph["basis"], paragraph["basis_note"]) == ("page", None)
