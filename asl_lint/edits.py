"""Edits of a file's text as plain data: what a fix changes, made by the rules and the
front ends (which know where things are written) and carried out by the run (which
writes files). Nothing here reads a file or knows a format beyond its punctuation."""

from __future__ import annotations

from typing import NamedTuple


class Edit(NamedTuple):
    """Replace characters start..end of a file's text with `text`."""

    start: int
    end: int
    text: str


class Fix(NamedTuple):
    title: str  # what it does, as the editor's quick fix says it
    edits: tuple[Edit, ...]
    safe: bool


def trimmed_end(text: str, start: int, end: int) -> int:
    """A value's end without the white space a YAML node's end takes from the next line."""
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def member_removal(text: str, start: int, end: int) -> tuple[int, int]:
    """The characters to remove so that the member written at start..end goes, with its
    line when it has one of its own and the comma that separated it."""
    line_start = text.rfind("\n", 0, start) + 1
    newline = text.find("\n", end)
    line_end = len(text) if newline < 0 else newline + 1
    rest = text[end:line_end].strip()
    if not text[line_start:start].strip() and rest in ("", ","):
        if rest == "":  # the last member: the comma before it goes (JSON allows none after)
            before = _back(text, line_start)
            if before > 0 and text[before - 1] == "," and _ahead(text, line_end)[:1] in ("}", "]"):
                return before - 1, line_end - 1 if text[line_end - 1:line_end] == "\n" else line_end
        return line_start, line_end
    after = _skip(text, end)
    if text[after:after + 1] == ",":
        return start, _skip(text, after + 1)
    before = _back(text, start)
    if before > 0 and text[before - 1] == ",":
        return before - 1, end
    return start, end


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


def _back(text: str, at: int) -> int:
    while at > 0 and text[at - 1] in " \t\r\n":
        at -= 1
    return at


def _ahead(text: str, at: int) -> str:
    return text[at:].lstrip()


def removal_fix(text: str, start: int, end: int, title: str, safe: bool) -> Fix:
    """A fix that removes the member written at start..end of a file's text."""
    first, last = member_removal(text, start, trimmed_end(text, start, end))
    return Fix(title, (Edit(first, last, ""),), safe)
