"""Prompts: the only module that imports questionary or prompt_toolkit, and only inside the
functions that show an arrow-key prompt, so scripted runs and plain mode never pay for them.

Every prompt answers to typed keys as well as the arrows: a number picks the n-th choice,
a choice id or a unique start of a label (any case: ``y``/``n``, Dutch ``ja``/``nee`` on
yes/no questions) picks that choice, ``b`` (or Backspace on an empty line) is Back and
``?`` is "not sure". Typed keys move the pointer and the last key that picks a choice on
its own counts; Enter submits. A key that matches nothing, or a start of two choices,
never submits: one line says which keys work, or which choices the start matches. At a
question never answered no choice is preselected: Enter alone answers nothing.

In plain mode (:attr:`indcli.output.terminal.Terminal.plain`) a question is printed once
as text with numbered choices and a line is read, with no cursor movement and no escape
byte. Arrow-key prompts use ``unsafe_ask()``, so Ctrl-C raises KeyboardInterrupt (exit
130) instead of silently answering ``None``; Ctrl-D raises EOFError. Tests drive them
through prompt_toolkit's pipe input (``create_app_session(input=..., output=...)``).
Prompts are drawn where :meth:`Terminal.say` writes: on stderr when stdout is piped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from indcli.output.render import wrap_words
from indcli.output.terminal import Terminal, current
from indcli.utils.text_safety import printable

BACK = "\0back"  # values no choice id can take (ids are [a-z0-9-])
UNSURE = "\0unsure"
POINTER = 3  # questionary draws " » " (or three spaces) before a choice


YES_WORDS, NO_WORDS = ("yes", "ja", "j"), ("no", "nee")  # Dutch too: the page is Dutch


def names(value: str, label: str) -> list[str]:
    """Every word that names a choice: its label and id, and on a yes/no choice the
    Dutch ``ja``/``nee`` (so ``y``, ``j``, ``n`` are starts of them), all casefolded."""
    if value == BACK:
        return ["back"]
    if value == UNSURE:
        return ["?", "not sure"]
    if value.startswith("\0"):  # an action (the review's): its label only
        return [label.casefold()]
    return [label.casefold(), value.casefold(), *{"yes": YES_WORDS, "no": NO_WORDS}.get(value, ())]


def starting(typed: str, choices: Sequence[tuple[str, str]]) -> list[str]:
    """The values of the choices ``typed`` starts a name of (Back and "not sure" only by
    ``b``/``back`` and ``?``/``not sure`` in full), in the order of the choices."""
    word = " ".join(typed.split()).casefold()
    if not word:
        return []
    if word.isdigit():
        n = int(word)
        return [choices[n - 1][0]] if 1 <= n <= len(choices) else []
    special = {"b": BACK, "back": BACK, "?": UNSURE, "not sure": UNSURE}
    values = [value for value, _ in choices]
    if word in special and special[word] in values:
        return [special[word]]
    found = [v for v, label in choices if v not in special.values() and word in names(v, label)]
    if found:  # a whole name: "no" is No even where "nee" and "no-sms" also start so
        return found[:1]
    return [
        value
        for value, label in choices
        if value not in special.values() and any(n.startswith(word) for n in names(value, label))
    ]


def match(typed: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """The value ``typed`` picks: a number, ``b``/``back``, ``?``/``not sure``, a choice
    id or label (``ja``/``nee`` on yes/no questions), or a unique start of one, in any
    case; ``None`` when it picks nothing or more than one."""
    found = starting(typed, choices)
    return found[0] if len(found) == 1 else None


def grows(typed: str, choices: Sequence[tuple[str, str]]) -> bool:
    """Whether more keys after ``typed`` could still pick a choice (``on`` may become
    ``online``; ``1`` may become ``12`` where there are twelve choices)."""
    word = " ".join(typed.split()).casefold()
    if not word:
        return True
    if word.isdigit():
        return any(str(n).startswith(word) for n in range(1, len(choices) + 1))
    return any(n.startswith(word) for value, label in choices for n in names(value, label))


def not_a_choice(typed: str, choices: Sequence[tuple[str, str]]) -> str:
    """Why ``typed`` picks nothing, and what to type instead, in one sentence."""
    shown = printable(" ".join(typed.split()))
    found = starting(typed, choices)
    if len(found) > 1:
        labels = dict(choices)
        both = [printable(labels[v]) for v in found]
        listed = ", ".join(both[:-1]) + " and " + both[-1]
        return f"'{shown}' matches {listed}: type more or a number."
    keys, extra = _keys(choices)
    others = f" ({', '.join(extra)})" if extra else ""
    said = f"'{shown}' is not one of the choices. " if shown else ""
    return f"{said}Type {keys}{others}, then Enter."


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
    *,
    start: str | None = None,
    progress: str = "",
) -> str:
    """Ask one question; ``choices`` are (value, label) pairs; returns the value.

    ``default``: an earlier answer (after Back or at a change): the pointer rests on it
    and plain mode says it. ``start``: where the pointer starts at a choice of what to do
    next (the review, a guide's "go on"), said nowhere. With neither, no choice is
    selected: Enter alone answers nothing and says how to choose.
    ``help_text``: a short explanation, shown under the choices (never above the
    question, so the question is the first thing read). ``progress``: e.g. "question 3
    of at most 7", on plain mode's prompt line.
    """
    terminal = current()
    if terminal.plain:
        return _plain_select(terminal, message, choices, help_text, default, progress)
    return _arrow_select(terminal, message, choices, help_text, default or start)


def confirm(message: str, default: bool = True) -> bool:
    """A yes/no question answered like every other: a key (``y``, ``n``, ``1``, ``2``,
    ``ja``, ``nee``) then Enter; Enter alone gives ``default``."""
    terminal = current()
    choices = [("yes", "Yes"), ("no", "No")]
    if terminal.plain:
        hint = "y/n, Enter for " + ("yes" if default else "no")
        while True:
            line = _read_line(terminal, f"{printable(message)} ({hint}): ")
            value = match(line, choices) if line.strip() else ("yes" if default else "no")
            if value is not None:
                terminal.say(f"Answer: {dict(choices)[value]}")
                return value == "yes"
            terminal.say("Type y for yes or n for no, then Enter.")
    return select(message, choices, start="yes" if default else "no") == "yes"


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
    progress: str,
) -> str:
    """The question as numbered lines, then one line read; ``r`` reads it again; the
    answer is said back in words ("Answer: No")."""
    cols = terminal.prompt_columns()
    width = len(str(len(choices)))
    labels = dict(choices)
    earlier = labels.get(default or "")
    lines = ["", *wrap_words(printable(message), cols)]
    for n, (_, label) in enumerate(choices, 1):
        lead = f"  {n:>{width}}. "
        lines += wrap_words(printable(label), cols, lead, " " * len(lead))
    if help_text:
        lines += wrap_words(printable(help_text), cols)
    if earlier:
        lines += wrap_words(f"Your earlier answer: {printable(earlier)}.", cols)
    where = f", {progress}" if progress else ""
    prompt = f"Answer{where} ({keys_hint(choices)}; r repeats): "
    terminal.say("\n".join(lines))
    while True:
        line = _read_line(terminal, prompt)
        value = match(line, choices)
        if value is not None:
            terminal.say(f"Answer: {printable(labels[value])}")
            return value
        if " ".join(line.split()).casefold() in ("r", "repeat"):
            terminal.say("\n".join(lines))
            continue
        terminal.say("\n".join(wrap_words(not_a_choice(line, choices), cols)))


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
        use_emacs_keys=False,  # Ctrl-N/Ctrl-P are bound below, with the arrows
        **_output(terminal),
    )
    _typed_keys(question, choices, help_text, cols, chosen=default in values)
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
    question: Any,
    choices: Sequence[tuple[str, str]],
    help_text: str | None,
    cols: int,
    chosen: bool,
) -> None:
    """Typed keys move the pointer: a key that picks a choice on its own picks it, whatever
    was typed before; longer starts are shown as they grow. Enter answers only when the
    pointer is on a choice (``chosen``: it starts on one) and what was typed picks one;
    else it says why. The help text and that line are shown under the choices."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys

    app = question.application
    control = _SelectInternals(question)
    if not chosen:
        control.pointed = -1  # no choice is highlighted (questionary draws no pointer)
    state = {"typed": "", "message": ""}
    values = [value for value, _ in choices]
    labels = dict(choices)
    typed_keys, extra = _keys(choices)
    others = f" ({', '.join(extra)})" if extra else ""
    how = f"Type {typed_keys}{others} or use the arrows, then Enter."

    def typed(text: str) -> None:
        state["typed"] = text
        value = match(text, choices)
        if value is not None:
            control.pointed = values.index(value)
        word = " ".join(text.split())
        if value is None and word:
            state["message"] = not_a_choice(text, choices)
        elif len(word) > 1 and value is not None:  # a longer start, shown as it grows
            state["message"] = f"'{printable(word)}': {printable(labels[value])}"
        else:
            state["message"] = ""

    bindings = KeyBindings()

    @bindings.add(Keys.Any)
    def _(event: Any) -> None:
        data = event.data
        if len(data) == 1 and data.isprintable():
            longer = state["typed"] + data
            alone = grows(data, choices) and not grows(longer, choices)
            typed(data if alone else longer)

    @bindings.add(Keys.Backspace, eager=True)
    def _(event: Any) -> None:
        if state["typed"]:
            typed(state["typed"][:-1])
        elif BACK in values:
            control.pointed = values.index(BACK)

    def move(step: int) -> None:
        state["typed"], state["message"] = "", ""
        if control.pointed < 0:  # nothing highlighted yet: Down is the first choice
            control.pointed = 0 if step > 0 else len(values) - 1
        else:
            control.pointed = (control.pointed + step) % len(values)

    for key, step in ((Keys.Down, 1), (Keys.ControlN, 1), (Keys.Up, -1), (Keys.ControlP, -1)):
        bindings.add(key, eager=True)(lambda event, step=step: move(step))

    @bindings.add(Keys.ControlM, eager=True)
    def _(event: Any) -> None:
        if state["typed"] and match(state["typed"], choices) is None:
            state["message"] = not_a_choice(state["typed"], choices)
            state["typed"] = ""  # nothing is submitted
            return
        if control.pointed < 0:
            state["message"] = f"No answer is chosen yet. {how}"
            return
        control.answer(event)

    def under() -> str:
        lines = wrap_words(printable(help_text), cols - 1) if help_text else []
        if state["message"]:
            lines += wrap_words(state["message"], cols - 1)
        return "\n".join(lines)

    control.draw_under(under)
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])


