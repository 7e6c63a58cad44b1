"""Offsets to lines and columns, whatever ends the lines."""

from __future__ import annotations

import pytest

from asl_lint.source.positions import LineIndex


@pytest.mark.parametrize("text", ["", "one line", "a\nb\n", "a\r\nb\r\nc", "a\rb\rc", "mixed\r\nends\nand\rmore\n",
                                  "\n\n\n", "{\n  \"States\": {}\n}"])
def test_every_offset_has_the_line_and_column_an_editor_shows(text: str) -> None:
    index = LineIndex(text)
    line, column = 1, 1
    for offset, char in enumerate(text):
        assert index.position(offset) == (line, column), (text, offset)
        following = text[offset + 1:offset + 2]
        if char == "\n" or (char == "\r" and following != "\n"):
            line, column = line + 1, 1
        else:
            column += 1
    assert index.position(len(text)) == (line, column)


def test_a_long_text_on_one_line_is_one_line() -> None:
    index = LineIndex("x" * 1_000_000 + "\ny")
    assert index.starts == [0, 1_000_001]
    assert index.position(1_000_001) == (2, 1)
