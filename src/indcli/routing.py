"""The route command factory: a routing flow from content, as a click command.

``route_command("partner-permit")`` builds a command with one option per question of the
flow (so a question another pack adds gets its option too), answers from flags or an
answers file, prompts on a terminal for what still matters, and the result in every
format. The flow is looked up when the command runs or shows help, not when it is made.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from indcli.answers import check_answers, check_inputs, read_answers_file
from indcli.app import App
from indcli.engine import NO_OUTCOME, Route, route
from indcli.errors import IndcliError, PackError
from indcli.flow import Flow
from indcli.limits import one_line, printable
from indcli.output import emit
from indcli.pointers import resolve
from indcli.render import Doc, Item, format_param, payload, render

UNSURE = "\0unsure"  # a value no choice id can take (ids are [a-z0-9-])
ADVICE_KEYS = {
    "prerequisite": "prerequisites",
    "step": "steps",
    "follow-up": "follow_up",
    "warning": "warnings",
}


class FlowCommand(click.Command):
    """A command whose question options come from the loaded flow."""

    def __init__(self, flow_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow_id = flow_id

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        flow = _flow_or_none(ctx, self.flow_id)
        questions = [] if flow is None else [_option(q) for q in flow.questions]
        return questions + super().get_params(ctx)


def _param_name(question_id: str) -> str:
    """The click parameter of a question: prefixed, so no question shadows an option."""
    return f"q__{question_id.replace('-', '_')}"


def _option(question: dict[str, Any]) -> click.Option:
    return click.Option(
        [f"--{question['id']}", _param_name(question["id"])],
        type=click.Choice([c["id"] for c in question["choices"]]),
        help=printable(question["prompt"]),  # validated already; a second guard
    )


def _flow_or_none(ctx: click.Context, flow_id: str) -> Flow | None:
    from indcli.cli import get_app

    flow = get_app(ctx).catalog.flows.get(flow_id)
    return flow if flow is not None and flow.owner is not None else None


def route_command(flow_id: str, name: str = "route", help: str | None = None) -> click.Command:
    """A click command that routes through the flow ``flow_id``."""

    def callback(**kwargs: Any) -> None:
        ctx = click.get_current_context()
        _run(ctx, flow_id, name, kwargs)

    return FlowCommand(
        flow_id,
        name=name,
        callback=callback,
        help=help or f"Find your way through the {flow_id} flow, with the reasons.",
        epilog=f"""\b
