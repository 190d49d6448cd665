"""The catalog: everything the loaded packs contribute, merged, with conflicts caught.

Packs are merged in name order, so the result never depends on install order. A pack
whose routing rules point at questions, choices or outcomes that do not exist fails to
load as a whole: nothing of it is half-merged.

Two packs that contribute the same command, topic, guide, flow item id or flow owner
*clash*, and which one loads never depends on names or install order (an impostor could
pick its name). The pack that loaded content names for the clashing item wins: for a
topic or command, the pack a pointer (``see``, ``related``, ``unsure``) names; for a
question, outcome or rule of a flow, the flow's owner. The other pack fails to load, with
an error naming both. When no content names exactly one of them, *neither* loads, so
nothing is shown from either. Clashes a pack has won are settled first, so a copy of a
pack fails on its named items before its other items could knock out the original.

The core's own command and route option names are passed in (``reserved``), never
imported from the CLI above.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from indcli.content.model import CommandSpec, FlowPart, Guide, Pointer, Topic, Unsure, walk
from indcli.packs.discovery import entry_point_sources
from indcli.packs.loading import (
    LoadedPack,
    PackSource,
    canonical,
    load_pack,
    make_plugin_manager,
    select,
    unknown_names,
)
from indcli.routing.flow import Flow, FlowProblem, build_flow


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


@dataclass(frozen=True)
class Clash:
    """Two or more packs contribute the same ``kind`` and ``key``; ``loads`` is the one
    that content names for it (``named_by``), or None when neither loads."""

    kind: str
    key: str
    packs: tuple[str, ...]
    loads: str | None = None
    named_by: str | None = None

    def message(self, pack: str) -> str:
        """Why ``pack`` was skipped: both packs named, either may be disabled."""
        others = [p for p in self.packs if p != pack]
        either = f"uninstall or disable one of {' and '.join(self.packs)}"
        if self.loads is not None:
            return (
                f"{self.kind} '{self.key}' is also contributed by {self.loads}, which "
                f"{self.named_by} names for it, so {self.loads} keeps it; {either}"
            )
        return (
            f"{self.kind} '{self.key}' is also contributed by {', '.join(others)}, and no "
            f"loaded content names one of them for it, so neither loads; {either}"
        )


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
    clashes: list[Clash] = field(default_factory=list)

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
    clashes = _settle_clashes(packs, reserved.commands)
    while True:
        catalog = Catalog(reserved=reserved, clashes=clashes)
        owners: dict[tuple[str, str], str] = {}
        for pack in sorted(packs, key=lambda p: canonical(p.name)):
            if pack.status == "loaded":
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


def _settle_clashes(packs: list[LoadedPack], core_commands: Collection[str]) -> list[Clash]:
    """Fail every pack that loses a clash (see the module docstring); return the clashes."""
    for pack in packs:
        core = [n for k, n in _keys(pack) if k == "command" and n in core_commands]
        if pack.status == "loaded" and core:
            pack.fail(f"command '{core[0]}' is a core command; a pack cannot replace it")
    settled: list[Clash] = []
    while True:
        loaded = sorted((p for p in packs if p.status == "loaded"), key=lambda p: canonical(p.name))
        claims: dict[tuple[str, str], list[str]] = {}
        for pack in loaded:
            for key in dict.fromkeys(_keys(pack)):
                claims.setdefault(key, []).append(pack.name)
        named = _named(loaded)
        clashes = [
            _clash(kind, key, tuple(names), named.get((kind, key), {}))
            for (kind, key), names in claims.items()
            if len(names) > 1
        ]
        if not clashes:
            return settled
        won = [c for c in clashes if c.loads is not None]
        settled += won or clashes  # clashes someone wins first: their losers may be copies
        losers: dict[str, list[str]] = {}
        for clash in won or clashes:
            for name in clash.packs:
                if name != clash.loads:
                    losers.setdefault(name, []).append(clash.message(name))
        for pack in loaded:
            if pack.name in losers:
                pack.fail("; ".join(losers[pack.name]))


def _clash(kind: str, key: str, packs: tuple[str, ...], named: dict[str, str]) -> Clash:
    """``named``: pack named for the item -> the pack whose content names it."""
    chosen = [p for p in packs if p in named]
    if len(chosen) == 1:
        return Clash(kind, key, packs, chosen[0], named[chosen[0]])
    return Clash(kind, key, packs)


def _named(packs: list[LoadedPack]) -> dict[tuple[str, str], dict[str, str]]:
    """(kind, id) -> {pack that loaded content names for it: the pack that names it}.

    Pointers name a topic's or command's pack; a flow's owner is named for its items.
    """
    named: dict[tuple[str, str], dict[str, str]] = {}
    owners: dict[str, set[str]] = {}
    for pack in packs:
        for content in pack.content:
            for located in walk(content):
                if located.kind == "owner of flow":
                    owners.setdefault(located.key, set()).add(pack.name)
                elif located.kind == "pointer":
                    item = located.item
                    kind = "topic" if item.topic else "command"
                    target = _target(item, kind)
                    if target:
                        named.setdefault((kind, target), {}).setdefault(item.pack, pack.name)
    for pack in packs:
        for content in pack.content:
            for located in walk(content):
                flow = _flow_of(located.kind)
                if flow and len(owners.get(flow, ())) == 1:
                    (owner,) = owners[flow]
                    named.setdefault((located.kind, located.key), {})[owner] = owner
    return named


def _flow_of(kind: str) -> str | None:
    """The flow id in a flow item's clash kind (``flow 'ID' question``), else None."""
    if kind.startswith("flow '") and kind.rsplit(" ", 1)[-1] in ("question", "outcome", "rule"):
        return kind[len("flow '") : kind.rindex("'")]
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


def flows_of(
    catalog: Catalog, without: str = "", adding: LoadedPack | None = None
) -> dict[str, Flow]:
    """The flows the catalog's loaded packs build ``without`` one pack, or ``adding`` one
    that failed (as if it had loaded): for comparing flows, never for routing.

    Raises :class:`FlowProblem` when the flows cannot be built that way.
    """
    packs = [
        p for p in catalog.packs if p.status == "loaded" and canonical(p.name) != canonical(without)
    ]
    return _build_flows(packs + ([adding] if adding else []), catalog.reserved.options, True)


def _build_flows(
    packs: list[LoadedPack], reserved_options: Collection[str], any_status: bool = False
) -> dict[str, Flow]:
    parts: dict[str, list[FlowPart]] = {}
    for pack in sorted(packs, key=lambda p: canonical(p.name)):
        if pack.status != "loaded" and not any_status:
            continue
        for content in pack.content:
            for part in content.flows:
                parts.setdefault(part.id, []).append(part)
    return {
        flow_id: build_flow(flow_id, contribs, reserved_options)
        for flow_id, contribs in parts.items()
    }
