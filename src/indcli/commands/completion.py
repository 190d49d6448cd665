"""``indcli completion SHELL``: print the shell completion script."""

from __future__ import annotations

import os

import click

from indcli.output.render import format_option, payload, to_json

SHELLS = ("bash", "zsh", "fish")


@click.command(
    epilog="""\b
Examples:
  eval "$(indcli completion bash)"        # add to ~/.bashrc
  eval "$(indcli completion zsh)"         # add to ~/.zshrc
  indcli completion fish > ~/.config/fish/completions/indcli.fish"""
)
@click.argument("shell", required=False, type=click.Choice(SHELLS))
@format_option
@click.pass_context
def completion(ctx: click.Context, shell: str | None, fmt: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Completes commands, options, choice values (route answers, explain topics). Without
    SHELL, the shell is taken from $SHELL.
    """
    from click.shell_completion import get_completion_class

    shell = shell or os.path.basename(os.environ.get("SHELL", ""))
    if shell not in SHELLS:
        raise click.UsageError(
            f"cannot tell your shell from $SHELL; name it: indcli completion "
            f"{{{','.join(SHELLS)}}}",
            ctx,
        )
    root = ctx.find_root()
    cls = get_completion_class(shell)
    assert cls is not None  # every name in SHELLS is built into click
    script = cls(root.command, {}, "indcli", "_INDCLI_COMPLETE").source()
    if fmt == "json":
        click.echo(to_json(payload("completion", shell=shell, script=script)), nl=False)
    elif fmt == "markdown":
        fence = "`" * 3
        click.echo(f"{fence}{shell}\n{script}\n{fence}")
    else:
        click.echo(script)