Examples:
  indcli {name}                                   answer the questions on a terminal
  indcli {name} --answers answers.json --format json
  echo '{{"temporary-permit": "yes"}}' | indcli {name} --answers - --no-input
  indcli {name} ... --format markdown --output checklist.md
  indcli {name} ... --explain                     show every rule and why it fired
  indcli {name} --batch cases.jsonl > results.jsonl
  indcli {name} --graph mermaid                   draw the whole flow""",
        params=[
            click.Option(
                ["--answers", "answers_file"],
                type=click.Path(exists=True, dir_okay=False, allow_dash=True),
                multiple=True,
                metavar="FILE",
                help="Read answers from a JSON or TOML object of question id -> answer "
                "('-' for stdin). Options given on the command line win.",
            ),
            click.Option(
                ["--no-input"],
                is_flag=True,
                help="Never prompt; fail (exit 2) naming the answers still needed.",
            ),
            format_param(),
            click.Option(
                ["--output", "-o"],
                metavar="FILE",
                help="Write the result to FILE (atomically, readable only by you).",
            ),
            click.Option(
                ["--explain"], is_flag=True, help="Add the full rule trace to text output."
            ),
            click.Option(
                ["--graph"],
                type=click.Choice(["mermaid", "dot"]),
                help="Print the whole flow (questions, answers, outcomes and the advice "
                "rules attach) as a Mermaid flowchart or a Graphviz digraph, and exit.",
            ),
            click.Option(
                ["--batch", "batch_file"],
                type=click.Path(exists=True, dir_okay=False, allow_dash=True),
                metavar="FILE",
                help="Route many cases: JSON Lines, one answers object per line ('-' for "
                "stdin). Prints one compact JSON result per line, with its line number; "
                "options and --answers give defaults for every line.",
            ),
        ],
    )


def _run(ctx: click.Context, flow_id: str, name: str, options: dict[str, Any]) -> None:
    from indcli.cli import get_app

    app = get_app(ctx)
    flow = _flow_or_none(ctx, flow_id)
    if flow is None:
        raise PackError(
            f"the routing flow '{flow_id}' is not loaded; run 'indcli plugins' to see "
            "which packs loaded."
        )
    answers_file = check_inputs(options, ctx)
    if options["graph"]:
        _graph(flow, options["graph"], options["fmt"], name)
        return
    answers: dict[str, Any] = {}
    if answers_file is not None:
        answers = check_answers(flow, read_answers_file(answers_file), _where(answers_file))
    given = {q: options.get(_param_name(q)) for q in flow.question_ids}
    flags = {q: value for q, value in given.items() if value is not None}
    answers = check_answers(flow, {**answers, **flags}, "options", option_names=True)
    if options["batch_file"] is not None:
        _batch(flow, answers, options, ctx)
        return
    may_ask = not options["no_input"] and app.interactive()
    result, asked = _settle(app, flow, answers, may_ask, ctx)
    if result.decision.outcome == NO_OUTCOME:
        raise PackError(
            "no outcome matches these answers: the routing content has a gap "
            f"(flow '{flow_id}', packs {', '.join(flow.packs)}). Please report it to the pack."
        )
    data = route_payload(app, flow, result, name)
    text = render(options["fmt"], data, lambda d: describe_route(d, options["explain"], asked))
    if asked:  # a blank line between the last question and the result
        click.echo(err=options["fmt"] != "text")
    if asked and options["output"] is None and options["fmt"] == "json":
        click.echo(f"Same answers without questions: {data['rerun']}", err=True)
    emit(text, options["output"])
    if options["output"] not in (None, "-"):
        click.echo(f"Wrote your route to {one_line(options['output'])}.", err=True)


def _batch(flow: Flow, defaults: dict[str, str], options: dict[str, Any], ctx) -> None:
    from indcli.batch import run_batch
    from indcli.output import atomic_binary

    if options["fmt"] == "markdown" or options["explain"]:
        raise click.UsageError("--batch writes JSON Lines; leave out --format and --explain.", ctx)
    if options["output"] in (None, "-"):
        sys.stdout.flush()
        failed = run_batch(flow, defaults, options["batch_file"], sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with atomic_binary(options["output"]) as out:
            failed = run_batch(flow, defaults, options["batch_file"], out)
    if failed:
        raise IndcliError(f"{failed} line(s) could not be routed; see their error records.")


def _graph(flow: Flow, kind: str, fmt: str, name: str) -> None:
    """The flow as Mermaid or DOT: plain, fenced in markdown, or inside a JSON object."""
    from indcli.graph import to_dot, to_mermaid
    from indcli.render import to_json

    try:
        text = to_mermaid(flow) if kind == "mermaid" else to_dot(flow)
    except ValueError as exc:
        raise IndcliError(f"cannot draw flow '{flow.id}': {exc}") from None
    text = text if text.endswith("\n") else text + "\n"
    if fmt == "json":
        text = to_json(payload(name, flow=flow.id, graph=kind, text=text))
    elif fmt == "markdown":
        fence = "`" * 3
        text = f"{fence}{kind}\n{text}{fence}\n"
    click.echo(text, nl=False)


def missing_message(flow: Flow, relevant: list[str]) -> str:
    """The options still needed, with their values."""
    return "missing answers: " + ", ".join(
        f"--{q} ({'|'.join(c['id'] for c in flow.question(q)['choices'])})" for q in relevant
    )


def _where(path: str) -> str:
    return "answers from stdin" if path == "-" else f"answers file {one_line(path)}"


def _settle(
    app: App, flow: Flow, answers: dict[str, str], may_ask: bool, ctx: click.Context
) -> tuple[Route, bool]:
    """Route; ask the next relevant question until done (or fail when we may not ask)."""
    asked = False
    while True:
        result = route(flow, answers)
        if result.done:
            return result, asked
        if not may_ask:
            raise click.UsageError(
                f"{missing_message(flow, result.relevant)}. Add them as options or in "
                "--answers FILE, or run on a terminal without --no-input to be asked.",
                ctx,
            )
        answers[result.next_question] = _ask(app, flow.question(result.next_question))
        asked = True


def _ask(app: App, question: dict[str, Any]) -> str:
    from indcli import prompts

    choices = [(c["id"], c["label"]) for c in question["choices"]]
    unsure = question["unsure"]
    if unsure:
        choices.append((UNSURE, unsure["label"]))
    while True:
        answer = prompts.select(question["prompt"], choices, help_text=question["help"])
        if answer != UNSURE:
            return answer
        _show_topic(app, unsure)


def _show_topic(app: App, unsure: dict[str, Any]) -> None:
    from indcli.commands.explain import describe_topic, topic_payload
    from indcli.render import to_text

    if unsure["topic"] in app.catalog.topics:
        click.echo(to_text(describe_topic(topic_payload(app, unsure["topic"]))))
    else:
        click.echo(
            f"The explanation of this question is in pack {unsure['pack']}; "
            f"{app.pack_hint(unsure['pack'])}.\n"
        )


def route_payload(app: App, flow: Flow, result: Route, name: str = "route") -> dict[str, Any]:
    """The JSON result of routing (the contract's keys), also the base of text/markdown."""
    decision = result.decision
    answers = result.answers
    outcome = flow.outcomes[decision.outcome]
    data = payload(
        name,
        flow=flow.id,
        answers=answers,
        unused_answers=result.unused,
        outcome={
            "id": outcome["id"],
            "channel": outcome["channel"],
            "title": outcome["title"],
            "form": outcome["form"],
            "source": outcome["source"],
        },
        reasons=[
            _item(app, rule, answers, key="rule")
            for rule in decision.outcome_rules
            + [r for r in decision.advice if r["advice"] == "reason"]
        ],
        **{key: [] for key in ADVICE_KEYS.values()},
    )
    for rule in decision.advice:
        if rule["advice"] in ADVICE_KEYS:
            data[ADVICE_KEYS[rule["advice"]]].append(_item(app, rule, answers))
    used = {q: v for q, v in answers.items() if q not in result.unused}
    import shlex

    data["rerun"] = shlex.join(
        ["indcli", name] + [part for q, v in used.items() for part in (f"--{q}", v)]
    )
    data["trace"] = [
        {
            "rule": rule["id"],
            "kind": rule["advice"] or "outcome",
            "fired": rule in decision.outcome_rules or rule in decision.advice,
            "answers": {q: answers[q] for q in rule["questions"] if q in answers},
            "pack": rule["pack"],
        }
        for rule in flow.rules
    ]
    return data


def _item(app: App, rule: dict[str, Any], answers: dict[str, str], key: str = "id") -> dict:
    item: dict[str, Any] = {key: rule["id"], "text": rule["text"], "source": rule["source"]}
    item["answers"] = {q: answers[q] for q in rule["questions"] if q in answers}
    if rule["see"] is not None:
        item["see"] = resolve(app, rule["see"])
    return item


def describe_route(data: dict[str, Any], explain: bool = False, asked: bool = False) -> Doc:
    outcome = data["outcome"]
    doc = Doc(f"Your route: {outcome['title']}")
    form = outcome["form"]
    doc.para(f"{'Form' if outcome['channel'] != 'referral' else 'Where'}: {form['title']}")
    doc.para(form["how"], outcome["source"])
    sections = [
        ("Why", "reasons", "bullet"),
        ("Before you apply", "prerequisites", "check"),
        ("How to apply", "steps", "todo"),
        ("After you apply", "follow_up", "check"),
        ("Watch out", "warnings", "bullet"),
    ]
    for title, key, style in sections:
        if data[key]:
            doc.heading(title)
            doc.items([_advice_item(i) for i in data[key]], style)
    if data["unused_answers"]:
        doc.heading("Answers that did not matter")
        doc.items(
            [
                Item(f"--{q} {data['answers'][q]}: does not change the result for you.")
                for q in data["unused_answers"]
            ]
        )
    if explain:
        doc.heading("Rule trace")
        doc.items(
            [
                Item(
                    f"{'fired' if t['fired'] else 'did not fire'}: {t['rule']} ({t['kind']}, "
                    f"{t['pack']})"
                    + (
                        " on " + ", ".join(f"{q}={v}" for q, v in t["answers"].items())
                        if t["answers"]
                        else ""
                    )
                )
                for t in data["trace"]
            ]
        )
    if asked:
        doc.heading("Same answers without questions")
        doc.code(data["rerun"])
    return doc


def _advice_item(item: dict[str, Any]) -> Item:
    notes = [f"See: {item['see']['text']}"] if "see" in item else []
    return Item(item["text"], item["source"], notes=notes)
