"""A pack that names itself for a contested item never takes it over or knocks out an
official pack (issue 18): real packs on PYTHONPATH, run as ``indcli`` in a child."""

from __future__ import annotations

import json

import pytest
from conftest import PACKS, failing_app, make_pack, path_pack, run_indcli, topic_toml

from indcli import api
from indcli.testing import run

ROUTE = [
    "route",
    "--no-input",
    "--format",
    "json",
    "--eu-long-term-resident",
    "no",
    "--temporary-permit",
    "yes",
    "--partner-abroad",
    "no",
]


def self_named(topic: str, pack: str, via_other_topic: bool = False) -> str:
    """A topic ``topic`` whose pointer to itself (from the topic, or from another topic of
    the same pack) names ``pack``, the impostor."""
    pointer = f'{{ label = "l", topic = "{topic}", pack = "{pack}" }}'
    title = "Transfer EUR 250 to NL00EVIL0123456789 first"
    if not via_other_topic:
        return topic_toml(topic, title, pointer)
    return topic_toml(topic, title) + topic_toml("mine", "Mine", pointer)


def assert_refused(stderr: str, impostor: str, official: str) -> None:
    (warning,) = [line for line in stderr.splitlines() if impostor in line]
    assert f"pack {impostor} 1.0 was skipped" in warning
    assert official in warning and f"INDCLI_DISABLE_PLUGINS={impostor}" in warning
    assert f"INDCLI_DISABLE_PLUGINS={official}" not in warning
    assert "neither loads" not in warning and "no loaded content" not in warning


def test_a_self_named_berichtenbox_topic_leaves_the_official_pack_working(tmp_path):
    impostor = "indcli-zz-helper"
    folder = path_pack(tmp_path, impostor, self_named("berichtenbox", impostor))
    shown = run_indcli("explain", "berichtenbox", pythonpath=folder, packs=impostor)
    assert shown.returncode == 0 and "EVIL" not in shown.stdout
    assert "Berichtenbox" in shown.stdout
    assert_refused(shown.stderr, impostor, "indcli-berichtenbox")
    steps = run_indcli("berichtenbox-steps", "--format", "json", pythonpath=folder, packs=impostor)
    assert steps.returncode == 0 and json.loads(steps.stdout)["guide"] == "berichtenbox"
    code = "from indcli import api; print(api.explain('berichtenbox')['pack'])"
    proc = run_indcli(code=code, pythonpath=folder, packs=impostor)
    assert proc.stdout.strip() == "indcli-berichtenbox", proc.stderr
    assert proc.stderr == ""  # the library never prints


def test_a_self_named_digid_topic_leaves_routing_and_the_topic_to_the_flow_owner(tmp_path):
    impostor = "indcli-zz-digid"
    folder = path_pack(tmp_path, impostor, self_named("digid", impostor, via_other_topic=True))
    routed = run_indcli(*ROUTE, pythonpath=folder, packs=impostor)
    assert routed.returncode == 0, routed.stderr
    assert json.loads(routed.stdout)["outcome"]["id"] == "paper-family-member"
    assert_refused(routed.stderr, impostor, "indcli-partner-permit")
    assert "owns flow 'partner-permit'" in routed.stderr
    shown = run_indcli("explain", "digid", "--format", "json", pythonpath=folder, packs=impostor)
    assert json.loads(shown.stdout)["pack"] == "indcli-partner-permit"


def test_a_self_named_public_funds_topic_names_both_packs_and_blames_the_newcomer(tmp_path):
    impostor = "indcli-aaa-funds"
    folder = path_pack(tmp_path, impostor, self_named("public-funds", impostor))
    shown = run_indcli("explain", "public-funds", pythonpath=folder, packs=impostor)
    assert shown.returncode == 0 and "EVIL" not in shown.stdout
    assert_refused(shown.stderr, impostor, "indcli-public-funds")
    assert "indcli-partner-permit names for it" in shown.stderr


@pytest.mark.parametrize("topic", ["berichtenbox", "digid", "public-funds"])
def test_in_process_the_impostor_fails_alone(tmp_path, topic):
    impostor = make_pack("indcli-aaa-x", tmp_path, self_named(topic, "indcli-aaa-x", True))
    app = failing_app(*PACKS, impostor)
    assert [p.name for p in app.load_catalog().failed] == ["indcli-aaa-x"]
    assert "EVIL" not in json.dumps(api.explain(topic, app=app))
    assert run(app, ["route", *ROUTE[1:]]).exit_code == 0


def test_when_no_other_pack_names_either_neither_loads_and_the_message_says_so(tmp_path):
    a = make_pack("indcli-aa", tmp_path, self_named("shared", "indcli-aa"))
    z = make_pack("indcli-zz", tmp_path, self_named("shared", "indcli-zz"))
    app = failing_app(a, z)
    assert [p.name for p in app.load_catalog().failed] == ["indcli-aa", "indcli-zz"]
    for pack in app.load_catalog().failed:
        assert "no other pack names either for it, so neither loads" in pack.error


def test_a_flow_owner_is_never_knocked_out_by_a_contested_name(tmp_path):
    # two packs point to each other's rival: neither is named, both are pointed to
    rival = make_pack(
        "indcli-aaa-rival",
        tmp_path,
        topic_toml("digid", "Rival")
        + """
    [[topics]]
    id = "other"
    title = "T"
    summary = "s"
    source = { source = "s", quote = "A sentence.", checked = 2026-11-28 }
    body = [{ text = "b", source = { source = "s", quote = "A sentence.", checked = 2026-11-28 } }]
    related = [{ label = "l", command = "route", pack = "indcli-partner-permit" }]
    """,
    )
    app = failing_app(*PACKS, rival)
    assert [p.name for p in app.load_catalog().failed] == ["indcli-aaa-rival"]
    assert app.load_catalog().flow("partner-permit") is not None


def test_two_owners_of_different_flows_clashing_on_a_topic_never_load_silently(tmp_path):
    def owner(name: str, flow: str) -> str:
        return (
            topic_toml("shared", name)
            + f"""
    [[flows]]
    id = "{flow}"
    title = "T"
    """
        )

    a = make_pack("indcli-aa", tmp_path, owner("aa", "flow-a"))
    z = make_pack("indcli-zz", tmp_path, owner("zz", "flow-z"))
    app = failing_app(a, z)
    assert "shared" not in app.load_catalog().topics
    assert {p.name for p in app.load_catalog().failed} == {"indcli-aa", "indcli-zz"}
