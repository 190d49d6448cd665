"""indcli-partner-permit: the form finder for a partner residence permit application.

Adds ``indcli route``. The questions, outcomes and rules are data (``content.toml``);
the core's generic routing engine evaluates them and builds the command's options.
"""

from pathlib import Path

from indcli import hookimpl
from indcli.routing import route_command

__version__ = "0.1.0"


@hookimpl
def indcli_content() -> Path:
    return Path(__file__).with_name("content.toml")


@hookimpl
def indcli_commands() -> list:
    return [
        route_command(
            "partner-permit",
            name="route",
            help="Find your application form and channel, with what to do before and after. "
            "\n\nAnswers the IND page's question 'which form do I use?' for a residence permit "
            "for your partner, and says why, quoting the sentence each conclusion rests on. "
            "On a terminal it asks only the questions that still matter; in scripts, give "
            "answers as options or with --answers.",
        )
    ]
