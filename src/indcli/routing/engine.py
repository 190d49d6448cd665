"""Evaluating a routing flow: the outcome, the advice, what still needs asking, and why.

The *result* of a flow for some answers is its outcome plus the set of advice rules that
apply. A question is *relevant* when some completion of the missing answers gives a
different result depending on its answer; routing is *done* when no missing question is
relevant. Three-valued evaluation settles most cases at once (a scripted call with every
answer builds nothing more); otherwise the flow's decision diagrams
(:mod:`indcli.routing.diagram`, built once per flow) give the relevant questions exactly,
without enumerating answer combinations, whatever the size of the flow.
:func:`relevant_by_enumeration` is the slow definition the tests compare them with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from indcli.content.model import Question
from indcli.routing.flow import CompiledRule, Flow
from indcli.utils.records import MutableRecord, fresh

NO_OUTCOME = ""  # every outcome rule is false: a gap in the content


class RouteError(Exception):
    """Routing cannot give a result for these answers."""


class MissingAnswers(RouteError):
    """Answers that can still change the result are missing: ``missing`` (question ids, in
    asking order)."""

    def __init__(self, flow: Flow, missing: list[str]) -> None:
        self.flow_id = flow.id
        self.missing = list(missing)
        self.choices = {q: list(flow.question(q).choice_ids) for q in missing}
        super().__init__(
            "missing answers: "
            + ", ".join(f"--{q} ({'|'.join(c)})" for q, c in self.choices.items())
        )


class InvalidAnswer(RouteError, ValueError):
    """An answer names no question of the flow (``allowed`` is then the question ids), or
    is not one of its question's choices."""

    def __init__(self, question: Any, value: Any, allowed: list[str], *, unknown: bool) -> None:
        self.question, self.value, self.allowed, self.unknown_question = (
            question,
            value,
            allowed,
            unknown,
        )
        what = "is not a question of this flow" if unknown else "is not a valid answer"
        super().__init__(f"{question!r}: {value!r} {what}; allowed: {', '.join(allowed)}")


class ContentGap(RouteError):
    """No outcome rule holds for these answers: the packs' content has a gap."""

    def __init__(self, flow: Flow) -> None:
        self.flow_id, self.packs = flow.id, list(flow.packs)
        super().__init__(
            "no outcome matches these answers: the routing content has a gap "
            f"(flow '{flow.id}', packs {', '.join(flow.packs)}). Please report it to the pack."
        )


class FlowTooComplex(ContentGap):
    """The flow's conditions are too intricate to tell which questions still matter."""

    def __init__(self, flow: Flow) -> None:
        self.flow_id, self.packs = flow.id, list(flow.packs)
        RouteError.__init__(
            self,
            f"the rules of flow '{flow.id}' (packs {', '.join(flow.packs)}) are too intricate "
            "to tell which questions still matter; give every answer, or report it to the pack",
        )


Ask = Callable[[Question, Mapping[str, str]], str]


# What people type for yes and no, in English and in Dutch (the page is the Dutch IND's).
YES_NO_WORDS = {"y": "yes", "j": "yes", "ja": "yes", "n": "no", "nee": "no"}


def canonical_answer(choice_ids: Sequence[str], value: Any) -> str | None:
    """The choice id ``value`` names: the id in any case, and on a question with the
    choices yes and no also ``Y``/``N`` and Dutch ``ja``/``j``/``nee``; else None."""
    if not isinstance(value, str):
        return None
    word = value.strip().casefold()
    word = word if word in choice_ids else YES_NO_WORDS.get(word, "")
    return word if word in choice_ids else None


def validate_answers(flow: Flow, raw: Mapping[Any, Any]) -> dict[str, str]:
    """The answers in question order, each as its choice id (``Yes``, ``y``, ``ja`` as
    ``yes``), or :class:`InvalidAnswer` for the first bad one."""
    known = {q.id: q for q in flow.questions}
    answers: dict[str, str] = {}
    for key, value in raw.items():
        question = known.get(key) if isinstance(key, str) else None
        if question is None:
            raise InvalidAnswer(key, value, list(known), unknown=True)
        answer = canonical_answer(question.choice_ids, value)
        if answer is None:
            raise InvalidAnswer(key, value, list(question.choice_ids), unknown=False)
        answers[key] = answer
    return {qid: answers[qid] for qid in known if qid in answers}


def settle(flow: Flow, answers: Mapping[str, str], ask: Ask | None = None) -> Route:
    """Route ``answers`` (already valid) to a final result: THE route path for every caller.

    While answers that matter are missing, ``ask(question, answers_so_far)`` is called for
    the next one (it may raise to stop); without ``ask``, :class:`MissingAnswers` names
    them all. :class:`ContentGap` when no outcome holds.
    """
    answers = dict(answers)
    while True:
        result = route(flow, answers)
        if result.done:
            break
        if ask is None:
            raise MissingAnswers(flow, result.relevant)
        question = flow.question(result.relevant[0])
        answers[question.id] = ask(question, dict(answers))
    if result.decision.outcome == NO_OUTCOME:
        raise ContentGap(flow)
    return result


