"""The route command: a routing flow from content, as a click command.

``route_command("partner-permit")`` builds a command with one option per question of the
flow (so a question another pack adds gets its option too), answers from flags or an
answers file, prompts on a terminal for what still matters, and the result in every
format. The flow is looked up when the command runs or shows help, not when it is made.
Routing itself is :func:`indcli.routing.engine.settle`; the output is
:class:`indcli.output.route_result.RouteResult`: this module only reads the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from indcli.app import App, current_app
from indcli.commands.support.answers import (
    check_answers,
    check_inputs,
    did_you_mean,
    read_answers_file,
)
from indcli.content.model import Example, Question
from indcli.errors import IndcliError, PackError
from indcli.output.helpformat import examples_epilog
from indcli.output.render import Doc, emit, format_param, payload, render
from indcli.output.route_result import lookup_flow, route_result
from indcli.routing.engine import ContentGap, MissingAnswers, canonical_answer
from indcli.routing.flow import Flow
from indcli.utils.records import Record, fresh
from indcli.utils.text_safety import one_line, printable

if TYPE_CHECKING:
    from indcli.commands.support.interview import Interview


def _route_params() -> list[click.Option]:
    """The route command's own options (a question may not take one of these names)."""
    return [
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
        click.Option(["--explain"], is_flag=True, help="Add the full rule trace to text output."),
        click.Option(
            ["--no-pager"],
            is_flag=True,
            help="Print straight to the terminal. By default, text taller than the "
            "terminal goes through $PAGER (less), as git does.",
        ),
        click.Option(
            ["--plain"],
            is_flag=True,
            help="Plain prompts: each question once as text with numbered choices, "
            "answered by typing a line; no colour, no cursor movement (for screen "
            "readers). Also INDCLI_PLAIN=1 or TERM=dumb.",
        ),
        click.Option(
            ["--review"],
            is_flag=True,
            help="On a terminal, list your answers for review (change, start again, "
            "save) before the result, even when nothing is left to ask.",
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
    ]


class FlowCommand(click.Command):
    """A command whose question options come from the loaded flow."""

    def __init__(self, flow_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow_id = flow_id
        self._questions: tuple[Flow | None, list[click.Option]] = (None, [])

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        flow = current_app(ctx).catalog.flow(self.flow_id)
        if flow is not self._questions[0]:  # derived once per loaded flow
            options = [] if flow is None else [_option(q) for q in flow.questions]
            self._questions = (flow, options)
        return [*self._questions[1], *super().get_params(ctx)]


def _param_name(question_id: str) -> str:
    """The click parameter of a question: prefixed, so no question shadows an option."""
    return f"q__{question_id.replace('-', '_')}"


class AnswerChoice(click.Choice):  # type: ignore[type-arg]  # click < 8.2 is not generic
    """A question's choices as an option's values: any case, ``Y``/``N`` and Dutch
    ``ja``/``nee`` on yes/no questions (as in answers files and at the prompt), and a
    near miss gets a "did you mean"."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        found = canonical_answer(list(self.choices), value)
        if found is not None:
            return found
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            exc.message += did_you_mean(value, list(self.choices))  # type: ignore[misc]
            raise


def _option(question: Question) -> click.Option:
    return click.Option(
        [f"--{question.id}", _param_name(question.id)],
        type=AnswerChoice(question.choice_ids, case_sensitive=False),
        help=printable(question.prompt),  # validated already; a second guard
    )


def route_command(
    flow_id: str,
    name: str = "route",
    help: str | None = None,
    examples: Sequence[Example] = (),
) -> click.Command:
    """A click command that routes through the flow ``flow_id``."""

    def callback(**kwargs: Any) -> None:
        _run(click.get_current_context(), flow_id, name, kwargs)

    return FlowCommand(
        flow_id,
        name=name,
        callback=callback,
        help=help or f"Find your way through the {flow_id} flow, with the reasons.",
        epilog=_epilog(name, examples),
        params=_route_params(),
    )


def _epilog(name: str, examples: Sequence[Example]) -> str:
    return examples_epilog(
        examples,
        [
            (f"indcli {name}", "answer the questions on a terminal"),
            (f"indcli {name} | less", "ask on the terminal, send only the result on"),
            (f"indcli {name} --answers answers.json --format json", ""),
            (f"echo 'eu-long-term-resident = \"yes\"' | indcli {name} --answers - --no-input", ""),
            (f"indcli {name} ... --format markdown --output checklist.md", ""),
            (f"indcli {name} ... --explain", "show every rule and why it fired"),
            (f"indcli {name} --batch cases.jsonl > results.jsonl", ""),
            (f"indcli {name} --graph mermaid", "draw the whole flow"),
        ],
    )


class RouteOptions(Record):
    """The route command's command line, read once (as gh has one options struct per
    command): what every step of :func:`_run` needs, typed."""

    name: str
    fmt: str = "text"
    output: str | None = None
    explain: bool = False
    no_pager: bool = False
    no_input: bool = False
    plain: bool = False
    review: bool = False
    graph: str | None = None
    batch_file: str | None = None
    answers_file: str | None = None
    flags: Mapping[str, str] = fresh(factory=dict)  # question id -> value

    @classmethod
    def read(
        cls, ctx: click.Context, flow: Flow, name: str, params: dict[str, Any]
    ) -> RouteOptions:
        answers_file = check_inputs(params, ctx)
        flags = {q: params.get(_param_name(q)) for q in flow.question_ids}
        return cls(
            name=name,
            fmt=params["fmt"],
            output=params["output"],
            explain=params["explain"],
            no_pager=params["no_pager"],
            no_input=params["no_input"],
            plain=params["plain"],
            review=params["review"],
            graph=params["graph"],
            batch_file=params["batch_file"],
            answers_file=answers_file,
            flags={q: v for q, v in flags.items() if v is not None},
        )

    def repeat(self) -> list[str]:
        """The options a resume line repeats (not the answers)."""
        words = [] if self.fmt == "text" else ["--format", self.fmt]
        words += ["--output", self.output] if self.output is not None else []
        words += ["--explain"] if self.explain else []
        words += ["--no-pager"] if self.no_pager else []
        words += ["--plain"] if self.plain else []
        return words


def _run(ctx: click.Context, flow_id: str, name: str, params: dict[str, Any]) -> None:
    app = current_app(ctx)
    try:
        flow = lookup_flow(app.catalog, flow_id)
    except LookupError:
        raise PackError(
            f"the routing flow '{flow_id}' is not loaded; run 'indcli plugins' to see "
            "which packs loaded."
        ) from None
    options = RouteOptions.read(ctx, flow, name, params)
    app.terminal.plain_flag = options.plain
    if options.graph:
        _graph(flow, options.graph, options.fmt, name)
        return
    answers: dict[str, Any] = {}
    if options.answers_file is not None:
        where = _where(options.answers_file)
        answers = check_answers(flow, read_answers_file(options.answers_file), where)
    answers = check_answers(flow, {**answers, **options.flags}, "options", option_names=True)
    if options.batch_file is not None:
        _batch(flow, answers, options, ctx)
        return
    interview = None
    wants_review = options.review and not options.no_input and app.may_prompt()
    try:
        try:
            if wants_review:
                raise MissingAnswers(flow, [])  # the review is asked for: interview
            result = route_result(app.catalog, flow, answers, command=name, strict=app.strict)
        except MissingAnswers as exc:
            if options.no_input or not app.may_prompt():
                raise click.UsageError(
                    f"{exc}. Add them as options or in --answers FILE, or run on a terminal "
                    "without --no-input to be asked.",
                    ctx,
                ) from None
            interview = _interview(app, flow, answers, options)
            # the review ends only when nothing is missing
            result = route_result(
                app.catalog, flow, interview.run(), command=name, strict=app.strict
            )
    except ContentGap as exc:
        raise PackError(str(exc)) from None
    asked_ids = interview.asked if interview else []
    asked = interview is not None and bool(interview.prompted or options.review)
    data = result.to_dict()

    def describe(d: dict[str, Any]) -> Doc:  # text and markdown only
        from indcli.output.route_doc import describe_route

        return describe_route(d, options.explain, asked, flow, asked_ids)

    text = render(options.fmt, data, describe)
    if options.fmt == "markdown":
        text = _checklist(app, data, text)
    if asked:  # a blank line between the last question and the result
        click.echo(err=options.fmt != "text" or not app.interactive())
    if asked and options.output is None and options.fmt == "json":
        click.echo(f"Same answers without questions: {data['rerun']}", err=True)
    if options.output is None and options.fmt == "text":
        app.terminal.page(text, enabled=not options.no_pager)
    else:
        emit(text, options.output)
    if options.output not in (None, "-"):
        click.echo(f"Wrote your route to {one_line(options.output)}.", err=True)
    elif asked and options.fmt != "json" and app.interactive():
        from indcli.commands.support.save import offer_to_save

        offer_to_save(_checklist(app, data, render("markdown", data, describe)), app.terminal)
    elif asked and not app.interactive():  # on the terminal, a word of where it went
        click.echo(f"Your route went to {_stdout_name()}.", err=True)


def _interview(app: App, flow: Flow, answers: dict[str, str], options: RouteOptions) -> Interview:
    """The interview, with the options to repeat in its resume line."""
    from indcli.commands.support.interview import Interview

    err = options.fmt != "text" or not app.interactive()
    return Interview(
        app, flow, dict(answers), options.name, options.repeat(), err=err, review=options.review
    )


def _batch(flow: Flow, defaults: dict[str, str], options: RouteOptions, ctx: click.Context) -> None:
    from indcli.commands.support.batch import run_batch
    from indcli.output.files import atomic_binary

    if options.fmt == "markdown" or options.explain:
        raise click.UsageError("--batch writes JSON Lines; leave out --format and --explain.", ctx)
    assert options.batch_file is not None
    strict = current_app(ctx).strict
    if options.output in (None, "-"):
        sys.stdout.flush()
        failed = run_batch(flow, defaults, options.batch_file, sys.stdout.buffer, strict)
        sys.stdout.buffer.flush()
    else:
        with atomic_binary(options.output) as out:
            failed = run_batch(flow, defaults, options.batch_file, out, strict)
    if failed:
        raise IndcliError(f"{failed} line(s) could not be routed; see their error records.")


def _graph(flow: Flow, kind: str, fmt: str, name: str) -> None:
    """The flow as Mermaid or DOT: plain, fenced in markdown, or inside a JSON object."""
    from indcli.output.render import to_json
    from indcli.routing.graph import to_dot, to_mermaid

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


def _checklist(app: App, data: dict[str, Any], markdown: str) -> str:
    """The markdown checklist, ending in the record ``indcli recheck`` reads."""
    from indcli.commands.recheck import loaded_packs, record_of, with_record

    return with_record(markdown, record_of(data, loaded_packs(app)))


def _stdout_name() -> str:
    """Where stdout goes, in words: the file's name, or a pipe."""
    import os
    import stat

    try:
        fd = sys.stdout.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, ValueError, OSError):
        return "standard output"
    if stat.S_ISFIFO(mode):
        return "the pipe (standard output)"
    try:
        return one_line(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return "standard output"


def _where(path: str) -> str:
    return "answers from stdin" if path == "-" else f"answers file {one_line(path)}"
