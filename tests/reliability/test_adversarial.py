"""Issue 13, in process: each failure of the adversarial review as a class of inputs.

Terminal injection in every echoed position, every special file as ``--output``,
``--answers`` and ``--batch``, read-only and linked targets, a hostile or broken content
cache, huge integers and deep nesting in every input path, ambiguous option
combinations, and boolean environment variables. The tests that need a real process
(signals, closed or full streams, locales) are in test_adversarial_process.py.
"""

from __future__ import annotations

import itertools
import json
import os
import stat
import threading
import time
import unicodedata
from pathlib import Path

import indcli_berichtenbox
import pytest
from conftest import PACKS, failing_app, make_pack, topic_toml

from indcli.packs import content_cache
from indcli.testing import make_app, run
from indcli.utils import env_flags, text_safety

PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]
REFERRAL = '{"eu-long-term-resident": "yes"}'

# One of each kind of character that can drive a terminal or disguise text.
EVIL = {
    "osc-title": "\x1b]0;PWNED\x07",
    "csi-colour": "\x1b[31mRED",
    "c1-csi": "\x9b2J",
    "rlo": "\u202e",
    "lrm": "\u200e",
    "rlm": "\u200f",
    "alm": "\u061c",
    "line-sep": "\u2028",
    "para-sep": "\u2029",
    "bom": "\ufeff",
    "zwsp": "\u200b",
    "tag": "\U000e0041",
    "forged-line": "\nError: forged",
}
FORMAT_CHARS = ["\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff", "\u200b", "\u00ad"]


def clean(text: str) -> bool:
    """No character that can drive a terminal or hide text: controls other than newline
    and tab, and format characters (judged by Unicode, not by the code under test)."""
    return not any(
        unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\n\t" for c in text
    )


def one_error(stderr: str) -> None:
    """Exactly one line starts with 'Error:' (a newline in user input forges none)."""
    lines = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, stderr


# --- 5, 6: user input echoed in messages ----------------------------------------------


def _positions(evil: str, tmp: Path) -> dict[str, list[str]]:
    """Every place a command line puts user text into a message."""
    missing = str(tmp / f"no{evil}")
    return {
        "explain topic": ["explain", evil],
        "check pack": ["check", evil],
        "extra argument": ["explain", "public-funds", evil],
        "route extra argument": ["route", *PAPER, evil],
        "unknown command": [evil],
        "unknown option": ["route", f"--x{evil}"],
        "bad choice": ["route", "--format", evil],
        "bad question value": ["route", "--digid", evil],
        "bad step": ["berichtenbox-steps", "--step", evil],
        "missing answers file": ["route", "--answers", missing],
        "missing batch file": ["route", "--batch", missing],
        "output under a missing folder": ["route", *PAPER, "--output", f"{missing}/x.md"],
        "output folder": ["route", *PAPER, "--output", f"{tmp}/"],
        "new-pack name": ["new-pack", f"indcli-{evil}"],
        "new-pack dir": ["new-pack", "indcli-ok", f"{tmp}/file{evil}/x"],
        "completion shell": ["completion", evil],
    }


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("kind", EVIL)
def test_no_echoed_input_reaches_stderr_raw(tmp_path, kind, fmt):
    evil = EVIL[kind]
    (tmp_path / f"file{evil}").write_text("a file, so a folder under it cannot be made")
    for where, args in _positions(evil, tmp_path).items():
        result = run(make_app(*PACKS), [*args, "--format", fmt])
        assert result.exit_code in (1, 2, 3), (where, result.stderr)
        assert clean(result.stderr) and clean(result.stdout), (where, result.stderr)
        if fmt == "json":
            for line in result.stderr.splitlines():
                json.loads(line)
        else:
            one_error(result.stderr)


