"""``indcli docs [TOPIC]``: the reference pages, read where indcli is installed.

In this (editable) checkout the pages come from ``docs/``; tests/test_wheels.py checks
that the wheel ships them as ``indcli/docs`` and that the installed command prints them.
"""

from __future__ import annotations

import json
import re

import pytest
from venvtools import REPO

from indcli.commands import docs as docs_command
from indcli.testing import make_app, run

AUTHOR_DOCS = ("api", "content", "hooks", "tutorial")


def docs(*args: str):
    return run(make_app(), ["docs", *args])


def test_lists_the_topics_with_their_titles():
    result = docs()
    assert result.exit_code == 0, result.stderr
    for topic in AUTHOR_DOCS:
        assert f"  - {topic}: " in result.stdout
    assert "Content file reference" in result.stdout
    assert "README" not in result.stdout


@pytest.mark.parametrize("topic", AUTHOR_DOCS)
def test_every_topic_prints_its_page(topic):
    page = (REPO / "docs" / f"{topic}.md").read_text(encoding="utf-8")
    result = docs(topic)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == page
    data = json.loads(docs(topic, "--format", "json").stdout)
    assert (data["command"], data["topic"], data["text"]) == ("docs", topic, page)
    assert data["title"] == page.splitlines()[0].removeprefix("# ")


def test_an_unknown_topic_is_a_usage_error_with_a_suggestion():
    result = docs("hook")
    assert result.exit_code == 2
    assert "no topic 'hook'. Did you mean 'hooks'?" in result.stderr
    assert "api, content, hooks" in result.stderr


def test_without_the_pages_it_says_so_in_one_line(monkeypatch):
    monkeypatch.setattr(docs_command, "docs_folder", lambda: None)
    result = docs("content")
    assert result.exit_code == 1
    assert "reference pages are not installed" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_in_the_core_points_to_a_docs_file_users_do_not_have():
    # The repository's docs/*.md are not where users are: messages, help and new packs
    # name `indcli docs TOPIC`. (hookspecs.py's docstring is for core contributors.)
    pattern = re.compile(r"docs/[a-z]+\.md")
    found = [
        f"{path.relative_to(REPO)}: {match.group()}"
        for path in (REPO / "src" / "indcli").rglob("*")
        if path.suffix in (".py", ".tmpl") and path.name != "hookspecs.py"
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
