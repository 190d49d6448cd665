"""indcli-berichtenbox: the steps to receive IND post in the MijnOverheid Berichtenbox.

Adds ``indcli berichtenbox-steps``. The steps themselves are data (``content.toml``),
validated and shown by the core's generic guide command.
"""

from pathlib import Path

from indcli import hookimpl
from indcli.guides import guide_command

__version__ = "0.1.0"


@hookimpl
def indcli_content() -> Path:
    return Path(__file__).with_name("content.toml")


@hookimpl
def indcli_commands() -> list:
    return [
        guide_command(
            "berichtenbox",
            name="berichtenbox-steps",
            help="Receive IND post digitally: the 8 steps to set up your MijnOverheid "
            "Berichtenbox for the IND, each with the sentence it comes from.",
        )
    ]
