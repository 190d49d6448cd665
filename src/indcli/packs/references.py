"""Where in its content file a reference error is: the file, and the line of the rule
and of the value it names (TOML keeps no positions, so the text is searched; only on the
failure path)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from indcli.errors import ContentError, ContentProblem
from indcli.packs.loading import LoadedPack, read_content_bytes
from indcli.routing.flow import FlowProblem

_HEADER = re.compile(r"^\s*\[\[?\s*([\w.-]+)\s*\]\]?")


def locate(pack: LoadedPack, problem: FlowProblem) -> ContentProblem:
    """The problem with its file, item, field and line, as field errors have them."""
    rule = re.search(r"rule '([^']*)'", problem.item)
    for label, lines in _content_lines(pack):
        line = _line(lines, rule.group(1) if rule else "", problem.value)
        if line is not None:
            return ContentProblem(label, problem.item, problem.field, problem.message, line)
    return ContentProblem(file_label(pack), problem.item, problem.field, problem.message)


def locate_item(pack: LoadedPack, item: str, needle: str = "") -> tuple[str, int | None]:
    """The content file and 1-based line of ``item`` as messages name it (``topic 'x'
    related[0]``: the line of ``id = "x"``), or of ``needle`` (a quote) where it is."""
    ids = re.findall(r"'([^']+)'", item)
    own = re.compile(rf"^\s*id\s*=\s*[\"']{re.escape(ids[-1])}[\"']") if ids else None
    for label, lines in _content_lines(pack):
        for pattern in (needle, own):
            for n, line in enumerate(lines):
                if pattern and (
                    pattern in line if isinstance(pattern, str) else pattern.match(line)
                ):
                    return label, n + 1
    return file_label(pack), None


def _content_lines(pack: LoadedPack) -> Iterator[tuple[str, list[str]]]:
    """The name and lines of each of the pack's content files that can be read."""
    for item in pack.files:
        try:
            label, blob = read_content_bytes(pack.name, item)
        except ContentError:
            continue
        yield label, blob.decode("utf-8", "replace").splitlines()


def file_label(pack: LoadedPack) -> str:
    """The name of the pack's (first) content file, or of its module, or ''."""
    if pack.files:
        return _label(pack.files[0])
    return _label(pack.module_file) if pack.module_file else ""


def _line(lines: list[str], rule_id: str, value: str) -> int | None:
    """The 1-based line where ``value`` is named inside the rule ``rule_id`` (or the
    rule's own line when the value cannot be found there)."""
    own_id = re.compile(rf"^\s*id\s*=\s*[\"']{re.escape(rule_id)}[\"']")
    quoted = re.compile(rf"[\"']{re.escape(value)}[\"']") if value else None
    start = None
    for n, line in enumerate(lines):
        if start is None:
            if own_id.match(line):
                start = n
            continue
        if _HEADER.match(line):
            break
        if quoted and quoted.search(line):
            return n + 1
    return None if start is None else start + 1


def _label(item: object) -> str:
    import os

    return os.path.basename(os.fspath(getattr(item, "name", item)))  # type: ignore[call-overload]
