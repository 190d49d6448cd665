"""indcli-berichtenbox: the steps to receive IND post in the MijnOverheid Berichtenbox.

Adds ``indcli berichtenbox-steps``. The steps are data (``content.toml``), and so is the
command: the guide names it, and the core's generic guide command shows it.
"""

import os

from indcli import hookimpl

__version__ = "0.1.0"


@hookimpl
def indcli_content() -> str:
    return os.path.join(os.path.dirname(__file__), "content.toml")
