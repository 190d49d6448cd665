"""Bad bytes, encodings and short writes: batch lines that are not text, TOML dates in
answers, writes the disk cuts short, file names that are not UTF-8, long legal names and
bare ``indcli`` (issue 20, findings 1-7 and 11, each reproduced).

In-process where only indcli's own logic is involved; a real process (with the packs of
this checkout pinned by INDCLI_LOAD_PLUGINS) where the finding is about stdout, a file
size limit, the locale's encoding or a file name.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys

import pytest
from conftest import PACKS, child_environ

from indcli.testing import make_app, run

TIMEOUT = 60
# A child under a file size limit must not write bytecode: CPython does not check for a
# short write of a .pyc, and a truncated one would break every later import of that module.
NO_BYTECODE = ["-B"]
CASE = b'{"eu-long-term-resident": "yes"}\n'


def indcli(args: list[str], *, limit: int | None = None, **env: str) -> subprocess.CompletedProcess:
    """``python -m indcli ARGS`` as a real process; ``limit``: a file size limit in bytes."""

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, *NO_BYTECODE, "-m", "indcli", *args],
        env=child_environ(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        preexec_fn=limited,
    )


# --- 1, 2: a batch line that cannot be decoded, or gives a key twice ---------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"temporary-permit": "\\ud800"}\n', "lone surrogate"),
        (b'{"eu-long-term-resident": "yes", "x": ["\\udfff"]}\n', "lone surrogate"),
        (b'{"temporary-permit": "\xed\xa0\x80"}\n', "not UTF-8 text"),
        (b"\xff\xfe\n", "not UTF-8 text"),
        (b'{"eu-long-term-resident": "no", "eu-long-term-resident": "yes"}\n', "twice"),
        (b'{"eu-long-term-resident" :"no",\t"eu-long-term-resident"\t :"no"}\n', "twice"),
        (b'{"temporary-permit": "a\\":", "temporary-permit": "yes"}\n', "twice"),
    ],
    ids=[
        "escaped surrogate",
        "surrogate in a list",
        "encoded surrogate",
        "bad bytes",
        "dup",
        "dup, same value, spaced",
        "dup after a value holding a key end",
    ],
)
def test_a_bad_batch_line_gets_its_own_record_and_the_batch_goes_on(tmp_path, line, message):
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(CASE + line + CASE)
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    assert result.exit_code == 1, result.stderr  # some lines failed
    assert "internal error" not in result.stderr
    records = [json.loads(text) for text in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3]
    assert "outcome" in records[0] and "outcome" in records[2]
    assert message in records[1]["error"]["message"]
    assert records[1]["error"]["code"] == 2


def test_a_valid_surrogate_pair_is_still_text(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(b'{"eu-long-term-resident": "yes", "x\\ud83d\\ude00": "no"}\n')
    result = run(make_app(*PACKS), ["route", "--batch", str(cases)])
    (record,) = [json.loads(text) for text in result.stdout.splitlines()]
    assert "not a question of this flow" in record["error"]["message"]


def test_a_whole_batch_of_bad_lines_as_a_real_process(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(b'{"temporary-permit": "\\ud800"}\n\xed\xa0\x80\n' + CASE)
    done = indcli(["route", "--batch", str(cases)], PYTHONIOENCODING="utf-8")
    assert done.returncode == 1, done.stderr
    assert [json.loads(x)["line"] for x in done.stdout.splitlines()] == [1, 2, 3]
    assert done.stderr.decode().count("\n") == 1 and b"internal" not in done.stderr


# --- 3: TOML dates and times in an answers file ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2024-01-01", "2024-01-01"),
        ("12:30:00", "12:30:00"),
        ("1979-05-27T07:32:00Z", "1979-05-27T07:32:00+00:00"),
        ("1979-05-27T07:32:00", "1979-05-27T07:32:00"),
        ("[2024-01-01]", "[2024-01-01]"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_toml_date_in_an_answers_file_is_a_usage_error(tmp_path, value, shown, fmt):
    answers = tmp_path / "a.toml"
    answers.write_text(f"temporary-permit = {value}\n", encoding="utf-8")
    args = ["route", "--answers", str(answers), "--no-input", "--format", fmt]
    result = run(make_app(*PACKS), args)
    assert result.exit_code == 2, result.stderr
    message = json.loads(result.stderr)["error"]["message"] if fmt == "json" else result.stderr
    assert f"{shown} is not a valid answer for 'temporary-permit'" in message.replace('"', "")


# --- 4: a short write to stdout, whatever the buffering -----------------------------------


@pytest.mark.parametrize(
    "args", [["docs", "hooks"], ["explain", "digid", "--format", "json"], ["route", "--help"]]
)
@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
def test_a_short_write_to_stdout_is_an_error(tmp_path, args, unbuffered):
    out = tmp_path / "out.txt"
    with open(out, "wb") as stdout:
        done = subprocess.run(
            [sys.executable, *NO_BYTECODE, "-m", "indcli", *args],
            env=child_environ(PYTHONUNBUFFERED=unbuffered),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            check=False,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000)),
        )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert "cannot write output" in lines[0] and "internal" not in lines[0]


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
def test_a_short_write_to_an_output_file_is_an_error(tmp_path, unbuffered):
    target = tmp_path / "route.md"
    args = ["route", "--eu-long-term-resident", "yes", "--output", str(target)]
    done = indcli(args, limit=1000, PYTHONUNBUFFERED=unbuffered)
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith("Error: cannot write to ") and "File too large" in line
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary file


# --- 5: file names that are not UTF-8 ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_new_pack_in_a_folder_whose_name_is_not_utf8(tmp_path, fmt):
    folder = os.fsdecode(bytes(tmp_path) + b"/dir\xff")
    done = indcli(["new-pack", "indcli-surr", folder, "--format", fmt], PYTHONIOENCODING="utf-8")
    assert done.returncode == 0, done.stderr
    assert os.path.isfile(os.path.join(folder, "pyproject.toml"))
    text = json.loads(done.stdout)["directory"] if fmt == "json" else done.stdout.decode()
    assert "dir\\xff" in text and b"\xff" not in done.stdout


def test_a_source_file_whose_name_is_not_utf8_is_shown_escaped(tmp_path):
    page = tmp_path / os.fsdecode(b"\xfe.txt")
    page.write_text("Not the page.\n", encoding="utf-8")
    done = indcli(
        ["check", "indcli-public-funds", "--source-file", f"ind-partner-forms={page}"],
        PYTHONIOENCODING="utf-8",
    )
    both = done.stdout + done.stderr
    assert b"internal error" not in both and b"\xfe" not in both, both
    assert b"\\xfe.txt" in both and done.returncode in (0, 1, 3), both


@pytest.mark.parametrize("option", ["--answers", "--batch", "--output"])
def test_an_error_about_a_path_that_is_not_utf8_is_one_printable_line(tmp_path, option):
    missing = os.fsdecode(bytes(tmp_path) + b"/\xfd/file.json")
    answer = ["--eu-long-term-resident", "yes"] if option == "--output" else []
    args = ["route", option, missing, *answer]
    done = indcli(args, PYTHONIOENCODING="utf-8")
    assert done.returncode in (1, 2), done.stderr
    assert b"\xfd" not in done.stderr and b"internal" not in done.stderr, done.stderr  # raw byte
    assert done.stderr.decode().count("Error") == 1


# --- 6: new-pack names that would not install or load ----------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("indcli-nl\n", "not a valid pack name"),
        ("indcli-" + "a" * 56, "longer than 64 characters; keep the part after 'indcli-' to 55"),
        ("b" * 56, "keep it to 55 characters"),
        ("click", "installed distribution"),
        ("pydantic", "installed distribution"),
        ("pluggy", "installed distribution"),
        ("indcli-0x", "does not start with a letter"),
        ("indcli-digid", "which pack indcli-partner-permit already uses"),
    ],
)
def test_new_pack_refuses_a_name_that_would_not_install_or_load(tmp_path, name, message):
    result = run(make_app(*PACKS), ["new-pack", name, str(tmp_path / "p"), "--with-route"])
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- 7: --output with a long file name ------------------------------------------------------


@pytest.mark.parametrize("name", ["r" * 251 + ".txt", "\u00e9" * 125 + ".md"])
def test_output_to_a_file_with_a_long_legal_name(tmp_path, name):
    done = indcli(
        ["route", "--eu-long-term-resident", "yes", "--output", str(tmp_path / name)],
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("Your route:")
    assert [p.name for p in tmp_path.iterdir()] == [name]


# --- 11 (and issue 17, item 7): bare indcli ------------------------------------------------


def _readable_help(text: str) -> None:
    assert text.startswith("Usage: indcli")
    assert "\\x0a" not in text and text.count("\n") > 20
    assert "Commands:" in text.splitlines()


def test_bare_indcli_prints_the_root_help_and_exits_0():
    result = run(make_app(*PACKS), [])
    assert result.exit_code == 0, result.stderr
    _readable_help(result.stdout)
    assert result.stderr == ""


def test_bare_indcli_as_a_real_process():
    done = indcli([])
    assert done.returncode == 0, done.stderr
    _readable_help(done.stdout.decode())
    assert done.stderr == b""


@pytest.mark.parametrize(
    "args",
    [["nope"], ["route", "--bogus"], ["route", "--digid", "maybe"], ["explain", "zz"],
     ["route", "--no-input"], ["check", "--source-file", "x"]],
)  # fmt: skip
def test_no_error_message_shows_an_escaped_newline(args):
    result = run(make_app(*PACKS), args)
    assert result.exit_code == 2
    assert "\\x0a" not in result.stderr and "Error: " in result.stderr
