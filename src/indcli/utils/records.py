"""Records: classes with typed, named fields, defined in microseconds.

Every run defines the classes of the modules it imports before it does anything. A
dataclass compiles its ``__init__``, ``__repr__``, ``__eq__`` (and for frozen ones
``__setattr__``) with ``exec`` when its class is defined: half a millisecond to 1.5 ms
each, which for the records of a scripted route was a fifth of its start-up. A record
gets the same from one shared ``__init__`` and needs no ``exec``. A module that a plain
run imports defines its records here; a command's own modules (check, new-pack) may use
dataclasses (``tests/test_performance.py`` checks that a scripted run never imports them).

- :class:`Record` is immutable (like ``@dataclass(frozen=True)``), compared and hashed
  by value; :class:`MutableRecord` can be changed and is not hashable (like
  ``@dataclass``). Both are slotted: annotated names are the fields (``ClassVar`` ones
  are not), in order; a value in the class body is the field's default, and
  ``fresh(factory=list)`` makes a default anew for each record (like
  ``field(default_factory=list)``).
- A subclass that must check or derive something defines ``__post_init__(self)``, called
  once the fields are set (as a dataclass calls it); one that wants identity semantics
  sets ``__eq__ = object.__eq__`` and ``__hash__ = object.__hash__``.
- Type checkers read records as the dataclasses they behave like
  (``typing.dataclass_transform``, PEP 681): a constructor call is checked against the
  fields and their types, and setting a field of a :class:`Record` is an error. So, as
  with ``field()``, ``fresh`` takes its factory by keyword, and a field with a default
  comes after the fields without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

_T = TypeVar("_T")


class _Fresh:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def fresh(*, factory: Callable[[], _T]) -> _T:
    """A default made anew for each record: ``items: list[str] = fresh(factory=list)``."""
    # The class body keeps this marker; each record gets what factory() makes, the type
    # a checker sees.
    return _Fresh(factory)  # type: ignore[return-value]


class _RecordType(type):
    """Makes a class's annotated fields its ``__slots__``, keeping their defaults aside."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        annotations = namespace.get("__annotations__", {})
        fields = tuple(f for f in annotations if "ClassVar" not in str(annotations[f]))
        defaults = {f: namespace.pop(f) for f in fields if f in namespace}
        namespace["__slots__"] = fields
        cls = super().__new__(mcs, name, bases, namespace)
        cls._fields = fields  # type: ignore[attr-defined]
        cls._defaults = defaults  # type: ignore[attr-defined]
        return cls


class _Fields(metaclass=_RecordType):
    """What both kinds of record share: ``Cls(*values, **by_name)``, equality, repr."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields")
        set_field = object.__setattr__
        for name, value in zip(fields, args, strict=False):
            set_field(self, name, value)
        defaults = self._defaults
        for name in fields[len(args) :]:
            if name in kwargs:
                set_field(self, name, kwargs.pop(name))
            elif name in defaults:
                value = defaults[name]
                set_field(self, name, value.make() if type(value) is _Fresh else value)
            else:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
        if kwargs:
            name = next(iter(kwargs))
            raise TypeError(f"{type(self).__name__}: unexpected or repeated field {name!r}")
        self.__post_init__()

    def __post_init__(self) -> None:
        """Checks or derives what the fields imply (a subclass's own; none here)."""

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        parts = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({parts})"


# Each kind carries its own transform and neither derives from the other: to a checker a
# frozen dataclass may not derive from a mutable one, nor a mutable one from a frozen one.
@dataclass_transform(frozen_default=True, field_specifiers=(fresh,))
class Record(_Fields):
    """An immutable value with named fields: ``Cls(*values, **by_name)``, compared and
    hashed by value, never changed after it is made (``__setattr__`` refuses)."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))


@dataclass_transform(field_specifiers=(fresh,))
class MutableRecord(_Fields):
    """A record whose fields can be set after it is made (not hashable)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]
