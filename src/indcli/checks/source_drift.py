"""Source drift: is every quote still on the page it cites?

``indcli check --source-file SOURCE_ID=FILE`` checks each quote citing SOURCE_ID against a
saved copy of the page (HTML or text) with THE quote check of :mod:`indcli.checks.quotes`
(each fragment inside one paragraph, in page order, one normaliser). HTML becomes
paragraphs at its block elements, with entities decoded.

For a fragment that is not on the page, the closest passage of the page (one to three
sentences of a paragraph) is shown, so the maintainer sees what changed. The page is
indexed once; a cheap filter (the rarest words the fragment shares with each passage)
picks a few candidates, and only those are compared with :mod:`difflib`, on bounded
lengths: a wrong or random page answers in well under a second per quote.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from indcli.checks.quotes import fragment_problems, paragraphs
from indcli.checks.report import Problem
from indcli.content.model import Content, cited, walk
from indcli.limits import MAX_CONTENT_BYTES
from indcli.packs.catalog import Catalog
from indcli.packs.discovery import normalise

MAX_PAGE_BYTES = MAX_CONTENT_BYTES  # a saved page is capped like a content file
CANDIDATES = 8  # passages compared with difflib per fragment
RARE_WORDS = 8  # the fragment's rarest words that pick the candidates
MAX_COMPARED = 400  # characters of a fragment and of a passage that difflib compares
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
_WORD = re.compile(r"\w+")
# fmt: off
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th",
    "title", "tr", "ul",
))
# fmt: on


class PageError(ValueError):
    """The file cannot be used as a saved page (the message says why)."""


class _Text(HTMLParser):
    """The text of an HTML page, a blank line at each block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")
        self.parts.append("\n\n" if tag in _BLOCKS else "")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0
        self.parts.append("\n\n" if tag in _BLOCKS else "")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))  # HTML: a newline is a space


def read_page(file: str) -> str:
    """The text of a saved page: a regular file (opened without waiting, so a FIFO or a
    device cannot hang the check) of at most :data:`MAX_PAGE_BYTES`; :class:`PageError`
    otherwise, or :class:`OSError` when it cannot be read."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PageError("is not a regular file")
        if st.st_size > MAX_PAGE_BYTES:
            raise PageError(f"is larger than {MAX_PAGE_BYTES // 1024} KiB")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            blob = handle.read(MAX_PAGE_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(blob) > MAX_PAGE_BYTES:
        raise PageError(f"is larger than {MAX_PAGE_BYTES // 1024} KiB")
    return blob.decode("utf-8", "replace")


def page_paragraphs(raw: str) -> list[str]:
    """The page's paragraphs, normalised; HTML is recognised by its tags."""
    if re.search(r"<(html|body|p|div|h1|span)\b", raw, re.IGNORECASE):
        parser = _Text()
        try:
            parser.feed(raw)
            parser.close()
        except Exception as exc:  # html.parser raises on some malformed markup
            raise PageError(f"is not a page indcli can read ({type(exc).__name__})") from None
        raw = "".join(parser.parts)
    return paragraphs(raw)


@dataclass
class Page:
    """A saved page, indexed once: its paragraphs and its passages by word."""

    paragraphs: list[str]
    file: str = ""  # where it was read from, for messages

    def __post_init__(self) -> None:
        self.passages: list[str] = []
        for paragraph in self.paragraphs:
            sentences = _SENTENCE_END.split(paragraph)
            for n in (1, 2, 3):
                for i in range(len(sentences) - n + 1):
                    self.passages.append(" ".join(sentences[i : i + n]))
        self.by_word: dict[str, list[int]] = {}
        for index, passage in enumerate(self.passages):
            for word in set(_words(passage)):
                self.by_word.setdefault(word, []).append(index)

    def closest(self, fragment: str) -> str:
        """The passage of the page most like ``fragment`` ("" when none shares a word)."""
        import difflib

        known = [w for w in set(_words(fragment)) if w in self.by_word]
        rare = sorted(known, key=lambda w: (len(self.by_word[w]), w))[:RARE_WORDS]
        shared: dict[int, int] = {}
        for word in rare:
            for index in self.by_word[word]:
                shared[index] = shared.get(index, 0) + 1
        candidates = sorted(shared, key=lambda i: (-shared[i], i))[:CANDIDATES]
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(fragment[:MAX_COMPARED])
        best, best_ratio = "", -1.0
        for index in candidates:
            matcher.set_seq1(self.passages[index][:MAX_COMPARED])
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = self.passages[index], ratio
        return best


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Drift:
    """A quote fragment that is not on its page as quoted."""

    pack: str
    item: str
    source: str
    fragment: str
    problem: str  # "paragraph": not inside one paragraph; "order": out of page order
    closest: str  # for "paragraph": the closest passage of the page


def drift(contents: Iterable[Content], pages: dict[str, Page]) -> Iterator[Drift]:
    """Every fragment of a quote citing one of ``pages`` (source id -> page) that is not
    on that page as quoted."""
    for content in contents:
        for located in walk(content):
            if not cited(located):
                continue
            cite = located.item.source
            page = pages.get(cite.source)
            if page is None:
                continue
            for fragment, problem in fragment_problems(cite.quote, page.paragraphs):
                near = page.closest(fragment) if problem == "paragraph" else ""
                yield Drift(content.pack, located.where, cite.source, fragment, problem, near)


def cited_sources(contents: Iterable[Content]) -> set[str]:
    """Every source id some item cites."""
    return {x.item.source.source for c in contents for x in walk(c) if cited(x)}


def quote_problems(
    catalog: Catalog, pages: dict[tuple[str, str], Page], named: Iterable[str] = ()
) -> tuple[list[Problem], list[dict[str, Any]]]:
    """The quote fragments not on each saved page as quoted, and what was checked against
    each: only the quotes of the pack(s) the page belongs to (``PACK:``, else the PACKs
    named)."""
    from indcli.checks.quotes import GAP
    from indcli.checks.runner import locate_problems

    problems: list[Problem] = []
    needles: dict[int, str] = {}  # problem index -> the quote fragment, to find its line
    checked: list[dict[str, Any]] = []
    for (owner, source), page in pages.items():
        wanted = {normalise(owner)} if owner else {normalise(n) for n in named}
        contents = [
            c
            for p in catalog.packs
            if p.status == "loaded" and (not wanted or normalise(p.name) in wanted)
            for c in p.content
        ]
        cites = [
            (c.pack, x.item.source.quote)
            for c in contents
            for x in walk(c)
            if cited(x) and x.item.source.source == source
        ]
        packs = sorted({pack for pack, _ in cites})
        quotes = sum(len(quote.split(GAP)) for _, quote in cites)
        checked.append({"source": source, "file": page.file, "packs": packs, "quotes": quotes})
        for found in drift(contents, {source: page}):
            if found.problem == "order":
                message = (
                    f'the quote "{found.fragment}" is on {page.file}, but not after the '
                    "fragment before it: check the item against the page and update it"
                )
            else:
                message = (
                    f'the quote "{found.fragment}" is not in one paragraph of {page.file}; the '
                    f'closest passage there is "{found.closest}": check the item against the '
                    "page and update it"
                )
            problems.append(Problem("error", found.pack, "", found.item, "source.quote", message))
            needles[len(problems) - 1] = found.fragment
    return locate_problems(catalog, problems, needles), checked
