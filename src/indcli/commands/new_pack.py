"""``indcli new-pack NAME [DIR]``: start a new content pack that installs and tests."""

from __future__ import annotations

from typing import Any

import click

from indcli.errors import IndcliError
from indcli.output.render import Doc, Item, format_option, payload, render
from indcli.utils.text_safety import one_line


@click.command(
    "new-pack",
    epilog="""\b
Examples:
  indcli new-pack indcli-my-topic                  creates ./indcli-my-topic
  indcli new-pack indcli-my-topic ~/src/my-pack    in a folder of your choice
  indcli new-pack indcli-my-topic --with-route     also a question and a warning in indcli route
  indcli new-pack indcli-my-topic --with-command   also a command of its own
  indcli new-pack indcli-my-topic --format json    what was written, for scripts

\b
Then, from the same folder:
  pip install -e './indcli-my-topic[test]'
  pytest ./indcli-my-topic
  indcli plugins""",
)
@click.argument("name")
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path())
@click.option(
    "--with-route",
    "route",
    is_flag=True,
    help="Also add a question and an advice rule (a warning) to indcli route, extending the "
    "partner-permit flow of indcli-partner-permit; the pack then depends on that pack.",
)
@click.option(
    "--with-command",
    "command",
    is_flag=True,
    help="Also add a command (click code with the indcli_commands hook) and its test.",
)
@format_option
def new_pack(name: str, directory: str | None, route: bool, command: bool, fmt: str) -> None:
    """Create a new content pack NAME in DIR (default: ./NAME), ready to install and test.

    NAME is the distribution name, the one people pip install: lowercase letters, digits
    and hyphens, starting with a letter. Start it with "indcli-" (indcli-my-topic) so
    people can find it. The Python module is NAME with "_" for "-", and the example
    explain topic is NAME without the "indcli-" prefix.

    The pack has a pyproject.toml (hatchling, an entry point in the "indcli" group), its
    module with the indcli_content hook, a content file with one cited example topic, a
    README, tests, content.schema.json (the content file's JSON Schema, which the
    content file names for editor completion; 'indcli schema content' prints it), a
    .gitignore, a LICENSE placeholder and a CI workflow (.github/workflows/ci.yml) that
    runs the tests and 'indcli check --strict'. The sources and quotes are placeholders:
    replace them with the page your content comes from ('indcli docs content' describes
    every field).

    --with-route adds a question and a warning to indcli route. A warning is advice: it
    never changes where the partner-permit pack routes anyone.

    DIR must be new or an empty folder. The pack is written to a temporary folder and
    moved into place at the end, so a failure never leaves half a pack.
    """
    from pathlib import Path

    from indcli.commands.support.scaffold import (
        ScaffoldError,
        check_ids_free,
        create_pack,
        pack_names,
    )

    try:
        check_ids_free(pack_names(name), _claimed_ids())
        target = None if directory is None else Path(directory)
        pack = create_pack(name, target, route=route, command=command)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        where = one_line(str(directory or Path(name)))
        problem = exc.strerror or exc
        message = f"could not write the pack to {where} ({problem}); nothing was left behind."
        raise IndcliError(message) from None
    data = payload(
        "new-pack",
        name=pack.names.dist,
        module=pack.names.module,
        topic=pack.names.short,
        question=pack.names.question if pack.route else None,
        pack_command=pack.names.command if pack.command else None,
        directory=one_line(pack.display),  # a folder name that is not UTF-8 is shown escaped
        files=pack.files,
        next_steps=[{"command": one_line(c), "does": d} for c, d in pack.next_steps()],
    )
    click.echo(render(fmt, data, _describe), nl=False)


def _claimed_ids() -> dict[str, str]:
    """Every id and command name the loaded packs claim, with the pack that claims it."""
    from indcli.app import current_app
    from indcli.packs.catalog import _keys  # what each pack claims, as the catalog sees it

    catalog = current_app().load_catalog()
    return {key: pack.name for pack in catalog.packs for _, key in _keys(pack)}


def _describe(data: dict[str, Any]) -> Doc:
    where = data["directory"]
    doc = Doc(f"Created pack {data['name']} in {where}")
    doc.items([Item(path) for path in data["files"]])
    doc.heading("Next steps, from this folder")
    doc.items(
        [Item(step["command"], notes=[step["does"]]) for step in data["next_steps"]], "number"
    )
    doc.para(
        f"Then replace the placeholder source and quotes in "
        f"{where}/src/{data['module']}/content.toml with the page your content comes from. "
        "'indcli docs content' describes every field, and 'indcli docs tutorial' adds a "
        "routing question, a rule and a command step by step."
    )
    return doc
