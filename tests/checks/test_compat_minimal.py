"""``check PACK --compat`` reports the shortest invocations that break, such as the
README's, not only complete answer sets (issue 18)."""

from __future__ import annotations

import json

from conftest import PACKS, flow_toml, make_pack, rule_toml

from indcli.testing import make_app, run

README_ONLINE = (
    "indcli route --eu-long-term-resident no --temporary-permit no --public-funds no "
    "--prefer online --dutch-bank yes --digid none --partner-permit no"
)
ABROAD_ONLINE = flow_toml(
    "partner-permit",
    rule_toml(
        "abroad-online",
        '{ all = [{ question = "prefer", is = "online" }, '
        '{ question = "partner-abroad", is = "yes" }] }',
        advice='"warning"',
        text='"A tip for partners abroad."',
    ),
    title=None,
    extends='"indcli-partner-permit"',
)


def compat_of(app, pack: str) -> dict:
    result = run(app, ["check", pack, "--compat", "--format", "json"])
    (flow,) = json.loads(result.stdout)["compat"][pack]
    return flow


def test_the_readme_minimal_invocation_is_reported_when_a_rule_tests_partner_abroad(
    tmp_path, monkeypatch
):
    app = make_app(*PACKS, make_pack("indcli-abroad", tmp_path, ABROAD_ONLINE))
    flow = compat_of(app, "indcli-abroad")
    assert flow["needs_more_answers"]["count"] == 0  # every complete set still routes
    short = flow["minimal_breaks"]
    assert 0 < short["count"] < short["of"]
    text = run(app, ["check", "indcli-abroad", "--compat"]).stdout
    assert "shortest complete answer sets" in text and "--partner-abroad" in text
    from indcli.checks import compat

    monkeypatch.setattr(compat, "COMPAT_EXAMPLES", 1000)  # every example, not the first
    examples = compat_of(app, "indcli-abroad")["minimal_breaks"]["examples"]
    runs = {e["run"]: e["missing"] for e in examples}
    assert runs[README_ONLINE] == ["partner-abroad"]  # the README's own example breaks
