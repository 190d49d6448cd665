"""Prompts: the only module that imports questionary or prompt_toolkit, and only inside the
functions that show an arrow-key prompt, so scripted runs and plain mode never pay for them.

Every prompt answers to typed keys as well as the arrows: a number picks the n-th choice,
a choice id or a unique start of a label (any case: ``y``/``n`` on yes/no questions)
picks that choice, ``b`` (or Backspace on an empty line) is Back and ``?`` is "not sure".
Typed keys move the pointer; Enter submits. A key that matches nothing never submits: it
shows one line saying which keys work.

In plain mode (:attr:`indcli.output.terminal.Terminal.plain`) a question is printed once
as text with numbered choices and a line is read, with no cursor movement and no escape
byte. Arrow-key prompts use ``unsafe_ask()``, so Ctrl-C raises KeyboardInterrupt (exit
130) instead of silently answering ``None``; Ctrl-D raises EOFError. Tests drive them
through prompt_toolkit's pipe input (``create_app_session(input=..., output=...)``).
Prompts are drawn where :meth:`Terminal.say` writes: on stderr when stdout is piped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indcli.limits import printable
from indcli.output.render import wrap_words
from indcli.output.terminal import Terminal, current

BACK = "\0back"  # values no choice id can take (ids are [a-z0-9-])
UNSURE = "\0unsure"
POINTER = 3  # questionary draws " » " (or three spaces) before a choice


def match(typed: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """The value ``typed`` picks: a number, ``b``/``back``, ``?``/``not sure``, a choice
    id, or a unique start of a label, in any case; ``None`` when it picks nothing."""
    word = " ".join(typed.split()).casefold()
    if not word:
        return None
    values = [value for value, _ in choices]
    if word.isdigit():
        n = int(word)
        return values[n - 1] if 1 <= n <= len(values) else None
    if word in ("b", "back") and BACK in values:
        return BACK
    if word in ("?", "not sure") and UNSURE in values:
        return UNSURE
    for value, _ in choices:
        if not value.startswith("\0") and value.casefold() == word:
            return value
    starts = [value for value, label in choices if label.casefold().startswith(word)]
    return starts[0] if len(starts) == 1 else None


def keys_hint(choices: Sequence[tuple[str, str]], arrows: str = "") -> str:
    """The keys that answer, e.g. ``↑/↓, 1-3 or y/n, then Enter; b back``."""
    typed, extra = _keys(choices)
    if not arrows:
        return "; ".join([typed, *extra])
    joined = f"{arrows}, {typed}" if " or " in typed else f"{arrows} or {typed}"
    return "; ".join([f"{joined}, then Enter", *extra])


def _keys(choices: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """``1-3 or y/n`` (y/n on yes/no questions), and ``b back`` / ``? not sure`` if offered."""
    count = len(choices)
    typed = "1" if count == 1 else f"1-{count}"
    labels = [label.casefold() for value, label in choices if not value.startswith("\0")]
    if labels == ["yes", "no"]:
        typed += " or y/n"
    values = [value for value, _ in choices]
    return typed, [k for k, v in (("b back", BACK), ("? not sure", UNSURE)) if v in values]


def select(
    message: str,
    choices: Sequence[tuple[str, str]],
    help_text: str | None = None,
    default: str | None = None,
) -> str:
    """Ask one question; ``choices`` are (value, label) pairs; returns the value.

    ``default``: the value the pointer starts on (an earlier answer, after Back).
    ``help_text``: a short explanation, shown under the choices (never above the
    question, so the question is the first thing read).
    """
    terminal = current()
    if terminal.plain:
        return _plain_select(terminal, message, choices, help_text, default)
    return _arrow_select(terminal, message, choices, help_text, default)


def confirm(message: str, default: bool = True) -> bool:
    """A yes/no question; Enter alone gives ``default``."""
    terminal = current()
    if terminal.plain:
        hint = "y/n, Enter for " + ("yes" if default else "no")
        while True:
            line = _read_line(terminal, f"{printable(message)} ({hint}): ").strip().casefold()
            if not line:
                return default
            if line in ("y", "yes", "n", "no"):
                return line.startswith("y")
            terminal.say("Type y for yes or n for no, then Enter.")
    import questionary

    title, _ = _message(message, "", terminal.prompt_columns())
    question = questionary.confirm(title, default=default, **_output(terminal))
    return bool(_ask(question))


def text(message: str, default: str = "") -> str:
    """Ask for a line of text (a file name); Ctrl-D ends it like Ctrl-C."""
    terminal = current()
    if terminal.plain:
        shown = f" (Enter for {default})" if default else ""
        line = _read_line(terminal, f"{printable(message)}{shown} ").strip()
        return line or default
    import questionary

    title, _ = _message(message, "", terminal.prompt_columns())
    question = questionary.text(title, default=default, **_output(terminal))
    return str(_ask(question))


# --- plain mode -------------------------------------------------------------------------


def _plain_select(
    terminal: Terminal,
    message: str,
    choices: Sequence[tuple[str, str]],
    help_text: str | None,
    default: str | None,
) -> str:
    cols = terminal.prompt_columns()
    width = len(str(len(choices)))
    earlier = dict(choices).get(default or "")
    while True:
        lines = ["", *wrap_words(printable(message), cols)]
        for n, (_, label) in enumerate(choices, 1):
            lead = f"  {n:>{width}}. "
            lines += wrap_words(printable(label), cols, lead, " " * len(lead))
        if help_text:
            lines += wrap_words(printable(help_text), cols)
        if earlier:
            lines += wrap_words(f"Your earlier answer: {printable(earlier)}.", cols)
        terminal.say("\n".join(lines))
        line = _read_line(terminal, f"Answer ({keys_hint(choices)}): ")
        value = match(line, choices)
        if value is not None:
            return value
        said = f"'{printable(line.strip())}' is not one of the choices. " if line.strip() else ""
        again = f"{said}Type a number from 1 to {len(choices)}, or the start of an answer."
        terminal.say("\n".join(wrap_words(again, cols)))


def _read_line(terminal: Terminal, prompt: str) -> str:
    """One line from stdin after ``prompt``; EOFError at the end of input (Ctrl-D)."""
    import click

    click.echo(prompt, nl=False, err=terminal.prompts_on_stderr())
    (terminal.stderr if terminal.prompts_on_stderr() else terminal.stdout).flush()
    line = terminal.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


# --- arrow keys -------------------------------------------------------------------------


def _arrow_select(
    terminal: Terminal,
    message: str,
    choices: Sequence[tuple[str, str]],
    help_text: str | None,
    default: str | None,
) -> str:
    import questionary

    cols = terminal.prompt_columns()
    values = [value for value, _ in choices]
    hint = f"({keys_hint(choices, _arrows(terminal))})"
    title, instruction = _message(message, hint, cols)
    width = len(str(len(choices)))
    labels = [_label(f"{n:>{width}}) ", label, cols) for n, (_, label) in enumerate(choices, 1)]
    longest = max((len(label.split("\n")[0]) for label in labels), default=0)
    if len(title.split("\n")[-1]) + 4 + longest > cols:
        title += "\n "  # the answer, once chosen, is shown after the prompt: its own line
        instruction = instruction.removeprefix("\n  ")  # the hint goes on that line
    question = questionary.select(
        title,
        choices=[
            questionary.Choice(title=label, value=value)
            for label, value in zip(labels, values, strict=True)
        ],
        default=default if default in values else None,
        instruction=instruction,
        use_jk_keys=False,  # letters are typed answers here
        **_output(terminal),
    )
    _typed_keys(question, choices, help_text, cols)
    return _ask(question)


def _arrows(terminal: Terminal) -> str:
    """``↑/↓`` where the prompt's stream can show it, else ``Up/Down``."""
    stream = terminal.stderr if terminal.prompts_on_stderr() else terminal.stdout
    try:
        "\u2191\u2193".encode(getattr(stream, "encoding", None) or "ascii")
    except (LookupError, UnicodeEncodeError):
        return "Up/Down"
    return "\u2191/\u2193"


