"""Finding packs, choosing which load, and loading each one in isolation.

A pack is a distribution with an entry point in the ``indcli`` group. Packs load one by
one: importing the module, registering it (its ``indcli_*`` functions marked with
``@hookimpl``, checked against the hooks), calling each of its hooks and reading its
content file all happen under one guard, so a pack that fails in any of these ways is
recorded with its error and skipped, and the others are unaffected (unlike a single
``pm.hook.x()`` call in pluggy, where one raising plugin breaks the call for all).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import redirect_stderr, redirect_stdout
from types import ModuleType
from typing import Any

from indcli import hookspecs
from indcli.content.model import Content, content_from_data
from indcli.errors import ContentError, ContentProblem, PackError
from indcli.limits import ID_PATTERN, MAX_CONTENT_BYTES, one_line, printable
from indcli.packs.discovery import PackSource, normalise
from indcli.utils.files import read_capped
from indcli.utils.records import MutableRecord, fresh

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
    files: list[Any] = fresh(factory=list)  # the content files its hook named
    module_file: str | None = None  # the pack's module, where it has a file

    def fail(self, error: str) -> None:
        self.status, self.error = "failed", error


def parse_name_list(value: str | None) -> set[str] | None:
    """``None`` when unset; otherwise the set of names in a comma list ('' = none)."""
    if value is None:
        return None
    return {normalise(n) for n in value.split(",") if n.strip()}


class Registry:
    """The packs of one load, by name, each with its hook implementations.

    This is all indcli used pluggy's PluginManager for (it calls each pack's hooks
    itself, one pack at a time), without importing pluggy on every start: only
    attributes named ``indcli_*`` are looked at; one marked with ``@hookimpl`` that is no
    hook, or a hook that takes parameters, is an error of the pack.
    """

    def __init__(self) -> None:
        self.hooks: dict[str, dict[str, Callable[[], Any]]] = {}  # pack -> hook -> function
        self._modules: dict[int, str] = {}

    def register(self, module: Any, name: str) -> None:
        if name in self.hooks:
            raise PackError(f"a pack named {name} is already loaded")
        if id(module) in self._modules:
            raise PackError(f"its module is already loaded as pack {self._modules[id(module)]}")
        impls = {}
        for attr in _hook_like_names(module):
            function = getattr(module, attr, None)
            if callable(function) and getattr(function, hookspecs.IMPL_ATTRIBUTE, None):
                impls[attr] = function
        unknown = [n for n in impls if n not in HOOK_NAMES]
        if unknown:
            raise PackError(
                f"unknown hook {', '.join(unknown)}; 'indcli docs hooks' lists the hooks"
            )
        for hook, function in impls.items():
            code = getattr(function, "__code__", None)
            if code is not None and code.co_argcount + code.co_kwonlyargcount > 0:
                names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
                raise PackError(
                    f"hook {hook} takes parameters ({', '.join(names)}); indcli's hooks take "
                    "none ('indcli docs hooks' shows each hook)"
                )
        self.hooks[name] = impls
        self._modules[id(module)] = name

    def unregister(self, name: str) -> None:
        self.hooks.pop(name, None)
        self._modules = {k: v for k, v in self._modules.items() if v != name}


def make_plugin_manager() -> Registry:
    """A fresh registry that knows indcli's hooks and no packs."""
    return Registry()


def _hook_like_names(module: Any) -> list[str]:
    try:
        return [n for n in vars(module) if isinstance(n, str) and n.startswith("indcli_")]
    except TypeError:  # no __dict__
        return []


def module_source(module: ModuleType, name: str | None = None, version: str | None = None):
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
    """Split sources into (to load, disabled) by INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS."""
    allow = parse_name_list(environ.get("INDCLI_LOAD_PLUGINS"))
    deny = parse_name_list(environ.get("INDCLI_DISABLE_PLUGINS")) or set()
    chosen, disabled = [], []
    for source in sources:
        keys = source_names(source)
        if keys & deny or (allow is not None and not keys & allow):
            disabled.append(source)
        else:
            chosen.append(source)
    return chosen, disabled


def source_names(source: PackSource) -> set[str]:
    """The names that INDCLI_LOAD_PLUGINS / _DISABLE_PLUGINS may use for a pack: its
    distribution name (``dist`` of ``dist:entry-point``) and its entry-point name."""
    names = {normalise(source.name), normalise(source.name.partition(":")[0])}
    if source.entry_point:
        names.add(normalise(source.entry_point))
    return names


def unknown_names(sources: Iterable[PackSource], environ: Mapping[str, str]) -> list[str]:
    """``VARIABLE=name`` for each name in the two variables that matches no pack."""
    known = set().union(*(source_names(s) for s in sources))
    return [
        f"{variable}={name}"
        for variable in ("INDCLI_LOAD_PLUGINS", "INDCLI_DISABLE_PLUGINS")
        for name in sorted(parse_name_list(environ.get(variable)) or ())
        if name not in known
    ]


