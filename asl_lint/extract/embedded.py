"""Definitions written as strings inside a template, with positions mapped back into it.

A `DefinitionString` (plain, `Fn::Sub` or `Fn::Join`) is parsed as JSON on its own. Each
offset of that text is then mapped to the host file: exactly through the escapes of a
quoted string, the indentation of a YAML block scalar (`|`) or a plain scalar; otherwise
(a folded or multi-line quoted YAML string) to the whole containing string, which is
never on a wrong line.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..source import Document, Span
from ..source.scalars import OffsetMap
from ..source.sourcemap import Anchor, SourceMap, offset_map


@dataclass
class Piece:
    """A run of the embedded text that came from one scalar (or intrinsic) of the host."""

    start: int  # offset in the embedded text
    end: int
    host_path: tuple
    # makes the map from an offset within the piece to an offset in the host text, when
    # a position is first asked for (most pieces never are)
    make_map: Callable[[], OffsetMap | None] | None

    @cached_property
    def to_host(self) -> OffsetMap | None:
        return self.make_map() if self.make_map is not None else None


class EmbeddedSourceMap:
    """Spans of an embedded definition, in the coordinates of the file that holds it."""

    def __init__(self, inner: SourceMap, pieces: list[Piece], host: Document) -> None:
        self.inner, self.pieces, self.host = inner, pieces, host
        self._starts = [piece.start for piece in pieces]

    def span(self, path: tuple, anchor: Anchor = "value") -> Span | None:
        offsets = self.inner.offsets(path, anchor)
        return self.span_of_offsets(*offsets) if offsets else self._whole()

    def span_within(self, path: tuple, decoded: str, start: int, end: int) -> Span | None:
        location = self.inner.locations.get(tuple(path)) if self.inner else None
        to_inner = offset_map(self.inner, path, decoded) if location else None
        if to_inner is None:
            return self.span(path)
        inner_start, inner_end = to_inner(start), to_inner(end)
        if inner_start is None or inner_end is None:
            return self.span(path)
        return self.span_of_offsets(inner_start, inner_end)

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
