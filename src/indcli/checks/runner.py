"""``check_catalog``: every check over the loaded packs, in one :class:`Report`."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import replace

from indcli.checks.content_checks import (
    check_basis,
    check_citations,
    check_placeholders,
    check_pointers,
    check_style,
)
from indcli.checks.flow_checks import _if_loaded, check_extends, check_flow
from indcli.checks.quotes import inferences
from indcli.checks.report import FAILED_TO_LOAD, Inference, Problem, Report, at_line
from indcli.packs.catalog import Catalog
from indcli.packs.discovery import normalise
from indcli.packs.references import file_label, locate_item
from indcli.routing.combinations import MAX_EVALUATIONS


def check_catalog(
    catalog: Catalog, today: datetime.date | None = None, limit: int = MAX_EVALUATIONS
) -> Report:
    """Every problem of the loaded packs, and a summary of each flow they build."""
    today = today or datetime.date.today()
    report = Report()
    for pack in catalog.packs:
        if pack.status == "failed" and pack.problems:  # invalid content: each, located
            report.problems += [
                Problem(
                    "error",
                    pack.name,
                    p.file,
                    p.item,
                    p.field,
                    at_line(p.line, p.message),
                    loading=True,
                    line=p.line,
                )
                for p in pack.problems
            ]
        elif pack.status == "failed":
            clashed = {p for c in catalog.clashes if pack.name in c.packs for p in c.packs}
            report.problems.append(
                Problem(
                    "error",
                    pack.name,
                    file_label(pack),
                    "",
                    "",
                    f"{FAILED_TO_LOAD}{pack.error}",
                    tuple(sorted(clashed - {pack.name})),
                    loading=True,
                )
            )
            report.problems += _if_loaded(catalog, pack, limit)
        elif pack.status == "loaded":
            for content in pack.content:
                report.problems += check_citations(pack.name, content, today)
                report.problems += check_basis(pack.name, content)
                report.problems += check_style(pack.name, content)
                report.problems += check_placeholders(pack.name, content)
                report.inferences += [
                    Inference(pack.name, where, note) for where, note in inferences(content)
                ]
                report.problems += check_pointers(
                    pack.name, content, catalog.packs, catalog.reserved.commands
                )
                report.problems += check_extends(pack.name, content, catalog.flows)
    for flow in catalog.flows.values():
        problems, summary = check_flow(flow, limit)
        report.problems += problems
        report.flows.append(summary)
    report.problems = locate_problems(catalog, report.problems)
    report.problems.sort(key=lambda p: (normalise(p.pack), p.severity != "error"))
    return report


_AT = re.compile(r"\(at (.+):(\d+)\)")


def locate_problems(
    catalog: Catalog, problems: list[Problem], needles: dict[int, str] | None = None
) -> list[Problem]:
    """Each problem with the file and line it is about, where a check did not say: the
    line of its item's id in the pack's content file (or of ``needles[i]``, a quote, for
    the i-th problem), or the file and line of a failure inside the pack's code."""
    packs = {normalise(p.name): p for p in catalog.packs}
    located = []
    for n, problem in enumerate(problems):
        pack = packs.get(normalise(problem.pack))
        if pack is None or (problem.file and problem.line):
            located.append(problem)
            continue
        at = _AT.search(problem.message)
        if at:  # a failure in the pack's code: where it was raised
            file, line = os.path.basename(at.group(1)), int(at.group(2))
            located.append(replace(problem, file=file, line=line))
            continue
        file, found = locate_item(pack, problem.item, (needles or {}).get(n, ""))
        located.append(replace(problem, file=problem.file or file, line=problem.line or found))
    return located
