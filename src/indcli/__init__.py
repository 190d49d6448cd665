"""indcli: a command-line guide to the IND's partner residence permit application page.

The core holds mechanisms only (CLI, plugin loading, content models, routing engine,
output). Everything IND-specific comes from content packs, discovered through the
``indcli`` entry-point group. Pack authors need just :data:`hookimpl`::

    from indcli import hookimpl

    @hookimpl
    def indcli_content():
        return os.path.join(os.path.dirname(__file__), "content.toml")
"""

__version__ = "0.1.0"

PROJECT_NAME = "indcli"
ENTRY_POINT_GROUP = "indcli"

from indcli.hookspecs import hookimpl  # noqa: E402 (pluggy.HookimplMarker("indcli"))

__all__ = ["ENTRY_POINT_GROUP", "PROJECT_NAME", "__version__", "hookimpl"]
