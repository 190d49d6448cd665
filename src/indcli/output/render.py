"""Output: one small document model, rendered as text or markdown; JSON as-is.

Commands build their result as plain JSON-ready data (that *is* the ``--format json``
output), then describe it once as a :class:`Doc` for the two human formats, so text and
markdown never drift apart. Every cited item gets a footnote number; the sources are
listed at the end. All pack text passes through
:func:`indcli.utils.text_safety.printable` here, as a second guard after validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import click

from indcli.utils.records import MutableRecord, fresh
from indcli.utils.text_safety import json_safe, printable

SCHEMA_VERSION = 1
FORMATS = ("text", "json", "markdown")

_FORMAT_ATTRS: dict[str, Any] = {
    "type": click.Choice(FORMATS),
    "default": "text",
    "show_default": True,
    "help": "Output format: text for people, json for scripts (one object on stdout), "
    "markdown to save or share.",
}


def format_param() -> click.Option:
    """The ``--format`` option every command takes (for commands built from params)."""
    return click.Option(["--format", "fmt"], **_FORMAT_ATTRS)


format_option = click.option("--format", "fmt", **_FORMAT_ATTRS)


class Item(MutableRecord):
    text: str
    cite: Mapping[str, Any] | None = None
    children: list[Item] = fresh(factory=list)
    notes: list[str] = fresh(factory=list)
    label: str | None = None  # replaces the bullet, e.g. a case name ("Already activated:")
    number: int | None = None  # in a numbered list: this number instead of the position


class Doc(MutableRecord):
    title: str
    blocks: list[tuple[str, Any]] = fresh(factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(("heading", text))

    def para(
        self, text: str, cite: Mapping[str, Any] | None = None, notes: list[str] | None = None
    ) -> None:
        self.blocks.append(("para", Item(text, cite, notes=list(notes or []))))

    def code(self, text: str) -> None:
        """A line to copy as it is (a command): never wrapped."""
        self.blocks.append(("code", text))

    def items(self, items: list[Item], style: str = "bullet") -> None:
        """``style``: bullet, number, check (a checklist to tick off), todo (numbered
        in text, a checklist in markdown), or fields (``label: text`` lines, in text
        without bullets)."""
        if items:
            self.blocks.append((style, items))


# The one form the mark of indcli's own reading takes, in every output and the interview:
# before the sentence it marks, never in brackets (a quote may hold brackets of its own).
INFERENCE_MARK = "indcli's reading:"
# The mark of a gap: indcli's note on what the page does not say (and where to find out).
NOTE_MARK = "indcli's note:"


def reading(sentence: str) -> str:
    """``sentence`` marked as indcli's reading, not the page's words."""
    return f"{INFERENCE_MARK} {sentence}"


def basis_notes(item: Mapping[str, Any], reader: str | None = None) -> list[str]:
    """The visible mark of an item whose basis is a reading, not the page: indcli's, or
    that of ``reader``, the pack it comes from when that is not the owner's."""
    if item.get("basis") != "inference":
        return []
    mark = INFERENCE_MARK if reader is None else INFERENCE_MARK.replace("indcli", reader, 1)
    return [f"{mark} {item.get('basis_note') or 'the page does not say this in these words.'}"]


def payload(command: str, **fields: Any) -> dict[str, Any]:
    """The start of every JSON result: schema version and command name."""
    return {"schema_version": SCHEMA_VERSION, "command": command, **fields}


def to_json(data: Mapping[str, Any]) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def to_json_line(data: Mapping[str, Any]) -> str:
    """One compact JSON object on one line: the form of messages on stderr."""
    return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def render(fmt: str, data: Mapping[str, Any], describe: Callable[[Any], Doc]) -> str:
    """Render ``data`` in ``fmt``; ``describe`` builds the Doc for text and markdown."""
    if fmt == "json":
        return to_json(data)
    doc = describe(data)
    return to_markdown(doc) if fmt == "markdown" else to_text(doc)


