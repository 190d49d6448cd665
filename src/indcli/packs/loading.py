"""Choosing which packs load, and loading each one in isolation into pluggy.

A pack is a distribution with entry points in the ``indcli`` group. Every pack's modules
are registered with the App's one ``pluggy.PluginManager("indcli")`` (pluggy validates
each hook implementation against :mod:`indcli.hookspecs`; ``check_pending`` then refuses
a hook this indcli does not know, unless it is marked ``optionalhook``). The hooks are
then called through pluggy one pack at a time, in the order pluggy calls them
(``tryfirst``/``trylast`` count): importing, registering, each hook call and reading the
content all happen under one guard per pack, so a pack that fails in any of these ways is
recorded with its error, unregistered, and skipped, and the others are unaffected (unlike
one ``pm.hook.x()`` call for all, where one raising plugin breaks the call for every one).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

import pluggy

from indcli import PROJECT_NAME, hookspecs
from indcli.content.model import Content, content_from_data
from indcli.errors import ContentError, ContentProblem, PackError
from indcli.limits import ID_PATTERN, MAX_CONTENT_BYTES
from indcli.packs.discovery import PackSource as PackSource  # re-exported: tests, app
from indcli.packs.discovery import normalise
from indcli.utils.capture import captured_output
from indcli.utils.files import read_regular
from indcli.utils.interrupts import InterruptWatch
from indcli.utils.records import MutableRecord, fresh
from indcli.utils.text_safety import one_line, printable

HOOK_NAMES = tuple(name for name in vars(hookspecs) if name.startswith("indcli_"))


class LoadedPack(MutableRecord):
    """One pack's contributions, before they are merged with the others'."""

    name: str
    version: str
    status: str = "loaded"  # loaded | failed | disabled
    error: str | None = None
    hooks: list[str] = fresh(factory=list)
    commands: list[Any] = fresh(factory=list)
    content: list[Content] = fresh(factory=list)
    # Every problem of an invalid content file (the error's message lists them in one line).
    problems: list[ContentProblem] = fresh(factory=list)
    traceback: str | None = None  # of the failure inside the pack, for --debug
    warnings: list[str] = fresh(factory=list)  # loaded, but something is ignored
    notes: list[str] = fresh(factory=list)  # for `indcli plugins` only (an optional hook not known)
    files: list[Any] = fresh(factory=list)  # the content files its hook named
    module_file: str | None = None  # the pack's module, where it has a file
    plugins: list[str] = fresh(factory=list)  # its names in the PluginManager (one per module)
    content_only: str = ""  # check PATH: why its code was not checked (its commands unknown)

    def fail(self, error: str) -> None:
        self.status, self.error = "failed", error


def parse_name_list(value: str | None) -> set[str] | None:
    """``None`` when unset; otherwise the set of names in a comma list ('' = none)."""
    if value is None:
        return None
    return {normalise(n) for n in value.split(",") if n.strip()}


def make_plugin_manager() -> pluggy.PluginManager:
    """indcli's plugin manager: it knows indcli's hooks and no packs yet."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def module_source(
    module: ModuleType, name: str | None = None, version: str | None = None
) -> PackSource:
    """A :class:`PackSource` for a module already imported (tests, in-process use)."""
    top = module.__name__.split(".")[0]
    dist = name or top.replace("_", "-")
    version = version or getattr(module, "__version__", None) or _installed_version(top)
    return PackSource(dist, str(version), lambda: module)


