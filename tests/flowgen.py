"""Small random flows (questions, outcome rules of two packs, advice rules with nested
conditions) for comparing the decision diagrams with enumeration."""

from __future__ import annotations

import random

from indcli.content.model import (
    AllOf,
    AnswerTest,
    AnyOf,
    Citation,
    FlowPart,
    Not,
    Outcome,
    OutcomeTest,
    Question,
    Rule,
    build,
)
from indcli.routing.flow import Flow, build_flow

SOURCE = {"source": "s", "url": "https://e.org/", "title": "t", "quote": "q", "checked": "2026"}


def random_flow(seed: int) -> Flow:
    """A flow owned by pack "p", with rules of pack "q" mixed in."""
    return _tiny_flow(*_random_flow(seed))


def _random_condition(rng: random.Random, questions, outcomes, depth: int, advice: bool):
    kind = rng.random()
    if depth == 0 or kind < 0.4:
        if advice and rng.random() < 0.2:
            return OutcomeTest(frozenset(rng.sample(outcomes, rng.randint(1, 2))))
        q = rng.choice(questions)
        values = rng.sample(q.choice_ids, rng.randint(1, len(q.choice_ids) - 1))
        return AnswerTest(q.id, frozenset(values))
    parts = tuple(
        _random_condition(rng, questions, outcomes, depth - 1, advice)
        for _ in range(rng.randint(1, 3))
    )
    if kind < 0.55:
        return Not(parts[0])
    return AllOf(parts) if kind < 0.8 else AnyOf(parts)


def _random_flow(seed: int):
    rng = random.Random(seed)
    questions = [
        build(
            Question,
            {
                "id": f"q{i}",
                "prompt": "?",
                "help": "",
                "choices": [{"id": f"c{j}", "label": "c"} for j in range(rng.randint(2, 3))],
                "order": 0,
                "source": SOURCE,
            },
            "p",
        )
        for i in range(rng.randint(2, 5))
    ]
    outcomes = ["o1", "o2", "o3"]
    rules = []
    for i in range(rng.randint(1, 5)):
        catch_all = i == 0 and rng.random() < 0.7
        when = None if catch_all else _random_condition(rng, questions, outcomes, 2, False)
        pack = "q" if i and rng.random() < 0.3 else "p"
        priority = -rng.randint(0, 2) if i else -3  # the catch-all comes last
        rules.append(_rule(f"r{i}", when, rng.choice(outcomes), priority=priority, pack=pack))
    for i in range(rng.randint(0, 4)):
        when = _random_condition(rng, questions, outcomes, 2, True)
        rules.append(_rule(f"a{i}", when, advice="step"))
    return questions, outcomes, rules


def _rule(rule_id, when, outcome=None, advice=None, priority=0, pack="p"):
    source = build(Citation, SOURCE)
    return Rule(rule_id, when, outcome, advice, priority, 0, "t", None, source, pack)


def _tiny_flow(questions, outcomes, rules):
    outcome_records = tuple(
        build(
            Outcome,
            {"id": o, "channel": "paper", "title": o, "form": {"title": "f", "how": "h"},
             "source": SOURCE},
            "p",
        )
        for o in outcomes
    )  # fmt: skip
    part = FlowPart("tiny", "Tiny", tuple(questions), outcome_records, tuple(rules), "p")
    return build_flow("tiny", [part])
