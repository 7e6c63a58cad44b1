"""A cached property without a lock, for the objects made per definition.

functools.cached_property takes a lock on each first access in Python 3.10 and 3.11
(3.12 dropped it): about 0.3 us, paid some 25 times per definition checked. The objects
that use this one (a RuleContext, a Scope, the variable data flow) belong to one thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 - named as the functools one it stands for
    """Computed on first access and kept in the instance's __dict__, where later accesses
    find it without calling this descriptor again."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value