def load_packs(
    pm: Registry, sources: Iterable[PackSource], read: ContentReader
) -> list[LoadedPack]:
    """:func:`load_pack` for each of ``sources``, in order, under one Ctrl-C guard."""
    with _Interrupts() as interrupts:
        return [load_pack(pm, source, read, interrupts) for source in sources]


def load_pack(
    pm: Registry,
    source: PackSource,
    read: ContentReader,
    interrupts: _Interrupts | None = None,
) -> LoadedPack:
    """Import, register and call one pack; any failure marks it failed and unregisters it.

    Everything the pack does runs in isolation: any exception, even a ``BaseException``
    (``GeneratorExit``, ``asyncio.CancelledError``, a ``KeyboardInterrupt`` it raises
    itself), is the pack's failure; only a real Ctrl-C (a SIGINT this process received)
    goes on. What the pack writes to ``sys.stdout`` or ``sys.stderr`` is kept as a warning,
    so it can never corrupt ``--format json``.
    """
    if interrupts is None:
        with _Interrupts() as interrupts:
            return load_pack(pm, source, read, interrupts)
    pack = LoadedPack(source.name, source.version)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        try:
            _load(pm, source, read, pack)
        except ContentError as exc:
            pack.fail(exc.message)
            pack.problems = list(exc.problems)
        except PackError as exc:
            pack.fail(exc.message + _where(exc.__cause__))
            pack.traceback = _traceback(exc.__cause__)
        except BaseException as exc:  # a pack is arbitrary code: contain it
            if isinstance(exc, KeyboardInterrupt) and interrupts.received:
                raise
            pack.fail(describe(exc) + _where(exc))
            pack.traceback = _traceback(exc)
    printed = out.getvalue().strip()
    if printed:
        shown = one_line(printed[:200]) + ("..." if len(printed) > 200 else "")
        pack.warnings.append(f"it printed while loading (packs must not print): {shown}")
    if pack.status == "failed":
        pm.unregister(source.name)
    return pack


def _load(pm: Registry, source: PackSource, read: ContentReader, pack: LoadedPack) -> None:
    pack.module_file = source.origin
    module = source.load()
    pack.module_file = getattr(module, "__file__", None) or pack.module_file
    pm.register(module, name=source.name)  # checks each hook against the specs
    pack.warnings += _unmarked(module)
    for hook in HOOK_NAMES:
        function = pm.hooks[source.name].get(hook)
        if function is None:
            continue
        pack.hooks.append(hook)
        result = _call(hook, function)
        if hook == "indcli_content":
            pack.files = _as_list(result)
            pack.content = [
                content_from_data(read(source.name, item), source.name) for item in _as_list(result)
            ]
        elif hook == "indcli_commands":
            pack.commands = _commands(result)
    if not pack.hooks:
        pack.warnings.append(
            "it implements no hook, so it adds nothing (hooks: "
            f"{', '.join(HOOK_NAMES)}; each needs @hookimpl from indcli)"
        )


class _Interrupts:
    """Notes whether a real SIGINT arrives while a pack loads (the main thread only; where
    the handler cannot be set, every KeyboardInterrupt counts as real)."""

    def __init__(self) -> None:
        self.received = False
        self._previous: Any = None

    def __enter__(self) -> _Interrupts:
        import signal

        try:
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                self._previous = signal.signal(signal.SIGINT, self._handle)
            else:
                self.received = True
        except ValueError:  # not the main thread
            self.received = True
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.received = True
        raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            import signal

            signal.signal(signal.SIGINT, self._previous)


def _unmarked(module: Any) -> list[str]:
    """Warnings for ``indcli_*`` functions without ``@hookimpl``: they are never called."""
    names = _hook_like_names(module)
    return [
        f"function {printable(name)[:64]} has no @hookimpl, so indcli never calls it; "
        "put @hookimpl (from indcli import hookimpl) above it"
        for name in sorted(names)
        if callable(function := getattr(module, name, None))
        and not getattr(function, hookspecs.IMPL_ATTRIBUTE, None)
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


def _call(hook: str, function: Callable[[], Any]) -> Any:
    try:
        return function()
    except KeyboardInterrupt:
        raise  # load_pack tells a real Ctrl-C from one the pack raised
    except BaseException as exc:
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
            with open(item, "rb") as handle:
                blob = read_capped(handle, MAX_CONTENT_BYTES + 1)
    except OSError as exc:
        raise ContentError(pack, label, "", "", f"cannot read it ({exc.strerror or exc})") from None
    if len(blob) > MAX_CONTENT_BYTES:
        raise ContentError(pack, label, "", "", _too_big())
    return label, blob


def _too_big() -> str:
    return f"larger than {MAX_CONTENT_BYTES // 1024} KiB, which is more than content needs"
