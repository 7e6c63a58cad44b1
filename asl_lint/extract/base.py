"""What extraction produces: definitions to check and notes about the host file."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from ..context import Definition
from ..source import Document, LoadError, Span, load_document

ReadFile = Callable[[str], str]  # a path as shown to the user -> its text (raises OSError)


def _case_insensitive_match(path: str) -> str | None:
    """The existing file whose path equals `path` but for letter case, if exactly one does."""
    import os

    absolute = path.startswith("/")
    current = "/" if absolute else "."
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            current = posixpath.join(current, part)
            continue
        try:
            matches = [name for name in os.listdir(current) if name.lower() == part.lower()]
        except OSError:
            return None
        if len(matches) != 1:
            return None
        current = posixpath.join(current, matches[0])
    return (current if absolute else posixpath.normpath(current)) if os.path.isfile(current) else None


@dataclass
class Note:
    """A problem found while extracting: reported like any diagnostic, under `rule`."""

    rule: str
    message: str
    file: str
    span: Span | None
    machine: str | None = None


@dataclass
class Extraction:
    kind: str | None  # "asl" | "cloudformation" | "serverless" | None (no state machine)
    definitions: list[Definition] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class Host:
    """The file being extracted from, and how to reach the files it references."""

    document: Document
    file: str
    read: ReadFile

    def span(self, path: tuple, anchor: str = "value") -> Span | None:
        return self.document.sourcemap.span(path, anchor)  # type: ignore[arg-type]

    def relative(self, reference: str) -> str:
        """A path written in the host, as the user would name it from where they stand."""
        if posixpath.isabs(reference):
            return reference
        base = posixpath.dirname(self.file.replace("\\", "/")) if self.file != "<stdin>" else ""
        return posixpath.normpath(posixpath.join(base, reference))

    def load_reference(self, reference: str, at: tuple, machine: str | None,
                       notes: list[Note], what: str) -> tuple[str, Document] | None:
        """Read and parse a referenced file; a missing or broken one becomes a note."""
        path = self.relative(reference)
        try:
            text = self.read(path)
        except (OSError, UnicodeDecodeError) as error:
            actual = _case_insensitive_match(path)
            if actual is None or actual == path:
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                notes.append(Note("ASL007", f"{what} '{reference}' cannot be read ({path}: {reason})",
                                  self.file, self.span(at), machine))
                return None
            notes.append(Note("ASL011", f"{what} '{reference}' matches '{actual}' only when case is ignored:"
                              " deploying from a case-sensitive file system (Linux CI) fails",
                              self.file, self.span(at), machine))
            path, text = actual, self.read(actual)
        try:
            return path, load_document(text, path)
        except LoadError as error:
            from ..source import LineIndex

            offset = error.offset or 0
            rule = "ASL006" if error.kind == "too-complex" else "ASL001"
            notes.append(Note(rule, error.message, path, LineIndex(text).span(offset, offset), machine))
            return None
