"""Shared fixtures: the shipped packs as in-process modules, and small pack factories.

Every test builds its own App (and with it a fresh plugin manager) from the modules it
names, so nothing installed on the machine takes part.
"""

from __future__ import annotations

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

SOURCE = """
[[sources]]
id = "s"
url = "https://example.org/page"
title = "Example page"
"""
CITE = '{ source = "s", quote = "A sentence.", checked = 2026-11-28 }'


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


def question_toml(qid: str, choices: tuple[str, ...] = ("yes", "no"), **fields: str) -> str:
    """A ``[[flows.questions]]`` table: yes/no by default; ``fields`` as raw TOML values."""
    listed = ", ".join(f'{{ id = "{c}", label = "{c.capitalize()}" }}' for c in choices)
    return _table(
        "flows.questions",
        {"id": f'"{qid}"', "prompt": f'"{qid.capitalize()}?"', "help": '"h"',
         "choices": f"[{listed}]", **fields},
    )  # fmt: skip


def outcome_toml(oid: str, channel: str = "paper", **fields: str) -> str:
    """A ``[[flows.outcomes]]`` table; ``fields`` as raw TOML values."""
    return _table(
        "flows.outcomes",
        {"id": f'"{oid}"', "channel": f'"{channel}"', "title": f'"{oid.capitalize()}"',
         "form": '{ title = "f", how = "h" }', **fields},
    )  # fmt: skip


def rule_toml(rid: str, when: str | None = None, **fields: str) -> str:
    """A ``[[flows.rules]]`` table: ``when`` and ``fields`` as raw TOML values, e.g.
    ``rule_toml("r", '{ question = "a", is = "yes" }', outcome='"done"')``."""
    when_field = {} if when is None else {"when": when}
    return _table("flows.rules", {"id": f'"{rid}"', **when_field, "text": '"t"', **fields})


def flow_toml(flow_id: str = "f", *parts: str, title: str | None = "F", **fields: str) -> str:
    """A ``[[flows]]`` table followed by its parts (``question_toml`` and friends).

    ``title=None`` makes a contributor's part (it owns nothing); ``fields`` are raw TOML
    values, e.g. ``extends='"indcli-partner-permit"'``."""
    head = {"id": f'"{flow_id}"', **({} if title is None else {"title": f'"{title}"'}), **fields}
    return _table("flows", head) + "".join(parts)


def _table(name: str, fields: dict[str, str]) -> str:
    lines = [f"[[{name}]]", *(f"{key} = {value}" for key, value in fields.items())]
    if name.startswith("flows.") and "source" not in fields:
        lines.append(f"source = {CITE}")
    return "\n" + "\n".join(lines) + "\n"


def warning_text(line: str) -> str:
    """A warning line as text: with --format json it is a JSON object; this gives the
    same ``indcli: warning: ...`` form either way."""
    if line.startswith("{"):
        import json

        return "indcli: warning: " + json.loads(line)["warning"]["message"]
    return line


# Answers that route online (DigiD with sms, iDeal, partner without a permit).
ONLINE = {
    "eu-long-term-resident": "no",
    "temporary-permit": "no",
    "public-funds": "no",
    "prefer": "online",
    "dutch-bank": "yes",
    "digid": "sms",
    "partner-permit": "no",
}

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
