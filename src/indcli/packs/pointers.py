"""Pointers from one pack's content to a command or topic that another pack may provide.

Resolved at output time: when the target is loaded, the pointer shows the command to
run; when not, it says which pack to install (or why an installed one is not loaded).
"""

from __future__ import annotations

from typing import Any

from indcli.content.model import Pointer
from indcli.packs.catalog import Catalog


def resolve(catalog: Catalog, pointer: Pointer) -> dict[str, Any]:
    """``{label, command, pack, installed, text}`` for a content pointer."""
    if pointer.topic is not None:
        command = f"indcli explain {pointer.topic}"
        installed = pointer.topic in catalog.topics
    else:
        command = f"indcli {pointer.command}"
        installed = catalog.has_command((pointer.command or "").split()[0])
    text = f"{pointer.label}: {command}"
    if not installed:
        text += f" ({catalog.pack_hint(pointer.pack)})"
    return {
        "label": pointer.label,
        "command": command,
        "pack": pointer.pack,
        "installed": installed,
        "text": text,
    }