class _Citations:
    def __init__(self) -> None:
        self.sources: list[Mapping[str, Any]] = []
        self._index: dict[tuple[str, str], int] = {}

    def number(self, cite: Mapping[str, Any] | None) -> int | None:
        if not cite:
            return None
        key = (cite["url"], cite["quote"])
        if key not in self._index:
            self.sources.append(cite)
            self._index[key] = len(self.sources)
        return self._index[key]


# "Immigratie- en Naturalisatiedienst": a Dutch name whose parts share one ending is one
# name; a line break inside it reads as two names, so it is kept on one line.
_KEEP_TOGETHER = re.compile(r"\b\w+- (?:en|of) \w+")
_GLUE = "\x00"  # stands for a space that must not break while wrapping


def wrap_words(
    text: str, cols: int, initial_indent: str = "", subsequent_indent: str = ""
) -> list[str]:
    """``text`` in lines of at most ``cols``, broken only at spaces (never inside a word,
    a command name such as ``berichtenbox-steps``, or a name like the one above); a word
    longer than a line (a URL) stands alone on its line."""
    import textwrap

    glued = _KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", _GLUE), text)
    lines = textwrap.wrap(
        glued,
        max(cols, len(initial_indent) + 1, len(subsequent_indent) + 1),
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines] or [initial_indent.rstrip()]


def wrap_command(command: str, cols: int, indent: str = "  ") -> list[str]:
    """A command line to copy, wrapped between its arguments with shell continuations
    (`` \\``), so a pasted wrapped command still runs; an option stays with its value."""
    import shlex

    if len(indent) + len(command) <= cols:
        return [indent + command]
    try:
        tokens = shlex.split(command)
    except ValueError:
        return [indent + command]
    words: list[str] = []
    for token in tokens:
        word = token if token in _SHELL_OPERATORS else shlex.quote(token)
        value = not token.startswith("-") or token == "-"
        after = words[-1] if words else ""
        if (after.startswith("--") and " " not in after and value) or after in (">", ">>", "<"):
            words[-1] += " " + word  # "--prefer paper" and "> file" are one unit
        else:
            words.append(word)
    lines, line, rest = [], indent, indent + "    "
    for word in words:
        if line.strip() and len(line) + 1 + len(word) + 2 > cols:
            lines.append(line + " \\")
            line = rest + word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    return [*lines, line]


_SHELL_OPERATORS = frozenset({"|", ">", ">>", "<", "&&", "||", ";"})


def command_message(prefix: str, command: str) -> str:
    """``prefix command`` as one line; on a terminal (stderr) too narrow for it, wrapped
    at spaces, the command continued with `` \\`` so it still pastes as one command."""
    from indcli.output.terminal import current

    cols = current().error_columns()
    if not cols or len(prefix) + 1 + len(command) <= cols:
        return f"{prefix} {command}"
    return "\n".join(wrap_words(prefix, cols) + wrap_command(command, cols))


