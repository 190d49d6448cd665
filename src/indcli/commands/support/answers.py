"""Answers to a flow's questions: reading answers files and checking every value.

An answers file is a JSON or TOML object of question id -> choice id. Every problem is a
usage error (exit 2) that names the file, where in it the problem is, and what is allowed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from indcli.limits import MAX_ANSWERS_BYTES, MAX_KEY_PARTS, long_key_line
from indcli.routing.engine import InvalidAnswer, validate_answers
from indcli.routing.flow import Flow
from indcli.utils.text_safety import one_line


def read_answers_file(name: str) -> dict[str, Any]:
    """Parse the answers file ``name`` (``-`` is stdin)."""
    label = "answers from stdin" if name == "-" else f"answers file {one_line(name)}"
    try:
        if name == "-":
            blob = stdin_bytes("answers", "--answers FILE").read(MAX_ANSWERS_BYTES + 1)
        else:
            with open(name, "rb") as stream:
                blob = stream.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise click.UsageError(f"cannot read {label}: {exc.strerror or exc}.") from None
    if len(blob) > MAX_ANSWERS_BYTES:
        raise click.UsageError(
            f"{label} is larger than {MAX_ANSWERS_BYTES // 1024} KiB; "
            "an answers file holds a handful of answers."
        )
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.UsageError(
            f"{label} is not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8."
        ) from None
    if not text.strip():
        raise click.UsageError(
            f'{label} is empty; write an object such as {{"temporary-permit": "no"}}.'
        )
    as_json = name.lower().endswith(".json") or (
        not name.lower().endswith(".toml") and text.lstrip().startswith(("{", "["))
    )
    import tomllib

    if not as_json and (number := long_key_line(text)) is not None:
        raise click.UsageError(
            f"{label}: line {number} has a key of {MAX_KEY_PARTS} parts or more; "
            "answers are question id = answer."
        )
    try:
        data = json.loads(text, object_pairs_hook=no_duplicates) if as_json else tomllib.loads(text)
    except Duplicate as exc:
        raise click.UsageError(
            f"{label} gives '{one_line(exc.key)[:80]}' twice; give each answer once."
        ) from None
    except json.JSONDecodeError as exc:
        raise click.UsageError(
            f"{label} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise click.UsageError(f"{label} is not valid TOML (or JSON): {exc}.") from None
    except RecursionError:
        raise click.UsageError(f"{label} is nested too deeply to be answers.") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise click.UsageError(f"{label} holds a value Python cannot read: {exc}.") from None
    if not isinstance(data, dict):
        raise click.UsageError(
            f"{label} must hold one object of question id -> answer, not {_kind(data)}."
        )
    return data


class Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects with a key given twice are ambiguous (TOML refuses them too)."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise Duplicate(key)
        data[key] = value
    return data


def stdin_bytes(what: str, instead: str) -> Any:
    """Binary stdin, or a usage error when indcli was started with stdin closed. When
    stdin is a terminal, a line on stderr says indcli waits for typing and how to end."""
    from indcli.output.terminal import isatty

    stdin = getattr(sys.stdin, "buffer", None)
    if stdin is None:
        raise click.UsageError(f"cannot read {what} from stdin: stdin is closed; give {instead}.")
    if isatty(sys.stdin):
        click.echo(
            f"Reading {what} from the terminal. Type, then Ctrl-D on a line of its own to "
            "end (Ctrl-C stops).",
            err=True,
        )
    return stdin


def check_inputs(options: dict[str, Any], ctx: click.Context | None = None) -> str | None:
    """Refuse option combinations whose meaning is unclear; return the answers file.

    ``--answers`` takes one file (given twice, which wins?); the answers and the batch
    cannot share stdin, however it is named (``-``, ``/dev/stdin``, ``/dev/fd/0``, a file
    that is what stdin reads); ``--graph`` draws the whole flow, so answers and a batch
    would be silently ignored."""
    files = options.get("answers_file") or ()
    files = (files,) if isinstance(files, str) else tuple(files)
    if len(files) > 1:
        raise click.UsageError(
            "--answers is given more than once; give one answers file (options on the "
            "command line can add to it).",
            ctx,
        )
    answers = files[0] if files else None
    batch = options.get("batch_file")
    if answers is not None and batch is not None and _stdin(answers) and _stdin(batch):
        raise click.UsageError(
            f"--answers {one_line(answers)} and --batch {one_line(batch)} would both read "
            "stdin; put one of them in a file.",
            ctx,
        )
    if options.get("graph") and (batch is not None or answers is not None):
        used = "--batch" if batch is not None else "--answers"
        raise click.UsageError(
            f"--graph draws the whole flow and takes no answers; leave out {used}.", ctx
        )
    return answers


def _stdin(name: str) -> bool:
    """Whether reading ``name`` reads what stdin reads."""
    if name == "-":
        return True
    import os

    try:
        return os.path.samestat(os.stat(name), os.fstat(0))
    except (OSError, ValueError):
        return False


def _iso(value: Any) -> str:
    """TOML dates and times, which JSON has no type for, as TOML writes them."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _kind(value: Any) -> str:
    """What a parsed value is, in the words of JSON (not Python's type names)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def check_answers(
    flow: Flow, raw: Mapping[str, Any], where: str, *, option_names: bool = False
) -> dict[str, str]:
    """Validate answers against the flow's questions; return them in question order.

    ``where`` names the origin in messages ("answers file a.json", "line 7"); a problem is
    a usage error (exit 2) that says what is allowed.
    """
    try:
        return validate_answers(flow, raw)
    except InvalidAnswer as exc:
        raise click.UsageError(describe_invalid(exc, where, option_names=option_names)) from None


def describe_invalid(exc: InvalidAnswer, where: str, *, option_names: bool = False) -> str:
    """An invalid answer in words, naming its origin (if any) and what is allowed."""
    where = f"{where}: " if where else ""
    if exc.unknown_question:
        return (
            f"{where}'{one_line(str(exc.question))[:80]}' is not a question of this flow."
            f"{did_you_mean(exc.question, exc.allowed)} Questions: {', '.join(exc.allowed)}."
        )
    shown = one_line(json.dumps(exc.value, ensure_ascii=False, default=_iso))[:80]
    name = f"--{exc.question}" if option_names else f"'{exc.question}'"
    return (
        f"{where}{shown} is not a valid answer for {name}; use one of: "
        f"{', '.join(exc.allowed)}.{did_you_mean(exc.value, exc.allowed)}"
    )


def did_you_mean(typed: Any, allowed: Sequence[str]) -> str:
    """`` Did you mean 'yes'?`` when ``typed`` is a near miss of one of ``allowed``
    (``yess``, ``temporary_permit``, ``Temporay-Permit``), else nothing."""
    if not isinstance(typed, str) or not typed.strip() or len(typed) > 80:
        return ""
    import difflib

    word = typed.strip().casefold().replace("_", "-")
    close = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.7)
    return f" Did you mean '{close[0]}'?" if close else ""
