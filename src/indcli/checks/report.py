"""What the checks find: a :class:`Problem` per finding, a :class:`Report` of them all.

Blame lands on the pack that causes a problem, and :attr:`Problem.related` names the other
packs it involves, so ``indcli check PACK`` shows every problem PACK is on either side of.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from indcli.packs.discovery import normalise

Severity = Literal["error", "warning"]
FAILED_TO_LOAD = "failed to load: "


@dataclass(frozen=True)
class Problem:
    """One finding, located like a content error: pack, file, item and field."""

    severity: Severity
    pack: str
    file: str
    item: str
    field: str
    message: str
    related: tuple[str, ...] = ()  # other packs the problem involves
    loading: bool = False  # it kept the pack from loading (strict mode fails on these)
    line: int | None = None  # in ``file``, where known

    @property
    def load_problem(self) -> bool:
        return self.loading

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["related"] = list(self.related)
        return data


@dataclass
class FlowSummary:
    """What was checked of one flow (``indcli check --format json`` lists these)."""

    id: str
    owner: str | None
    packs: list[str]
    combinations: int  # of the answers to the questions some rule tests
    enumerated: bool  # every combination was tried one by one
    outcomes: list[str]
    outcomes_reached: list[str] | None = None  # None when not checked
    gaps: int = 0
    conflicts: int = 0
    method: str | None = None  # "enumerated", "diagrams" (every combination, symbolically)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Inference:
    """An item marked ``basis = "inference"``: indcli's reading, not the page's words."""

    pack: str
    item: str
    note: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    flows: list[FlowSummary] = field(default_factory=list)
    inferences: list[Inference] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def only(self, packs: Collection[str], load_problems: bool = False) -> Report:
        """The problems that involve ``packs`` on either side, and the flows they take
        part in; with ``load_problems`` (strict mode) every pack that failed to load too."""
        names = {normalise(p) for p in packs}
        return Report(
            [
                p
                for p in self.problems
                if names & {normalise(n) for n in (p.pack, *p.related)}
                or (load_problems and p.load_problem)
            ],
            [f for f in self.flows if names & {normalise(p) for p in f.packs}],
            [i for i in self.inferences if normalise(i.pack) in names],
        )


def at_line(line: int | None, message: str) -> str:
    return f"line {line}: {message}" if line else message


def make_problem(
    severity: Severity,
    pack: str,
    item: str,
    field_: str,
    message: str,
    related: tuple[str, ...] = (),
) -> Problem:
    return Problem(severity, pack, "", item, field_, message, related)
