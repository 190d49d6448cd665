"""The catalog: everything the loaded packs contribute, merged, with conflicts caught.

Packs are merged in name order, so the result never depends on install order. A pack
whose contribution clashes with an earlier pack's (same command, topic, guide, flow item
id or flow owner), or whose routing rules point at questions, choices or outcomes that do
not exist, fails to load as a whole, with an error naming both packs where there are two:
nothing of it is half-merged, and nothing silently wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from indcli.commands import CORE_COMMANDS
from indcli.discovery import entry_point_sources
from indcli.flow import Flow, FlowProblem, build_flow
from indcli.plugins import (
    LoadedPack,
    PackSource,
    canonical,
    load_pack,
    make_plugin_manager,
    select,
    unknown_names,
)


@dataclass
class Catalog:
    packs: list[LoadedPack] = field(default_factory=list)
    commands: dict[str, Any] = field(default_factory=dict)
    command_packs: dict[str, str] = field(default_factory=dict)
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    guides: dict[str, dict[str, Any]] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    # 'VARIABLE=name' for names in INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS that match no pack
    unknown_plugin_names: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[LoadedPack]:
        return [p for p in self.packs if p.status == "failed"]

    def pointed_to(self, kind: str) -> dict[str, str]:
        """Topic ids or command names (``kind``) that loaded content points to -> pack.

        This is how the core can say which pack to install for a topic or command it
        does not have, without knowing any pack itself.
        """
        found: dict[str, str] = {}
        for pack in self.packs:
            if pack.status == "loaded":
                for content in pack.content:
                    for node in _walk(content):
                        target, owner = node.get(kind), node.get("pack")
                        if isinstance(target, str) and isinstance(owner, str):
                            found.setdefault(target.split()[0], owner)
        return found

    def contributions(self, pack: LoadedPack) -> dict[str, list[str]]:
        """What a loaded pack adds, by kind, for ``indcli plugins``."""
        out: dict[str, list[str]] = {
            "commands": [c.name for c in pack.commands],
            "topics": [t["id"] for f in pack.content for t in f["topics"]],
            "guides": [g["id"] for f in pack.content for g in f["guides"]],
            "flows": [],
        }
        for content in pack.content:
            for flow in content["flows"]:
                parts = [f"{len(flow[k])} {k}" for k in ("questions", "outcomes", "rules")]
                out["flows"].append(f"{flow['id']} ({', '.join(parts)})")
        return out


def load_catalog(
    sources: Iterable[PackSource] | None, environ: Mapping[str, str], read: Any
) -> Catalog:
    """Load and merge packs: ``sources`` in-process, or ``None`` for installed packs."""
    sources = list(entry_point_sources() if sources is None else sources)
    chosen, disabled = select(sources, environ)
    pm = make_plugin_manager()
    loaded = [load_pack(pm, source, read) for source in chosen]
    catalog = _merge(loaded)
    catalog.packs = sorted(
        loaded + [LoadedPack(s.name, s.version, status="disabled") for s in disabled],
        key=lambda p: canonical(p.name),
    )
    catalog.unknown_plugin_names = unknown_names(sources, environ)
    return catalog


def _merge(packs: list[LoadedPack]) -> Catalog:
    """Merge loaded packs; repeat without any pack whose flow contribution is broken."""
    while True:
        catalog = Catalog()
        owners: dict[tuple[str, str], str] = {}
        for pack in sorted(packs, key=lambda p: canonical(p.name)):
            if pack.status != "loaded":
                continue
            clash = _first_clash(pack, owners)
            if clash:
                pack.fail(clash)
                continue
            _claim(pack, owners, catalog)
        try:
            catalog.flows = _build_flows(packs)
        except FlowProblem as problem:
            next(p for p in packs if p.name == problem.pack).fail(problem.message)
            continue
        return catalog


def _keys(pack: LoadedPack) -> list[tuple[str, str]]:
    keys = [("command", c.name) for c in pack.commands]
    for content in pack.content:
        keys += [("topic", t["id"]) for t in content["topics"]]
        keys += [("guide", g["id"]) for g in content["guides"]]
        for flow in content["flows"]:
            if flow["title"] is not None:
                keys.append(("owner of flow", flow["id"]))
            for kind in ("questions", "outcomes", "rules"):
                keys += [(f"flow '{flow['id']}' {kind[:-1]}", i["id"]) for i in flow[kind]]
    return keys


def _first_clash(pack: LoadedPack, owners: dict[tuple[str, str], str]) -> str | None:
    for kind, name in _keys(pack):
        if kind == "command" and name in CORE_COMMANDS:
            return f"command '{name}' is a core command; a pack cannot replace it"
        if (kind, name) in owners:
            return (
                f"{kind} '{name}' is also contributed by {owners[(kind, name)]}; "
                f"uninstall or disable one of {owners[(kind, name)]} and {pack.name}"
            )
    return None


def _claim(pack: LoadedPack, owners: dict[tuple[str, str], str], catalog: Catalog) -> None:
    for key in _keys(pack):
        owners[key] = pack.name
    for command in pack.commands:
        catalog.commands[command.name] = command
        catalog.command_packs[command.name] = pack.name
    for content in pack.content:
        for topic in content["topics"]:
            catalog.topics[topic["id"]] = {**topic, "pack": pack.name}
        for guide in content["guides"]:
            catalog.guides[guide["id"]] = {**guide, "pack": pack.name}


def _build_flows(packs: list[LoadedPack]) -> dict[str, Flow]:
    parts: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for pack in sorted(packs, key=lambda p: canonical(p.name)):
        if pack.status != "loaded":
            continue
        for content in pack.content:
            for flow in content["flows"]:
                parts.setdefault(flow["id"], []).append((pack.name, flow))
    return {flow_id: build_flow(flow_id, contribs) for flow_id, contribs in parts.items()}


def _walk(node: Any):
    """Every dict inside plain content data."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
