"""Every complete example in every --help and in the README runs and exits 0.

The examples are read from the help text as a person sees it (wrapped lines joined) and
from the README's code blocks, then run in-process with the shipped packs, in a folder
holding the files they name (answers.json, cases.jsonl). Examples with a placeholder
(``...``) are left out; those that need a terminal (``--interactive``, a bare
``indcli route``) run on a simulated one, typing 1 and Enter at every prompt.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from conftest import PACKS, SEED, make_pack, topic_toml
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from indcli.testing import make_app, run

README = Path(__file__).resolve().parents[2] / "README.md"
STARTS = re.compile(r"^(\$ )?(indcli |echo |eval |[A-Z_]+=\S* indcli )")
ANSWERS = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}


def _command_part(line: str) -> str:
    """The command of an example line, without its comment or description column."""
    line = re.split(r"\s{2,}#", line.strip())[0]
    return re.split(r"\s{2,}", line)[0].removeprefix("$ ").strip()


def help_examples() -> list[tuple[str, str]]:
    app = make_app(*PACKS)
    commands = run(app, ["--help"]).stdout
    names = re.findall(r"^  ([a-z][a-z-]+)  ", commands.split("Commands:", 1)[1], re.M)
    found = []
    for args in [[], *([name] for name in names)]:
        text = run(make_app(*PACKS), [*args, "--help"]).stdout
        block = text.split("Examples:", 1)[1].split("\n\n")[0] if "Examples:" in text else ""
        joined = re.sub(r" \\\n\s*", " ", block)  # a wrapped command is one command
        for line in joined.splitlines():
            if STARTS.match(line.strip()):
                found.append((f"indcli {' '.join(args)} --help".replace("  ", " "), line))
    return found


def readme_examples() -> list[tuple[str, str]]:
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", README.read_text(), re.M | re.S)
    return [("README", line) for block in blocks for line in block.splitlines()
            if STARTS.match(line.strip())]  # fmt: skip


EXAMPLES = [(where, _command_part(line)) for where, line in help_examples() + readme_examples()]
COMPLETE = sorted({(w, c) for w, c in EXAMPLES if "..." not in c})


def test_there_are_examples_to_run():
    assert len(COMPLETE) > 30
    assert any(where == "README" for where, _ in COMPLETE)


@pytest.mark.parametrize(("where", "example"), COMPLETE, ids=[c for _, c in COMPLETE])
def test_example_runs_and_exits_0(where, example, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "src").mkdir()  # "a folder of your choice" (~/src) exists
    for page in ("page.html", "saved-page.html"):  # the IND page, saved from a browser
        (tmp_path / page).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "answers.json").write_text(json.dumps(ANSWERS))
    (tmp_path / "cases.jsonl").write_text(json.dumps(ANSWERS) + "\n" + json.dumps(ANSWERS))
    words = shlex.split(example)
    if words[0] == "eval":  # eval "$(indcli completion bash)"
        words = shlex.split(words[1].removeprefix("$(").removesuffix(")"))
    stdin = None
    if words[0] == "echo":
        pipe = words.index("|")
        stdin, words = " ".join(words[1:pipe]) + "\n", words[pipe + 1 :]
    environ = {}
    while "=" in words[0]:
        key, _, value = words.pop(0).partition("=")
        environ[key] = value
    for operator in (">", "|"):  # output goes to the test, not a file or a pager
        if operator in words:
            words = words[: words.index(operator)]
    assert words[0] == "indcli", example
    args = [word.replace("~", str(tmp_path)) for word in words[1:]]
    # The pack the check examples name; its topic is not the one "new-pack indcli-my-topic"
    # examples make (new-pack refuses an id a loaded pack has).
    packs = [*PACKS, make_pack("my-pack", tmp_path, topic_toml("my-pack-topic"))]
    if "recheck" in example:  # a checklist saved before, for 'indcli recheck'
        flags = [w for q, v in ANSWERS.items() for w in (f"--{q}", v)]
        saved = ["route", *flags, "--format", "markdown", "-o", "my-route.md"]
        assert run(make_app(*packs), saved).exit_code == 0
    terminal = "--interactive" in args or "-i" in args or args in (["route"], ["route", "--plain"])
    app = make_app(*packs, environ=environ, interactive=terminal)
    if terminal and "--plain" in args:  # plain mode reads lines
        result = run(app, args, input="1\n" * 40)
    elif terminal:
        with create_pipe_input() as keys:
            keys.send_text("1\r" * 40)  # the first choice (none is preselected)
            keys.close()  # then the end of input: never a hang
            with create_app_session(input=keys, output=DummyOutput()):
                result = run(app, args)
    else:
        result = run(app, args, input=stdin)
    assert result.exit_code == 0, f"{where}: {example}\n{result.stderr}"
