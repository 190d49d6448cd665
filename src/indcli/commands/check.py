"""``indcli check [PACK]...``: validate installed packs, alone and together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from indcli.app import current_app
from indcli.output.render import Doc, Item, format_option, payload, render
from indcli.packs.catalog import Catalog
from indcli.packs.discovery import normalise

if TYPE_CHECKING:  # the checks are imported when the command runs, not for --help
    from indcli.checks.report import Report
    from indcli.checks.source_drift import Page

EXIT_PROBLEMS = 1  # like a linter's findings; usage errors keep exit 2


@click.command(
    epilog="""\b
Examples:
  indcli check                          every installed pack
  indcli check my-pack --strict         one pack; warnings fail too (for CI)
  indcli check ./my-pack                a pack's folder (or its content.toml), before install
  indcli check --format json
  INDCLI_LOAD_PLUGINS=indcli-partner-permit,my-pack indcli check my-pack
  indcli check my-pack --compat         what installing my-pack changes in routes
  indcli check --source-file ind-partner-forms=saved-page.html

\b
Exit codes: 0 no errors (warnings allowed), 1 errors (or warnings with --strict),
2 unknown PACK."""
)
@click.argument("packs", nargs=-1, metavar="[PACK|PATH]...")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--compat",
    is_flag=True,
    help="Compare the routes with and without each PACK over every combination of answers.",
)
@click.option(
    "--source-file",
    "source_files",
    multiple=True,
    metavar="[PACK:]SOURCE_ID=FILE",
    help="Check every quote citing SOURCE_ID against a saved copy of the page (HTML or "
    "text): in PACK, else in the PACKs named, else in every pack citing it. Repeatable.",
)
@format_option
@click.pass_context
def check(
    ctx: click.Context,
    packs: tuple[str, ...],
    strict: bool,
    compat: bool,
    source_files: tuple[str, ...],
    fmt: str,
) -> None:
    """Check content packs: content, references, sources and routing flows.

    Reports packs that fail to load, routing flows in which some answers reach no outcome
    or two outcomes at once, outcomes no answers reach, rules that never take effect,
    questions no rule tests, pointers to topics or commands a loaded pack lacks, and
    sources last checked more than a year ago. With PACK names, the problems that involve
    them on either side are shown (a clash, a conflict, a changed outcome), but flows are
    still built from every loaded pack, as `indcli route` does. With
    INDCLI_STRICT_PLUGINS=1, every pack that failed to load is a problem too.

    A PATH (a content.toml, or a folder holding one, as `indcli new-pack` makes) is
    checked as its pack would load it, next to the installed packs, in place of an
    installed pack of the same name: no need to install it first. A pack folder's own
    code (the modules its pyproject.toml names as indcli entry points) is imported and
    checked too; where it cannot be, the result says that only the content was checked.
    """
    app = current_app(ctx)
    packs, local = _local_packs(ctx, packs)
    if local:  # content files checked as their pack would load them, beside the others
        from indcli.packs.author_kit import catalog_with

        catalog = catalog_with(app.sources, app.environ, app.loader, app.reserved, local)
    else:
        catalog = app.load_catalog()  # a failed pack is a problem to list, not a warning
    _check_names(ctx, catalog, packs)
    if compat and not packs:
        raise click.UsageError("--compat compares the routes with and without PACK: name one.")
    pages = _read_pages(ctx, catalog, source_files)
    from indcli.checks.compat import check_compat
    from indcli.checks.runner import check_catalog

    report = check_catalog(catalog)
    from indcli.checks.source_drift import quote_problems

    drift, checked_files = quote_problems(catalog, pages, packs)
    report.problems += drift
    if packs:
        report = report.only(packs, load_problems=app.strict)
    names = {normalise(p) for p in packs}
    checked = [
        p.name
        for p in catalog.packs
        if p.status != "disabled" and (not names or normalise(p.name) in names)
    ]
    failing = report.errors > 0 or (strict and report.warnings > 0)
    data = check_payload(report, checked, not failing)
    data["notes"] = [
        f"{source.name}: only its content was checked, not its code ({source.content_only}); "
        f"install it (pip install -e PATH) and run 'indcli check {source.name}' to check both"
        for source in local
        if source.content_only
    ]
    if checked_files:
        data["source_files"] = checked_files
    if compat:
        data["compat"] = {p: check_compat(catalog, p) for p in packs}
    click.echo(render(fmt, data, _describe), nl=False)
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
        inferences=[i.as_dict() for i in report.inferences],
    )


def _local_packs(ctx: click.Context, args: tuple[str, ...]) -> tuple[tuple[str, ...], list[Any]]:
    """The PACK names (a PATH becomes its pack's name) and the sources of the PATHs."""
    from indcli.packs.author_kit import is_path, path_source

    names, local = [], []
    for arg in args:
        if not is_path(arg):
            names.append(arg)
            continue
        from pathlib import Path  # only for a path argument

        try:
            source = path_source(Path(arg))
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx, param_hint="PATH") from None
        local.append(source)
        names.append(source.name)
    return tuple(names), local


