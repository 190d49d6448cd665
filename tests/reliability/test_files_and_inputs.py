"""indcli touches only its own files, reads special files only as they are, and keeps
completion entries to one line (issue 26, items 3 and 5).

``--output`` writes through what is not an ordinary file (a device, a FIFO, an open
descriptor however it is spelled, a link to any of them) and replaces only ordinary
files; the content cache removes only names it made, shares entries between installs of
one core and keeps another core's entries while they are used; standard input named
twice is a usage error in any spelling; ``check PATH`` reads only regular files under
the folder it was given. Real processes where stdout or stdin is the point (a closed
stdout cannot be had in-process), each under a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from conftest import PACKS, SOURCE, child_environ, make_pack, topic_toml

from indcli.packs import content_cache
from indcli.testing import make_app, run

TIMEOUT = 60
PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]
CASE = b'{"eu-long-term-resident": "yes"}\n'
ROUTE = b"Your route:"


def indcli(args: list[str], **options) -> subprocess.CompletedProcess:
    """``python -m indcli ARGS`` with the shipped packs, under a timeout."""
    options.setdefault("stdin", subprocess.DEVNULL)
    options.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "indcli", *args],
        env=child_environ(),
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
        check=False,
        **options,
    )


def _closed_stdout() -> None:
    os.close(1)


# --- --output: never replace a device, FIFO or descriptor; judge a name by its target --


@pytest.mark.parametrize("target", ["/proc/self/fd/1", "/dev/stdout", "/dev/fd/1"])
@pytest.mark.parametrize("batch", [False, True], ids=["route", "batch"])
def test_output_through_a_link_to_a_closed_stdout_is_an_error_and_replaces_nothing(
    tmp_path, target, batch
):
    if not os.path.exists(target):
        pytest.skip(f"no {target} here")
    link = tmp_path / "out.md"
    link.symlink_to(target)
    (tmp_path / "c.jsonl").write_bytes(CASE)
    args = ["route", "--batch", str(tmp_path / "c.jsonl")] if batch else ["route", *PAPER]
    done = indcli([*args, "--output", str(link)], stdout=None, preexec_fn=_closed_stdout)
    assert done.returncode == 1, done.stderr
    assert done.stderr.decode().strip().splitlines()[-1] == (
        "Error: cannot write output: stdout is closed."
    )
    assert link.is_symlink() and os.readlink(link) == target


@pytest.mark.parametrize("name", ["/dev/stdout", "//dev/stdout", "///dev/fd/1"])
def test_output_dev_stdout_with_stdout_closed_is_an_error(name, dev_stdout):
    done = indcli(["route", *PAPER, "--output", name], stdout=None, preexec_fn=_closed_stdout)
    assert done.returncode == 1, done.stderr
    assert b"stdout is closed" in done.stderr and b"Wrote" not in done.stderr


@pytest.mark.parametrize("name", ["//dev/stdout", "//dev/fd/1", "/proc/../dev/stdout"])
def test_any_spelling_of_dev_stdout_reaches_the_redirect(tmp_path, name, dev_stdout):
    redirect = tmp_path / "redirect.txt"
    with open(redirect, "wb") as out:
        done = indcli(["route", *PAPER, "--output", name], stdout=out)
    assert done.returncode == 0, done.stderr
    assert redirect.read_bytes().startswith(ROUTE)


@pytest.mark.parametrize("batch", [False, True], ids=["route", "batch"])
def test_a_proc_spelling_of_an_ordinary_file_is_replaced_atomically(tmp_path, batch):
    target = tmp_path / "x.md"
    target.write_text("old content\n")
    target.chmod(0o644)
    before = target.stat().st_ino
    (tmp_path / "c.jsonl").write_bytes(CASE)
    args = ["route", "--batch", str(tmp_path / "c.jsonl")] if batch else ["route", *PAPER]
    name = f"/proc/..{target}"
    result = run(make_app(*PACKS), [*args, "--output", name])
    assert result.exit_code == 0, result.stderr
    written = target.read_bytes()
    assert b"old content" not in written
    assert written.startswith(b'{"line":1' if batch else ROUTE)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # as any file --output writes
    assert target.stat().st_ino != before  # a new file renamed over the old: atomic


def test_output_to_a_descriptor_that_is_not_open_is_an_error(tmp_path):
    done = indcli(["route", *PAPER, "--output", "/dev/fd/9"], cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert b"cannot write to /dev/fd/9: descriptor 9 is not open." in done.stderr
    assert not list(tmp_path.iterdir())


def test_output_to_an_open_descriptor_writes_through_it(tmp_path):
    target = tmp_path / "log.md"
    target.write_bytes(b"kept\n")
    with open(target, "ab") as handle:
        done = indcli(
            ["route", *PAPER, "--output", f"/proc/self/fd/{handle.fileno()}"],
            pass_fds=(handle.fileno(),),
        )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"kept\n" + ROUTE)


@pytest.mark.parametrize("target", ["/dev/null", "fifo"])
def test_a_link_to_a_device_or_fifo_is_written_through_and_kept(tmp_path, target):
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
        target = str(tmp_path / "fifo")
        reader = os.open(target, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so no ENXIO
    link = tmp_path / "out.md"
    link.symlink_to(target)
    try:
        result = run(make_app(*PACKS), ["route", *PAPER, "--output", str(link)])
        if target != "/dev/null":
            assert os.read(reader, 65536).startswith(ROUTE)
    finally:
        if target != "/dev/null":
            os.close(reader)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == target


# --- the content cache: only its own names, shared by installs, kept while used --------


def _cached_app(folder: Path):
    return make_app(*PACKS, environ={"INDCLI_NO_CACHE": "", "INDCLI_CACHE_DIR": str(folder)})


def _warm(folder: Path) -> int:
    app = _cached_app(folder)
    assert run(app, ["plugins"]).exit_code == 0
    return app.loader.validated


def test_the_cache_removes_only_names_it_made(tmp_path):
    old = time.time() - 400 * 24 * 3600
    others = ["content-plan.md", "content-ideas.txt", "content-x.json", "content-1-2.cache"]
    for name in others:
        (tmp_path / name).write_text("the user's own\n")
        os.utime(tmp_path / name, (old, old))
    tmp_path.chmod(0o700)
    leftover = tmp_path / f".content-{content_cache._core_tag()}-{'a' * 15}.x1_y2z3w.tmp"
    leftover.write_text("{")  # the temporary file of a writer that was killed
    os.utime(leftover, (old, old))
    assert _warm(tmp_path) == 3  # three entries written, eviction ran after each
    for name in others:
        assert (tmp_path / name).read_text() == "the user's own\n", name
    assert not leftover.exists()


def test_two_cores_used_in_turn_keep_each_others_entries(tmp_path, monkeypatch):
    assert _warm(tmp_path) == 3
    mine = set(tmp_path.glob("content-*.json"))
    monkeypatch.setattr(content_cache, "_fingerprint", "another core")  # say, another version
    assert _warm(tmp_path) == 3
    assert mine < set(tmp_path.glob("content-*.json"))
    monkeypatch.undo()
    assert _warm(tmp_path) == 0  # the first core's entries are all still there


def test_a_used_entry_is_marked_used(tmp_path):
    _warm(tmp_path)
    long_ago = time.time() - 20 * 24 * 3600
    for entry in tmp_path.glob("content-*.json"):
        os.utime(entry, (long_ago, long_ago))
    assert _warm(tmp_path) == 0
    for entry in tmp_path.glob("content-*.json"):
        assert entry.stat().st_mtime > time.time() - 3600


def _core_tag_of(copy: Path) -> str:
    code = "from indcli.packs import content_cache; print(content_cache._core_tag())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout.strip()


def test_two_installs_of_one_core_share_the_cache(tmp_path):
    import indcli

    source = Path(indcli.__file__).parent
    copies = []
    for number, when in ((1, 1_000_000_000), (2, 1_500_000_000)):  # installed years apart
        copy = tmp_path / f"install{number}" / "indcli"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
        for path in copy.rglob("*.py"):
            os.utime(path, (when, when))
        copies.append(copy.parent)
    tags = {_core_tag_of(copy) for copy in copies}
    assert len(tags) == 1
    assert tags == {content_cache._core_tag()}  # and the same as this checkout's
    (copies[1] / "indcli" / "limits.py").write_text(
        (copies[1] / "indcli" / "limits.py").read_text() + "\n# changed\n"
    )
    assert _core_tag_of(copies[1]) != content_cache._core_tag()  # its bytes changed


# --- standard input, named twice in any spelling --------------------------------------


def _stdin_spellings(tmp_path: Path) -> list[tuple[str, str]]:
    return [
        ("-", "/dev/stdin"),
        ("/dev/stdin", "-"),
        ("/dev/fd/0", "-"),
        ("-", "/proc/self/fd/0"),
        ("/dev/stdin", "/dev/stdin"),
        ("-", str(tmp_path / "c.jsonl")),  # the very file stdin reads
    ]


def test_stdin_named_twice_in_any_spelling_is_a_usage_error(tmp_path):
    cases = tmp_path / "c.jsonl"
    cases.write_bytes(CASE)
    for answers, batch in _stdin_spellings(tmp_path):
        with open(cases, "rb") as stdin:
            done = indcli(["route", "--answers", answers, "--batch", batch], stdin=stdin)
        assert done.returncode == 2, (answers, batch, done.stderr)
        assert (
            f"--answers {answers} and --batch {batch} would both read stdin".encode() in done.stderr
        )
        assert done.stdout == b""


def test_stdin_named_once_beside_another_file_still_works(tmp_path):
    cases = tmp_path / "c.jsonl"
    cases.write_bytes(CASE)
    done = subprocess.run(
        [sys.executable, "-m", "indcli", "route", "--answers", "-", "--batch", str(cases)],
        env=child_environ(),
        input=b"{}",
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "eu-long-term-resident"


# --- check PATH: only regular files under the folder given ------------------------------


def _pack_folder(tmp_path: Path, pyproject: str | None = 'name = "indcli-mine"') -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "content.toml").write_text(SOURCE + topic_toml("mine"), encoding="utf-8")
    if pyproject is not None:
        (folder / "pyproject.toml").write_text(f"[project]\n{pyproject}\n")
    return folder


def _check(folder: Path):
    return run(make_app(*PACKS), ["check", "--format", "json", f"{folder}/"])


@pytest.mark.parametrize(
    ("project", "message"),
    [
        ('project = "x"', "project must be a [project] table with a name"),
        ("[project]\nname = 5", "[project] name must be a non-empty string"),
        ("[project\n", "is not valid TOML"),
    ],
    ids=["project a string", "name a number", "bad toml"],
)
def test_check_reports_a_bad_pyproject_as_one_problem(tmp_path, project, message):
    folder = _pack_folder(tmp_path, None)
    (folder / "pyproject.toml").write_text(project + "\n")
    result = _check(folder)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr and "internal error" not in result.stderr


def test_check_refuses_a_pyproject_that_is_a_link_to_dev_zero(tmp_path):
    folder = _pack_folder(tmp_path, None)
    (folder / "pyproject.toml").symlink_to("/dev/zero")
    result = _check(folder)
    assert result.exit_code == 2
    assert "pyproject.toml: it is not a regular file" in result.stderr


def test_check_refuses_a_pyproject_larger_than_the_loaders_cap(tmp_path):
    folder = _pack_folder(tmp_path, None)
    with open(folder / "pyproject.toml", "wb") as handle:
        handle.truncate(content_cache.MAX_CONTENT_BYTES + 1)
    result = _check(folder)
    assert result.exit_code == 2 and "is larger than 512 KiB" in result.stderr


@pytest.mark.parametrize("fifo", ["pyproject.toml", "content.toml"])
def test_check_refuses_a_fifo_at_once(tmp_path, fifo):
    folder = _pack_folder(tmp_path)
    (folder / fifo).unlink()
    os.mkfifo(folder / fifo)
    done = indcli(["check", str(folder)])  # a real process: a hang fails by the timeout
    assert done.returncode == 2, done.stderr
    assert f"{fifo}: it is not a regular file".encode() in done.stderr


def test_check_reads_no_parent_folder(tmp_path):
    (tmp_path / "pyproject.toml").symlink_to("/dev/zero")  # read, it would fail the check
    folder = _pack_folder(tmp_path, None)
    result = _check(folder)
    assert result.exit_code == 0, result.stderr
    assert "mine" in json.loads(result.stdout)["packs"]  # named after its folder


def test_check_names_the_pack_from_the_pyproject_of_the_folder_given(tmp_path):
    folder = _pack_folder(tmp_path)
    result = _check(folder)
    assert result.exit_code == 0, result.stderr
    assert "indcli-mine" in json.loads(result.stdout)["packs"]


# --- completion: pack text is one line per entry ---------------------------------------


def _complete(shell: str, words: str) -> str:
    command = click.Command(
        "evil",
        short_help="Line one\nindcli-injected\nplain\tx",
        params=[click.Option(["--opt"], help="opt\nhelp\n--forged")],
    )
    app = make_app(*PACKS, make_pack("indcli-evil", Path("."), commands=[command]))
    env = {
        "_INDCLI_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = run(app, [], env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_newline_in_a_pack_commands_help_adds_no_zsh_completion():
    lines = _complete("zsh", "indcli ev").splitlines()
    assert lines == ["plain", "evil", "Line one indcli-injected plain x"]
    lines = _complete("zsh", "indcli evil --o").splitlines()
    assert lines == ["plain", "--opt", "opt help --forged"]


def test_bash_completion_entries_stay_one_per_line():
    assert _complete("bash", "indcli ev").splitlines() == ["plain,evil"]
