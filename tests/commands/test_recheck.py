"""indcli recheck: a saved checklist against today's packs."""

from __future__ import annotations

import json
import re

from conftest import PACKS

from indcli.testing import make_app, run

PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]


def checklist(tmp_path):
    path = tmp_path / "checklist.md"
    result = run(make_app(*PACKS), ["route", *PAPER, "--format", "markdown", "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def recheck(path, *args):
    return run(make_app(*PACKS), ["recheck", str(path), *args])


def test_a_fresh_checklist_with_ticked_boxes_is_unchanged(tmp_path):
    path = checklist(tmp_path)
    text = path.read_text()
    assert "- [ ] " in text and text.rstrip().endswith("-->")
    path.write_text(text.replace("- [ ] ", "- [x] "))  # a person ticked every box
    result = recheck(path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Unchanged:")


def test_a_quote_checked_again_and_a_new_form_are_said(tmp_path):
    path = checklist(tmp_path)
    text = path.read_text().replace('"checked":"2026-11-28"', '"checked":"2025-01-01"')
    path.write_text(text)
    result = recheck(path)
    assert result.exit_code == 1
    assert "Quote re-checked (paper-download): 2025-01-01 \u2192 2026-11-28" in result.stdout
    # the same file, its answers now those of a long-term resident EU: another form
    text = re.sub(r'"answers":\{[^}]*\}', '"answers":{"eu-long-term-resident":"yes"}', text)
    path.write_text(text)
    data = json.loads(recheck(path, "--format", "json").stdout)
    kinds = [c["kind"] for c in data["changes"]]
    assert data["unchanged"] is False
    assert kinds[:2] == ["form", "channel"] and "dropped" in kinds
    assert data["changes"][1] == {"kind": "channel", "was": "paper", "now": "referral"}


def test_a_file_without_a_record_is_a_usage_error(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# my notes\n- [ ] call the IND\n")
    result = recheck(path)
    assert result.exit_code == 2
    assert "has no indcli record" in result.stderr


def test_the_checklist_saved_at_the_end_of_the_interview_has_the_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(*PACKS, environ={"INDCLI_PLAIN": "1"}, interactive=True)
    flags = ["route", "--eu-long-term-resident", "yes", "--review"]
    result = run(app, flags, input="show\ny\n\n")
    assert result.exit_code == 0, result.stderr
    assert recheck(tmp_path / "my-route.md").exit_code == 0
