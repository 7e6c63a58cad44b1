"""Offsets in a text, turned into 1-based lines and columns in one place."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Span(NamedTuple):
    """A range in a file: 1-based line and column, end exclusive, columns in code points."""

    line: int
    column: int
    end_line: int
    end_column: int
    exact: bool = True  # False when only the enclosing text is known (a quoted string)


class LineIndex:
    """Maps character offsets of one text to lines and columns."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset of each line's first character."""
        return self._starts

    @property
    def _starts(self) -> list[int]:
        # Found when a position is first asked for: a clean file never needs one.
        if self._lines is None:
            self._lines = _line_starts(self.text)
        return self._lines

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        row = bisect.bisect_right(self._starts, offset) - 1
        return row + 1, offset - self._starts[row] + 1

    def span(self, start: int, end: int, exact: bool = True) -> Span:
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        # Trailing white space belongs to no value (YAML node ends sit on the next line).
        while end > start and self.text[end - 1] in " \t\r\n":
            end -= 1
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column, exact)

    def line_start(self, line: int) -> int:
        """Offset of the first character of a 1-based line."""
        return self._starts[min(max(line, 1), len(self._starts)) - 1]


def _line_starts(text: str) -> list[int]:
    """The offset of each line's first character. Without a carriage return, a search for
    each newline: twice as fast as the pattern on a pretty-printed file, and 150 times on a
    one-line 3.6 MB one (the pattern tries every character)."""
    if "\r" in text:
        return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
    starts, find = [0], text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts
