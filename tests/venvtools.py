"""Helpers for tests that build wheels and use them in a fresh virtual environment.

Every subprocess runs with a clean environment (no ``INDCLI_*`` settings, no
``PYTHONPATH`` or ``VIRTUAL_ENV`` that could leak the dev install), stdin closed and a
timeout. Commands of the installed CLI also get ``INDCLI_NO_CACHE=1`` and a fresh
``HOME``; pip keeps the real one so it can use its cache. Dependencies (click,
pydantic, questionary, pytest, hatchling) come from the package index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE_PROJECTS = {
    "indcli": REPO,
    "indcli-berichtenbox": REPO / "plugins" / "berichtenbox",
    "indcli-partner-permit": REPO / "plugins" / "partner_permit",
    "indcli-public-funds": REPO / "plugins" / "public_funds",
}
# A complete set of answers that routes online (partner without a permit yet).
ONLINE_ANSWERS = [
    "--eu-long-term-resident", "no",
    "--temporary-permit", "no",
    "--public-funds", "no",
    "--prefer", "online",
    "--dutch-bank", "yes",
    "--digid", "sms",
    "--partner-permit", "no",
]  # fmt: skip
TIMEOUT = 60
PIP_TIMEOUT = 600

Proc = subprocess.CompletedProcess[str]


def clean_environ() -> dict[str, str]:
    """os.environ without anything that could leak the dev install or pack settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INDCLI_")
        and key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NO_COLOR")
    }


def run(args: list[str], *, env: dict[str, str], cwd: Path, timeout: int = TIMEOUT) -> Proc:
    return subprocess.run(
        [str(a) for a in args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def describe(proc: Proc) -> str:
    """Everything about a finished command, for an assertion message."""
    return (
        f"command: {proc.args!r}\nexit code: {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )


def json_of(proc: Proc) -> dict:
    """The one JSON object a successful command printed on stdout."""
    assert proc.returncode == 0, describe(proc)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"stdout is not one JSON document: {exc}\n{describe(proc)}") from exc
    assert isinstance(data, dict), f"expected a JSON object\n{describe(proc)}"
    return data


def build_wheel(project: Path, out: Path) -> Path:
    """Build ``project`` into a wheel in ``out`` with the running Python (no isolation)."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=out, prefix=".build-"))
    try:
        proc = run(
            [
                sys.executable, "-m", "pip", "wheel",
                "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-q",
                "-w", scratch, project,
            ],
            env=clean_environ(),
            cwd=scratch,
            timeout=PIP_TIMEOUT,
        )  # fmt: skip
        assert proc.returncode == 0, f"building a wheel of {project} failed\n{describe(proc)}"
        (wheel,) = scratch.glob("*.whl")
        return Path(shutil.move(wheel, out / wheel.name))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class Venv:
    """A fresh virtual environment (no system site-packages) and a HOME for its commands."""

    root: Path
    home: Path
    find_links: Path  # a folder of wheels pip may install from

    @classmethod
    def create(cls, base: Path, find_links: Path) -> Venv:
        home = base / "home"
        home.mkdir(parents=True)
        root = base / "env"
        proc = run(
            [sys.executable, "-m", "venv", root],
            env=clean_environ(),
            cwd=base,
            timeout=PIP_TIMEOUT,
        )
        assert proc.returncode == 0, f"creating the venv failed\n{describe(proc)}"
        return cls(root, home, find_links)

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    @property
    def env(self) -> dict[str, str]:
        """Environment for the installed CLI: cache off, fresh HOME, venv first on PATH."""
        env = clean_environ()
        env.update(
            INDCLI_NO_CACHE="1",
            PYTHONDONTWRITEBYTECODE="1",
            HOME=str(self.home),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}",
        )
        return env

    def run(
        self,
        command: str,
        *args: str | Path,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: int = TIMEOUT,
    ) -> Proc:
        """Run a program installed in the venv (``indcli``, ``pytest``, ``python``)."""
        return run(
            [self.bin / command, *args],
            env=self.env if env is None else env,
            cwd=cwd or self.home,
            timeout=timeout,
        )

    def indcli(self, *args: str, env: dict[str, str] | None = None) -> Proc:
        return self.run("indcli", *args, env=env)

    def pip(self, *args: str | Path, cwd: Path | None = None) -> Proc:
        """``pip ARGS`` with the venv's Python, the wheel folder as extra find-links."""
        return run(
            [
                self.python, "-m", "pip", *args[:1],
                "--disable-pip-version-check", "-q", "--find-links", self.find_links,
                *args[1:],
            ],
            env=clean_environ(),
            cwd=cwd or self.home,
            timeout=PIP_TIMEOUT,
        )  # fmt: skip

    def pip_install(self, *requirements: str | Path, cwd: Path | None = None) -> None:
        proc = self.pip("install", *requirements, cwd=cwd)
        assert proc.returncode == 0, f"pip install failed\n{describe(proc)}"
