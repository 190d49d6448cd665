"""Reading a pack's content file: validated once, then reused from a cache.

Validating with pydantic costs far more than the rest of a run (importing pydantic
alone takes longer than starting Python). Content only changes when a pack or the core
changes, so the validated, JSON-ready result is cached under a key made of the file's
bytes and the core's models; a changed file or core makes a new key, and a damaged cache
entry is ignored. The cache holds pack content only, never answers; it lives in the
platform's cache folder (or ``INDCLI_CACHE_DIR``) and ``INDCLI_NO_CACHE=1`` switches it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from indcli import __version__
from indcli.plugins import read_content_bytes

CACHE_FORMAT = "1"


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """Where validated content is cached, or ``None`` when caching is off."""
    if environ.get("INDCLI_NO_CACHE", "") not in ("", "0"):
        return None
    if environ.get("INDCLI_CACHE_DIR"):
        return Path(environ["INDCLI_CACHE_DIR"])
    if sys.platform == "win32":
        base = environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "indcli"


class ContentLoader:
    """Callable that turns a hook's content item into validated data, using the cache."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.validated = 0  # how many files needed pydantic this run (for tests)

    def __call__(self, pack: str, item: Any) -> dict[str, Any]:
        label, blob = read_content_bytes(pack, item)
        path = self._entry(blob)
        cached = self._read(path)
        if cached is not None:
            return cached
        from indcli.content import parse_toml, validate_content

        data = validate_content(parse_toml(blob, pack=pack, file=label), pack=pack, file=label)
        self.validated += 1
        self._write(path, data)
        return data

    def _entry(self, blob: bytes) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(_models_fingerprint().encode() + b"\0" + blob).hexdigest()
        return self.directory / f"content-{digest[:40]}.json"

    @staticmethod
    def _read(path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        return (
            data
            if isinstance(data, dict) and {"topics", "guides", "flows"} <= data.keys()
            else None
        )

    @staticmethod
    def _write(path: Path | None, data: dict[str, Any]) -> None:
        if path is None:
            return
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


_fingerprint: str | None = None


def _models_fingerprint() -> str:
    """Changes whenever the core (its version or its model source) changes."""
    global _fingerprint
    if _fingerprint is None:
        here = Path(__file__).parent
        parts = [CACHE_FORMAT, __version__]
        for name in ("content.py", "limits.py"):
            try:
                st = (here / name).stat()
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                parts.append(name)
        _fingerprint = "|".join(parts)
    return _fingerprint
