"""Reading a pack's content file: validated once, then reused from a cache.

Validating with pydantic costs far more than the rest of a run (importing pydantic
alone takes longer than starting Python). Content only changes when a pack or the core
changes, so the validated, JSON-ready result is cached, together with the exact text it
was made from and a fingerprint of the core's models: an entry is used only when both
match, so a changed file or core is validated again, and a damaged entry is ignored.
The cache holds pack content only, never answers; it lives in the platform's cache
folder (or ``INDCLI_CACHE_DIR``) and ``INDCLI_NO_CACHE=1`` switches it off.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import zlib
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
        key = f"{_models_fingerprint()}\0{blob.decode('utf-8', 'replace')}"
        path = self._entry(key)
        cached = self._read(path, key)
        if cached is not None:
            return cached
        from indcli.content import parse_toml, validate_content

        raw, text = parse_toml(blob, pack=pack, file=label), blob.decode("utf-8")
        data = validate_content(raw, pack=pack, file=label, text=text)
        self.validated += 1
        self._write(path, key, data)
        return data

    def _entry(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        # Only a file name: the entry itself holds the full key and is checked against it.
        name = f"content-{zlib.crc32(key.encode()):08x}-{len(key)}.cache"
        return Path(os.path.join(self.directory, name))

    @staticmethod
    def _read(path: Path | None, key: str) -> dict[str, Any] | None:
        """The cached data, if the entry is for ``key`` and its body is intact.

        An entry is a header line ``{"key", "crc"}`` and the data's JSON: the checksum
        catches a damaged or edited body without re-serialising it, so data that was not
        written by validation is never used.
        """
        if path is None:
            return None
        try:
            head, _, body = path.read_bytes().partition(b"\n")
            meta = json.loads(head)
            if meta.get("key") != key or meta.get("crc") != zlib.crc32(body):
                return None
            data = json.loads(body)
        except (OSError, ValueError, AttributeError):
            return None
        return data if isinstance(data, dict) else None

    @staticmethod
    def _write(path: Path | None, key: str, data: dict[str, Any]) -> None:
        if path is None:
            return
        import tempfile

        tmp = None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            body = json.dumps(data, separators=(",", ":")).encode()
            head = json.dumps({"key": key, "crc": zlib.crc32(body)}).encode()
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cache")
            with os.fdopen(fd, "wb") as handle:
                handle.write(head + b"\n" + body)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
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
