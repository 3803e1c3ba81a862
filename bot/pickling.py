"""Records that cross process boundaries quickly.

A large change fans its files out over worker processes, and every target, suggestion
and result is pickled on the way there and back.  ``dataclasses`` pickles a frozen
slotted record through a ``__setstate__`` written in Python that looks its fields up
anew for each object; for the ~5,000 targets of the detect benchmark that cost more
than the pickling itself (0.10 s of a 0.16 s load).  ``by_constructor`` pickles a record
as the call that makes it: the field values, read in one C call, given back to
``__init__``.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

R = TypeVar("R", bound=type)


def by_constructor(cls: R) -> R:
    """``cls`` (a dataclass whose fields all go through ``__init__``) pickled as
    ``cls(*values)``.  Apply it after ``@dataclass``, which makes a new class for slots."""
    names = [f.name for f in fields(cls)]
    if any(not f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: a field outside __init__ cannot be rebuilt by it")
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 (mypy refuses assigning a method)
    return cls
