"""Finding packs, choosing which load, and loading each one in isolation.

A pack is a distribution with an entry point in the ``indcli`` group. Packs load one by
one: importing the module, registering it with a fresh :class:`pluggy.PluginManager`,
calling each of its hooks and reading its content file all happen under one guard, so a
pack that fails in any of these ways is recorded with its error and skipped, and the
others are unaffected (unlike a single ``pm.hook.x()`` call, where one raising plugin
breaks the call for all).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pluggy

from indcli import ENTRY_POINT_GROUP, PROJECT_NAME, hookspecs
from indcli.errors import ContentError, PackError
from indcli.limits import MAX_CONTENT_BYTES, printable
from indcli.model import Content, content_from_data

HOOK_NAMES = tuple(name for name in vars(hookspecs) if name.startswith("indcli_"))


@dataclass
class PackSource:
    """Where a pack comes from: an entry point (lazy ``load``) or a module in-process."""

    name: str
    version: str
    load: Callable[[], Any]


@dataclass
class LoadedPack:
    """One pack's contributions, before they are merged with the others'."""

    name: str
    version: str
    status: str = "loaded"  # loaded | failed | disabled
    error: str | None = None
    hooks: list[str] = field(default_factory=list)
    commands: list[Any] = field(default_factory=list)
    content: list[Content] = field(default_factory=list)

    def fail(self, error: str) -> None:
        self.status, self.error = "failed", error


def canonical(name: str) -> str:
    """Normalise a distribution name (PEP 503) so env lists match however it is spelt."""
    return re.sub(r"[-_.]+", "-", name).lower().strip()


def parse_name_list(value: str | None) -> set[str] | None:
    """``None`` when unset; otherwise the set of names in a comma list ('' = none)."""
    if value is None:
        return None
    return {canonical(n) for n in value.split(",") if n.strip()}


class _PluginManager(pluggy.PluginManager):
    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        # Hooks are named indcli_*: skip pluggy's inspection of every other attribute of a
        # pack module, which is most of what registering a pack costs.
        if not name.startswith("indcli_"):
            return None
        return super().parse_hookimpl_opts(plugin, name)


def make_plugin_manager() -> pluggy.PluginManager:
    """A fresh plugin manager that knows indcli's hooks and no packs."""
    pm = _PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def module_source(module: ModuleType, name: str | None = None, version: str | None = None):
    """A :class:`PackSource` for a module already imported (tests, in-process use)."""
    dist = name or module.__name__.split(".")[0].replace("_", "-")
    return PackSource(dist, version or str(getattr(module, "__version__", "0")), lambda: module)


def entry_point_sources(paths: Iterable[str] | None = None) -> list[PackSource]:
    """Every pack installed on ``paths`` (default ``sys.path``), in name order.

    This reads ``entry_points.txt`` of each ``*.dist-info`` / ``*.egg-info`` folder
    directly instead of using :mod:`importlib.metadata`, whose import alone costs more
    than the rest of a typical run. As with importlib.metadata, the first distribution
    of a name found on the path wins.
    """
    found: dict[str, PackSource] = {}
    for folder in sys.path if paths is None else paths:
        try:
            entries = [e for e in os.scandir(folder or ".") if e.name.endswith(_META_SUFFIXES)]
        except OSError:
            continue
        for entry in entries:
            values = _group_entries(entry.path, ENTRY_POINT_GROUP)
            if not values:
                continue
            name, version = _name_and_version(entry.path, entry.name)
            if canonical(name) in found:
                continue
            for n, (ep_name, value) in enumerate(values):
                key = name if n == 0 else f"{name}:{ep_name}"
                found[canonical(key)] = PackSource(key, version, _loader(value))
    return [found[k] for k in sorted(found)]


_META_SUFFIXES = (".dist-info", ".egg-info")