def _installed_version(top_module: str) -> str:
    """The version of the distribution that installs ``top_module`` (in-process packs in
    tests only, so importing importlib.metadata here costs nothing at start-up)."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, version

    for dist in packages_distributions().get(top_module, []):
        try:
            return version(dist)
        except PackageNotFoundError:
            continue
    return "unknown"


def select(
    sources: Iterable[PackSource], environ: Mapping[str, str]
) -> tuple[list[PackSource], list[PackSource]]:
    """Split sources into (to load, disabled) by INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS,
    which name distributions."""
    allow = parse_name_list(environ.get("INDCLI_LOAD_PLUGINS"))
    deny = parse_name_list(environ.get("INDCLI_DISABLE_PLUGINS")) or set()
    chosen, disabled = [], []
    for source in sources:
        name = normalise(source.name)
        if name in deny or (allow is not None and name not in allow):
            disabled.append(source)
        else:
            chosen.append(source)
    return chosen, disabled


def unknown_names(sources: Iterable[PackSource], environ: Mapping[str, str]) -> list[str]:
    """``VARIABLE=name`` for each name in the two variables that matches no pack."""
    known = {normalise(s.name) for s in sources}
    return [
        f"{variable}={name}"
        for variable in ("INDCLI_LOAD_PLUGINS", "INDCLI_DISABLE_PLUGINS")
        for name in sorted(parse_name_list(environ.get(variable)) or ())
        if name not in known
    ]


def load_packs(
    pm: pluggy.PluginManager,
    sources: Iterable[PackSource],
    read: ContentReader,
    *,
    trace: bool = False,
) -> list[LoadedPack]:
    """Register each of ``sources`` with ``pm``, then call their hooks one pack at a time
    in pluggy's order; a pack that fails anywhere is unregistered and marked failed.

    Everything a pack does runs under its guard (:class:`_Guard`). ``trace`` writes each
    hook call to stderr (INDCLI_TRACE_PLUGINS), through pluggy's hook-call monitoring.
    """
    sources = list(sources)
    packs = [LoadedPack(s.name, s.version, content_only=s.content_only) for s in sources]
    owner: dict[str, LoadedPack] = {}
    undo_trace = None
    if trace:
        from indcli.packs.tracing import trace_hook_calls

        undo_trace = trace_hook_calls(pm, lambda name: owner[name].name if name in owner else name)
    try:
        with InterruptWatch() as interrupts:
            guards = {id(pack): _Guard(pm, pack, interrupts) for pack in packs}
            for pack, source in zip(packs, sources, strict=True):
                if source.problem:
                    pack.fail(source.problem)
                    continue
                guards[id(pack)].run(_register, pm, source, pack, owner)
            for hook in HOOK_NAMES:
                caller = getattr(pm.hook, hook)
                implementers = [i.plugin for i in caller.get_hookimpls()]
                order = dict.fromkeys(i.plugin_name for i in reversed(caller.get_hookimpls()))
                for plugin_name in order:
                    pack = owner[plugin_name]
                    if pack.status == "loaded":
                        plugin = pm.get_plugin(plugin_name)
                        others = [p for p in implementers if p is not plugin]
                        call = pm.subset_hook_caller(hook, remove_plugins=others)
                        guards[id(pack)].run(_call_hook, hook, call, pack, read)
    finally:
        if undo_trace is not None:
            undo_trace()
    for pack in packs:
        guards[id(pack)].finish()
        if pack.status == "loaded" and not pack.hooks:
            pack.warnings.append(
                "it implements no hook, so it adds nothing (hooks: "
                f"{', '.join(HOOK_NAMES)}; each needs @hookimpl from indcli)"
            )
    return packs


class _Guard:
    """Runs one step of a pack's loading so that nothing it does escapes: any exception,
    even a ``BaseException`` (``GeneratorExit``, ``asyncio.CancelledError``, a
    ``KeyboardInterrupt`` it raises itself), is the pack's failure, and only a real Ctrl-C
    (a SIGINT this process received) goes on. What the pack writes to ``sys.stdout`` or
    ``sys.stderr`` from this thread is kept as a warning, so it can never corrupt
    ``--format json``; threads it leaves running are a warning too."""

    def __init__(self, pm: pluggy.PluginManager, pack: LoadedPack, interrupts: InterruptWatch):
        self.pm, self.pack, self.interrupts = pm, pack, interrupts
        self.printed: list[str] = []
        self.threads: set[threading.Thread] = set()

    def run(self, step: Callable[..., None], *args: Any) -> None:
        pack = self.pack
        threads = _running_threads()
        with captured_output() as out:
            try:
                step(*args)
            except ContentError as exc:
                pack.fail(exc.message)
                pack.problems = list(exc.problems)
            except PackError as exc:
                pack.fail(exc.message + _where(exc.__cause__))
                pack.traceback = _traceback(exc.__cause__)
            except BaseException as exc:  # a pack is arbitrary code: contain it
                if isinstance(exc, KeyboardInterrupt) and self.interrupts.received:
                    raise
                pack.fail(describe(exc) + _where(exc))
                pack.traceback = _traceback(exc)
        self.printed.append(out.getvalue())
        self.threads |= _running_threads() - threads
        if pack.status == "failed":
            for name in pack.plugins:
                if self.pm.get_plugin(name) is not None:
                    self.pm.unregister(name=name)

    def finish(self) -> None:
        """One warning for all the pack printed, one for the threads it left running."""
        printed = "".join(self.printed).strip()
        if printed:
            shown = one_line(printed[:200]) + ("..." if len(printed) > 200 else "")
            self.pack.warnings.append(f"it printed while loading (packs must not print): {shown}")
        running = [t for t in self.threads if t.is_alive()]
        if running:
            names = ", ".join(sorted(printable(t.name)[:40] for t in running))
            self.pack.warnings.append(
                f"it left a thread running after loading ({names}); indcli does not wait for "
                "it, so whatever it was doing is cut off when indcli exits"
            )


def _running_threads() -> set[threading.Thread]:
    """Non-daemon threads other than this one: the ones Python waits for at exit. Looked
    at only when loading on the main thread (the CLI): loading in another thread of a
    program, threads that others start meanwhile cannot be told from the pack's."""
    this = threading.current_thread()
    if this is not threading.main_thread():
        return set()
    return {t for t in threading.enumerate() if not t.daemon and t is not this}


