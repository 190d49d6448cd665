"""Content validation: every problem names pack, file, item and field."""

from __future__ import annotations

import pytest
from conftest import CITE, make_pack, topic_toml

from indcli.errors import ContentError
from indcli.loader import ContentLoader
from indcli.testing import make_app


def error_of(tmp_path, content: str, raw: bool = False) -> str:
    pack = make_pack("indcli-bad", tmp_path, content)
    if raw:
        (tmp_path / "indcli-bad" / "content.toml").write_bytes(content.encode("latin-1"))
    app = make_app(pack)
    [loaded] = app.catalog.packs
    assert loaded.status == "failed"
    return loaded.error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (topic_toml("t").replace("title", "titel"), "topics[0] (id 't'), field 'titel': unknown"),
        (
            topic_toml("t").replace(CITE, '{ source = "s", checked = 2026-11-28 }', 1),
            "topics[0] (id 't'), field 'source.quote': Field required",
        ),
        (
            topic_toml("t").replace('source = "s"', 'source = "nope"', 1),
            "source 'nope' is not in this file's [[sources]]",
        ),
        (topic_toml("Bad Id"), "topics[0] (id 'Bad Id'), field 'id': String should match"),
        (
            topic_toml("t").replace("One line.", "Evil \\u001b[31m red"),
            "field 'summary': Value error, text may not contain control characters",
        ),
        (topic_toml("t") + topic_toml("t"), "duplicate id 't' in topics"),
        ("[[topics]\n", "invalid TOML"),
        (
            topic_toml("t").split("body =")[0] + "body = []\n",
            "field 'body': List should have at least 1 item",
        ),
    ],
)
def test_invalid_content_is_located(tmp_path, content, expected):
    error = error_of(tmp_path, content)
    assert error.startswith("invalid content in content.toml")
    assert expected in error


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
    reserved = flow.replace('id = "q"', 'id = "format"').replace(
        'when = { outcome = "o" }', ""
    )
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
    from indcli.loader import cache_dir

    assert cache_dir({"INDCLI_NO_CACHE": "1"}) is None
    assert cache_dir({"INDCLI_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "indcli"


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
