"""Finding installed packs: the entry points of one group, without importlib.metadata.

Importing :mod:`importlib.metadata` alone costs more than the rest of a typical run, so
this module reads the metadata folders on ``sys.path`` itself, following the rules of
``importlib.metadata.entry_points(group=...)`` (tests/test_discovery.py compares the two
over a venv holding wheels, editable installs, egg-info and shadowed distributions):

- every folder on the path in order ('' is the current folder); in each, the
  ``*.dist-info`` and ``*.egg-info`` entries (any case), then ``*.egg/EGG-INFO``;
- a distribution is known by the name before the first '-' of its folder, normalised;
  the first one of a name wins, even when it has no entry point in the group;
- ``entry_points.txt`` is INI-like: ``[group]`` headers, ``name = value`` lines, lines
  starting with '#' ignored; a value is ``module[:attr[.sub]] [extras]``.

Editable installs need nothing special: their metadata folder is in site-packages like any
other; the ``.pth`` line or import hook they install only matters when the entry point is
loaded, which goes through the normal import system. Zip files on the path are skipped.

Only the standard library is imported here, at module level (the test runs this file
by path in a venv without indcli).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

_INFO_SUFFIXES = (".dist-info", ".egg-info")
# importlib.metadata's EntryPoint.pattern
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class EntryPoint:
    """One entry point, as ``importlib.metadata.EntryPoint`` would give it.

    This module imports only the standard library (tests run it standalone), so its two
    classes are written out, not records."""

    __slots__ = ("dist", "group", "name", "value", "version")

    def __init__(self, name: str, value: str, group: str, dist: str, version: str) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.dist = dist  # the distribution's Name from its metadata, as written there
        self.version = version

    @property
    def module(self) -> str:
        return _parse(self.value)[0]

    @property
    def attr(self) -> str | None:
        return _parse(self.value)[1]

    @property
    def extras(self) -> list[str]:
        return _parse(self.value)[2]

    def load(self) -> Any:
        """Import the module and follow the attribute path, as EntryPoint.load does."""
        import importlib

        module, attr, _ = _parse(self.value)
        target = importlib.import_module(module)
        for part in filter(None, (attr or "").split(".")):
            target = getattr(target, part)
        return target


def _parse(value: str) -> tuple[str, str | None, list[str]]:
    match = _VALUE.match(value)
    if match is None:
        raise ValueError(f"malformed entry point value {value!r} (expected module[:attr])")
    extras = (match.group("extras") or "").strip("[]")
    return match.group("module"), match.group("attr"), re.findall(r"\w+", extras)


@functools.cache  # called for every pack many times a run
def normalise(name: str) -> str:
    """PEP 503 normalised distribution name (``Foo_Bar`` -> ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower().strip()


def entry_points(group: str, paths: Iterable[str] | None = None) -> list[EntryPoint]:
    """Every entry point of ``group`` on ``paths`` (default ``sys.path``), in path order."""
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for folder in sys.path if paths is None else paths:
        for meta_dir, stem_name in _metadata_dirs(folder):
            key = normalise(stem_name)
            if key in seen:
                continue
            seen.add(key)
            pairs = _group_entries(meta_dir, group)
            if pairs:
                name, version = _name_and_version(meta_dir, stem_name)
                found += [EntryPoint(n, v, group, name, version) for n, v in pairs]
    return found


def _metadata_dirs(folder: str) -> list[tuple[str, str]]:
    """(metadata path, name from the folder name) in ``folder``, in importlib's order."""
    try:
        with os.scandir(folder or ".") as scan:
            names = [entry.name for entry in scan]
    except OSError:  # missing, not a folder, or a zip file
        return []
    base = folder or "."
    infos, eggs = [], []
    for child in names:
        low = child.lower()
        if low.endswith(_INFO_SUFFIXES):
            infos.append((os.path.join(base, child), child.rsplit(".", 1)[0].partition("-")[0]))
        elif low.endswith(".egg"):
            stem = low.rpartition(".")[0].partition("-")[0]
            eggs.append((os.path.join(base, child, "EGG-INFO"), stem))
    # importlib groups a folder's entries by name (first appearance) before eggs
    order: dict[str, int] = {}
    for _, stem in infos:
        order.setdefault(normalise(stem), len(order))
    infos.sort(key=lambda info: order[normalise(info[1])])
    return infos + eggs


def _group_entries(meta_dir: str, group: str) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of ``group`` in a distribution's entry_points.txt."""
    try:
        with open(os.path.join(meta_dir, "entry_points.txt"), encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return []
    if f"{group}]" not in text:  # cheap test before parsing
        return []
    pairs, section = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group and "=" in line:
            ep_name, value = line.split("=", 1)
            pairs.append((ep_name.strip(), value.strip()))
    return pairs


def _name_and_version(meta_dir: str, stem_name: str) -> tuple[str, str]:
    """Name and Version from METADATA (dist-info) or PKG-INFO (egg-info): read only for
    distributions with an entry point in the group, so a few small reads per run."""
    name, version = stem_name, ""
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(meta_dir, file), encoding="utf-8") as handle:
                for line in handle:
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    if key == "Name":
                        name = value.strip()
                    elif key == "Version":
                        version = value.strip()
            break
        except (OSError, UnicodeDecodeError):
            continue
    return name, version or "unknown"


class PackSource:
    """Where a pack comes from: an entry point (lazy ``load``) or a module in-process."""

    __slots__ = ("entry_point", "load", "name", "origin", "version")

    def __init__(
        self,
        name: str,
        version: str,
        load: Callable[[], Any],
        entry_point: str | None = None,  # its name in the indcli group, when installed
        origin: str | None = None,  # a file the pack comes from (indcli check PATH)
    ) -> None:
        self.name = name
        self.version = version
        self.load = load
        self.entry_point = entry_point
        self.origin = origin


def entry_point_sources(paths: Iterable[str] | None = None) -> list[PackSource]:
    """Every pack installed on ``paths`` (default ``sys.path``), in name order.

    A pack is named after its distribution (normalised); a distribution with several
    entry points in the ``indcli`` group gives ``dist:entry-point`` for the second and
    later ones. Each source remembers its entry-point name, so INDCLI_LOAD_PLUGINS and
    INDCLI_DISABLE_PLUGINS accept either name.
    """
    from indcli import ENTRY_POINT_GROUP

    found: dict[str, PackSource] = {}
    firsts: set[str] = set()
    for ep in entry_points(ENTRY_POINT_GROUP, paths):
        dist = normalise(ep.dist)
        key = dist if dist not in firsts else f"{dist}:{ep.name}"
        firsts.add(dist)
        found.setdefault(normalise(key), PackSource(key, ep.version, ep.load, ep.name))
    return [found[k] for k in sorted(found)]
