"""Answers to a flow's questions: reading answers files and checking every value.

An answers file is a JSON or TOML object of question id -> choice id. Every problem is a
usage error (exit 2) that names the file, where in it the problem is, and what is allowed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

import click

from indcli.engine import InvalidAnswer, validate_answers
from indcli.flow import Flow
from indcli.limits import MAX_ANSWERS_BYTES, printable


def read_answers_file(name: str) -> dict[str, Any]:
    """Parse the answers file ``name`` (``-`` is stdin)."""
    label = "answers from stdin" if name == "-" else f"answers file {printable(name)}"
    try:
        if name == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:  # started with stdin closed
                raise click.UsageError(
                    "cannot read answers from stdin: stdin is closed; give --answers FILE."
                )
            blob = stdin.read(MAX_ANSWERS_BYTES + 1)
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

    try:
        data = json.loads(text) if as_json else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise click.UsageError(
            f"{label} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise click.UsageError(f"{label} is not valid TOML (or JSON): {exc}.") from None
    except RecursionError:
        raise click.UsageError(f"{label} is nested too deeply to be answers.") from None
    if not isinstance(data, dict):
        raise click.UsageError(
            f"{label} must hold one object of question id -> answer, not {_kind(data)}."
        )
    return data


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
            f"{where}'{printable(str(exc.question))[:80]}' is not a question of this flow. "
            f"Questions: {', '.join(exc.allowed)}."
        )
    shown = printable(json.dumps(exc.value, ensure_ascii=False))[:80]
    name = f"--{exc.question}" if option_names else f"'{exc.question}'"
    return f"{where}{shown} is not a valid answer for {name}; use one of: {', '.join(exc.allowed)}."
