"""The content model is declared twice, on purpose: pydantic models validate a content file
(``content/schema.py``, imported only to validate), and fast records carry it through every
run (``content/model.py``). This test ties them: every field, and every nesting, agrees,
except the differences listed here, each with its reason. A field added to one and not the
other fails here, and ``model.build`` refuses data with a key its record lacks."""

from __future__ import annotations

import types
import typing

import pydantic
import pytest

from indcli.content import model, schema
from indcli.utils.records import Record

# record class -> schema class, where the names differ
NAMES = {"CommandSpec": "Command", "Content": "ContentFile", "FlowPart": "Flow"}
# records the loader builds from other data, not field by field: conditions and walk places
BUILT_OTHERWISE = {"AllOf", "AnyOf", "Not", "AnswerTest", "OutcomeTest", "Located"}
# fields only the records have, and why
RECORD_ONLY = {
    ("*", "pack"): "the pack the item comes from, filled in by the loader",
    ("Citation", "url"): "resolved from the file's [[sources]]",
    ("Citation", "title"): "resolved from the file's [[sources]]",
}
# fields only the schema has, and why
SCHEMA_ONLY = {
    ("ContentFile", "sources"): "resolved into each item's Citation",
}


def records() -> dict[str, type[Record]]:
    return {
        name: cls
        for name, cls in vars(model).items()
        if isinstance(cls, type) and issubclass(cls, Record) and cls.__module__ == model.__name__
    }


def nested_model(annotation: object) -> str | None:
    """The name of the pydantic model a schema field holds (alone, in a list or optional)."""
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        if isinstance(arg, type) and issubclass(arg, pydantic.BaseModel):
            return arg.__name__
        if typing.get_args(arg) and arg is not annotation:
            found = nested_model(arg)
            if found:
                return found
    return None


PAIRS = sorted((r, NAMES.get(r, r)) for r in records() if r not in BUILT_OTHERWISE)


def test_every_record_has_its_schema_model():
    missing = [s for _, s in PAIRS if not hasattr(schema, s)]
    assert missing == []


@pytest.mark.parametrize(("record", "model_name"), PAIRS)
def test_fields_and_nesting_agree(record, model_name):
    rec = records()[record]
    pyd = getattr(schema, model_name)
    rec_fields = {
        f
        for f in rec._fields
        if f in pyd.model_fields or (("*", f) not in RECORD_ONLY and (record, f) not in RECORD_ONLY)
    }
    pyd_fields = {f for f in pyd.model_fields if (model_name, f) not in SCHEMA_ONLY}
    assert rec_fields == pyd_fields, f"{record} vs {model_name}"
    for field in sorted(rec_fields):
        kind, target = model.field_kind(rec.__annotations__[field])
        nested = nested_model(pyd.model_fields[field].annotation)
        if kind in ("record", "records"):
            assert nested == NAMES.get(target.__name__, target.__name__), (record, field)
        elif kind != "condition":
            assert nested is None, (record, field, nested)


def test_build_refuses_a_key_its_record_lacks():
    with pytest.raises(ValueError, match="Example has no field 'abut'"):
        model.build(model.Example, {"run": "indcli route", "abut": "typo"})


def test_annotations_are_evaluated_objects_not_strings():
    """No parsing of annotation strings: only conditions, which nest, refer forward."""
    for cls in records().values():
        for name, annotation in cls.__annotations__.items():
            if isinstance(annotation, str) and annotation != "Condition":
                pytest.fail(f"{cls.__name__}.{name} is annotated with the string {annotation!r}")
            assert not isinstance(annotation, types.GenericAlias) or all(
                a == "Condition" or not isinstance(a, str) for a in typing.get_args(annotation)
            )
