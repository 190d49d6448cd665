"""``check --source-file`` checks only the quotes of the pack a source belongs to, and
says how many it checked (issue 18)."""

from __future__ import annotations

import json

from conftest import PACKS, SEED

from indcli.testing import make_app, run


def source_check(*args: str) -> dict:
    result = run(make_app(*PACKS), ["check", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_clean_run_says_how_many_quotes_it_checked_and_of_which_packs():
    (page,) = source_check("--source-file", f"ind-partner-forms={SEED}")["source_files"]
    assert page["packs"] == ["indcli-berichtenbox", "indcli-partner-permit", "indcli-public-funds"]
    assert page["quotes"] > 30
    text = run(make_app(*PACKS), ["check", "--source-file", f"ind-partner-forms={SEED}"])
    assert f"Checked {page['quotes']} quotes citing source 'ind-partner-forms'" in " ".join(
        text.stdout.split()
    )


def test_a_source_id_belongs_to_its_pack():
    everyone = source_check("--source-file", f"ind-partner-forms={SEED}")["source_files"][0]
    (one,) = source_check("--source-file", f"indcli-berichtenbox:ind-partner-forms={SEED}")[
        "source_files"
    ]
    assert one["packs"] == ["indcli-berichtenbox"] and 0 < one["quotes"] < everyone["quotes"]
    (named,) = source_check("indcli-berichtenbox", "--source-file", f"ind-partner-forms={SEED}")[
        "source_files"
    ]
    assert named == one
