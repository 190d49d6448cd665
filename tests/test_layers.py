"""The core's layers point down only, and packs use only the public API.

The layers, from the bottom up (docs/README.md draws them)::

    base      errors, limits, hookspecs, utils/       what every layer may use
    content/  the typed records, the pydantic schema and its messages
    routing/  flows, the engine, the graph            (no click)
    packs/    discovery, loading, the cache, the catalog
    checks/   flow and content checks, quotes, compat
    output/   documents, text/markdown, the terminal, payloads, schemas
    app       the per-run App
    commands/ every command, the interview, prompts, answers
    top       cli, api, testing, __main__

- No import cycle among the modules of ``src/indcli`` (imports inside functions count).
- Every import points to the same layer or one below it; routing never imports click.
- The top has at most twelve modules; no module is over 500 lines.
- The shipped packs and the example pack import only ``indcli``, ``indcli.api`` and
  ``indcli.testing``; the partner_permit and berichtenbox packs have no code commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "indcli"
PUBLIC = {"indcli", "indcli.api", "indcli.testing"}
LAYERS = [
    {"indcli", "errors", "limits", "hookspecs", "utils"},
    {"content"},
    {"routing"},
    {"packs"},
    {"checks"},
    {"output"},
    {"app"},
    {"commands"},
    {"cli", "api", "testing", "__main__"},
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, prefix: str = "indcli") -> set[str]:
    """Every module under ``prefix`` a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name == prefix or name.startswith(f"{prefix}.")}


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _graph() -> dict[str, set[str]]:
    """Module -> the modules it imports. A package whose ``__init__`` is only a docstring
    costs nothing to import, so importing a module from it is no edge to the package."""
    modules = _modules()
    empty = {n for n, p in modules.items() if p.name == "__init__.py" and not _code(p)}
    return {
        name: {
            i
            for i in _imports(path)
            if i in modules and i != name and i != "indcli" and i not in empty
        }
        for name, path in modules.items()
    }


def _code(path: Path) -> bool:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)) for n in body)


def _layer(module: str) -> int:
    first = module.split(".")[1] if "." in module else "indcli"
    return next(i for i, names in enumerate(LAYERS) if first in names)


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


def test_every_module_belongs_to_a_layer():
    for module in _modules():
        _layer(module)  # StopIteration names a module no layer holds


def test_imports_point_down_only():
    graph = _graph()
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) > _layer(module)
    )
    assert upward == []


def test_routing_has_no_click():
    routing = [p for p in (SRC / "routing").glob("*.py")]
    assert routing
    for path in routing:
        assert _imports(path, "click") == set(), path.name


def test_the_top_is_small_and_every_module_short():
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= 12, top
    packages = [p for p in SRC.iterdir() if (p / "__init__.py").exists()]
    assert len(packages) >= 5
    for package in packages:
        assert not _code(package / "__init__.py"), f"{package.name}/__init__.py holds code"
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


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


def test_utils_is_the_floor():
    """utils/ imports only the standard library and itself: no arrow runs back up from it
    (to errors, limits or click), so every layer can use it."""
    for name, imported in _graph().items():
        if name.startswith("indcli.utils."):
            assert all(i.startswith("indcli.utils") for i in imported), (name, imported)
            source = (SRC / Path(*name.split(".")[1:])).with_suffix(".py").read_text()
            assert "import click" not in source, name
