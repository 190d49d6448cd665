"""Pack content: the pydantic models that define what a content file may hold.

A pack ships its content as a TOML file. The models here are the only definition of what
such a file may hold: unknown fields are rejected, every item cites its source (a source
id from the file's ``sources`` table, the quoted sentence(s), the date last checked), and
text may not carry control characters, so pack text can never drive the terminal.

Validation produces plain, JSON-ready data (``model_dump``), with every citation resolved
to ``{source, url, title, quote, checked}``. Everything downstream (catalog, engine,
renderers) works on that data, which is why pydantic is imported only here, and only when
a file really has to be validated (see :mod:`indcli.packs.content_cache`, which caches it).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from indcli.limits import ID_PATTERN, MAX_CONDITION_DEPTH, MAX_ITEMS, MAX_TEXT
from indcli.utils.text_safety import check_source_url, has_control_chars

DIST_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"
COMMAND_PATTERN = r"^[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)?$"


def _printable(value: str) -> str:
    if has_control_chars(value):
        raise ValueError(
            "text may not contain control characters, escape sequences or invisible "
            "format characters"
        )
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


class Example(Model):
    """A command line shown under the command's help, and what it does."""

    run: Annotated[Line, StringConstraints(max_length=200)]
    about: Annotated[Line, StringConstraints(max_length=100)] | None = None


class Command(Model):
    """The command that serves a flow or guide; the core builds it (no code needed)."""

    name: Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
    help: Text
    examples: list[Example] = Field(default_factory=list, max_length=20)


Basis = Literal["page", "inference"]


class Based(Model):
    """An item that says whether it states what its quote says (``page``) or is indcli's
    own reading of it (``inference``, with ``basis_note`` saying why, in one sentence), so
    the reader can tell the IND's words from indcli's conclusions."""

    basis: Basis = "page"
    basis_note: Line | None = None

    @model_validator(mode="after")
    def _check_basis(self) -> Based:
        check_basis(self)
        return self


def check_basis(item: Based) -> None:
    """A basis note exactly when the basis is indcli's reading."""
    if item.basis == "inference" and item.basis_note is None:
        raise ValueError(
            "basis 'inference' needs a 'basis_note': one sentence on why this is "
            "indcli's reading and what the source does say"
        )
    if item.basis == "page" and item.basis_note is not None:
        raise ValueError("'basis_note' is only for basis 'inference'; remove it")


class Paragraph(Based):
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


class Substep(Based):
    """Part of a step; with ``case`` set, one of several alternatives the reader picks."""

    case: Line | None = None
    text: Text
    source: Citation


class Step(Based):
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
    """A numbered step-by-step guide (served by :func:`indcli.commands.guide.guide_command`)."""

    id: Id
    title: Line
    intro: list[Paragraph] = Items
    steps: list[Step] = Field(min_length=1, max_length=MAX_ITEMS)
    closing: list[Paragraph] = Items
    source: Citation
    command: Command | None = None


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
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique")
        return self


class Form(Model):
    title: Line
    how: Text


class Outcome(Based):
    """Where a route ends; ``basis`` says whether the form and ``how`` are what the quote
    says or indcli's reading (a referral to a page indcli does not have)."""

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

AdviceKind = Literal["reason", "prerequisite", "warning", "step", "follow-up", "gap"]


class Rule(Based):
    """``when`` the condition holds, route to ``outcome`` or give ``advice``.

    ``text`` is the reason (outcome rules) or the advice itself. Among outcome rules that
    hold, the highest ``priority`` wins; advice rules all apply. A ``gap`` names something
    the source does not say: it is always ``basis = "inference"`` (its text is indcli's
    note, so it needs no ``basis_note``) and says in ``find_out`` where to find out.
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
    overrides: list[Id] = Field(default_factory=list, max_length=MAX_ITEMS)
    find_out: Line | None = Field(
        default=None, description="A gap only: where the reader finds out (one sentence)."
    )

    @model_validator(mode="after")
    def _check_basis(self) -> Rule:  # replaces Based's check: a gap is a note of its own
        if self.advice != "gap":
            check_basis(self)
        elif self.basis != "inference" or self.find_out is None:
            raise ValueError(
                "a gap is indcli's note on what the source does not say: set "
                "basis = \"inference\" and 'find_out' (where the reader finds out)"
            )
        if self.find_out is not None and self.advice != "gap":
            raise ValueError("'find_out' is only for advice = \"gap\"; remove it")
        return self

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if (self.outcome is None) == (self.advice is None):
            raise ValueError("set exactly one of 'outcome' or 'advice'")
        if self.overrides and self.outcome is None:
            raise ValueError("only an outcome rule can override rules ('overrides')")
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
    outcomes and rules under the same ``id``, and name the owner in ``extends``.
    """

    id: Id
    title: Line | None = None
    audience: Line | None = Field(
        default=None,
        description="Who 'you' is in the questions, in one sentence; the interview's opening "
        "says it. Only the pack that owns the flow sets it.",
    )
    extends: DistName | None = None
    questions: list[Question] = Items
    outcomes: list[Outcome] = Items
    rules: list[Rule] = Items
    command: Command | None = None

    @model_validator(mode="after")
    def _command_needs_owner(self) -> Flow:
        if self.command is not None and self.title is None:
            raise ValueError("only the pack that owns the flow (sets its title) names its command")
        if self.audience is not None and self.title is None:
            raise ValueError("only the pack that owns the flow (sets its title) sets 'audience'")
        if self.extends is not None and self.title is not None:
            raise ValueError("a flow sets 'title' (it owns the flow) or 'extends' (the owner)")
        return self


class ContentFile(Model):
    """The top level of a pack's content file. Ids unique per list and citations of this
    file's sources are whole-file rules, checked once, on the raw data, by
    :func:`indcli.content.validation.id_problems` (so each finding is located)."""

    format: Literal[1] = 1
    sources: list[Source] = Field(min_length=1, max_length=MAX_ITEMS)
    topics: list[Topic] = Items
    guides: list[Guide] = Items
    flows: list[Flow] = Items
