"""Pack content as immutable, typed objects: what everything past the loader works on.

:mod:`indcli.content.schema` validates a content file with pydantic once and the loader caches
the result as plain JSON data; :func:`content_from_data` turns that data into the immutable
records here: typed, frozen and slotted, like frozen dataclasses, but defined as
:class:`~indcli.utils.records.Record` in microseconds (there are thirty of them, and
every run starts by defining them). This module imports nothing
heavy, so a scripted run that reads content from the cache never imports pydantic.
Nothing writes into these objects: compiled rules (:mod:`indcli.routing.flow`) and merged
catalogs hold references to them.

Every cited item has a :class:`Citation` (source resolved to url and title) and a
``basis``: ``page`` when its text says what the quoted sentences say, ``inference`` when
it is indcli's own reading of them (``basis_note`` says why).
"""

import types
from collections.abc import Iterator, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

from indcli.utils.records import Record

Basis = Literal["page", "inference"]
Channel = Literal["online", "paper", "referral"]
AdviceKind = Literal["reason", "prerequisite", "warning", "step", "follow-up", "gap"]


class Citation(Record):
    """Where an item comes from: the source document, the exact sentence(s), when checked."""

    source: str
    url: str
    title: str
    quote: str
    checked: str  # ISO date

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self._fields}


class Pointer(Record):
    """A reference to a command or explain topic that may come from another pack."""

    label: str
    command: str | None
    topic: str | None
    pack: str


class Example(Record):
    """A command line shown under a command's help: ``run`` and what it does."""

    run: str
    about: str | None = None


class CommandSpec(Record):
    """The command that serves a flow or guide, built by the core from content."""

    name: str
    help: str
    examples: tuple[Example, ...] = ()


class Paragraph(Record):
    text: str
    source: Citation
    basis: Basis = "page"
    basis_note: str | None = None


class Topic(Record):
    id: str
    title: str
    summary: str
    body: tuple[Paragraph, ...]
    note: str | None
    related: tuple[Pointer, ...]
    source: Citation
    pack: str


class Substep(Record):
    case: str | None
    text: str
    source: Citation
    basis: Basis = "page"
    basis_note: str | None = None


class Step(Record):
    text: str
    note: str | None
    substeps: tuple[Substep, ...]
    source: Citation
    basis: Basis = "page"
    basis_note: str | None = None

    @property
    def has_cases(self) -> bool:
        return any(s.case for s in self.substeps)


class Guide(Record):
    id: str
    title: str
    intro: tuple[Paragraph, ...]
    steps: tuple[Step, ...]
    closing: tuple[Paragraph, ...]
    source: Citation
    pack: str
    command: CommandSpec | None = None


# --- routing -------------------------------------------------------------------------


class Choice(Record):
    id: str
    label: str


class Unsure(Record):
    """An extra "I'm not sure" choice that explains a topic."""

    label: str
    topic: str
    pack: str


class Question(Record):
    id: str
    prompt: str
    help: str
    choices: tuple[Choice, ...]
    unsure: Unsure | None
    order: int
    source: Citation
    pack: str

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    def label(self, choice_id: str) -> str:
        return next((c.label for c in self.choices if c.id == choice_id), choice_id)


class Form(Record):
    title: str
    how: str


class Outcome(Record):
    id: str
    channel: Channel
    title: str
    form: Form
    source: Citation
    pack: str
    basis: Basis = "page"
    basis_note: str | None = None

    @property
    def text(self) -> str:
        """What the outcome tells the reader to do (what ``check`` holds against its quote)."""
        return self.form.how


class AnswerTest(Record):
    """True when the answer to ``question`` is one of ``values``."""

    question: str
    values: frozenset[str]


class OutcomeTest(Record):
    """True when the routed outcome is one of ``outcomes`` (advice rules only)."""

    outcomes: frozenset[str]


class AllOf(Record):
    parts: tuple["Condition", ...]  # conditions nest: the one forward reference


class AnyOf(Record):
    parts: tuple["Condition", ...]


class Not(Record):
    part: "Condition"


Condition = AnswerTest | OutcomeTest | AllOf | AnyOf | Not


def walk_condition(cond: Condition | None) -> Iterator[Condition]:
    """The condition and every condition inside it."""
    if cond is None:
        return
    yield cond
    if isinstance(cond, AllOf | AnyOf):
        for part in cond.parts:
            yield from walk_condition(part)
    elif isinstance(cond, Not):
        yield from walk_condition(cond.part)