def _group_entries(meta_dir: str, group: str) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of ``group`` in a distribution's entry_points.txt."""
    try:
        with open(os.path.join(meta_dir, "entry_points.txt"), encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return []
    header = f"[{group}]"
    if header not in text:
        return []
    pairs, inside = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            inside = line == header
        elif inside and "=" in line and not line.startswith(("#", ";")):
            ep_name, value = line.split("=", 1)
            pairs.append((ep_name.strip(), value.strip()))
    return pairs


def _name_and_version(meta_dir: str, folder_name: str) -> tuple[str, str]:
    """Name and version from ``{name}-{version}.dist-info`` (normalised by installers),
    or from the metadata file when the folder name does not carry them."""
    stem = folder_name.rsplit(".", 1)[0]
    name, _, version = stem.partition("-")
    if version and folder_name.endswith(".dist-info"):
        return canonical(name), version
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


def _loader(value: str) -> Callable[[], Any]:
    """Import an entry point value, ``module`` or ``module:attribute``."""

    def load() -> Any:
        import importlib

        module_name, _, attribute = value.partition(":")
        target = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            target = getattr(target, part)
        return target

    return load


def select(
    sources: Iterable[PackSource], environ: Mapping[str, str]
) -> tuple[list[PackSource], list[PackSource]]:
    """Split sources into (to load, disabled) by INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS."""
    allow = parse_name_list(environ.get("INDCLI_LOAD_PLUGINS"))
    deny = parse_name_list(environ.get("INDCLI_DISABLE_PLUGINS")) or set()
    chosen, disabled = [], []
    for source in sources:
        key = canonical(source.name)
        if key in deny or (allow is not None and key not in allow):
            disabled.append(source)
        else:
            chosen.append(source)
    return chosen, disabled


def load_pack(pm: pluggy.PluginManager, source: PackSource, read: ContentReader) -> LoadedPack:
    """Import, register and call one pack; any failure marks it failed and unregisters it."""
    pack = LoadedPack(source.name, source.version)
    try:
        module = source.load()
        pm.register(module, name=source.name)
        unknown = [c.name for c in pm.get_hookcallers(module) or [] if c.spec is None]
        if unknown:
            raise PackError(f"unknown hook {', '.join(unknown)}; see docs/hooks.md for the hooks")
        for hook in HOOK_NAMES:
            impl = _impl_of(pm, hook, source.name)
            if impl is None:
                continue
            pack.hooks.append(hook)
            result = _call(hook, impl.function)
            if hook == "indcli_content":
                pack.content = [
                    content_from_data(read(source.name, item), source.name)
                    for item in _as_list(result)
                ]
            elif hook == "indcli_commands":
                pack.commands = _commands(result)
    except ContentError as exc:
        pack.fail(exc.message)
    except PackError as exc:
        pack.fail(exc.message)
    except (Exception, SystemExit) as exc:  # a pack is arbitrary code: contain it
        pack.fail(describe(exc))
    if pack.status == "failed" and pm.has_plugin(source.name):
        pm.unregister(name=source.name)
    return pack


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line, safe to print."""
    text = str(exc).strip().splitlines()
    detail = text[0] if text else ""
    return printable(f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)[:300]


def _impl_of(pm: pluggy.PluginManager, hook: str, name: str) -> Any:
    caller = getattr(pm.hook, hook)
    return next((i for i in caller.get_hookimpls() if i.plugin_name == name), None)


def _call(hook: str, function: Callable[[], Any]) -> Any:
    try:
        return function()
    except (Exception, SystemExit) as exc:
        raise PackError(f"hook {hook} raised {describe(exc)}") from exc


def _as_list(result: Any) -> list[Any]:
    if result is None:
        return []
    if isinstance(result, str | os.PathLike) or hasattr(result, "read_bytes"):
        return [result]
    return list(result)


def _commands(result: Any) -> list[Any]:
    import click

    commands = _as_list(result)
    for command in commands:
        if not isinstance(command, click.Command) or not command.name:
            raise PackError(
                f"indcli_commands returned {type(command).__name__}, not a named click command"
            )
    return commands


ContentReader = Callable[[str, Any], dict[str, Any]]


def read_content_bytes(pack: str, item: Any) -> tuple[str, bytes]:
    """Read a content file named by a hook, refusing anything too large to be content."""
    label = os.path.basename(os.fspath(getattr(item, "name", item))) or str(item)
    try:
        if hasattr(item, "read_bytes") and not isinstance(item, str | os.PathLike):
            blob = item.read_bytes()
        else:
            with open(item, "rb") as handle:
                blob = handle.read(MAX_CONTENT_BYTES + 1)
    except OSError as exc:
        raise ContentError(pack, label, "", "", f"cannot read it ({exc.strerror or exc})") from None
    if len(blob) > MAX_CONTENT_BYTES:
        raise ContentError(pack, label, "", "", _too_big())
    return label, blob


def _too_big() -> str:
    return f"larger than {MAX_CONTENT_BYTES // 1024} KiB, which is more than content needs"