class _SelectInternals:
    """The one place indcli reaches into questionary's internals, written against
    questionary 2.0 and 2.1 (pyproject.toml bounds it below 2.2; CI tests both ends): the
    ``InquirerControl`` of its select prompt, whose ``pointed_at`` is the highlighted
    choice (-1: none), ``is_answered`` and ``get_pointed_at()`` end it, and ``text`` draws
    the choices. A questionary that changes these breaks only this class."""

    def __init__(self, question: Any) -> None:
        from questionary.prompts.common import InquirerControl

        controls = question.application.layout.find_all_controls()
        self._control: Any = next(c for c in controls if isinstance(c, InquirerControl))

    @property
    def pointed(self) -> int:
        return int(self._control.pointed_at)

    @pointed.setter
    def pointed(self, index: int) -> None:
        self._control.pointed_at = index

    def answer(self, event: Any) -> None:
        """End the prompt with the highlighted choice."""
        self._control.is_answered = True
        event.app.exit(result=self._control.get_pointed_at().value)

    def draw_under(self, text_under: Callable[[], str]) -> None:
        """Draw ``text_under()`` (help, a message) under the choices, on every redraw."""
        choices_text = self._control.text

        def drawn() -> Any:
            text, tokens = text_under(), choices_text()
            return [*tokens, ("", "\n"), ("class:instruction", text)] if text else tokens

        self._control.text = drawn


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
    answer = _without_sigint_handler(_eof_on_ctrl_d(question)).unsafe_ask()
    if answer is None:
        raise EOFError
    return answer


def _without_sigint_handler(question: Any) -> Any:
    """Run the prompt without prompt_toolkit's own SIGINT handler.

    On a terminal in raw mode Ctrl-C is a key, which questionary binds to
    KeyboardInterrupt; a SIGINT from elsewhere raises KeyboardInterrupt through Python's
    handler, as it does everywhere else in indcli. prompt_toolkit's handler would import
    ctypes to save and restore the C-level handler: about 2 ms before the first question."""
    run = question.application.run
    question.application.run = lambda *args, **kwargs: run(
        *args, **{"handle_sigint": False, **kwargs}
    )
    return question


def _eof_on_ctrl_d(question: Any) -> Any:
    """Make Ctrl-D end the prompt with EOFError (exit 130), as the README promises.

    questionary's select binds only Ctrl-C and Ctrl-Q, so Ctrl-D was silently ignored.
    """
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
    return question
