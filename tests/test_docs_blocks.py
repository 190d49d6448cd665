"""Every code block in docs/ that is an ``indcli`` command or Python runs, and does what
the page says (issue 18): commands run against the shipped packs (and, in the tutorial,
the example pack it builds), in-process, never against what is installed; Python blocks
run with the same packs. A block is skipped only when it cannot run as written (``...``
placeholders, a pack that exists only in the reader's imagination, files of the reader)."""

from __future__ import annotations

import re
import shlex
import sys
import types
from pathlib import Path

import pytest
from conftest import PACKS

from indcli.packs.loading import module_source
from indcli.testing import make_app, run

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
EXAMPLE = REPO / "examples" / "indcli_example_pack"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
# The tutorial builds its pack in steps: these run only at an earlier step than the
# example pack's final form (tests/packaging/test_example_pack.py runs that step).
EARLIER_STEP = {"indcli explain example"}
IMAGINED = ("indcli-my-topic", "indcli_my_topic", "my-pack", "my_pack", "PACK", "TOPIC")


def blocks() -> list[tuple[str, int, str, str, str]]:
    """(page, line, language, block, the block after it) of every page in docs/."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        matches = list(FENCE.finditer(text))
        for n, match in enumerate(matches):
            after = matches[n + 1].group(2) if n + 1 < len(matches) else ""
            line = text.count("\n", 0, match.start()) + 1
            found.append((page.name, line, match.group(1), match.group(2), after))
    return found


def commands() -> list[tuple[str, str, str]]:
    out = []
    for page, line, lang, block, after in blocks():
        if lang:
            continue
        for command in block.splitlines():
            if re.match(r"(\w+=\S*\s+)*indcli\s", command):
                out.append((f"{page}:{line}", command, after))
    return out


def python_blocks() -> list[tuple[str, str]]:
    return [
        (f"{page}:{line}", block) for page, line, lang, block, _ in blocks() if lang == "python"
    ]


def packs_for(where: str) -> list:
    """The shipped packs, and on the tutorial's pages its example pack too."""
    if not where.startswith("tutorial"):
        return [module_source(p) for p in PACKS]
    if str(EXAMPLE / "src") not in sys.path:  # its commands import lazily from there
        sys.path.insert(0, str(EXAMPLE / "src"))
    import indcli_example

    return [module_source(p) for p in (*PACKS, indcli_example)]


def test_there_are_blocks_to_run():
    assert len(commands()) >= 20 and len(python_blocks()) >= 10


@pytest.mark.parametrize(("where", "command", "after"), commands(), ids=lambda v: str(v)[:60])
def test_every_indcli_command_in_the_docs_runs(where, command, after, tmp_path, monkeypatch):
    words = shlex.split(command, comments=True)
    if " ".join(words) in EARLIER_STEP:
        pytest.skip("an earlier step of the tutorial")
    if "..." in command or any(w in IMAGINED or w.endswith(".jsonl") for w in words):
        pytest.skip("a placeholder the reader fills in")
    if any(w.endswith((".json", ".md", ".html")) or w in ("-", "|", ">") for w in words):
        pytest.skip("reads or writes the reader's files")
    environ = {}
    while "=" in words[0]:
        key, _, value = words.pop(0).partition("=")
        environ[key] = value
    args = words[1:]
    if args[:1] == ["new-pack"]:
        # The reader starts with the shipped packs only; the example pack this test put on
        # sys.path for other steps would make new-pack rightly refuse its name.
        module = args[1].replace("-", "_")
        monkeypatch.delitem(sys.modules, module, raising=False)
        monkeypatch.setattr(sys, "path", [p for p in sys.path if not Path(p, module).exists()])
        monkeypatch.chdir(tmp_path)
        packs = [module_source(p) for p in PACKS]
    else:
        (tmp_path / "indcli-example").symlink_to(EXAMPLE)
        monkeypatch.chdir(tmp_path)
        packs = packs_for(where)
    app = make_app(*packs, environ=environ)
    result = run(app, args)
    assert "Traceback" not in result.output, result.output
    documented_error = after.lstrip().startswith(("Error:", "indcli: error"))
    if documented_error:
        assert result.exit_code != 0, (where, command)
    else:
        assert result.exit_code == 0, (where, command, result.output)


@pytest.mark.parametrize(("where", "block"), python_blocks(), ids=lambda v: str(v)[:40])
def test_every_python_block_in_the_docs_runs(where, block, monkeypatch):
    imports = re.findall(r"^(?:from|import) (\w+)", block, re.M)
    if any(name in IMAGINED or name in ("indcli_example", "my_pack") for name in imports):
        pytest.skip("imports the reader's own pack")
    if "@hookimpl" in block and "def indcli_" in block:
        pytest.skip("a pack's module: tests/packaging builds and runs it")
    sources = packs_for(where)
    from indcli import api
    from indcli.packs import catalog

    monkeypatch.setattr(catalog, "entry_point_sources", lambda: list(sources))
    monkeypatch.setattr(api, "_default", None)
    monkeypatch.setenv("INDCLI_NO_CACHE", "1")
    namespace: dict = {"__name__": f"docs_{where}"}
    module = types.ModuleType(namespace["__name__"])
    exec(compile(block, where, "exec"), module.__dict__)
    from indcli.testing import make_app as factory
    from indcli.testing import run as run_with

    fixtures = {
        "indcli_app_factory": factory,
        "indcli_run": lambda args, *packs, **kw: run_with(factory(*packs, **kw), args),
    }
    for name, function in list(vars(module).items()):
        if name.startswith("test_") and callable(function):
            params = function.__code__.co_varnames[: function.__code__.co_argcount]
            function(*(fixtures[p] for p in params))
