"""The core's layers point down only, and packs use only the public API.

- No import cycle among the modules of ``src/indcli`` (imports inside functions count).
- No module below the CLI imports it. The CLI is the root command (``cli``), the
  commands (``commands``, ``routing``, ``guides``, ``interview``) and the entry points
  above them (``api``, ``testing``, ``__main__``).
- The shipped packs and the example pack import only ``indcli``, ``indcli.api`` and
  ``indcli.testing``; the partner_permit and berichtenbox packs have no code commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "indcli"
CLI = {"cli", "commands", "routing", "guides", "interview"}
TOP = {"api", "testing", "__main__"}
PUBLIC = {"indcli", "indcli.api", "indcli.testing"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every ``indcli`` module a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name == "indcli" or name.startswith("indcli.")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    return {
        name: {i for i in _imports(path) if i in modules and i != name and i != "indcli"}
        for name, path in modules.items()
    }


def _layer(module: str) -> str:
    first = module.split(".")[1] if "." in module else ""
    return "top" if first in TOP else "cli" if first in CLI else "core"


def test_there_is_no_import_cycle():
    graph = _graph()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycle = [*path[path.index(target) :], target] if target in path else [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_no_module_below_the_cli_imports_it():
    graph = _graph()
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(module) == "core" and _layer(target) != "core"
    )
    assert upward == []
    assert any(_layer(m) == "cli" for m in graph) and any(_layer(m) == "core" for m in graph)


def _pack_files() -> list[Path]:
    roots = [REPO / "plugins", REPO / "examples"]
    return sorted(p for root in roots for p in root.rglob("*.py") if ".venv" not in p.parts)


@pytest.mark.parametrize("path", _pack_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_packs_and_examples_import_only_the_public_api(path):
    private = sorted(_imports(path) - PUBLIC - {f"indcli.{n}" for n in ("hookimpl",)})
    private = [m for m in private if not any(m.startswith(f"{p}.") for p in PUBLIC - {"indcli"})]
    assert private == [], f"{path.name} imports internal modules {private}"


@pytest.mark.parametrize("pack", ["partner_permit", "berichtenbox"])
def test_the_shipped_command_packs_need_no_code_commands(pack):
    source = next((REPO / "plugins" / pack / "src").glob("*/__init__.py")).read_text()
    assert "indcli_commands" not in source
