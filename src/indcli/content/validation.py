"""Validating a content file: TOML in, JSON-ready data out, or one error naming every problem.

:func:`validate_content` runs the pydantic models of :mod:`indcli.content.schema` and
turns their errors into messages in indcli's own words, each with file, item, field,
line and a "did you mean" where one fits. pydantic is imported only when a file really
has to be validated (the loader caches the result).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from typing import Any

from pydantic import BaseModel, ValidationError

from indcli.content.schema import ID_PATTERN, ContentFile, Model
from indcli.errors import ContentError, ContentProblem
from indcli.limits import MAX_KEY_PARTS, long_key_line


def validate_content(
    raw: dict[str, Any], *, pack: str, file: str, text: str | None = None
) -> dict[str, Any]:
    """Validate parsed content and return it as plain data with citations resolved.

    ``text``, the file's TOML text, lets errors say on which line to look.
    """
    try:
        model = ContentFile.model_validate(raw)
    except ValidationError as exc:
        raise _content_error(exc, raw, pack=pack, file=file, text=text) from None
    except RecursionError:
        raise ContentError(pack, file, "", "", "content is nested too deeply") from None
    problems = _located(id_problems(raw), raw, file, text)
    if problems:
        raise ContentError.of(pack, problems)
    data = model.model_dump(mode="json", by_alias=True, exclude_none=False)
    sources = {s["id"]: s for s in data.pop("sources")}
    return _resolve_citations(data, sources)


def parse_toml(blob: bytes, *, pack: str, file: str) -> dict[str, Any]:
    """Parse a content file's bytes, turning every failure into a :class:`ContentError`."""
    try:
        text = blob.decode("utf-8")
        _refuse_long_keys(text, pack=pack, file=file)
        return tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ContentError(pack, file, "", "", f"not UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(pack, file, "", "", f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ContentError(pack, file, "", "", "content is nested too deeply") from None


def _refuse_long_keys(text: str, *, pack: str, file: str) -> None:
    """tomllib takes time quadratic in a dotted key's length (minutes for a file well
    under the size limit); no real key is anywhere near :data:`MAX_KEY_PARTS` parts."""
    number = long_key_line(text)
    if number is not None:
        raise ContentError(
            pack, file, "", "", f"line {number} has a key of more than {MAX_KEY_PARTS} parts"
        )


def _resolve_citations(node: Any, sources: dict[str, dict[str, Any]]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "source" and isinstance(value, dict) and "quote" in value:
                src = sources[value["source"]]
                out[key] = {
                    "source": src["id"],
                    "url": src["url"],
                    "title": src["title"],
                    "quote": value["quote"],
                    "checked": value["checked"],
                }
            else:
                out[key] = _resolve_citations(value, sources)
        return out
    if isinstance(node, list):
        return [_resolve_citations(v, sources) for v in node]
    return node


def _content_error(
    exc: ValidationError, raw: dict[str, Any], *, pack: str, file: str, text: str | None = None
) -> ContentError:
    """Every problem pydantic found, located (item, field, line) and in our own words."""
    problems: list[ContentProblem] = []
    errors = exc.errors(include_url=False)
    index = _Lines(text) if text else None
    unknown: dict[tuple[Any, ...], list[str]] = {}  # parent -> unknown fields in it
    for error in errors:
        if error.get("type") == "extra_forbidden":
            where = _without_tags(error["loc"])
            unknown.setdefault(where[:-1], []).append(str(where[-1]))
    for error in errors:
        loc = _without_tags(error["loc"])
        if error.get("type") == "missing" and _misspelt(unknown, loc):
            continue  # said with the unknown field that is its misspelling
        item, field = _locate(raw, loc)
        line = _line_of(index, raw, loc) if index else None
        problems.append(ContentProblem(file, item, field, _message(error, raw, loc), line))
    problems += _located(id_problems(raw), raw, file, text)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return ContentError.of(pack, problems)


def _located(
    found: list[tuple[tuple[Any, ...], str]], raw: Any, file: str, text: str | None
) -> list[ContentProblem]:
    problems = []
    index = _Lines(text) if text and found else None
    for loc, message in found:
        item, field = _locate(raw, loc)
        line = _line_of(index, raw, loc) if index else None
        problems.append(ContentProblem(file, item, field, message, line))
    return problems


_TAGS = frozenset({"question", "outcome", "all", "any", "not"})


def _without_tags(loc: Any) -> tuple[Any, ...]:
    """``loc`` without the tags pydantic inserts where a condition is validated (after
    ``when`` and ``not``, and in the lists of ``all`` and ``any``)."""
    out: list[Any] = []
    expect = False
    for part in loc:
        if expect and part in _TAGS:
            expect = False
            continue
        expect = part in ("when", "not") or (
            isinstance(part, int) and bool(out) and out[-1] in ("all", "any")
        )
        out.append(part)
    return tuple(out)


def _misspelt(unknown: dict[tuple[Any, ...], list[str]], loc: tuple[Any, ...]) -> bool:
    """Whether a missing field at ``loc`` has a close unknown field next to it."""
    import difflib

    near = unknown.get(loc[:-1], [])
    return (
        bool(loc) and bool(near) and bool(difflib.get_close_matches(str(loc[-1]), near, cutoff=0.5))
    )


def _message(error: Any, raw: Any, loc: tuple[Any, ...]) -> str:
    """pydantic's error in indcli's words: what is wrong and what would be right."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "extra_forbidden":
        parent = _node_at(raw, loc[:-1])
        name = str(loc[-1]) if loc else ""
        hint = _did_you_mean(name, _fields_like(parent, name))
        return f"unknown field '{name}'{hint} (see the schema: indcli schema content)"
    if kind == "missing":
        return f"required field '{loc[-1] if loc else ''}' is missing"
    if kind in ("string_too_long", "too_long") and isinstance(error.get("input"), str):
        return f"at most {ctx.get('max_length')} characters, not {len(error['input'])}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items, not {ctx.get('actual_length')}"
    if kind in ("string_too_short", "too_short") and isinstance(error.get("input"), str):
        return "may not be empty"
    if kind == "too_short":
        count = ctx.get("min_length")
        return f"needs at least {count} item{'s' if count != 1 else ''}"
    if kind == "string_pattern_mismatch":
        value = str(error.get("input"))[:64]
        if ctx.get("pattern") == ID_PATTERN:
            return (
                f"'{value}' is not a valid id: use lowercase letters, digits and single "
                "hyphens, starting with a letter (e.g. 'my-topic')"
            )
        if str(ctx.get("pattern", "")).startswith("^https://"):
            return f"'{value}' is not a web address starting with https://"
        return f"'{value}' does not have the expected form ({ctx.get('pattern')})"
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected')}"
    if kind.startswith("date"):
        return "must be a date without quotes, like 2026-11-28"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "string_type":
        return "must be text in quotes"
    if kind == "list_type":
        return "must be a list ([...] or [[...]] tables)"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be a table ({ ... } or a [section])"
    message = str(error.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _node_at(raw: Any, loc: tuple[Any, ...]) -> Any:
    """The raw value at ``loc``, skipping parts that are not keys (union tags)."""
    node = raw
    for part in loc:
        child = _child(node, part)
        node = node if child is _MISSING else child
    return node


_MISSING = object()


def _child(node: Any, part: Any) -> Any:
    """``node[part]`` for a raw table or array, or :data:`_MISSING`."""
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    if isinstance(node, dict) and part in node:
        return node[part]
    return _MISSING


def _fields_like(node: Any, unknown: str) -> list[str]:
    """The fields of the content model that best fits ``node`` (by its other keys)."""
    keys = set(node) - {unknown} if isinstance(node, dict) else set()
    best: list[str] = []
    best_score = -1
    for model in _content_models():
        names = [f.alias or name for name, f in model.model_fields.items()]
        score = len(keys & set(names)) - len(keys - set(names))
        if score > best_score:
            best, best_score = names, score
    return best


def _content_models() -> list[type[BaseModel]]:
    found, todo = [], [Model]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _did_you_mean(name: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


def id_problems(raw: Any) -> list[tuple[tuple[Any, ...], str]]:
    """The id and source rules of a content file, written once: every duplicate id in a
    list and every citation of a source that is not in the file's ``[[sources]]``, each
    with its location (on the raw data, so every finding is reported with its item, next
    to pydantic's, and also when pydantic found nothing else)."""
    if not isinstance(raw, dict):
        return []
    found: list[tuple[tuple[Any, ...], str]] = []
    lists: list[tuple[tuple[Any, ...], str]] = [
        ((key,), key) for key in ("sources", "topics", "guides", "flows")
    ]
    for n, flow in enumerate(_list(raw.get("flows"))):
        if isinstance(flow, dict):
            lists += [(("flows", n, k), f"flow '{flow.get('id')}' {k}") for k in _FLOW_LISTS]
    for loc, what in lists:
        seen: set[str] = set()
        for n, node in enumerate(_list(_node_at(raw, loc) if _has(raw, loc) else None)):
            item_id = node.get("id") if isinstance(node, dict) else None
            if isinstance(item_id, str):
                if item_id in seen:
                    found.append(((*loc, n, "id"), f"duplicate id '{item_id}' in {what}"))
                seen.add(item_id)
    known = [s["id"] for s in _list(raw.get("sources")) if isinstance(s, dict) and "id" in s]
    for loc, source in _citations_raw(raw, ()):
        if source not in known:
            hint = _did_you_mean(source, known) or (
                f"; the sources of this file: {', '.join(map(str, known))}" if known else ""
            )
            found.append((loc, f"source '{source}' is not in this file's [[sources]]{hint}"))
    return found


_FLOW_LISTS = ("questions", "outcomes", "rules")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _has(raw: Any, loc: tuple[Any, ...]) -> bool:
    node = raw
    for part in loc:
        node = _child(node, part)
        if node is _MISSING:
            return False
    return True


def _citations_raw(node: Any, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """(location of the ``source`` key, source id) of every citation in raw content."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(node, dict):
        if "quote" in node and isinstance(node.get("source"), str):
            return [((*loc, "source"), node["source"])]
        for key, value in node.items():
            if key != "sources" or loc:
                found += _citations_raw(value, (*loc, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += _citations_raw(value, (*loc, n))
    return found


def _locate(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """Split a pydantic error location into the item (with its id) and the field path.

    Parts of ``loc`` that are not keys of the raw data (union tags) are skipped.
    """
    parts: list[str] = []
    item, item_len = "", 0
    node = raw
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parts.append(f"[{part}]")
            node = node[part]
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                item = "".join(parts).lstrip(".") + f" (id '{node['id'][:64]}')"
                item_len = len(parts)
        elif isinstance(node, dict) and part in node:
            parts.append(f".{part}")
            node = node[part]
        elif isinstance(node, dict | list):
            parts.append(f".{part}")  # a missing field: the last part of the path
            node = None
    field = "".join(parts[item_len:]).lstrip(".")
    return item, field


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"(?:^|[\s{,.])[\"']?([^\s\"'=\[\]{},.#]+)[\"']?\s*=")
_ID = re.compile(r"\bid\s*=\s*[\"']([^\"']*)[\"']")


class _Lines:
    """Where each table header, key and ``id = "..."`` is in a TOML text: read once, so
    that locating every error of a file costs one pass plus a lookup per error."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        self.keys: dict[str, list[int]] = {}
        self.ids: dict[str, list[int]] = {}
        for n, line in enumerate(self.lines):
            if (match := _HEADER.match(line)) is not None:
                self.headers.setdefault(match.group(1), []).append(n)
            for key in set(_KEY.findall(line)):
                self.keys.setdefault(key, []).append(n)
            for value in set(_ID.findall(line)):
                self.ids.setdefault(value, []).append(n)

    @staticmethod
    def after(found: list[int], start: int) -> list[int]:
        """The line numbers in ``found`` (sorted) from ``start`` on."""
        return found[bisect_left(found, start) :]

    def first(self, found: list[int] | None, start: int) -> int | None:
        rest = self.after(found or [], start)
        return rest[0] if rest else None


def _line_of(index: _Lines, raw: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the TOML text where the value at ``loc`` is, as near as we can tell.

    TOML keeps no positions, so this follows the path through the text: an array of
    tables is found by counting its ``[[header]]`` lines after its parent's line, a key
    by finding ``key =`` (or an ``id = "..."`` of the item) from the parent's line on.
    A missing field gets the line of the item it is missing from.
    """
    pos, node, found = 0, raw, None
    keys: list[str] = []  # dotted path of table keys so far, without list indexes
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            after = index.after(index.headers.get(".".join(keys), []), pos)
            if len(after) > part and index.lines[after[0]].lstrip().startswith("[["):
                pos = found = after[part]
            elif isinstance(node[part], dict) and isinstance(node[part].get("id"), str):
                hit = index.first(index.ids.get(node[part]["id"]), pos)
                pos, found = (hit, hit) if hit is not None else (pos, found)
            node = node[part]
        elif isinstance(node, dict) and part in node:
            keys.append(str(part))
            hit = index.first(index.keys.get(str(part)), pos)
            header = index.first(index.headers.get(".".join(keys)), pos)
            if header is not None and (hit is None or header <= hit):
                hit = header
            if hit is not None:
                pos = found = hit
            node = node[part]
        # else: a union tag, or a missing field: stay on the item
    return None if found is None else found + 1
