"""The core's own commands: they work with any packs, or none.

Each lives in its own module, imported only when the command is used (listed here by
name, so ``indcli route`` never imports them). No pack may take one of these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indcli.packs.catalog import Reserved

# name -> (where the command is, its one-line summary for the root help). The root help
# lists these without importing them (seven modules, and every option of each command);
# tests/commands/test_cli.py checks each summary against the command's own help.
CORE_COMMANDS = {
    "check": (
        "indcli.commands.check:check",
        "Check content packs: content, references, sources and routing flows.",
    ),
    "completion": (
        "indcli.commands.completion:completion",
        "Print the shell completion script for bash, zsh or fish.",
    ),
    "docs": (
        "indcli.commands.docs:docs",
        "Print the reference for pack authors that came with this indcli: TOPIC's page "
        "(Markdown), or without TOPIC the list of topics.",
    ),
    "explain": (
        "indcli.commands.explain:explain",
        "Explain a term from the IND page, with the sentences it comes from.",
    ),
    "help": (
        "indcli.commands.help:help_command",
        "Show the help of indcli, or of COMMAND (the same as 'indcli COMMAND --help').",
    ),
    "new-pack": (
        "indcli.commands.new_pack:new_pack",
        "Create a new content pack NAME in DIR (default: ./NAME), ready to install and test.",
    ),
    "plugins": (
        "indcli.commands.plugins:plugins",
        "List installed content packs: version, hooks, what each adds, and load errors.",
    ),
    "recheck": (
        "indcli.commands.recheck:recheck",
        "Check a saved checklist against today's packs: unchanged (exit 0), or what "
        "changed (exit 1).",
    ),
    "schema": (
        "indcli.commands.schema:schema",
        "Print a JSON Schema: 'content' for content files of packs, 'route' for the object "
        "'indcli route --format json' prints.",
    ),
}


# The route command's own options (commands/route.py), which no question may take as its
# id; written out so that a run need not build the route command to know them
# (tests/commands/test_cli.py checks them against the command).
ROUTE_OPTIONS = frozenset({
    "answers", "batch", "explain", "format", "graph", "help", "no-input", "no-pager",
    "output", "plain", "review",
})  # fmt: skip


def reserved_names() -> Reserved:
    """The names packs may not take: core commands, and the route command's options.

    The CLI hands these down to the catalog (through the App); lower layers never import
    the CLI to find them.
    """
    from indcli.packs.catalog import Reserved

    return Reserved(frozenset(CORE_COMMANDS), ROUTE_OPTIONS)
