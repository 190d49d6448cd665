"""indcli-partner-permit: the form finder for a partner residence permit application.

Adds ``indcli route``. The questions, outcomes and rules are data (``content.toml``),
and so is the command: the flow names it, and the core builds it with one option per
question and evaluates the rules with its generic routing engine.
"""

from pathlib import Path

from indcli import hookimpl

__version__ = "0.1.0"


@hookimpl
def indcli_content() -> Path:
    return Path(__file__).with_name("content.toml")
