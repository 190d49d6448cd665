"""What indcli keeps: only the --output file you ask for, and a cache of pack content.

Real processes (``python -m indcli``) run with a fresh HOME, fresh XDG folders and TMPDIR
in a sandbox, the working directory in an empty folder, and the network made to fail: a
``sitecustomize`` on PYTHONPATH replaces ``socket.socket.connect`` (and friends) with a
function that records the attempt outside the sandbox and raises OSError. After a
session of commands the sandbox is compared with what it held before: the only new files
may be the ``--output`` file (mode 0600) and the validated-content cache, which must hold
nothing of the session (its bytes equal those a session without answers leaves), and
with INDCLI_NO_CACHE=1 not even that.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import SHIPPED, warning_text

TIMEOUT = 30
UNUSUAL = "zebra-quokka-7731"  # in file names and a rejected answer: must never be kept
ANSWERS_NAME = f"answers-{UNUSUAL}.json"
OUTPUT_NAME = f"plan-{UNUSUAL}.md"
PAPER = ["--eu-long-term-resident", "no", "--temporary-permit", "yes", "--partner-abroad", "no"]

SITECUSTOMIZE = '''
"""Test trap: every network attempt is recorded and fails."""
import os
import socket

_LOG = os.environ.get("NET_TRAP_LOG")


def _trap(name):
    def refuse(*args, **kwargs):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{name} {args[1:3]!r}\\n")
        raise OSError(101, f"network is blocked in this test ({name})")

    return refuse


for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
    setattr(socket.socket, _name, _trap(f"socket.{_name}"))
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, _name, _trap(_name))
'''

BROKEN_PACK = {
    "indcli_privacy_broken-1.0.dist-info/METADATA": (
        "Metadata-Version: 2.1\nName: indcli-privacy-broken\nVersion: 1.0\n"
    ),
    "indcli_privacy_broken-1.0.dist-info/entry_points.txt": (
        "[indcli]\nprivacy-broken = indcli_privacy_broken\n"
    ),
    "indcli_privacy_broken.py": textwrap.dedent(
        """
        from pathlib import Path

        from indcli import hookimpl


        @hookimpl
        def indcli_content():
            return Path(__file__).with_name("indcli_privacy_broken.toml")
        """
    ),
    "indcli_privacy_broken.toml": '[[sources]]\nid = "s"\nurl = "https://example.org"\n',
}


class Sandbox:
    """A fresh home for one process: HOME, XDG folders, TMPDIR, an empty cwd."""

    def __init__(self, base: Path, with_broken_pack: bool = False) -> None:
        self.root = base / "sandbox"
        self.home = self.root / "home"
        self.work = self.root / "work"
        self.tmp = self.root / "tmp"
        for folder in (self.home, self.work, self.tmp):
            folder.mkdir(parents=True)
        self.cache = self.root / "xdg-cache"  # not created: indcli must make it
        self.helper = base / "helper"  # outside the sandbox: PYTHONPATH, trap, log
        self.helper.mkdir()
        self.packs = SHIPPED + (",indcli-privacy-broken" if with_broken_pack else "")
        (self.helper / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        if with_broken_pack:
            for name, text in BROKEN_PACK.items():
                (self.helper / name).parent.mkdir(parents=True, exist_ok=True)
                (self.helper / name).write_text(text, encoding="utf-8")
        self.net_log = base / "network-attempts.log"
        (self.helper / ANSWERS_NAME).write_text(
            json.dumps(dict(zip([a[2:] for a in PAPER[::2]], PAPER[1::2], strict=True)))
        )
        self.before = self.snapshot()

    def environ(self, **extra: str) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items()
                if not k.startswith(("INDCLI_", "XDG_", "PYTHON"))}  # fmt: skip
        return {
            **keep,
            "HOME": str(self.home),
            "XDG_CACHE_HOME": str(self.cache),
            "XDG_CONFIG_HOME": str(self.root / "xdg-config"),
            "XDG_DATA_HOME": str(self.root / "xdg-data"),
            "XDG_STATE_HOME": str(self.root / "xdg-state"),
            "XDG_RUNTIME_DIR": str(self.root / "xdg-runtime"),
            "TMPDIR": str(self.tmp),
            "PYTHONPATH": str(self.helper),
            "PYTHONDONTWRITEBYTECODE": "1",
            "NET_TRAP_LOG": str(self.net_log),
            "INDCLI_LOAD_PLUGINS": self.packs,
            **extra,
        }

    def run(self, args: list[str], stdin: str | None = None, **extra: str):
        result = subprocess.run(
            [sys.executable, "-m", "indcli", *args],
            cwd=self.work,
            env=self.environ(**extra),
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def snapshot(self) -> set[Path]:
        return {p.relative_to(self.root) for p in self.root.rglob("*")}

    def new_paths(self) -> set[Path]:
        return self.snapshot() - self.before

    def network_attempts(self) -> str:
        return self.net_log.read_text() if self.net_log.exists() else ""

    def session(self, **extra: str) -> None:
        """A user's session: scripted route to a file, stdin answers, and every command."""
        answers = str(self.helper / ANSWERS_NAME)
        results = [
            self.run(
                ["route", "--answers", answers, "--format", "markdown", "--output", OUTPUT_NAME],
                **extra,
            ),
            self.run(
                ["route", "--answers", "-", "--no-input"],
                stdin=(self.helper / ANSWERS_NAME).read_text(),
                **extra,
            ),
            self.run(["explain", "public-funds"], **extra),
            self.run(["berichtenbox-steps", "--step", "3"], **extra),
            self.run(["plugins", "--format", "json"], **extra),
        ]
        for result in results:
            assert result.returncode == 0, result.stderr
        rejected = self.run(["route", "--digid", UNUSUAL, "--output", "never.md"], **extra)
        assert rejected.returncode == 2 and not (self.work / "never.md").exists()


