"""The core's own commands: they work with any packs, or none."""

from indcli.commands.completion import completion
from indcli.commands.explain import explain
from indcli.commands.listing import plugins

__all__ = ["completion", "explain", "plugins"]
