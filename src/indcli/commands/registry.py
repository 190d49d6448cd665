"""The core's own commands: they work with any packs, or none.

Each lives in its own module, imported only when the command is used (listed here by
name, so ``indcli route`` never imports them). No pack may take one of these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indcli.packs.catalog import Reserved

CORE_COMMANDS = {
    "check": "indcli.commands.check:check",
    "completion": "indcli.commands.completion:completion",
    "docs": "indcli.commands.docs:docs",
    "explain": "indcli.commands.explain:explain",
    "new-pack": "indcli.commands.new_pack:new_pack",
    "plugins": "indcli.commands.listing:plugins",
    "schema": "indcli.commands.schema:schema",
}


def reserved_names() -> Reserved:
    """The names packs may not take: core commands, and the route command's options.

    The CLI hands these down to the catalog (through the App); lower layers never import
    the CLI to find them.
    """
    from indcli.commands.route import ROUTE_OPTION_NAMES
    from indcli.packs.catalog import Reserved

    return Reserved(frozenset(CORE_COMMANDS), ROUTE_OPTION_NAMES)
