"""Text, help and prompts wrap only at spaces, at every width from 40 columns up."""

from __future__ import annotations

import shlex

import pytest
from conftest import PACKS

from indcli.commands.support import prompts
from indcli.output.guide_payload import describe_guide, guide_payload
from indcli.output.render import to_text, wrap_command, wrap_words
from indcli.output.route_doc import describe_route
from indcli.testing import make_app, route_answers, run

WIDTHS = [40, 50, 60, 80]
PAPER = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "yes"}


KEPT = "Immigratie- en Naturalisatiedienst"  # one name: longer than a line, alone on it


def _words(text: str) -> list[str]:
    """The words, less those click shortens to fit ("content...") and continuations."""
    return [w for w in text.replace(" \\\n", " ").split() if not w.endswith("...")]


def _check(text: str, cols: int) -> None:
    """Only a lone long word (a URL, a quoted argument) or the name may pass the edge."""
    for line in text.splitlines():
        if len(line) <= cols:
            continue
        body = line.strip().removesuffix(" \\")
        url = body.split()[-1].startswith("https://")  # a URL longer than any line
        assert body.strip(".,()") == KEPT or len(shlex.split(body)) == 1 or url, line


@pytest.mark.parametrize("cols", WIDTHS)
def test_the_route_wraps_only_at_spaces(cols):
    data = route_answers(make_app(*PACKS), PAPER)
    wide = to_text(describe_route(data, asked=True), 10_000)
    narrow = to_text(describe_route(data, asked=True), cols)
    _check(narrow, cols)
    assert _words(narrow) == _words(wide)  # no word was cut in two


@pytest.mark.parametrize("cols", WIDTHS)
def test_a_dutch_name_is_never_split(cols):
    guide = make_app(*PACKS).catalog.guides["berichtenbox"]
    text = to_text(describe_guide(guide_payload("berichtenbox-steps", guide)), cols)
    assert "Immigratie- en Naturalisatiedienst" in text
    _check(text, cols)


@pytest.mark.parametrize("cols", WIDTHS)
def test_help_wraps_only_at_spaces_and_keeps_command_names(cols):
    narrow = make_app(*PACKS, environ={"COLUMNS": str(cols)})  # the App's environment
    wide_app = make_app(*PACKS, environ={"COLUMNS": "1000"})
    for args in (["--help"], ["route", "--help"], ["berichtenbox-steps", "--help"]):
        text = run(narrow, args).stdout
        _check(text, cols)
        wide = run(wide_app, args).stdout
        assert "berichtenbox-" not in text.replace("berichtenbox-steps", "")
        assert set(_words(text)) <= set(_words(wide)), args  # no word cut in two


def test_a_wrapped_command_still_pastes_as_one_command():
    lines = wrap_command(
        "indcli route --eu-long-term-resident no --temporary-permit yes --partner-abroad no", 40
    )
    assert all(len(line) <= 40 for line in lines)
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert "--temporary-permit yes" in " ".join(lines)  # an option keeps its value


@pytest.mark.parametrize("cols", WIDTHS)
def test_prompts_wrap_at_spaces(cols):
    message = "Are you or is your partner a long-term resident EU in another Member State?"
    hint = "(\u2191/\u2193 or 1-3, Enter; b back)"
    title, instruction = prompts._message(message, hint, cols)
    assert all(len(line) + 2 <= cols for line in title.splitlines())
    assert " ".join(title.split()) == message
    assert instruction.strip() == hint  # the keys are said at every width
    last = title.splitlines()[-1]
    assert instruction.startswith("\n") or len(last) + len(instruction) + 4 <= cols
    assert wrap_words("a b?", 40) == ["a b?"]
