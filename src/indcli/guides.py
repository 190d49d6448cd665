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
from indcli.errors import PackError
from indcli.guide_data import describe_guide, guide_payload, step_data, step_item
from indcli.model import Example, Guide
from indcli.render import Doc, Item, format_option, render, to_text


def guide_command(
    guide_id: str,
    name: str | None = None,
    help: str | None = None,
    examples: Sequence[Example] = (),
) -> click.Command:
    """A click command that shows the guide ``guide_id`` from the loaded content."""
    command_name = name or f"{guide_id}-steps"
    lines = [(e.run, e.about or "") for e in examples] + [
        (f"indcli {command_name}", ""),
        (f"indcli {command_name} --step 3", ""),
        (f"indcli {command_name} --interactive", "one step at a time"),
        (f"indcli {command_name} --format markdown > steps.md", ""),
    ]
    width = max(len(run) for run, _ in lines) + 2
    epilog = "\b\nExamples:\n" + "\n".join(
        f"  {run.ljust(width)}{about}".rstrip() for run, about in lines
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
    @format_option
    @click.pass_context
    def command(ctx: click.Context, step: int | None, interactive: bool, fmt: str) -> None:
        app = current_app(ctx)
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
            if fmt != "text":
                raise click.UsageError("--interactive shows text; leave out --format.", ctx)
            if not app.interactive():
                raise click.UsageError(
                    "--interactive needs a terminal (stdin and stdout); without one, leave "
                    "out --interactive to print all steps.",
                    ctx,
                )
            walk(guide, command_name, start=step or 1)
            return
        data = guide_payload(command_name, guide, step)
        click.echo(render(fmt, data, describe_guide), nl=False)

    return command


def walk(guide: Guide, command_name: str, start: int = 1) -> None:
    """Show one step at a time; at a step with cases, ask which applies."""
    from indcli import prompts

    steps = guide.steps
    click.echo(to_text(Doc(guide.title)))
    for number in range(start, len(steps) + 1):
        step = step_data(number, steps[number - 1])
        cases = steps[number - 1].has_cases
        shown = {**step, "substeps": [] if cases else step["substeps"]}
        click.echo(
            _plain(f"Step {number} of {len(steps)}", [step_item(shown, cited=False)], "number")
        )
        if cases:
            chosen = int(
                prompts.select(
                    "Which applies to you?",
                    [(str(i), s["case"]) for i, s in enumerate(step["substeps"])],
                )
            )
            case = step["substeps"][chosen]
            click.echo(_plain(case["case"], [Item(case["text"])]))
        if number < len(steps) and not prompts.confirm(f"Go on to step {number + 1}?"):
            click.echo(
                f"Stopped at step {number}. Pick up later with: "
                f"indcli {command_name} --interactive --step {number + 1}"
            )
            return
    for paragraph in guide.closing:
        click.echo(_plain("Done", [Item(paragraph.text)]))
    source = guide.source
    click.echo(f"Source: {source.title}, {source.url} (checked {source.checked})")


def _plain(title: str, items: list[Item], style: str = "bullet") -> str:
    doc = Doc(title)
    doc.items(items, style)
    return to_text(doc)
