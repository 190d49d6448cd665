"""Asking a route's questions on a terminal, one at a time (questionary, via prompts)."""

from __future__ import annotations

import click

from indcli.app import App
from indcli.model import Question, Unsure

UNSURE = "\0unsure"  # a value no choice id can take (ids are [a-z0-9-])


def ask(app: App, question: Question) -> str:
    """Ask ``question``; an "I'm not sure" choice explains its topic and asks again."""
    from indcli import prompts

    choices = [(c.id, c.label) for c in question.choices]
    if question.unsure:
        choices.append((UNSURE, question.unsure.label))
    while True:
        answer = prompts.select(question.prompt, choices, help_text=question.help)
        if answer != UNSURE:
            return answer
        _show_topic(app, question.unsure)  # type: ignore[arg-type]


def _show_topic(app: App, unsure: Unsure) -> None:
    from indcli.render import to_text
    from indcli.topics import describe_topic, topic_payload

    if unsure.topic in app.catalog.topics:
        click.echo(to_text(describe_topic(topic_payload(app.catalog, unsure.topic))))
    else:
        click.echo(
            f"The explanation of this question is in pack {unsure.pack}; "
            f"{app.pack_hint(unsure.pack)}.\n"
        )
