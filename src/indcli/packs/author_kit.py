"""Checking a pack before it is installed (``indcli check PATH``).

A pack folder whose ``pyproject.toml`` declares its ``indcli`` entry points is loaded as
installing it would load it: its own modules are imported from the folder and registered
like an installed pack's, under the same guard, so its hooks and commands are checked
with its content. A content file alone, or a folder whose code cannot be imported from
where it is, is checked for its content only, and the pack says so (``content_only``), so
``check`` neither invents problems about its commands nor passes code it never ran. Either
way it loads beside the installed packs (or the in-process packs of a test), in place of
an installed pack of the same name.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from indcli.limits import MAX_CONTENT_BYTES
from indcli.packs.catalog import Catalog, Reserved, load_catalog
from indcli.packs.discovery import PackSource, entry_point_sources, normalise
from indcli.utils.text_safety import one_line


def is_path(arg: str) -> bool:
    """Whether a ``check`` argument names a file or folder rather than a pack: a
    ``.toml`` file, or anything with a slash (``./my-pack`` for a folder here), so a
    folder named like a pack never hides the pack."""
    return arg.endswith(".toml") or os.sep in arg or "/" in arg or arg in (".", "..")


def path_source(path: Path) -> PackSource:
    """A pack source that loads the content file(s) at ``path``; ValueError if none.

    The pack is named after the ``[project] name`` of the nearest pyproject.toml between
    the file and the folder given (a file given: its own folder), else after the file's
    folder; no folder above the one given is read. Each file must be a regular file (a
    link to one counts) of at most the loader's size cap: a FIFO or a device is a
    problem, never a wait or an endless read."""
    if path.is_dir():
        root = path
        files = sorted({*path.glob("content.toml"), *path.glob("src/*/content.toml")})
        if not files:
            raise ValueError(f"no content.toml in {path} (nor in {path}/src/*/)")
    elif path.exists():
        root, files = path.parent, [path]
    else:
        raise ValueError(f"no such file or folder: {path}")
    for file in files:
        _read(file)
    name = _project_name(files[0].parent, root) or files[0].resolve().parent.name
    why_not = "a content file alone has no code"
    if path.is_dir():
        code, why_not = _code_source(root, normalise(name))
        if code is not None:
            return code
    module = ModuleType(f"indcli_check_{normalise(name).replace('-', '_')}")
    from indcli import hookimpl

    @hookimpl
    def indcli_content() -> list[Path]:
        return files

    module.indcli_content = indcli_content  # type: ignore[attr-defined]
    source = PackSource(normalise(name), "local", lambda: module, origin=str(files[0]))
    source.content_only = why_not
    return source


def _code_source(root: Path, name: str) -> tuple[PackSource | None, str]:
    """A source importing the pack's own modules from ``root`` (as its entry points in
    ``pyproject.toml`` name them), or None and why its code cannot be checked."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None, f"{root} has no pyproject.toml naming its modules"
    entry_points = tomllib.loads(_read(pyproject).decode("utf-8")).get("project", {})
    entry_points = entry_points.get("entry-points", {}) if isinstance(entry_points, dict) else {}
    declared = entry_points.get("indcli") if isinstance(entry_points, dict) else None
    if not isinstance(declared, dict) or not declared:
        return None, "its pyproject.toml declares no [project.entry-points.indcli]"
    loads = []
    for ep_name, value in declared.items():
        module = str(value).partition(":")[0].partition("[")[0].strip()
        top = module.split(".")[0]
        base = next(
            (b for b in (root / "src", root) if (b / top / "__init__.py").is_file()
             or (b / f"{top}.py").is_file()),
            None,
        )  # fmt: skip
        if base is None:
            return None, f"its module {top} is not in {root} (nor in {root}/src)"
        imported = sys.modules.get(top)
        where = getattr(imported, "__file__", None)
        if imported is not None and not (where and _within(where, base)):
            return None, f"a module {top} from elsewhere is imported already"
        loads.append((str(ep_name), _importer(base, str(value))))
    (first_name, first), *rest = loads
    source = PackSource(name, "local", first, first_name, str(pyproject), None, tuple(rest))
    return source, ""


def _importer(base: Path, value: str) -> Any:
    """Imports an entry point's target with ``base`` first on the path, for that import."""

    def load() -> Any:
        from indcli.packs.discovery import EntryPoint

        sys.path.insert(0, str(base))
        try:
            return EntryPoint("", value, "indcli", "", "").load()
        finally:
            sys.path.remove(str(base))

    return load


def _within(file: str, folder: Path) -> bool:
    return os.path.realpath(file).startswith(os.path.realpath(folder) + os.sep)


def _read(file: Path) -> bytes:
    """The bytes of a regular file within the loader's cap; ValueError with the reason."""
    from indcli.utils.files import read_regular

    try:
        blob = read_regular(file, MAX_CONTENT_BYTES)
    except OSError as exc:
        raise ValueError(f"cannot read {one_line(str(file))}: {exc.strerror or exc}") from None
    if len(blob) > MAX_CONTENT_BYTES:
        raise ValueError(
            f"{one_line(str(file))} is larger than {MAX_CONTENT_BYTES // 1024} KiB, "
            "more than a pack needs"
        )
    return blob


def _project_name(folder: Path, root: Path) -> str | None:
    """``[project] name`` of the nearest pyproject.toml from ``folder`` up to ``root``."""
    for parent in [folder, *folder.parents]:
        pyproject = parent / "pyproject.toml"
        if os.path.lexists(pyproject):
            return _name_in(pyproject)
        if parent == root:
            break
    return None


def _name_in(pyproject: Path) -> str | None:
    shown = one_line(str(pyproject))
    try:
        data = tomllib.loads(_read(pyproject).decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{shown} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{shown} is not valid TOML: {one_line(str(exc))}") from None
    project = data.get("project", {})
    if not isinstance(project, dict):
        raise ValueError(f"{shown}: project must be a [project] table with a name")
    name = project.get("name")
    if name is not None and not (isinstance(name, str) and name.strip()):
        raise ValueError(f"{shown}: [project] name must be a non-empty string")
    return name


def catalog_with(
    sources: Iterable[PackSource] | None,
    environ: Mapping[str, str],
    read: Any,
    reserved: Reserved | None,
    local: list[PackSource],
) -> Catalog:
    """The packs (``None``: installed) with ``local`` ones in place of any of the same
    name, loaded as :func:`~indcli.packs.catalog.load_catalog` does."""
    names = {normalise(s.name): s for s in local}
    kept = []
    for source in entry_point_sources() if sources is None else sources:
        replaced = names.get(normalise(source.name.partition(":")[0]))
        if replaced is None:
            kept.append(source)
        else:  # the installed pack's code (its commands) with the file's content
            replaced.load = _with_code_of(source, replaced.load)
    sources = kept
    environ = dict(environ)
    if environ.get("INDCLI_LOAD_PLUGINS") is not None:  # a chosen set: the files join it
        environ["INDCLI_LOAD_PLUGINS"] += "," + ",".join(sorted(names))
    return load_catalog(sources + local, environ, read, reserved or Reserved())


def _with_code_of(installed: PackSource, load: Any) -> Any:
    def both() -> ModuleType:
        module = load()
        commands = getattr(installed.load(), "indcli_commands", None)
        if commands is not None:
            module.indcli_commands = commands
        return module

    return both
