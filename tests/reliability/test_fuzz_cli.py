"""Random command lines and random answers files: every bad input gets a clear answer.

Command lines are built from pieces (a real option with a good or a wrong value, a flag,
an unknown option, an odd positional, a dangling option at the end) so that the test
knows what was asked for. Whatever the mix: the exit code is a documented one, there is
no traceback and no "unexpected internal error", a ``--format json`` success is exactly
one JSON object on stdout, and with ``--format json`` an error is exactly one JSON object
on stderr (the contract: "With --format json, an error is also one JSON object on
stderr"). ``--output`` only ever points into a temporary folder, and every run happens
with the working directory in a temporary folder too.

Each test reuses one App across its examples (loading packs is the slow part); argument
handling does not depend on it.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
from conftest import PACKS, QUESTIONS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tomlwriter import toml_string, toml_value

from indcli.limits import MAX_ANSWERS_BYTES
from indcli.testing import make_app, run
from indcli.utils.text_safety import has_control_chars, one_line

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FORMATS = ["text", "json", "markdown"]
COMPLETE_ANSWERS = [  # answer sets that route all the way, one per outcome
    ["--eu-long-term-resident", "yes"],
    ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"],
    ["--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no",
     "--prefer", "online", "--dutch-bank", "yes", "--digid", "sms", "--partner-permit", "no"],
    ["--eu-long-term-resident", "no", "--temporary-permit", "no", "--public-funds", "no",
     "--prefer", "online", "--dutch-bank", "yes", "--digid", "sms", "--partner-permit", "yes"],
]  # fmt: skip

# --- building blocks -----------------------------------------------------------------

_chars = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
ODD_SAMPLES = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\r\n",
    "\t",
    "\x7f\x9b",
    "é",
    "日本語",
    "\U0001d54f",
    "",
    " ",
    "yes",
    "json",
    "0",
    "99999999999999999999999",
    "a" * 5000,
    "\u00e9" * 3000,
]
odd_text = st.one_of(st.text(_chars, max_size=40), st.sampled_from(ODD_SAMPLES))
# A positional or a value that must not be taken for an option (never '-o/...').
positional = odd_text.filter(lambda s: not s.startswith("-"))
unknown_option = st.builds(lambda s: "--zz" + s.replace("=", ""), odd_text)


def _format_pieces():
    good = st.sampled_from(FORMATS).flatmap(
        lambda f: st.sampled_from([["--format", f], [f"--format={f}"]])
    )
    bad = odd_text.map(lambda v: ["--format", v])
    return st.one_of(good, good, bad)


def _common():
    """Pieces every command gets: --format, --help, unknown options (alone or with a value)."""
    return [
        _format_pieces(),
        _format_pieces(),
        unknown_option.map(lambda o: [o]),
        st.tuples(unknown_option, odd_text).map(list),
        st.just(["--help"]),
    ]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """A working directory for the fuzz runs, with a few answers files and output paths."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "good.json").write_text('{"eu-long-term-resident": "no", "temporary-permit": "yes"}')
    (root / "bad.json").write_text('{"digid": "maybe"}')
    (root / "broken.toml").write_text("digid = \n")
    (root / "empty.txt").write_text("")
    (root / "folder").mkdir()
    (root / "cases.jsonl").write_text(
        '{"eu-long-term-resident": "yes"}\n'
        '{"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}\n'
    )
    (root / "mixed.jsonl").write_text(
        '{"eu-long-term-resident": "yes"}\nnot json\n{"digid": "maybe"}\n[1]\n\n{}\n'
    )
    return root


