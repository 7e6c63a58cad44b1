"""Definitions written as strings inside a template, with positions mapped back into it.

A `DefinitionString` (plain, `Fn::Sub` or `Fn::Join`) is parsed as JSON on its own. Each
offset of that text is then mapped to the host file: exactly through the escapes of a
quoted string, the indentation of a YAML block scalar (`|`) or a plain scalar; otherwise
(a folded or multi-line quoted YAML string) to the whole containing string, which is
never on a wrong line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..source import Document, Span
from ..source.sourcemap import Anchor, SourceMap

OffsetMap = Callable[[int], "int | None"]
_SIMPLE_ESCAPE = 2
_NODE_PROPERTIES = re.compile(r"(?:[!&][^\s]*[ \t]+)*")
_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}


@dataclass
class Piece:
    """A run of the embedded text that came from one scalar (or intrinsic) of the host."""

    start: int  # offset in the embedded text
    end: int
    host_path: tuple
    to_host: OffsetMap | None  # offset within the piece -> offset in the host text


def scalar_offset_map(host: Document, path: tuple, decoded: str) -> OffsetMap | None:
    """Map offsets of the decoded string at `path` to offsets in the host text, if exact."""
    location = host.sourcemap.locations.get(tuple(path))
    if location is None:
        return None
    raw = host.sourcemap.index.text[location.value_start:location.value_end]
    start = location.value_start
    # A YAML tag or anchor before the scalar (!Sub |, &name "...") is not part of it.
    prefix = _NODE_PROPERTIES.match(raw)
    if prefix and prefix.end():
        raw, start = raw[prefix.end():], start + prefix.end()
    if raw.startswith(("|", ">")):
        return _block_scalar_map(host, start, raw, decoded) if raw.startswith("|") else None
    if "\n" in raw.rstrip("\r\n"):
        return None  # a multi-line flow scalar: YAML folded its line breaks
    if raw.startswith('"'):
        return _checked(_double_quoted_map(raw, start), decoded)
    if raw.startswith("'"):
        return _checked(_single_quoted_map(raw, start), decoded)
    return _checked([start + i for i in range(len(decoded))], decoded) if raw.startswith(decoded) else None


def _checked(positions: list[int] | None, decoded: str) -> OffsetMap | None:
    if positions is None or len(positions) != len(decoded):
        return None
    end = (positions[-1] + 1) if positions else 0

    def to_host(offset: int) -> int | None:
        if 0 <= offset < len(positions):
            return positions[offset]
        return end if offset == len(positions) else None

    return to_host


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


def _block_scalar_map(host: Document, start: int, raw: str, decoded: str) -> OffsetMap | None:
    index = host.sourcemap.index
    text = index.text
    first_line, _ = index.position(start)
    content = first_line + 1
    lines = decoded.split("\n")
    indent = None
    line_starts = []
    for k, line in enumerate(lines):
        host_start = index.line_start(content + k)
        host_line = text[host_start:].split("\n", 1)[0].rstrip("\r")
        if line:
            if indent is None:
                indent = len(host_line) - len(host_line.lstrip(" "))
            if host_line[indent:] != line:
                return None  # not the simple layout we can map exactly
        line_starts.append(host_start + (indent or 0))
    decoded_starts = [0]
    for line in lines[:-1]:
        decoded_starts.append(decoded_starts[-1] + len(line) + 1)

    def to_host(offset: int) -> int | None:
        row = bisect.bisect_right(decoded_starts, offset) - 1
        return line_starts[row] + offset - decoded_starts[row]

    return to_host


class EmbeddedSourceMap:
    """Spans of an embedded definition, in the coordinates of the file that holds it."""

    def __init__(self, inner: SourceMap, pieces: list[Piece], host: Document) -> None:
        self.inner, self.pieces, self.host = inner, pieces, host
        self._starts = [piece.start for piece in pieces]

    def span(self, path: tuple, anchor: Anchor = "value") -> Span | None:
        offsets = self.inner.offsets(path, anchor)
        return self.span_of_offsets(*offsets) if offsets else self._whole()

    def span_of_offsets(self, start: int, end: int) -> Span | None:
        piece = self._piece(start)
        if piece is None:
            return self._whole()
        if piece.to_host is not None and start <= end <= piece.end:
            host_start = piece.to_host(start - piece.start)
            host_end = piece.to_host(end - piece.start)
            if host_start is not None and host_end is not None:
                return self.host.sourcemap.index.span(host_start, max(host_start, host_end))
        located = self.host.sourcemap.span(piece.host_path)
        return None if located is None else Span(located.line, located.column, located.end_line,
                                                  located.end_column, exact=False)

    def _piece(self, offset: int) -> Piece | None:
        if not self.pieces:
            return None
        row = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.pieces[row]

    def _whole(self) -> Span | None:
        return self.host.sourcemap.span(self.pieces[0].host_path) if self.pieces else None
