"""Test helpers for indcli and for pack authors.

Build an :class:`~indcli.app.App` from pack modules registered in-process, so a test
sees exactly the packs it names and nothing installed on the machine, then run the CLI
against it with click's :class:`~click.testing.CliRunner`::

    from indcli.testing import make_app, run
    import my_pack

    def test_my_topic():
        result = run(make_app(my_pack), ["explain", "my-topic", "--format", "json"])
        assert result.exit_code == 0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from click.testing import CliRunner, Result

from indcli.app import App
from indcli.plugins import PackSource

TEST_ENVIRON = {"INDCLI_NO_CACHE": "1"}


def make_app(
    *packs: ModuleType | PackSource,
    environ: Mapping[str, str] | None = None,
    interactive: bool = False,
) -> App:
    """An App with exactly ``packs`` (modules or :class:`PackSource`), cache off."""
    return App(list(packs), {**TEST_ENVIRON, **(environ or {})}, interactive=interactive)


def run(app: App, args: Sequence[str], input: str | bytes | None = None, **kwargs: Any) -> Result:
    """Run ``indcli ARGS`` against ``app``; stdout and stderr are kept apart."""
    from indcli.cli import cli

    return CliRunner().invoke(cli, list(args), input=input, obj=app, prog_name="indcli", **kwargs)
