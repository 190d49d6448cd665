"""Reading a pack's content file: validated once, then reused from a cache.

Validating with pydantic costs far more than the rest of a run (importing pydantic
alone takes longer than starting Python). Content only changes when a pack or the core
changes, so the validated, JSON-ready result is cached. An entry holds the exact bytes it
was made from and the core's full fingerprint, and is used only when both are the same
as now, byte for byte: its name (a CRC-32 and the length of the file, after a tag of the
core) only finds it, so no hash has to resist collisions, and no run imports hashlib
(OpenSSL: about 3 ms of every start-up). The cache holds pack content only, never
answers; it lives in the platform's cache folder (or ``INDCLI_CACHE_DIR``), and
``INDCLI_NO_CACHE=1`` switches it off.

The cache is trusted only as far as the folder is: it is used only when the folder is
owned by the user and writable by no one else (indcli creates it 0700), and an entry is
read only if it is a regular file owned by the user, under a size cap, with an intact
checksum, the right shape and no control or format characters in its text. Anything else
is a cache miss (the content is validated again), never an error or a hang.

The folder may hold other files (``INDCLI_CACHE_DIR`` is the user's choice): indcli
removes only names of the exact shape it makes. Installs of the same core (pipx and a
project's virtual environment) share their entries: the core is fingerprinted by the
bytes of its files, not by where or when they were installed. When a new entry is
written, another core's entries are removed only once they have gone unused for
:data:`UNUSED_DAYS` days (a hit marks an entry used by touching it, at most daily), so
two versions used in turn keep their entries; of this core's own, the newest
:data:`MAX_ENTRIES` are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
import time
from binascii import crc32  # to name entries; what decides a hit is an exact comparison
from collections.abc import Mapping
from typing import Any

from indcli import __version__
from indcli.limits import MAX_CONTENT_BYTES
from indcli.packs.loading import read_content_bytes
from indcli.utils.env_flags import env_flag

CACHE_FORMAT = "3"
MAX_ENTRY_BYTES = 8 * MAX_CONTENT_BYTES  # validated JSON is larger than its TOML
MAX_ENTRIES = 1024  # per core, far more than packs installed; the oldest go first
UNUSED_DAYS = 30  # another core's entries are removed after this long without a hit
_DAY = 24 * 3600
# Every name the cache has ever made: its entries (format 3, the SHA-256-named ones of
# format 2 and the crc32-named ones before), and the temporary file of an entry whose
# writer was killed (atomic_file cuts the name to 40 characters and adds mkstemp's 8).
# No other name in the folder is touched.
_ENTRY_NAME = (  # compiled when entries are evicted, never on a cache hit
    r"content-(?:[0-9a-f]{16}-(?:[0-9a-f]{16}|[0-9a-f]{64})\.json|[0-9a-f]{8}-[0-9]+\.cache)"
    r"|\.content-[0-9a-f]{16}-[0-9a-f]{15}\.[a-z0-9_]{8}\.tmp"
)
CONTENT_KEYS = frozenset({"format", "topics", "guides", "flows"})
# Escaped controls and format characters in JSON written with ensure_ascii (never in
# validated content: the validators reject them).
_ESCAPED_CONTROL = re.compile(
    rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|00[aA][dD]|061[cC]|180[eE]"
    rb"|200[b-fB-F]|202[8-9a-eA-E]|206[0-9a-fA-F]|[fF][eE][fF][fF]|[dD][bB]40)"
)


def cache_dir(environ: Mapping[str, str]) -> str | None:
    """Where validated content is cached, or ``None`` when caching is off or no usable
    (absolute) folder is known: an unset, empty or relative HOME or XDG_CACHE_HOME never
    puts the cache in ``/`` or in the current folder."""
    if env_flag(environ, "INDCLI_NO_CACHE"):
        return None
    chosen = environ.get("INDCLI_CACHE_DIR", "")
    if chosen:
        return chosen if os.path.isabs(chosen) else None
    home = environ.get("HOME", "")
    if not os.path.isabs(home):
        home = ""
    if sys.platform == "win32":
        base = environ.get("LOCALAPPDATA", "") or (home and os.path.join(home, "AppData", "Local"))
    elif sys.platform == "darwin":
        base = home and os.path.join(home, "Library", "Caches")
    else:
        xdg = environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else home and os.path.join(home, ".cache")
    return os.path.join(base, "indcli") if base and os.path.isabs(base) else None


class ContentLoader:
    """Callable that turns a hook's content item into validated data, using the cache."""

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        self.validated = 0  # how many files needed pydantic this run (for tests)
        self._trusted: bool | None = None

    def __call__(self, pack: str, item: Any) -> dict[str, Any]:
        label, blob = read_content_bytes(pack, item)
        path = self._entry(blob)
        cached = _read(path, blob)
        if cached is not None:
            return cached
        from indcli.content.validation import parse_toml, validate_content

        raw, text = parse_toml(blob, pack=pack, file=label), blob.decode("utf-8")
        data = validate_content(raw, pack=pack, file=label, text=text)
        self.validated += 1
        self._write(path, blob, data)
        return data

    def _entry(self, blob: bytes) -> str | None:
        if self.directory is None or not self._folder_trusted():
            return None
        key = f"{crc32(blob):08x}{len(blob):08x}"
        return os.path.join(self.directory, f"content-{_core_tag()}-{key}.json")

    def _folder_trusted(self) -> bool:
        """Create the folder (0700) if needed; trust it only if it is the user's own."""
        if self._trusted is None:
            assert self.directory is not None
            with contextlib.suppress(OSError):
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
            self._trusted = _private_folder(self.directory)
        return self._trusted

    def _write(self, path: str | None, source: bytes, data: dict[str, Any]) -> None:
        if path is None:
            return
        from indcli.utils.files import atomic_file

        body = json.dumps(data, separators=(",", ":")).encode()  # ASCII: escapes are visible
        with contextlib.suppress(OSError):
            with atomic_file(path, durable=False) as out:
                out.write(seal(source, body))
            _evict(path)


