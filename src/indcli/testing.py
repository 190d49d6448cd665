"""Test helpers for indcli and for pack authors, and a pytest plugin with fixtures.

Build an :class:`~indcli.app.App` from pack modules registered in-process, so a test
sees exactly the packs it names and nothing installed on the machine, then run the CLI
against it with click's :class:`~click.testing.CliRunner`::

    import my_pack

    from indcli.testing import make_app, run

    def test_my_topic():
        result = run(make_app(my_pack), ["explain", "my-topic", "--format", "json"])
        assert result.exit_code == 0

indcli registers this module as a pytest plugin (entry point ``pytest11``), so a pack's
tests can also use its fixtures, ``indcli_app_factory(*packs, environ=None) -> App`` and
``indcli_run(args, *packs, input=None, environ=None) -> click.testing.Result``, without
importing them::

    import indcli_partner_permit
    import my_pack

    from indcli.testing import check_packs, route_answers

    def test_my_pack(indcli_app_factory, indcli_run):
        app = indcli_app_factory(indcli_partner_permit, my_pack)
        assert check_packs(app, "my-pack") == []
        assert route_answers(app, {"eu-long-term-resident": "yes"})["outcome"]["id"] == ...
        assert indcli_run(["explain", "my-topic"], my_pack).exit_code == 0

pytest is only imported when it is installed, for the fixtures; the helpers work without.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner, Result

from indcli.app import App
from indcli.errors import PackError
from indcli.packs.loading import PackSource

if TYPE_CHECKING:
    from indcli.checks.report import Problem

TEST_ENVIRON = {"INDCLI_NO_CACHE": "1"}


def make_app(
    *packs: ModuleType | PackSource,
    environ: Mapping[str, str] | None = None,
    interactive: bool = False,
    allow_failures: bool = False,
) -> App:
    """An App with exactly ``packs`` (modules or :class:`PackSource`), cache off.

    A pack that fails to load raises :class:`~indcli.errors.PackError` here, naming it and
    why, so one typo is one clear failure; pass ``allow_failures=True`` to test failures.
    """
    from indcli.commands.support.registry import reserved_names

    app = App(
        list(packs),
        {**TEST_ENVIRON, **(environ or {})},
        interactive=interactive,
        reserved=reserved_names(),
    )
    if not allow_failures:
        failed = app.load_catalog().failed
        if failed:
            raise PackError(
                "; ".join(f"pack {p.name} failed to load: {p.error}" for p in failed)
                + " (make_app(..., allow_failures=True) to test a failure)",
                pack=failed[0].name,
            )
    return app


def run(app: App, args: Sequence[str], input: str | bytes | None = None, **kwargs: Any) -> Result:
    """Run ``indcli ARGS`` against ``app``; stdout and stderr are kept apart."""
    from indcli.cli import cli

    return _runner().invoke(cli, list(args), input=input, obj=app, prog_name="indcli", **kwargs)


def _runner() -> CliRunner:
    """A CliRunner that keeps stderr apart: click 8.2+ always does; before, mixing it into
    stdout was the default (and ``result.stderr`` raised)."""
    import inspect

    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    return CliRunner()


def route_answers(
    app: App, answers: Mapping[str, str], flow: str = "partner-permit"
) -> dict[str, Any]:
    """The ``--format json`` result of routing ``answers`` through ``flow``.

    Raises ValueError when the flow is not loaded, when answers that matter are missing
    (naming them), or when no outcome matches (a gap); click.UsageError for an unknown
    question or choice, as ``indcli route`` does.
    """
    from indcli.commands.support.answers import check_answers
    from indcli.output.route_result import lookup_flow, route_result
    from indcli.routing.engine import ContentGap, MissingAnswers

    catalog = app.load_catalog()
    try:
        loaded = lookup_flow(catalog, flow)
        result = route_result(
            catalog,
            loaded,
            answers,
            lambda f, a: check_answers(f, a, "answers"),
            strict=app.strict,
        )
    except LookupError as exc:
        raise ValueError(str(exc)) from None
    except MissingAnswers as exc:
        raise ValueError(
            f"answers still needed for flow '{flow}': {', '.join(exc.missing)}"
        ) from None
    except ContentGap:
        raise ValueError(f"no outcome of flow '{flow}' matches these answers (a gap)") from None
    return result.to_dict()


def check_packs(app: App, *names: str) -> list[Problem]:
    """What ``indcli check NAMES`` reports (every loaded pack's problems without names)."""
    from indcli.checks.runner import check_catalog
    from indcli.packs.discovery import normalise

    catalog = app.load_catalog()
    known = {normalise(p.name) for p in catalog.packs}
    unknown = [n for n in names if normalise(n) not in known]
    if unknown:
        raise ValueError(f"no pack {', '.join(unknown)} in this app; it has: {sorted(known)}")
    report = check_catalog(catalog)
    return (report.only(names, load_problems=app.strict) if names else report).problems


def check_quotes(
    app: App, source: str, page_file: str | os.PathLike[str], *packs: str
) -> list[Problem]:
    """What ``indcli check [PACKS] --source-file SOURCE=PAGE_FILE`` reports: each quote of
    ``packs`` (every loaded pack without names) citing ``source`` that is not, as quoted,
    on the saved page (HTML or text), with its content file and line. ValueError when no
    loaded item cites ``source`` (nothing would be checked) or the page cannot be read."""
    from indcli.checks.source_drift import (
        Page,
        PageError,
        cited_sources,
        page_paragraphs,
        quote_problems,
        read_page,
    )

    catalog = app.load_catalog()
    contents = [c for p in catalog.packs if p.status == "loaded" for c in p.content]
    if source not in cited_sources(contents):
        raise ValueError(f"no loaded item cites source '{source}', so no quote was checked")
    try:
        page = Page(page_paragraphs(read_page(os.fspath(page_file))), os.fspath(page_file))
    except (OSError, PageError) as exc:
        raise ValueError(f"cannot use {os.fspath(page_file)} as a page: {exc}") from None
    return quote_problems(catalog, {("", source): page}, packs)[0]


try:
    import pytest
except ImportError:  # pragma: no cover - the helpers above work without pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture
    def indcli_app_factory() -> Callable[..., App]:
        """``indcli_app_factory(*packs, environ=None) -> App`` with exactly those packs."""
        return make_app

    @pytest.fixture
    def indcli_run() -> Callable[..., Result]:
        """``indcli_run(args, *packs, input=None, environ=None)``: run indcli with ``packs``.

        Each call builds a fresh App; use ``run(app, args)`` to reuse one.
        """

        def run_with(
            args: Sequence[str],
            *packs: ModuleType | PackSource,
            input: str | bytes | None = None,
            environ: Mapping[str, str] | None = None,
        ) -> Result:
            return run(make_app(*packs, environ=environ), args, input=input)

        return run_with
