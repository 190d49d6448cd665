"""``indcli completion SHELL``: print the shell completion script, and keep what the
shell is sent while completing to one line per entry."""

from __future__ import annotations

import os
from typing import Any

import click

from indcli.output.render import format_option, payload, to_json
from indcli.utils.text_safety import one_line

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


def one_line_completions() -> None:
    """Make every completion entry one line, whatever packs put in names and help texts.

    The shells read completions line by line (zsh: type, value and help on three lines;
    bash and fish: one line each), so a newline in a pack command's ``short_help`` or an
    option's help would add entries of its own. Help has its whitespace collapsed; any
    other control in a value or help is shown escaped, and a tab (fish's separator) too.
    """
    from click.shell_completion import add_completion_class, get_completion_class

    for name in SHELLS:
        base = get_completion_class(name)
        if base is not None and not getattr(base, "one_line", False):
            add_completion_class(_one_line_class(base), name)


def _one_line_class(base: type) -> type:
    class OneLine(base):  # type: ignore[misc]
        one_line = True

        def format_completion(self, item: Any) -> str:
            item.value = _flat(str(item.value))
            if item.help:
                item.help = _flat(" ".join(str(item.help).split()))
            return super().format_completion(item)

    OneLine.__name__ = base.__name__
    return OneLine


def _flat(text: str) -> str:
    return one_line(text).replace("\t", "\\x09")
