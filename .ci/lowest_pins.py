"""Print pins of the lowest versions pyproject.toml declares for indcli's direct
dependencies (``click>=8.1`` -> ``click==8.1``), one a line, for ``pip install -r``.

What uv's ``--resolution lowest-direct`` does, without uv: the dependencies of those
dependencies are left to pip (the newest that fit). A dependency without a lower bound
is an error: a claim that cannot be tested.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

LOWER = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def lowest_pins(pyproject: Path) -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for requirement in dependencies:
        match = LOWER.match(requirement)
        if match is None:
            raise SystemExit(f"{requirement!r} declares no lower bound (>=) to test")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1])
    print("\n".join(lowest_pins(root / "pyproject.toml")))
