"""``indcli help [COMMAND]``: the same help as ``indcli [COMMAND] --help``, for people who
type ``help`` first (as git, gh and pip take it)."""

from __future__ import annotations

import click


@click.command("help")
@click.argument("command", required=False, metavar="[COMMAND]")
@click.pass_context
def help_command(ctx: click.Context, command: str | None) -> None:
    """Show the help of indcli, or of COMMAND (the same as 'indcli COMMAND --help')."""
    root = ctx.find_root()
    if command is None:
        click.echo(root.get_help(), color=root.color)
        return
    group = root.command
    assert isinstance(group, click.Group)
    group.resolve_command(root, [command])  # an unknown name: the root's own error
    found = group.get_command(root, command)
    assert found is not None
    with found.make_context(command, [], parent=root, resilient_parsing=True) as sub:
        click.echo(sub.get_help(), color=root.color)
