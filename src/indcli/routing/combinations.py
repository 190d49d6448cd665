"""THE enumerator of answer combinations, with its one limit.

Routing never enumerates (it uses :mod:`indcli.routing.diagram`). What does: the flow
checks and ``check --compat`` on flows up to :data:`MAX_EVALUATIONS`, and
:func:`indcli.routing.engine.relevant_by_enumeration`, the slow, obviously right
definition of relevant questions that the tests compare the diagrams with.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from itertools import product
from typing import TYPE_CHECKING

from indcli.content.model import Question

if TYPE_CHECKING:
    from indcli.routing.flow import Flow

MAX_EVALUATIONS = 2_000_000  # answer combinations x rules: about ten seconds of decide()


def tested_questions(flow: Flow) -> list[Question]:
    """The questions some rule tests, in asking order: the others change nothing."""
    tested = {q for rule in flow.rules for q in rule.questions}
    return [q for q in flow.questions if q.id in tested]


def count(questions: Sequence[Question]) -> int:
    """How many answer combinations ``questions`` have."""
    return math.prod(len(q.choices) for q in questions)


def enumerable(flow: Flow, questions: Sequence[Question], limit: int = MAX_EVALUATIONS) -> bool:
    """Whether routing every combination of ``questions`` stays within ``limit`` rule
    evaluations (the cost grows with rules as much as with combinations)."""
    return count(questions) * max(1, len(flow.rules)) <= limit


def combinations(
    questions: Sequence[Question], base: Mapping[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """Every combination of answers to ``questions`` (added to ``base``), in choice order.

    Callers ask :func:`enumerable` first.
    """
    ids = [q.id for q in questions]
    for combo in product(*(q.choice_ids for q in questions)):
        answers = dict(base or {})
        answers.update(zip(ids, combo, strict=True))
        yield answers
