"""Why a text could not be loaded, and where."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LoadError(Exception):
    """A text that is not a loadable document; `kind` picks the rule that reports it."""

    message: str
    offset: int | None = None  # character offset of the problem, when known
    kind: str = "syntax"  # "syntax" | "too-complex"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in one object: the later one silently wins in a plain parser."""

    object_path: tuple
    key: str
    first_offset: int
    offset: int  # the repeated key
