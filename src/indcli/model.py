"""Pack content as immutable, typed objects: what everything past the loader works on.

:mod:`indcli.content` validates a content file with pydantic once and the loader caches
the result as plain JSON data; :func:`content_from_data` turns that data into the frozen
dataclasses here. This module imports nothing heavy, so a scripted run that reads content
from the cache never imports pydantic. Nothing writes into these objects: compiled rules
(:mod:`indcli.flow`) and merged catalogs hold references to them.

Every cited item has a :class:`Citation` (source resolved to url and title) and a
``basis``: ``page`` when its text says what the quoted sentences say, ``inference`` when
it is indcli's own reading of them (``basis_note`` says why).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Basis = Literal["page", "inference"]
Channel = Literal["online", "paper", "referral"]
AdviceKind = Literal["reason", "prerequisite", "warning", "step", "follow-up"]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where an item comes from: the source document, the exact sentence(s), when checked."""

    source: str
    url: str
    title: str
    quote: str
    checked: str  # ISO date

    def to_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "quote": self.quote,
            "checked": self.checked,
        }


@dataclass(frozen=True, slots=True)
class Pointer:
    """A reference to a command or explain topic that may come from another pack."""

    label: str
    command: str | None
    topic: str | None
    pack: str


@dataclass(frozen=True, slots=True)
class Example:
    """A command line shown under a command's help: ``run`` and what it does."""

    run: str
    about: str | None = None


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """The command that serves a flow or guide, built by the core from content."""

    name: str
    help: str
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    source: Citation
    basis: Basis = "page"
    basis_note: str | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    body: tuple[Paragraph, ...]
    note: str | None
    related: tuple[Pointer, ...]
    source: Citation
    pack: str


@dataclass(frozen=True, slots=True)
class Substep:
    case: str | None
    text: str
    source: Citation
    basis: Basis = "page"
    basis_note: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    note: str | None
    substeps: tuple[Substep, ...]
    source: Citation
    basis: Basis = "page"
    basis_note: str | None = None

    @property
    def has_cases(self) -> bool:
        return any(s.case for s in self.substeps)


@dataclass(frozen=True, slots=True)
class Guide:
    id: str
    title: str
    intro: tuple[Paragraph, ...]
    steps: tuple[Step, ...]
    closing: tuple[Paragraph, ...]
    source: Citation
    pack: str
    command: CommandSpec | None = None


# --- routing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Unsure:
    """An extra "I'm not sure" choice that explains a topic."""

    label: str
    topic: str
    pack: str


@dataclass(frozen=True, slots=True)
class Question:
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


@dataclass(frozen=True, slots=True)
class Form:
    title: str
    how: str


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    channel: Channel
    title: str
    form: Form
    source: Citation
    pack: str


@dataclass(frozen=True, slots=True)
class AnswerTest:
    """True when the answer to ``question`` is one of ``values``."""

    question: str
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class OutcomeTest:
    """True when the routed outcome is one of ``outcomes`` (advice rules only)."""

    outcomes: frozenset[str]


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition


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


@dataclass(frozen=True, slots=True)
class Rule:
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


@dataclass(frozen=True, slots=True)
class FlowPart:
    """One pack's contribution to a flow; the part with a ``title`` owns the flow."""

    id: str
    title: str | None
    questions: tuple[Question, ...]
    outcomes: tuple[Outcome, ...]
    rules: tuple[Rule, ...]
    pack: str
    command: CommandSpec | None = None
    extends: str | None = None  # the owner's distribution name, declared by a contributor


@dataclass(frozen=True, slots=True)
class Content:
    """One content file of one pack."""

    pack: str
    topics: tuple[Topic, ...] = ()
    guides: tuple[Guide, ...] = ()
    flows: tuple[FlowPart, ...] = ()


# --- one walk over a pack's items ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located:
    """An item of a content file with its place: ``kind`` (what may clash), ``key`` (its
    id where it has one) and ``where`` (how messages name it)."""

    kind: str
    key: str | None
    where: str
    item: Any


