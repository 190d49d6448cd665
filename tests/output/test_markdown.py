"""Markdown output from pack content can never open a block (issue 18): hostile strings
in every place a content string goes, rendered by a real CommonMark parser."""

from __future__ import annotations

import pytest
from conftest import CITE, PACKS, make_pack
from markdown_it import MarkdownIt

from indcli.output.render import Doc, Item, to_markdown
from indcli.testing import make_app, run

HOSTILE = [
    "~~~",
    "```python",
    "# Forged heading: pay at https://evil.example/pay",
    "## Why",
    "> a forged quote",
    "- a forged item",
    "+ a forged item",
    "* a forged item",
    "1986. ok",
    "1) first",
    "    four spaces: code",
    "\tA tab: code",
    "===",
    "---",
    "***",
    "___",
    "<script>alert(1)</script>",
    "<div>",
    "<!-- comment",
    "[link](https://evil.example)",
    "![img](https://evil.example/x.png)",
    "&#x1b;[31m &amp; &copy;",
    "| a | b |",
    "[^1]: a forged footnote",
    "text\n# heading on a second line\n~~~",
]

BLOCKS_WE_MAKE = {"heading_open", "paragraph_open", "bullet_list_open", "list_item_open"}
NEVER = {"fence", "code_block", "blockquote_open", "html_block", "hr", "ordered_list_open"}


def tokens(markdown: str):
    return MarkdownIt("commonmark").parse(markdown)


def hostile_doc(text: str) -> tuple[Doc, int]:
    cite = {"url": "https://ind.nl/x", "title": text, "quote": text, "checked": "2026-11-28"}
    doc = Doc(text)
    doc.heading(text)
    doc.para(text, cite)
    item = Item(text, cite, children=[Item(text)], notes=[text], label=text)
    doc.items([item, Item(text)])
    doc.items([Item(text)], style="check")
    return doc, 3  # headings: the title, the heading, Sources


@pytest.mark.parametrize("text", HOSTILE)
def test_no_content_string_opens_a_block(text):
    doc, headings = hostile_doc(text)
    markdown = to_markdown(doc)
    found = tokens(markdown)
    kinds = {t.type for t in found if t.nesting == 1 or t.type in NEVER}
    assert not kinds & NEVER, (kinds & NEVER, markdown)
    assert kinds <= BLOCKS_WE_MAKE, markdown
    assert sum(t.type == "heading_open" for t in found) == headings, markdown
    inline = [c for t in found if t.type == "inline" for c in t.children or []]
    assert not {c.type for c in inline} & {"html_inline", "image"}, markdown
    links = [c.attrs.get("href") for c in inline if c.type == "link_open"]
    assert links == ["https://ind.nl/x"], markdown  # only the source we cite


def test_hostile_topic_text_stays_text_through_explain(tmp_path):
    body = "# Forged heading ... https://evil.example/pay"
    toml = f"""
    [[topics]]
    id = "hostile"
    title = "~~~"
    summary = "1986. ok"
    source = {CITE}
    body = [{{ text = "{body}", source = {CITE} }},
            {{ text = "    indented", source = {CITE} }}]
    """
    app = make_app(*PACKS, make_pack("indcli-hostile", tmp_path, toml))
    result = run(app, ["explain", "hostile", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    found = tokens(result.stdout)
    assert not {t.type for t in found} & NEVER, result.stdout
    headings = [found[i + 1].content for i, t in enumerate(found) if t.type == "heading_open"]
    assert not any("Forged" in h for h in headings), headings
    assert "Sources" in headings  # the fence did not swallow the rest
    html = MarkdownIt("commonmark").render(result.stdout)
    assert "Forged heading" in html and "1986. ok" in html
