"""A pack is its distribution: a stranger never inherits an official name, module, topic,
command or route (issue 26, item 1).

Distributions are laid out on a folder as installers leave them (``NAME-VER.dist-info``
with METADATA and entry_points.txt) and found with the same discovery as a real run.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import CITE, SOURCE, path_pack, run_indcli

from indcli.app import App
from indcli.commands.support.registry import reserved_names
from indcli.packs.discovery import entry_point_sources

OFFICIAL = "indcli_partner_permit"  # the installed module of the official route pack
ROUTE = [
    "route", "--no-input", "--format", "json", "--eu-long-term-resident", "no",
    "--temporary-permit", "no", "--public-funds", "no", "--prefer", "online",
    "--dutch-bank", "yes", "--digid", "sms", "--partner-permit", "no", "--partner-abroad", "no",
]  # fmt: skip


def distribution(
    root: Path, folder: str, name: str, version: str, entry_points: dict[str, str]
) -> Path:
    """A dist-info folder ``folder`` whose METADATA says ``name`` and ``version``."""
    info = root / folder
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = "".join(f"{ep} = {value}\n" for ep, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[indcli]\n{lines}", encoding="utf-8")
    return root


def official(root: Path) -> Path:
    """The official partner-permit pack, as its wheel installs it (its module is the one
    installed for the tests)."""
    return distribution(
        root, "indcli_partner_permit-0.1.0.dist-info", "indcli-partner-permit", "0.1.0",
        {"partner-permit": OFFICIAL},
    )  # fmt: skip


def sources(root: Path) -> dict[str, object]:
    return {s.name: s for s in entry_point_sources([str(root)])}


def app_for(root: Path, **environ: str) -> App:
    found = entry_point_sources([str(root)])
    return App(found, {"INDCLI_NO_CACHE": "1", **environ}, reserved=reserved_names())


def test_a_dist_info_folder_whose_metadata_claims_another_name_is_refused(tmp_path):
    official(tmp_path)
    distribution(
        tmp_path, "aaa_evil-0.1.1.dist-info", "indcli-partner-permit", "0.1.1",
        {"evil": "aaa_evil"},
    )  # fmt: skip
    found = sources(tmp_path)
    assert set(found) == {"aaa-evil", "indcli-partner-permit"}
    assert found["indcli-partner-permit"].problem is None
    assert "'aaa_evil-0.1.1.dist-info'" in found["aaa-evil"].problem
    assert "'indcli-partner-permit' disagree" in found["aaa-evil"].problem
    catalog = app_for(tmp_path).load_catalog()
    status = {p.name: p.status for p in catalog.packs}
    assert status == {"aaa-evil": "failed", "indcli-partner-permit": "loaded"}
    assert catalog.flow("partner-permit").owner == "indcli-partner-permit"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("indcli-partner-perm\u0456t", "indcli-partner-perm\\u0456t"),  # Cyrillic i
        ("indcli-partner-permit:official", "indcli-partner-permit:official"),
        ("-indcli", "-indcli"),
    ],
)
def test_a_name_that_is_not_a_valid_ascii_name_is_refused_and_shown_escaped(tmp_path, name, shown):
    folder = name.replace("-", "_").replace(":", "_") + "-1.0.dist-info"
    distribution(tmp_path, folder, name, "1.0", {"x": "indcli_lookalike"})
    (source,) = sources(tmp_path).values()
    assert source.problem.startswith(f"its METADATA names it '{shown}', which is not a valid")
    assert source.name.isascii()
    (pack,) = app_for(tmp_path).load_catalog().packs
    assert pack.status == "failed" and pack.error.isascii()


@pytest.mark.parametrize("version", ["0.1.0 (verified and signed by the IND)", "", "1.0\u200b"])
def test_a_version_that_is_not_pep_440_is_refused(tmp_path, version):
    distribution(tmp_path, "indcli_x-1.0.dist-info", "indcli-x", version, {"x": "indcli_x"})
    (source,) = sources(tmp_path).values()
    assert "valid version (PEP 440), so it is refused" in source.problem
    assert source.version.isascii()


@pytest.mark.parametrize("version", ["1.0", "2!1.0.post3.dev4+local.7", "0.1rc1", "v1.2"])
def test_valid_versions_are_accepted(tmp_path, version):
    distribution(tmp_path, "indcli_x-1.0.dist-info", "indcli-x", version, {"x": "indcli_x"})
    (source,) = sources(tmp_path).values()
    assert source.problem is None


def test_two_distributions_naming_one_module_both_fail_and_the_disable_list_still_works(
    tmp_path,
):
    official(tmp_path)
    distribution(
        tmp_path, "zz_evil-1.0.dist-info", "zz-evil", "1.0", {"indcli_partner_permit": OFFICIAL}
    )
    found = sources(tmp_path)
    for name, other in (("zz-evil", "indcli-partner-permit"), ("indcli-partner-permit", "zz-evil")):
        assert f"module '{OFFICIAL}', which {other} also names" in found[name].problem
    catalog = app_for(tmp_path).load_catalog()
    assert {p.status for p in catalog.packs} == {"failed"}
    assert catalog.flow("partner-permit") is None  # nobody gets the route
    disabled = app_for(tmp_path, INDCLI_DISABLE_PLUGINS="indcli-partner-permit").load_catalog()
    assert "route" not in disabled.command_names


def test_the_plugin_variables_match_distribution_names_not_entry_point_names(tmp_path):
    official(tmp_path)
    distribution(
        tmp_path, "zz_evil-1.0.dist-info", "zz-evil", "1.0",
        {"indcli-partner-permit": "zz_evil_module"},
    )  # fmt: skip
    app = app_for(tmp_path, INDCLI_LOAD_PLUGINS="indcli-partner-permit")
    status = {p.name: p.status for p in app.load_catalog().packs}
    assert status == {"indcli-partner-permit": "loaded", "zz-evil": "disabled"}


HELPER = """
[[guides]]
id = "zz-guide"
title = "Apply here"
source = {cite}
command = {{ name = "route", help = "Routes you." }}
steps = [{{ text = "Pay the helper first.", source = {cite} }}]
"""
INDEX = """
[[topics]]
id = "zz-index"
title = "Index"
summary = "One line."
source = {cite}
body = [{{ text = "Body text.", source = {cite} }}]
related = [{{ label = "Route", command = "route", pack = "zz-helper" }}]
"""


def test_entry_points_of_one_distribution_are_one_pack_whose_pointers_are_its_own(
    tmp_path, monkeypatch
):
    """Two entry points of one distribution, the second naming the first for ``route``:
    that is the pack naming itself, which never counts; the flow's owner keeps route."""
    package = tmp_path / "zz_helper"
    package.mkdir()
    for module, content in (("__init__", HELPER), ("b", INDEX)):
        (package / f"{module}.toml").write_text(
            SOURCE + textwrap.dedent(content.format(cite=CITE)), encoding="utf-8"
        )
        (package / f"{module}.py").write_text(
            "import os\nfrom indcli import hookimpl\n\n@hookimpl\ndef indcli_content():\n"
            f"    return os.path.join(os.path.dirname(__file__), '{module}.toml')\n",
            encoding="utf-8",
        )
    distribution(
        tmp_path, "zz_helper-1.0.dist-info", "zz-helper", "1.0",
        {"helper": "zz_helper", "index": "zz_helper.b"},
    )  # fmt: skip
    official(tmp_path)
    found = sources(tmp_path)
    assert set(found) == {"zz-helper", "indcli-partner-permit"}  # one pack, not two
    monkeypatch.syspath_prepend(str(tmp_path))
    for module in ("zz_helper", "zz_helper.b"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    with_both = app_for(tmp_path, INDCLI_LOAD_PLUGINS="zz-helper")
    (helper,) = [p for p in with_both.load_catalog().packs if p.name == "zz-helper"]
    assert helper.plugins == ["zz-helper", "zz-helper:index"]  # two modules, one pack
    assert sorted(os.path.basename(f) for f in helper.files) == ["__init__.toml", "b.toml"]
    for module in ("zz_helper", "zz_helper.b"):
        sys.modules.pop(module, None)
    packs = "indcli-partner-permit,zz-helper"
    routed = run_indcli(*ROUTE, pythonpath=tmp_path, packs=packs)
    assert routed.returncode == 0, routed.stderr
    assert json.loads(routed.stdout)["outcome"]["id"] == "online-partner-no-permit"
    (warning,) = [json.loads(line)["warning"] for line in routed.stderr.splitlines()]
    assert warning["pack"] == "zz-helper"
    assert warning["message"].startswith("pack zz-helper 1.0 was skipped: command 'route'")
    assert "so indcli-partner-permit keeps it" in warning["message"]


def test_a_module_registered_once_even_when_two_entry_points_name_it(tmp_path, monkeypatch):
    folder = path_pack(tmp_path, "indcli-twice", "")
    monkeypatch.syspath_prepend(str(folder))
    info = folder / "indcli_twice-1.0.dist-info" / "entry_points.txt"
    info.write_text("[indcli]\none = indcli_twice\ntwo = indcli_twice\n", encoding="utf-8")
    (pack,) = [p for p in app_for(folder).load_catalog().packs]
    assert pack.status == "loaded", pack.error
    assert pack.plugins == ["indcli-twice"]
