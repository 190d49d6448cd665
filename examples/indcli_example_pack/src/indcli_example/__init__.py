"""indcli-example: an example indcli content pack, for pack authors (not IND advice).

Adds a question, an outcome and a rule to ``indcli route`` (``--example-demo``), the
explain topic ``example-pack`` and the command ``indcli example-questions``. The content
is data in ``content.toml`` next to this file; the command is plain click code that reads
the loaded content through :func:`indcli.api.current_app`.
"""

import os
from typing import Any

import click

from indcli import hookimpl
from indcli.api import Doc, Item, PackError, current_app, format_option, payload, render

FLOW = "partner-permit"


@hookimpl
def indcli_content() -> str:
    """The pack's content file: explain topics, guides and routing flows, each cited."""
    return os.path.join(os.path.dirname(__file__), "content.toml")


@hookimpl
def indcli_commands() -> list[click.Command]:
    """The commands this pack adds to indcli."""
    return [example_questions]


@click.command(
    "example-questions",
    epilog="""\b
Examples:
  indcli example-questions
  indcli example-questions --format json""",
)
@format_option
def example_questions(fmt: str) -> None:
    """List the questions of indcli route and the pack each comes from.

    An example of a plain click command in a pack: it reads the content of every loaded
    pack through indcli.api.current_app().
    """
    flow = current_app().catalog.flow(FLOW)
    if flow is None:
        raise PackError(
            f"the routing flow '{FLOW}' is not loaded: install indcli-partner-permit, and "
            "run 'indcli plugins' to see which packs loaded."
        )
    data = payload(
        "example-questions",
        flow=flow.id,
        questions=[
            {
                "id": q.id,
                "prompt": q.prompt,
                "choices": list(q.choice_ids),
                "pack": q.pack,
            }
            for q in flow.questions
        ],
    )
    click.echo(render(fmt, data, _describe), nl=False)


def _describe(data: dict[str, Any]) -> Doc:
    doc = Doc(f"Questions of the {data['flow']} flow")
    doc.items(
        [
            Item(
                f"--{q['id']} {'|'.join(q['choices'])}: {q['prompt']}",
                notes=[f"from {q['pack']}"],
            )
            for q in data["questions"]
        ]
    )
    return doc