def _route_pieces(root: Path):
    answers = st.sampled_from(
        ["good.json", "bad.json", "broken.toml", "empty.txt", "folder", "missing.json", "-"]
    )
    outputs = st.sampled_from(
        [str(root / "out.md"), str(root / "folder"), str(root / "no" / "x.md"), "-", "out.txt"]
    )
    questions = sorted(QUESTIONS)
    good_answer = st.sampled_from(questions).flatmap(
        lambda q: st.sampled_from(QUESTIONS[q]).map(lambda v: [f"--{q}", v])
    )
    bad_answer = st.tuples(st.sampled_from(questions).map(lambda q: f"--{q}"), odd_text).map(list)
    complete = st.sampled_from(COMPLETE_ANSWERS)
    return [
        complete,
        complete,
        good_answer,
        good_answer,
        bad_answer,
        st.sampled_from([["--no-input"], ["--explain"]]),
        answers.map(lambda a: ["--answers", a]),
        outputs.map(lambda o: ["--output", o]),
        positional.map(lambda p: [p]),
        st.sampled_from(["cases.jsonl", "mixed.jsonl", "-", "missing.jsonl", "folder"]).map(
            lambda b: ["--batch", b]
        ),
        st.one_of(st.sampled_from(["mermaid", "dot"]), odd_text).map(lambda g: ["--graph", g]),
    ]


def _guide_pieces():
    step = st.one_of(st.integers(-3, 12).map(str), st.integers().map(str), odd_text)
    return [
        step.map(lambda s: ["--step", s]),
        st.sampled_from([["--interactive"], ["-i"]]),
        positional.map(lambda p: [p]),
    ]


# Per command: the pieces of a command line, and the options that may dangle at its end
# (an option without its value: only ever last, so that it cannot swallow a piece).
PIECES = {
    "route": (_route_pieces, ["--answers", "--output", "--digid", "--format"]),
    "berichtenbox-steps": (lambda root: _guide_pieces(), ["--step", "--format"]),
    "explain": (
        lambda root: [
            st.sampled_from(["public-funds", "public-fund", "route"]).map(lambda t: [t]),
            positional.map(lambda p: [p]),
        ],
        ["--format"],
    ),
    "plugins": (lambda root: [positional.map(lambda p: [p])], ["--format"]),
    "completion": (
        lambda root: [
            st.sampled_from(["bash", "zsh", "fish"]).map(lambda s: [s]),
            positional.map(lambda p: [p]),
        ],
        [],
    ),
    "": (
        lambda root: [
            st.sampled_from([["--version"], ["--debug"], ["-h"]]),
            positional.map(lambda p: [p]),
        ],
        [],
    ),
}


def command_lines(command: str, root: Path):
    """A command line for ``command`` ('' is the root command)."""
    make, dangling = PIECES[command]
    body = st.lists(st.one_of(*make(root), *_common()), max_size=7)
    tail = st.one_of(st.just([]), st.sampled_from(dangling).map(lambda o: [o])) if dangling \
        else st.just([])  # fmt: skip
    head = [command] if command else []
    return st.tuples(body, tail).map(lambda bt: head + [t for p in bt[0] for t in p] + bt[1])


def wants_json(args: list[str]) -> bool:
    """Did the command line ask for JSON anywhere (as the root command reads it)?"""
    pairs = zip(args, [*args[1:], ""], strict=True)
    return "--format=json" in args or any(a == "--format" and b == "json" for a, b in pairs)


