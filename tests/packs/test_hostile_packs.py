"""Hostile and damaged pack content: skipped with one warning, never a crash, never an escape.

The real content files of the shipped packs are damaged at random (bytes flipped,
inserted, deleted; parsed values replaced by wrong types, huge strings, deep nesting,
control characters, ANSI escapes, bidi overrides) and loaded next to the intact packs.
By default the damaged pack is either still valid or skipped with exactly one warning
line that names it, and the other packs keep working; with INDCLI_STRICT_PLUGINS=1 the
same damage is exit 3 naming the pack. Runs use ``color=True`` so that click does not
strip escape sequences from what we inspect: what we see is what a terminal would get.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import tomllib
from pathlib import Path
from types import ModuleType

import indcli_partner_permit
import indcli_public_funds
import pytest
from conftest import (
    CITE,
    PACKS,
    failing_app,
    flow_toml,
    make_pack,
    question_toml,
    topic_toml,
    warning_text,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tomlwriter import Raw, to_toml

from indcli import hookimpl
from indcli.limits import MAX_CONTENT_BYTES, MAX_TEXT
from indcli.output.render import Doc, Item, to_json, to_markdown, to_text
from indcli.packs.loading import PackSource
from indcli.testing import make_app, run
from indcli.utils.text_safety import has_control_chars, printable

HOSTILE = settings(
    max_examples=45,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STRICT = {"INDCLI_STRICT_PLUGINS": "1"}
FUNDS = "indcli-public-funds"
PERMIT = "indcli-partner-permit"
REAL_FUNDS = Path(indcli_public_funds.__file__).with_name("content.toml").read_bytes()
REAL_PERMIT = Path(indcli_partner_permit.__file__).with_name("content.toml").read_bytes()
PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]
ESCAPES = [
    "\x1b[31m",
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m",
    "\x07",
    "\r",
    "\x08\x08",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u202a",
]


def pack_with_file(name: str, path: Path, like: ModuleType) -> PackSource:
    """A pack named ``name`` with the hooks of ``like``, but content from ``path``."""
    module = ModuleType(name.replace("-", "_") + "_damaged")

    @hookimpl
    def indcli_content():
        return path

    module.indcli_content = indcli_content
    if hasattr(like, "indcli_commands"):
        module.indcli_commands = like.indcli_commands
    return PackSource(name, "0.1.0", lambda: module)


def others(name: str) -> list[ModuleType]:
    return [m for m in PACKS if m.__name__.replace("_", "-") != name]


def clean(text: str) -> bool:
    """No control character, escape or bidi override (newlines and tabs are fine)."""
    return not has_control_chars(text)


def check_pack(name: str, like: ModuleType, path: Path) -> bool:
    """Load the pack from ``path`` beside the intact others; True if it was skipped."""
    default = run(
        failing_app(*others(name), pack_with_file(name, path, like)),
        ["berichtenbox-steps", "--step", "1", "--format", "json"],
        color=True,
    )
    note = f"{path.read_bytes()[:300]!r}\n{default.stderr[:1000]!r}"
    assert default.exit_code == 0, note  # the other packs still work
    assert json.loads(default.stdout)["guide"] == "berichtenbox", note
    assert clean(default.stdout) and clean(default.stderr), note
    warnings = default.stderr.splitlines()
    assert len(warnings) <= 1, note
    skipped = bool(warnings)
    if skipped:  # with --format json, the warning is one JSON object on its line
        warning = json.loads(warnings[0])["warning"]
        assert warning["pack"] == name, note
        assert warning["message"].startswith(f"pack {name} 0.1.0 was skipped: "), note
        assert warning["message"].endswith(f"Disable it with INDCLI_DISABLE_PLUGINS={name}"), note
    strict = run(
        failing_app(*others(name), pack_with_file(name, path, like), environ=STRICT),
        ["berichtenbox-steps", "--step", "1"],
        color=True,
    )
    assert clean(strict.stdout) and clean(strict.stderr), note
    if skipped:
        assert strict.exit_code == 3, note
        assert f"pack {name} 0.1.0 was skipped" in strict.stderr, note
        assert "INDCLI_STRICT_PLUGINS is set" in strict.stderr, note
        assert strict.stdout == "", note
    else:
        assert strict.exit_code == 0, note
    listing = run(
        failing_app(*others(name), pack_with_file(name, path, like)),
        ["plugins", "--format", "json"],
        color=True,
    )
    assert listing.exit_code == 0 and clean(listing.stdout), note
    entry = next(p for p in json.loads(listing.stdout)["plugins"] if p["name"] == name)
    assert (entry["status"] == "failed") == skipped, note
    return skipped


# --- byte damage ---------------------------------------------------------------------

INSERTS = [e.encode() for e in ESCAPES] + [
    b"\\u001b[31m",
    b"\\u202e",
    b'"',
    b"[",
    b"]",
    b"=",
    b"\n",
    b"{",
    b"\xff",
    b"\xc3",
    b"\x00",
]
edit = st.one_of(
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(1, 255)),
    st.tuples(
        st.just("insert"),
        st.integers(min_value=0),
        st.one_of(st.sampled_from(INSERTS), st.binary(min_size=1, max_size=4)),
    ),
    st.tuples(st.just("delete"), st.integers(min_value=0), st.integers(1, 40)),
)


def damage(blob: bytes, edits) -> bytes:
    data = bytearray(blob)
    for kind, where, what in edits:
        at = where % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data[at] ^= what
        elif kind == "insert":
            data[at:at] = what
        elif kind == "delete":
            del data[at : at + what]
    return bytes(data)


@HOSTILE
@given(edits=st.lists(edit, min_size=1, max_size=4))
def test_byte_damage_skips_only_the_damaged_pack(tmp_path_factory, edits):
    path = tmp_path_factory.mktemp("bytes") / "content.toml"
    path.write_bytes(damage(REAL_FUNDS, edits))
    skipped = check_pack(FUNDS, indcli_public_funds, path)
    if skipped:  # the pointers to the skipped pack still say what is wrong
        result = run(
            failing_app(*others(FUNDS), pack_with_file(FUNDS, path, indcli_public_funds)),
            ["explain", "public-funds"],
        )
        assert result.exit_code == 2
        assert f"topic 'public-funds' comes from pack {FUNDS}" in result.stderr
        assert "failed to load" in result.stderr


# --- value damage --------------------------------------------------------------------


def paths(node, here=()):
    """Every place in parsed TOML: (path, value)."""
    yield here, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, (*here, i))


def contains_control(value) -> bool:
    if isinstance(value, str):
        return has_control_chars(value)
    if isinstance(value, dict):
        return any(has_control_chars(k) or contains_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_control(v) for v in value)
    return False


hostile_text = st.one_of(
    st.sampled_from(ESCAPES).map(lambda e: f"Looks harmless {e}but is not"),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.just(""),
    st.just("x" * (MAX_TEXT + 1)),
    st.just("\n".join(["line"] * 3)),
)
wrong_value = st.one_of(
    hostile_text,
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.booleans(),
    st.just(datetime.date(1900, 1, 1)),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(hostile_text, st.integers(), max_size=2),
    st.integers(2, 300).map(lambda n: Raw("[" * n + "]" * n)),
    st.integers(2, 300).map(lambda n: Raw("{a = " * n + "1" + "}" * n)),
    st.just(Raw("[" * 3000 + "]" * 3000)),  # deeper than tomllib can recurse
)


def mutate(data: dict, where: tuple, how: str, value):
    """A copy of ``data`` with the value at ``where`` replaced, spliced into or deleted,
    or (``add``) with a new key in the table at ``where``."""
    damaged = copy.deepcopy(data)
    parent = damaged
    for part in where[:-1]:
        parent = parent[part]
    old = parent[where[-1]] if where else damaged
    if how == "add" and isinstance(old, dict):
        old[value if isinstance(value, str) else "\x1b[31m"] = 1
    elif not where:
        return damaged
    elif how == "delete":
        del parent[where[-1]]
    elif how == "splice" and isinstance(old, str) and isinstance(value, str):
        middle = len(old) // 2
        parent[where[-1]] = old[:middle] + value + old[middle:]
    else:
        parent[where[-1]] = value
    return damaged


def test_the_toml_writer_round_trips_the_real_content():
    for blob in (REAL_FUNDS, REAL_PERMIT):
        data = tomllib.loads(blob.decode())
        assert tomllib.loads(to_toml(data)) == data


ID = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
FUNDS_DATA = tomllib.loads(REAL_FUNDS.decode())
PERMIT_DATA = tomllib.loads(REAL_PERMIT.decode())


def value_damage(data: dict):
    """(where, how, value): also plausible values (ids the file uses, small numbers), so
    that some damaged files are valid but route differently."""
    places = [p for p, _ in paths(data) if p]
    ids = sorted({v for _, v in paths(data) if isinstance(v, str) and re.fullmatch(ID, v)})
    plausible = st.one_of(
        st.sampled_from(ids),
        st.lists(st.sampled_from(ids), min_size=1, max_size=3),
        st.integers(-1000, 1000),
    )
    return st.tuples(
        st.sampled_from(places),
        st.sampled_from(["replace", "replace", "splice", "delete", "add"]),
        st.one_of(wrong_value, plausible),
    )


@HOSTILE
@given(change=value_damage(FUNDS_DATA))
def test_wrong_values_skip_only_the_damaged_pack(tmp_path_factory, change):
    where, how, value = change
    damaged = mutate(FUNDS_DATA, where, how, value)
    path = tmp_path_factory.mktemp("values") / "content.toml"
    path.write_text(to_toml(damaged), encoding="utf-8")
    skipped = check_pack(FUNDS, indcli_public_funds, path)
    if contains_control(damaged):
        assert skipped, "a control character or escape in content must be rejected"


ANSWER_SETS = [
    ["--eu-long-term-resident", "yes"],
    PAPER,
    ["--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no",
     "--prefer", "online", "--dutch-bank", "yes", "--digid", "sms", "--partner-permit", "no"],
]  # fmt: skip


@settings(HOSTILE, max_examples=30)
@given(change=value_damage(PERMIT_DATA))
def test_damaged_routing_content_never_crashes_route(tmp_path_factory, change):
    """Damage the routing pack: route works, or exits 2/3 with a clear message."""
    where, how, value = change
    damaged = mutate(PERMIT_DATA, where, how, value)
    path = tmp_path_factory.mktemp("routing") / "content.toml"
    path.write_text(to_toml(damaged), encoding="utf-8")
    skipped = check_pack(PERMIT, indcli_partner_permit, path)
    if contains_control(damaged):
        assert skipped
    for answers in ANSWER_SETS:
        result = run(
            failing_app(*others(PERMIT), pack_with_file(PERMIT, path, indcli_partner_permit)),
            ["route", *answers, "--no-input", "--format", "json"],
            color=True,
        )
        note = f"{where} {how} {value!r:.200}\n{result.stderr[:1500]}"
        assert result.exit_code in (0, 2, 3), note
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, note
        assert clean(result.stdout) and clean(result.stderr), note
        if skipped:
            assert result.exit_code == 3, note
            assert f"pack {PERMIT} failed to load" in result.stderr, note
        if result.exit_code == 0:
            assert json.loads(result.stdout)["outcome"]["id"]
        else:
            lines = [json.loads(line) for line in result.stderr.splitlines() if line[:1] == "{"]
            assert [m["error"]["message"] for m in lines if "error" in m]


def test_oversized_content_is_refused_by_name(tmp_path):
    path = tmp_path / "content.toml"
    path.write_bytes(REAL_FUNDS + b"\n# " + b"x" * MAX_CONTENT_BYTES + b"\n")
    assert check_pack(FUNDS, indcli_public_funds, path)
    app = failing_app(pack_with_file(FUNDS, path, indcli_public_funds))
    assert "larger than 512 KiB" in app.catalog.packs[0].error


@pytest.mark.parametrize("depth", [9, 300, 2000])
def test_a_deeply_nested_condition_is_refused_with_a_short_warning(tmp_path, depth):
    """Dotted keys nest without brackets, so tomllib does not stop them; the models do."""
    key = ".".join(["not"] * depth)
    content = f"""
    [[flows]]
    id = "partner-permit"
    [[flows.rules]]
    id = "deep"
    advice = "warning"
    text = "Deep."
    source = {CITE}
    when.{key}.question = "digid"
    when.{key}.is = "sms"
    """
    pack = make_pack("indcli-deep", tmp_path, content)
    result = run(failing_app(*PACKS, pack), ["route", "--eu-long-term-resident", "yes"])
    assert result.exit_code == 0, result.stderr
    [warning] = result.stderr.splitlines()
    assert warning.startswith("indcli: warning: pack indcli-deep 1.0 was skipped: ")
    if depth < 100:  # the models refuse the nesting ...
        assert "rules[0] (id 'deep')" in warning
    else:  # ... or, for keys that long, a check before tomllib (quadratic in key length)
        assert "has a key of more than 100 parts" in warning
    assert len(warning) < 600  # readable: a 2000-key path is cut short


# --- escapes in pack text ------------------------------------------------------------

TEXT_FIELDS = [  # (content with a {} slot in one text field, field named in the error)
    (topic_toml("t", "{}"), "field 'title'"),
    (topic_toml("t").replace("One line.", "{}"), "field 'summary'"),
    (topic_toml("t").replace("Body text.", "{}"), "field 'body[0].text'"),
    (topic_toml("t").replace("A sentence.", "{}", 1), "field 'source.quote'"),
    (
        f"""
        [[guides]]
        id = "g"
        title = "Guide"
        source = {CITE}
        steps = [{{ text = "{{}}", source = {CITE} }}]
        """,
        "field 'steps[0].text'",
    ),
    (
        flow_toml("f", question_toml("q", ("a", "b"), prompt='"{}"'), title="Flow"),
        "field 'prompt'",
    ),
    (
        flow_toml(
            "f",
            question_toml("q", choices='[{ id = "a", label = "{}" }, { id = "b", label = "B" }]'),
            title="Flow",
        ),
        "choices[0] (id 'a'), field 'label'",
    ),
]


def toml_escape(text: str) -> str:
    return json.dumps(text)[1:-1]  # \\u001b etc.: how a pack would smuggle it into TOML


@pytest.mark.parametrize(("content", "field"), TEXT_FIELDS)
@pytest.mark.parametrize("escape", ["\x1b[31m", "\x9b2J", "\u202e", "\x1b]0;t\x07", "\x7f"])
def test_escape_sequences_in_pack_text_are_rejected_at_validation(tmp_path, content, field, escape):
    pack = make_pack("indcli-evil", tmp_path, content.replace("{}", f"x{toml_escape(escape)}y"))
    result = run(failing_app(*PACKS, pack), ["explain", "--format", "json"], color=True)
    assert result.exit_code == 0
    shipped = sorted(failing_app(*PACKS).catalog.topics)  # and nothing from the evil pack
    assert [t["id"] for t in json.loads(result.stdout)["topics"]] == shipped
    [line] = result.stderr.splitlines()
    warning = warning_text(line)
    assert warning.startswith("indcli: warning: pack indcli-evil 1.0 was skipped: ")
    assert field in warning and "escape sequences or invisible format characters" in warning
    assert clean(result.stdout) and clean(warning)
    strict = run(failing_app(*PACKS, pack, environ=STRICT), ["explain"], color=True)
    assert strict.exit_code == 3 and "indcli-evil" in strict.stderr


@pytest.mark.parametrize(
    ("content", "quoted"),
    [
        ('"\\u001b[2J" = 1\n', "\\x1b[2J"),  # an unknown top-level key
        (topic_toml("t").replace("summary", '"sum\\u001b]0;x\\u0007mary"'), "\\x07"),
        (topic_toml("bad\\u202eid"), "bad\\u202eid"),  # a bad id, which the error quotes
        (topic_toml("t").replace('source = "s"', 'source = "s\\u009b31m"', 1), ""),
    ],
)
def test_errors_that_quote_pack_keys_or_ids_are_escaped(tmp_path, content, quoted):
    """The warning and 'indcli plugins' quote the bad key or id: escaped, never raw."""
    pack = make_pack("indcli-evil", tmp_path, content)
    result = run(failing_app(*PACKS, pack), ["berichtenbox-steps", "--step", "1"], color=True)
    assert result.exit_code == 0
    [warning] = result.stderr.splitlines()
    assert "indcli-evil" in warning and clean(warning)
    assert quoted in warning  # escaped, so still readable
    for fmt in ("text", "json"):
        listing = run(failing_app(*PACKS, pack), ["plugins", "--format", fmt], color=True)
        assert "indcli-evil" in listing.stdout and clean(listing.stdout)


def test_a_hook_raising_with_escapes_in_its_message_is_escaped(tmp_path):
    module = ModuleType("indcli_shouty")

    @hookimpl
    def indcli_content():
        raise RuntimeError("\x1b[2J\x1b[31mall your base\u202e\nsecond line")

    module.indcli_content = indcli_content
    pack = PackSource("indcli-shouty", "1.0", lambda: module)
    result = run(failing_app(*PACKS, pack), ["explain"], color=True)
    assert result.exit_code == 0
    [warning] = result.stderr.splitlines()
    assert "indcli-shouty" in warning and "all your base" in warning and clean(warning)


def test_printable_escapes_what_slips_through_in_every_human_format():
    """A second guard: text that skipped validation is escaped by the renderers."""
    evil = "".join(ESCAPES)
    cite = {"url": "https://example.org", "title": f"T{evil}", "quote": f"Q{evil}",
            "checked": "2026-11-28"}  # fmt: skip
    doc = Doc(f"Title{evil}")
    doc.heading(f"Heading{evil}")
    doc.para(f"Para{evil}", cite)
    doc.code(f"indcli route {evil}")
    doc.items(
        [
            Item(
                f"Item{evil}",
                cite,
                children=[Item(f"Child{evil}", label=f"Case{evil}:")],
                notes=[f"Note{evil}"],
            )
        ],
        "number",
    )
    for rendered in (to_text(doc), to_markdown(doc)):
        assert clean(rendered), rendered
        assert "\\x1b" in rendered and "\\u202e" in rendered
    as_json = to_json({"text": evil})
    assert clean(as_json) and json.loads(as_json) == {"text": evil}
    assert printable(evil).count("\\") >= len(ESCAPES)


# --- the validated-content cache -----------------------------------------------------


def _damage_cache(folder: Path, change) -> int:
    """Apply ``change`` to every dict with a 'topics' list in every cache entry's data
    (the checksum in the entry's header is left as it was, as damage would leave it)."""
    changed = 0
    for path in folder.glob("content-*.json"):
        head, _, rest = path.read_bytes().partition(b"\n")
        source = json.loads(head)["source"]  # the pack file's bytes, then the data
        data = json.loads(rest[source:])
        for _, node in paths(data):
            if isinstance(node, dict) and isinstance(node.get("topics"), list) and node["topics"]:
                change(node)
                changed += 1
        path.write_bytes(head + b"\n" + rest[:source] + json.dumps(data).encode())
    return changed


def _cached_app(folder: Path):
    return make_app(*PACKS, environ={"INDCLI_NO_CACHE": "", "INDCLI_CACHE_DIR": str(folder)})


def test_text_tampered_with_in_the_cache_never_reaches_the_terminal_raw(tmp_path):
    assert run(_cached_app(tmp_path), ["plugins"]).exit_code == 0

    def retitle(node):
        node["topics"][0]["title"] = "\x1b[31mRed\u202e\x9b2J"

    assert _damage_cache(tmp_path, retitle)
    for args in (["explain", "public-funds"], ["explain", "--format", "json"],
                 ["explain", "public-funds", "--format", "markdown"]):  # fmt: skip
        result = run(_cached_app(tmp_path), args, color=True)
        assert result.exit_code == 0
        assert clean(result.stdout), result.stdout


def test_a_structurally_damaged_cache_entry_is_ignored(tmp_path):
    assert run(_cached_app(tmp_path), ["plugins"]).exit_code == 0

    def break_topics(node):
        node["topics"] = [1]

    assert _damage_cache(tmp_path, break_topics)
    result = run(_cached_app(tmp_path), ["berichtenbox-steps", "--step", "1"])
    assert result.exit_code == 0, result.stderr