class Decision(MutableRecord):
    """What the rules say for a set of answers, possibly incomplete."""

    outcome: str | None  # None: depends on answers still missing; NO_OUTCOME: a gap
    outcome_rules: list[CompiledRule]  # rules that hold and lead to the outcome
    advice: list[CompiledRule]  # advice rules that hold
    undecided: list[CompiledRule]  # rules whose value still depends on missing answers

    @property
    def decided(self) -> bool:
        return self.outcome is not None and not self.undecided

    @property
    def signature(self) -> tuple[str | None, tuple[str, ...]]:
        return self.outcome, tuple(r.id for r in self.advice)


class Route(MutableRecord):
    """The state of routing: a decision, and what (if anything) is still needed."""

    answers: dict[str, str]
    decision: Decision
    relevant: list[str]  # missing questions whose answer can still change the result
    unused: list[str] = fresh(factory=list)  # answered, but changed nothing

    @property
    def done(self) -> bool:
        return not self.relevant

    @property
    def next_question(self) -> str | None:
        return self.relevant[0] if self.relevant else None


def decide(flow: Flow, answers: Mapping[str, str]) -> Decision:
    """Evaluate every rule once, in three-valued logic."""
    outcome: str | None = NO_OUTCOME
    pending: set[str] = set()  # outcomes of earlier rules that might still hold
    for rule in flow.outcome_rules:
        value = rule.test(answers, None)
        if value is None:
            pending.add(rule.outcome)  # type: ignore[arg-type]
        elif value:
            outcome = rule.outcome
            if pending - {outcome}:
                outcome = None
            break
    else:
        if pending:
            outcome = None
    undecided, advice, holding = [], [], []
    for rule in flow.outcome_rules:
        if outcome and rule.outcome == outcome and rule.test(answers, None):
            holding.append(rule)
    for rule in flow.advice_rules:
        value = rule.test(answers, outcome)
        if value is None:
            undecided.append(rule)
        elif value:
            advice.append(rule)
    return Decision(outcome, holding, advice, undecided)


def route(flow: Flow, answers: dict[str, str]) -> Route:
    """Decide, and work out which missing questions (if any) still matter."""
    decision = decide(flow, answers)
    if decision.decided:
        return Route(answers, decision, [], _unused(flow, answers, decision))
    relevant = relevant_questions(flow, answers)
    if not relevant:  # constant over every completion: take any one for the details
        decision = decide(flow, _first_completion(flow, answers))
    unused = [] if relevant else _unused(flow, answers, decision)
    return Route(answers, decision, relevant, unused)


def relevant_questions(flow: Flow, answers: Mapping[str, str]) -> list[str]:
    """The missing questions, in asking order, whose answer can change the result."""
    from indcli.routing.diagram import TooComplex, flow_diagrams  # only with answers missing

    try:
        return flow_diagrams(flow).relevant(answers)
    except TooComplex:
        raise FlowTooComplex(flow) from None


def reachable_outcomes(flow: Flow, answers: Mapping[str, str]) -> list[str]:
    """The outcomes some completion of ``answers`` routes to."""
    from indcli.routing.diagram import TooComplex, flow_diagrams

    try:
        return flow_diagrams(flow).reachable(answers)
    except TooComplex:
        raise FlowTooComplex(flow) from None


def relevant_by_enumeration(flow: Flow, answers: Mapping[str, str]) -> list[str]:
    """The slow reference for :func:`relevant_questions`: route every completion of
    ``answers`` and keep the missing questions whose answer alone changes the result."""
    from indcli.routing.combinations import combinations, tested_questions

    missing = [q for q in tested_questions(flow) if q.id not in answers]
    results = {
        tuple(full[q.id] for q in missing): decide(flow, full).signature
        for full in combinations(missing, answers)
    }
    relevant = []
    for i, question in enumerate(missing):
        seen: dict[tuple[str, ...], Any] = {}
        for combo, signature in results.items():
            rest = combo[:i] + combo[i + 1 :]
            if seen.setdefault(rest, signature) != signature:
                relevant.append(question.id)
                break
    return relevant


def _first_completion(flow: Flow, answers: dict[str, str]) -> dict[str, str]:
    full = dict(answers)
    for q in flow.questions:
        full.setdefault(q.id, q.choices[0].id)
    return full


def _unused(flow: Flow, answers: dict[str, str], decision: Decision) -> list[str]:
    """Answers no applying rule tests and whose change would not change the result."""
    cited = {q for r in decision.outcome_rules + decision.advice for q in r.questions}
    unused = []
    for question in flow.questions:
        qid = question.id
        if qid not in answers or qid in cited:
            continue
        alternatives = (c for c in question.choice_ids if c != answers[qid])
        if all(
            decide(flow, {**answers, qid: alt}).signature == decision.signature
            for alt in alternatives
        ):
            unused.append(qid)
    return unused