def _register(
    pm: pluggy.PluginManager, source: PackSource, pack: LoadedPack, owner: dict[str, Any]
) -> None:
    """Import each of the pack's modules and register it, validated against the specs."""
    pack.module_file = source.origin
    loads = [(source.name, source.load)]
    loads += [(f"{source.name}:{ep}", load) for ep, load in source.siblings]
    for plugin_name, load in loads:
        module = load()
        if pack.module_file is None or plugin_name == source.name:
            pack.module_file = getattr(module, "__file__", None) or pack.module_file
        if any(pm.get_plugin(name) is module for name in pack.plugins):
            continue  # two entry points of one pack naming one module: one plugin
        other = pm.get_name(module)
        if other is not None:
            raise PackError(f"its module is already loaded as pack {owner[other].name}")
        try:
            pm.register(module, name=plugin_name)
        except pluggy.PluginValidationError as exc:
            raise PackError(_invalid_hook(exc)) from None
        except ValueError as exc:  # pluggy: a name or module registered already
            raise PackError(one_line(str(exc))) from None
        pack.plugins.append(plugin_name)
        owner[plugin_name] = pack
        _check_impls(pm, module, pack)
        pack.warnings += _unmarked(pm, module)


def _check_impls(pm: pluggy.PluginManager, module: Any, pack: LoadedPack) -> None:
    """Refuse what indcli cannot honour, by name; note optional hooks it does not know."""
    try:
        pm.check_pending()
    except pluggy.PluginValidationError:
        unknown = [
            f"{caller.name}{_impl_where(impl)}"
            for caller in pm.get_hookcallers(module) or []
            if caller.spec is None
            for impl in caller.get_hookimpls()
            if impl.plugin is module and not impl.optionalhook
        ]
        raise PackError(
            f"unknown hook {', '.join(unknown)}; 'indcli docs hooks' lists the hooks (mark it "
            "@hookimpl(optionalhook=True) if it is meant for a newer indcli)"
        ) from None
    for caller in pm.get_hookcallers(module) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is not module:
                continue
            if caller.spec is None:
                pack.notes.append(
                    f"{impl.function.__name__} implements {caller.name}, a hook this indcli "
                    "does not know (optionalhook=True), so it is not called"
                )
            elif impl.hookwrapper or impl.wrapper:
                option = "hookwrapper" if impl.hookwrapper else "wrapper"
                raise PackError(
                    f"hook {caller.name} is marked {option}=True{_impl_where(impl)}, which "
                    "indcli does not support: each pack's hooks are called on their own, so "
                    "a wrapper would have nothing to wrap (and no pack may change another's "
                    f"contributions); remove {option}=True"
                )
            elif not hasattr(module, caller.name) and not _subsets_by_impl():
                raise PackError(
                    f"{impl.function.__name__} implements {caller.name} with specname"
                    f"{_impl_where(impl)}, which needs pluggy 1.7 or newer to be called apart "
                    f"from other packs: upgrade pluggy or name the function {caller.name}"
                )


