"""Mechanical checks that content says what its source says, and quotes it exactly.

Two kinds of check, both pure functions (no pydantic, no click) on pack content (the typed
objects of :mod:`indcli.content.model`) and on the text of a saved source page, so any caller can
use them:

- :func:`added_facts`: a ``page`` item's text may not add what its quote lacks. Only what
  can be told mechanically is checked: numbers, negations, "always", "never", "only",
  "must". Everything else is left to the reviewer and to ``basis = "inference"``.
- :func:`quote_problems`: every fragment of a quote (fragments are joined with
  :data:`GAP`) is the page's words, in page order: inside one paragraph, or running on
  from the end of a paragraph into the next (nothing left out, so no :data:`GAP`).

Each returns a list of short problem strings; an empty list means nothing was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from indcli.content.model import Content, walk

GAP = " […] "
"""What joins two quoted fragments that are not next to each other on the page."""

# "one" and "first" are left out: far more often a pronoun ("the right one") or an order
# ("first apply for DigiD") than a count.
_NUMBER_WORDS = {
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "second": "2nd",
    "third": "3rd",
}
_NEGATIONS = {"not", "no", "never", "none", "nothing", "nobody", "nor", "neither", "cannot"}
_MARKERS = ("always", "never", "only", "must")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LIST_ITEM = re.compile(r"^\s*(?:\d+\.|[•*-])\s+")


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace(GAP.strip(), " ")
    words: list[str] = []
    for word in _WORD.findall(text):
        if word.endswith("n't"):
            words += [word[:-3], "not"]
        else:
            words.append(word)
    return words


def _numbers(words: list[str]) -> set[str]:
    found = set()
    for word in words:
        if word.isdigit():
            found.add(str(int(word)))
        elif word in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[word])
        elif re.fullmatch(r"\d+(?:st|nd|rd|th)", word):
            found.add(word)
    return found


def added_facts(text: str, quote: str) -> list[str]:
    """What ``text`` states that ``quote`` lacks, where that can be told from the words.

    A number, a negation, "always", "never", "only" or "must" in the text must also be in
    the quote. Negations count as one kind ("no" in the text is covered by "not" in the
    quote): the check finds a negation the quote has none of, not a reworded one.
    """
    said, quoted = _words(text), _words(quote)
    problems = [
        f"the text has the number {n}, the quote does not"
        for n in sorted(_numbers(said) - _numbers(quoted))
    ]
    if _NEGATIONS & set(said) and not _NEGATIONS & set(quoted):
        negation = next(w for w in said if w in _NEGATIONS)
        problems.append(f"the text has a negation ('{negation}'), the quote has none")
    for marker in _MARKERS:
        if marker in said and marker not in quoted:
            problems.append(f"the text says '{marker}', the quote does not")
    return problems


def based_items(content: Content) -> Iterator[tuple[str, Any]]:
    """Every item of a pack's content that has a ``basis``, with where it is (the one
    walk of :func:`indcli.content.model.walk`, so ``check`` names items as everywhere else)."""
    for located in walk(content):
        if getattr(located.item, "basis", None) is not None:
            yield located.where, located.item


def item_problems(item: Any) -> list[str]:
    """:func:`added_facts` for one item with basis ``page``; nothing for an inference."""
    if item.basis != "page":
        return []
    return added_facts(item.text, item.source.quote)


def content_problems(content: Content) -> list[tuple[str, str]]:
    """(where, problem) for every ``page`` item of a pack's content that adds a fact."""
    return [
        (where, problem) for where, item in based_items(content) for problem in item_problems(item)
    ]


def inferences(content: Content) -> list[tuple[str, str]]:
    """(where, note) for every item of a pack's content marked ``inference``: its
    ``basis_note``, or for a gap (indcli's note on what the source does not say) its
    text and where to find out."""
    return [
        (where, item.basis_note or f"{item.text} {getattr(item, 'find_out', None) or ''}".strip())
        for where, item in based_items(content)
        if item.basis == "inference"
    ]


# --- quotes against a saved copy of the source -----------------------------------------


_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """THE normaliser of quotes and pages: whitespace runs (non-breaking spaces included)
    become one space and typographic quotes straight ones; nothing else."""
    return " ".join(text.replace("\u00a0", " ").translate(_TYPOGRAPHIC).split())


def paragraphs(page: str) -> list[str]:
    """The page's paragraphs: blank-line separated blocks, each list item on its own.

    A list item is a line that starts with a number and a dot, or a bullet; its marker is
    not part of the paragraph.
    """
    found: list[str] = []
    for block in re.split(r"\n\s*\n", page.replace("\r\n", "\n")):
        current: list[str] = []
        for line in block.split("\n"):
            if _LIST_ITEM.match(line):
                if current:
                    found.append(normalise(" ".join(current)))
                current = [_LIST_ITEM.sub("", line)]
            else:
                current.append(line)
        if current and normalise(" ".join(current)):
            found.append(normalise(" ".join(current)))
    return found


def quote_problems(quote: str, page_paragraphs: list[str]) -> list[str]:
    """Where ``quote`` is not the page's words: each fragment inside one paragraph, in
    page order (a fragment must start after the previous one ends)."""
    return [
        f"'{_short(fragment)}' is out of page order"
        if missing == "order"
        else f"'{_short(fragment)}' is not inside one paragraph of the page"
        for fragment, missing in fragment_problems(quote, page_paragraphs)
    ]


def fragment_problems(quote: str, page_paragraphs: list[str]) -> list[tuple[str, str]]:
    """(fragment, ``order`` or ``paragraph``) for each fragment of ``quote`` that is out of
    page order or not inside one paragraph; the fragment is normalised."""
    problems = []
    position = (0, 0)  # (paragraph, offset) where the next fragment may start
    for fragment in quote.split(GAP):
        wanted = normalise(fragment)
        found = _find(wanted, page_paragraphs, position)
        if found is not None:
            position = found
        elif _find(wanted, page_paragraphs, (0, 0)) is not None:
            problems.append((wanted, "order"))
        else:
            problems.append((wanted, "paragraph"))
    return problems


def _find(wanted: str, page: list[str], start: tuple[int, int]) -> tuple[int, int] | None:
    """Where ``wanted`` ends, found from ``start`` on: inside one paragraph, or running on
    from the end of one into the paragraphs right after it (which follow with one space:
    nothing is left out, so no :data:`GAP`)."""
    paragraph, offset = start
    for index in range(paragraph, len(page)):
        text, first = page[index], offset if index == paragraph else 0
        at = text.find(wanted, first)
        if wanted and at >= 0:
            return index, at + len(wanted)
        run = text
        for later in range(index + 1, len(page)):
            if len(run) >= len(text) + len(wanted):
                break  # a match starting in ``text`` would have ended by now
            run += " " + page[later]
            at = run.find(wanted, first)
            if wanted and 0 <= at < len(text) and at + len(wanted) > len(text):
                return later, at + len(wanted) - (len(run) - len(page[later]))
    return None


def _short(text: str, limit: int = 60) -> str:
    text = normalise(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
