"""Pack content: the pydantic models that validate it, and the loader.

A pack ships its content as a TOML file. The models here are the only definition of what
such a file may hold: unknown fields are rejected, every item cites its source (a source
id from the file's ``sources`` table, the quoted sentence(s), the date last checked), and
text may not carry control characters, so pack text can never drive the terminal.

Validation produces plain, JSON-ready data (``model_dump``), with every citation resolved
to ``{source, url, title, quote, checked}``. Everything downstream (catalog, engine,
renderers) works on that data, which is why pydantic is imported only here, and only when
a file really has to be validated (see :mod:`indcli.cache`).
"""

from __future__ import annotations

import datetime
import tomllib
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    model_validator,
)

from indcli.errors import ContentError
from indcli.limits import (
    MAX_CONDITION_DEPTH,
    MAX_ITEMS,
    MAX_KEY_PARTS,
    MAX_TEXT,
    RESERVED_OPTION_NAMES,
    check_source_url,
    has_control_chars,
)

ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
DIST_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"
COMMAND_PATTERN = r"^[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)?$"


def _printable(value: str) -> str:
    if has_control_chars(value):
        raise ValueError("text may not contain control characters or escape sequences")
    return value


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must be a single line")
    return value


Text = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(_printable)
]
Line = Annotated[Text, AfterValidator(_one_line)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
DistName = Annotated[str, StringConstraints(pattern=DIST_PATTERN, max_length=100)]
Items = Field(default_factory=list, max_length=MAX_ITEMS)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Source(Model):
    """A document content is taken from."""

    id: Id
    url: Annotated[Line, AfterValidator(check_source_url)]
    title: Line


class Citation(Model):
    """Where an item comes from: a source id, the exact sentence(s), when last checked."""

    source: Id
    quote: Text
    checked: datetime.date


class Pointer(Model):
    """A reference to a command or explain topic that may come from another pack."""

    label: Line
    command: Annotated[str, StringConstraints(pattern=COMMAND_PATTERN)] | None = None
    topic: Id | None = None
    pack: DistName

    @model_validator(mode="after")
    def _one_target(self) -> Pointer:
        if (self.command is None) == (self.topic is None):
            raise ValueError("set exactly one of 'command' or 'topic'")
        return self


class Paragraph(Model):
    text: Text
    source: Citation


class Topic(Model):
    """An explain topic: ``indcli explain ID``."""

    id: Id
    title: Line
    summary: Annotated[Line, StringConstraints(max_length=100)]
    body: list[Paragraph] = Field(min_length=1, max_length=MAX_ITEMS)
    note: Text | None = Field(
        default=None, description="What the source leaves out here, said plainly."
    )
    related: list[Pointer] = Items
    source: Citation


class Substep(Model):
    """Part of a step; with ``case`` set, one of several alternatives the reader picks."""

    case: Line | None = None
    text: Text
    source: Citation


class Step(Model):
    text: Text
    note: Text | None = Field(
        default=None, description="What the source leaves out here, said plainly."
    )
    substeps: list[Substep] = Items
    source: Citation

    @model_validator(mode="after")
    def _cases_all_or_none(self) -> Step:
        cases = [s.case is not None for s in self.substeps]
        if any(cases) and not all(cases):
            raise ValueError("either every substep has a 'case' or none has")
        return self


class Guide(Model):
    """A numbered step-by-step guide, e.g. shown by a :func:`indcli.guides.guide_command`."""

    id: Id
    title: Line
    intro: list[Paragraph] = Items
    steps: list[Step] = Field(min_length=1, max_length=MAX_ITEMS)
    closing: list[Paragraph] = Items
    source: Citation


# --- routing -------------------------------------------------------------------------


class Choice(Model):
    id: Id
    label: Line


class Unsure(Model):
    """An extra "I'm not sure" choice that shows an explain topic and asks again."""

    label: Line
    topic: Id
    pack: DistName


class Question(Model):
    id: Id
    prompt: Line
    help: Text
    choices: list[Choice] = Field(min_length=2, max_length=20)
    unsure: Unsure | None = None
    order: int = Field(default=100, ge=0, le=10_000)
    source: Citation

    @model_validator(mode="after")
    def _check(self) -> Question:
        if self.id in RESERVED_OPTION_NAMES:
            raise ValueError(f"id '{self.id}' is reserved for a route option; pick another")
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique")
        return self


class Form(Model):
    title: Line
    how: Text


class Outcome(Model):
    id: Id
    channel: Literal["online", "paper", "referral"]
    title: Line
    form: Form
    source: Citation


OneOrMany = Id | list[Id]


class AnswerTest(Model):
    """True when the answer to ``question`` is ``is`` (or one of a list)."""

    question: Id
    is_: OneOrMany = Field(alias="is")


class OutcomeTest(Model):
    """True when the routed outcome is ``outcome`` (or one of a list). Advice rules only."""

    outcome: OneOrMany


class AllOf(Model):
    all: list[Condition] = Field(min_length=1, max_length=MAX_ITEMS)


class AnyOf(Model):
    any: list[Condition] = Field(min_length=1, max_length=MAX_ITEMS)


class NotOf(Model):
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    keys = value.keys() if isinstance(value, dict) else vars(value).keys()
    for key in ("question", "outcome", "all", "any"):
        if key in keys:
            return key
    if "not" in keys or "not_" in keys:
        return "not"
    return None


Condition = Annotated[
    Annotated[AnswerTest, Tag("question")]
    | Annotated[OutcomeTest, Tag("outcome")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of: question, outcome, all, any, not",
    ),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()

AdviceKind = Literal["reason", "prerequisite", "warning", "step", "follow-up"]


class Rule(Model):
    """``when`` the condition holds, route to ``outcome`` or give ``advice``.

    ``text`` is the reason (outcome rules) or the advice itself. Among outcome rules that
    hold, the highest ``priority`` wins; advice rules all apply.
    """

    id: Id
    when: Condition | None = None
    outcome: Id | None = None
    advice: AdviceKind | None = None
    priority: int = Field(default=0, ge=-1000, le=1000)
    order: int = Field(default=100, ge=0, le=10_000)
    text: Text
    see: Pointer | None = None
    source: Citation

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if (self.outcome is None) == (self.advice is None):
            raise ValueError("set exactly one of 'outcome' or 'advice'")
        if self.outcome is not None and _tests_outcome(self.when):
            raise ValueError("an outcome rule cannot test the outcome")
        if _depth(self.when) > MAX_CONDITION_DEPTH:
            raise ValueError(f"condition nested deeper than {MAX_CONDITION_DEPTH} levels")
        return self


def _children(cond: Any) -> list[Any]:
    if isinstance(cond, AllOf):
        return list(cond.all)
    if isinstance(cond, AnyOf):
        return list(cond.any)
    if isinstance(cond, NotOf):
        return [cond.not_]
    return []


def _depth(cond: Any) -> int:
    if cond is None:
        return 0
    return 1 + max((_depth(c) for c in _children(cond)), default=0)


def _tests_outcome(cond: Any) -> bool:
    if cond is None:
        return False
    return isinstance(cond, OutcomeTest) or any(_tests_outcome(c) for c in _children(cond))


class Flow(Model):
    """A routing flow, or one pack's addition to a flow another pack defines.

    Exactly one pack sets ``title``: it owns the flow. Other packs contribute questions,
    outcomes and rules under the same ``id``.
    """

    id: Id
    title: Line | None = None
    questions: list[Question] = Items
    outcomes: list[Outcome] = Items
    rules: list[Rule] = Items


class ContentFile(Model):
    """The top level of a pack's content file."""

    format: Literal[1] = 1
    sources: list[Source] = Field(min_length=1, max_length=MAX_ITEMS)
    topics: list[Topic] = Items
    guides: list[Guide] = Items
    flows: list[Flow] = Items

    @model_validator(mode="after")
    def _check_ids(self) -> ContentFile:
        _unique("sources", [s.id for s in self.sources])
        _unique("topics", [t.id for t in self.topics])
        _unique("guides", [g.id for g in self.guides])
        _unique("flows", [f.id for f in self.flows])
        for flow in self.flows:
            _unique(f"flow '{flow.id}' questions", [q.id for q in flow.questions])
            _unique(f"flow '{flow.id}' outcomes", [o.id for o in flow.outcomes])
            _unique(f"flow '{flow.id}' rules", [r.id for r in flow.rules])
        known = {s.id for s in self.sources}
        for where, citation in _citations(self):
            if citation.source not in known:
                raise ValueError(
                    f"{where}: source '{citation.source}' is not in this file's [[sources]]"
                )
        return self


def _unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ValueError(f"duplicate id '{item_id}' in {what}")
        seen.add(item_id)


def _citations(node: Any, where: str = "") -> list[tuple[str, Citation]]:
    found: list[tuple[str, Citation]] = []
    if isinstance(node, Citation):
        return [(where or "item", node)]
    if isinstance(node, BaseModel):
        label = getattr(node, "id", None)
        here = f"{where} '{label}'" if label and isinstance(label, str) else where
        for name in type(node).model_fields:
            found += _citations(getattr(node, name), here.strip())
    elif isinstance(node, list | tuple):
        for child in node:
            found += _citations(child, where)
    return found


# --- loading -------------------------------------------------------------------------


def validate_content(raw: dict[str, Any], *, pack: str, file: str) -> dict[str, Any]:
    """Validate parsed content and return it as plain data with citations resolved."""
    try:
        model = ContentFile.model_validate(raw)
    except ValidationError as exc:
        raise _content_error(exc, raw, pack=pack, file=file) from None
    except RecursionError:
        raise ContentError(pack, file, "", "", "content is nested too deeply") from None
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
    for number, line in enumerate(text.splitlines(), 1):
        key = line if line.lstrip().startswith("[") else line.partition("=")[0]
        if key.count(".") >= MAX_KEY_PARTS:
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
    exc: ValidationError, raw: dict[str, Any], *, pack: str, file: str
) -> ContentError:
    # An unknown field is usually a misspelt one, the root cause of a "missing" error.
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    item, field = _locate(raw, first["loc"])
    message = first["msg"]
    if first.get("type") == "extra_forbidden":
        message = "unknown field (not allowed here; check the spelling against docs/content.md)"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ContentError(pack, file, item, field, message)


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
