"""``check --source-file``: the one quote check against a saved page, in bounded work,
and files that are not a page refused with one line (exit 2), never a hang."""

from __future__ import annotations

import json
import os
import random

import pytest
from conftest import PACKS, SEED

from indcli.checks import quotes
from indcli.checks.source_drift import MAX_PAGE_BYTES, Page, page_paragraphs
from indcli.testing import make_app, run

PAGE = SEED.read_text(encoding="utf-8")


def check(path) -> tuple[int, str, str]:
    result = run(make_app(*PACKS), ["check", "--source-file", f"ind-partner-forms={path}"])
    return result.exit_code, result.stdout, result.stderr


def test_html_pages_become_paragraphs_at_block_elements():
    html = (
        "<html><head><style>p {}</style></head><body><h1>Title</h1>"
        "<p>One <a href='x'>link</a>\n  goes on &amp; on.</p><ul><li>First</li><li>Second"
        "</li></ul><p>It\u2019s &ldquo;quoted&rdquo;.</p></body></html>"
    )
    assert page_paragraphs(html) == [
        "Title",
        "One link goes on & on.",
        "First",
        "Second",
        'It\'s "quoted".',
    ]


def test_the_command_uses_the_paragraph_and_order_check(tmp_path):
    """The quote check of the faithfulness tests: a quote spread over paragraphs with
    something between them, or fragments out of page order, is drift too (a plain
    substring test missed both)."""
    page = tmp_path / "page.txt"
    moved = PAGE.replace(
        "You can submit the application online or in writing. ",
        "You can submit the application online or in writing.\n\nOnline forms\n\n",
    )
    page.write_text(moved, encoding="utf-8")
    code, out, _ = check(page)
    assert code == 1 and "is not in one paragraph of" in out
    assert "closest passage there is" in out


def test_a_wrong_page_gets_a_closest_passage_from_few_comparisons(monkeypatch):
    import difflib

    rng = random.Random(1)
    words = PAGE.split()
    text = "\n\n".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(5, 40))) + "." for _ in range(400)
    )
    page = Page(quotes.paragraphs(text))
    calls = []
    real = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(
        difflib.SequenceMatcher, "ratio", lambda self: calls.append(1) or real(self)
    )
    near = page.closest("The online application is usually faster.")
    assert near and len(calls) <= 8


def test_a_page_that_is_not_a_regular_file_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "page.fifo"
    os.mkfifo(fifo)
    code, _, err = check(fifo)  # no writer: a blocking open would wait forever
    assert code == 2 and "is not a regular file" in err and "Traceback" not in err
    code, _, err = check(tmp_path)
    assert code == 2 and "is not a regular file" in err


def test_a_page_larger_than_the_content_cap_is_refused(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>x</p>" * (MAX_PAGE_BYTES // 8 + 1))
    code, _, err = check(big)
    assert code == 2 and f"larger than {MAX_PAGE_BYTES // 1024} KiB" in err


@pytest.mark.parametrize("markup", ["<html><body><p><![ x", "<p>ok</p><![ broken"])
def test_html_the_parser_rejects_is_one_line(tmp_path, markup):
    page = tmp_path / "page.html"
    page.write_text(markup, encoding="utf-8")
    result = run(make_app(*PACKS), ["check", "--format", "json", "--source-file",
                                    f"ind-partner-forms={page}"])  # fmt: skip
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "not a page indcli can read" in json.loads(line)["error"]["message"]


def test_every_quote_problem_names_its_content_file_and_line(tmp_path):
    """A reviewer or an editor jumps straight to the quote to fix (issue 25)."""
    page = tmp_path / "page.txt"
    page.write_text(PAGE.replace("Berichtenbox", "Postbox"), encoding="utf-8")
    result = run(make_app(*PACKS), ["check", "--format", "json", "--source-file",
                                    f"ind-partner-forms={page}"])  # fmt: skip
    problems = json.loads(result.stdout)["problems"]
    assert problems and result.exit_code == 1
    for problem in problems:
        assert problem["file"] == "content.toml" and isinstance(problem["line"], int), problem
        pack = next(p for p in PACKS if p.__name__.replace("_", "-") == problem["pack"])
        path = os.path.join(os.path.dirname(pack.__file__), "content.toml")
        with open(path, encoding="utf-8") as handle:
            line = handle.read().splitlines()[problem["line"] - 1]
        fragment = problem["message"].split('"')[1]
        assert fragment in line or "id =" in line, (problem, line)
