"""The result of routing, as one record: the ``route --format json`` object, or the
compact batch record, both from the same :class:`RouteResult`.

The ``route`` command, ``--batch``, :mod:`indcli.testing` and :mod:`indcli.api` all build
their output here from what :func:`indcli.routing.engine.settle` returned, so a script, a batch
line and a Python program can never see different results for the same answers.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from typing import Any

from indcli.content.model import cited_data
from indcli.errors import PackError
from indcli.output.render import payload
from indcli.packs.catalog import Catalog
from indcli.packs.pointers import resolve
from indcli.routing.engine import Route, settle, validate_answers
from indcli.routing.flow import CompiledRule, Flow
from indcli.utils.records import Record

ADVICE_KEYS = {
    "prerequisite": "prerequisites",
    "step": "steps",
    "follow-up": "follow_up",
    "warning": "warnings",
    "gap": "gaps",  # what the page does not say, and where to find out
}


def lookup_flow(catalog: Catalog, flow_id: str) -> Flow:
    """The flow ``flow_id``; LookupError when no loaded pack owns it."""
    flow = catalog.flow(flow_id)
    if flow is None:
        raise LookupError(f"flow '{flow_id}' is not loaded (or no loaded pack owns it)")
    return flow


def route_result(
    catalog: Catalog,
    flow: Flow,
    answers: Mapping[Any, Any],
    check: Callable[[Flow, Mapping[Any, Any]], dict[str, str]] = validate_answers,
    command: str | None = None,
    strict: bool = False,
) -> RouteResult:
    """Check ``answers``, settle them and build the result: the one path of ``indcli
    route``, :func:`indcli.api.route` and :func:`indcli.testing.route_answers`.

    Raises what ``check`` raises, and :class:`~indcli.routing.engine.MissingAnswers` or
    :class:`~indcli.routing.engine.ContentGap` from settle(); with ``strict``
    (INDCLI_STRICT_PLUGINS), the result refuses an undeclared override.
    """
    command = command or (flow.command.name if flow.command else "route")
    return RouteResult(flow, settle(flow, check(flow, answers)), catalog, command, strict=strict)


class RouteResult(Record):
    """A settled route through ``flow``, with what is needed to describe it."""

    flow: Flow
    route: Route
    catalog: Catalog | None = None  # resolves pointers in to_dict(); to_record() needs none
    command: str = "route"
    strict: bool = False  # INDCLI_STRICT_PLUGINS: an undeclared override refuses to run

    def __post_init__(self) -> None:
        problem = self.undeclared_override() if self.strict else None
        if problem is not None:
            raise PackError(problem[0], pack=problem[1])

    def undeclared_override(self) -> tuple[str, str] | None:
        """(message, pack) when another pack's rule decided the outcome over a rule of the
        flow's owner that it does not name in ``overrides`` (what ``check`` reports)."""
        rule = self.foreign_rule
        if rule is None:
            return None
        answers = self.route.answers
        mine = (r for r in self.flow.outcome_rules if r.pack == self.flow.owner)
        owners = next((r for r in mine if r.test(answers, None)), None)
        if owners is None or owners.outcome == rule.outcome or owners.id in rule.rule.overrides:
            return None
        return (
            f"rule '{rule.id}' of pack {rule.pack} overrides rule '{owners.id}' of "
            f"{self.flow.owner} without naming it in 'overrides'; INDCLI_STRICT_PLUGINS is "
            f"set, so this route is refused (disable the pack with "
            f"INDCLI_DISABLE_PLUGINS={rule.pack})",
            rule.pack,
        )

    @property
    def answers(self) -> dict[str, str]:
        return dict(self.route.answers)

    @property
    def outcome_id(self) -> str:
        return self.route.decision.outcome or ""

    @property
    def reasons(self) -> list[CompiledRule]:
        decision = self.route.decision
        return decision.outcome_rules + [r for r in decision.advice if r.advice == "reason"]

    def advice(self, kind: str) -> list[CompiledRule]:
        return [r for r in self.route.decision.advice if r.advice == kind]

    @property
    def foreign_rule(self) -> CompiledRule | None:
        """The rule that decided the outcome, when it is not of the pack owning the flow."""
        deciding = self.route.decision.outcome_rules[:1]
        return next((r for r in deciding if r.pack != self.flow.owner), None)

    def rerun(self) -> str:
        """The same answers (those that mattered) as one command line."""
        used = [(q, v) for q, v in self.route.answers.items() if q not in self.route.unused]
        return shlex.join(["indcli", self.command] + [p for q, v in used for p in (f"--{q}", v)])

    def to_dict(self) -> dict[str, Any]:
        """The ``indcli route --format json`` object (the contract's keys)."""
        answers = self.answers
        outcome = self.flow.outcomes[self.outcome_id]
        data = payload(
            self.command,
            flow=self.flow.id,
            answers=answers,
            unused_answers=list(self.route.unused),
            outcome={
                "id": outcome.id,
                "channel": outcome.channel,
                "title": outcome.title,
                "form": {"title": outcome.form.title, "how": outcome.form.how},
                "source": outcome.source.to_dict(),
                "basis": outcome.basis,
                **({"basis_note": outcome.basis_note} if outcome.basis_note else {}),
            },
            reasons=[self._item(rule, key="rule") for rule in self.reasons],
            **{key: [self._item(r) for r in self.advice(kind)] for kind, key in _KEY_ORDER},
        )
        foreign = self.foreign_rule
        if foreign is not None:
            data["warnings"].append(self._foreign_item(foreign))
        data["rerun"] = self.rerun()
        decision = self.route.decision
        fired = {id(r) for r in decision.outcome_rules + decision.advice}
        data["trace"] = [
            {
                "rule": rule.id,
                "kind": rule.advice or "outcome",
                "fired": id(rule) in fired,
                "answers": {q: answers[q] for q in rule.questions if q in answers},
                "pack": rule.pack,
            }
            for rule in self.flow.rules
        ]
        return data

    def to_record(self) -> dict[str, Any]:
        """The compact batch record: ids, not texts."""
        record: dict[str, Any] = {
            "outcome": self.outcome_id,
            "channel": self.flow.outcomes[self.outcome_id].channel,
            "answers": self.answers,
            "unused_answers": list(self.route.unused),
            "reasons": [r.id for r in self.reasons],
        }
        for kind, key in ADVICE_KEYS.items():
            record[key] = [r.id for r in self.advice(kind)]
        if self.foreign_rule is not None:
            record["warnings"].append(FOREIGN_OUTCOME)
        return record

    def _foreign_item(self, rule: CompiledRule) -> dict[str, Any]:
        """The warning that another pack than the flow's owner decided the outcome."""
        item = self._item(rule)
        item["id"] = FOREIGN_OUTCOME
        item["text"] = (
            f"This outcome was decided by rule '{rule.id}' of pack {rule.pack}, not by "
            f"{self.flow.owner}, which owns this flow. To see the route without it, run "
            f"the same command with INDCLI_DISABLE_PLUGINS={rule.pack}."
        )
        item["basis"] = "inference"
        item["basis_note"] = "indcli's own note about which pack decided; the source is the rule's"
        item["pack"] = rule.pack
        return item

    def _item(self, rule: CompiledRule, key: str = "id") -> dict[str, Any]:
        answers = self.route.answers
        item: dict[str, Any] = {key: rule.id, **cited_data(rule.rule)}
        item["answers"] = {q: answers[q] for q in rule.questions if q in answers}
        if rule.pack != self.flow.owner:  # whose advice this is, where it is not the owner's
            item["pack"] = rule.pack
        if rule.rule.see is not None:
            assert self.catalog is not None, "to_dict() resolves pointers: give a catalog"
            item["see"] = resolve(self.catalog, rule.rule.see)
        return item


_KEY_ORDER = tuple(ADVICE_KEYS.items())
FOREIGN_OUTCOME = "outcome-from-another-pack"  # warning id: see RouteResult.foreign_rule
