"""`indcli berichtenbox-steps`: all 8 steps, cited, in every format."""

from __future__ import annotations

import json

import indcli_berichtenbox
import pytest

from indcli.testing import make_app, run


def steps(*args):
    return run(make_app(indcli_berichtenbox), ["berichtenbox-steps", *args])


def test_json_has_the_8_steps_with_sources():
    result = steps("--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["command"] == "berichtenbox-steps"
    assert data["guide"] == "berichtenbox"
    assert [s["number"] for s in data["steps"]] == list(range(1, 9))
    for step in data["steps"]:
        assert {"number", "text", "substeps", "source"} <= step.keys()
        assert step["source"]["quote"] and step["source"]["url"].startswith("https://ind.nl/")
    by_number = {s["number"]: s for s in data["steps"]}
    assert "no address" in by_number[1]["note"]  # what the page leaves out, said
    assert "mijn.overheid.nl" in by_number[1]["basis_note"]  # indcli's reading, said once
    assert "indcli" not in by_number[1]["note"]
    assert [c["case"] for c in by_number[3]["substeps"]] == [
        "No MijnOverheid account yet",
        "Account already activated",
    ]
    assert "activate your account" in by_number[3]["substeps"][0]["text"]
    assert "both notifications on" in by_number[6]["text"]
    assert "'Landelijke organisaties' (National organisations)" in by_number[7]["text"]
    assert "Immigratie- en Naturalisatiedienst" in by_number[7]["text"]
    assert (
        "From now on you will receive post from the IND digitally." in (data["closing"][0]["text"])
    )


def test_one_step():
    result = steps("--step", "7", "--format", "json")
    data = json.loads(result.stdout)
    assert [s["number"] for s in data["steps"]] == [7]
    text = steps("--step", "7").stdout
    assert "  7. At 'Landelijke organisaties'" in text and "  6." not in text


@pytest.mark.parametrize("bad", ["0", "9", "-1"])
def test_a_step_that_does_not_exist_exits_2(bad):
    result = steps("--step", bad)
    assert result.exit_code == 2
    assert "--step must be a number from 1 to 8" in result.stderr


def test_text_fits_80_columns_and_markdown_numbers_the_steps():
    text = steps().stdout
    assert max(len(line) for line in text.splitlines() if "https://" not in line) <= 80
    flat = " ".join(text.split())
    assert "Note: The IND page names no address here." in flat
    assert flat.count("indcli's reading: the MijnOverheid website is") == 1
    md = steps("--format", "markdown").stdout
    assert "\n1. Go to the MijnOverheid website." in md and "\n8. Save your changes." in md


def test_output_writes_the_steps_to_a_private_file(tmp_path):
    target = tmp_path / "steps.md"
    result = steps("--format", "markdown", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote the steps to" in result.stderr
    assert target.read_text().startswith("# ") and (target.stat().st_mode & 0o777) == 0o600


def test_no_pager_is_accepted_like_route():
    result = steps("--no-pager")
    assert result.exit_code == 0, result.stderr
    assert "Step 8" in result.stdout or "8." in result.stdout


def test_interactive_refuses_output():
    result = steps("--interactive", "--output", "x.md")
    assert result.exit_code == 2 and "leave out --format and --output" in result.stderr
