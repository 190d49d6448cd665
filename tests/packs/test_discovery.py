"""Entry-point discovery (indcli.packs.discovery) gives what importlib.metadata gives.

One fresh venv holds varied distributions: a normal wheel with several groups and an
entry-point value with extras, an editable install of the ``.pth`` path style (hatchling)
and one of the import-hook style (setuptools, flat layout), an egg-info folder on a path
added by a ``.pth`` file, and names that appear twice on the path (the first wins, even
when it has no entry point). Inside that venv, a script runs indcli/packs/discovery.py (by file:
indcli itself is not installed there) and ``importlib.metadata.entry_points(group=...)``
and prints both, with whether each entry point loads the same object.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from venvtools import REPO, Venv, build_wheel, describe

from indcli.packs import discovery
from indcli.packs.discovery import entry_point_sources, entry_points

DISCOVERY = REPO / "src" / "indcli" / "packs" / "discovery.py"
GROUPS = ["indcli", "other", "console_scripts"]

COMPARE = """
import importlib.metadata as md, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("discovery", sys.argv[1])
discovery = sys.modules["discovery"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(discovery)
out = {}
for group in sys.argv[2:]:
    ours = discovery.entry_points(group)
    theirs = list(md.entry_points(group=group))
    out[group] = {
        "ours": [[e.name, e.value, e.dist, e.version] for e in ours],
        "theirs": [[e.name, e.value, e.dist.name, e.dist.version] for e in theirs],
        "same_object": [a.load() is b.load() for a, b in zip(ours, theirs)]
        if group != "console_scripts" else [],
        "extras": [[a.extras, b.extras] for a, b in zip(ours, theirs)],
    }
print(json.dumps(out))
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def hatch_project(root: Path, name: str, version: str, entry_points: str) -> Path:
    module = name.replace("-", "_")
    return write(
        root,
        {
            "pyproject.toml": f"""\
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "{name}"
                version = "{version}"
                {textwrap.dedent(entry_points)}
                [tool.hatch.build.targets.wheel]
                packages = ["src/{module}"]
                """,
            f"src/{module}/__init__.py": "class hooks:\n    class inner:\n        pass\n",
        },
    )


def dist_info(folder: Path, dirname: str, name: str, version: str, eps: str | None) -> None:
    files = {f"{dirname}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"}
    if eps is not None:
        files[f"{dirname}/entry_points.txt"] = eps
    write(folder, files)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Venv, Path, Path]:
    base = tmp_path_factory.mktemp("discovery")
    wheels = base / "wheels"
    env = Venv.create(base / "venv", wheels)
    site = Path(
        env.run(
            "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).stdout.strip()
    )
    # Build backends for the editable installs (setuptools 65 needs wheel for them).
    env.pip_install("hatchling", "editables", "setuptools>=64", "wheel")

    # A normal wheel: several groups, a value with extras and a dotted attribute.
    normal = hatch_project(
        base / "normal",
        "ep-normal",
        "1.0",
        """
        [project.entry-points.indcli]
        normal = "ep_normal"
        fancy = "ep_normal:hooks.inner [extra1, extra2]"
        [project.entry-points.other]
        normal = "ep_normal:hooks"
        [project.scripts]
        ep-normal = "ep_normal:hooks"
        """,
    )
    # Also installed normally; shadowed below by an earlier 2.0 of the same (normalised) name.
    dup = hatch_project(
        base / "dup", "ep-dup", "1.0", '[project.entry-points.indcli]\ndup = "ep_dup"\n'
    )
    # Installed with an entry point; shadowed by an earlier "hidden" that has none.
    hidden = hatch_project(
        base / "hidden", "Ep_Hidden", "1.0", '[project.entry-points.indcli]\nh = "ep_hidden"\n'
    )
    env.pip_install("--no-deps", *(build_wheel(p, wheels) for p in (normal, dup, hidden)))

    # Editable, .pth path style (hatchling, src layout).
    pth = hatch_project(
        base / "pth",
        "ep-editable-pth",
        "0.2",
        '[project.entry-points.indcli]\npth = "ep_editable_pth:hooks"\n',
    )
    # Editable, import-hook style (setuptools maps a flat layout with a finder).
    hook = write(
        base / "hook",
        {
            "pyproject.toml": """\
                [build-system]
                requires = ["setuptools>=64"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "ep-editable-hook"
                version = "0.3"

                [project.entry-points.indcli]
                hook = "ep_editable_hook:hooks.inner"

                [tool.setuptools]
                packages = ["ep_editable_hook"]
                """,
            "ep_editable_hook/__init__.py": "class hooks:\n    class inner:\n        pass\n",
        },
    )
    for project in (pth, hook):
        proc = env.pip("install", "--no-deps", "--no-build-isolation", "-e", project)
        assert proc.returncode == 0, describe(proc)
    assert list(site.glob("__editable___ep_editable_hook*finder.py")), "no import hook"
    assert (pth / "src") in {Path(p.read_text().strip()) for p in site.glob("*.pth")}

    # An egg-info folder (legacy develop style) on a path a .pth file adds, with
    # comments, blank lines and several groups; an extras value without an attribute.
    eggs = write(
        base / "eggs",
        {
            "Ep_Egg.egg-info/PKG-INFO": "Metadata-Version: 1.1\nName: Ep_Egg\nVersion: 0.4\n",
            "Ep_Egg.egg-info/entry_points.txt": """\
                # made by hand
                [console_scripts]
                ep-egg = ep_egg:main

                [indcli]
                # a comment inside the group
                egg = ep_egg [extra]
                  spaced   =   ep_egg:main

                [other]
                egg = ep_egg
                """,
            "ep_egg.py": "def main():\n    pass\n",
        },
    )
    (site / "zz_eggs.pth").write_text(f"{eggs}\n", encoding="utf-8")

    # Earlier on the path (PYTHONPATH): a 2.0 of ep-dup, spelt differently, and a
    # "hidden" without entry points.
    shadow = base / "shadow"
    dist_info(shadow, "ep_dup-2.0.dist-info", "Ep.Dup", "2.0", "[indcli]\ndup = ep_dup_two\n")
    dist_info(shadow, "ep_hidden-9.0.dist-info", "ep-hidden", "9.0", None)
    write(shadow, {"ep_dup_two.py": ""})
    return env, site, shadow


@pytest.mark.slow
def test_discovery_matches_importlib_metadata_in_a_venv(venv):
    env, _, shadow = venv
    script_env = {**env.env, "PYTHONPATH": str(shadow)}
    proc = env.run("python", "-c", COMPARE, DISCOVERY, *GROUPS, env=script_env)
    assert proc.returncode == 0, describe(proc)
    result = json.loads(proc.stdout)
    for group in GROUPS:
        assert result[group]["ours"] == result[group]["theirs"], group
        assert all(result[group]["same_object"]), group
        assert all(a == b for a, b in result[group]["extras"]), group
    indcli = result["indcli"]["ours"]
    # What the venv was built to hold, so the comparison above is not vacuous.
    assert ["fancy", "ep_normal:hooks.inner [extra1, extra2]", "ep-normal", "1.0"] in indcli
    assert ["dup", "ep_dup_two", "Ep.Dup", "2.0"] in indcli
    assert ["pth", "ep_editable_pth:hooks", "ep-editable-pth", "0.2"] in indcli
    assert ["hook", "ep_editable_hook:hooks.inner", "ep-editable-hook", "0.3"] in indcli
    assert ["spaced", "ep_egg:main", "Ep_Egg", "0.4"] in indcli
    assert not [e for e in indcli if e[2] in ("ep-dup", "Ep_Hidden")]
    fancy = [e[0] for e in indcli].index("fancy")
    assert result["indcli"]["extras"][fancy] == [["extra1", "extra2"], ["extra1", "extra2"]]


@pytest.mark.slow
def test_pack_sources_are_named_after_their_distribution(venv):
    _, site, shadow = venv
    eggs = Path((site / "zz_eggs.pth").read_text().strip())
    sources = entry_point_sources([str(shadow), str(site), str(eggs)])
    named = {s.name: (s.version, s.entry_point) for s in sources}
    # a distribution is one pack, whatever its number of entry points
    normal = next(s for s in sources if s.name == "ep-normal")
    assert {normal.entry_point, *(name for name, _ in normal.siblings)} == {"normal", "fancy"}
    assert named["ep-normal"][0] == "1.0" and not normal.problem
    assert named["ep-dup"] == ("2.0", "dup")
    assert named["ep-egg"] == ("0.4", "egg")
    assert "ep-hidden" not in named
    assert [s.name for s in sources] == sorted(named, key=discovery.normalise)


def test_discovery_matches_importlib_metadata_here():
    import importlib.metadata as md

    for group in ("indcli", "console_scripts", "pytest11"):
        theirs = [
            (e.name, e.value, e.dist.name, e.dist.version) for e in md.entry_points(group=group)
        ]
        ours = [(e.name, e.value, e.dist, e.version) for e in entry_points(group)]
        assert ours == theirs


@pytest.mark.parametrize(
    ("value", "module", "attr", "extras"),
    [
        ("pkg", "pkg", None, []),
        ("pkg.mod:obj.sub", "pkg.mod", "obj.sub", []),
        ("pkg.mod : obj [a, b]", "pkg.mod", "obj", ["a", "b"]),
        ("pkg [x]", "pkg", None, ["x"]),
    ],
)
def test_values_parse_like_importlib(value, module, attr, extras):
    import importlib.metadata as md

    ours = discovery.EntryPoint("n", value, "g", "d", "1")
    theirs = md.EntryPoint("n", value, "g")
    assert (ours.module, ours.attr, ours.extras) == (module, attr, extras)
    assert (theirs.module, theirs.attr, theirs.extras) == (module, attr, extras)


def test_discovery_does_not_import_importlib_metadata():
    import subprocess

    code = (
        "import sys, indcli.packs.discovery as d; d.entry_points('indcli'); "
        "print('importlib.metadata' in sys.modules)"
    )

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"
