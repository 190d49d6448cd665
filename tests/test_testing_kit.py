"""indcli.testing as pack authors use it: helpers, and fixtures through the pytest plugin."""

from __future__ import annotations

import json
import subprocess
import sys

import indcli_partner_permit
import pytest
from conftest import ONLINE as ONLINE_NO_PERMIT
from conftest import PACKS, failing_app, make_pack, topic_toml

from indcli.testing import check_packs, make_app, route_answers, run

pytest_plugins = ["pytester"]

ONLINE = {**ONLINE_NO_PERMIT, "partner-permit": "yes"}


def test_route_answers_is_what_the_cli_prints():
    app = make_app(*PACKS)
    data = route_answers(app, ONLINE)
    assert data["outcome"]["id"] == "online-partner-has-permit"
    args = [part for q, v in ONLINE.items() for part in (f"--{q}", v)]
    cli = run(app, ["route", "--no-input", "--format", "json", *args])
    assert json.loads(cli.stdout) == json.loads(json.dumps(data))


def test_route_answers_says_what_is_wrong():
    app = make_app(*PACKS)
    with pytest.raises(ValueError, match="answers still needed for flow 'partner-permit': "):
        route_answers(app, {"eu-long-term-resident": "no"})
    with pytest.raises(ValueError, match="flow 'other' is not loaded"):
        route_answers(app, ONLINE, flow="other")
    with pytest.raises(Exception, match="not a valid answer"):
        route_answers(app, {"prefer": "fax"})


def test_check_packs(tmp_path):
    assert [p for p in check_packs(failing_app(*PACKS)) if p.severity == "error"] == []
    broken = make_pack("indcli-broken", tmp_path, topic_toml("x").replace("title", "titel"))
    (problem,) = check_packs(failing_app(*PACKS, broken), "indcli-broken")
    assert problem.severity == "error" and "titel" in problem.message
    with pytest.raises(ValueError, match="no pack indcli-nope"):
        check_packs(failing_app(*PACKS), "indcli-nope")


def test_a_pack_authors_test_suite_runs_with_the_plugin(pytester, monkeypatch):
    # In its own process, loading the plugin the same way with or without the entry point.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(
        """
        import indcli_partner_permit
        import indcli_public_funds

        from indcli.testing import check_packs, route_answers


        def test_route(indcli_app_factory):
            app = indcli_app_factory(indcli_partner_permit, indcli_public_funds)
            data = route_answers(app, {"eu-long-term-resident": "yes"})
            assert data["outcome"]["id"] == "eu-long-term-resident"
            assert not [p for p in check_packs(app) if p.severity == "error"]


        def test_cli(indcli_run):
            result = indcli_run(["explain", "public-funds"], indcli_public_funds)
            assert result.exit_code == 0
            assert "Benefit from public funds" in result.stdout
            assert indcli_run(["route"], indcli_public_funds).exit_code == 2  # not loaded


        def test_factory_takes_exactly_the_packs_named(indcli_app_factory):
            app = indcli_app_factory(indcli_public_funds, environ={"INDCLI_LOAD_PLUGINS": ""})
            assert [p.status for p in app.load_catalog().packs] == ["disabled"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "indcli.testing", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_helpers_import_without_pytest():
    code = (
        "import sys; sys.modules['pytest'] = None\n"
        "import indcli.testing as t\n"
        "assert callable(t.make_app) and not hasattr(t, 'indcli_run')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_make_app_still_takes_modules_and_sources(tmp_path):
    app = make_app(indcli_partner_permit, make_pack("indcli-x", tmp_path, topic_toml("x")))
    assert [p.status for p in app.load_catalog().packs] == ["loaded", "loaded"]


def test_check_quotes_finds_a_quote_that_left_the_page(tmp_path):
    from conftest import SEED

    from indcli.testing import check_quotes

    app = make_app(*PACKS)
    assert check_quotes(app, "ind-partner-forms", SEED) == []
    changed = tmp_path / "page.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("iDeal", "iDEAL"), "utf-8")
    problems = check_quotes(app, "ind-partner-forms", changed, "indcli-partner-permit")
    assert problems and {p.pack for p in problems} == {"indcli-partner-permit"}
    assert all(p.file == "content.toml" and p.line for p in problems)
    with pytest.raises(ValueError, match="no loaded item cites source 'nope'"):
        check_quotes(app, "nope", SEED)
