"""The pack author documentation in docs/ keeps up with the code.

- Every hook in :mod:`indcli.hookspecs` (every ``indcli_*`` function) has its own
  section in ``docs/hooks.md``, and ``docs/hooks.md`` documents no hook that does not
  exist.
- Every hook has a test of its own. The rule: some test file under ``tests/`` other
  than this one (``test_docs.py``) mentions the hook's name.
- Every field of every model in :mod:`indcli.content.schema` is in ``docs/content.md``: the
  model has a section (a heading that names it in backticks, like ``### `Topic` ``)
  whose field table has a row for the field (``| `summary` |``). A field with an alias
  is documented by its alias, as it is written in TOML (``is``, ``not``).
- The files the tutorial shows (each after a ``<!-- file: PATH -->`` marker) are the
  files of the example pack, verbatim, so the tutorial builds the pack that
  tests/test_example_pack.py installs and runs.
- Relative links in docs/ point at files that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from indcli import hookspecs
from indcli.content import schema as content

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
TESTS = Path(__file__).resolve().parent

HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("indcli_"))
MODELS = sorted(
    (
        model
        for model in vars(content).values()
        if isinstance(model, type)
        and issubclass(model, BaseModel)
        and model.__module__ == content.__name__
        and model.model_fields
    ),
    key=lambda model: model.__name__,
)


def _sections(markdown: str) -> list[tuple[str, str]]:
    """(heading, body up to the next heading of the same or a higher level)."""
    lines = markdown.splitlines()
    found = []
    for i, line in enumerate(lines):
        match = re.match(r"(#+) ", line)
        if not match:
            continue
        level, body = len(match.group(1)), []
        for later in lines[i + 1 :]:
            deeper = re.match(r"(#+) ", later)
            if deeper and len(deeper.group(1)) <= level:
                break
            body.append(later)
        found.append((line, "\n".join(body)))
    return found


def _outside_code(markdown: str) -> str:
    return re.sub(r"^```.*?^```", "", markdown, flags=re.DOTALL | re.MULTILINE)


def test_there_is_something_to_check():
    assert "indcli_content" in HOOKS and "indcli_commands" in HOOKS
    assert content.Topic in MODELS and content.Rule in MODELS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section_in_hooks_md(hook):
    headings = [h for h, _ in _sections(_outside_code((DOCS / "hooks.md").read_text()))]
    assert f"## `{hook}`" in headings, f"docs/hooks.md has no '## `{hook}`' section"


def test_hooks_md_documents_no_hook_that_does_not_exist():
    documented = re.findall(r"^## `(indcli_\w+)`", (DOCS / "hooks.md").read_text(), re.MULTILINE)
    assert sorted(documented) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_of_its_own(hook):
    mentioned = [
        path.name
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "test_docs.py" and hook in path.read_text(encoding="utf-8")
    ]
    assert mentioned, f"no test file under tests/ (other than test_docs.py) mentions {hook}"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_content_field_is_in_content_md(model):
    sections = _sections(_outside_code((DOCS / "content.md").read_text()))
    bodies = [body for heading, body in sections if f"`{model.__name__}`" in heading]
    assert bodies, f"docs/content.md has no section whose heading names `{model.__name__}`"
    names = [info.alias or field for field, info in model.model_fields.items()]
    missing = [name for name in names if f"| `{name}` |" not in bodies[0]]
    assert not missing, f"docs/content.md, section {model.__name__}: no row for {missing}"


def test_the_tutorial_shows_the_example_pack_verbatim():
    tutorial = (DOCS / "tutorial.md").read_text()
    shown = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)^```", tutorial, re.S | re.M)
    assert len(shown) >= 4, "the tutorial shows fewer files of the example pack than expected"
    for path, text in shown:
        assert text == (REPO / path).read_text(), f"docs/tutorial.md shows an old {path}"


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_relative_links_point_at_files_that_exist(page):
    text = _outside_code((DOCS / page).read_text())
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    broken = [t for t in targets if "://" not in t and not (DOCS / t).exists()]
    assert not broken, f"docs/{page} links to missing files: {broken}"


def test_ci_runs_the_readme_test_command_verbatim_in_parallel():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```\n(.*?)\n```", readme, flags=re.MULTILINE | re.DOTALL)
    (command,) = [b for b in blocks if b.startswith("python3 -m venv") and "pytest" in b]
    assert "\n" not in command and " -n " in command  # one command, on every core
    assert command in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
