"""``indcli check [PACK]...``: validate installed packs, alone and together."""

from __future__ import annotations

from typing import Any

import click

from indcli.app import current_app
from indcli.catalog import Catalog
from indcli.checks import Report, check_catalog
from indcli.plugins import canonical
from indcli.render import Doc, Item, format_option, payload, render

EXIT_PROBLEMS = 1  # like a linter's findings; usage errors keep exit 2


@click.command(
    epilog="""\b
Examples:
  indcli check                          every installed pack
  indcli check my-pack --strict         one pack; warnings fail too (for CI)
  indcli check --format json
  INDCLI_LOAD_PLUGINS=indcli-partner-permit,my-pack indcli check my-pack

\b
Exit codes: 0 no errors (warnings allowed), 1 errors (or warnings with --strict),
2 unknown PACK."""
)
@click.argument("packs", nargs=-1, metavar="[PACK]...")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@format_option
@click.pass_context
def check(ctx: click.Context, packs: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Check content packs: content, references, sources and routing flows.

    Reports packs that fail to load, routing flows in which some answers reach no outcome
    or two outcomes at once, outcomes no answers reach, rules that never take effect,
    questions no rule tests, pointers to topics or commands a loaded pack lacks, and
    sources last checked more than a year ago. With PACK names, only their problems are
    shown, but flows are still built from every loaded pack, as `indcli route` does.
    """
    catalog = current_app(ctx).load_catalog()  # a failed pack is a problem to list, not a warning
    _check_names(ctx, catalog, packs)
    report = check_catalog(catalog)
    if packs:
        report = report.only(packs)
    names = {canonical(p) for p in packs}
    checked = [
        p.name
        for p in catalog.packs
        if p.status != "disabled" and (not names or canonical(p.name) in names)
    ]
    failing = report.errors > 0 or (strict and report.warnings > 0)
    click.echo(render(fmt, check_payload(report, checked, not failing), _describe), nl=False)
    if failing:
        ctx.exit(EXIT_PROBLEMS)


def check_payload(report: Report, packs: list[str], ok: bool) -> dict[str, Any]:
    """The JSON result: counts, every problem, and what was checked of each flow."""
    return payload(
        "check",
        ok=ok,
        packs=packs,
        errors=report.errors,
        warnings=report.warnings,
        problems=[p.as_dict() for p in report.problems],
        flows=[f.as_dict() for f in report.flows],
    )


def _check_names(ctx: click.Context, catalog: Catalog, packs: tuple[str, ...]) -> None:
    """Exit 2 for a PACK that is not installed, or installed but not loaded by choice."""
    status = {canonical(p.name): p for p in catalog.packs}
    installed = ", ".join(p.name for p in catalog.packs) or "none"
    for name in packs:
        pack = status.get(canonical(name))
        if pack is None:
            raise click.UsageError(f"no pack '{name}' is installed; installed: {installed}.", ctx)
        if pack.status == "disabled":
            raise click.UsageError(
                f"pack {pack.name} is disabled by INDCLI_LOAD_PLUGINS or "
                "INDCLI_DISABLE_PLUGINS, so it cannot be checked; enable it first.",
                ctx,
            )


def _describe(data: dict[str, Any]) -> Doc:
    counts = f"{_count(data['errors'], 'error')}, {_count(data['warnings'], 'warning')}"
    doc = Doc(f"Checked {_count(len(data['packs']), 'pack')}: {counts}")
    if not data["packs"]:
        doc.para("No content packs are loaded, so there is nothing to check.")
    elif not data["problems"]:
        doc.para("No problems found.")
    if data["problems"]:
        doc.heading("Problems")
        doc.items([_problem_item(p) for p in data["problems"]])
    if data["flows"]:
        doc.heading("Routing flows")
        doc.items([_flow_item(f) for f in data["flows"]])
    return doc


def _flow_item(flow: dict[str, Any]) -> Item:
    if flow["owner"] is None:
        return Item(f"{flow['id']}: no loaded pack owns it; not checked")
    if not flow["enumerated"]:
        text = f"{flow['id']}: {flow['combinations']} answer combinations, too many to try"
    else:
        reached = f"{len(flow['outcomes_reached'])} of {len(flow['outcomes'])} outcomes reached"
        gaps = f"{flow['gaps']} with no outcome" if flow["gaps"] else "no gaps"
        conflicts = f"{flow['conflicts']} with two" if flow["conflicts"] else "no conflicts"
        text = (
            f"{flow['id']}: {flow['combinations']} answer combinations tried, {gaps}, "
            f"{conflicts}; {reached}"
        )
    return Item(text, notes=[f"packs: {', '.join(flow['packs'])} (owner {flow['owner']})"])


def _problem_item(problem: dict[str, Any]) -> Item:
    where = [problem["pack"]] + [problem[k] for k in ("file", "item") if problem[k]]
    if problem["field"]:
        where.append(f"field '{problem['field']}'")
    return Item(problem["message"], label=f"{problem['severity']}: {', '.join(where)}:")


def _count(n: int, noun: str) -> str:
    return f"{'no' if n == 0 else n} {noun}{'' if n == 1 else 's'}"