def walk(content: Content) -> Iterator[Located]:
    """Every item of a content file, once, in file order.

    The catalog (clash keys, pointers) and the checks (citations, pointers) all use this
    one walk, so they can never disagree about what a file holds.
    """
    for topic in content.topics:
        name = f"topic '{topic.id}'"
        yield Located("topic", topic.id, name, topic)
        for i, paragraph in enumerate(topic.body):
            yield Located("paragraph", None, f"{name} body[{i}]", paragraph)
        for i, pointer in enumerate(topic.related):
            yield Located("pointer", None, f"{name} related[{i}]", pointer)
    for guide in content.guides:
        name = f"guide '{guide.id}'"
        yield Located("guide", guide.id, name, guide)
        if guide.command is not None:
            yield Located("command", guide.command.name, f"{name} command", guide.command)
        for part in ("intro", "closing"):
            for i, paragraph in enumerate(getattr(guide, part)):
                yield Located("paragraph", None, f"{name} {part}[{i}]", paragraph)
        for n, step in enumerate(guide.steps, 1):
            yield Located("step", None, f"{name} step {n}", step)
            for m, sub in enumerate(step.substeps, 1):
                yield Located("substep", None, f"{name} step {n} substep {m}", sub)
    for flow in content.flows:
        name = f"flow '{flow.id}'"
        if flow.title is not None:
            yield Located("owner of flow", flow.id, name, flow)
        if flow.command is not None:
            yield Located("command", flow.command.name, f"{name} command", flow.command)
        for question in flow.questions:
            where = f"{name} question '{question.id}'"
            yield Located(f"{name} question", question.id, where, question)
            if question.unsure is not None:
                yield Located("pointer", None, f"{where} unsure", question.unsure)
        for outcome in flow.outcomes:
            yield Located(f"{name} outcome", outcome.id, f"{name} outcome '{outcome.id}'", outcome)
        for rule in flow.rules:
            where = f"{name} rule '{rule.id}'"
            yield Located(f"{name} rule", rule.id, where, rule)
            if rule.see is not None:
                yield Located("pointer", None, f"{where} see", rule.see)


def cited(located: Located) -> bool:
    """Whether the item must carry a source (every item except pointers and commands)."""
    return located.kind not in ("pointer", "command", "owner of flow")


# --- from validated data -------------------------------------------------------------


def content_from_data(data: Mapping[str, Any], pack: str) -> Content:
    """Typed content from the JSON-ready data that validation produced (or the cache)."""
    return Content(
        pack,
        tuple(_topic(t, pack) for t in data["topics"]),
        tuple(_guide(g, pack) for g in data["guides"]),
        tuple(_flow(f, pack) for f in data["flows"]),
    )


def _cite(d: Mapping[str, Any]) -> Citation:
    return Citation(d["source"], d["url"], d["title"], d["quote"], str(d["checked"]))


def _basis(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"basis": d.get("basis") or "page", "basis_note": d.get("basis_note")}


def _pointer(d: Mapping[str, Any] | None) -> Pointer | None:
    if d is None:
        return None
    return Pointer(d["label"], d.get("command"), d.get("topic"), d["pack"])


def _command(d: Mapping[str, Any] | None) -> CommandSpec | None:
    if not d:
        return None
    examples = tuple(Example(e["run"], e.get("about")) for e in d.get("examples") or ())
    return CommandSpec(d["name"], d["help"], examples)


def _paragraph(d: Mapping[str, Any]) -> Paragraph:
    return Paragraph(d["text"], _cite(d["source"]), **_basis(d))


def _topic(d: Mapping[str, Any], pack: str) -> Topic:
    return Topic(
        d["id"],
        d["title"],
        d["summary"],
        tuple(_paragraph(p) for p in d["body"]),
        d.get("note"),
        tuple(_pointer(p) for p in d.get("related") or ()),  # type: ignore[misc]
        _cite(d["source"]),
        pack,
    )


def _guide(d: Mapping[str, Any], pack: str) -> Guide:
    steps = tuple(
        Step(
            s["text"],
            s.get("note"),
            tuple(
                Substep(x.get("case"), x["text"], _cite(x["source"]), **_basis(x))
                for x in s.get("substeps") or ()
            ),
            _cite(s["source"]),
            **_basis(s),
        )
        for s in d["steps"]
    )
    return Guide(
        d["id"],
        d["title"],
        tuple(_paragraph(p) for p in d.get("intro") or ()),
        steps,
        tuple(_paragraph(p) for p in d.get("closing") or ()),
        _cite(d["source"]),
        pack,
        _command(d.get("command")),
    )


def _flow(d: Mapping[str, Any], pack: str) -> FlowPart:
    questions = tuple(
        Question(
            q["id"],
            q["prompt"],
            q["help"],
            tuple(Choice(c["id"], c["label"]) for c in q["choices"]),
            None if q.get("unsure") is None else Unsure(**q["unsure"]),
            q.get("order", 100),
            _cite(q["source"]),
            pack,
        )
        for q in d.get("questions") or ()
    )
    outcomes = tuple(
        Outcome(
            o["id"],
            o["channel"],
            o["title"],
            Form(o["form"]["title"], o["form"]["how"]),
            _cite(o["source"]),
            pack,
        )
        for o in d.get("outcomes") or ()
    )
    rules = tuple(
        Rule(
            r["id"],
            condition_from_data(r.get("when")),
            r.get("outcome"),
            r.get("advice"),
            r.get("priority", 0),
            r.get("order", 100),
            r["text"],
            _pointer(r.get("see")),
            _cite(r["source"]),
            pack,
            **_basis(r),
            overrides=tuple(r.get("overrides") or ()),
        )
        for r in d.get("rules") or ()
    )
    return FlowPart(
        d["id"],
        d.get("title"),
        questions,
        outcomes,
        rules,
        pack,
        _command(d.get("command")),
        d.get("extends"),
    )


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
