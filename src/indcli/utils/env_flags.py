"""The INDCLI_* switches: on with 1/true/yes/on, off with 0/false/no/off or empty, and a
warning for anything else (a typo must not silently change behaviour)."""

from __future__ import annotations

from collections.abc import Mapping

from indcli.utils.text_safety import one_line

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


FLAGS = (
    "INDCLI_DEBUG",
    "INDCLI_NO_CACHE",
    "INDCLI_PLAIN",
    "INDCLI_STRICT_PLUGINS",
    "INDCLI_TRACE_PLUGINS",
)


def env_flag(environ: Mapping[str, str], name: str) -> bool:
    """A boolean environment variable: 1/true/yes/on switch it on, 0/false/no/off or
    empty or unset leave it off (case and surrounding spaces ignored). Anything else is
    off, and :func:`flag_warnings` says so (the CLI shows it; the library never prints)."""
    return environ.get(name, "").strip().lower() in TRUE_WORDS


def flag_warnings(environ: Mapping[str, str], names: tuple[str, ...] = FLAGS) -> list[str]:
    """One message for each of ``names`` set to something that is not a boolean: a typo
    must not silently change behaviour."""
    return [
        f"{name}={one_line(environ[name])[:40]} is not a boolean (1/true/yes or "
        "0/false/no); treating it as off."
        for name in names
        if environ.get(name, "").strip().lower() not in TRUE_WORDS | FALSE_WORDS
    ]
