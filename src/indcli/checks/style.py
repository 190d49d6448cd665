"""The style guide's mechanical part (`indcli docs content`, "Style"): what ``indcli check``
can tell from the words alone. Pure functions on text and on pack content.

- no brackets inside brackets: "(a (b))" reads as a puzzle; split the sentence;
- no sentence over :data:`MAX_WORDS` words;
- indcli's own readings are marked one way only, :data:`MARK` before the sentence (or
  by ``basis = "inference"``, which the output shows with the same mark); a bare
  "indcli's reading" elsewhere, or the mark inside a ``basis_note`` (the output puts it
  there already), is a mark used inconsistently;
- no sentence about indcli's own machinery: "indcli" as the subject of a sentence
  ("indcli sends you to ...", "... indcli takes it to") tells the reader how the tool
  works, not what the page says or what to do;
- one name per thing: the words of :data:`GLOSSARY` have one name each (the style
  guide's glossary); the others are flagged.

Quotes are never checked: they are the page's words, whatever their style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from indcli.content.model import Content, walk

MAX_WORDS = 25
MARK = "indcli's reading:"
# One name per thing (`indcli docs content`, "Glossary"): a word a reader meets under another
# name, and the name to use. Quotes keep the page's words.
GLOSSARY = {
    "IND forms page": "the IND page",
    "written application": "paper application",
    "written form": "paper form",
    "written way": "on paper",
    "apply in writing": "apply on paper",
    "channel": "how to apply (online or on paper)",
    "DigiD with SMS": "DigiD with verification via sms",
    "embassy": "the Dutch representation abroad",
}
_GLOSSARY = re.compile(r"\b(" + "|".join(map(re.escape, GLOSSARY)) + r")\b", re.IGNORECASE)
# "indcli" and a verb of the third person ("indcli sends", "indcli takes"), not a command
# line ("indcli explain digid") or a name ("the indcli example pack").
_MACHINERY = re.compile(r"\bindcli (?:also |only |then )?(?!is\b)[a-z]+s\b")
_FIELDS = ("prompt", "title", "summary", "help", "text", "note", "basis_note", "how", "case")
_OPEN, _CLOSE = "([", ")]"
_SENTENCE_END = re.compile(r"(?<=[.?!:;])['\u2019\"\u201d)]*\s+(?=[A-Z'\u2018\u201c(]|indcli)")
_BARE_MARK = re.compile(r"indcli's reading(?!:)|indcli reads\b", re.IGNORECASE)


def nested_brackets(text: str) -> bool:
    """True when a bracket opens inside another one."""
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
            if depth > 1:
                return True
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    return False


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (at ., ?, !, : or ; before a capital letter, or
    before "indcli", which starts a sentence in lower case)."""
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def long_sentences(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The sentences of ``text`` with more than ``limit`` words."""
    return [s for s in sentences(text) if len(s.split()) > limit]


def marker_problems(text: str, field: str = "text") -> list[str]:
    """How ``text`` uses indcli's mark other than the one way (see the module doc)."""
    if field == "basis_note":
        if "indcli's reading" in text.lower():
            return [f"a basis_note is shown after '{MARK}': do not repeat the mark"]
    elif _BARE_MARK.search(text):
        return [f"mark indcli's own reading one way: '{MARK}' before the sentence"]
    return []


def machinery(text: str) -> list[str]:
    """The sentences of ``text`` with "indcli" as their subject (not its mark)."""
    return [s for s in sentences(text) if _MACHINERY.search(s)]


def glossary_problems(text: str) -> list[str]:
    """The words of ``text`` that have another name in the glossary."""
    return [
        f"'{word}': one name per thing, write '{GLOSSARY[_glossary_key(word)]}'"
        for word in _GLOSSARY.findall(text)
    ]


def _glossary_key(word: str) -> str:
    return next(k for k in GLOSSARY if k.lower() == word.lower())


def text_problems(text: str, field: str = "text") -> list[str]:
    """Every style problem of one piece of text."""
    problems = []
    if nested_brackets(text):
        problems.append("brackets inside brackets: split the sentence instead")
    for sentence in long_sentences(text):
        words = len(sentence.split())
        problems.append(
            f"a sentence of {words} words (at most {MAX_WORDS}): "
            f"'{sentence[:50]}{'…' if len(sentence) > 50 else ''}'"
        )
    problems += [
        f"a sentence about indcli itself, not the page or what to do: '{sentence[:50]}'"
        for sentence in machinery(text)
    ]
    return problems + glossary_problems(text) + marker_problems(text, field)


def fields(item: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of the texts of one content item a reader sees (never its quote)."""
    own = getattr(type(item), "_fields", ())
    for name in _FIELDS:
        value = getattr(item, name, None) if name in own else None
        if isinstance(value, str):
            yield name, value
    form = getattr(item, "form", None)
    if form is not None:
        yield "form.title", form.title
        yield "form.how", form.how
    for n, choice in enumerate(getattr(item, "choices", ()) or ()):
        yield f"choices[{n}].label", choice.label


def style_problems(content: Content) -> list[tuple[str, str, str]]:
    """(where, field, problem) for every text of a pack's content."""
    return [
        (located.where, name, problem)
        for located in walk(content)
        for name, text in fields(located.item)
        for problem in text_problems(text, name)
    ]
