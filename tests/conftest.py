"""Shared fixtures: the shipped packs as in-process modules, and small pack factories.

Every test builds its own App (and with it a fresh plugin manager) from the modules it
names, so nothing installed on the machine takes part.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from types import ModuleType

import indcli_berichtenbox
import indcli_partner_permit
import indcli_public_funds
import pytest

from indcli import hookimpl
from indcli.packs.loading import PackSource
from indcli.testing import make_app

SEED = Path(__file__).parent / "data" / "ind-partner-application-forms.txt"
PACKS = (indcli_partner_permit, indcli_berichtenbox, indcli_public_funds)
# What a test that starts ``python -m indcli`` loads: the packs of this checkout, and no
# other pack installed next to them (say, the tutorial's example pack).
SHIPPED = "indcli-partner-permit,indcli-berichtenbox,indcli-public-funds"


def child_environ(**extra: str) -> dict[str, str]:
    """The environment of an indcli child process: no INDCLI_* settings of the machine,
    the shipped packs pinned, no cache, no colour; ``extra`` on top (an empty value
    removes a variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDCLI_")}
    env.update(INDCLI_LOAD_PLUGINS=SHIPPED, INDCLI_NO_CACHE="1", NO_COLOR="1", **extra)
    return {k: v for k, v in env.items() if v or k == "INDCLI_LOAD_PLUGINS"}


SOURCE = """
[[sources]]
id = "s"
url = "https://example.org/page"
title = "Example page"
"""
CITE = '{ source = "s", quote = "A sentence.", checked = 2026-11-28 }'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``-n auto --dist loadgroup``), keep the slow tests of a module
    on one worker, so its wheels and venvs (module fixtures) are built once."""
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture
def all_packs():
    return make_app(*PACKS)


def make_pack(
    name: str,
    tmp_path: Path,
    content: str | None = None,
    commands: list | None = None,
    version: str = "1.0",
) -> PackSource:
    """An in-process pack named ``name`` with ``content`` (TOML, sources added) and commands."""
    module = ModuleType(name.replace("-", "_"))
    if content is not None:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "content.toml"
        path.write_text(SOURCE + textwrap.dedent(content), encoding="utf-8")

        @hookimpl
        def indcli_content():
            return path

        module.indcli_content = indcli_content
    if commands is not None:

        @hookimpl
        def indcli_commands():
            return commands

        module.indcli_commands = indcli_commands
    return PackSource(name, version, lambda: module)


def topic_toml(topic_id: str, title: str = "A topic") -> str:
    return f"""
    [[topics]]
    id = "{topic_id}"
    title = "{title}"
    summary = "One line."
    source = {CITE}
    body = [{{ text = "Body text.", source = {CITE} }}]
    """


def warning_text(line: str) -> str:
    """A warning line as text: with --format json it is a JSON object; this gives the
    same ``indcli: warning: ...`` form either way."""
    if line.startswith("{"):
        import json

        return "indcli: warning: " + json.loads(line)["warning"]["message"]
    return line


# The route options and values of the product contract (shared/DESIGN.md), written out
# here rather than read from the pack, so tests hold the pack to the contract.
QUESTIONS = {
    "eu-long-term-resident": ["yes", "no"],
    "temporary-permit": ["yes", "no"],
    "public-funds": ["yes", "no"],
    "prefer": ["online", "paper"],
    "dutch-bank": ["yes", "no"],
    "digid": ["none", "no-sms", "sms"],
    "partner-permit": ["yes", "no"],
    "partner-abroad": ["yes", "no"],
}
