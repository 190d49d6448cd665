"""Relevant questions from decision diagrams, against the slow enumerating definition,
and flows far too big to enumerate routed by every entry point.

The shapes at scale are the ones issue 19 measured: two 20-choice questions with one
advice rule each, and 24 yes/no questions with 200 advice rules, added to the shipped
flow by a third-party pack (both valid, both within the documented limits).
"""

from __future__ import annotations

import itertools
import json

import indcli_partner_permit
import pytest
from conftest import CITE, make_pack
from flowgen import random_flow

from indcli import api
from indcli.routing import engine
from indcli.routing.diagram import flow_diagrams
from indcli.testing import make_app, run


def _subsets(flow):
    """Every partial answer set of ``flow`` (each question unanswered or one choice)."""
    options = [[None, *q.choice_ids] for q in flow.questions]
    for combo in itertools.product(*options):
        yield {q.id: v for q, v in zip(flow.questions, combo, strict=True) if v is not None}


def test_relevant_questions_equal_the_enumeration_on_the_shipped_flow(all_packs):
    flow = all_packs.load_catalog().flow("partner-permit")
    checked = 0
    for answers in _subsets(flow):
        assert engine.relevant_questions(flow, answers) == engine.relevant_by_enumeration(
            flow, answers
        ), answers
        checked += 1
    assert checked == 3**7 * 4  # seven yes/no questions and one with three choices


@pytest.mark.parametrize("seed", range(60))
def test_relevant_questions_equal_the_enumeration_on_random_flows(seed):
    flow = random_flow(seed)
    for answers in _subsets(flow):
        expected = engine.relevant_by_enumeration(flow, answers)
        assert engine.relevant_questions(flow, answers) == expected, answers
        reachable = {engine.decide(flow, full).outcome for full in _completions(flow, answers)} - {
            engine.NO_OUTCOME
        }
        assert set(engine.reachable_outcomes(flow, answers)) == reachable


def _completions(flow, answers):
    missing = [q for q in flow.questions if q.id not in answers]
    for combo in itertools.product(*(q.choice_ids for q in missing)):
        yield {**answers, **dict(zip([q.id for q in missing], combo, strict=True))}


def test_the_diagram_counts_and_exemplifies_answer_sets():
    flow = random_flow(7)
    diagrams = flow_diagrams(flow)
    every = list(_completions(flow, {}))
    for outcome, node in diagrams.outcomes.items():
        reaching = [a for a in every if engine.decide(flow, a).outcome == outcome]
        assert diagrams.dd.count(node) == len(reaching)
        if reaching:
            assert engine.decide(flow, diagrams.dd.example(node)).outcome == outcome


# --- flows too big to enumerate ------------------------------------------------------

ANSWERS = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--public-funds", "no"]


def _question(qid: str, choices: int) -> str:
    ids = ["yes", "no"] if choices == 2 else [f"c{i}" for i in range(choices)]
    listed = ", ".join(f'{{ id = "{c}", label = "{c}" }}' for c in ids)
    return f"""
[[flows.questions]]
id = "{qid}"
order = 90
prompt = "Extra {qid}?"
help = "An extra question."
choices = [{listed}]
source = {CITE}
"""


def _advice(rule_id: str, when: str) -> str:
    return f"""
[[flows.rules]]
id = "{rule_id}"
when = {when}
advice = "warning"
text = "Extra advice."
source = {CITE}
"""


def wide_pack() -> str:
    """Two questions with twenty choices each, one advice rule each."""
    body = '[[flows]]\nid = "partner-permit"\nextends = "indcli-partner-permit"\n'
    for i in range(2):
        body += _question(f"wide-{i}", 20)
        body += _advice(f"wide-advice-{i}", f'{{ question = "wide-{i}", is = "c3" }}')
    return body


def many_pack(questions: int = 24, rules: int = 200) -> str:
    """``questions`` yes/no questions and ``rules`` advice rules over pairs of them."""
    body = '[[flows]]\nid = "partner-permit"\nextends = "indcli-partner-permit"\n'
    for i in range(questions):
        body += _question(f"extra-{i}", 2)
    for i in range(rules):
        a, b = f"extra-{i % questions}", f"extra-{(i * 7 + 1) % questions}"
        when = (
            f'{{ all = [{{ question = "{a}", is = "yes" }}, {{ question = "{b}", is = "no" }}] }}'
        )
        body += _advice(f"many-advice-{i}", when)
    return body


@pytest.fixture(params=["wide", "many"])
def big_packs(request, tmp_path):
    content = wide_pack() if request.param == "wide" else many_pack()
    return [indcli_partner_permit, make_pack("indcli-extra", tmp_path, content)]


@pytest.fixture
def big_app(big_packs):
    return make_app(*big_packs)


