"""JSON Schemas of what indcli reads, made from its models (``indcli schema``)."""

from __future__ import annotations

from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def content_schema() -> dict[str, Any]:
    """The JSON Schema of a pack's content file, from the pydantic models, by alias
    (``is``, ``not``): what a TOML editor needs to complete and check a content file."""
    from indcli.content.schema import ContentFile

    schema = ContentFile.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "indcli content file",
        "description": "A content pack's TOML file: sources, explain topics, guides and "
        "routing flows; every item cites its source. Every field: indcli docs content.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
