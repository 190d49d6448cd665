"""Checking packs: what loads can still route badly, point nowhere, or go stale.

Loading already rejects invalid content, clashing ids and references to questions or
outcomes that do not exist (such a pack *fails*). What loading cannot see needs the
packs together: a routing flow is only right when every combination of answers reaches
exactly one outcome, every outcome and rule can take effect, and every question matters.
Up to :data:`~indcli.routing.combinations.MAX_EVALUATIONS` rule evaluations (the shipped
flow has 384 combinations), the checks try every combination with the engine's own
:func:`~indcli.routing.engine.decide`, so a check and a real route can never disagree.
Past that, they read the same answers off the flow's decision diagrams
(:mod:`indcli.routing.diagram`, which routing itself uses): exact counts and the same
first example, for every check (the tests compare both ways on small flows).
The functions are pure: ``indcli check`` and
:func:`indcli.testing.check_packs` render or assert on the :class:`Problem` list.

Content carries no file names once loaded, so :attr:`Problem.file` is empty; the message
of a pack that failed to load names its file.

Blame lands on the pack that causes a problem, and :attr:`Problem.related` names the other
packs it involves, so ``indcli check PACK`` shows every problem PACK is on either side of:
a clash (both packs), a conflict or a changed outcome between a contributor and the flow's
owner (the contributor is blamed), a pack knocked out by a clash. A contributor's outcome
rule that changes the owner's outcome for some answers must list the owner's rules it
overrides in ``overrides``; otherwise it is an error of the contributor, also when the
contributor failed to load (its flow part is then checked as if it had loaded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indcli.checks.report import FlowSummary, Problem, make_problem
from indcli.content.model import Content, Question
from indcli.packs.catalog import Catalog, flows_of
from indcli.packs.discovery import normalise
from indcli.packs.loading import LoadedPack
from indcli.routing import engine
from indcli.routing.combinations import (
    MAX_EVALUATIONS,
    combinations,
    count,
    enumerable,
    tested_questions,
)
from indcli.routing.diagram import (
    FALSE,
    MAX_NODES,
    TRUE,
    Diagrams,
    TooComplex,
    flow_diagrams,
)
from indcli.routing.flow import CompiledRule, Flow, FlowProblem

# --- flows ---------------------------------------------------------------------------


@dataclass
class _Seen:
    """How often something was seen, and the first answers it was seen with."""

    count: int = 0
    example: dict[str, str] = field(default_factory=dict)

    def add(self, answers: dict[str, str]) -> None:
        self.count += 1
        self.example = self.example or answers


@dataclass
class _Tally:
    """What enumerating a flow saw, rule by rule and outcome by outcome."""

    reached: set[str] = field(default_factory=set)
    holds: set[str] = field(default_factory=set)  # outcome rules that ever hold
    decides: set[str] = field(default_factory=set)  # ... at the top priority of those holding
    outranked_by: dict[str, str] = field(default_factory=dict)  # rule -> a rule above it
    fires: set[str] = field(default_factory=set)  # advice rules that ever apply
    gaps: _Seen = field(default_factory=_Seen)
    conflicts: dict[tuple[str, str], _Seen] = field(default_factory=dict)  # (winner, loser)
    conflicting: int = 0  # combinations with a conflict
    # (contributor's rule, owner's rule it overrode): the outcome changed from the owner's
    overrides: dict[tuple[str, str], _Seen] = field(default_factory=dict)


def check_flow(flow: Flow, limit: int = MAX_EVALUATIONS) -> tuple[list[Problem], FlowSummary]:
    """Gaps, conflicts, unreachable outcomes, shadowed rules and unused questions.

    Only questions that some rule tests count: the others cannot change any rule, and
    are reported as unused instead. Up to ``limit`` rule evaluations, every combination
    is routed; past it, the decision diagrams give the same tally.
    """
    questions = tested_questions(flow)
    total = count(questions)
    summary = FlowSummary(
        flow.id, flow.owner, list(flow.packs), total, False, sorted(flow.outcomes)
    )
    where = f"flow '{flow.id}'"
    if flow.owner is None:
        message = (
            "no loaded pack owns this flow (sets its title), so its questions, outcomes and "
            "rules are inert and were not checked; install the pack that owns it"
        )
        return [make_problem("warning", p, where, "", message) for p in flow.packs], summary
    problems = _unused_questions(flow, {q.id for q in questions})
    try:
        tally = _tally(flow, limit)
    except TooComplex:
        message = (
            f"its rules are too intricate to analyse (over {MAX_NODES:,} decision nodes), so "
            "gaps, conflicts, unreachable outcomes and shadowed rules were not checked, and "
            "routing with answers missing fails; simplify the conditions"
        )
        return [*problems, make_problem("error", flow.owner, where, "rules", message)], summary
    summary.enumerated = enumerable(flow, questions, limit)
    summary.method = "enumerated" if summary.enumerated else "diagrams"
    summary.outcomes_reached = sorted(tally.reached)
    summary.gaps, summary.conflicts = tally.gaps.count, tally.conflicting
    problems += _gap_problems(flow, tally, total)
    problems += _conflict_problems(flow, tally)
    problems += _override_problems(flow, tally)
    problems += _unreachable_outcomes(flow, tally)
    problems += _shadowed_rules(flow, tally)
    return problems, summary


def undeclared_overrides(flow: Flow, limit: int = MAX_EVALUATIONS) -> list[Problem]:
    """Each rule of another pack than the owner that changes the owner's outcome for some
    answers without naming the owner's rule in ``overrides``: decided from the rules over
    every combination of answers, never from one route (INDCLI_STRICT_PLUGINS)."""
    if flow.owner is None or all(r.pack == flow.owner for r in flow.outcome_rules):
        return []
    try:
        tally = _tally(flow, limit)
    except TooComplex:
        foreign = sorted({r.pack for r in flow.outcome_rules if r.pack != flow.owner})
        message = (
            f"its rules in flow '{flow.id}' are too intricate to analyse, so it cannot be "
            "shown that they never override the owner's outcome undeclared"
        )
        return [make_problem("error", p, f"flow '{flow.id}'", "rules", message) for p in foreign]
    return [p for p in _override_problems(flow, tally) if "changes the outcome" in p.message]


def _tally(flow: Flow, limit: int) -> _Tally:
    questions = tested_questions(flow)
    if enumerable(flow, questions, limit):
        return _enumerate(flow, questions)
    return _diagram_tally(flow)


def _enumerate(flow: Flow, questions: list[Question]) -> _Tally:
    tally = _Tally()
    for answers in combinations(questions):
        decision = engine.decide(flow, answers)
        tally.fires.update(r.id for r in decision.advice)
        if decision.outcome == engine.NO_OUTCOME:
            tally.gaps.add(answers)
            continue
        assert decision.outcome is not None  # every question is answered
        tally.reached.add(decision.outcome)
        holding = [r for r in flow.outcome_rules if r.test(answers, None)]
        top = holding[0]  # outcome rules are sorted by priority: this is the one decide took
        conflict = False
        for rule in holding:
            tally.holds.add(rule.id)
            if rule.priority == top.priority:
                tally.decides.add(rule.id)
                if rule.outcome != top.outcome:
                    tally.conflicts.setdefault((top.id, rule.id), _Seen()).add(answers)
                    conflict = True
            else:
                tally.outranked_by.setdefault(rule.id, top.id)
        tally.conflicting += conflict
        owners = (r for r in holding if r.pack == flow.owner)
        owner_top = next(owners, None)
        if top.pack != flow.owner and owner_top and owner_top.outcome != top.outcome:
            tally.overrides.setdefault((top.id, owner_top.id), _Seen()).add(answers)
    return tally


def _diagram_tally(flow: Flow) -> _Tally:
    """What :func:`_enumerate` would see, read off the flow's decision diagrams: exact
    counts, and as example the first answer set in enumeration order."""
    diagrams = flow_diagrams(flow)
    dd = diagrams.dd
    tally = _Tally()
    tally.reached = {o for o, node in diagrams.outcomes.items() if o and node != FALSE}
    advice = zip(flow.advice_rules, diagrams.advice, strict=True)
    tally.fires = {r.id for r, node in advice if node != FALSE}
    gap = diagrams.outcomes[engine.NO_OUTCOME]
    if gap != FALSE:
        tally.gaps = _Seen(dd.count(gap), dd.example(gap))
    rules = list(zip(flow.outcome_rules, diagrams.holds, strict=True))
    earlier = above = FALSE  # some earlier rule holds; some rule of a higher priority holds
    owner_earlier = FALSE
    # (rule, "it is the first that holds (of the owner's)")
    firsts: list[tuple[CompiledRule, int]] = []
    owner_firsts: list[tuple[CompiledRule, int]] = []
    conflicts, overrides = [], []
    for i, (rule, holds) in enumerate(rules):
        if i and rule.priority != rules[i - 1][0].priority:
            above = earlier
        if holds != FALSE:
            tally.holds.add(rule.id)
            if dd.conj(holds, dd.neg(above)) != FALSE:
                tally.decides.add(rule.id)
            else:  # the top rule where it first holds, as enumeration finds it
                example = dd.example(holds)
                tally.outranked_by[rule.id] = next(r.id for r, _ in rules if r.test(example, None))
        for top, first in firsts:
            if top.priority == rule.priority and top.outcome != rule.outcome:
                conflicts.append((top.id, rule.id, dd.conj(first, holds)))
        if rule.pack == flow.owner:
            first_owner = dd.conj(holds, dd.neg(owner_earlier))
            owner_firsts.append((rule, first_owner))
            owner_earlier = dd.disj(owner_earlier, holds)
        firsts.append((rule, dd.conj(holds, dd.neg(earlier))))
        earlier = dd.disj(earlier, holds)
    for top, first in firsts:
        if top.pack == flow.owner:
            continue
        for owner_rule, owner_first in owner_firsts:
            if owner_rule.outcome != top.outcome:
                overrides.append((top.id, owner_rule.id, dd.conj(first, owner_first)))
    any_conflict = FALSE
    for found, pairs in ((tally.conflicts, conflicts), (tally.overrides, overrides)):
        seen = [(dd.example(n), a, b, n) for a, b, n in pairs if n != FALSE]
        seen.sort(key=lambda x: _position(dd, x[0]))  # the order enumeration finds them in
        for example, a, b, node in seen:
            found[(a, b)] = _Seen(dd.count(node), example)
            if found is tally.conflicts:
                any_conflict = dd.disj(any_conflict, node)
    tally.conflicting = dd.count(any_conflict) if any_conflict != FALSE else 0
    return tally


def _position(dd: Diagrams, answers: dict[str, str]) -> tuple[int, ...]:
    return tuple(c.index(answers[q.id]) for q, c in zip(dd.questions, dd.choices, strict=True))


def _gap_problems(flow: Flow, tally: _Tally, total: int) -> list[Problem]:
    if not tally.gaps.count:
        return []
    return [
        make_problem(
            "error",
            flow.owner or "",
            f"flow '{flow.id}'",
            "rules",
            f"{tally.gaps.count} of {total} answer combinations reach no outcome, for example "
            f"{_answers(tally.gaps.example)}; add an outcome rule for them (a rule without 'when' "
            "and a low priority catches whatever is left)",
        )
    ]


def _conflict_problems(flow: Flow, tally: _Tally) -> list[Problem]:
    rules = {r.id: r for r in flow.outcome_rules}
    problems = []
    for (winner_id, loser_id), seen in tally.conflicts.items():
        winner, loser = rules[winner_id], rules[loser_id]
        blamed = _contributor(flow, loser, winner)
        problems.append(
            make_problem(
                "error",
                blamed.pack,
                _rule(flow, loser),
                "priority",
                f"holds together with rule '{winner_id}' ({winner.pack}) at the same "
                f"priority {loser.priority} but routes to '{loser.outcome}' instead of "
                f"'{winner.outcome}', in {seen.count} combination(s), for example "
                f"{_answers(seen.example)}; give one a higher priority or narrow its 'when'",
                tuple(sorted({winner.pack, loser.pack} - {blamed.pack})),
            )
        )
    return problems


def _contributor(flow: Flow, loser: CompiledRule, winner: CompiledRule) -> CompiledRule:
    """The rule to blame for a conflict: a contributor's, not the flow owner's."""
    if loser.pack == flow.owner and winner.pack != flow.owner:
        return winner
    return loser


def _override_problems(flow: Flow, tally: _Tally) -> list[Problem]:
    """A contributor's rule that changes the owner's outcome must name what it overrides."""
    rules = {r.id: r for r in flow.outcome_rules}
    unnamed: dict[str, list[tuple[str, _Seen]]] = {}
    for (rule_id, owner_rule), seen in tally.overrides.items():
        if owner_rule not in rules[rule_id].rule.overrides:
            unnamed.setdefault(rule_id, []).append((owner_rule, seen))

    def problem(rule: CompiledRule, message: str) -> Problem:
        return make_problem(
            "error", rule.pack, _rule(flow, rule), "overrides", message, (flow.owner or "",)
        )

    problems = []
    for rule_id, missing in unnamed.items():
        rule = rules[rule_id]
        count = sum(seen.count for _, seen in missing)
        owner_rule, seen = missing[0]
        ids = ", ".join(f'"{r}"' for r, _ in missing)
        problems.append(
            problem(
                rule,
                f"changes the outcome that {flow.owner} (which owns the flow) gives in "
                f"{count} answer combination(s), for example {_answers(seen.example)}: "
                f"'{rule.outcome}' instead of '{rules[owner_rule].outcome}' (rule "
                f"'{owner_rule}'); if that is intended, add overrides = [{ids}] to the rule, "
                "otherwise narrow its 'when' or lower its 'priority'",
            )
        )
    owner_ids = {r.id for r in flow.outcome_rules if r.pack == flow.owner}
    for rule in flow.outcome_rules:
        for name in rule.rule.overrides:
            if rule.pack != flow.owner and name not in owner_ids:
                problems.append(
                    problem(
                        rule,
                        f"names '{name}', which is not an outcome rule of {flow.owner}, the "
                        f"pack that owns flow '{flow.id}'",
                    )
                )
    return problems


def _if_loaded(catalog: Catalog, pack: LoadedPack, limit: int) -> list[Problem]:
    """Overrides a pack that failed to load would make, checked as if it had loaded."""
    if not any(part.rules for c in pack.content for part in c.flows):
        return []
    try:
        flows = flows_of(catalog, adding=pack)
    except FlowProblem:
        return []  # its flow part is broken: the load error already says how
    problems = []
    for flow in flows.values():
        if flow.owner is None or flow.owner == pack.name or pack.name not in flow.packs:
            continue
        try:
            tally = _tally(flow, limit)
        except TooComplex:
            continue  # check_flow says so for the flow as loaded
        for problem in _override_problems(flow, tally):
            if problem.pack == pack.name:
                message = f"if it loaded, this rule {problem.message}"
                problems.append(
                    make_problem(
                        "error", pack.name, problem.item, problem.field, message, problem.related
                    )
                )
    return problems


def check_extends(pack: str, content: Content, flows: dict[str, Flow]) -> list[Problem]:
    """A contribution to another pack's flow declares the owner in ``extends``."""
    problems = []
    for part in content.flows:
        flow = flows.get(part.id)
        if part.title is not None or flow is None or flow.owner is None:
            continue
        where = f"flow '{part.id}'"
        if part.extends is None:
            problems.append(
                make_problem(
                    "warning",
                    pack,
                    where,
                    "extends",
                    f"adds to a flow owned by {flow.owner}: declare it with "
                    f'extends = "{flow.owner}"',
                    (flow.owner,),
                )
            )
        elif normalise(part.extends) != normalise(flow.owner):
            problems.append(
                make_problem(
                    "error",
                    pack,
                    where,
                    "extends",
                    f"extends {part.extends}, but the flow is owned by {flow.owner}: check "
                    "that this pack was written for the flow it now joins",
                    (flow.owner,),
                )
            )
    return problems


