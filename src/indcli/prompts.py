"""The questionary adapter: the only module that imports questionary or prompt_toolkit.

It is imported only when a prompt is really about to be shown, so scripted runs never
pay for those imports. Prompts use ``unsafe_ask()``: Ctrl-C raises KeyboardInterrupt
(exit 130) instead of silently answering ``None``. Tests drive these prompts through
prompt_toolkit's pipe input (``create_app_session(input=..., output=DummyOutput())``).
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

import questionary

from indcli.limits import printable


def select(message: str, choices: Sequence[tuple[str, str]], help_text: str | None = None) -> str:
    """Ask one question; ``choices`` are (value, label) pairs; returns the value."""
    if help_text:
        width = max(40, min(80, shutil.get_terminal_size((80, 24)).columns) - 2)
        questionary.print(textwrap.fill(printable(help_text), width), style="italic")
    question = questionary.select(
        printable(message),
        choices=[
            questionary.Choice(title=printable(label), value=value) for value, label in choices
        ],
        instruction="(arrow keys, Enter)",
    )
    answer = _eof_on_ctrl_d(question).unsafe_ask()
    if answer is None:  # Ctrl-D on some terminals ends the prompt without an answer
        raise EOFError
    return answer


def _eof_on_ctrl_d(question: questionary.Question) -> questionary.Question:
    """Make Ctrl-D end the prompt with EOFError (exit 130), as the README promises.

    questionary's select binds only Ctrl-C and Ctrl-Q, so Ctrl-D was silently ignored.
    """
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
    return question


def confirm(message: str, default: bool = True) -> bool:
    answer = questionary.confirm(printable(message), default=default).unsafe_ask()
    if answer is None:
        raise EOFError
    return bool(answer)
