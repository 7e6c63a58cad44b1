"""Find the state machines in a loaded document."""

from __future__ import annotations

import re

from .context import Definition
from .source import Document

_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")


def looks_like_asl(data: object) -> bool:
    return isinstance(data, dict) and ("States" in data or "StartAt" in data)


def extract_definitions(document: Document, file: str) -> list[Definition]:
    """A plain ASL file is one definition; anything else holds none (for now)."""
    if not looks_like_asl(document.data):
        return []

    def locate(path: tuple, anchor: str = "value"):
        return document.sourcemap.span(path, anchor)  # type: ignore[arg-type]

    placeholders = set(document.placeholders) | set(_placeholder_paths(document.data, ()))
    return [Definition(document.data, file, locate, None, "STANDARD", placeholders, document.duplicates)]


def _placeholder_paths(value: object, path: tuple):
    """Strings holding a deploy-time `${X}`: their value is not known until then."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            stack.extend((item, path + (key,)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, path + (index,)) for index, item in enumerate(value))
        elif isinstance(value, str) and "${" in value and _PLACEHOLDER.search(value):
            if not value.startswith("{%"):
                yield path
