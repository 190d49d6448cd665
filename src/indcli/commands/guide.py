"""Step-by-step guides from pack content, and the command factory that shows them.

A pack that ships a guide in its content file gets a full command from one call,
``guide_command("my-guide", name="my-guide-steps")``: all steps or one (``--step N``),
every format, and a walk-through on a terminal (``--interactive``) that asks which case
applies where a step has alternatives.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from indcli.app import current_app
from indcli.content.model import Example, Guide
from indcli.errors import Interrupted, PackError
from indcli.output.guide_payload import describe_guide, guide_payload, step_data, step_item
from indcli.output.helpformat import examples_epilog
from indcli.output.render import Doc, Item, command_message, emit, format_option, render, to_text
from indcli.utils.text_safety import one_line


def guide_command(
    guide_id: str,
    name: str | None = None,
    help: str | None = None,
    examples: Sequence[Example] = (),
) -> click.Command:
    """A click command that shows the guide ``guide_id`` from the loaded content."""
    command_name = name or f"{guide_id}-steps"
    epilog = examples_epilog(
        examples,
        [
            (f"indcli {command_name}", ""),
            (f"indcli {command_name} --step 3", ""),
            (f"indcli {command_name} --interactive", "one step at a time"),
            (f"indcli {command_name} --format markdown --output steps.md", ""),
        ],
    )

    @click.command(
        command_name,
        help=help or f"Show the steps of the {guide_id} guide, each with its source.",
        epilog=epilog,
    )
    @click.option("--step", type=int, metavar="N", help="Show only step N.")
    @click.option(
        "--interactive",
        "-i",
        is_flag=True,
        help="Walk through the steps one at a time (needs a terminal).",
    )
    @click.option(
        "--plain",
        is_flag=True,
        help="With --interactive: plain prompts, numbered choices answered by typing a "
        "line, no colour or cursor movement (for screen readers). Also INDCLI_PLAIN=1.",
    )
    @format_option
    @click.option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the steps to FILE (atomically, readable only by you).",
    )
    @click.option(
        "--no-pager",
        is_flag=True,
        help="Print straight to the terminal. By default, text taller than the "
        "terminal goes through $PAGER (less), as git does.",
    )
    @click.pass_context
    def command(
        ctx: click.Context,
        step: int | None,
        interactive: bool,
        plain: bool,
        fmt: str,
        output: str | None,
        no_pager: bool,
    ) -> None:
        app = current_app(ctx)
        app.terminal.plain_flag = plain
        guide = app.catalog.guides.get(guide_id)
        if guide is None:
            raise PackError(
                f"the guide '{guide_id}' that '{command_name}' shows is not loaded; "
                "run 'indcli plugins' to see which packs loaded."
            )
        count = len(guide.steps)
        if step is not None and not 1 <= step <= count:
            raise click.UsageError(
                f"--step must be a number from 1 to {count}; this guide has {count} steps.", ctx
            )
        if interactive:
            if fmt != "text" or output is not None:
                raise click.UsageError(
                    "--interactive shows text on the terminal; leave out --format and --output.",
                    ctx,
                )
            if not app.interactive():
                raise click.UsageError(
                    "--interactive needs a terminal (stdin and stdout); without one, leave "
                    "out --interactive to print all steps.",
                    ctx,
                )
            walk(guide, command_name, start=step or 1, plain=plain)
            return
        text = render(fmt, guide_payload(command_name, guide, step), describe_guide)
        if output is None and fmt == "text":
            app.terminal.page(text, enabled=not no_pager)
        else:
            emit(text, output)
        if output not in (None, "-"):
            click.echo(f"Wrote the steps to {one_line(output)}.", err=True)

    return command


NEXT, STOP = "\0next", "\0stop"  # values no case index can take (nor BACK)


def walk(guide: Guide, command_name: str, start: int = 1, plain: bool = False) -> None:
    """Show the intro, then one step at a time: at a step with cases ask which applies;
    after each step go on, go back (from the second step on) or stop. Ctrl-C ends with
    exit 130 and the command that picks up at the step."""
    number = start
    again = f"indcli {command_name} --interactive" + (" --plain" if plain else "")
    try:
        click.echo(_plain_paragraphs(guide.title, [p.text for p in guide.intro]))
        while number:
            number = _walk_step(guide, number)
            if number < 0:
                last = -number
                resume = f"{again} --step {min(last + 1, len(guide.steps))}"
                click.echo(command_message(f"Stopped at step {last}. Pick up later with:", resume))
                return
    except (KeyboardInterrupt, EOFError):
        resume = f"{again} --step {number}"
        raise Interrupted(command_message("Interrupted. Go on later with:", resume)) from None
    click.echo(_plain_paragraphs("Done", [p.text for p in guide.closing]))
    source = guide.source
    click.echo(f"Source: {source.title}, {source.url} (checked {source.checked})")


def _walk_step(guide: Guide, number: int) -> int:
    """Show step ``number``; the step to show next, 0 when done, -number to stop here."""
    from indcli.commands.support import prompts
    from indcli.commands.support.prompts import BACK

    steps = guide.steps
    step = step_data(number, steps[number - 1])
    cases = steps[number - 1].has_cases
    shown = {**step, "substeps": [] if cases else step["substeps"]}
    click.echo(_plain(f"Step {number} of {len(steps)}", [step_item(shown, cited=False)], "number"))
    back = [(BACK, f"Back to step {number - 1}")] if number > 1 else []
    if cases:
        chosen = prompts.select(
            "Which applies to you?",
            [(str(i), s["case"]) for i, s in enumerate(step["substeps"])] + back,
        )
        if chosen == BACK:
            return number - 1
        case = step["substeps"][int(chosen)]
        click.echo(_plain(case["case"], [Item(case["text"])]))
    last = number == len(steps)
    # The same number for the same choice at every step: 1 go on, 2 stop, 3 back.
    choices = [(NEXT, "Yes, finish" if last else "Yes"), (STOP, "Stop here"), *back]
    question = "Done with this step?" if last else f"Go on to step {number + 1}?"
    action = prompts.select(question, choices, start=NEXT)
    if action == BACK:
        return number - 1
    if action == STOP:
        return -number
    return 0 if last else number + 1


def _plain_paragraphs(title: str, texts: list[str]) -> str:
    doc = Doc(title)
    for text in texts:
        doc.para(text)
    return to_text(doc)


def _plain(title: str, items: list[Item], style: str = "bullet") -> str:
    doc = Doc(title)
    doc.items(items, style)
    return to_text(doc)