class Rule(Record):
    """``when`` the condition holds, route to ``outcome`` or give ``advice``."""

    id: str
    when: Condition | None
    outcome: str | None
    advice: AdviceKind | None
    priority: int
    order: int
    text: str
    see: Pointer | None
    source: Citation
    pack: str
    basis: Basis = "page"
    basis_note: str | None = None
    overrides: tuple[str, ...] = ()  # ids of the flow owner's rules this rule may override
    find_out: str | None = None  # a gap: where the reader finds out what the source omits


class FlowPart(Record):
    """One pack's contribution to a flow; the part with a ``title`` owns the flow."""

    id: str
    title: str | None
    questions: tuple[Question, ...]
    outcomes: tuple[Outcome, ...]
    rules: tuple[Rule, ...]
    pack: str
    command: CommandSpec | None = None
    extends: str | None = None  # the owner's distribution name, declared by a contributor
    audience: str | None = None  # who "you" is (the owner's; the interview's opening says it)


class Content(Record):
    """One content file of one pack."""

    pack: str
    topics: tuple[Topic, ...] = ()
    guides: tuple[Guide, ...] = ()
    flows: tuple[FlowPart, ...] = ()
    format: int = 1  # of the content file (the schema accepts 1)


def cited_data(item: Paragraph | Step | Substep | Rule) -> dict[str, Any]:
    """``text``, ``source``, ``basis`` (and ``basis_note``) of a cited item, as the JSON
    data every command's output carries for it."""
    data: dict[str, Any] = {
        "text": item.text,
        "source": item.source.to_dict(),
        "basis": item.basis,
    }
    if item.basis_note:
        data["basis_note"] = item.basis_note
    find_out = getattr(item, "find_out", None)
    if find_out:
        data["find_out"] = find_out
    return data


# --- one walk over a pack's items ----------------------------------------------------


class Located(Record):
    """An item of a content file with its place, as typed values (never sliced from a
    string): ``kind`` (topic, guide, command, question, outcome, rule, pointer, ...),
    ``key`` (its id where it has one), ``flow`` (the flow of a flow's item), ``parent``
    (the item a pointer, paragraph or step sits in) and ``field`` (where in the parent)."""

    kind: str
    key: str | None
    item: Any
    parent: str
    field: str = ""
    flow: str | None = None

    @property
    def where(self) -> str:
        """How messages name the item: ``topic 'x' related[0]``."""
        return f"{self.parent} {self.field}" if self.field else self.parent

    @property
    def clash_kind(self) -> str:
        """What may clash: a flow's questions, outcomes and rules per flow."""
        return f"flow '{self.flow}' {self.kind}" if self.flow is not None else self.kind


def walk(content: Content) -> Iterator[Located]:
    """Every item of a content file, once, in file order.

    The catalog (clash keys, pointers) and the checks (citations, pointers) all use this
    one walk, so they can never disagree about what a file holds.
    """
    for topic in content.topics:
        name = f"topic '{topic.id}'"
        yield Located("topic", topic.id, topic, name)
        for i, paragraph in enumerate(topic.body):
            yield Located("paragraph", None, paragraph, name, f"body[{i}]")
        for i, pointer in enumerate(topic.related):
            yield Located("pointer", None, pointer, name, f"related[{i}]")
    for guide in content.guides:
        name = f"guide '{guide.id}'"
        yield Located("guide", guide.id, guide, name)
        if guide.command is not None:
            yield Located("command", guide.command.name, guide.command, name, "command")
        for part in ("intro", "closing"):
            for i, paragraph in enumerate(getattr(guide, part)):
                yield Located("paragraph", None, paragraph, name, f"{part}[{i}]")
        for n, step in enumerate(guide.steps, 1):
            yield Located("step", None, step, name, f"step {n}")
            for m, sub in enumerate(step.substeps, 1):
                yield Located("substep", None, sub, name, f"step {n} substep {m}")
    for flow in content.flows:
        name = f"flow '{flow.id}'"
        if flow.title is not None:
            yield Located("owner of flow", flow.id, flow, name)
        if flow.command is not None:
            yield Located("command", flow.command.name, flow.command, name, "command")
        for question in flow.questions:
            where = f"{name} question '{question.id}'"
            yield Located("question", question.id, question, where, flow=flow.id)
            if question.unsure is not None:
                yield Located("pointer", None, question.unsure, where, "unsure")
        for outcome in flow.outcomes:
            where = f"{name} outcome '{outcome.id}'"
            yield Located("outcome", outcome.id, outcome, where, flow=flow.id)
        for rule in flow.rules:
            where = f"{name} rule '{rule.id}'"
            yield Located("rule", rule.id, rule, where, flow=flow.id)
            if rule.see is not None:
                yield Located("pointer", None, rule.see, where, "see")


