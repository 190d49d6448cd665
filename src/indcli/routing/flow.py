"""A routing flow merged from every pack that contributes to it, ready to evaluate.

Questions are ordered by (``order``, pack, position in the file), outcome rules by
(highest ``priority`` first, pack, position) and advice rules by (``order``, pack,
position); packs are taken in name order, so the merge never depends on install order.
Conditions are compiled once into small functions of (answers, outcome) that return
True, False, or None when they still depend on a missing answer (three-valued logic).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from indcli.content.model import (
    AllOf,
    AnswerTest,
    AnyOf,
    CommandSpec,
    Condition,
    FlowPart,
    Not,
    Outcome,
    OutcomeTest,
    Question,
    Rule,
    walk_condition,
)
from indcli.utils.records import Record, fresh

Predicate = Callable[[Mapping[str, str], str | None], bool | None]


class FlowProblem(Exception):
    """A pack's flow contribution refers to something that does not exist: ``item`` and
    ``field`` say where, ``value`` is what it names, ``known`` what it could have named
    (the message then ends with a "did you mean" where one is close)."""

    def __init__(
        self,
        pack: str,
        message: str,
        *,
        item: str = "",
        field: str = "",
        value: str = "",
        known: Iterable[str] = (),
    ) -> None:
        if value and known:
            import difflib

            close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
            if close:
                message += f"; did you mean '{close[0]}'?"
        super().__init__(message)
        self.pack, self.message = pack, message
        self.item, self.field, self.value = item, field, value


class CompiledRule(Record):
    """A rule with its condition compiled, and the questions the condition tests."""

    __eq__ = object.__eq__  # identity: compiled once, never compared by value
    __hash__ = object.__hash__

    rule: Rule
    questions: tuple[str, ...]
    test: Predicate

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def pack(self) -> str:
        return self.rule.pack

    @property
    def outcome(self) -> str | None:
        return self.rule.outcome

    @property
    def advice(self) -> str | None:
        return self.rule.advice

    @property
    def priority(self) -> int:
        return self.rule.priority


class Flow(Record):
    __eq__ = object.__eq__  # identity: built once per catalog, never compared by value
    __hash__ = object.__hash__

    id: str
    title: str | None
    owner: str | None
    questions: tuple[Question, ...]
    outcomes: Mapping[str, Outcome]
    outcome_rules: tuple[CompiledRule, ...]
    advice_rules: tuple[CompiledRule, ...]
    packs: tuple[str, ...]
    command: CommandSpec | None = None
    audience: str | None = None  # who "you" is, in one sentence (the owner's)
    cache: dict[str, Any] = fresh(factory=dict)  # derived, built lazily

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    @property
    def rules(self) -> tuple[CompiledRule, ...]:
        return self.outcome_rules + self.advice_rules


def build_flow(
    flow_id: str, parts: Sequence[FlowPart], reserved_options: Collection[str] = ()
) -> Flow:
    """Merge the contributions to one flow, already in pack-name order.

    ``reserved_options``: option names of the command that serves flows; a question id
    may not take one (its option would shadow it).
    """
    keyed: list[tuple[tuple[int, str, int], Question]] = []
    outcomes: dict[str, Outcome] = {}
    positioned: list[tuple[tuple[str, int], Rule]] = []
    owner, title, command, audience = None, None, None, None
    for part in parts:
        if part.title is not None:
            owner, title, command, audience = part.pack, part.title, part.command, part.audience
        for i, question in enumerate(part.questions):
            if question.id in reserved_options:
                raise FlowProblem(
                    part.pack,
                    f"question '{question.id}' has the name of a route option; rename it",
                )
            keyed.append(((question.order, part.pack, i), question))
        for outcome in part.outcomes:
            outcomes[outcome.id] = outcome
        positioned += [((part.pack, i), rule) for i, rule in enumerate(part.rules)]
    questions = tuple(q for _, q in sorted(keyed, key=lambda pair: pair[0]))
    if owner is not None:  # a flow nobody owns is inert; its parts are not checked here
        by_id = {q.id: q for q in questions}
        for _, rule in positioned:
            _check_references(flow_id, rule, by_id, outcomes)
    compiled = [(pos, compile_rule(rule)) for pos, rule in positioned]
    outcome_rules = tuple(
        c
        for pos, c in sorted(
            (p for p in compiled if p[1].outcome is not None),
            key=lambda p: (-p[1].priority, p[0]),
        )
    )
    advice_rules = tuple(
        c
        for pos, c in sorted(
            (p for p in compiled if p[1].advice is not None),
            key=lambda p: (p[1].rule.order, p[0]),
        )
    )
    return Flow(
        flow_id,
        title,
        owner,
        questions,
        MappingProxyType(outcomes),
        outcome_rules,
        advice_rules,
        tuple(p.pack for p in parts),
        command,
        audience,
    )


def compile_rule(rule: Rule) -> CompiledRule:
    return CompiledRule(rule, tuple(sorted(questions_in(rule.when))), compile_condition(rule.when))


def compile_condition(cond: Condition | None) -> Predicate:
    """Turn a condition into a three-valued predicate over (answers, outcome)."""
    if cond is None:
        return lambda answers, outcome: True
    if isinstance(cond, AnswerTest):
        question, wanted = cond.question, cond.values

        def answer_test(answers: Mapping[str, str], outcome: str | None) -> bool | None:
            value = answers.get(question)
            return None if value is None else value in wanted

        return answer_test
    if isinstance(cond, OutcomeTest):
        outcomes = cond.outcomes
        return lambda answers, outcome: None if outcome is None else outcome in outcomes
    if isinstance(cond, Not):
        inner = compile_condition(cond.part)

        def negation(answers: Mapping[str, str], outcome: str | None) -> bool | None:
            value = inner(answers, outcome)
            return None if value is None else not value

        return negation
    parts = [compile_condition(c) for c in cond.parts]
    decisive = isinstance(cond, AnyOf)  # any() is decided by a True, all() by a False
    assert isinstance(cond, AllOf | AnyOf)

    def combination(answers: Mapping[str, str], outcome: str | None) -> bool | None:
        result: bool | None = not decisive
        for part in parts:
            value = part(answers, outcome)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return combination


def questions_in(cond: Condition | None) -> set[str]:
    return {c.question for c in walk_condition(cond) if isinstance(c, AnswerTest)}


def _check_references(
    flow_id: str, rule: Rule, questions: Mapping[str, Question], outcomes: Mapping[str, Outcome]
) -> None:
    where = f"rule '{rule.id}'"
    at = {"item": f"flow '{flow_id}' {where}", "field": "when"}
    for cond in walk_condition(rule.when):
        if isinstance(cond, AnswerTest):
            question = questions.get(cond.question)
            if question is None:
                raise FlowProblem(
                    rule.pack,
                    f"{where} tests unknown question '{cond.question}'",
                    **at,
                    value=cond.question,
                    known=questions,
                )
            allowed = set(question.choice_ids)
            for value in sorted(cond.values - allowed):
                raise FlowProblem(
                    rule.pack,
                    f"{where} tests question '{question.id}' for '{value}', "
                    f"which is not one of its choices ({', '.join(sorted(allowed))})",
                    **at,
                    value=value,
                    known=allowed,
                )
        if isinstance(cond, OutcomeTest):
            for value in sorted(cond.outcomes - outcomes.keys()):
                raise FlowProblem(
                    rule.pack,
                    f"{where} tests unknown outcome '{value}'",
                    **at,
                    value=value,
                    known=outcomes,
                )
    if rule.outcome is not None and rule.outcome not in outcomes:
        raise FlowProblem(
            rule.pack,
            f"{where} routes to unknown outcome '{rule.outcome}'",
            item=at["item"],
            field="outcome",
            value=rule.outcome,
            known=outcomes,
        )