@functools.cache
def _subsets_by_impl() -> bool:
    """Whether pluggy's ``subset_hook_caller`` leaves out another plugin's implementation
    named otherwise (``specname``): before pluggy 1.7 it kept it, so one pack's call could
    run another pack's code. (``pluggy.__version__`` would import importlib.metadata.)"""
    probe = pluggy.PluginManager("indcli-probe")

    class Spec:
        @pluggy.HookspecMarker("indcli-probe")
        def hook(self) -> None: ...

    class Plugin:
        @pluggy.HookimplMarker("indcli-probe")(specname="hook")
        def named_otherwise(self) -> None: ...

    probe.add_hookspecs(Spec)
    plugin = Plugin()
    probe.register(plugin)
    return not probe.subset_hook_caller("hook", [plugin]).get_hookimpls()


def _invalid_hook(exc: pluggy.PluginValidationError) -> str:
    """pluggy's validation error (a wrong signature, a historic or wrapper mismatch), on
    one line, with indcli's words for the common case."""
    text = str(exc)
    match = re.search(r"definition: (\w+)\((.*?)\).*Argument\(s\) \{(.*?)\}", text, re.S)
    if match:
        names = ", ".join(a.strip(" '") for a in match.group(3).split(","))
        return (
            f"hook {match.group(1)} takes parameters ({names}); indcli's hooks take none "
            "('indcli docs hooks' shows each hook)"
        )
    return "invalid hook implementation: " + one_line(text)[:300]


def _impl_where(impl: pluggy.HookImpl) -> str:
    code = getattr(impl.function, "__code__", None)
    return printable(f" (at {code.co_filename}:{code.co_firstlineno})") if code else ""


def _call_hook(hook: str, call: Any, pack: LoadedPack, read: ContentReader) -> None:
    """Call one pack's implementations of ``hook`` (through pluggy) and keep the result."""
    try:
        results = call()
    except KeyboardInterrupt:
        raise  # the guard tells a real Ctrl-C from one the pack raised
    except BaseException as exc:
        raise PackError(f"hook {hook} raised {describe(exc)}") from exc
    if hook not in pack.hooks:
        pack.hooks.append(hook)
    items = [item for result in results for item in _as_list(result)]
    if hook == "indcli_content":  # a pack of several modules: each adds its files
        pack.files += items
        pack.content += [content_from_data(read(pack.name, item), pack.name) for item in items]
    elif hook == "indcli_commands":
        pack.commands += _commands(items)


def _unmarked(pm: pluggy.PluginManager, module: Any) -> list[str]:
    """Warnings for ``indcli_*`` functions without ``@hookimpl``: they are never called."""
    try:
        names = [n for n in vars(module) if isinstance(n, str) and n.startswith("indcli_")]
    except TypeError:  # no __dict__
        return []
    return [
        f"function {printable(name)[:64]} has no @hookimpl, so indcli never calls it; "
        "put @hookimpl (from indcli import hookimpl) above it"
        for name in sorted(names)
        if callable(getattr(module, name, None)) and pm.parse_hookimpl_opts(module, name) is None
    ]


def _where(exc: BaseException | None) -> str:
    """`` (at FILE:LINE)``: where in the pack's own code ``exc`` was raised, if known."""
    if exc is None:
        return ""
    if isinstance(exc, SyntaxError) and exc.filename:
        return printable(f" (at {exc.filename}:{exc.lineno})")
    import traceback

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the indcli package
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith(("<", here))
    ]
    return printable(f" (at {frames[-1].filename}:{frames[-1].lineno})") if frames else ""


def _traceback(exc: BaseException | None) -> str | None:
    if exc is None:
        return None
    import traceback

    return "".join(traceback.format_exception(exc))


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line, safe to print."""
    text = str(exc).strip().splitlines()
    detail = text[0] if text else ""
    return printable(f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)[:300]


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
        if not isinstance(command.name, str) or not re.fullmatch(ID_PATTERN, command.name):
            raise PackError(
                f"command name {printable(repr(command.name))[:80]} is not an id (lower-case "
                "letters, digits and single hyphens, starting with a letter)"
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
            blob = read_regular(item, MAX_CONTENT_BYTES)  # no FIFO, device or terminal
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if "not a regular file" in reason:
            reason += " (a pipe, device or terminal)"
        raise ContentError(pack, label, "", "", f"cannot read it ({reason})") from None
    if len(blob) > MAX_CONTENT_BYTES:
        raise ContentError(pack, label, "", "", _too_big())
    return label, blob


def _too_big() -> str:
    return f"larger than {MAX_CONTENT_BYTES // 1024} KiB, which is more than content needs"
