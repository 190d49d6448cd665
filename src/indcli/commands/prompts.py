"""The questionary adapter: the only module that imports questionary or prompt_toolkit.

It is imported only when a prompt is really about to be shown, so scripted runs never
pay for those imports. Prompts use ``unsafe_ask()``: Ctrl-C raises KeyboardInterrupt
(exit 130) instead of silently answering ``None``. Tests drive these prompts through
prompt_toolkit's pipe input (``create_app_session(input=..., output=DummyOutput())``).

When stdout is not a terminal but stderr is (``indcli route | less``), prompts are drawn
on stderr, so only the result goes to stdout, as ``git`` and ``gh`` do.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import questionary

from indcli.limits import printable
from indcli.output.render import prompt_columns, wrap_words

INSTRUCTION = "(arrow keys, Enter)"


def select(
    message: str,
    choices: Sequence[tuple[str, str]],
    help_text: str | None = None,
    default: str | None = None,
) -> str:
    """Ask one question; ``choices`` are (value, label) pairs; returns the value.

    ``default``: the value the cursor starts on (an earlier answer, after Back).
    """
    cols = prompt_columns()
    if help_text:
        questionary.print("\n".join(wrap_words(printable(help_text), cols - 1)), style="italic")
    values = [value for value, _ in choices]
    title, instruction = _message(message, cols)
    longest = max((len(label) for _, label in choices), default=0)
    if len(title.split("\n")[-1]) + 4 + longest > cols:  # the answer, once chosen, is
        title += "\n "  # shown after the prompt: give it a line of its own
    question = questionary.select(
        title,
        choices=[
            questionary.Choice(title=_label(label, cols), value=value) for value, label in choices
        ],
        default=default if default in values else None,
        instruction=instruction,
        **_output(),
    )
    answer = _eof_on_ctrl_d(question).unsafe_ask()
    if answer is None:  # Ctrl-D on some terminals ends the prompt without an answer
        raise EOFError
    return answer


def _message(message: str, cols: int) -> tuple[str, str]:
    """The prompt wrapped at spaces after the "? " mark; the instruction only if it fits."""
    lines = wrap_words(printable(message), cols - 3)
    instruction = INSTRUCTION if len(lines[-1]) + len(INSTRUCTION) + 4 <= cols else " "
    return "\n  ".join(lines), instruction


def _label(label: str, cols: int) -> str:
    """A choice label wrapped at spaces, continued under its first word (after "» ")."""
    return "\n    ".join(wrap_words(printable(label), cols - 5))


def _output() -> dict[str, Any]:
    """Draw prompts on stderr when stdout is piped and stderr is the terminal."""
    try:
        if not sys.stdout.isatty() and sys.stderr.isatty():
            from prompt_toolkit.output import create_output

            return {"output": create_output(stdout=sys.stderr)}
    except (AttributeError, ValueError):
        pass
    return {}


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
    title, _ = _message(message, prompt_columns())
    answer = questionary.confirm(title, default=default, **_output()).unsafe_ask()
    if answer is None:
        raise EOFError
    return bool(answer)


def text(message: str, default: str = "") -> str:
    """Ask for a line of text (a file name); Ctrl-D ends it like Ctrl-C."""
    title, _ = _message(message, prompt_columns())
    answer = _eof_on_ctrl_d(questionary.text(title, default=default, **_output())).unsafe_ask()
    if answer is None:
        raise EOFError
    return str(answer)