def seal(source: bytes, body: bytes) -> bytes:
    """An entry: a header line (format, the core's fingerprint, the source's length, the
    body's CRC-32), the source's exact bytes, then the validated data's JSON."""
    head = {
        "format": CACHE_FORMAT,
        "core": _models_fingerprint(),
        "source": len(source),
        "crc32": crc32(body),
    }
    return json.dumps(head).encode() + b"\n" + source + body


def _private_folder(folder: str) -> bool:
    """A real folder (not a link) owned by this user and writable by no one else."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "geteuid"):
        return st.st_uid == os.geteuid() and not st.st_mode & 0o022
    return True


def _read(path: str | None, source: bytes) -> dict[str, Any] | None:
    """The cached data, if the entry is usable for ``source``; any doubt is a miss.

    An entry (:func:`seal`) is used only if it was made by this core from exactly these
    bytes; its checksum catches a damaged body, the shape check keeps data the commands
    cannot use out."""
    if path is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO planted here cannot hang us
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if (
            not stat.S_ISREG(st.st_mode)
            or st.st_size > MAX_ENTRY_BYTES
            or (hasattr(os, "geteuid") and st.st_uid != os.geteuid())
        ):
            return None
        if time.time() - st.st_mtime > _DAY:  # mark it used (at most once a day)
            with contextlib.suppress(OSError, NotImplementedError):
                os.utime(fd)
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            blob = handle.read(st.st_size + 1)  # not a buffer of the cap: entries are small
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    head, _, rest = blob.partition(b"\n")
    try:
        meta = json.loads(head)
        if not isinstance(meta, dict) or not isinstance(meta.get("source"), int):
            return None
        made_from, body = rest[: meta["source"]], rest[meta["source"] :]
        if (
            len(blob) > MAX_ENTRY_BYTES
            or meta.get("format") != CACHE_FORMAT
            or meta.get("core") != _models_fingerprint()
            or made_from != source
            or meta.get("crc32") != crc32(body)
            # Written ASCII-only: a raw control is invalid JSON except DEL, and any raw
            # non-ASCII character (C1, bidi, format) means someone else wrote it.
            or not body.isascii()
            or b"\x7f" in body
            or _ESCAPED_CONTROL.search(body)
        ):
            return None
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if _content_shaped(data) else None


def _content_shaped(data: Any) -> bool:
    """What validation returns, at the top two levels: lists of items with an id."""
    if not isinstance(data, dict) or set(data) != CONTENT_KEYS or data["format"] != 1:
        return False
    return all(
        isinstance(items, list)
        and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in items)
        for key, items in data.items()
        if key != "format"
    )


def _evict(kept: str) -> None:
    """Remove the oldest of this core's entries beyond :data:`MAX_ENTRIES`, and entries
    other cores (or older formats) made that have gone unused for :data:`UNUSED_DAYS`."""
    mine: list[tuple[float, str]] = []
    prefix = f"content-{_core_tag()}-"
    unused_since = time.time() - UNUSED_DAYS * _DAY
    with contextlib.suppress(OSError), os.scandir(os.path.dirname(kept)) as entries:
        for entry in entries:
            if entry.name == os.path.basename(kept) or not re.fullmatch(_ENTRY_NAME, entry.name):
                continue
            with contextlib.suppress(OSError):
                used = entry.stat(follow_symlinks=False).st_mtime
                if entry.name.startswith(prefix):
                    mine.append((used, entry.path))
                elif used < unused_since:
                    os.unlink(entry.path)
    mine.sort(reverse=True)
    for _, old in mine[MAX_ENTRIES - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(old)


def _core_tag() -> str:
    """A short name for the core's fingerprint, shared by every entry it makes (the
    entry holds the whole fingerprint, which is what is compared)."""
    tag = _models_fingerprint().encode()
    return f"{crc32(tag):08x}{len(tag):08x}"


_fingerprint: str | None = None


def _models_fingerprint() -> str:
    """Changes whenever the core's version or the code that validates content changes.

    The files are found from the modules themselves (the ``indcli.content`` package,
    :mod:`indcli.limits` and :mod:`indcli.utils.text_safety`), so moving or renaming a
    module cannot stop invalidation. Their bytes count, not their times: two installs of
    one version share the cache."""
    global _fingerprint
    if _fingerprint is None:
        import indcli.content
        from indcli import limits
        from indcli.utils import text_safety

        folder = indcli.content.__path__[0]
        files = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py"))
        parts = [CACHE_FORMAT, __version__]
        for path in [*files, limits.__file__, text_safety.__file__]:
            name = os.path.basename(path)
            try:
                with open(path, "rb") as handle:
                    code = handle.read()
                parts.append(f"{name}:{len(code)}:{crc32(code):08x}")
            except OSError:
                parts.append(name)
        _fingerprint = "|".join(parts)
    return _fingerprint
