"""A routing flow merged from every pack that contributes to it, ready to evaluate.

Questions are ordered by (``order``, pack, position in the file), outcome rules by
(highest ``priority`` first, pack, position) and advice rules by (``order``, pack,
position); packs are taken in name order, so the merge never depends on install order.
Conditions are compiled once into small functions of (answers, outcome) that return
True, False, or None when they still depend on a missing answer (three-valued logic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Predicate = Callable[[dict[str, str], str | None], bool | None]


class FlowProblem(Exception):
    """A pack's flow contribution refers to something that does not exist."""

    def __init__(self, pack: str, message: str) -> None:
        super().__init__(message)
        self.pack, self.message = pack, message


@dataclass
class Flow:
    id: str
    title: str | None
    owner: str | None
    questions: list[dict[str, Any]]
    outcomes: dict[str, dict[str, Any]]
    outcome_rules: list[dict[str, Any]]
    advice_rules: list[dict[str, Any]]
    packs: list[str] = field(default_factory=list)

    @property
    def question_ids(self) -> list[str]:
        return [q["id"] for q in self.questions]

    def question(self, question_id: str) -> dict[str, Any]:
        return next(q for q in self.questions if q["id"] == question_id)

    @property
    def rules(self) -> list[dict[str, Any]]:
        return self.outcome_rules + self.advice_rules


def build_flow(flow_id: str, contributions: list[tuple[str, dict[str, Any]]]) -> Flow:
    """Merge (pack, flow contribution) pairs, already in pack-name order."""
    questions, outcomes, rules = [], {}, []
    owner, title = None, None
    for pack, part in contributions:
        if part["title"] is not None:
            owner, title = pack, part["title"]
        for i, q in enumerate(part["questions"]):
            questions.append({**q, "pack": pack, "_key": (q["order"], pack, i)})
        for o in part["outcomes"]:
            outcomes[o["id"]] = {**o, "pack": pack}
        for i, r in enumerate(part["rules"]):
            rules.append({**r, "pack": pack, "_pos": (pack, i)})
    questions.sort(key=lambda q: q["_key"])
    by_id = {q["id"]: q for q in questions}
    if owner is not None:  # a flow nobody owns is inert; its parts are not checked here
        for rule in rules:
            _check_references(rule, by_id, outcomes)
    for rule in rules:
        rule["questions"] = sorted(_questions_in(rule["when"]))
        rule["test"] = compile_condition(rule["when"])
    outcome_rules = sorted(
        (r for r in rules if r["outcome"] is not None),
        key=lambda r: (-r["priority"], r["_pos"]),
    )
    advice_rules = sorted(
        (r for r in rules if r["advice"] is not None), key=lambda r: (r["order"], r["_pos"])
    )
    return Flow(
        flow_id,
        title,
        owner,
        questions,
        outcomes,
        outcome_rules,
        advice_rules,
        packs=[p for p, _ in contributions],
    )


def compile_condition(cond: dict[str, Any] | None) -> Predicate:
    """Turn a condition into a three-valued predicate over (answers, outcome)."""
    if cond is None:
        return lambda answers, outcome: True
    if "question" in cond:
        question, wanted = cond["question"], _as_set(cond["is"])

        def answer_test(answers: dict[str, str], outcome: str | None) -> bool | None:
            value = answers.get(question)
            return None if value is None else value in wanted

        return answer_test
    if "outcome" in cond:
        outcomes = _as_set(cond["outcome"])
        return lambda answers, outcome: None if outcome is None else outcome in outcomes
    if "not" in cond:
        inner = compile_condition(cond["not"])

        def negation(answers: dict[str, str], outcome: str | None) -> bool | None:
            value = inner(answers, outcome)
            return None if value is None else not value

        return negation
    parts = [compile_condition(c) for c in cond.get("all") or cond["any"]]
    decisive = "all" not in cond  # any() is decided by a True, all() by a False

    def combination(answers: dict[str, str], outcome: str | None) -> bool | None:
        result: bool | None = not decisive
        for part in parts:
            value = part(answers, outcome)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return combination


def _as_set(value: str | list[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def _walk(cond: dict[str, Any] | None):
    if cond is None:
        return
    yield cond
    for child in cond.get("all") or cond.get("any") or []:
        yield from _walk(child)
    if "not" in cond:
        yield from _walk(cond["not"])


def _questions_in(cond: dict[str, Any] | None) -> set[str]:
    return {c["question"] for c in _walk(cond) if "question" in c}


def _check_references(
    rule: dict[str, Any], questions: dict[str, dict[str, Any]], outcomes: dict[str, Any]
) -> None:
    where = f"rule '{rule['id']}'"
    for cond in _walk(rule["when"]):
        if "question" in cond:
            question = questions.get(cond["question"])
            if question is None:
                raise FlowProblem(
                    rule["pack"], f"{where} tests unknown question '{cond['question']}'"
                )
            allowed = {c["id"] for c in question["choices"]}
            for value in _as_set(cond["is"]) - allowed:
                raise FlowProblem(
                    rule["pack"],
                    f"{where} tests question '{question['id']}' for '{value}', "
                    f"which is not one of its choices ({', '.join(sorted(allowed))})",
                )
        if "outcome" in cond:
            for value in _as_set(cond["outcome"]) - outcomes.keys():
                raise FlowProblem(rule["pack"], f"{where} tests unknown outcome '{value}'")
    if rule["outcome"] is not None and rule["outcome"] not in outcomes:
        raise FlowProblem(rule["pack"], f"{where} routes to unknown outcome '{rule['outcome']}'")
