"""indcli-partner-permit: the form finder for a partner residence permit application.

Adds ``indcli route``. The questions, outcomes and rules are data (``content.toml``),
and so is the command: the flow names it, and the core builds it with one option per
question and evaluates the rules with its generic routing engine.
"""

import os

from indcli import hookimpl

__version__ = "0.1.0"


@hookimpl
def indcli_content() -> str:
    return os.path.join(os.path.dirname(__file__), "content.toml")
