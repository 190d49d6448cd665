"""The catalog: everything the loaded packs contribute, merged, with conflicts caught.

Packs are merged in name order, so the result never depends on install order. A pack
whose contribution clashes with an earlier pack's (same command, topic, guide, flow item
id or flow owner), or whose routing rules point at questions, choices or outcomes that do
not exist, fails to load as a whole, with an error naming both packs where there are two:
nothing of it is half-merged, and nothing silently wins.

The core's own command and route option names are passed in (``reserved``), never
imported from the CLI above.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from indcli.discovery import entry_point_sources
from indcli.flow import Flow, FlowProblem, build_flow
from indcli.model import CommandSpec, FlowPart, Guide, Pointer, Topic, Unsure, walk
from indcli.plugins import (
    LoadedPack,
    PackSource,
    canonical,
    load_pack,
    make_plugin_manager,
    select,
    unknown_names,
)


@dataclass(frozen=True)
class Reserved:
    """Names the core keeps for itself: its commands, and the route command's options."""

    commands: frozenset[str] = frozenset()
    options: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Served:
    """A command the core builds for a flow or guide that names it in content."""

    kind: str  # "flow" or "guide"
    target: str  # the flow or guide id
    spec: CommandSpec
    pack: str


@dataclass
class Catalog:
    packs: list[LoadedPack] = field(default_factory=list)
    reserved: Reserved = field(default_factory=Reserved)
    commands: dict[str, Any] = field(default_factory=dict)  # name -> click command (code)
    served: dict[str, Served] = field(default_factory=dict)  # name -> command from content
    command_packs: dict[str, str] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    guides: dict[str, Guide] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    # 'VARIABLE=name' for names in INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS that match no pack
    unknown_plugin_names: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[LoadedPack]:
        return [p for p in self.packs if p.status == "failed"]

    @property
    def command_names(self) -> set[str]:
        """Every command a pack adds, with code or from content."""
        return set(self.commands) | set(self.served)

    def has_command(self, name: str) -> bool:
        return name in self.reserved.commands or name in self.command_names

    def flow(self, flow_id: str) -> Flow | None:
        """The flow, if some loaded pack owns it (a flow nobody owns is inert)."""
        flow = self.flows.get(flow_id)
        return flow if flow is not None and flow.owner is not None else None

    def pointed_to(self, kind: str) -> dict[str, str]:
        """Topic ids or command names (``kind``) that loaded content points to -> pack.

        This is how the core can say which pack to install for a topic or command it
        does not have, without knowing any pack itself.
        """
        found: dict[str, str] = {}
        for pack in self.packs:
            if pack.status != "loaded":
                continue
            for content in pack.content:
                for located in walk(content):
                    if located.kind == "pointer":
                        target = _target(located.item, kind)
                        if target:
                            found.setdefault(target, located.item.pack)
        return found

    def pack_hint(self, pack: str) -> str:
        """What to do about a pack that is not loaded, as a clause: install or enable it."""
        status = next((p.status for p in self.packs if canonical(p.name) == canonical(pack)), None)
        if status == "disabled":
            return (
                f"pack {pack} is installed but disabled by INDCLI_LOAD_PLUGINS or "
                "INDCLI_DISABLE_PLUGINS"
            )
        if status == "failed":
            return f"pack {pack} failed to load; see 'indcli plugins'"
        return f"install pack {pack} with: pip install {pack}"

    def contributions(self, pack: LoadedPack) -> dict[str, list[str]]:
        """What a loaded pack adds, by kind, for ``indcli plugins``."""
        out: dict[str, list[str]] = {
            "commands": [c.name for c in pack.commands]
            + [name for name, s in self.served.items() if s.pack == pack.name],
            "topics": [t.id for c in pack.content for t in c.topics],
            "guides": [g.id for c in pack.content for g in c.guides],
            "flows": [],
        }
        for content in pack.content:
            for flow in content.flows:
                counts = (len(flow.questions), len(flow.outcomes), len(flow.rules))
                parts = [f"{n} {k}" for n, k in zip(counts, _PART_NAMES, strict=True)]
                out["flows"].append(f"{flow.id} ({', '.join(parts)})")
        return out


_PART_NAMES = ("questions", "outcomes", "rules")


def _target(pointer: Pointer | Unsure, kind: str) -> str | None:
    if kind == "topic":
        return pointer.topic
    command = getattr(pointer, "command", None)
    return command.split()[0] if command else None


def load_catalog(
    sources: Iterable[PackSource] | None,
    environ: Mapping[str, str],
    read: Any,
    reserved: Reserved | None = None,
) -> Catalog:
    """Load and merge packs: ``sources`` in-process, or ``None`` for installed packs."""
    sources = list(entry_point_sources() if sources is None else sources)
    chosen, disabled = select(sources, environ)
    pm = make_plugin_manager()
    loaded = [load_pack(pm, source, read) for source in chosen]
    catalog = _merge(loaded, reserved or Reserved())
    catalog.packs = sorted(
        loaded + [LoadedPack(s.name, s.version, status="disabled") for s in disabled],
        key=lambda p: canonical(p.name),
    )
    catalog.unknown_plugin_names = unknown_names(sources, environ)
    return catalog


def _merge(packs: list[LoadedPack], reserved: Reserved) -> Catalog:
    """Merge loaded packs; repeat without any pack whose flow contribution is broken."""
    while True:
        catalog = Catalog(reserved=reserved)
        owners: dict[tuple[str, str], str] = {}
        for pack in sorted(packs, key=lambda p: canonical(p.name)):
            if pack.status != "loaded":
                continue
            clash = _first_clash(pack, owners, reserved.commands)
            if clash:
                pack.fail(clash)
                continue
            _claim(pack, owners, catalog)
        try:
            catalog.flows = _build_flows(packs, reserved.options)
        except FlowProblem as problem:
            next(p for p in packs if p.name == problem.pack).fail(problem.message)
            continue
        return catalog


def _keys(pack: LoadedPack) -> list[tuple[str, str]]:
    """What a pack claims: (kind, id) pairs no other pack may also claim."""
    keys = [("command", c.name) for c in pack.commands]
    for content in pack.content:
        keys += [(x.kind, x.key) for x in walk(content) if x.key is not None]
    return keys


def _first_clash(
    pack: LoadedPack, owners: dict[tuple[str, str], str], core_commands: Collection[str]
) -> str | None:
    for kind, name in _keys(pack):
        if kind == "command" and name in core_commands:
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
        for topic in content.topics:
            catalog.topics[topic.id] = topic
        for guide in content.guides:
            catalog.guides[guide.id] = guide
            _serve(catalog, "guide", guide.id, guide.command, pack.name)
        for part in content.flows:
            _serve(catalog, "flow", part.id, part.command, pack.name)


def _serve(catalog: Catalog, kind: str, target: str, spec: CommandSpec | None, pack: str) -> None:
    if spec is not None:
        catalog.served[spec.name] = Served(kind, target, spec, pack)
        catalog.command_packs[spec.name] = pack


def _build_flows(packs: list[LoadedPack], reserved_options: Collection[str]) -> dict[str, Flow]:
    parts: dict[str, list[FlowPart]] = {}
    for pack in sorted(packs, key=lambda p: canonical(p.name)):
        if pack.status != "loaded":
            continue
        for content in pack.content:
            for part in content.flows:
                parts.setdefault(part.id, []).append(part)
    return {
        flow_id: build_flow(flow_id, contribs, reserved_options)
        for flow_id, contribs in parts.items()
    }
