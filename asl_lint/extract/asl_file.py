"""A file that is itself one state machine definition."""

from __future__ import annotations

from ..context import Definition
from .base import Extraction, Host, Note, built_too_large
from .placeholders import placeholder_paths


def looks_like_asl(data: object) -> bool:
    return isinstance(data, dict) and ("States" in data or "StartAt" in data)


def extract(host: Host) -> Extraction:
    document = host.document
    too_large = built_too_large(document.data, document, ())
    if too_large is not None:
        return Extraction("asl", notes=[Note("ASL504", too_large, host.file, host.span((), "key"))])
    placeholders = placeholder_paths(document.data, document.text or None, document.format == "json") | \
        document.placeholders
    definition = Definition(document.data, host.file, document.sourcemap, None, None,
                            placeholders, document.duplicates,
                            written_chars=len(document.text) if document.format == "json" and document.text else None)
    return Extraction("asl", [definition])