def to_text(doc: Doc, cols: int | None = None) -> str:
    from indcli.output.terminal import current

    terminal = current()
    cols = cols or terminal.width()
    cites = _Citations()
    bold = terminal.color()
    out = [_style(line, bold) for line in wrap_words(printable(doc.title), cols)] + [""]

    def wrap(text: str, first: str, rest: str) -> list[str]:
        lines: list[str] = []
        for n, paragraph in enumerate(printable(text).split("\n")):
            lines += wrap_words(paragraph, cols, first if n == 0 else rest, rest)
        return lines

    def marker(item: Item) -> str:
        number = cites.number(item.cite)
        return f"{item.text} [{number}]" if number else item.text

    def emit_items(items: list[Item], style: str, indent: str) -> None:
        if style == "fields":  # "Label: value" lines, the label never alone on a line
            for item in items:
                label = printable(item.label or "").replace(" ", _GLUE)
                text = printable(marker(item))
                first = text.split(" ", 1)[0]
                fits = len(label) + 1 + len(first) <= cols or len(first) + 2 > cols
                glue = _GLUE if fits else " "  # a URL too long for any line stays put
                out.extend(wrap_words((label + glue + text).lstrip(_GLUE + " "), cols, "", "  "))
            return
        for n, item in enumerate(items, 1):
            number = f"{item.number or n}."
            bullet = {"number": number, "todo": number, "check": "[ ]"}.get(style, "-")
            lead = f"{indent}{bullet} "
            label = f"{item.label} " if item.label else ""
            out.extend(wrap(label + marker(item), lead, " " * len(lead)))
            for note in item.notes:
                out.extend(wrap(note, " " * len(lead), " " * len(lead)))
            emit_items(item.children, "bullet", " " * len(lead))

    for kind, value in doc.blocks:
        if kind == "heading":
            out += [""] + [_style(line, bold) for line in wrap_words(printable(value), cols)]
        elif kind == "para":
            out.extend(wrap(marker(value), "", ""))
            for note in value.notes:
                out.extend(wrap(note, "", ""))
            out.append("")
        elif kind == "code":
            out += [*wrap_command(printable(value), cols), ""]
        else:
            emit_items(value, kind, "  ")
            out.append("")
    if cites.sources:
        out += ["", _style("Sources", bold)]
        document = None
        for n, cite in enumerate(cites.sources, 1):
            if document != (cite["title"], cite["url"]):
                document = (cite["title"], cite["url"])
                out.extend(wrap(cite["title"], "  ", "  "))
                out.append(f"  {printable(cite['url'])}")
            lead = f"  [{n}] "
            quote = f"\u201c{cite['quote']}\u201d (checked {cite['checked']})"
            out.extend(wrap(quote, lead, " " * len(lead)))
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def to_markdown(doc: Doc) -> str:
    cites = _Citations()
    out = [f"# {_md(doc.title)}", ""]

    def marker(item: Item) -> str:
        number = cites.number(item.cite)
        return f"{_md(item.text)}[^{number}]" if number else _md(item.text)

    def emit_items(items: list[Item], style: str, indent: str) -> None:
        for n, item in enumerate(items, 1):
            number = f"{item.number or n}."
            bullet = {"number": number, "todo": "- [ ]", "check": "- [ ]"}.get(style, "-")
            label = f"**{_md(item.label)}** " if item.label else ""
            out.append(f"{indent}{bullet} {label}{marker(item)}")
            sub = indent + " " * (len(bullet) + 1)
            for note in item.notes:
                out.append(f"{sub}*{_md(note)}*")
            emit_items(item.children, "bullet", sub)

    for kind, value in doc.blocks:
        if kind == "heading":
            out += ["", f"## {_md(value)}", ""]
        elif kind == "para":
            out += [marker(value), ""]
            out += [line for note in value.notes for line in (f"*{_md(note)}*", "")]
        elif kind == "code":
            out += ["`" * 3, printable(value).replace("`", "'"), "`" * 3, ""]
        else:
            emit_items(value, kind, "")
            out.append("")
    if cites.sources:
        out += ["", "## Sources", ""]
        for n, cite in enumerate(cites.sources, 1):
            out.append(
                f"[^{n}]: \u201c{_md(cite['quote'])}\u201d [{_md(cite['title'])}]"
                f"(<{_md(cite['url'])}>), checked {cite['checked']}"
            )
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def _style(text: str, bold: bool) -> str:
    return click.style(text, bold=True) if bold else text


def _md(text: str) -> str:
    """Printable text on one line that can only ever be inline text in markdown: inline
    syntax escaped (no HTML, links, emphasis or tables from packs), and what would open a
    block at the start of a line neutralised: headings, quotes, lists, fences, indented
    code, setext underlines and thematic breaks (every place a string goes may be a
    line's start)."""
    text = printable(text).replace("\n", " ").lstrip()
    for char in "\\`*_[]<>|&":
        text = text.replace(char, "\\" + char)
    ordered = _ORDERED.match(text)
    if ordered:
        return f"{ordered.group(1)}\\{text[ordered.end(1) :]}"
    return "\\" + text if text[:1] in _BLOCK_START else text


_BLOCK_START = frozenset("#>+-=~")
_ORDERED = re.compile(r"(\d{1,9})[.)]")


def emit(text: str, output: str | None = None) -> None:
    """Print ``text``, or write it to ``output`` (``-`` means stdout): atomically, through
    :mod:`indcli.output.files`, imported only when there is a file to write."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from indcli.output.files import write_atomic

    write_atomic(output, text)
