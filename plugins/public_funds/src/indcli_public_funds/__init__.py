"""indcli-public-funds: what a benefit from public funds is and what it changes.

Adds the explain topic ``public-funds`` (``indcli explain public-funds``), which the
partner-permit form finder also shows when someone is not sure. Content is data
(``content.toml``); this pack needs no command of its own.
"""

import os

from indcli import hookimpl

__version__ = "0.1.0"


@hookimpl
def indcli_content() -> str:
    return os.path.join(os.path.dirname(__file__), "content.toml")