def _check_names(ctx: click.Context, catalog: Catalog, packs: tuple[str, ...]) -> None:
    """Exit 2 for a PACK that is not installed, or installed but not loaded by choice."""
    status = {normalise(p.name): p for p in catalog.packs}
    installed = ", ".join(p.name for p in catalog.packs) or "none"
    for name in packs:
        pack = status.get(normalise(name))
        if pack is None:
            raise click.UsageError(f"no pack '{name}' is installed; installed: {installed}.", ctx)
        if pack.status == "disabled":
            raise click.UsageError(
                f"pack {pack.name} is disabled by INDCLI_LOAD_PLUGINS or "
                "INDCLI_DISABLE_PLUGINS, so it cannot be checked; enable it first.",
                ctx,
            )


def _read_pages(
    ctx: click.Context, catalog: Catalog, specs: tuple[str, ...]
) -> dict[tuple[str, str], Page]:
    """(PACK or '', SOURCE_ID) -> the saved page, indexed; exit 2 for a bad spec, file or
    source id. Source ids belong to the file that declares them: ``PACK:`` picks one."""
    from indcli.checks.source_drift import (
        Page,
        PageError,
        cited_sources,
        page_paragraphs,
        read_page,
    )

    contents = [c for p in catalog.packs if p.status == "loaded" for c in p.content]
    known = cited_sources(contents)
    pages = {}
    for spec in specs:
        source_id, sep, file = spec.partition("=")
        pack, _, source_id = source_id.rpartition(":")
        if not sep or not source_id or not file:
            raise click.BadParameter(
                f"{spec!r} is not [PACK:]SOURCE_ID=FILE", ctx, param_hint="--source-file"
            )
        if source_id not in known:
            raise click.BadParameter(
                f"no loaded item cites source '{source_id}'; cited: {', '.join(sorted(known))}",
                ctx,
                param_hint="--source-file",
            )
        try:
            page = Page(page_paragraphs(read_page(file)), file)
        except OSError as exc:
            raise click.BadParameter(
                f"cannot read {file}: {exc.strerror}", ctx, param_hint="--source-file"
            ) from None
        except PageError as exc:
            raise click.BadParameter(f"{file} {exc}", ctx, param_hint="--source-file") from None
        pages[(pack, source_id)] = page
    return pages


