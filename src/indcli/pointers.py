"""Pointers from one pack's content to a command or topic that another pack may provide.

Resolved at output time: when the target is loaded, the pointer shows the command to
run; when not, it says which pack to install (or why an installed one is not loaded).
"""

from __future__ import annotations

from typing import Any

from indcli.app import App
from indcli.commands import CORE_COMMANDS


def resolve(app: App, pointer: dict[str, Any]) -> dict[str, Any]:
    """``{label, command, pack, installed, text}`` for a content pointer."""
    catalog = app.catalog
    if pointer["topic"] is not None:
        command = f"indcli explain {pointer['topic']}"
        installed = pointer["topic"] in catalog.topics
    else:
        command = f"indcli {pointer['command']}"
        name = pointer["command"].split()[0]
        installed = name in catalog.commands or name in CORE_COMMANDS
    if installed:
        text = f"{pointer['label']}: {command}"
    else:
        text = f"{pointer['label']}: {command} ({app.pack_hint(pointer['pack'])})"
    return {
        "label": pointer["label"],
        "command": command,
        "pack": pointer["pack"],
        "installed": installed,
        "text": text,
    }
