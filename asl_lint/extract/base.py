"""What extraction produces: definitions to check and notes about the host file."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import NamedTuple

from ..context import Definition
from ..files import FileRefused, OutsideProject, References
from ..limits import MAX_DEFINITION_CHARACTERS, built_size
from ..model import json_type
from ..source import Document, LineIndex, LoadError, Span, load_document



def _case_insensitive_match(path: str, references) -> str | None:
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
        exact = posixpath.join(current, part)
        if os.path.lexists(exact):  # as written: nothing to look for
            current = exact
            continue
        if not references.trees().allows(current):
            return None  # never list, or name what is in, a directory outside the trees being linted
        try:
            matches = [name for name in references.listdir(current) if name.lower() == part.lower()]
        except OSError:
            return None
        if len(matches) != 1:
            return None
        current = posixpath.join(current, matches[0])
    return (current if absolute else posixpath.normpath(current)) if os.path.isfile(current) else None


def built_too_large(data: object, document: Document, path: tuple) -> str | None:
    """Why a definition is not checked when YAML aliases, substitutions or intrinsic
    functions build it past Step Functions' limit from far less text: Step Functions
    rejects it, and checking what a few hundred bytes can multiply would cost without
    bound. A definition that is simply written large is checked as it is (ASL504)."""
    if document.format == "json":
        return None  # JSON has no aliases: what is built is no larger than what is written
    offsets = document.sourcemap.offsets(path)
    return too_large_for(data, (offsets[1] - offsets[0]) if offsets else len(document.text))


def too_large_for(data: object, written: int) -> str | None:
    """built_too_large for a definition written in `written` characters."""
    threshold = max(MAX_DEFINITION_CHARACTERS, 2 * written + 65_536)
    if written > MAX_DEFINITION_CHARACTERS or built_size(data, threshold) <= threshold:
        return None
    return too_large_message(written)


def too_large_message(written: int | None = None) -> str:
    source = f" from {written:,} characters of text" if written is not None else ""
    return (f"the definition builds to more than {MAX_DEFINITION_CHARACTERS:,} characters{source} (YAML aliases,"
            " substitutions or intrinsic functions repeat text): Step Functions rejects it; it is not checked further")


def shape_problem(data: object) -> str | None:
    """Why `data` cannot be a state machine definition, in words that quote none of it."""
    if not isinstance(data, dict):
        return f"holds {json_type(data)}, not a state machine (an object with StartAt and States)"
    if "StartAt" not in data and "States" not in data:
        return "holds an object without StartAt and States, not a state machine"
    return None


class Note(NamedTuple):
    """A problem found while extracting: reported like any diagnostic, under `rule`."""

    rule: str
    message: str
    file: str
    span: Span | None
    machine: str | None = None
    fix: object = None  # a fixes.Fix of `file`, when there is one


@dataclass
class Extraction:
    kind: str | None  # "asl" | "cloudformation" | "serverless" | None (no state machine)
    definitions: list[Definition] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    why: str | None = None  # why no state machine was found, in the user's terms


@dataclass
class Host:
    """The file being extracted from, and how to reach the files it references."""

    document: Document
    file: str
    references: References

    def span(self, path: tuple, anchor: str = "value") -> Span | None:
        return self.document.sourcemap.span(path, anchor)  # type: ignore[arg-type]

    def relative(self, reference: str) -> str:
        """A path written in the host, as the user would name it from where they stand."""
        if posixpath.isabs(reference):
            return reference
        base = posixpath.dirname(self.file.replace("\\", "/")) if self.file != "<stdin>" else ""
        return posixpath.normpath(posixpath.join(base, reference))

    def load_reference(self, reference: str, at: tuple, machine: str | None, notes: list[Note], what: str,
                       role: str | None = None, resolved: str | None = None,
                       parse=None) -> tuple[str, Document] | None:
        """Read and parse a referenced file (once per run); a missing, refused or broken one
        becomes a note. Nothing of a file that is not a definition reaches a message.
        `resolved`: the path, when it is not `reference` relative to the host; `parse`:
        how to read it (a Terraform template's directives, say), load_document otherwise."""
        path = resolved or self.relative(reference)
        parse = parse or load_document

        def note(rule: str, message: str, file: str | None = None, span: Span | None = None) -> None:
            notes.append(Note(rule, message, file or self.file, span or self.span(at), machine))

        try:
            try:
                document = self.references.parsed(path, parse)
            except FileRefused as refused:
                actual = _case_insensitive_match(path, self.references) if refused.rule == "ASL005" else None
                if actual is None or actual == path:
                    raise
                note("ASL011", f"{what} '{reference}' matches '{actual}' only when case is ignored:"
                     " deploying from a case-sensitive file system (Linux CI) fails")
                path, document = actual, self.references.parsed(actual, parse)
        except OutsideProject:
            note("ASL013", f"{what} '{reference}' is outside the directory tree being linted ({path}):"
                 " not read (--allow-outside-references reads it)")
            return None
        except FileRefused as refused:
            rule = "ASL012" if refused.rule == "ASL012" else "ASL007"
            reason = f"({path}: {refused.message.removeprefix('cannot read the file: ')})"
            # In the user's terms: what the missing file was to provide, when that is known.
            note(rule, f"{role} comes from '{reference}', which cannot be read {reason}" if role
                 else f"{what} '{reference}' cannot be read {reason}")
            return None
        except LoadError as error:
            offset = error.offset or 0
            rule = "ASL006" if error.kind == "too-complex" else "ASL001"
            text = self.references.read(path)
            note(rule, error.message, path, LineIndex(text).span(offset, offset))
            return None
        return path, document  # type: ignore[return-value]
