"""``indcli schema content``: the JSON Schema of content files, made from the models.

Every shipped content file (the three packs, the example pack, a new-pack scaffold) must
validate against it, and the usual mistakes (an unknown or misspelt field, a missing
citation) must not.
"""

from __future__ import annotations

import datetime
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from venvtools import REPO

from indcli.output.content_schema import content_schema
from indcli.testing import make_app, run

SHIPPED = sorted(
    [*REPO.glob("plugins/*/src/*/content.toml"), *REPO.glob("examples/*/src/*/content.toml")]
)


def as_json(node: Any) -> Any:
    """TOML data as JSON data: dates become ISO strings, as in the schema."""
    if isinstance(node, dict):
        return {k: as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [as_json(v) for v in node]
    if isinstance(node, datetime.date):
        return node.isoformat()
    return node


def errors(document: dict[str, Any]) -> list[str]:
    validator = Draft202012Validator(content_schema())
    return [e.message for e in validator.iter_errors(as_json(document))]


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(content_schema())


def test_the_command_prints_the_schema():
    result = run(make_app(), ["schema", "content"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == content_schema()
    wrapped = json.loads(run(make_app(), ["schema", "content", "--format", "json"]).stdout)
    assert (wrapped["command"], wrapped["kind"]) == ("schema", "content")
    assert wrapped["schema"] == content_schema()


def test_there_are_shipped_content_files():
    assert len(SHIPPED) == 4, SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_every_shipped_content_file_validates(path: Path):
    assert errors(tomllib.loads(path.read_text(encoding="utf-8"))) == []


def test_a_new_pack_content_file_validates_and_names_the_schema(tmp_path):
    assert run(make_app(), ["new-pack", "indcli-hello", str(tmp_path / "p")]).exit_code == 0
    content = tmp_path / "p" / "src" / "indcli_hello" / "content.toml"
    text = content.read_text(encoding="utf-8")
    assert text.startswith("#:schema ../../content.schema.json\n")
    schema_file = (content.parent / "../../content.schema.json").resolve()
    assert json.loads(schema_file.read_text(encoding="utf-8")) == content_schema()
    assert errors(tomllib.loads(text)) == []


def test_mistakes_do_not_validate():
    path = REPO / "plugins" / "public_funds" / "src" / "indcli_public_funds" / "content.toml"
    good = tomllib.loads(path.read_text(encoding="utf-8"))
    misspelt = json.loads(json.dumps(as_json(good)))
    misspelt["topics"][0]["sumary"] = misspelt["topics"][0].pop("summary")
    assert errors(misspelt)
    uncited = json.loads(json.dumps(as_json(good)))
    del uncited["topics"][0]["source"]
    assert errors(uncited)
