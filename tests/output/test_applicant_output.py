"""Everything an applicant reads, walked whole: the route in text and markdown for every
answer combination, every topic, every guide and every --help. None of it may hold
brackets inside brackets, "First: First", or a sentence about the page text indcli works
from (issue 21): the reader gets what to do and where, and indcli's own readings carry
one mark, ``indcli's reading:``, before the sentence."""

from __future__ import annotations

import itertools
import re

from conftest import PACKS, QUESTIONS

from indcli.checks.style import nested_brackets
from indcli.output.render import INFERENCE_MARK
from indcli.testing import make_app, run

COMBINATIONS = [
    dict(zip(QUESTIONS, c, strict=True)) for c in itertools.product(*QUESTIONS.values())
]
# indcli's view of its own copy of the page: never the reader's business.
ABOUT_THE_PAGE_TEXT = (
    "page text",
    "works from",
    "link text",
    "link's name",
    "address is missing",
    "ends in '>'",
    "its text ends",
    "(see below)",
    "says how to get it",
    "right the first time",
)
OLD_MARKS = ("does not say this in these words", "(indcli's reading", "indcli reads")


def flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def problems_of(text: str) -> list[str]:
    """What the reader should never see in ``text`` (one whole output)."""
    said = flat(text)
    found = [phrase for phrase in ABOUT_THE_PAGE_TEXT + OLD_MARKS if phrase in said]
    if "First: First" in said:
        found.append("First: First")
    if nested_brackets(said):
        found.append("nested brackets")
    found += [f"bare mark: {m}" for m in re.findall(r"indcli's reading(?!:).{0,30}", said)]
    return found


def outputs(app) -> dict[str, str]:
    """Every applicant-facing output, by the command line that printed it."""
    seen: dict[str, str] = {}

    def take(args: list[str]) -> None:
        result = run(app, args)
        assert result.exit_code == 0, (args, result.stderr)
        seen[" ".join(args)] = result.stdout

    for answers in COMBINATIONS:
        flags = [part for q, v in answers.items() for part in (f"--{q}", v)]
        for fmt in ("text", "markdown"):
            take(["route", "--no-input", "--format", fmt, *flags])
    for fmt in ("text", "markdown"):
        take(["explain", "--format", fmt])
        for topic in sorted(app.catalog.topics):
            take(["explain", topic, "--format", fmt])
        for guide in app.catalog.guides.values():
            assert guide.command is not None
            take([guide.command.name, "--format", fmt])
    take(["--help"])
    names = re.findall(r"^  ([a-z][a-z-]+)  ", seen["--help"].split("Commands:", 1)[1], re.M)
    for name in names:
        take([name, "--help"])
    return seen


def test_no_output_an_applicant_reads_has_brackets_in_brackets_or_talks_about_page_text():
    app = make_app(*PACKS)
    seen = outputs(app)
    assert len(seen) >= 2 * len(COMBINATIONS) + 2 * (1 + len(app.catalog.topics)) + 5
    bad = {args: found for args, text in seen.items() if (found := problems_of(text))}
    assert bad == {}


def test_the_walk_finds_what_it_looks_for():
    assert problems_of("First: First apply") == ["First: First"]
    assert problems_of("a (b (c)) d") == ["nested brackets"]
    assert problems_of("(the page text indcli works from has the link's name)") == [
        "page text",
        "works from",
        "link's name",
    ]
    assert problems_of("That is indcli's reading.") == ["bare mark: indcli's reading."]
    assert problems_of(f"{INFERENCE_MARK} the link leads to a page.") == []


def test_every_inference_is_marked_the_one_way_in_text_and_markdown():
    app = make_app(*PACKS)
    for args in (
        ["route", "--no-input", "--eu-long-term-resident", "yes"],
        ["explain", "long-term-resident-eu"],
        ["berichtenbox-steps"],
    ):
        for fmt in ("text", "markdown"):
            out = flat(run(app, [*args, "--format", fmt]).stdout).replace("*", "")
            assert f"{INFERENCE_MARK} " in out, (args, fmt)