def cited(located: Located) -> bool:
    """Whether the item must carry a source (every item except pointers and commands)."""
    return located.kind not in ("pointer", "command", "owner of flow")


# --- from validated data -------------------------------------------------------------


def content_from_data(data: Mapping[str, Any], pack: str) -> Content:
    """Typed content from the JSON-ready data that validation produced (or the cache)."""
    return build(Content, {**data, "pack": pack})


R = TypeVar("R", bound=Record)


def build(cls: type[R], data: Mapping[str, Any], pack: str | None = None) -> R:
    """A record from its data, field by field *by name*.

    How to build each field comes from its annotation (:func:`_fields_of`): nested
    records, tuples of them and conditions are built; a missing or null value takes the
    field's default (or ``()`` for a tuple); ``pack`` is handed to every nested record that
    has a ``pack`` field and no ``pack`` of its own in the data. A key the record does
    not have is an error, never dropped: the records and the schema must agree
    (tests/content/test_model_schema.py compares them)."""
    pack = data.get("pack", pack)
    kinds = _fields_of(cls)
    unknown = [key for key in data if key not in kinds and key != "pack"]
    if unknown:
        raise ValueError(f"{cls.__name__} has no field {unknown[0]!r} (the schema has)")
    values: list[Any] = []  # in field order: the record is made from positions (faster)
    for name, (kind, target) in kinds.items():
        value = data.get(name)
        if name == "pack" and value is None:
            value = pack
        if value is None:
            if name in cls._defaults:
                value = cls._defaults[name]  # content records' defaults are immutable
            elif kind in ("records", "tuple"):
                value = ()
        elif kind == "records":
            value = tuple(build(target, v, pack) for v in value)
        elif kind == "record":
            value = build(target, value, pack)
        elif kind == "condition":
            value = condition_from_data(value)
        elif kind == "set":
            value = frozenset(value)
        elif kind == "tuple":
            value = tuple(value)
        values.append(value)
    return cls(*values)


_FIELD_KINDS: dict[type, dict[str, tuple[str, Any]]] = {}


def _fields_of(cls: type[Record]) -> dict[str, tuple[str, Any]]:
    """How to build each field of ``cls``, read once from its annotation objects (this
    module keeps its annotations evaluated; the one forward reference is "Condition")."""
    kinds = _FIELD_KINDS.get(cls)
    if kinds is None:
        kinds = {name: field_kind(cls.__annotations__[name]) for name in cls._fields}
        _FIELD_KINDS[cls] = kinds
    return kinds


def field_kind(annotation: Any) -> tuple[str, Any]:
    """(kind, record class): ``record``, ``records`` (a tuple of them), ``condition``,
    ``set``, ``tuple`` or ``value``, from an annotation such as ``tuple[Step, ...]`` or
    ``CommandSpec | None``."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is types.UnionType:  # X | None: what X is
        rest = tuple(a for a in args if a is not type(None))
        if set(rest) == set(get_args(Condition)):  # Condition | None, flattened
            return "condition", None
        if len(rest) != 1:
            return "value", None
        annotation = rest[0]
        origin, args = get_origin(annotation), get_args(annotation)
    if annotation == "Condition" or annotation == Condition:
        return "condition", None
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return "record", annotation
    if origin is tuple:
        inner = args[0] if args else Any
        if inner == "Condition":
            return "tuple", None  # built by condition_from_data, never from data directly
        if isinstance(inner, type) and issubclass(inner, Record):
            return "records", inner
        return "tuple", None
    if origin is frozenset:
        return "set", None
    return "value", None


def condition_from_data(d: Mapping[str, Any] | None) -> Condition | None:
    """A condition from its content form: ``{question, is}``, ``{outcome}``, ``{all}``,
    ``{any}`` or ``{not}``."""
    if d is None:
        return None
    if "question" in d:
        return AnswerTest(d["question"], _as_set(d["is"]))
    if "outcome" in d:
        return OutcomeTest(_as_set(d["outcome"]))
    if "not" in d:
        return Not(condition_from_data(d["not"]))  # type: ignore[arg-type]
    if "all" in d:
        return AllOf(tuple(condition_from_data(c) for c in d["all"]))  # type: ignore[misc]
    return AnyOf(tuple(condition_from_data(c) for c in d["any"]))  # type: ignore[misc]


def _as_set(value: str | list[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)
