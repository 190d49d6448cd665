"""A flow as multi-valued decision diagrams: what the answers still can change, exactly.

A flow's *result* for a full set of answers is its outcome plus the advice rules that
apply. Each part of it is a function of the answers: "the outcome is o" for every
outcome o (and for no outcome at all, a gap), and "advice rule a applies" for every
advice rule. Each is built once per flow as a reduced, ordered multi-valued decision
diagram (an MDD: a BDD whose variables are the questions, with one branch per choice)
over the questions some rule tests, in asking order, with shared nodes.

A reduced ordered diagram is canonical, so a function depends on a question exactly when
the question appears in its diagram. Fixing the given answers (one pass over the
diagram) and collecting the questions that remain gives the missing questions whose
answer can still change the result, with no enumeration of answer combinations; the
same diagrams give the outcomes still reachable, and count and exemplify the answer
sets a check reports. The performance page of the docs says why this and not a search.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence

from indcli.content.model import AllOf, AnswerTest, AnyOf, Condition, Not, OutcomeTest, Question
from indcli.routing.combinations import tested_questions
from indcli.routing.flow import Flow
from indcli.utils.records import Record

FALSE, TRUE = 0, 1
MAX_NODES = 100_000  # far above real flows (a few hundred); a hostile flow stops here


class TooComplex(Exception):
    """The flow's diagrams would exceed :data:`MAX_NODES` (contrived conditions)."""


