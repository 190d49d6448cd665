"""Checking a pack's content file before it is installed (``indcli check PATH``).

The file is loaded as its pack would load it, by the same hook and loader, beside the
installed packs (or the in-process packs of a test), in place of an installed pack of the
same name, so what ``check`` says is what installing it would give.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from indcli.packs.catalog import Catalog, Reserved, load_catalog
from indcli.packs.discovery import PackSource, entry_point_sources, normalise


def is_path(arg: str) -> bool:
    """Whether a ``check`` argument names a file or folder rather than a pack: a
    ``.toml`` file, or anything with a slash (``./my-pack`` for a folder here), so a
    folder named like a pack never hides the pack."""
    return arg.endswith(".toml") or os.sep in arg or "/" in arg or arg in (".", "..")


def path_source(path: Path) -> PackSource:
    """A pack source that loads the content file(s) at ``path``; ValueError if none.

    The pack is named after the ``[project] name`` of the nearest pyproject.toml above
    the file, else after its folder."""
    if path.is_dir():
        files = sorted({*path.glob("content.toml"), *path.glob("src/*/content.toml")})
        if not files:
            raise ValueError(f"no content.toml in {path} (nor in {path}/src/*/)")
    elif path.is_file():
        files = [path]
    else:
        raise ValueError(f"no such file or folder: {path}")
    name = _project_name(files[0].resolve().parent) or files[0].resolve().parent.name
    module = ModuleType(f"indcli_check_{normalise(name).replace('-', '_')}")
    from indcli import hookimpl

    @hookimpl
    def indcli_content() -> list[Path]:
        return files

    module.indcli_content = indcli_content  # type: ignore[attr-defined]
    return PackSource(normalise(name), "local", lambda: module, origin=str(files[0]))


def _project_name(folder: Path) -> str | None:
    for parent in [folder, *folder.parents][:4]:
        try:
            with open(parent / "pyproject.toml", "rb") as handle:
                name = tomllib.load(handle).get("project", {}).get("name")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if isinstance(name, str) and name:
            return name
    return None


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
