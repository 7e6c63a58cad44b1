"""Why a text could not be loaded, and where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..limits import MAX_NUMBER_LENGTH, MAX_STRING_LENGTH, MAX_VALUE_DEPTH, MAX_YAML_CHARACTERS, MAX_YAML_NODES


@dataclass
class LoadError(Exception):
    """A text that is not a loadable document; `kind` picks the rule that reports it."""

    message: str
    offset: int | None = None  # character offset of the problem, when known
    kind: str = "syntax"  # "syntax" | "too-complex"

    def __str__(self) -> str:
        return self.message


class DuplicateKey(NamedTuple):
    """A key written twice in one object: the later one silently wins in a plain parser."""

    object_path: tuple
    key: str
    first_offset: int
    offset: int  # the repeated key


def too_deep_message() -> str:
    return f"values nested more than {MAX_VALUE_DEPTH} levels deep: asl-lint's limit (MAX_VALUE_DEPTH)"


def number_too_long_message(length: int) -> str:
    return f"a number written with {length:,} characters: asl-lint's limit is {MAX_NUMBER_LENGTH}"


def string_too_long_message(length: int) -> str:
    return (f"a string of {length:,} characters: no string longer than {MAX_STRING_LENGTH:,}"
            " fits in a definition (asl-lint's limit)")


def alias_bomb_message(characters: bool = False) -> str:
    if characters:
        return (f"YAML aliases expand to more than {MAX_YAML_CHARACTERS:,} characters of text (an alias bomb?):"
                " asl-lint's limit")
    return f"YAML aliases expand to more than {MAX_YAML_NODES:,} values (an alias bomb?): asl-lint's limit"
