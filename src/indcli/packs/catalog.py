"""The catalog: everything the loaded packs contribute, merged, with conflicts caught.

Packs are merged in name order, so the result never depends on install order. A pack
whose routing rules point at questions, choices or outcomes that do not exist fails to
load as a whole: nothing of it is half-merged.

Two packs that contribute the same command, topic, guide, flow item id or flow owner
*clash*, and which one keeps the name is decided only by *other* packs, never by names,
install order or what a pack says about itself (an impostor can pick its name and point to
itself):

- the pack another pack's pointer (``see``, ``related``, ``unsure``) names for the item
  keeps it;
- a pack that is *established* (it alone owns a flow, or another pack points to it or
  ``extends`` it) is never knocked out by a clash with a pack that is not: the newcomer
  fails alone;
- otherwise neither loads (nothing is shown from either), except that a pack owning a flow
  is never taken down by such a clash with one that does not (two owners of different
  flows that clash, with nobody naming either, both fail: never decided by name order).

A pack that loses fails as a whole, with an error that names both packs and how to
disable it. Clashes are settled in rounds, so a failed pack's pointers stop counting.

The core's own command and route option names are passed in (``reserved``), never
imported from the CLI above.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from indcli.content.model import CommandSpec, FlowPart, Guide, Pointer, Topic, Unsure, walk
from indcli.packs.discovery import entry_point_sources, normalise
from indcli.packs.loading import (
    LoadedPack,
    PackSource,
    load_packs,
    make_plugin_manager,
    select,
    unknown_names,
)
from indcli.routing.flow import Flow, FlowProblem, build_flow
from indcli.utils.env_flags import env_flag
from indcli.utils.records import MutableRecord, Record, fresh


class Reserved(Record):
    """Names the core keeps for itself: its commands, and the route command's options."""

    commands: frozenset[str] = frozenset()
    options: frozenset[str] = frozenset()


class Served(Record):
    """A command the core builds for a flow or guide that names it in content."""

    kind: str  # "flow" or "guide"
    target: str  # the flow or guide id
    spec: CommandSpec
    pack: str


class Clash(Record):
    """Two or more packs contribute the same ``kind`` and ``key``; ``loads`` is the one
    that keeps it (``because``: why, as a clause), or None when neither loads."""

    kind: str
    key: str
    packs: tuple[str, ...]
    loads: str | None = None
    because: str = ""

    def rename_hint(self, pack: str) -> str:
        """What the author of ``pack`` can do: give the item an id of its own."""
        if self.kind == "owner of flow":
            return f"its author can give the flow an id of its own, or extend '{self.key}'"
        prefix = normalise(pack).removeprefix("indcli-")
        return f"its author can rename the {self.kind} '{self.key}' (say, '{prefix}-{self.key}')"

    def message(self, pack: str) -> str:
        """Why ``pack`` was skipped, naming every pack involved truthfully."""
        others = [p for p in self.packs if p != pack]
        if self.loads is not None:
            return (
                f"{self.kind} '{self.key}' is also contributed by {self.loads}, which "
                f"{self.because}, so {self.loads} keeps it and {pack} does not load"
            )
        return (
            f"{self.kind} '{self.key}' is also contributed by {', '.join(others)}, and no "
            f"other pack names either for it, so neither loads; uninstall or disable one "
            f"of {' and '.join(self.packs)}"
        )


class Catalog(MutableRecord):
    packs: list[LoadedPack] = fresh(factory=list)
    reserved: Reserved = fresh(factory=Reserved)
    commands: dict[str, Any] = fresh(factory=dict)  # name -> click command (code)
    served: dict[str, Served] = fresh(factory=dict)  # name -> command from content
    command_packs: dict[str, str] = fresh(factory=dict)
    topics: dict[str, Topic] = fresh(factory=dict)
    guides: dict[str, Guide] = fresh(factory=dict)
    flows: dict[str, Flow] = fresh(factory=dict)
    # 'VARIABLE=name' for names in INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS that match no pack
    unknown_plugin_names: list[str] = fresh(factory=list)
    clashes: list[Clash] = fresh(factory=list)
    plugin_manager: Any = None  # the pluggy.PluginManager the loaded packs are registered in

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
        status = next((p.status for p in self.packs if normalise(p.name) == normalise(pack)), None)
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
    for source in disabled:
        pm.set_blocked(source.name)
    trace = env_flag(environ, "INDCLI_TRACE_PLUGINS")
    loaded = load_packs(pm, chosen, read, trace=trace)
    catalog = _merge(loaded, reserved or Reserved())
    for pack in loaded:  # a pack that lost a clash or broke a flow leaves pluggy too
        if pack.status == "failed":
            for name in pack.plugins:
                if pm.get_plugin(name) is not None:
                    pm.unregister(name=name)
    catalog.plugin_manager = pm
    catalog.packs = sorted(
        loaded + [LoadedPack(s.name, s.version, status="disabled") for s in disabled],
        key=lambda p: normalise(p.name),
    )
    catalog.unknown_plugin_names = unknown_names(sources, environ)
    return catalog


def _merge(packs: list[LoadedPack], reserved: Reserved) -> Catalog:
    """Merge loaded packs; repeat without any pack whose flow contribution is broken."""
    clashes = _settle_clashes(packs, reserved.commands)
    while True:
        catalog = Catalog(reserved=reserved, clashes=clashes)
        for pack in sorted(packs, key=lambda p: normalise(p.name)):
            if pack.status == "loaded":
                _claim(pack, catalog)
        try:
            catalog.flows = _build_flows(packs, reserved.options)
        except FlowProblem as problem:
            from indcli.packs.references import locate  # line numbers: only on a problem

            pack = next(p for p in packs if p.name == problem.pack)
            pack.fail(problem.message)
            pack.problems = [locate(pack, problem)]
            continue
        return catalog


