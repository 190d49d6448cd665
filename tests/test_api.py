"""``indcli.api``: the public API equals the CLI, raises typed errors, and is what packs use."""

from __future__ import annotations

import ast
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PACKS

from indcli import api
from indcli.testing import make_app, run

REPO = Path(__file__).resolve().parents[1]
FLOW = "partner-permit"


def _app():
    return api.load(packs=PACKS, environ={"INDCLI_NO_CACHE": "1"})


def test_api_route_equals_the_cli_json_for_every_combination():
    app = _app()
    cli_app = make_app(*PACKS)
    flow = app.load_catalog().flow(FLOW)
    combos = list(itertools.product(*(q.choice_ids for q in flow.questions)))
    assert len(combos) == 384
    for combo in combos:
        answers = dict(zip(flow.question_ids, combo, strict=True))
        flags = [part for q, v in answers.items() for part in (f"--{q}", v)]
        result = run(cli_app, ["route", "--no-input", "--format", "json", *flags])
        assert result.exit_code == 0, result.stderr
        assert api.route(answers, app=app).to_dict() == json.loads(result.stdout), answers


def test_batch_records_come_from_the_same_result(tmp_path):
    app = _app()
    answers = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(answers) + "\n")
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    record = json.loads(result.stdout)
    assert record.pop("line") == 1
    assert record == api.route(answers, app=app).to_record()


def test_missing_answers_name_the_questions_still_needed():
    with pytest.raises(api.MissingAnswers) as caught:
        api.route({"eu-long-term-resident": "no"}, app=_app())
    assert caught.value.missing[0] == "temporary-permit"
    assert "partner-abroad" in caught.value.missing
    assert caught.value.choices["temporary-permit"] == ["yes", "no"]
    assert isinstance(caught.value, api.RouteError)


@pytest.mark.parametrize(
    ("answers", "question", "value", "unknown"),
    [
        ({"temporary-permit": "maybe"}, "temporary-permit", "maybe", False),
        ({"temporary-permit": 1}, "temporary-permit", 1, False),
        ({"no-such-question": "yes"}, "no-such-question", "yes", True),
    ],
)
def test_invalid_answers_are_typed(answers, question, value, unknown):
    with pytest.raises(api.InvalidAnswer) as caught:
        api.route(answers, app=_app())
    error = caught.value
    assert (error.question, error.value, error.unknown_question) == (question, value, unknown)
    assert error.allowed and isinstance(error, ValueError)


def test_a_gap_in_the_content_is_a_content_gap(tmp_path):
    from conftest import flow_toml, make_pack, outcome_toml, question_toml, rule_toml

    gap = make_pack(
        "indcli-gappy",
        tmp_path,
        flow_toml(
            "gappy",
            question_toml("a"),
            outcome_toml("one"),
            rule_toml("only-yes", '{ question = "a", is = "yes" }', outcome='"one"'),
            title="A flow with a gap",
        ),
    )
    app = api.load(packs=[gap], environ={"INDCLI_NO_CACHE": "1"})
    assert api.route({"a": "yes"}, flow="gappy", app=app).outcome_id == "one"
    with pytest.raises(api.ContentGap):
        api.route({"a": "no"}, flow="gappy", app=app)


def test_explain_and_guide_equal_their_commands():
    app, cli_app = _app(), make_app(*PACKS)
    topic = run(cli_app, ["explain", "public-funds", "--format", "json"])
    assert api.explain("public-funds", app=app) == json.loads(topic.stdout)
    steps = run(cli_app, ["berichtenbox-steps", "--format", "json"])
    assert api.guide("berichtenbox", app=app) == json.loads(steps.stdout)
    with pytest.raises(LookupError):
        api.explain("no-such-topic", app=app)
    with pytest.raises(LookupError):
        api.route({}, flow="no-such-flow", app=app)


def test_load_by_name_chooses_installed_packs():
    app = api.load(names=["indcli-partner-permit"], environ={"INDCLI_NO_CACHE": "1"})
    assert app.environ["INDCLI_LOAD_PLUGINS"] == "indcli-partner-permit"


def test_every_public_name_resolves_and_importing_the_api_imports_nothing_heavy():
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    code = (
        "import sys, indcli.api; "
        "print(sorted(m for m in sys.modules if m.startswith(('indcli.', 'pydantic', 'click'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # hookspecs holds indcli.hookimpl, pluggy's marker without pluggy: no imports of its own
    assert out.stdout.strip() == "['indcli.api', 'indcli.hookspecs']"


def test_type_checkers_see_what_the_lazy_loader_loads():
    """api.py's TYPE_CHECKING imports are _LAZY's names from _LAZY's modules, and
    __all__ lists them and the API's own functions."""
    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    (block,) = [
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    ]
    imported = {
        alias.name: f"{node.module}:{alias.name}"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == api._LAZY
    own = set(api.__all__) - set(api._LAZY)
    assert own == {"explain", "guide", "load", "route"}
    assert all(getattr(api, name).__module__ == "indcli.api" for name in own)


# A pack author's code as a type checker reads it: the lines marked "# E" are errors.
AUTHOR_CODE = """
from indcli import api

result: api.RouteResult = api.route({"digid": "sms"})
doc = api.Doc("Title")  # a default made fresh may be left out
doc.title = "Another"  # a mutable record's field may change
doc.blocks.append(("heading", "Steps"))
api.Doc(title=1)  # E: a field's type
api.Item()  # E: a field without a default
api.Doc("Title", [], "extra")  # E: more fields than the record has
citation = api.Citation("IND", "https://ind.nl", "Title", "A quote.", "2026-01-01")
citation.quote = "Another quote."  # E: a record never changes
api.route(answers=["digid"])  # E: the API's own signatures
api.NoSuchName  # E: a name the API does not have
"""


def test_a_type_checker_reads_the_api_and_its_records(tmp_path):
    pytest.importorskip("mypy")
    (tmp_path / "author.py").write_text(AUTHOR_CODE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
         "author.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    errors = {int(m) for m in re.findall(r"^author\.py:(\d+): error", proc.stdout, flags=re.M)}
    marked = {i for i, line in enumerate(AUTHOR_CODE.splitlines(), 1) if "# E:" in line}
    assert errors == marked, proc.stdout


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


@pytest.mark.parametrize("block", _python_blocks((REPO / "docs" / "api.md").read_text()))
def test_the_examples_in_api_md_run(block, monkeypatch):
    """docs/api.md's examples run as written, against the shipped packs in-process."""
    app = _app()
    monkeypatch.setattr(api, "_default", app)
    # names= would pick installed packs; in tests only in-process ones take part
    monkeypatch.setattr(api, "load", lambda packs=None, names=None, environ=None: app)
    exec(compile(block, "docs/api.md", "exec"), {})


def test_every_route_result_matches_indcli_schema_route():
    import jsonschema

    from indcli.output.route_schema import route_schema

    app = _app()
    validator = jsonschema.Draft202012Validator(route_schema())
    flow = app.load_catalog().flow(FLOW)
    for combo in itertools.product(*(q.choice_ids for q in flow.questions)):
        answers = dict(zip(flow.question_ids, combo, strict=True))
        validator.validate(api.route(answers, app=app).to_dict())
