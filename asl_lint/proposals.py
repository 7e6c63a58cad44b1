"""What a rule proposes to fix, in the definition's own terms: plain data (rename this key,
replace this value, insert into this string, delete this member) that `fixes` turns into
edits of the file where the problem is written. Apart from `fixes` so that a rule names a
fix without loading the code that carries it out, which a run needs only for findings."""

from __future__ import annotations

from typing import Literal, NamedTuple


class Change(NamedTuple):
    """One change a rule asks for, in the definition's own terms."""

    kind: Literal["rename", "replace", "insert", "delete", "delete-repeat", "add"]
    path: tuple
    value: str = ""  # the new key or value, the text to insert, or ("add") the member's key
    member: str = ""  # "add": the new member's (string) value
    at: int = 0  # "insert": the character of the string value to insert before;
    # "delete-repeat": where the repeated key is written (and `first`, the first one)
    first: int = 0


class Proposal(NamedTuple):
    title: str
    changes: tuple[Change, ...]
    safe: bool = True


def rename(path: tuple, key: str, title: str, safe: bool = True) -> Proposal:
    return Proposal(title, (Change("rename", path, key),), safe)


def replace(path: tuple, value: str, title: str, safe: bool = True) -> Proposal:
    return Proposal(title, (Change("replace", path, value),), safe)


def insert(path: tuple, at: int, text: str, title: str, safe: bool = True) -> Proposal:
    return Proposal(title, (Change("insert", path, text, at=at),), safe)


def delete(path: tuple, title: str, safe: bool = True) -> Proposal:
    return Proposal(title, (Change("delete", path),), safe)


def delete_repeat(path: tuple, first: int, repeated: int, title: str) -> Proposal:
    """Remove a key written twice, where both have the same value (else no fix is made)."""
    return Proposal(title, (Change("delete-repeat", path, at=repeated, first=first),), True)
