"""Source drift: is every quote still on the page it cites?

``indcli check --source-file SOURCE_ID=FILE`` compares each quote citing SOURCE_ID with a
saved copy of the page (HTML or text). Both sides are compared as plain text: tags
stripped, entities decoded, whitespace collapsed, typographic quotes made straight. A
quote may join passages with `` […] ``; each passage must be on the page. For a passage
that is not, the closest passage of the page (by :mod:`difflib`) is shown, so the
maintainer sees what changed.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

from indcli.content.model import Content, cited, walk

ELLIPSIS = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def normalise(text: str) -> str:
    return " ".join(html.unescape(text).translate(_QUOTES).split())


def page_text(raw: str) -> str:
    """The page's text, normalised; HTML is recognised by its tags."""
    if re.search(r"<(html|body|p|div|h1|span)\b", raw, re.IGNORECASE):
        parser = _Text()
        parser.feed(raw)
        raw = "".join(parser.parts)
    return normalise(raw)


def passages(quote: str) -> list[str]:
    """The parts of a quote that must each be on the page."""
    return [normalise(p) for p in ELLIPSIS.split(quote) if p.strip()]


def closest(passage: str, text: str) -> str:
    """The passage of ``text`` most like ``passage``: one to three sentences."""
    sentences = _SENTENCE_END.split(text)
    spans = {" ".join(sentences[i : i + n]) for n in (1, 2, 3) for i in range(len(sentences))}
    best = difflib.get_close_matches(passage, list(spans), n=1, cutoff=0.0)
    return best[0] if best else ""


def missing_quotes(
    contents: Iterable[Content], pages: Mapping[str, str]
) -> Iterable[tuple[str, str, str, str]]:
    """(pack, item, missing passage, closest passage) for every quote not on its page.

    ``pages``: source id -> the page's normalised text (:func:`page_text`).
    """
    for content in contents:
        for located in walk(content):
            if not cited(located):
                continue
            cite = located.item.source
            text = pages.get(cite.source)
            if text is None:
                continue
            for passage in passages(cite.quote):
                if passage not in text:
                    yield content.pack, located.where, passage, closest(passage, text)


def cited_sources(contents: Iterable[Content]) -> set[str]:
    """Every source id some item cites."""
    return {x.item.source.source for c in contents for x in walk(c) if cited(x)}
