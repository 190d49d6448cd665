"""Saving a route at the end of an interview: a checklist the person keeps.

Nothing the person has is lost: ``~`` is expanded; an existing file is replaced only
after a yes (default no); a missing folder, a folder, or a file that cannot be written
is said in plain words and the name asked again; Ctrl-C or Ctrl-D at any question says
the checklist was not saved (exit 130), with the route still on the screen.
"""

from __future__ import annotations

import os
import stat

from indcli.errors import IndcliError, Interrupted
from indcli.output.render import wrap_words
from indcli.output.terminal import Terminal
from indcli.utils.text_safety import one_line

DEFAULT_NAME = "my-route.md"
NOT_SAVED = "The checklist was not saved; your route is above."


def offer_to_save(markdown: str, terminal: Terminal) -> None:
    """Ask whether to save ``markdown``, where, and before replacing a file."""
    from indcli.commands.support import prompts
    from indcli.output.files import write_atomic

    def say(text: str) -> None:
        terminal.say("\n".join(wrap_words(text, terminal.prompt_columns())))

    try:
        if not prompts.confirm("Save this route as a markdown checklist?", default=False):
            return
        while True:
            name = prompts.text("File name:", default=DEFAULT_NAME).strip()
            if not name:
                say("Not saved.")
                return
            path = os.path.expanduser(name)
            problem = _problem(path)
            if problem:
                say(f"{problem} Type another file name (Ctrl-C to leave without saving).")
                continue
            if os.path.lexists(path) and not prompts.confirm(
                f"{one_line(name)} already exists. Replace it?", default=False
            ):
                continue
            try:
                write_atomic(path, markdown)
            except (IndcliError, OSError):
                say(f"Could not save to {one_line(name)}. Type another file name.")
                continue
            say(f"Saved your checklist to {one_line(name)} (readable only by you).")
            return
    except (KeyboardInterrupt, EOFError):
        raise Interrupted(NOT_SAVED) from None


def _problem(path: str) -> str | None:
    """Why ``path`` cannot take the checklist, in plain words; None when it can."""
    shown = one_line(path)
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        return f"{shown} is a folder, not a file name."
    folder = os.path.dirname(path) or "."
    if not os.path.exists(folder):
        return f"There is no folder {one_line(folder)}."
    if not os.path.isdir(folder):
        return f"{one_line(folder)} is a file, not a folder."
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"You cannot write in the folder {one_line(folder)}."
    try:
        st = os.stat(path)
    except OSError:
        return None  # a new file
    if not stat.S_ISREG(st.st_mode):
        return f"{shown} is not an ordinary file."
    if not os.access(path, os.W_OK):
        return f"{shown} is read-only."
    return None
