"""The core's own commands: they work with any packs, or none.

Each lives in its own module, imported only when the command is used (listed here by
name, so ``indcli route`` never imports them). No pack may take one of these names.
"""

CORE_COMMANDS = {
    "check": "indcli.commands.check:check",
    "completion": "indcli.commands.completion:completion",
    "explain": "indcli.commands.explain:explain",
    "new-pack": "indcli.commands.new_pack:new_pack",
    "plugins": "indcli.commands.listing:plugins",
    "schema": "indcli.commands.schema:schema",
}
