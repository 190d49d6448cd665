"""--output: written atomically and privately, or not at all, with a clear error.

Whatever goes wrong (the rename, the disk, the folder), an existing file keeps its old
content, no temporary file is left behind, and the error is exit 1 with one line on
stderr that names the file, says what is wrong and what to do.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile

import pytest
from conftest import PACKS

from indcli.testing import make_app, run

PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]
OLD = "my old plan, with notes\n"


def route_to(target, *extra):
    return run(make_app(*PACKS), ["route", *PAPER, "--output", str(target), *extra])


def error_line(result) -> str:
    """The one error line; the message is one line that ends in a full stop."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: cannot write to ") and lines[0].endswith(".")
    return lines[0]


@pytest.fixture
def old_plan(tmp_path):
    target = tmp_path / "plan.md"
    target.write_text(OLD)
    return target


def _only(folder, *names):
    assert sorted(os.listdir(folder)) == sorted(names)  # no temporary file left


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_every_format_is_written_privately_and_replaces_the_old_file(old_plan, fmt):
    os.chmod(old_plan, 0o644)
    result = route_to(old_plan, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"Wrote your route to {old_plan}.\n"
    text = old_plan.read_text()
    assert text != OLD
    if fmt == "json":
        assert json.loads(text)["outcome"]["id"] == "paper-family-member"
    assert stat.S_IMODE(old_plan.stat().st_mode) == 0o600  # private, even over a 0644 file
    _only(old_plan.parent, "plan.md")


def test_output_dash_is_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = route_to("-", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["outcome"]["id"] == "paper-family-member"
    _only(tmp_path)


def test_a_failing_rename_leaves_the_old_file_and_no_temporary_file(old_plan, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = route_to(old_plan)
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: cannot write to {old_plan}: Permission denied; choose another --output."
    )
    assert old_plan.read_text() == OLD
    _only(old_plan.parent, "plan.md")


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(old_plan, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = route_to(old_plan)
    assert result.exit_code == 1
    assert "No space left on device; choose another --output." in error_line(result)
    assert old_plan.read_text() == OLD
    _only(old_plan.parent, "plan.md")


def test_a_read_only_folder_is_a_clear_error(old_plan, monkeypatch):
    """The folder refuses new files (simulated, so that it also holds when run as root)."""
    real = tempfile.mkstemp

    def refuse(*args, **kwargs):
        if str(kwargs.get("dir")) == str(old_plan.parent):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = route_to(old_plan)
    assert result.exit_code == 1
    assert f"cannot write to {old_plan}: Permission denied; choose another" in error_line(result)
    assert old_plan.read_text() == OLD


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions"
)
def test_a_really_read_only_folder_is_a_clear_error(old_plan):
    folder = old_plan.parent
    os.chmod(folder, 0o500)
    try:
        result = route_to(old_plan)
    finally:
        os.chmod(folder, 0o700)
    assert result.exit_code == 1
    assert "Permission denied; choose another --output." in error_line(result)
    assert old_plan.read_text() == OLD
    _only(folder, "plan.md")


def test_a_path_under_a_file_is_a_clear_error(old_plan):
    """What a read-only folder is for root: there is no way to create the file."""
    result = route_to(old_plan / "x.md")
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: cannot write to {old_plan / 'x.md'}: {old_plan} is a file, not a folder."
    )
    assert old_plan.read_text() == OLD
    _only(old_plan.parent, "plan.md")


def test_a_missing_folder_is_a_clear_error(tmp_path):
    target = tmp_path / "no" / "such" / "plan.md"
    result = route_to(target)
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: cannot write to {target}: folder {target.parent} does not exist; create it first."
    )
    _only(tmp_path)


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_folder_as_output_is_a_usage_error(tmp_path, slash):
    result = route_to(f"{tmp_path}{slash}")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] in (
        f"Error: --output {tmp_path} is a folder; give a file name.",
        f"Error: --output {tmp_path}/ ends in a slash; give a file name, not a folder.",
    )
    _only(tmp_path)


def test_a_name_too_long_for_the_file_system_is_a_clear_error(tmp_path):
    target = tmp_path / ("x" * 300 + ".md")
    result = route_to(target)
    assert result.exit_code == 1
    line = error_line(result)
    assert "File name too long; choose another --output." in line
    assert "internal error" not in result.stderr
    _only(tmp_path)


def test_with_json_a_write_error_is_one_json_object(tmp_path):
    result = route_to(tmp_path, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["command"] == "route"
    assert error["error"]["code"] == 2 and error["error"]["kind"] == "usage"
    assert "is a folder; give a file name" in error["error"]["message"]


def test_nothing_is_written_when_routing_fails(old_plan):
    result = run(make_app(*PACKS), ["route", "--no-input", "--output", str(old_plan)])
    assert result.exit_code == 2
    assert old_plan.read_text() == OLD
    _only(old_plan.parent, "plan.md")


def test_output_to_a_device_is_written_to_and_left_alone():
    before = os.stat("/dev/null")
    result = run(make_app(*PACKS), ["route", *PAPER, "--output", "/dev/null"])
    assert result.exit_code == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
