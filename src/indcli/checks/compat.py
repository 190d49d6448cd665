"""What installing a pack changes for existing answer sets (``indcli check PACK --compat``).

Every flow the pack takes part in is built with and without it, and every combination of
answers is routed through both: answer sets that were complete and now need more answers
(scripts that would break), outcomes that change, and advice added or removed, with counts
and a few examples of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indcli.packs.catalog import Catalog, flows_of
from indcli.packs.discovery import normalise
from indcli.routing import engine
from indcli.routing.combinations import (
    MAX_EVALUATIONS,
    combinations,
    count,
    enumerable,
    tested_questions,
)
from indcli.routing.flow import Flow, FlowProblem

COMPAT_EXAMPLES = 3


@dataclass
class _Examples:
    count: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def add(self, example: dict[str, Any]) -> None:
        self.count += 1
        if len(self.examples) < COMPAT_EXAMPLES:
            self.examples.append(example)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "examples": self.examples}


def check_compat(catalog: Catalog, pack: str, limit: int = MAX_EVALUATIONS) -> list[dict[str, Any]]:
    """How each flow ``pack`` takes part in routes with it, compared with without it.

    Over every combination of answers: answer sets that were complete without the pack
    and now need more answers (scripts that would break), outcomes that change, and
    advice added or removed; counts and a few examples of each.
    """
    try:
        before_flows = flows_of(catalog, without=pack)
    except FlowProblem as problem:  # pragma: no cover - removing a pack cannot break refs
        return [{"flow": "", "skipped": problem.message}]
    reports = []
    for flow in catalog.flows.values():
        if normalise(pack) not in {normalise(p) for p in flow.packs} or flow.owner is None:
            continue
        before = before_flows.get(flow.id)
        if before is None or before.owner is None:
            reports.append({"flow": flow.id, "skipped": f"without {pack} nobody owns the flow"})
            continue
        reports.append(_compare(before, flow, limit))
    return reports


def _compare(before: Flow, after: Flow, limit: int) -> dict[str, Any]:
    old_q = tested_questions(before)
    new_q = tested_questions(after)
    union = old_q + [q for q in new_q if q.id not in {x.id for x in old_q}]
    total = count(union)
    report: dict[str, Any] = {"flow": after.id, "combinations": total}
    if not enumerable(after, union, limit):
        report["skipped"] = (
            f"{total} answer combinations of {len(after.rules)} rules are more than the "
            f"{limit} rule evaluations tried"
        )
        return report
    needs_more, changed = _Examples(), _Examples()
    added: dict[str, _Examples] = {}
    removed: dict[str, _Examples] = {}
    old_ids = [q.id for q in old_q]
    for answers in combinations(old_q):
        missing = engine.route(after, dict(answers)).relevant
        if missing:
            needs_more.add({"answers": answers, "missing": missing})
    for answers in combinations(union):
        old = engine.decide(before, {q: answers[q] for q in old_ids})
        new = engine.decide(after, answers)
        if old.outcome != new.outcome:
            rule = new.outcome_rules[0] if new.outcome_rules else None
            changed.add(
                {
                    "answers": answers,
                    "before": old.outcome,
                    "after": new.outcome,
                    "rule": rule.id if rule else None,
                    "pack": rule.pack if rule else None,
                }
            )
        old_advice = {r.id for r in old.advice}
        new_advice = {r.id for r in new.advice}
        for rid in sorted(new_advice - old_advice):
            added.setdefault(rid, _Examples()).add({"answers": answers})
        for rid in sorted(old_advice - new_advice):
            removed.setdefault(rid, _Examples()).add({"answers": answers})
    report["answers_before"] = count(old_q)
    report["needs_more_answers"] = needs_more.as_dict()
    report["outcome_changes"] = changed.as_dict()
    report["advice_added"] = {k: v.as_dict() for k, v in added.items()}
    report["advice_removed"] = {k: v.as_dict() for k, v in removed.items()}
    report["minimal_breaks"] = _minimal_breaks(before, after, limit)
    return report


def _minimal_breaks(before: Flow, after: Flow, limit: int) -> dict[str, Any]:
    """The shortest answer sets that were complete before (each ends where routing needed
    nothing more, as a script gives only what matters: the README's examples are such
    sets) and now need more answers, with the command line that breaks."""
    breaks, seen, stack = _Examples(), 0, [dict[str, str]()]
    while stack and seen < limit:
        answers = stack.pop()
        relevant = engine.route(before, dict(answers)).relevant
        if relevant:
            question = before.question(relevant[0])
            stack += [{**answers, question.id: c} for c in reversed(question.choice_ids)]
            continue
        seen += 1
        missing = engine.route(after, dict(answers)).relevant
        if missing:
            flags = " ".join(f"--{q} {v}" for q, v in answers.items())
            breaks.add({"answers": answers, "missing": missing, "run": f"indcli route {flags}"})
    return {**breaks.as_dict(), "of": seen}