@pytest.fixture
def sandbox(tmp_path):
    return Sandbox(tmp_path)


def test_the_network_trap_works(sandbox):
    """Guard for the tests below: the trap is active in a process started like indcli."""
    result = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('example.org', 80))"],
        env=sandbox.environ(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert "network is blocked in this test" in result.stderr
    assert "create_connection" in sandbox.network_attempts()


def test_a_session_keeps_only_the_output_file_and_the_content_cache(sandbox, tmp_path):
    sandbox.session()
    assert sandbox.network_attempts() == ""
    new = sandbox.new_paths()
    output = Path("work") / OUTPUT_NAME
    cache = {p for p in new if p.parts[0] == "xdg-cache"}
    assert new - cache == {output}, new  # nothing else: no history, no temp file
    assert stat.S_IMODE((sandbox.root / output).stat().st_mode) == 0o600
    assert (sandbox.root / output).read_text().startswith("# Your route")
    cache_files = [sandbox.root / p for p in cache if (sandbox.root / p).is_file()]
    assert cache_files and all(p.parent == sandbox.cache / "indcli" for p in cache_files)
    for path in cache_files:  # pack content only: nothing of this session
        blob = path.read_bytes()
        assert UNUSUAL.encode() not in blob and str(sandbox.root).encode() not in blob
        head, _, rest = blob.partition(b"\n")  # a header, the pack's file, the content's JSON
        source = json.loads(head)["source"]
        json.loads(rest[source:])  # both complete, not half-written
    # The cache is exactly what loading the packs alone leaves: no answers in it.
    reference = Sandbox(tmp_path / "reference")
    assert reference.run(["plugins"]).returncode == 0
    expected = {p.name: p.read_bytes() for p in (reference.cache / "indcli").iterdir()}
    assert {p.name: p.read_bytes() for p in cache_files} == expected


def test_with_no_cache_only_the_output_file_appears(sandbox):
    sandbox.session(INDCLI_NO_CACHE="1")
    assert sandbox.network_attempts() == ""
    assert sandbox.new_paths() == {Path("work") / OUTPUT_NAME}


def test_a_cache_folder_that_cannot_be_made_is_no_problem(sandbox):
    """An unusable cache (a file where the folder should be) is skipped, not an error."""
    sandbox.cache.write_text("not a folder")
    sandbox.before = sandbox.snapshot()
    result = sandbox.run(["route", *PAPER, "--output", OUTPUT_NAME])
    assert result.returncode == 0 and "Wrote your route to" in result.stderr
    assert sandbox.new_paths() == {Path("work") / OUTPUT_NAME}


def test_answers_never_appear_in_warnings(tmp_path):
    sandbox = Sandbox(tmp_path, with_broken_pack=True)
    answers = str(sandbox.helper / ANSWERS_NAME)
    runs = [
        sandbox.run(["route", "--answers", answers, "--output", OUTPUT_NAME]),
        sandbox.run(["route", *PAPER, "--digid", "sms", "--format", "json"]),
        sandbox.run(["route", "--temporary-permit", UNUSUAL]),
        sandbox.run(["explain", UNUSUAL]),
    ]
    for result in runs:
        warnings = [line for line in result.stderr.splitlines() if "warning" in line]
        assert len(warnings) == 1, result.stderr  # the broken pack was found and named
        assert warning_text(warnings[0]).startswith("indcli: warning: pack indcli-privacy-broken")
        for secret in (UNUSUAL, ANSWERS_NAME, OUTPUT_NAME, "sms", "paper"):
            assert secret not in warnings[0]
    assert [r.returncode for r in runs] == [0, 0, 2, 2]
    assert sandbox.network_attempts() == ""
    assert sandbox.new_paths() - {p for p in sandbox.new_paths() if p.parts[0] == "xdg-cache"} \
        == {Path("work") / OUTPUT_NAME}  # fmt: skip
