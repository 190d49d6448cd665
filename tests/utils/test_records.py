"""Records behave like the dataclasses they replace (frozen or not), without exec."""

from __future__ import annotations

from typing import ClassVar

import pytest

from indcli.utils.records import MutableRecord, Record, fresh


class Point(Record):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    LIMIT: ClassVar[int] = 3  # not a field


class Basket(MutableRecord):
    owner: str
    items: list[str] = fresh(factory=list)


def test_fields_defaults_and_keywords():
    assert Point._fields == ("x", "y", "tags")
    assert Point(1) == Point(x=1, y=0, tags=())
    assert Point(1, tags=("a",)).tags == ("a",)
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=())"
    assert Point(1) != Point(2) and Point(1) != (1, 0, ())
    assert hash(Point(1, 2)) == hash(Point(1, 2))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Point(), "missing field 'x'"),
        (lambda: Point(1, x=2), "repeated field 'x'"),
        (lambda: Point(1, z=2), "unexpected or repeated field 'z'"),
        (lambda: Point(1, 2, (), 4), "takes 3 fields"),
    ],
)
def test_wrong_arguments_are_type_errors(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_a_record_is_immutable_and_slotted():
    point = Point(1)
    with pytest.raises(AttributeError, match="immutable"):
        point.x = 2
    with pytest.raises(AttributeError):
        del point.y
    assert not hasattr(point, "__dict__")


def test_a_mutable_record_changes_and_gets_fresh_defaults():
    first, second = Basket("a"), Basket("b")
    first.items.append("pear")
    first.owner = "c"
    assert second.items == [] and first == Basket("c", ["pear"])
    with pytest.raises(TypeError):
        hash(first)


class Span(Record):
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"span ends before it starts: {self.start}..{self.end}")


def test_post_init_runs_once_the_fields_are_set():
    assert Span(1, end=2).end == 2
    with pytest.raises(ValueError, match="ends before it starts"):
        Span(2, 1)


def test_fresh_takes_its_factory_by_keyword_as_a_type_checker_reads_it():
    with pytest.raises(TypeError):
        fresh(list)
