"""Saving the checklist at the end of an interview: nothing the person has is lost.

Driven in plain mode (lines on stdin), in-process; the same questions on a real terminal
are in test_interview_pty.py.
"""

from __future__ import annotations

import pytest
from conftest import PACKS

from indcli.testing import make_app, run

TO_THE_SAVE_QUESTION = ["route", "--eu-long-term-resident", "yes", "--review"]


def save(tmp_path, monkeypatch, lines):
    monkeypatch.chdir(tmp_path)
    app = make_app(*PACKS, environ={"INDCLI_PLAIN": "1"}, interactive=True)
    return run(app, TO_THE_SAVE_QUESTION, input="show\ny\n" + "".join(f"{x}\n" for x in lines))


def test_a_name_inside_a_file_is_asked_again(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x")
    result = save(tmp_path, monkeypatch, ["afile/route.md", "ok.md"])
    assert result.exit_code == 0, result.stderr
    assert "afile is a file, not a folder." in result.stdout
    assert (tmp_path / "ok.md").exists()


def test_replacing_needs_a_yes(tmp_path, monkeypatch):
    (tmp_path / "my-route.md").write_text("mine\n")
    result = save(tmp_path, monkeypatch, ["", "y"])
    assert result.exit_code == 0, result.stderr
    assert "my-route.md already exists. Replace it?" in result.stdout
    assert (tmp_path / "my-route.md").read_text().startswith("# Your route:")


def test_a_name_ending_in_a_slash_is_a_folder(tmp_path, monkeypatch):
    result = save(tmp_path, monkeypatch, ["notes/", "x.md"])
    assert result.exit_code == 0, result.stderr
    assert "notes/ is a folder, not a file name." in result.stdout
    assert "--output" not in result.stdout + result.stderr  # an option never typed


@pytest.mark.parametrize("lines", [[], ["nosuchdir/route.md"]], ids=["at-once", "after-an-error"])
def test_end_of_input_at_a_save_question_says_not_saved(tmp_path, monkeypatch, lines):
    result = save(tmp_path, monkeypatch, lines)
    assert result.exit_code == 130
    assert "The checklist was not saved; your route is above." in result.stderr
    assert "Your route:" in result.stdout
    assert list(tmp_path.iterdir()) == []
