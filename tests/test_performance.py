"""Performance guards that are not timed: what the fast paths must not do.

Speed targets live in benchmarks/bench.py (see docs/performance.md), never in tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import PACKS, SHIPPED

from indcli.packs import content_cache
from indcli.testing import make_app, run

ROUTE = [
    "route", "--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no",
    "--prefer", "online", "--dutch-bank", "yes", "--digid", "sms", "--partner-permit", "no",
    "--format", "json",
]  # fmt: skip
PROBE = """
import runpy, sys, json, atexit
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["indcli", *sys.argv[1:]]
runpy.run_module("indcli", run_name="__main__")
"""


def imported_modules(args: list[str], tmp_path) -> set[str]:
    env = {
        **os.environ,
        "INDCLI_CACHE_DIR": str(tmp_path / "cache"),
        "INDCLI_LOAD_PLUGINS": SHIPPED,
    }
    for _ in range(2):  # the first run fills the content cache
        proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                              text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [ROUTE, ["--help"], ["explain", "public-funds", "--format", "json"], ["route", "--help"]],
)
def test_scripted_calls_never_import_prompts_or_pydantic(tmp_path, args):
    modules = imported_modules(args, tmp_path)
    assert "indcli.cli" in modules
    assert "pluggy" in modules  # the design's plugin system runs on every call
    heavy_modules = ("questionary", "prompt_toolkit", "pydantic", "importlib.metadata")
    # records, not dataclasses (utils/records.py): a dataclass costs ~1 ms to define
    for heavy in (*heavy_modules, "dataclasses"):
        assert heavy not in modules, f"{heavy} imported by indcli {' '.join(args)}"
    assert "indcli.output.files" not in modules  # only to write a file (--output)
    # with every answer given, routing builds no decision diagram and enumerates nothing
    assert not {"indcli.routing.diagram", "indcli.routing.combinations"} & modules
    if args == ["--help"]:  # core commands are listed from the registry's summaries
        assert not {"indcli.commands.check", "indcli.commands.explain"} & modules


def test_a_model_change_invalidates_the_cache(tmp_path, monkeypatch):
    environ = {"INDCLI_CACHE_DIR": str(tmp_path), "INDCLI_NO_CACHE": ""}
    first = make_app(*PACKS, environ=environ)
    first.catalog  # noqa: B018
    assert first.loader.validated == 3
    again = make_app(*PACKS, environ=environ)
    again.catalog  # noqa: B018
    assert again.loader.validated == 0
    monkeypatch.setattr(content_cache, "_fingerprint", "a different core")
    changed = make_app(*PACKS, environ=environ)
    changed.catalog  # noqa: B018
    assert changed.loader.validated == 3


def test_batch_routes_every_line_and_reports_bad_ones(tmp_path):
    cases = tmp_path / "cases.jsonl"
    good = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}
    lines = [json.dumps(good)] * 3 + ['{"digid": "maybe"}', "", "[1]"] + [json.dumps(good)]
    cases.write_text("\n".join(lines) + "\n")
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 6, 7]  # blank line 5 skipped
    assert [r.get("outcome") for r in records] == ["paper-family-member"] * 3 + [None] * 2 + [
        "paper-family-member"
    ]
    assert "'digid'" in records[3]["error"]["message"]
    assert records[4]["error"]["message"] == "a line must be one JSON object of answers, not a list"
    assert records[0]["steps"] == ["paper-download", "paper-fill-out", "paper-send-by-mail"]
    assert "2 line(s) could not be routed" in result.stderr


def test_batch_options_are_defaults_and_missing_answers_are_named(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"temporary-permit": "yes"}\n{"eu-long-term-resident": "yes"}\n')
    result = run(
        make_app(*PACKS), ["route", "--batch", str(cases), "--eu-long-term-resident", "no"]
    )
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["error"]["message"] == "missing answers: --partner-abroad (yes|no)"
    assert second["outcome"] == "eu-long-term-resident"


def test_batch_to_a_file_is_atomic(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"eu-long-term-resident": "yes"}\n')
    target = tmp_path / "out.jsonl"
    result = run(make_app(*PACKS), ["route", "--batch", str(cases), "--output", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["outcome"] == "eu-long-term-resident"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_batch_reads_stdin_and_cuts_overlong_lines(tmp_path):
    data = '{"eu-long-term-resident": "yes"}\n' + '{"x": "' + "a" * 70_000 + '"}\n'
    result = run(make_app(*PACKS), ["route", "--batch", "-"], input=data)
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["outcome"] == "eu-long-term-resident"
    assert second == {"line": 2, "error": {"code": 2, "message": "longer than 64 KiB"}}


def test_batch_routes_each_distinct_line_once_and_reports_every_line(tmp_path, monkeypatch):
    from indcli.commands.support import batch

    routed = []
    real = batch._result
    monkeypatch.setattr(batch, "_result", lambda *a, **k: routed.append(a[2]) or real(*a, **k))
    good, bad = '{"eu-long-term-resident": "yes"}\n', '{"digid": "maybe"}\n'
    spaced = '{"eu-long-term-resident":  "yes"}\n'  # other bytes: routed on its own
    cases = tmp_path / "cases.jsonl"
    cases.write_text(good * 3 + bad * 2 + spaced + good)
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.get("outcome", "error") for r in records] == [
        *["eu-long-term-resident"] * 3,
        "error",
        "error",
        *["eu-long-term-resident"] * 2,
    ]
    assert "2 line(s) could not be routed" in result.stderr  # each bad line counts
    assert [line.decode() for line in routed] == [good, bad, spaced]