def _keys(pack: LoadedPack) -> list[tuple[str, str]]:
    """What a pack claims: (kind, id) pairs no other pack may also claim."""
    keys = [("command", c.name) for c in pack.commands]
    for content in pack.content:
        keys += [(x.clash_kind, x.key) for x in walk(content) if x.key is not None]
    return keys


def _settle_clashes(packs: list[LoadedPack], core_commands: Collection[str]) -> list[Clash]:
    """Fail every pack that loses a clash (see the module docstring); return the clashes."""
    keys = {id(pack): _keys(pack) for pack in packs}  # a pack's content never changes
    for pack in packs:
        core = [n for k, n in keys[id(pack)] if k == "command" and n in core_commands]
        if pack.status == "loaded" and core:
            pack.fail(f"command '{core[0]}' is a core command; a pack cannot replace it")
    settled: list[Clash] = []
    while True:
        loaded = sorted((p for p in packs if p.status == "loaded"), key=lambda p: normalise(p.name))
        claims: dict[tuple[str, str], list[str]] = {}
        for pack in loaded:
            for key in dict.fromkeys(keys[id(pack)]):
                claims.setdefault(key, []).append(pack.name)
        standing = _Standing(loaded)
        clashes = [
            standing.decide(kind, key, tuple(names))
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
                if name != clash.loads and not (clash.loads is None and standing.owns(name)):
                    losers.setdefault(name, []).append(clash.message(name))
        if not losers:  # only owners of different flows clash: never silently by name order
            for clash in won or clashes:
                for name in clash.packs:
                    losers.setdefault(name, []).append(clash.message(name))
        for pack in loaded:
            if pack.name in losers:
                hint = f"disable it with INDCLI_DISABLE_PLUGINS={pack.name}"
                mine = next(c for c in won or clashes if pack.name in c.packs)
                pack.fail("; ".join(losers[pack.name]) + f"; {hint}; {mine.rename_hint(pack.name)}")


class _Standing:
    """What other packs say about each loaded pack: who names whom for which item, who
    owns a flow alone. A pack's pointers to itself never count."""

    def __init__(self, packs: list[LoadedPack]) -> None:
        self.named: dict[tuple[str, str], dict[str, str]] = {}  # item -> {named: namer}
        self.pointed: dict[str, str] = {}  # pack -> a pack that points to or extends it
        owners: dict[str, set[str]] = {}
        names = {normalise(p.name): p.name for p in packs}
        for pack in packs:
            for content in pack.content:
                for part in content.flows:
                    target = names.get(normalise(part.extends or ""))
                    if target and target != pack.name:
                        self.pointed.setdefault(target, pack.name)
                for located in walk(content):
                    if located.kind == "owner of flow" and located.key is not None:
                        owners.setdefault(located.key, set()).add(pack.name)
                    elif located.kind == "pointer":
                        self._pointer(located.item, pack.name, names)
        self.flow_owner = {next(iter(o)): f for f, o in sorted(owners.items()) if len(o) == 1}

    def _pointer(self, item: Any, namer: str, names: dict[str, str]) -> None:
        target = names.get(normalise(item.pack), item.pack)
        if target == namer:
            return
        kind = "topic" if item.topic else "command"
        key = _target(item, kind)
        if key:
            self.named.setdefault((kind, key), {}).setdefault(target, namer)
        self.pointed.setdefault(target, namer)

    def owns(self, pack: str) -> bool:
        return pack in self.flow_owner

    def established(self, pack: str) -> str | None:
        """Why ``pack`` is established, as a clause, or None."""
        if pack in self.flow_owner:
            return f"owns flow '{self.flow_owner[pack]}'"
        if pack in self.pointed:
            return f"{self.pointed[pack]} points to"
        return None

    def decide(self, kind: str, key: str, packs: tuple[str, ...]) -> Clash:
        named = {p: n for p, n in self.named.get((kind, key), {}).items() if p in packs}
        if len(named) == 1:
            ((keeper, namer),) = named.items()
            return Clash(kind, key, packs, keeper, f"{namer} names for it")
        reasons = {p: r for p in packs if (r := self.established(p))}
        if len(reasons) > 1:  # a flow's owner outranks a pack others merely point to
            reasons = {p: r for p, r in reasons.items() if self.owns(p)} or reasons
        if len(reasons) == 1:
            ((keeper, reason),) = reasons.items()
            return Clash(kind, key, packs, keeper, reason)
        return Clash(kind, key, packs)


def _claim(pack: LoadedPack, catalog: Catalog) -> None:
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
        p for p in catalog.packs if p.status == "loaded" and normalise(p.name) != normalise(without)
    ]
    return _build_flows(packs + ([adding] if adding else []), catalog.reserved.options, True)


def _build_flows(
    packs: list[LoadedPack], reserved_options: Collection[str], any_status: bool = False
) -> dict[str, Flow]:
    parts: dict[str, list[FlowPart]] = {}
    for pack in sorted(packs, key=lambda p: normalise(p.name)):
        if pack.status != "loaded" and not any_status:
            continue
        for content in pack.content:
            for part in content.flows:
                parts.setdefault(part.id, []).append(part)
    return {
        flow_id: build_flow(flow_id, contribs, reserved_options)
        for flow_id, contribs in parts.items()
    }
