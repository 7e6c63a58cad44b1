"""The machine-readable report: one JSON document, version 1."""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring
from typing import TextIO

from ..diagnostics import LintResult


def as_document(result: LintResult) -> dict:
    return {
        "version": 1,
        "diagnostics": [diagnostic.to_dict() for diagnostic in result.diagnostics],
        "machines": result.verdicts(),
        "summary": result.summary(),
    }


def report(result: LintResult, stream: TextIO) -> None:
    stream.write(indented(as_document(result)) + "\n")  # one write, not thousands


def indented(value: object) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False), character for character, about
    three times faster: json's C encoder writes no indented JSON, and its pure-Python one
    builds a generator per value (a tenth of a warm run of 400 files)."""
    parts: list[str] = []
    _write(value, "\n", parts)
    return "".join(parts)


_STRING = encode_basestring
_SCALAR = json.JSONEncoder(ensure_ascii=False).encode
_FLAT = frozenset((str, int, bool, type(None)))  # floats and keys that are no strings go the long way


@lru_cache(maxsize=None)
def _flat_encoder(inner: str):  # -> Callable[[dict], str]
    return json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": ")).encode


def _flat_objects(objects: list | tuple, newline: str, inner: str) -> str:
    """A list of objects whose members are scalars (the machines of a report, most
    diagnostics) in one call of the C encoder: written with the members' separator, then
    each boundary between two objects moved out to the list's indentation. A `},` before
    a line break and a `{` is such a boundary and nothing else: strings hold no raw line break."""
    members = inner + "  "
    written = _flat_encoder(members)(list(objects))
    boundary = "}," + members + "{"
    body = written[2:-2].replace(boundary, inner + "}," + inner + "{" + members)
    return "[" + inner + "{" + members + body + inner + "}" + newline + "]"


def _write(value: object, newline: str, parts: list[str]) -> None:
    kind = type(value)
    if kind is str:
        parts.append(_STRING(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        if _FLAT.issuperset(map(type, value.values())):  # type: ignore[attr-defined]
            # A diagnostic's members are scalars: the C encoder writes them, its item
            # separator carrying the line break and indentation of this level.
            flat = _flat_encoder(inner)(value)
            parts.append("{" + inner + flat[1:-1] + newline + "}")
            return
        separator = "{" + inner
        for key, member in value.items():  # type: ignore[attr-defined]
            parts.append(separator)
            parts.append(_STRING(key) if type(key) is str else _STRING(_SCALAR(key).strip('"')))
            parts.append(": ")
            _write(member, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        if all(type(member) is dict and member and _FLAT.issuperset(map(type, member.values()))
               for member in value):  # type: ignore[attr-defined]
            parts.append(_flat_objects(value, newline, inner))
            return
        separator = "[" + inner
        for member in value:  # type: ignore[attr-defined]
            parts.append(separator)
            _write(member, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif value is None or kind is bool or kind is int:
        parts.append("null" if value is None else "true" if value is True else "false" if value is False
                     else int.__repr__(value))
    else:
        parts.append(_SCALAR(value))