def last_format(args: list[str]) -> str | None:
    """The --format that takes effect: the last one given."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--format" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--format="):
            found = arg.partition("=")[2]
    return found


def check_contract(command: str, args: list[str], result) -> None:
    note = f"args={args!r}\nexit={result.exit_code}\nstdout={result.stdout[:2000]!r}\n" \
        f"stderr={result.stderr[:2000]!r}"  # fmt: skip
    assert result.exit_code in {0, 1, 2, 3}, note
    assert result.exception is None or isinstance(result.exception, SystemExit), note
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, note
        assert "unexpected internal error" not in stream, note
    asked_for_help = any(a in ("--help", "-h", "--version", "--graph") for a in args)
    if "--batch" in args and not asked_for_help and result.exit_code in (0, 1):
        for line in result.stdout.splitlines():  # JSON Lines, one per case (none for none)
            assert isinstance(json.loads(line), dict), note
        if result.exit_code == 1:  # some lines could not be routed
            assert "line(s) could not be routed" in result.stderr, note
        return
    if result.exit_code == 0:
        if last_format(args) == "json" and not asked_for_help and "--output" not in args:
            data = json.loads(result.stdout)  # exactly one JSON object, nothing else
            assert isinstance(data, dict), note
            assert data["schema_version"] == 1, note
            assert data["command"] == command, note
        return
    assert result.stdout == "", note  # an error writes no result
    if not args:
        return  # bare 'indcli' shows the help on stderr (exit 2)
    if last_format(args) == "json" or (wants_json(args) and result.stderr.startswith("{")):
        error = json.loads(result.stderr)  # exactly one JSON object, nothing else
        assert isinstance(error, dict) and error["schema_version"] == 1, note
        assert error["error"]["code"] == result.exit_code, note
        assert error["error"]["kind"] in {"usage", "runtime", "pack"}, note
        assert error["error"]["message"].strip(), note
    else:
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, note


@pytest.mark.parametrize("command", ["route", "berichtenbox-steps", "explain", "plugins",
                                     "completion", ""])  # fmt: skip
def test_random_command_lines_keep_the_contract(command, sandbox):
    app = make_app(*PACKS)

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        args = data.draw(command_lines(command, sandbox), label="args")
        with contextlib.chdir(sandbox):
            result = run(app, args, env={"SHELL": "/bin/bash"})
        check_contract(command, args, result)

    fuzz()


def test_the_fuzzer_reaches_both_success_and_errors(sandbox):
    """A sanity check of the generator: its command lines do not all fail alike."""
    app = make_app(*PACKS)
    seen: set[int] = set()

    @settings(max_examples=80, deadline=None, database=None)
    @given(data=st.data())
    def sample(data):
        args = data.draw(command_lines("route", sandbox))
        with contextlib.chdir(sandbox):
            seen.add(run(app, args).exit_code)

    sample()
    assert {0, 2} <= seen


def test_json_usage_errors_name_the_command_they_came_from():
    app = make_app(*PACKS)
    for args, command in [
        (["route", "--format", "json", "--digid", "maybe"], "route"),
        (["explain", "nope", "--format=json"], "explain"),
        (["--debug", "plugins", "--format", "json", "--zz"], "plugins"),
    ]:
        result = run(app, args)
        assert result.exit_code == 2
        assert json.loads(result.stderr)["command"] == command


def test_an_answers_file_does_not_change_the_command_name_or_the_rerun_line(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"eu-long-term-resident": "yes"}')
    result = run(make_app(*PACKS), ["route", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rerun"] == "indcli route --eu-long-term-resident yes"
    assert data["command"] == "route"


def test_a_batch_with_failed_lines_reports_one_json_object_with_format_json(sandbox):
    args = ["route", "--batch", str(sandbox / "mixed.jsonl"), "--format", "json"]
    result = run(make_app(*PACKS), args)
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert error["error"]["code"] == 1 and "could not be routed" in error["error"]["message"]


def test_a_root_level_json_error_does_not_name_an_option_value_as_the_command():
    result = run(make_app(*PACKS), ["--format", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stderr)["command"] in ("indcli", "")


# --- answers files -------------------------------------------------------------------

QUESTION_IDS = sorted(QUESTIONS)
scalar = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    odd_text,
)
json_value = st.recursive(
    st.one_of(scalar, st.none()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=8,
)
answer_value = st.one_of(
    st.sampled_from(sorted({v for vs in QUESTIONS.values() for v in vs})),
    json_value,
)
answer_key = st.one_of(st.sampled_from(QUESTION_IDS), st.sampled_from(QUESTION_IDS), odd_text)
answers_dict = st.dictionaries(answer_key, answer_value, max_size=6)


def has_null(value) -> bool:
    if value is None:
        return True
    if isinstance(value, list):
        return any(has_null(v) for v in value)
    if isinstance(value, dict):
        return any(has_null(v) for v in value.values())
    return False


def first_problem(answers: dict) -> tuple[str, str] | None:
    """(key, kind) of the first entry that is not a valid answer, in file order."""
    for key, value in answers.items():
        if key not in QUESTIONS:
            return key, "unknown"
        if not isinstance(value, str) or value not in QUESTIONS[key]:
            return key, "value"
    return None


def route_with_answers(app, path: Path, fmt: str):
    args = ["route", "--answers", str(path), "--no-input"]
    if fmt == "json":
        args += ["--format", "json"]
    return run(app, args, color=True)  # color=True: click keeps escapes, so we see them


def error_message(result, fmt: str) -> str:
    if fmt == "json":
        error = json.loads(result.stderr)  # one object
        assert error["error"]["code"] == result.exit_code
        return error["error"]["message"]
    assert result.stderr.count("Error: ") == 1, result.stderr
    return result.stderr


@FUZZ
@given(
    answers=answers_dict,
    syntax=st.sampled_from(["json", "toml"]),
    suffix=st.sampled_from([".json", ".toml", ".txt", ""]),
    fmt=st.sampled_from(["text", "json"]),
)
def test_random_answers_are_accepted_or_rejected_naming_the_key(
    tmp_path_factory, answers, syntax, suffix, fmt
):
    if syntax == "toml":
        if any(has_null(v) for v in answers.values()):
            syntax = "json"  # TOML has no null
        else:
            suffix = ".toml" if suffix == ".json" else suffix
    if syntax == "json":
        suffix = ".json" if suffix == ".toml" else suffix
        text = json.dumps(answers, ensure_ascii=False)
    else:
        text = "\n".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in answers.items())
        if not answers or text.lstrip().startswith(("{", "[")):
            suffix = ".toml"  # an empty file, or one the sniffer would take for JSON
    path = tmp_path_factory.mktemp("answers") / f"answers{suffix}"
    path.write_text(text, encoding="utf-8")
    result = route_with_answers(make_app(*PACKS), path, fmt)
    note = f"{text[:500]!r}\n{result.stderr[:1000]!r}"
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, note
    problem = first_problem(answers)
    if not text.strip():
        assert result.exit_code == 2, note
        assert "is empty" in error_message(result, fmt), note
        return
    if problem is None:
        assert result.exit_code in (0, 2), note
        if result.exit_code == 2:
            assert "missing answers: --" in error_message(result, fmt), note
        return
    key, kind = problem
    assert result.exit_code == 2, note
    message = error_message(result, fmt)
    assert f"answers file {path}: " in message, note
    shown = one_line(key)[:80]
    if kind == "unknown":
        assert f"'{shown}' is not a question of this flow" in message, note
        assert "Questions: eu-long-term-resident" in message, note
    else:
        assert f"is not a valid answer for '{key}'; use one of: " in message, note
    assert not has_control_chars(message.replace("\n", "")), note  # escaped, never raw
    assert len(message) < 1200, note  # a huge value is cut short


def _json_broken(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def _toml_broken(text: str) -> bool:
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True
    return False


LOCATION = re.compile(r"line \d+, column \d+|at end of document")


@FUZZ
@given(
    answers=st.dictionaries(st.sampled_from(QUESTION_IDS), answer_value, min_size=1, max_size=4),
    cut=st.integers(min_value=0),
    junk=st.text(_chars, min_size=1, max_size=3),
    as_toml=st.booleans(),
    fmt=st.sampled_from(["text", "json"]),
)
def test_syntax_errors_give_line_and_column(tmp_path_factory, answers, cut, junk, as_toml, fmt):
    if as_toml:
        if any(has_null(v) for v in answers.values()):
            return
        text = "\n".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in answers.items())
        suffix, broken = ".toml", _toml_broken
    else:
        text, suffix, broken = json.dumps(answers, ensure_ascii=False), ".json", _json_broken
    at = cut % (len(text) + 1)
    damaged = text[:at] + junk + text[at:]
    if not broken(damaged) or not damaged.strip():
        return
    path = tmp_path_factory.mktemp("syntax") / f"answers{suffix}"
    path.write_text(damaged, encoding="utf-8")
    result = route_with_answers(make_app(*PACKS), path, fmt)
    assert result.exit_code == 2, result.stderr
    message = error_message(result, fmt)
    assert f"answers file {path} is not valid {'TOML' if as_toml else 'JSON'}" in message
    assert LOCATION.search(message), message


@pytest.mark.parametrize(
    ("name", "blob", "phrases"),
    [
        ("list.json", b'["temporary-permit", "yes"]', ["must hold one object", "not a list"]),
        ("number.json", b"42", ["must hold one object", "not a number"]),
        ("string.json", b'"yes"', ["must hold one object", "not a string"]),
        ("null.json", b"null", ["must hold one object", "not null"]),
        ("true.json", b"true", ["must hold one object", "not a boolean"]),
        ("nested.json", b'{"digid": {"digid": "sms"}}', ["is not a valid answer for 'digid'"]),
        ("number-value.toml", b"digid = 3", ["3 is not a valid answer for 'digid'"]),
        ("bool-value.toml", b"prefer = false", ["false is not a valid answer for 'prefer'"]),
        ("null-value.json", b'{"prefer": null}', ["null is not a valid answer for 'prefer'"]),
        ("list-value.json", b'{"prefer": ["online"]}', ["is not a valid answer for 'prefer'"]),
        ("table.toml", b"[digid]\nx = 1\n", ["is not a valid answer for 'digid'"]),
        ("latin1.json", b'{"digid": "caf\xe9"}', ["is not UTF-8 text", "offset 14"]),
        ("binary", b"\x00\xff\xfe\x80", ["is not UTF-8 text", "offset 1"]),
        ("empty.json", b"", ["is empty"]),
        ("blank.toml", b" \n\t\n", ["is empty"]),
        ("bom.json", b"\xef\xbb\xbf", ["is empty"]),
        ("deep.json", b'{"digid": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
         ["nested too deeply"]),
        ("deep.toml", b"digid = " + b"[" * 5_000 + b"]" * 5_000, ["nested too deeply"]),
    ],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_bad_answers_files_name_the_file_and_the_problem(tmp_path, name, blob, phrases, fmt):
    path = tmp_path / name
    path.write_bytes(blob)
    result = route_with_answers(make_app(*PACKS), path, fmt)
    assert result.exit_code == 2, result.stderr
    message = error_message(result, fmt)
    assert f"answers file {path}" in message
    for phrase in phrases:
        assert phrase in message
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("blob", "kind"),
    [(b"null", "null"), (b"42", "a number"), (b"1.5", "a number"), (b"true", "a boolean"),
     (b'"yes"', "a string"), (b"[]", "a list")],
)  # fmt: skip
def test_the_wrong_shape_is_named_in_json_terms(tmp_path, blob, kind):
    path = tmp_path / "answers.json"
    path.write_bytes(blob)
    result = route_with_answers(make_app(*PACKS), path, "text")
    assert result.exit_code == 2
    assert f"must hold one object of question id -> answer, not {kind}." in result.stderr


def test_an_answers_file_over_1_mib_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"digid": "' + b"x" * (MAX_ANSWERS_BYTES + 10) + b'"}')
    for fmt in ("text", "json"):
        result = route_with_answers(make_app(*PACKS), path, fmt)
        assert result.exit_code == 2
        message = error_message(result, fmt)
        assert f"answers file {path} is larger than 1024 KiB" in message


def test_a_huge_value_just_under_the_limit_is_cut_short_in_the_message(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"digid": "' + "\u00e9" * (MAX_ANSWERS_BYTES // 2 - 20) + '"}')
    result = route_with_answers(make_app(*PACKS), path, "text")
    assert result.exit_code == 2
    assert "is not a valid answer for 'digid'" in result.stderr
    assert len(result.stderr) < 1000


def test_answers_from_stdin_name_stdin(tmp_path):
    result = run(make_app(*PACKS), ["route", "--answers", "-", "--no-input"], input="digid = ")
    assert result.exit_code == 2
    assert "answers from stdin is not valid TOML (or JSON)" in result.stderr
    assert LOCATION.search(result.stderr)


def test_an_odd_answers_file_name_is_escaped_in_every_message(tmp_path):
    path = tmp_path / "a\u202egnp.json"
    path.write_text('{"digid": "maybe"}')
    result = route_with_answers(make_app(*PACKS), path, "text")
    assert result.exit_code == 2
    assert "\u202e" not in result.stderr