def _message(message: str, hint: str, cols: int) -> tuple[str, str]:
    """The prompt wrapped at spaces after the "? " mark; the hint after it, or on lines
    of its own when it does not fit (it is never dropped)."""
    lines = wrap_words(printable(message), cols - 3)
    if not hint:
        return "\n  ".join(lines), " "
    if len(lines[-1]) + len(hint) + 4 <= cols:
        return "\n  ".join(lines), hint
    return "\n  ".join(lines), "\n  " + "\n  ".join(wrap_words(hint, cols - 3))


def _label(number: str, label: str, cols: int) -> str:
    """A numbered choice label wrapped at spaces, continued under its first word
    (questionary starts a continued line at the margin, not under the label)."""
    lead = " " * (POINTER + len(number))
    return "\n".join(wrap_words(printable(label), cols - POINTER - 1, number, lead))


def _typed_keys(
    question: Any, choices: Sequence[tuple[str, str]], help_text: str | None, cols: int
) -> None:
    """Typed keys move the pointer; Enter after keys that match nothing submits nothing
    but says which keys work; the help text and that line are shown under the choices."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))
    state = {"typed": "", "message": ""}
    values = [value for value, _ in choices]
    typed_keys, extra = _keys(choices)
    others = f" ({', '.join(extra)})" if extra else ""
    stray = f"That is not a choice. Type {typed_keys}{others} or use the arrows, then Enter."

    def point(value: str) -> None:
        control.pointed_at = values.index(value)

    def typed(text: str) -> None:
        state["typed"] = text
        value = match(text, choices)
        if value is not None:
            point(value)
        state["message"] = "" if value is not None or not text else stray

    bindings = KeyBindings()

    @bindings.add(Keys.Any)
    def _(event) -> None:
        data = event.data
        if len(data) == 1 and data.isprintable():
            typed(state["typed"] + data)

    @bindings.add(Keys.Backspace, eager=True)
    def _(event) -> None:
        if state["typed"]:
            typed(state["typed"][:-1])
        elif BACK in values:
            point(BACK)

    def move(step: int) -> None:
        state["typed"], state["message"] = "", ""
        control.pointed_at = (control.pointed_at + step) % len(values)

    bindings.add(Keys.Down, eager=True)(lambda event: move(1))
    bindings.add(Keys.Up, eager=True)(lambda event: move(-1))

    @bindings.add(Keys.ControlM, eager=True)
    def _(event) -> None:
        if state["typed"] and match(state["typed"], choices) is None:
            state["typed"], state["message"] = "", stray  # nothing is submitted
            return
        control.is_answered = True
        event.app.exit(result=control.get_pointed_at().value)

    def under() -> str:
        lines = wrap_words(printable(help_text), cols - 1) if help_text else []
        if state["message"]:
            lines += wrap_words(state["message"], cols - 1)
        return "\n".join(lines)

    choices_text = control.text  # the choices are drawn by this control: text under them

    def drawn() -> Any:
        text, tokens = under(), choices_text()
        return [*tokens, ("", "\n"), ("class:instruction", text)] if text else tokens

    control.text = drawn
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])


def _output(terminal: Terminal) -> dict[str, Any]:
    """Draw prompts on stderr when stdout is piped and stderr is the terminal."""
    if terminal.prompts_on_stderr():
        try:
            from prompt_toolkit.output import create_output

            return {"output": create_output(stdout=terminal.stderr)}
        except (AttributeError, ValueError, OSError):
            pass
    return {}


def _ask(question: Any) -> Any:
    """The answer to an arrow-key ``question``: Ctrl-C raises KeyboardInterrupt
    (``unsafe_ask``), Ctrl-D EOFError, also where a terminal ends the prompt with no
    answer."""
    answer = _eof_on_ctrl_d(question).unsafe_ask()
    if answer is None:
        raise EOFError
    return answer


def _eof_on_ctrl_d(question: Any) -> Any:
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