@pytest.mark.parametrize("kind", EVIL)
def test_the_output_file_name_is_escaped_when_written(tmp_path, kind):
    target = tmp_path / f"plan{EVIL[kind]}.md"
    result = run(make_app(*PACKS), ["route", *PAPER, "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert clean(result.stderr) and result.stderr.count("\n") == 1
    assert target.exists()


def test_an_answers_file_name_with_a_newline_forges_no_error_line(tmp_path):
    path = tmp_path / "a\nError: you have been hacked.json"
    path.write_text('{"digid": "maybe"}')
    result = run(make_app(*PACKS), ["route", "--answers", str(path)])
    assert result.exit_code == 2
    one_error(result.stderr)
    assert "\\x0aError: you have been hacked" in result.stderr


# --- 7: content ----------------------------------------------------------------------


@pytest.mark.parametrize("char", FORMAT_CHARS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["title", "summary"])
def test_format_characters_in_content_are_rejected(tmp_path, char, field):
    toml = topic_toml("odd").replace(
        'title = "A topic"' if field == "title" else 'summary = "One line."',
        f'title = "A{char}topic"' if field == "title" else f'summary = "One{char}line."',
    )
    pack = make_pack("indcli-odd", tmp_path, toml)
    result = run(failing_app(pack, environ={"INDCLI_STRICT_PLUGINS": "yes"}), ["explain", "odd"])
    assert result.exit_code == 3, result.stderr
    assert "control characters" in result.stderr and clean(result.stderr)


BAD_URLS = [
    "https://ind.nl/x)<script>alert(1)</script>![p](https://evil.example/p.png)",
    "https://ind.nl/a b",
    "https://ind.nl/a\tb",
    'https://ind.nl/"onmouseover',
    "https://ind.nl/a'b",
    "https://ind.nl/<b>",
    "https://ind.nl/[x]",
    "https://ind.nl/`x`",
    "http://ind.nl/",
    "https://",
    "https:///path",
    "https://localhost/",
    "https://-ind.nl/",
    "https://ind..nl/",
    "javascript:alert(1)//https://ind.nl",
    "https://ind.nl\u202e/x",
    "https://ïnd.nl/",
]
GOOD_URLS = [
    "https://ind.nl/en/family/residence-permit-for-your-partner/preparing/Pages/Apply.aspx",
    "https://example.org/page?x=1&y=%28two%29#part",
    "https://sub.example.org:8443/a_b-c~d",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_source_urls_that_break_markdown_or_are_not_https_are_rejected(url):
    with pytest.raises(ValueError):
        text_safety.check_source_url(url)


@pytest.mark.parametrize("url", GOOD_URLS)
def test_plain_https_urls_are_accepted_and_stay_links_in_markdown(tmp_path, url):
    assert text_safety.check_source_url(url) == url
    content = topic_toml("odd").replace("[[topics]]", "[[topics]]", 1)
    pack = make_pack("indcli-odd", tmp_path, content)
    path = tmp_path / "indcli-odd" / "content.toml"
    path.write_text(path.read_text().replace("https://example.org/page", url))
    result = run(make_app(pack), ["explain", "odd", "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    sources = result.stdout.split("## Sources")[1]
    assert "(<" in sources and ">)" in sources  # the URL is one link destination


# --- 1-3: special and protected --output targets -------------------------------------


def test_dash_as_output_prints():
    result = run(make_app(*PACKS), ["route", *PAPER, "--output", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("Your route:")


def _reader(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as fifo:
            into.append(fifo.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_fifo_as_output_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    thread = _reader(fifo, got)
    result = run(make_app(*PACKS), ["route", *PAPER, "--output", str(fifo)])
    thread.join(10)
    assert result.exit_code == 0, result.stderr
    assert got and got[0].startswith(b"Your route:")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["pipe"]


def test_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run(make_app(*PACKS), ["route", *PAPER, "--output", str(fifo)])
    assert result.exit_code == 1
    assert "nobody reads" in result.stderr


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
@pytest.mark.parametrize("batch", [False, True])
def test_a_device_as_output_is_written_to_not_replaced(tmp_path, device, batch):
    before = os.lstat(device)
    args = ["route", *PAPER]
    if batch:
        cases = tmp_path / "cases.jsonl"
        cases.write_text(REFERRAL + "\n")
        args = ["route", "--batch", str(cases)]
    result = run(make_app(*PACKS), [*args, "--output", device])
    assert result.exit_code == 0, result.stderr
    after = os.lstat(device)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


@pytest.mark.parametrize(
    "target",
    ["{file}/", "{new}/", "{folder}", "{folder}/", "{folder}/.", "{folder}/.."],
)
def test_a_folder_or_a_trailing_slash_is_a_usage_error(tmp_path, target):
    (tmp_path / "f.md").write_text("old")
    (tmp_path / "d").mkdir()
    name = target.format(file=tmp_path / "f.md", new=tmp_path / "newdir", folder=tmp_path / "d")
    result = run(make_app(*PACKS), ["route", *PAPER, "--output", name])
    assert result.exit_code == 2, result.stderr
    assert (tmp_path / "f.md").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["d", "f.md"] and not os.listdir(tmp_path / "d")


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555, 0o000])
@pytest.mark.parametrize("batch", [False, True])
def test_a_read_only_file_is_refused_and_kept(tmp_path, mode, batch):
    target = tmp_path / "plan.md"
    target.write_text("old")
    target.chmod(mode)
    args = ["route", *PAPER]
    if batch:
        (tmp_path / "c.jsonl").write_text(REFERRAL + "\n")
        args = ["route", "--batch", str(tmp_path / "c.jsonl")]
    result = run(make_app(*PACKS), [*args, "--output", str(target)])
    target.chmod(0o600)
    assert result.exit_code == 1
    assert "read-only" in result.stderr and "chmod u+w" in result.stderr
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == sorted(["plan.md"] + (["c.jsonl"] if batch else []))


def test_a_hard_link_keeps_the_old_content_as_documented(tmp_path):
    target, other = tmp_path / "plan.md", tmp_path / "other-name.md"
    target.write_text("old")
    os.link(target, other)
    assert run(make_app(*PACKS), ["route", *PAPER, "--output", str(target)]).exit_code == 0
    assert other.read_text() == "old" and target.read_text().startswith("Your route:")


# --- special files as --answers and --batch ------------------------------------------


def test_special_files_as_answers_are_usage_errors_or_read(tmp_path):
    result = run(make_app(*PACKS), ["route", "--answers", "/dev/null"])
    assert result.exit_code == 2 and "is empty" in result.stderr
    result = run(make_app(*PACKS), ["route", "--answers", "/dev/zero"])
    assert result.exit_code == 2 and "larger than" in result.stderr
    fifo = tmp_path / "answers"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as handle:
            handle.write(REFERRAL)

    threading.Thread(target=write, daemon=True).start()
    result = run(make_app(*PACKS), ["route", "--answers", str(fifo), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"]["id"] == "eu-long-term-resident"


def test_special_files_as_batch_are_read(tmp_path):
    result = run(make_app(*PACKS), ["route", "--batch", "/dev/null"])
    assert result.exit_code == 0 and result.stdout == ""
    fifo = tmp_path / "cases"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as handle:
            handle.write(REFERRAL + "\n" + REFERRAL + "\n")

    threading.Thread(target=write, daemon=True).start()
    result = run(make_app(*PACKS), ["route", "--batch", str(fifo)])
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1, 2]


# --- 12-14: huge integers, deep nesting, long keys in every input path ----------------

HUGE = "9" * 5000
NESTINGS = {"arrays": "[" * 30000, "objects": '{"a":' * 30000, "mixed": '[{"a":' * 15000}


def _answers(tmp_path: Path, name: str, text: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text)
    return ["route", "--answers", str(path)]


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize(
    "name, text",
    [
        ("a.json", f'{{"digid": {HUGE}}}'),
        ("a.json", f'{{"digid": [{HUGE}]}}'),
        ("a.json", f'{{"digid": -{HUGE}}}'),
        ("a.toml", f"digid = {HUGE}"),
        ("a.toml", f"digid = [{HUGE}]"),
        ("a", f'{{"digid": {HUGE}}}'),
        ("a", f"digid = {HUGE}"),
    ],
)
def test_huge_integers_in_answers_are_usage_errors(tmp_path, name, text, fmt):
    result = run(make_app(*PACKS), [*_answers(tmp_path, name, text), "--format", fmt])
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr


def test_huge_integers_from_stdin_are_usage_errors():
    result = run(make_app(*PACKS), ["route", "--answers", "-"], input=f'{{"digid": {HUGE}}}')
    assert result.exit_code == 2 and "internal error" not in result.stderr


@pytest.mark.parametrize("shape", NESTINGS)
@pytest.mark.parametrize("name", ["a.json", "a", "-"])
def test_deep_nesting_in_answers_is_a_usage_error(tmp_path, shape, name):
    text = NESTINGS[shape]
    args = ["route", "--answers", "-"] if name == "-" else _answers(tmp_path, name, text)
    result = run(make_app(*PACKS), args, input=text if name == "-" else None)
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    "bad",
    [*NESTINGS.values(), f'{{"digid": {HUGE}}}', f"[{HUGE}]", f'{{"{HUGE}": 1}}'],
    ids=[*NESTINGS, "huge value", "huge in list", "huge key"],
)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_bad_batch_line_is_an_error_record_and_the_rest_are_routed(tmp_path, bad, where):
    lines = [REFERRAL] * 3
    index = {"first": 0, "middle": 1, "last": 2}[where]
    lines[index] = bad
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(lines) + "\n")
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    assert result.exit_code == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3]
    assert ("error" in records[index]) and all(
        r["outcome"] == "eu-long-term-resident" for i, r in enumerate(records) if i != index
    )


LONG = 40_000


@pytest.mark.parametrize(
    "text",
    [
        "a" + ".a" * LONG + " = 1",
        '"a"' + '."a"' * LONG + " = 1",
        "a" + " . a" * (LONG // 2) + " = 1",
        "[" + "a." * LONG + "a]",
        "[[" + "a." * LONG + "a]]",
        "x = {" + "a." * LONG + "a = 1}",
    ],
    ids=["bare", "quoted", "spaced", "table", "array-table", "inline"],
)
def test_long_dotted_keys_in_toml_answers_are_refused_quickly(tmp_path, text):
    import time

    start = time.monotonic()
    result = run(make_app(*PACKS), _answers(tmp_path, "a.toml", text))
    assert result.exit_code == 2
    assert "parts or more" in result.stderr
    assert time.monotonic() - start < 2


# --- 20-22: ambiguous input -----------------------------------------------------------


@pytest.mark.parametrize(
    "args, phrase",
    [
        (["--answers", "-", "--batch", "-"], "would both read stdin"),
        (["--answers", "{a}", "--answers", "{b}"], "more than once"),
        (["--answers", "{a}", "--answers", "{a}"], "more than once"),
        (["--batch", "{c}", "--graph", "dot"], "leave out --batch"),
        (["--batch", "{c}", "--graph", "mermaid"], "leave out --batch"),
        (["--answers", "{a}", "--graph", "dot"], "leave out --answers"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_ambiguous_combinations_are_usage_errors(tmp_path, args, phrase, fmt):
    files = {"a": tmp_path / "a.json", "b": tmp_path / "b.json", "c": tmp_path / "c.jsonl"}
    files["a"].write_text(REFERRAL)
    files["b"].write_text('{"eu-long-term-resident": "no"}')
    files["c"].write_text(REFERRAL + "\n")
    args = [a.format(**files) for a in args]
    result = run(make_app(*PACKS), ["route", *args, "--format", fmt], input=REFERRAL + "\n")
    assert result.exit_code == 2, result.stderr
    assert phrase in result.stderr and result.stdout == ""


@pytest.mark.parametrize("key", ["eu-long-term-resident", "digid", "not-a-question"])
def test_duplicate_keys_in_a_json_answers_file_are_a_usage_error(tmp_path, key):
    path = tmp_path / "a.json"
    path.write_text(f'{{"{key}": "yes", "temporary-permit": "no", "{key}": "no"}}')
    result = run(make_app(*PACKS), ["route", "--answers", str(path)])
    assert result.exit_code == 2
    assert f"gives '{key}' twice" in result.stderr


VALUES = [1, 1.0, True, False, 0, 0.0, None, "1", "true", [1], {"a": 1}]


def test_each_batch_line_is_judged_on_its_own_value(tmp_path):
    """1, 1.0 and true are equal as Python dict keys; no line may borrow another's
    record."""
    cases = tmp_path / "cases.jsonl"
    order = list(itertools.chain.from_iterable(itertools.permutations(VALUES[:4])))
    order += VALUES
    cases.write_text("".join(json.dumps({"eu-long-term-resident": v}) + "\n" for v in order))
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(order)
    for value, record in zip(order, records, strict=True):
        shown = json.dumps(value, ensure_ascii=False)
        assert record["error"]["message"].startswith(f"{shown} is not a valid answer"), record


# --- 23: booleans in the environment --------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "Yes", " on "])
def test_true_words_switch_a_flag_on(value):
    assert env_flags.env_flag({"X": value}, "X") is True


@pytest.mark.parametrize("value", [None, "", "0", "false", "False", "no", "NO", "off"])
def test_false_words_and_absence_leave_a_flag_off(value):
    assert env_flags.env_flag({} if value is None else {"X": value}, "X") is False


def test_anything_else_is_off_with_one_escaped_warning(capsys):
    assert env_flags.env_flag({"X": "maybe\x1b[31m"}, "X") is False
    assert capsys.readouterr().err == ""  # the library never prints
    (message,) = env_flags.flag_warnings({"X": "maybe\x1b[31m"}, ("X",))
    assert "X=maybe\\x1b[31m is not a boolean" in message
    result = run(make_app(*PACKS, environ={"INDCLI_DEBUG": "maybe"}), ["explain"])
    assert result.stderr.count("INDCLI_DEBUG=maybe is not a boolean") == 1


@pytest.mark.parametrize("value", ["false", "no", "0", ""])
def test_no_cache_false_keeps_the_cache(tmp_path, value):
    assert content_cache.cache_dir({"INDCLI_NO_CACHE": value, "INDCLI_CACHE_DIR": str(tmp_path)})
    app = make_app(*PACKS, environ={"INDCLI_NO_CACHE": value, "INDCLI_CACHE_DIR": str(tmp_path)})
    assert run(app, ["plugins"]).exit_code == 0
    assert list(tmp_path.glob("content-*.json"))


@pytest.mark.parametrize("value", ["false", "no", "0"])
def test_strict_false_is_not_strict(tmp_path, value):
    broken = make_pack("indcli-broken", tmp_path, "[[topics]]\nid = 5\n")
    app = failing_app(*PACKS, broken, environ={"INDCLI_STRICT_PLUGINS": value})
    assert run(app, ["explain", "public-funds"]).exit_code == 0


# --- 8-10, 17: the content cache --------------------------------------------------------


def _cached(folder: Path, **environ: str):
    return make_app(
        *PACKS, environ={"INDCLI_NO_CACHE": "", "INDCLI_CACHE_DIR": str(folder), **environ}
    )


# The exact bytes each entry was made from, by entry name (an entry is used only for them).
_SOURCES: dict[str, bytes] = {}


def _warm(folder: Path) -> list[Path]:
    app = _cached(folder)
    assert run(app, ["plugins"]).exit_code == 0
    assert app.loader.validated == 3
    entries = sorted(folder.glob("content-*.json"))
    for entry in entries:
        _SOURCES[entry.name] = _split(entry.read_bytes())[0]
    return entries


def _split(blob: bytes) -> tuple[bytes, dict]:
    """An entry's source bytes and data."""
    head, _, rest = blob.partition(b"\n")
    size = json.loads(head)["source"]
    return rest[:size], json.loads(rest[size:])


def _uses_cache(folder: Path, args: list[str] | None = None) -> tuple[int, object]:
    """Run a command; return how many content files were validated and the result."""
    app = _cached(folder)
    result = run(app, args or ["berichtenbox-steps", "--step", "1"], color=True)
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout) and clean(result.stderr), result.stdout
    return app.loader.validated, result


def _sealed(data: object, like: Path) -> bytes:
    """An entry for the source of entry ``like``, with a valid checksum around ``data``
    (what an attacker could write)."""
    return content_cache.seal(_SOURCES[like.name], json.dumps(data, separators=(",", ":")).encode())


def test_a_new_cache_folder_is_private_and_entries_are_named_by_core_and_source(tmp_path):
    folder = tmp_path / "cache" / "indcli"
    entries = _warm(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(entries) == 3
    for entry in entries:
        assert len(entry.name) == len("content-") + 16 + 1 + 16 + len(".json")
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert _uses_cache(folder)[0] == 0


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757, 0o722])
def test_a_folder_others_can_write_is_not_used(tmp_path, mode):
    folder = tmp_path / "indcli"
    entries = _warm(folder)
    planted = {e: e.read_bytes() for e in entries}
    for entry in entries:  # a valid checksum around planted text
        data = _split(entry.read_bytes())[1]
        data["guides"] = data["guides"] or data["guides"]
        entry.write_bytes(_sealed(data, entry))
    folder.chmod(mode)
    validated, _ = _uses_cache(folder)
    assert validated == 3  # nothing trusted from a folder others can write
    assert planted


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files away")
@pytest.mark.parametrize("what", ["folder", "entries"])
def test_a_folder_or_entry_owned_by_someone_else_is_not_used(tmp_path, what):
    folder = tmp_path / "indcli"
    entries = _warm(folder)
    for path in [folder] if what == "folder" else entries:
        os.chown(path, 4242, 4242)
    assert _uses_cache(folder)[0] == 3


def test_a_symlinked_cache_folder_is_not_used(tmp_path):
    real = tmp_path / "real"
    _warm(real)
    link = tmp_path / "indcli"
    link.symlink_to(real)
    assert _uses_cache(link)[0] == 3


def _replace_entries(folder: Path, make) -> None:
    for entry in sorted(folder.glob("content-*.json")):
        if entry.is_dir() and not entry.is_symlink():
            entry.rmdir()
        else:
            entry.unlink()
        make(entry)


def _fifo(entry: Path) -> None:
    os.mkfifo(entry)


def _zero(entry: Path) -> None:
    entry.symlink_to("/dev/zero")


def _link_to_valid(entry: Path) -> None:
    good = entry.with_name("elsewhere")
    good.write_bytes(_sealed({"format": 1, "topics": [], "guides": [], "flows": []}, entry))
    entry.symlink_to(good)


def _huge(entry: Path) -> None:
    with open(entry, "wb") as handle:
        handle.truncate(content_cache.MAX_ENTRY_BYTES + 10)


def _folder(entry: Path) -> None:
    entry.mkdir()


SHAPES = {
    "flows is a number": {"format": 1, "topics": [], "guides": [], "flows": 5},
    "topics hold a number": {"format": 1, "topics": [1], "guides": [], "flows": []},
    "item without id": {"format": 1, "topics": [{}], "guides": [], "flows": []},
    "id is a number": {"format": 1, "topics": [{"id": 5}], "guides": [], "flows": []},
    "missing key": {"format": 1, "topics": [], "guides": []},
    "extra key": {"format": 1, "topics": [], "guides": [], "flows": [], "x": []},
    "format 2": {"format": 2, "topics": [], "guides": [], "flows": []},
    "a list": [],
    "a string": "x",
    "null": None,
}
TEXTS = {
    "escape": "\x1b]0;PWNED\x07\x1b[31mRED",
    "c1": "\x9b2J",
    "rlo": "\u202e",
    "zwsp": "\u200b",
    "line-sep": "\u2028",
    "bom": "\ufeff",
}


@pytest.mark.parametrize(
    "make", [_fifo, _zero, _link_to_valid, _huge, _folder], ids=lambda f: f.__name__[1:]
)
def test_an_unusable_entry_is_a_miss_not_a_hang_or_crash(tmp_path, make):
    _warm(tmp_path)
    for args in (["--help"], ["route", "--help"], ["berichtenbox-steps", "--step", "1"]):
        _replace_entries(tmp_path, make)
        assert _uses_cache(tmp_path, args)[0] == 3


@pytest.mark.parametrize("shape", SHAPES)
def test_a_wrongly_shaped_entry_with_a_valid_checksum_is_a_miss(tmp_path, shape):
    _warm(tmp_path)
    for args in (["route", *PAPER], ["berichtenbox-steps"], ["explain", "public-funds"]):
        _replace_entries(tmp_path, lambda e: e.write_bytes(_sealed(SHAPES[shape], e)))
        assert _uses_cache(tmp_path, args)[0] == 3


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_raw_escapes_in_a_sealed_entry_never_reach_the_terminal(tmp_path, text, fmt):
    good = {entry: entry.read_bytes() for entry in _warm(tmp_path)}
    commands = [["explain", "public-funds"], ["berichtenbox-steps"], ["route", *PAPER]]
    for args in [[*c, "--format", fmt] for c in commands] + [["route", "--help"]]:
        for entry, blob in good.items():
            data = _split(blob)[1]
            for item in data["topics"] + data["guides"] + data["flows"]:
                item["title"] = f"Evil{TEXTS[text]}title"
                for question in item.get("questions", []):
                    question["prompt"] = f"Evil{TEXTS[text]}prompt"
            entry.write_bytes(_sealed(data, entry))
        validated, result = _uses_cache(tmp_path, args)
        assert validated == 3 and "Evil" not in result.stdout


def test_entries_another_core_made_are_evicted_once_long_unused(tmp_path):
    _warm(tmp_path)
    stale = [
        tmp_path / "content-3daec44e-3034.cache",  # the crc32 format before
        tmp_path / f"content-{'0' * 16}-{'1' * 64}.json",  # another core's entry
    ]
    recent = tmp_path / f"content-{'2' * 16}-{'3' * 64}.json"  # another core, in use
    long_ago = time.time() - (content_cache.UNUSED_DAYS + 1) * 24 * 3600
    for path in [*stale, recent]:
        path.write_text("old")
    for path in stale:
        os.utime(path, (long_ago, long_ago))
    keep = tmp_path / "not-ours.txt"
    keep.write_text("x")
    next(tmp_path.glob(f"content-{content_cache._core_tag()}-*.json")).unlink()  # force one write
    assert _uses_cache(tmp_path)[0] == 1
    assert not any(p.exists() for p in stale) and keep.exists() and recent.exists()
    assert len(list(tmp_path.glob(f"content-{content_cache._core_tag()}-*.json"))) == 3


def test_the_cache_keeps_at_most_max_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(content_cache, "MAX_ENTRIES", 2)
    _warm(tmp_path)
    assert len(list(tmp_path.glob("content-*.json"))) == 2


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"HOME": ""},
        {"HOME": "relative/home"},
        {"HOME": "", "XDG_CACHE_HOME": ""},
        {"HOME": "", "XDG_CACHE_HOME": "relative"},
        {"INDCLI_CACHE_DIR": "relative"},
    ],
)
def test_no_absolute_folder_means_no_cache(environ):
    assert content_cache.cache_dir(environ) is None


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"HOME": "/h"}, "/h/.cache/indcli"),
        ({"HOME": "/h", "XDG_CACHE_HOME": "rel"}, "/h/.cache/indcli"),
        ({"HOME": "", "XDG_CACHE_HOME": "/x"}, "/x/indcli"),
        ({"INDCLI_CACHE_DIR": "/c"}, "/c"),
    ],
)
def test_an_absolute_folder_is_used(environ, expected, monkeypatch):
    monkeypatch.setattr(content_cache.sys, "platform", "linux")
    assert str(content_cache.cache_dir(environ)) == expected


