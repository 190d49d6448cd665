"""Shared fixtures: the shipped packs as in-process modules, and small pack factories.

Every test builds its own App (and with it a fresh plugin manager) from the modules it
names, so nothing installed on the machine takes part.
"""

from __future__ import annotations

import os
import signal
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


def default_sigint() -> None:
    """``preexec_fn`` of a child that is sent Ctrl-C (SIGINT): the default handler, as in a
    terminal. A suite started with SIGINT ignored (``nohup``, ``cmd &`` in a script, some
    CI runners) passes that on to every child, where no Ctrl-C would then arrive."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def dev_stdout():
    """Puts /dev/stdout back if the code under test replaced it (as root, a rename over
    it succeeds and breaks every later redirect on the machine)."""
    target = os.readlink("/dev/stdout") if os.path.islink("/dev/stdout") else None
    yield
    if target is not None and not os.path.islink("/dev/stdout"):
        os.unlink("/dev/stdout")
        os.symlink(target, "/dev/stdout")
        pytest.fail("--output replaced /dev/stdout (put back)")


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


def topic_toml(topic_id: str, title: str = "A topic", related: str = "") -> str:
    """A ``[[topics]]`` table; ``related`` is the raw TOML of its pointers, if any."""
    pointers = f"    related = [{related}]\n" if related else ""
    return f"""
    [[topics]]
    id = "{topic_id}"
    title = "{title}"
    summary = "One line."
    source = {CITE}
    body = [{{ text = "Body text.", source = {CITE} }}]
{pointers}    """


def question_toml(qid: str, choice_ids: tuple[str, ...] = ("yes", "no"), **fields: str) -> str:
    """A ``[[flows.questions]]`` table: yes/no by default; ``fields`` as raw TOML values."""
    listed = ", ".join(f'{{ id = "{c}", label = "{c.capitalize()}" }}' for c in choice_ids)
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


def path_pack(root: Path, name: str, content: str | None = None, code: str = "") -> Path:
    """A pack on a folder for PYTHONPATH, as ``pip install --target`` would leave it: a
    module with ``content`` (TOML, sources added) and ``code``, and its dist-info with an
    entry point in the ``indcli`` group. Returns the folder."""
    module = name.replace("-", "_")
    package = root / module
    package.mkdir(parents=True, exist_ok=True)
    hooks = "from pathlib import Path\n\nfrom indcli import hookimpl\n\n" + textwrap.dedent(code)
    if content is not None:
        (package / "content.toml").write_text(SOURCE + textwrap.dedent(content), "utf-8")
        hooks += (
            "\n\n@hookimpl\ndef indcli_content():\n"
            "    return Path(__file__).with_name('content.toml')\n"
        )
    (package / "__init__.py").write_text(hooks, encoding="utf-8")
    info = root / f"{module}-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[indcli]\n{module} = {module}\n")
    return root


def run_indcli(
    *args: str,
    pythonpath: Path,
    packs: str,
    code: str | None = None,
    preexec_fn: object = None,
    **env: str,
):
    """``python -m indcli ARGS`` (or ``python -c CODE``) in a child with the shipped packs
    and those on ``pythonpath`` (INDCLI_LOAD_PLUGINS pinned to ``packs`` and the shipped);
    ``preexec_fn`` as for subprocess (:func:`default_sigint` for a child sent Ctrl-C)."""
    import os
    import subprocess
    import sys

    shipped = "indcli-partner-permit,indcli-berichtenbox,indcli-public-funds"
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("INDCLI_")},
        "PYTHONPATH": str(pythonpath),
        "INDCLI_LOAD_PLUGINS": ",".join(filter(None, [shipped, packs])),
        "INDCLI_NO_CACHE": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else ["-m", "indcli"]), *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        stdin=subprocess.DEVNULL,
        preexec_fn=preexec_fn,
    )


def failing_app(*packs, **kwargs):
    """:func:`make_app` for a test about packs that fail to load (make_app raises)."""
    return make_app(*packs, allow_failures=True, **kwargs)
