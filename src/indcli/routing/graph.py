"""A routing flow drawn as a graph (Mermaid or Graphviz DOT), for content authors.

The drawing is the decision diagram the engine itself walks: from no answers, the
question :func:`indcli.routing.engine.route` asks next, one edge per choice, until routing is
done. So the graph shows exactly the questions a person is asked, in that order, and
where each path ends; it cannot drift from what ``indcli route`` does. Outcome nodes are
shared by every path that reaches them. Advice that applies on every path to an outcome
is listed on the outcome; advice that depends on the path is listed on the edge into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indcli.routing import engine
from indcli.routing.flow import Flow

MAX_QUESTION_NODES = 500  # beyond this a drawing is unreadable, and slow to build


@dataclass
class Graph:
    """Nodes ``(id, kind, label)`` with kind question, outcome or gap; edges ``(a, b, label)``."""

    nodes: list[tuple[str, str, str]] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    questions: int = 0  # question nodes so far (they are numbered q1, q2, ...)


@dataclass
class _Leaf:
    parent: str | None  # None: routing is done before any question
    choice: str
    decision: engine.Decision


def decision_graph(flow: Flow) -> Graph:
    """Walk the flow as the engine routes it; raise ValueError if it is too big to draw."""
    graph = Graph()
    leaves: list[_Leaf] = []
    _visit(flow, {}, None, "", graph, leaves)
    by_outcome: dict[str, list[_Leaf]] = {}
    for leaf in leaves:
        by_outcome.setdefault(leaf.decision.outcome or "", []).append(leaf)
    edges: dict[tuple[str, str, str], list[str]] = {}  # (from, to, extra advice) -> choices
    for n, (outcome_id, group) in enumerate(by_outcome.items(), 1):
        node = f"o{n}"
        advice = [[r.id for r in leaf.decision.advice] for leaf in group]
        common = [a for a in advice[0] if all(a in other for other in advice)]
        if outcome_id:
            kind, label = "outcome", f"{outcome_id}\n{flow.outcomes[outcome_id].title}"
        else:
            kind, label = "gap", "no outcome: a gap in the rules"
        if common:
            label += "\nadvice: " + ", ".join(common)
        graph.nodes.append((node, kind, label))
        for leaf, ids in zip(group, advice, strict=True):
            if leaf.parent is not None:
                extra = ", ".join(a for a in ids if a not in common)
                edges.setdefault((leaf.parent, node, extra), []).append(leaf.choice)
    for (a, b, extra), choices in edges.items():
        graph.edges.append((a, b, ", ".join(choices) + (f"\n+ {extra}" if extra else "")))
    return graph


def _visit(
    flow: Flow,
    answers: dict[str, str],
    parent: str | None,
    choice: str,
    graph: Graph,
    leaves: list[_Leaf],
) -> None:
    result = engine.route(flow, answers)
    if result.next_question is None:  # done: no missing answer can change the result
        leaves.append(_Leaf(parent, choice, result.decision))
        return
    graph.questions += 1
    if graph.questions > MAX_QUESTION_NODES:
        raise ValueError(
            f"flow '{flow.id}' needs more than {MAX_QUESTION_NODES} question nodes to draw"
        )
    question = flow.question(result.next_question)
    node = f"q{graph.questions}"
    graph.nodes.append((node, "question", f"{question.id}\n{question.prompt}"))
    if parent is not None:
        graph.edges.append((parent, node, choice))
    for c in question.choice_ids:
        _visit(flow, {**answers, question.id: c}, node, c, graph, leaves)


# --- Mermaid -------------------------------------------------------------------------

_MERMAID_SHAPES = {"question": ('["', '"]'), "outcome": ('(["', '"])'), "gap": ('{{"', '"}}')}


def to_mermaid(flow: Flow) -> str:
    """A Mermaid ``flowchart`` of the flow (paste into Markdown that renders Mermaid)."""
    graph = decision_graph(flow)
    lines = ["flowchart TD"]
    for node, kind, label in graph.nodes:
        start, end = _MERMAID_SHAPES[kind]
        lines.append(f"    {node}{start}{_mermaid_text(label)}{end}")
    for a, b, label in graph.edges:
        lines.append(f'    {a} -->|"{_mermaid_text(label)}"| {b}')
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: entity codes, ``<br>`` for new lines."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    for char in "`|":
        text = text.replace(char, f"#{ord(char)};")
    return text.replace("\n", "<br>")


# --- Graphviz DOT --------------------------------------------------------------------

_DOT_SHAPES = {
    "question": "shape=box",
    "outcome": 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
    "gap": 'shape=octagon, style=filled, fillcolor="#fde8e8"',
}


def to_dot(flow: Flow) -> str:
    """A Graphviz ``digraph`` of the flow (render with ``dot -Tsvg``)."""
    graph = decision_graph(flow)
    lines = [f"digraph {_dot_text(flow.id)} {{", "    rankdir=TB;"]
    for node, kind, label in graph.nodes:
        lines.append(f"    {node} [{_DOT_SHAPES[kind]}, label={_dot_text(label)}];")
    for a, b, label in graph.edges:
        lines.append(f"    {a} -> {b} [label={_dot_text(label)}];")
    return "\n".join(lines) + "\n}\n"


def _dot_text(text: str) -> str:
    """A quoted DOT string; a new line becomes DOT's centred line break ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'