def test_without_home_or_passwd_entry_every_command_works(monkeypatch):
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    app = make_app(*PACKS, environ={"INDCLI_NO_CACHE": "", "HOME": ""})
    for args in (["--help"], ["route", *PAPER], ["plugins"]):
        assert run(app, args).exit_code == 0


def test_a_cache_folder_that_cannot_be_created_means_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _uses_cache(blocker / "indcli")[0] == 3


# --- 24 and friends: guides still fine -------------------------------------------------


def test_the_guide_pack_alone_still_renders(tmp_path):
    app = make_app(indcli_berichtenbox)
    assert run(app, ["berichtenbox-steps", "--format", "markdown"]).exit_code == 0


def test_an_ordinary_file_under_dev_shm_is_replaced_atomically():
    if not os.path.isdir("/dev/shm") or not os.access("/dev/shm", os.W_OK):
        pytest.skip("no writable /dev/shm")
    import tempfile

    fd, name = tempfile.mkstemp(dir="/dev/shm", prefix="indcli-test-")
    os.write(fd, b"old")
    os.close(fd)
    try:
        result = run(make_app(*PACKS), ["route", *PAPER, "--output", name])
        assert result.exit_code == 0, result.stderr
        text = Path(name).read_text()
        assert text.startswith("Your route:") and "old" not in text[:3]
    finally:
        os.unlink(name)
