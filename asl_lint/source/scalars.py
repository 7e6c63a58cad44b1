"""Offsets inside a string value, mapped to offsets in the text it was read from.

Exact through the escapes of a quoted scalar, the indentation of a YAML block scalar (`|`)
and plain one-line scalars; None where YAML folded the text (the caller falls back to the
whole value).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Protocol

from .positions import LineIndex

OffsetMap = Callable[[int], "int | None"]
_SIMPLE_ESCAPE = 2
_NODE_PROPERTIES = re.compile(r"(?:[!&][^\s]*[ \t]+)*")
_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}


class Located(Protocol):
    """Where a value sits in its text (a source map's Location)."""

    value_start: int
    value_end: int


def scalar_offset_map(index: LineIndex, location: Located, decoded: str) -> OffsetMap | None:
    """Map offsets of the decoded string written at `location` to offsets in the text, if exact."""
    raw = index.text[location.value_start:location.value_end]
    start = location.value_start
    # A YAML tag or anchor before the scalar (!Sub |, &name "...") is not part of it.
    prefix = _NODE_PROPERTIES.match(raw)
    if prefix and prefix.end():
        raw, start = raw[prefix.end():], start + prefix.end()
    if raw.startswith(("|", ">")):
        return _block_scalar_map(index, start, raw, decoded) if raw.startswith("|") else None
    if "\n" in raw.rstrip("\r\n"):
        return None  # a multi-line flow scalar: YAML folded its line breaks
    if raw.startswith('"'):
        if "\\" not in raw:  # no escapes: one character of text per character (a range, no list)
            return _checked(range(start + 1, start + 1 + len(decoded)), decoded)
        return _checked(_double_quoted_map(raw, start), decoded)
    if raw.startswith("'"):
        if "''" not in raw[1:-1]:
            return _checked(range(start + 1, start + 1 + len(decoded)), decoded)
        return _checked(_single_quoted_map(raw, start), decoded)
    return _checked(range(start, start + len(decoded)), decoded) if raw.startswith(decoded) else None


def _checked(positions: list[int] | range | None, decoded: str) -> OffsetMap | None:
    if positions is None or len(positions) != len(decoded):
        return None
    end = (positions[-1] + 1) if positions else 0

    def to_text(offset: int) -> int | None:
        if 0 <= offset < len(positions):
            return positions[offset]
        return end if offset == len(positions) else None

    return to_text


def _double_quoted_map(raw: str, start: int) -> list[int] | None:
    positions, i, body_end = [], 1, len(raw) - 1
    while i < body_end:
        if raw[i] != "\\":
            positions.append(start + i)
            i += 1
            continue
        width = _ESCAPE_WIDTH.get(raw[i + 1], _SIMPLE_ESCAPE) if i + 1 < body_end else _SIMPLE_ESCAPE
        # A UTF-16 surrogate pair written as two \\u escapes decodes to one character.
        if raw[i + 1:i + 2] == "u" and re.match(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u", raw[i:i + 8]):
            width = 12
        positions.append(start + i)
        i += width
    return positions


def _single_quoted_map(raw: str, start: int) -> list[int]:
    positions, i = [], 1
    while i < len(raw) - 1:
        positions.append(start + i)
        i += 2 if raw[i] == "'" and raw[i + 1:i + 2] == "'" else 1
    return positions


def _block_scalar_map(index: LineIndex, start: int, raw: str, decoded: str) -> OffsetMap | None:
    text = index.text
    first_line, _ = index.position(start)
    content = first_line + 1
    lines = decoded.split("\n")
    indent = None
    line_starts = []
    for k, line in enumerate(lines):
        line_begin = index.line_start(content + k)
        text_line = text[line_begin:].split("\n", 1)[0].rstrip("\r")
        if line:
            if indent is None:
                indent = len(text_line) - len(text_line.lstrip(" "))
            if text_line[indent:] != line:
                return None  # not the simple layout we can map exactly
        line_starts.append(line_begin + (indent or 0))
    decoded_starts = [0]
    for line in lines[:-1]:
        decoded_starts.append(decoded_starts[-1] + len(line) + 1)

    def to_text(offset: int) -> int | None:
        row = bisect.bisect_right(decoded_starts, offset) - 1
        return line_starts[row] + offset - decoded_starts[row]

    return to_text