def _describe(data: dict[str, Any]) -> Doc:
    counts = f"{_count(data['errors'], 'error')}, {_count(data['warnings'], 'warning')}"
    doc = Doc(f"Checked {_count(len(data['packs']), 'pack')}: {counts}")
    if not data["packs"]:
        doc.para("No content packs are loaded, so there is nothing to check.")
    elif not data["problems"]:
        doc.para("No problems found.")
    for note in data.get("notes", []):
        doc.para(f"Note: {note}.")
    for page in data.get("source_files", []):
        doc.para(
            f"Checked {_count(page['quotes'], 'quote')} citing source '{page['source']}' "
            f"({', '.join(page['packs']) or 'no pack'}) against {page['file']}."
        )
    if data["problems"]:
        doc.heading("Problems")
        doc.items([_problem_item(p) for p in data["problems"]])
    if data["flows"]:
        doc.heading("Routing flows")
        doc.items([_flow_item(f) for f in data["flows"]])
    if data["inferences"]:
        doc.heading("indcli's own readings (basis = inference), for a reviewer")
        doc.items([Item(f"{i['pack']}, {i['item']}: {i['note']}") for i in data["inferences"]])
    for pack, flows in data.get("compat", {}).items():
        for flow in flows:
            doc.heading(f"With and without {pack}: flow {flow['flow']}")
            doc.items(_compat_items(flow))
    return doc


def _compat_items(flow: dict[str, Any]) -> list[Item]:
    if "skipped" in flow:
        return [Item(f"not compared: {flow['skipped']}")]
    more, changed = flow["needs_more_answers"], flow["outcome_changes"]
    short = flow["minimal_breaks"]

    def needs(e: dict[str, Any], run: str) -> str:
        return f"{run} now needs: " + ", ".join(f"--{q}" for q in e["missing"])

    items = [
        Item(
            f"{short['count']} of {short['of']} shortest complete answer sets (only the "
            "answers that matter, as scripts give them) now need more answers",
            notes=[needs(e, e["run"]) for e in short["examples"]],
        ),
        Item(
            f"{more['count']} of {flow['answers_before']} complete answer sets now need "
            "more answers (scripts that give them would stop with exit 2)",
            notes=[needs(e, _answers(e["answers"])) for e in more["examples"]],
        ),
        Item(
            f"{changed['count']} of {flow['combinations']} answer combinations change outcome",
            notes=[
                f"{_answers(e['answers'])}: {e['before'] or 'no outcome'} -> "
                f"{e['after'] or 'no outcome'} (rule {e['rule']}, {e['pack']})"
                for e in changed["examples"]
            ],
        ),
    ]
    for key, verb in (("advice_added", "added"), ("advice_removed", "removed")):
        for rule, seen in flow[key].items():
            items.append(
                Item(
                    f"advice '{rule}' {verb} in {seen['count']} answer combinations",
                    notes=[_answers(e["answers"]) for e in seen["examples"]],
                )
            )
    return items


def _answers(answers: dict[str, str]) -> str:
    return " ".join(f"--{q} {v}" for q, v in answers.items())


def _flow_item(flow: dict[str, Any]) -> Item:
    if flow["owner"] is None:
        return Item(f"{flow['id']}: no loaded pack owns it; not checked")
    if flow["outcomes_reached"] is None:
        text = f"{flow['id']}: {flow['combinations']} answer combinations, too many to try"
    else:
        reached = f"{len(flow['outcomes_reached'])} of {len(flow['outcomes'])} outcomes reached"
        gaps = f"{flow['gaps']} with no outcome" if flow["gaps"] else "no gaps"
        conflicts = f"{flow['conflicts']} with two" if flow["conflicts"] else "no conflicts"
        text = (
            f"{flow['id']}: {flow['combinations']} answer combinations "
            f"{'tried' if flow['enumerated'] else 'checked with decision diagrams'}, {gaps}, "
            f"{conflicts}; {reached}"
        )
    return Item(text, notes=[f"packs: {', '.join(flow['packs'])} (owner {flow['owner']})"])


def _problem_item(problem: dict[str, Any]) -> Item:
    place = problem["file"]
    if place and problem.get("line") and not problem["message"].startswith("line "):
        place += f":{problem['line']}"
    where = [problem["pack"]] + [x for x in (place, problem["item"]) if x]
    if problem["field"]:
        where.append(f"field '{problem['field']}'")
    return Item(problem["message"], label=f"{problem['severity']}: {', '.join(where)}:")


def _count(n: int, noun: str) -> str:
    return f"{'no' if n == 0 else n} {noun}{'' if n == 1 else 's'}"
