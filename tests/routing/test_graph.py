"""Routing flows drawn as Mermaid and DOT graphs."""

from __future__ import annotations

import re

import indcli_partner_permit
from conftest import flow_toml, make_pack, outcome_toml, question_toml, rule_toml

from indcli.routing.graph import decision_graph, to_dot, to_mermaid
from indcli.testing import make_app

OUTCOMES = (
    "online-partner-no-permit",
    "online-partner-has-permit",
    "paper-family-member",
    "eu-long-term-resident",
)
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')  # a DOT string, escapes included

# A prompt and a title full of characters each syntax must escape; a=no is a gap.
AWKWARD = flow_toml(
    "awkward",
    question_toml("a", prompt="""'Say "hi" to <b>#1</b> | {x} \\ back?'"""),
    outcome_toml("done", title="""'Done "quoted" [x]'"""),
    rule_toml("a-done", '{ question = "a", is = "yes" }', outcome='"done"'),
    title="Awkward",
)


def partner_permit():
    return make_app(indcli_partner_permit).catalog.flows["partner-permit"]


def awkward(tmp_path):
    return make_app(make_pack("indcli-awkward", tmp_path, AWKWARD)).catalog.flows["awkward"]


def test_mermaid_shows_every_outcome_of_partner_permit():
    text = to_mermaid(partner_permit())
    assert text.startswith("flowchart TD\n")
    for outcome in OUTCOMES:
        assert outcome in text
    assert '-->|"yes"|' in text and '-->|"online"|' in text


def test_outcome_nodes_are_shared_and_advice_is_placed():
    graph = decision_graph(partner_permit())
    outcomes = [label for _, kind, label in graph.nodes if kind == "outcome"]
    assert sorted(label.split("\n")[0] for label in outcomes) == sorted(OUTCOMES)
    assert any("advice: " in label and "follow-in-my-ind" in label for label in outcomes)
    assert any("+ digid-apply-first" in label for _, _, label in graph.edges)
    first = next(label for node, _, label in graph.nodes if node == "q1")
    assert first.startswith("eu-long-term-resident\n")


def test_dot_is_well_formed():
    text = to_dot(partner_permit())
    assert text.startswith('digraph "partner-permit" {')
    bare = QUOTED.sub('""', text)  # braces and arrows inside labels do not count
    assert bare.count("{") == bare.count("}") == 1 and bare.rstrip().endswith("}")
    declared = set(re.findall(r"^\s+(\w+) \[", bare, re.MULTILINE))
    edges = re.findall(r"^\s+(\w+) -> (\w+) \[", bare, re.MULTILINE)
    assert edges and {node for edge in edges for node in edge} <= declared
    for outcome in OUTCOMES:
        assert f'label="{outcome}\\n' in text


def test_labels_are_escaped_for_each_syntax(tmp_path):
    flow = awkward(tmp_path)
    mermaid = to_mermaid(flow)
    assert "Say #quot;hi#quot; to #lt;b#gt;#35;1#lt;/b#gt; #124; {x} \\ back?" in mermaid
    for line in mermaid.splitlines()[1:]:
        assert line.count('"') == 2, line  # only the quotes around the label
    dot = to_dot(flow)
    assert 'Say \\"hi\\" to <b>#1</b> | {x} \\\\ back?' in dot
    assert 'Done \\"quoted\\" [x]' in dot
    for line in dot.splitlines()[1:-1]:
        assert len(QUOTED.findall(line)) == len(re.findall(r'(?<!\\)"', line)) // 2


def test_a_gap_is_drawn_as_its_own_node(tmp_path):
    graph = decision_graph(awkward(tmp_path))
    kinds = {label.split("\n")[0]: kind for _, kind, label in graph.nodes}
    assert kinds["done"] == "outcome" and kinds["no outcome: a gap in the rules"] == "gap"
    assert [label for _, _, label in graph.edges] == ["yes", "no"]
    assert "{{" in to_mermaid(awkward(tmp_path))