def _unreachable_outcomes(flow: Flow, tally: _Tally) -> list[Problem]:
    problems = []
    for outcome_id, outcome in flow.outcomes.items():
        if outcome_id not in tally.reached:
            rules = [r.id for r in flow.outcome_rules if r.outcome == outcome_id]
            why = (
                f"its rules ({', '.join(rules)}) never decide the outcome"
                if rules
                else "no outcome rule routes to it"
            )
            problems.append(
                make_problem(
                    "error",
                    outcome.pack,
                    f"flow '{flow.id}' outcome '{outcome_id}'",
                    "",
                    f"no answers lead to it: {why}",
                )
            )
    return problems


def _shadowed_rules(flow: Flow, tally: _Tally) -> list[Problem]:
    """Outcome rules that never decide the outcome, advice rules that never apply."""
    problems = []
    for rule in flow.outcome_rules:
        if rule.id in tally.decides:
            continue
        if rule.id in tally.holds:
            field_, message = (
                "priority",
                "never decides the outcome: whenever it holds, a rule with a higher priority "
                f"holds too (for example '{tally.outranked_by[rule.id]}')",
            )
        else:
            field_, message = "when", "never decides the outcome: its condition never holds"
        problems.append(make_problem("warning", rule.pack, _rule(flow, rule), field_, message))
    for rule in flow.advice_rules:
        if rule.id not in tally.fires:
            message = (
                "never applies: its condition holds only with an outcome those answers never reach"
                if _satisfiable(flow, rule)
                else "never applies: its condition never holds"
            )
            problems.append(make_problem("warning", rule.pack, _rule(flow, rule), "when", message))
    return problems


def _unused_questions(flow: Flow, tested: set[str]) -> list[Problem]:
    return [
        make_problem(
            "warning",
            q.pack,
            f"flow '{flow.id}' question '{q.id}'",
            "",
            "no rule tests it, so it is never asked and its answer changes nothing",
        )
        for q in flow.questions
        if q.id not in tested
    ]


def _satisfiable(flow: Flow, rule: CompiledRule) -> bool:
    """Can the rule's condition hold for some answers and some outcome (any, not only
    the one those answers route to)?"""
    dd = flow_diagrams(flow).dd
    outcomes = list(flow.outcomes) if rule.advice is not None else [None]
    return any(dd.condition(rule.rule.when, {o: TRUE} if o else {}) != FALSE for o in outcomes)


def _rule(flow: Flow, rule: CompiledRule) -> str:
    return f"flow '{flow.id}' rule '{rule.id}'"


def _answers(answers: dict[str, str]) -> str:
    return ", ".join(f"{q}={v}" for q, v in answers.items()) or "no answers"