def _every_answer(app):
    flow = app.load_catalog().flow("partner-permit")
    return {q.id: q.choice_ids[-1] for q in flow.questions}


def test_big_flows_route_without_an_internal_error(big_app):
    flags = [x for q, v in _every_answer(big_app).items() for x in (f"--{q}", v)]
    result = run(big_app, ["route", "--no-input", "--format", "json", *flags])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"]["id"] == "paper-family-member"
    for given in (["--eu-long-term-resident", "yes"], ANSWERS):
        missing = run(big_app, ["route", "--no-input", *given])
        assert missing.exit_code == 2 and "missing answers: --" in missing.stderr
        assert "internal error" not in missing.stderr
    flow = big_app.load_catalog().flow("partner-permit")
    extra = [q.id for q in flow.questions if q.id.startswith(("wide-", "extra-"))]
    relevant = engine.relevant_questions(flow, {"eu-long-term-resident": "no"})
    assert extra and set(extra) <= set(relevant)


def test_big_flows_batch_graph_and_api(big_app, tmp_path):
    every = _every_answer(big_app)
    cases = tmp_path / "cases.jsonl"
    cases.write_text(f'{json.dumps(every)}\n{{"eu-long-term-resident": "no"}}\n')
    batch = run(big_app, ["route", "--batch", str(cases)])
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [("outcome" in x, "error" in x) for x in lines] == [(True, False), (False, True)]
    assert lines[1]["error"]["code"] == 2 and batch.exit_code == 1
    graph = run(big_app, ["route", "--graph", "mermaid"])  # drawn, or "too big to draw"
    assert graph.exit_code in (0, 1) and "internal error" not in graph.stderr, graph.stderr
    assert graph.exit_code == 0 or "more than 500 question nodes" in graph.stderr
    assert api.route(every, app=big_app).to_dict()["outcome"]["id"] == "paper-family-member"
    with pytest.raises(api.MissingAnswers) as missing:
        api.route({"eu-long-term-resident": "no"}, app=big_app)
    assert missing.value.missing


def test_big_flows_start_the_interview(big_packs, monkeypatch):
    """Two questions answered at a terminal, then Ctrl-C: the relevant questions were
    worked out at each step, and the stop is the usual one (exit 130, a resume line)."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from indcli.commands.support import prompts

    shown = []
    original = prompts.select

    def recording(message, choices, help_text=None, default=None, **kw):
        shown.append(message)
        return original(message, choices, help_text, default, **kw)

    monkeypatch.setattr(prompts, "select", recording)
    with create_pipe_input() as pipe:
        pipe.send_text("1\r1\r\x03")  # the first choice twice, then Ctrl-C
        with create_app_session(input=pipe, output=DummyOutput()):
            result = run(make_app(*big_packs, interactive=True), ["route"])
    assert result.exit_code == 130, result.stderr
    assert "internal error" not in result.stderr
    assert len(shown) == 3 and "--eu-long-term-resident yes" in " ".join(result.stderr.split())


def hostile_pack(pairs: int = 12) -> str:
    """Advice when x_i == y_i for every i, the x questions asked before the y ones: the
    textbook case whose decision diagram doubles with every pair."""
    body = '[[flows]]\nid = "partner-permit"\nextends = "indcli-partner-permit"\n'
    for side in "xy":
        for i in range(pairs):
            body += _question(f"{side}-{i}", 2)
    same = ", ".join(
        f'{{ any = [{{ all = [{{ question = "x-{i}", is = "yes" }}, '
        f'{{ question = "y-{i}", is = "yes" }}] }}, {{ all = [{{ question = "x-{i}", '
        f'is = "no" }}, {{ question = "y-{i}", is = "no" }}] }}] }}'
        for i in range(pairs)
    )
    return body + _advice("all-equal", f"{{ all = [{same}] }}")


def test_a_flow_too_intricate_to_analyse_is_one_clear_error(tmp_path, monkeypatch):
    from indcli.routing import diagram

    monkeypatch.setattr(diagram, "MAX_NODES", 1000)
    app = make_app(indcli_partner_permit, make_pack("indcli-hostile", tmp_path, hostile_pack()))
    missing = run(app, ["route", "--no-input", *ANSWERS])
    assert missing.exit_code == 3, missing.stderr
    assert "too intricate" in missing.stderr and "internal error" not in missing.stderr
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"eu-long-term-resident": "no"}\n')
    (line,) = run(app, ["route", "--batch", str(cases)]).stdout.splitlines()
    assert json.loads(line)["error"]["code"] == 3
    checked = run(app, ["check", "--format", "json"])
    assert checked.exit_code == 1
    assert any("too intricate" in p["message"] for p in json.loads(checked.stdout)["problems"])
    full = {**_every_answer(app)}
    assert api.route(full, app=app).to_dict()["outcome"]["id"]  # every answer: no diagrams