class Diagrams:
    """Shared, hash-consed MDD nodes over ``questions`` (their order is the variable order).

    A node is an int: 0 and 1 are the constants; any other node tests the question at
    ``level`` and has one child per choice. No node has all children equal (reduced).
    """

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = list(questions)
        self.level = {q.id: i for i, q in enumerate(self.questions)}
        self.choices = [q.choice_ids for q in self.questions]
        bottom = len(self.questions)
        # the operations recurse once or twice per question: room for every question
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 3 * bottom + 1000))
        self._var: list[int] = [bottom, bottom]
        self._kids: list[tuple[int, ...]] = [(), ()]
        self._unique: dict[tuple[int, tuple[int, ...]], int] = {}
        self._memo: dict[tuple[int, int, int], int] = {}

    def node(self, var: int, kids: tuple[int, ...]) -> int:
        first = kids[0]
        if all(k == first for k in kids):
            return first
        key = (var, kids)
        found = self._unique.get(key)
        if found is None:
            if len(self._var) > MAX_NODES:
                raise TooComplex
            found = self._unique[key] = len(self._var)
            self._var.append(var)
            self._kids.append(kids)
        return found

    def test(self, question: str, values: Iterable[str]) -> int:
        var = self.level[question]
        wanted = set(values)
        return self.node(var, tuple(int(c in wanted) for c in self.choices[var]))

    def neg(self, a: int) -> int:
        if a < 2:
            return 1 - a
        key = (2, a, a)
        found = self._memo.get(key)
        if found is None:
            kids = tuple(self.neg(k) for k in self._kids[a])
            found = self._memo[key] = self.node(self._var[a], kids)
        return found

    def conj(self, a: int, b: int) -> int:
        return self._apply(FALSE, a, b)

    def disj(self, a: int, b: int) -> int:
        return self._apply(TRUE, a, b)

    def _apply(self, decisive: int, a: int, b: int) -> int:
        """``a and b`` when ``decisive`` is FALSE, ``a or b`` when it is TRUE."""
        if decisive in (a, b):
            return decisive
        if a == 1 - decisive or a == b:  # the neutral constant, or the same function
            return b
        if b == 1 - decisive:
            return a
        if a > b:
            a, b = b, a
        key = (decisive, a, b)
        found = self._memo.get(key)
        if found is None:
            var = min(self._var[a], self._var[b])
            width = len(self.choices[var])
            ka = self._kids[a] if self._var[a] == var else (a,) * width
            kb = self._kids[b] if self._var[b] == var else (b,) * width
            kids = tuple(self._apply(decisive, x, y) for x, y in zip(ka, kb, strict=True))
            found = self._memo[key] = self.node(var, kids)
        return found

    def condition(self, cond: Condition | None, outcomes: Mapping[str, int]) -> int:
        """A rule's condition; an outcome test is "the outcome is one of" ``outcomes``."""
        if cond is None:
            return TRUE
        if isinstance(cond, AnswerTest):
            return self.test(cond.question, cond.values)
        if isinstance(cond, OutcomeTest):
            result = FALSE
            for outcome in cond.outcomes:
                result = self.disj(result, outcomes.get(outcome, FALSE))
            return result
        if isinstance(cond, Not):
            return self.neg(self.condition(cond.part, outcomes))
        parts = (self.condition(c, outcomes) for c in cond.parts)
        if isinstance(cond, AllOf):
            result = TRUE
            for part in parts:
                result = self.conj(result, part)
            return result
        assert isinstance(cond, AnyOf)
        result = FALSE
        for part in parts:
            result = self.disj(result, part)
        return result

    def restrict(self, a: int, fixed: Mapping[int, int], memo: dict[int, int]) -> int:
        """``a`` with the variables in ``fixed`` (level -> choice index) set."""
        if a < 2:
            return a
        found = memo.get(a)
        if found is None:
            var, kids = self._var[a], self._kids[a]
            pick = fixed.get(var)
            if pick is not None:
                found = self.restrict(kids[pick], fixed, memo)
            else:
                found = self.node(var, tuple(self.restrict(k, fixed, memo) for k in kids))
            memo[a] = found
        return found

    def support(self, nodes: Iterable[int]) -> set[int]:
        """The levels the functions ``nodes`` depend on."""
        seen: set[int] = set()
        levels: set[int] = set()
        stack = [n for n in nodes if n >= 2]
        while stack:
            a = stack.pop()
            if a in seen:
                continue
            seen.add(a)
            levels.add(self._var[a])
            stack.extend(k for k in self._kids[a] if k >= 2 and k not in seen)
        return levels

    def count(self, a: int) -> int:
        """How many answer sets (to every question of the diagrams) make ``a`` true."""
        memo: dict[int, int] = {}
        bottom = len(self.questions)
        sizes = [len(c) for c in self.choices]
        below = [1] * (bottom + 1)  # below[i]: combinations of the levels from i down
        for i in range(bottom - 1, -1, -1):
            below[i] = below[i + 1] * sizes[i]

        def paths(n: int) -> int:  # satisfying answer sets of the levels from var(n) down
            if n < 2:
                return n
            found = memo.get(n)
            if found is None:
                var = self._var[n]
                found = 0
                for kid in self._kids[n]:
                    skipped = below[var + 1] // below[self._var[kid]]
                    found += paths(kid) * skipped
                memo[n] = found
            return found

        return paths(a) * (below[0] // below[self._var[a]])

    def example(self, a: int) -> dict[str, str]:
        """One answer set (the first in choice order, unset questions at their first
        choice) that makes ``a`` true; ``a`` must not be FALSE."""
        answers = {q.id: q.choice_ids[0] for q in self.questions}
        while a >= 2:
            var = self._var[a]
            index = next(i for i, k in enumerate(self._kids[a]) if k != FALSE)
            answers[self.questions[var].id] = self.choices[var][index]
            a = self._kids[a][index]
        return answers

    def fix(self, answers: Mapping[str, str]) -> dict[int, int]:
        """Answers as (level -> choice index), for :meth:`restrict`."""
        fixed = {}
        for qid, value in answers.items():
            var = self.level.get(qid)
            if var is not None:
                fixed[var] = self.choices[var].index(value)
        return fixed


class FlowDiagrams(Record):
    """A flow's result as diagrams: built once per flow by :func:`flow_diagrams`."""

    dd: Diagrams
    outcomes: dict[str, int]  # outcome id -> "routes there"; "" -> "no outcome holds"
    holds: tuple[int, ...]  # per outcome rule (in priority order): its condition
    advice: tuple[int, ...]  # per advice rule: "it applies"

    @property
    def parts(self) -> list[int]:
        """Every part of the result: together they tell results apart."""
        return [*self.outcomes.values(), *self.advice]

    def relevant(self, answers: Mapping[str, str]) -> list[str]:
        """The missing questions, in asking order, whose answer can change the result."""
        memo: dict[int, int] = {}
        fixed = self.dd.fix(answers)
        rest = [self.dd.restrict(p, fixed, memo) for p in self.parts]
        levels = self.dd.support(rest)
        return [q.id for i, q in enumerate(self.dd.questions) if i in levels]

    def reachable(self, answers: Mapping[str, str]) -> list[str]:
        """The outcomes some completion of ``answers`` routes to (not a gap)."""
        memo: dict[int, int] = {}
        fixed = self.dd.fix(answers)
        return [
            o
            for o, node in self.outcomes.items()
            if o and self.dd.restrict(node, fixed, memo) != FALSE
        ]


def flow_diagrams(flow: Flow) -> FlowDiagrams:
    """The diagrams of ``flow``, built on first use and kept with the flow."""
    found = flow.cache.get("diagrams")
    if found is None:
        try:
            found = flow.cache["diagrams"] = _build(flow)
        except TooComplex:
            flow.cache["diagrams"] = TooComplex  # found out once per flow
            raise
    if found is TooComplex:
        raise TooComplex
    return found


def _build(flow: Flow) -> FlowDiagrams:
    dd = Diagrams(tested_questions(flow))
    outcomes = dict.fromkeys(flow.outcomes, FALSE)
    rest = TRUE  # no earlier outcome rule holds
    holds = []
    for rule in flow.outcome_rules:  # the first rule that holds decides
        cond = dd.condition(rule.rule.when, {})
        holds.append(cond)
        first = dd.conj(rest, cond)
        outcomes[rule.outcome] = dd.disj(outcomes.get(rule.outcome, FALSE), first)  # type: ignore[index,arg-type]
        rest = dd.conj(rest, dd.neg(cond))
    outcomes[""] = rest
    advice = tuple(dd.condition(r.rule.when, outcomes) for r in flow.advice_rules)
    return FlowDiagrams(dd, outcomes, tuple(holds), advice)
