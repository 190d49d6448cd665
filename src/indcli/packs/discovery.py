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

    __slots__ = ("dist", "folder", "group", "name", "value", "version")

    def __init__(
        self, name: str, value: str, group: str, dist: str, version: str, folder: str = ""
    ) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.dist = dist  # the distribution's Name from its metadata, as written there
        self.version = version
        self.folder = folder  # its metadata folder (``name-1.0.dist-info``), where known

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
                found += [EntryPoint(n, v, group, name, version, meta_dir) for n, v in pairs]
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
    return name, version


class PackSource:
    """Where a pack comes from: a distribution's entry points (loaded lazily) or a module
    in-process. ``problem`` says why an installed distribution is refused unloaded."""

    __slots__ = (
        "content_only",
        "entry_point",
        "load",
        "name",
        "origin",
        "problem",
        "siblings",
        "version",
    )

    def __init__(
        self,
        name: str,
        version: str,
        load: Callable[[], Any],
        entry_point: str | None = None,  # its name in the indcli group, when installed
        origin: str | None = None,  # a file the pack comes from (indcli check PATH)
        problem: str | None = None,  # why the distribution is refused, if it is
        siblings: tuple[tuple[str, Callable[[], Any]], ...] = (),  # its other entry points
    ) -> None:
        self.name = name
        self.version = version
        self.load = load
        self.entry_point = entry_point
        self.origin = origin
        self.problem = problem
        self.siblings = siblings
        self.content_only = ""  # check PATH: why the pack's code was not checked, if not


# PEP 440 versions (packaging's VERSION_PATTERN, compacted), compiled only for a version
# that is not plain numbers and dots (about 0.4 ms a run otherwise)
_PEP440 = (
    r"v?([0-9]+!)?[0-9]+(\.[0-9]+)*"
    r"([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
    r"(-[0-9]+|[-_.]?(post|rev|r)[-_.]?[0-9]*)?"
    r"([-_.]?dev[-_.]?[0-9]*)?"
    r"(\+[a-z0-9]+([-_.][a-z0-9]+)*)?"
)


def valid_name(name: str) -> bool:
    """A PEP 508 distribution name: ASCII letters and digits, with ``.``, ``_`` or ``-``
    inside."""
    return (
        name.isascii()
        and name[:1].isalnum()
        and name[-1:].isalnum()
        and all(c.isalnum() or c in "._-" for c in name)
    )


def valid_version(version: str) -> bool:
    """A PEP 440 version (surrounding spaces allowed)."""
    version = version.strip()
    if version.isascii() and all(part.isdigit() for part in version.split(".")):
        return True
    return re.fullmatch(_PEP440, version, re.ASCII | re.IGNORECASE) is not None


def shown(text: str) -> str:
    """A name or version from metadata as plain ASCII (``\\u0456`` for a look-alike)."""
    return text.encode("ascii", "backslashreplace").decode("ascii")[:100]


def entry_point_sources(paths: Iterable[str] | None = None) -> list[PackSource]:
    """Every pack installed on ``paths`` (default ``sys.path``), in name order.

    A pack is a distribution: all of its entry points in the ``indcli`` group are one pack,
    named after the distribution (normalised). A distribution is refused (a source with a
    ``problem``, never loaded) when its metadata folder and METADATA ``Name`` disagree, its
    name is not a valid ASCII name or its version not a valid version, or when its entry
    points name a module that another distribution's entry points name too.
    """
    from indcli import ENTRY_POINT_GROUP

    by_dist: dict[str, list[EntryPoint]] = {}
    for ep in entry_points(ENTRY_POINT_GROUP, paths):
        by_dist.setdefault(_folder_name(ep), []).append(ep)
    claims: dict[str, set[str]] = {}
    for key, eps in by_dist.items():
        for ep in eps:
            claims.setdefault(_top_module(ep), set()).add(key)
    sources = []
    for key, eps in by_dist.items():
        first = eps[0]
        problem = _identity_problem(first) or _shared_module(key, eps, claims)
        siblings = tuple((ep.name, ep.load) for ep in eps[1:])
        sources.append(
            PackSource(key, shown(first.version), first.load, first.name, None, problem, siblings)
        )
    return sorted(sources, key=lambda s: s.name)


def _folder_name(ep: EntryPoint) -> str:
    """The normalised distribution name its metadata folder is named after."""
    base = os.path.basename(ep.folder.rstrip("/\\"))
    if base == "EGG-INFO":  # inside NAME-VERSION.egg
        base = os.path.basename(os.path.dirname(ep.folder))
    return normalise(shown(base.rsplit(".", 1)[0].partition("-")[0]))


def _top_module(ep: EntryPoint) -> str:
    match = _VALUE.match(ep.value)
    return (match.group("module") if match else ep.value).split(".")[0]


def _identity_problem(ep: EntryPoint) -> str | None:
    folder = os.path.basename(ep.folder) or ep.folder
    if not valid_name(ep.dist):
        return (
            f"its METADATA names it '{shown(ep.dist)}', which is not a valid distribution name "
            "(ASCII letters, digits, '-', '_' and '.'), so it is refused"
        )
    if normalise(ep.dist) != _folder_name(ep):
        return (
            f"its metadata folder '{shown(folder)}' and its METADATA name '{shown(ep.dist)}' "
            "disagree (installers write the same name in both), so it is refused; "
            "reinstall it or remove that folder"
        )
    if not valid_version(ep.version):
        version = f"version '{shown(ep.version)}' is not" if ep.version else "METADATA has no"
        return f"its {version} a valid version (PEP 440), so it is refused"
    return None


def _shared_module(key: str, eps: list[EntryPoint], claims: dict[str, set[str]]) -> str | None:
    for ep in eps:
        others = sorted(claims[_top_module(ep)] - {key})
        if others:
            return (
                f"its entry point names module '{shown(_top_module(ep))}', which "
                f"{' and '.join(others)} also name{'s' if len(others) == 1 else ''}; a module "
                "belongs to one distribution, so none of them loads: uninstall the one you do "
                "not trust"
            )
    return None
