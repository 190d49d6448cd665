"""Step-by-step guides from pack content, and the command factory that shows them.

A pack that ships a guide in its content file gets a full command from one call,
``guide_command("my-guide", name="my-guide-steps")``: all steps or one (``--step N``),
every format, and a walk-through on a terminal (``--interactive``) that asks which case
applies where a step has alternatives.
"""

from __future__ import annotations

from typing import Any

import click

from indcli.errors import PackError
from indcli.render import Doc, Item, format_option, payload, render, to_text


def guide_command(guide_id: str, name: str | None = None, help: str | None = None) -> click.Command:
    """A click command that shows the guide ``guide_id`` from the loaded content."""
    command_name = name or f"{guide_id}-steps"

    @click.command(
        command_name,
        help=help or f"Show the steps of the {guide_id} guide, each with its source.",
        epilog=f"""\b
Examples:
  indcli {command_name}
  indcli {command_name} --step 3
  indcli {command_name} --interactive      one step at a time
  indcli {command_name} --format markdown > steps.md""",
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
        from indcli.cli import get_app

        app = get_app(ctx)
        guide = app.catalog.guides.get(guide_id)
        if guide is None:
            raise PackError(
                f"the guide '{guide_id}' that '{command_name}' shows is not loaded; "
                "run 'indcli plugins' to see which packs loaded."
            )
        count = len(guide["steps"])
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


def guide_payload(command: str, guide: dict[str, Any], step: int | None = None) -> dict[str, Any]:
    steps = [
        {
            "number": n,
            "text": s["text"],
            "note": s["note"],
            "substeps": s["substeps"],
            "source": s["source"],
        }
        for n, s in enumerate(guide["steps"], 1)
        if step is None or n == step
    ]
    whole = step is None
    return payload(
        command,
        guide=guide["id"],
        title=guide["title"],
        intro=guide["intro"] if whole else [],
        steps=steps,
        closing=guide["closing"] if whole else [],
        source=guide["source"],
    )


def _step_item(step: dict[str, Any], cited: bool = True) -> Item:
    return Item(
        step["text"],
        step["source"] if cited else None,
        children=[
            Item(s["text"], s["source"] if cited else None, label=s["case"] and f"{s['case']}:")
            for s in step["substeps"]
        ],
        notes=[f"Note: {step['note']}"] if step["note"] else [],
        number=step.get("number"),
    )


def describe_guide(data: dict[str, Any]) -> Doc:
    doc = Doc(data["title"])
    for paragraph in data["intro"]:
        doc.para(paragraph["text"], paragraph["source"])
    doc.items([_step_item(s) for s in data["steps"]], "number")
    for paragraph in data["closing"]:
        doc.para(paragraph["text"], paragraph["source"])
    return doc


def walk(guide: dict[str, Any], command_name: str, start: int = 1) -> None:
    """Show one step at a time; at a step with cases, ask which applies."""
    from indcli import prompts

    steps = guide["steps"]
    click.echo(to_text(Doc(guide["title"])))
    for number in range(start, len(steps) + 1):
        step = {**steps[number - 1], "number": number}
        cases = _has_cases(step)
        shown = {**step, "substeps": [] if cases else step["substeps"]}
        click.echo(
            _plain(f"Step {number} of {len(steps)}", [_step_item(shown, cited=False)], "number")
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
    for paragraph in guide["closing"]:
        click.echo(_plain("Done", [Item(paragraph["text"])]))
    source = guide["source"]
    click.echo(f"Source: {source['title']}, {source['url']} (checked {source['checked']})")


def _has_cases(step: dict[str, Any]) -> bool:
    return any(s["case"] for s in step["substeps"])


def _plain(title: str, items: list[Item], style: str = "bullet") -> str:
    doc = Doc(title)
    doc.items(items, style)
    return to_text(doc)
