"""``indcli new-pack``: the files of a new, working content pack, and writing them safely.

A new pack is a small distribution: ``pyproject.toml`` (hatchling, an entry point in the
``indcli`` group, a ``test`` extra), the module with its ``indcli_content`` hook, a content
file with one cited example topic, a README, a test that uses :mod:`indcli.testing`, the
JSON Schema of content files that the content file names for editor completion, and what
a repository needs: ``.gitignore``, a LICENSE placeholder and a CI workflow that installs
the pack and runs its tests and ``indcli check --strict``. On request it also starts with
a question and an advice rule in the partner-permit flow, or with a command. The files
are rendered from the templates in ``indcli/templates/pack`` (package data). Sources and
quotes are placeholders the author must replace; they still validate, so the pack
installs and its tests pass from the first minute. Generated code imports only
``indcli``, ``indcli.api`` and ``indcli.testing`` of indcli.

The pack is written to a hidden folder next to the target (inside it, when the target is
an existing empty folder) and renamed into place at the end, so a failure never leaves
half a pack behind.
"""

from __future__ import annotations

import datetime
import functools
import keyword
import re
import secrets
import shlex
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from indcli import ENTRY_POINT_GROUP, __version__
from indcli.limits import PLACEHOLDER_URL

# \Z, not $: "$" also matches before a final newline, and a name is written into TOML.
NAME_PATTERN = re.compile(r"\A[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
MAX_NAME = 64
MAX_ID = 64  # content ids (indcli.content.schema.Id): every id the pack gets must fit
PREFIX = "indcli-"
SCHEMA_FILE = "content.schema.json"  # at the pack's root, so its wheel does not ship it
# --with-route extends this flow of this pack, and advises on routes to this outcome.
ROUTE_FLOW = "partner-permit"
ROUTE_OWNER = "indcli-partner-permit"
ROUTE_OWNER_REQUIRES = f"{ROUTE_OWNER}>=0.1,<1"
ROUTE_OUTCOME = "paper-family-member"


class ScaffoldError(ValueError):
    """A pack name or target folder that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class PackNames:
    """The names a pack goes by, all derived from its distribution name."""

    dist: str  # what people pip install: indcli-my-topic
    module: str  # the Python package: indcli_my_topic
    short: str  # the entry point name and the example topic id: my-topic

    @property
    def question(self) -> str:
        """The id of the --with-route question (its option is --my-topic-question)."""
        return f"{self.short}-question"

    @property
    def rule(self) -> str:
        """The id of the --with-route advice rule."""
        return f"{self.short}-warning"

    @property
    def command(self) -> str:
        """The name of the --with-command command."""
        return f"{self.short}-packs"


@dataclass(frozen=True)
class NewPack:
    """A pack written by :func:`create_pack`."""

    names: PackNames
    directory: Path
    files: list[str]
    route: bool = False  # started with a question and an advice rule in the route
    command: bool = False  # started with a command

    @property
    def display(self) -> str:
        """The folder as a shell argument that pip reads as a folder (./name)."""
        return _shell_path(self.directory)

    def next_steps(self) -> list[tuple[str, str]]:
        """(command, what it does) pairs, ready to copy from the directory you ran it in."""
        where = self.display
        return [
            (
                f"pip install -e {shlex.quote(where + '[test]')}",
                "install it (editable) with its test tools",
            ),
            (f"pytest {shlex.quote(where)}", "run its tests"),
            ("indcli plugins", f"see {self.names.dist} loaded"),
            (f"indcli explain {self.names.short}", "see its example topic"),
            *([("indcli route --help", "see its question in the route")] if self.route else []),
            *([(f"indcli {self.names.command}", "run its command")] if self.command else []),
        ]


def pack_names(name: str) -> PackNames:
    """Check a distribution name for a new pack and derive the pack's other names."""
    if not name:
        raise ScaffoldError("the pack name is empty; use e.g. indcli-my-topic.")
    if len(name) > MAX_NAME:
        raise ScaffoldError(f"the pack name is longer than {MAX_NAME} characters.")
    if not NAME_PATTERN.match(name):
        hint = f" Did you mean '{_suggest(name)}'?" if _suggest(name) else ""
        raise ScaffoldError(
            f"'{name}' is not a valid pack name: use lowercase letters, digits and single "
            f"hyphens, starting with a letter and not ending with a hyphen (e.g. "
            f"indcli-my-topic).{hint}"
        )
    module = name.replace("-", "_")
    short = name.removeprefix(PREFIX) or name
    if name == "indcli" or module in sys.stdlib_module_names or keyword.iskeyword(module):
        raise ScaffoldError(
            f"'{name}' would name a Python module that already exists ({module}); "
            f"use e.g. {PREFIX}{name}."
        )
    names = PackNames(dist=name, module=module, short=short)
    longest = max((names.short, names.question, names.rule, names.command), key=len)
    if len(longest) > MAX_ID:
        room = MAX_ID - (len(longest) - len(short))
        part = f"the part after '{PREFIX}'" if short != name else "it"
        raise ScaffoldError(
            f"the pack name is too long: it would give the id '{longest}', longer than "
            f"{MAX_ID} characters; keep {part} to {room} characters."
        )
    if not NAME_PATTERN.match(short):  # indcli-0: ids start with a letter
        raise ScaffoldError(
            f"'{name}' would give the id '{short}', which does not start with a letter; "
            f"start the part after '{PREFIX}' with a letter."
        )
    _check_not_installed(names)
    return names


def check_ids_free(names: PackNames, claimed: dict[str, str]) -> None:
    """Refuse a name whose ids a loaded pack already claims (``claimed``: id -> pack):
    the new pack would not load next to it."""
    for key in (names.short, names.question, names.rule, names.command):
        if key in claimed:
            raise ScaffoldError(
                f"'{names.dist}' would give the id '{key}', which pack {claimed[key]} "
                f"already uses; choose another name."
            )


def _check_not_installed(names: PackNames) -> None:
    """A name pip already knows (``click``) or a module Python already finds (``pydantic``)
    would make a pack that installs over, or is hidden by, what is there."""
    import importlib.metadata
    import importlib.util

    try:
        found = importlib.metadata.distribution(names.dist)
    except importlib.metadata.PackageNotFoundError:
        found = None
    if found is not None:
        raise ScaffoldError(
            f"'{names.dist}' is the name of an installed distribution ({names.dist} "
            f"{found.version}); a new pack needs a name of its own, e.g. {PREFIX}my-topic."
        )
    try:
        spec = importlib.util.find_spec(names.module)
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        raise ScaffoldError(
            f"'{names.dist}' would name a Python module that already exists "
            f"({names.module}); use e.g. {PREFIX}{names.dist}."
        )


def _suggest(name: str) -> str:
    candidate = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if candidate and not candidate[0].isalpha():
        candidate = PREFIX + candidate
    if candidate != name and NAME_PATTERN.match(candidate) and len(candidate) <= MAX_NAME:
        return candidate
    return ""


def check_target(directory: Path) -> None:
    """The target must not exist, or be an empty folder, inside a folder that exists."""
    if directory.exists() or directory.is_symlink():
        if not directory.is_dir():
            raise ScaffoldError(f"{directory} exists and is not a folder; choose another DIR.")
        if any(directory.iterdir()):
            raise ScaffoldError(
                f"{directory} exists and is not empty; choose a new or empty folder as DIR."
            )
    parent = directory.absolute().parent
    if not parent.is_dir():
        raise ScaffoldError(
            f"the folder {parent} does not exist; create it first, or choose another DIR."
        )


def render_files(
    names: PackNames, checked: datetime.date, *, route: bool = False, command: bool = False
) -> dict[str, str]:
    """The new pack's files: path relative to the pack folder -> text.

    ``route`` adds a question and an advice rule to the partner-permit flow (advice never
    changes the owner's outcome); ``command`` adds a click command with ``indcli_commands``.
    """
    major, minor = (int(part) for part in __version__.split(".")[:2])
    values = {
        "dist": names.dist,
        "module": names.module,
        "short": names.short,
        "group": ENTRY_POINT_GROUP,
        "url": PLACEHOLDER_URL,
        "topic_cite": _placeholder_cite("the topic rests on", checked),
        "body": "Say here, in plain words, what the topic explains. Give each paragraph the "
        "sentence(s) of the source it rests on.",
        "body_cite": _placeholder_cite("this paragraph rests on", checked),
        "question": names.question,
        "rule": names.rule,
        "command": names.command,
        "flow": ROUTE_FLOW,
        "outcome": ROUTE_OUTCOME,
        "owner_module": ROUTE_OWNER.replace("-", "_"),
        "extends": f'extends = "{ROUTE_OWNER}"\n' if _flows_declare_owner() else "",
        "question_cite": _placeholder_cite("the question comes from", checked),
        "rule_cite": _placeholder_cite("the warning rests on", checked),
    }

    def fill(name: str) -> str:
        return Template(_template(name)).substitute(values)

    requires = [f"indcli>={major}.{minor},<{major + 1}"] + ([ROUTE_OWNER_REQUIRES] if route else [])
    adds = [(f"the explain topic `{names.short}`", f"indcli explain {names.short}")]
    if route:
        adds.append(
            (
                f"the question `--{names.question}` and a warning to `indcli route` "
                f"(the partner-permit flow of {ROUTE_OWNER})",
                "indcli route --help",
            )
        )
    if command:
        adds.append((f"the command `indcli {names.command}`", f"indcli {names.command}"))
    packs = [values["owner_module"]] if route else []
    values.update(
        dependencies="dependencies = [\n" + "".join(f'    "{r}",\n' for r in requires) + "]\n",
        adds_list="\n".join(f"- {what}: `{run}`" for what, run in adds),
        adds_doc=textwrap.fill("Adds " + _join([w.replace("`", "``") for w, _ in adds]) + ".", 88),
        imports=_init_imports(command),
        commands=fill("commands.py" if command else "commands_example.py"),
        route=fill("route.toml") if route else "",
        app_doc="this pack and the pack whose route it extends" if route else "this pack",
        app_packs=", ".join([*packs, names.module]),
    )
    helpers = ["check_packs", "make_app", *(["route_answers"] if route else []), "run"]
    test_modules = sorted([names.module, *packs])
    values["test_imports"] = "\n".join(
        [f"from indcli.testing import {', '.join(helpers)}", ""]
        + [f"import {m}" for m in test_modules]
    )
    values["tests"] = (fill("test_route.py") if route else "") + (
        fill("test_command.py") if command else ""
    )
    files = {
        "pyproject.toml": "pyproject.toml",
        "README.md": "README.md",
        ".gitignore": "gitignore",
        "LICENSE": "LICENSE",
        ".github/workflows/ci.yml": "ci.yml",
        f"src/{names.module}/__init__.py": "__init__.py",
        f"src/{names.module}/content.toml": "content.toml",
        f"tests/test_{names.module}.py": "test_pack.py",
    }
    out = {path: fill(name) for path, name in files.items()}
    out[SCHEMA_FILE] = _content_schema_text()
    return out


def _init_imports(command: bool) -> str:
    """The imports of the pack's module: only ``indcli`` and ``indcli.api`` of indcli."""
    if not command:
        return "import os\n\nfrom indcli import hookimpl\n"
    return (
        "import os\nfrom typing import Any\n\nimport click\n\n"
        "from indcli import hookimpl\n"
        "from indcli.api import Doc, Item, current_app, format_option, payload, render\n"
    )


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _flows_declare_owner() -> bool:
    """Whether content files know ``extends`` on a flow part (the owner it extends)."""
    flow = _content_schema()["$defs"]["Flow"]
    return "extends" in flow.get("properties", {})


def _template(name: str) -> str:
    """A template file shipped in indcli/templates/pack (string.Template syntax: $name is
    replaced, $$ is a dollar sign), named NAME.tmpl so tools do not take it for code."""
    from importlib.resources import files

    return (files("indcli") / "templates" / "pack" / f"{name}.tmpl").read_text(encoding="utf-8")


@functools.cache
def _content_schema() -> dict[str, Any]:
    from indcli.output.content_schema import content_schema

    return content_schema()


def _content_schema_text() -> str:
    """The JSON Schema of content files, for editors (content.toml names it in '#:schema')."""
    import json

    return json.dumps(_content_schema(), indent=2) + "\n"


def _placeholder_cite(what: str, checked: datetime.date) -> str:
    quote = f"Placeholder: replace with the exact sentence {what}."
    return f'{{ source = "replace-me", checked = {checked.isoformat()}, quote = "{quote}" }}'


def create_pack(
    name: str,
    directory: Path | None = None,
    checked: datetime.date | None = None,
    *,
    route: bool = False,
    command: bool = False,
) -> NewPack:
    """Write a new pack named ``name`` into ``directory`` (default: ``./name``); ``route``
    and ``command`` as for :func:`render_files`.

    Raises :class:`ScaffoldError` for a bad name or target before anything is written,
    and :class:`OSError` if writing fails (then nothing is left behind).
    """
    names = pack_names(name)
    target = Path(name) if directory is None else directory
    check_target(target)
    files = render_files(names, checked or datetime.date.today(), route=route, command=command)
    absolute = target.absolute()
    exists = absolute.is_dir()
    # Stage next to the target (or inside it, when it is an existing empty folder such as
    # "."), so that the final renames stay on one file system.
    staging = (absolute if exists else absolute.parent) / f".new-pack-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if exists:
            _move_into(staging, absolute)
        else:
            staging.rename(absolute)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # already gone after success
    return NewPack(names, target, sorted(files), route, command)


def _move_into(staging: Path, target: Path) -> None:
    """Move the staged entries into the (empty) target; undo every move if one fails."""
    moved: list[Path] = []
    try:
        for entry in sorted(staging.iterdir()):
            entry.rename(target / entry.name)
            moved.append(target / entry.name)
    except BaseException:
        for path in moved:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise


def _shell_path(path: Path) -> str:
    text = str(path)
    if path.is_absolute() or text.startswith("."):
        return text
    return "./" + text  # pip then reads it as a folder, not as a package name
